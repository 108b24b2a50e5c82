import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from '../files/atomic-write';
import { DEFAULT_LOCK_TIMEOUT_MS, withLocks } from '../files/lock';

/**
 * The context `use -` returns to, kept outside the kubeconfig (kubectx's habit) in
 * `$XDG_CONFIG_HOME/kubectl-cwtoken/state.json`, else `~/.config/kubectl-cwtoken/state.json`, mode 0600.
 * One previous context per kubeconfig file that holds current-context, so two KUBECONFIG setups do not mix.
 */
interface State {
  previousContext: Record<string, string>;
}

export function stateFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'kubectl-cwtoken', 'state.json');
}

function readState(file: string): State {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<State>;
    return { previousContext: { ...(parsed.previousContext ?? {}) } };
  } catch {
    // Missing or damaged: the state is a convenience, never a reason to fail a switch.
    return { previousContext: {} };
  }
}

export function previousContext(kubeconfig: string, env: NodeJS.ProcessEnv): string | undefined {
  return readState(stateFile(env)).previousContext[path.resolve(kubeconfig)];
}

/** Read-modify-write under the state file's lock, so two `use` runs on different kubeconfigs keep both. */
export async function savePreviousContext(kubeconfig: string, context: string, env: NodeJS.ProcessEnv): Promise<void> {
  const file = stateFile(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await withLocks([file], { timeoutMs: DEFAULT_LOCK_TIMEOUT_MS }, () => {
    const state = readState(file);
    state.previousContext[path.resolve(kubeconfig)] = context;
    writeAtomic(file, `${JSON.stringify(state, null, 2)}\n`, undefined);
  });
}
