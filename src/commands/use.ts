import { loadConfig } from '../kubeconfig/config';
import { notFound, errorCode } from '../errors';
import { defaultFilename } from '../kubeconfig/locate';
import { suggest } from '../kubeconfig/resolve';
import { applyEdits } from '../kubeconfig/edit/apply';
import { lockTimeoutMs } from './flags';
import { note, Streams, warn } from '../output/streams';
import { previousContext, savePreviousContext } from '../state/previous-context';
import type { CommandArgs, USE_OPTIONS } from './options';

export type UseArgs = CommandArgs<typeof USE_OPTIONS> & { name: string };

/** The previous context is a convenience: failing to save it must not fail a switch that already happened. */
async function rememberPrevious(file: string, context: string, streams: Streams): Promise<void> {
  try {
    await savePreviousContext(file, context, streams.env);
  } catch (e) {
    warn(streams, `could not remember "${context}" for \`use -\` (${errorCode(e)})`);
  }
}

/**
 * Switches current-context where kubectl writes it (client-go writeCurrentContext: the --kubeconfig file, else
 * the chain's default file), and remembers the context switched away from for `use -`.
 */
export async function use(args: UseArgs, streams: Streams): Promise<void> {
  const { chain, config } = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  const file = defaultFilename(chain);
  const name = args.name === '-' ? previousContext(file, streams.env) : String(args.name);
  if (name === undefined) throw notFound(`no previous context to return to for "${file}": \`use -\` works after a first \`use CONTEXT\``);
  if (!config.contexts.has(name)) throw notFound(`context "${name}" does not exist${suggest(name, config.contexts.keys())}`);
  const current = config.currentContext;
  if (current !== name) {
    await applyEdits([{ file, edit: (doc) => doc.setCurrentContext(name) }], { lockTimeoutMs: lockTimeoutMs(args.lockTimeout) });
    if (current) await rememberPrevious(file, current, streams);
  }
  note(streams, `Switched to context "${name}" (current-context in ${file}).`);
}
