import { existsSync } from 'node:fs';
import { decodeBytes } from '../text/bytes';
import { humanSize, NoWriter, readBounded, TooLarge } from '../files/bounded-read';
import * as path from 'node:path';
import { importInto } from '../usecases/import/apply';
import { CwError, invalidInput, notFound } from '../errors';
import { Decision, ImportPlan, IncomingFile } from '../usecases/import/plan';
import { loadChain, loadFile, readText } from '../kubeconfig/load';
import { defaultFilename, locateChain } from '../kubeconfig/locate';
import { RawConfig, SECTIONS } from '../kubeconfig/model';
import { applyEdits } from '../kubeconfig/edit/apply';
import { note, Streams, warn } from '../output/streams';
import { redact } from '../secrets/redact';
import { writeOptions } from './flags';
import { warnWideModes } from './file-modes';
import { rememberPrevious } from './remember-previous';
import { readAllBytes } from '../input/read-all';
import type { CommandArgs, IMPORT_OPTIONS } from './options';
import type { KubeconfigDocument } from '../kubeconfig/edit/edit';
import { recordToken, RecordUpdate, recordUpdate } from '../usecases/lifecycle/record-edit';

export type ImportArgs = CommandArgs<typeof IMPORT_OPTIONS> & { files: string[] };

/** A downloaded kubeconfig is a few KB; a merged one of hundreds of clusters a few MB. More is the wrong input. */
export const MAX_IMPORT_BYTES = 32 << 20;

/** The text, or the error reading it, which loadFile reports as it reports any unreadable kubeconfig. */
async function readImport(source: string | NodeJS.ReadableStream, what: string): Promise<() => string> {
  try {
    const text = await readLimited(source, what);
    return () => text;
  } catch (e) {
    if (e instanceof CwError) throw e;
    return () => {
      throw e;
    };
  }
}

async function readLimited(source: string | NodeJS.ReadableStream, what: string): Promise<string> {
  try {
    // Bytes, decoded so that invalid UTF-8 survives into the target as it was (text/bytes.ts).
    const bytes = typeof source === 'string' ? readBounded(source, { maxBytes: MAX_IMPORT_BYTES }) : await readAllBytes(source, MAX_IMPORT_BYTES);
    return decodeBytes(bytes);
  } catch (e) {
    if (e instanceof TooLarge)
      throw invalidInput(`cannot import ${what}: it is larger than ${humanSize(MAX_IMPORT_BYTES)}, more than any kubeconfig; nothing was written`);
    if (e instanceof NoWriter) throw invalidInput(`cannot import ${what}: a FIFO with ${e.message}; nothing was written`);
    throw e;
  }
}

/** Every incoming file is parsed before anything is written: one bad file, and nothing changes. */
async function readIncoming(files: string[], input: NodeJS.ReadableStream): Promise<IncomingFile[]> {
  const incoming: IncomingFile[] = [];
  for (const source of files) {
    const stdin = source === '-';
    if (!stdin && !existsSync(source)) throw notFound(`cannot import "${source}": no such file`);
    const read = await readImport(stdin ? input : source, stdin ? 'stdin' : `"${source}"`);
    const file = await loadFile(stdin ? '<stdin>' : source, true, read);
    incoming.push(stdin ? { source: '<stdin>', config: file.config } : { source, path: source, config: file.config });
  }
  return incoming;
}

export function describe(d: Decision, prefix: string): string | undefined {
  const what = `${SECTIONS[d.section]} "${d.incoming}" from ${d.source}`;
  switch (d.action) {
    case 'add':
      if (d.name === d.incoming) return `add ${what}`;
      return `add ${what} as "${d.name}"${d.name === prefix + d.incoming ? '' : ` (that name is taken by a different ${SECTIONS[d.section]})`}`;
    case 'overwrite':
      return `overwrite ${SECTIONS[d.section]} "${d.name}" with the one from ${d.source}`;
    case 'skip':
      return `skip ${what}: a different ${SECTIONS[d.section]} of that name is kept`;
    case 'update-token':
      return `update the token of user "${d.name}" from ${d.source} (same cluster and context): ${redact(d.old) || '(none)'} → ${redact(d.token)}`;
    case 'identical':
    case 'conflict':
      return undefined;
  }
}

/** Contexts of the target that keep pointing at an overwritten user or cluster: they get the imported one. */
function sharedOverwrites(plan: ImportPlan, target: RawConfig): string[] {
  const imported = new Set(plan.decisions.filter((d) => d.section === 'contexts').map((d) => d.name));
  return plan.decisions.flatMap((d) => {
    if (d.action !== 'overwrite' || d.section === 'contexts') return [];
    const field = SECTIONS[d.section] as 'cluster' | 'user';
    const users = (target.contexts ?? []).filter((c) => c && c.context?.[field] === d.name && !imported.has(c.name)).map((c) => `"${c.name}"`);
    if (users.length === 0) return [];
    return [`${field} "${d.name}" is also used by context ${users.join(', ')}, which now ${users.length > 1 ? 'use' : 'uses'} the imported one`];
  });
}

function chooseContext(plan: ImportPlan, use: string): string {
  if (use !== '') return plan.decisions.find((d) => d.section === 'contexts' && d.incoming === use)?.name ?? use;
  const first = plan.currentContexts[0];
  if (first === undefined) throw invalidInput('--use without a name: the imported file sets no current-context and has several contexts; pass --use CONTEXT');
  return first;
}

/** --expires and --note apply to every imported user entry, including ones already there: one batch for all. */
function recordImported(doc: KubeconfigDocument, plan: ImportPlan, update: RecordUpdate): void {
  const users = new Set(plan.decisions.flatMap((d) => (d.section === 'users' && d.action !== 'skip' && d.action !== 'conflict' ? [d.name] : [])));
  doc.batch(() => {
    for (const user of users) recordToken(doc, user, update);
  });
}

/** Merges downloaded kubeconfigs into the target file so that no name shadows or is shadowed. */
export async function importCommand(args: ImportArgs, streams: Streams): Promise<void> {
  const update = args.expires !== undefined || args.note !== undefined ? recordUpdate(args) : undefined;
  const incoming = await readIncoming(args.files, streams.stdin);
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  const target = defaultFilename(chain);
  const files = await loadChain(chain, readText, { missingExplicitIsEmpty: true });
  // A chain file being imported is about to be merged into the target (doctor suggests exactly that): its names
  // must not count as taken.
  const importing = new Set(incoming.flatMap((i) => (i.path ? [path.resolve(i.path)] : [])));
  const others = files.filter((f) => f.path !== target && !importing.has(path.resolve(f.path))).map((f) => f.config);

  const [result] = await applyEdits(
    [
      {
        file: target,
        edit: (doc) => {
          const plan = importInto(doc, others, incoming, { policy: args.onConflict, prefix: args.prefix });
          const sharers = sharedOverwrites(plan, doc.config);
          if (update) recordImported(doc, plan, update);
          const conflicts = plan.decisions.filter((d) => d.action === 'conflict');
          if (conflicts.length) {
            const names = conflicts.map((d) => `${SECTIONS[d.section]} "${d.name}" (${d.source})`).join(', ');
            throw invalidInput(
              `${names} already exist${conflicts.length === 1 ? 's' : ''} with different content; nothing was written: use --on-conflict rename, overwrite or skip`,
            );
          }
          if (args.use === undefined) return { plan, sharers, context: undefined };
          const context = chooseContext(plan, args.use);
          if (!doc.entry('contexts', context) && !others.some((o) => o.contexts?.some((c) => c?.name === context))) {
            throw invalidInput(`--use ${context}: no such context in ${target} or the imported files`);
          }
          doc.setCurrentContext(context);
          return { plan, sharers, context };
        },
      },
    ],
    writeOptions('import', args, streams),
  );
  const [{ plan, sharers, context }] = result.values;
  const previous = files.find((f) => f.config['current-context'])?.config['current-context'];
  if (context && previous && previous !== context && !args.dryRun) await rememberPrevious(target, previous, streams);
  const lines = plan.decisions.map((d) => describe(d, args.prefix ?? '')).filter((l): l is string => l !== undefined);
  if (context) lines.push(`set current-context to "${context}"`);
  const prefix = args.dryRun ? 'would ' : '';
  for (const line of lines) note(streams, `${prefix}${line}`);
  for (const line of sharers) warn(streams, line);
  if (!result.changed) {
    const skipped = plan.decisions.some((d) => d.action === 'skip');
    note(
      streams,
      skipped ? `${target} was not changed: the entries above were skipped` : `${target} already has everything in ${args.files.join(', ')}: nothing to do`,
    );
  } else note(streams, args.dryRun ? `dry run: ${target} was not changed` : `imported into ${target}`);
  warnWideModes(streams, [result]);
}
