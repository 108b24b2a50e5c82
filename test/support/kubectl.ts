import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

/** The kubectl on PATH: the oracle every differential test compares against. */
export const KUBECTL: string | undefined = (process.env.PATH ?? '')
  .split(path.delimiter)
  .map((dir) => path.join(dir, 'kubectl'))
  .find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/**
 * The real kubectl 1.32 binary beside the dispatcher on PATH (which reads kubeconfigs itself before it picks a
 * binary), when there is one: the oracle for what kubectl sends, refuses and writes.
 */
const REAL_KUBECTL: string | undefined = (() => {
  if (!KUBECTL) return undefined;
  const beside = path.join(path.dirname(realpathSync(KUBECTL)), 'kubectl.1.32');
  return existsSync(beside) ? beside : KUBECTL;
})();

/** Runs the real kubectl (REAL_KUBECTL) with only the environment given, as `kubectl` does. */
export const realKubectl = (args: string[], env: Record<string, string | undefined> = {}): Run => kubectl(args, env, REAL_KUBECTL);

/**
 * `describe` for tests that need kubectl. Without kubectl they skip locally, but in CI (CI=true) they fail:
 * a differential test that silently does not run proves nothing.
 */
export const describeWithKubectl = (name: string, body: () => void): void => {
  if (KUBECTL) return describe(name, body);
  if (process.env.CI) {
    return describe(name, () => {
      test('kubectl is on PATH', () => {
        throw new Error('kubectl was not found on PATH, and CI requires it for the differential tests');
      });
    });
  }
  return describe.skip(name, body);
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl with only the environment given: HOME points at the test file's empty directory
 * (support/state-home.js) unless the test says otherwise, so a developer's own ~/.kube/config never leaks in.
 */
export function kubectl(args: string[], env: Record<string, string | undefined> = {}, binary = KUBECTL): Run {
  const result = spawnSync(binary ?? 'kubectl', args, {
    encoding: 'utf8',
    env: cleanEnv(env),
    timeout: 30_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.CWTOKEN_TEST_HOME };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) base[key] = value;
  return base;
}
