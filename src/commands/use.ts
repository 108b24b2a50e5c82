import { loadConfig } from '../kubeconfig/config';
import { invalidInput, notFound } from '../errors';
import { defaultFilename } from '../kubeconfig/locate';
import { suggest } from '../text/suggest';
import { applyEdits } from '../kubeconfig/edit/apply';
import { writeOptions } from './flags';
import { warnWideModes } from './file-modes';
import { note, Streams } from '../output/streams';
import { previousContext } from '../state/previous-context';
import { rememberPrevious } from './remember-previous';
import { listContexts } from '../kubeconfig/context-list';
import type { KubeconfigDocument } from '../kubeconfig/edit/edit';
import { canAsk, pickContext } from '../input/pick-context';
import type { CommandArgs, USE_OPTIONS } from './options';

export type UseArgs = CommandArgs<typeof USE_OPTIONS> & { name?: string };

/**
 * Switches current-context where kubectl writes it (client-go writeCurrentContext: the --kubeconfig file, else
 * the chain's default file), and remembers the context switched away from for `use -`. Without a name it asks
 * at a terminal, or lists the context names for a script (kubectx); `-n` sets the context's namespace, in the
 * file that defines the context, as `kubectl config set-context --namespace` does (kubens).
 */
export async function use(args: UseArgs, streams: Streams): Promise<void> {
  const { chain, config } = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  const current = config.currentContext;
  const names = listContexts(config).map((v) => v.name);
  if (args.name === undefined && !canAsk()) return streams.out(names.map((n) => `${n}\n`).join(''));
  const file = defaultFilename(chain);
  let name: string | undefined;
  if (args.name === undefined) {
    name = await pickContext(names, current, streams);
    if (name === undefined) return note(streams, 'no context chosen: nothing was changed');
  } else {
    name = args.name === '-' ? previousContext(file, streams.env) : String(args.name);
    if (name === undefined) throw notFound(`no previous context to return to for "${file}": \`use -\` works after a first \`use CONTEXT\``);
  }
  // kubectl use-context refuses an empty name, even where a nameless context entry exists.
  if (name === '') throw invalidInput('an empty context name is not allowed (nothing was changed)');
  const context = config.contexts.get(name);
  if (!context) throw notFound(`context "${name}" does not exist${suggest(name, names)}`);
  const namespace = args.namespace;
  const edits = new Map<string, Array<(doc: KubeconfigDocument) => void>>();
  const add = (target: string, edit: (doc: KubeconfigDocument) => void) => edits.set(target, [...(edits.get(target) ?? []), edit]);
  if (current !== name) add(file, (doc) => doc.setCurrentContext(name));
  if (namespace !== undefined && namespace !== (context.value.namespace ?? '')) {
    add(context.origin.file, (doc) => doc.setField('contexts', name, 'namespace', namespace));
  }
  if (edits.size) {
    const changes = [...edits].map(([target, list]) => ({ file: target, edit: (doc: KubeconfigDocument) => list.forEach((edit) => edit(doc)) }));
    warnWideModes(streams, await applyEdits(changes, writeOptions('use', args, streams)));
    if (current && current !== name) await rememberPrevious(file, current, streams);
  }
  note(streams, `Switched to context "${name}" (current-context in ${file}).`);
  if (namespace !== undefined) note(streams, `Namespace of context "${name}" is "${namespace}" (in ${context.origin.file}).`);
}
