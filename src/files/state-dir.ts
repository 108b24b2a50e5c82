import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * Where cwtoken keeps what it must remember between runs and that is not configuration: the write history
 * (undo, and the journal of writes in progress). XDG's state directory: `$XDG_STATE_HOME/kubectl-cwtoken`, else
 * `~/.local/state/kubectl-cwtoken`.
 */
export function stateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME || homedir(), '.local', 'state');
  return path.join(base, 'kubectl-cwtoken');
}
