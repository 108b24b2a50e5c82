import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { resolveExecCommand, resolveRelative } from '../../kubeconfig/paths';
import { Cluster, Context, Origin, RawConfig, SECTIONS, Section, SectionValue, User } from '../../kubeconfig/model';
import { withoutTokenRecord } from '../lifecycle/token-record';

/**
 * How entries of downloaded kubeconfigs join a target without shadowing or being shadowed: every decision is
 * made here, on plain data, before anything is written. `doctor --fix` uses the same name derivation and
 * reference rewriting.
 */
export type ConflictPolicy = 'rename' | 'overwrite' | 'skip' | 'fail';

export interface IncomingFile {
  /** The path as the user gave it, or "-" for stdin: for messages only. */
  source: string;
  /** The file read, absent for stdin: relative paths in its entries are resolved against its directory. */
  path?: string;
  config: RawConfig;
}

export type Decision = {
  section: Section;
  source: string;
  /** The entry's name in the incoming file. */
  incoming: string;
  /** Its name in the target. */
  name: string;
} & (
  | { action: 'add'; value: SectionValue[Section] }
  | { action: 'overwrite'; value: SectionValue[Section] }
  /** Already there with the same content (after renames): nothing to do. */
  | { action: 'identical' }
  /** A different entry of that name exists and --on-conflict skip keeps it. */
  | { action: 'skip' }
  /** A different entry of that name exists and --on-conflict fail refuses the import. */
  | { action: 'conflict' }
);

export interface ImportPlan {
  decisions: Decision[];
  /** Each incoming file's current-context (else its only context), under its name in the target. */
  currentContexts: string[];
}

/** Every definition of each name across the files that matter (the target and the rest of the chain). */
export type Definitions = Record<Section, Map<string, unknown[]>>;

const SECTION_ORDER: Section[] = ['clusters', 'users', 'contexts'];

export function entriesOf<S extends Section>(config: RawConfig, section: S): Array<{ name: string; value: SectionValue[S] }> {
  const list = (config[section] ?? []) as Array<Record<string, unknown> | null>;
  return list
    .filter((item): item is Record<string, unknown> => item !== null)
    .map((item) => ({ name: (item.name as string | undefined) ?? '', value: (item[SECTIONS[section]] ?? {}) as SectionValue[S] }));
}

export function definitionsOf(configs: RawConfig[]): Definitions {
  const defs: Definitions = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const config of configs) {
    for (const section of SECTION_ORDER) {
      for (const { name, value } of entriesOf(config, section)) defs[section].set(name, [...(defs[section].get(name) ?? []), value]);
    }
  }
  return defs;
}

/**
 * "free" when no file defines the name, "same" when every definition equals `value`, else "taken". A user's
 * recorded expiry and note (our extension) do not make it different: re-importing a download is a no-op.
 */
function availability(defs: Definitions, section: Section, name: string, value: unknown): 'free' | 'same' | 'taken' {
  const existing = defs[section].get(name);
  if (!existing) return 'free';
  const comparable = (v: unknown) => (section === 'users' && v ? withoutTokenRecord(v as User) : v);
  return existing.every((e) => isDeepStrictEqual(comparable(e), comparable(value))) ? 'same' : 'taken';
}

function hostLabel(server: string | undefined): string | undefined {
  try {
    return server ? new URL(server).hostname.split('.')[0] || undefined : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Readable new names for an entry whose name is taken, best first: a user or cluster is named after the first
 * context of its own file that uses it (`prod-token`), a context after its cluster's host (`prod-ab1cd2-x`);
 * then numbered.
 */
export function* candidateNames(config: RawConfig, section: Section, name: string, prefix = ''): Generator<string> {
  const contexts = entriesOf(config, 'contexts');
  if (section === 'contexts') {
    const own = contexts.find((c) => c.name === name);
    const cluster = entriesOf(config, 'clusters').find((c) => c.name === own?.value.cluster);
    const label = hostLabel(cluster?.value.server);
    if (label) yield `${prefix}${name}-${label}`;
  } else {
    const field = SECTIONS[section] as 'cluster' | 'user';
    const user = contexts.find((c) => c.value[field] === name);
    if (user && user.name !== name) yield `${prefix}${user.name}-${name}`;
  }
  for (let n = 2; ; n++) yield `${prefix}${name}-${n}`;
}

/** The first candidate that is free, or already holds exactly this content (so a repeated import is a no-op). */
export function chooseName(defs: Definitions, config: RawConfig, section: Section, name: string, value: unknown, prefix = ''): string {
  for (const candidate of candidateNames(config, section, name, prefix)) {
    if (availability(defs, section, candidate, value) !== 'taken') return candidate;
  }
  throw new Error('unreachable: candidate names are unbounded');
}

function rewriteReferences(context: Context, names: { clusters: Map<string, string>; users: Map<string, string> }): Context {
  const rewritten = { ...context };
  if (context.cluster !== undefined) rewritten.cluster = names.clusters.get(context.cluster) ?? context.cluster;
  if (context.user !== undefined) rewritten.user = names.users.get(context.user) ?? context.user;
  return rewritten;
}

/** `fields` of `body` made absolute where they are relative paths; absent fields stay absent, so equality holds. */
function absoluteFields<T extends Record<string, unknown>>(body: T, fields: string[], origin: Origin): T {
  const resolved: Record<string, unknown> = { ...body };
  for (const field of fields) if (typeof body[field] === 'string') resolved[field] = resolveRelative(body[field], origin);
  return resolved as T;
}

function absoluteUser(user: User, origin: Origin): User {
  const resolved = absoluteFields(user, ['tokenFile', 'client-certificate', 'client-key'], origin);
  const command = user.exec?.command;
  if (typeof command === 'string') resolved.exec = { ...user.exec, command: resolveExecCommand(command, origin) };
  return resolved;
}

/**
 * The incoming config with every path client-go resolves against the defining file's directory made absolute,
 * so that its entries mean the same in the target. stdin has no directory: a user running `import - < file`
 * expects the working directory.
 */
function withAbsolutePaths(file: IncomingFile): RawConfig {
  // For stdin, a notional file in the working directory.
  const at = (index: number): Origin => ({ file: path.resolve(file.path ?? '<stdin>'), index });
  const { clusters, users } = file.config;
  return {
    ...file.config,
    ...(clusters && { clusters: clusters.map((item, i) => (item?.cluster ? { ...item, cluster: absoluteFields<Cluster>(item.cluster, ['certificate-authority'], at(i)) } : item)) }),
    ...(users && { users: users.map((item, i) => (item?.user ? { ...item, user: absoluteUser(item.user, at(i)) } : item)) }),
  };
}

export interface PlanOptions {
  policy: ConflictPolicy;
  prefix?: string;
}

/**
 * Plans the import of `incoming` files, in order, into `target`. `defs` holds every definition the target and
 * the rest of the chain already have; it is updated as entries are planned, so later files see earlier ones.
 */
export function planImport(defs: Definitions, incoming: IncomingFile[], options: PlanOptions): ImportPlan {
  const plan: ImportPlan = { decisions: [], currentContexts: [] };
  const prefix = options.prefix ?? '';
  for (const original of incoming) {
    const file = { ...original, config: withAbsolutePaths(original) };
    const names: Record<Section, Map<string, string>> = { clusters: new Map(), users: new Map(), contexts: new Map() };
    for (const section of SECTION_ORDER) {
      for (const entry of entriesOf(file.config, section)) {
        const value = section === 'contexts' ? rewriteReferences(entry.value as Context, names) : entry.value;
        const decision = decide(defs, file, section, entry.name, value, options.policy, prefix);
        names[section].set(entry.name, decision.name);
        if (decision.action === 'add' || decision.action === 'overwrite') {
          const others = decision.action === 'add' ? defs[section].get(decision.name) ?? [] : [];
          defs[section].set(decision.name, [...others, value]);
        }
        plan.decisions.push(decision);
      }
    }
    const contexts = entriesOf(file.config, 'contexts');
    const current = file.config['current-context'] || (contexts.length === 1 ? contexts[0].name : undefined);
    if (current && names.contexts.has(current)) plan.currentContexts.push(names.contexts.get(current)!);
  }
  return plan;
}

function decide(
  defs: Definitions,
  file: IncomingFile,
  section: Section,
  incoming: string,
  value: SectionValue[Section],
  policy: ConflictPolicy,
  prefix: string,
): Decision {
  const base = { section, source: file.source, incoming };
  const name = `${prefix}${incoming}`;
  const state = availability(defs, section, name, value);
  if (state === 'free') return { ...base, name, action: 'add', value };
  if (state === 'same') return { ...base, name, action: 'identical' };
  switch (policy) {
    case 'overwrite':
      return { ...base, name, action: 'overwrite', value };
    case 'skip':
      return { ...base, name, action: 'skip' };
    case 'fail':
      return { ...base, name, action: 'conflict' };
    case 'rename': {
      const renamed = chooseName(defs, file.config, section, incoming, value, prefix);
      return availability(defs, section, renamed, value) === 'same'
        ? { ...base, name: renamed, action: 'identical' }
        : { ...base, name: renamed, action: 'add', value };
    }
  }
}

/**
 * What renaming one shadowed entry inside one file takes: the entry and every reference to it there. Not the
 * file's current-context: that name is resolved in the merged view, where it still means the entry that
 * shadows this one, so following the rename would switch the user's cluster.
 */
export interface RenameInFile {
  section: Section;
  from: string;
  to: string;
  /** Contexts of the file whose `cluster`/`user` field names the entry. */
  references: Array<{ context: string; field: 'cluster' | 'user' }>;
}

export function renameInFile(config: RawConfig, section: Section, from: string, to: string): RenameInFile {
  const field = section === 'contexts' ? undefined : (SECTIONS[section] as 'cluster' | 'user');
  const references = field
    ? entriesOf(config, 'contexts').filter((c) => c.value[field] === from).map((c) => ({ context: c.name, field }))
    : [];
  return { section, from, to, references };
}
