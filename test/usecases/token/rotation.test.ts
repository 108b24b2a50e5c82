/** A rotation lands where it was planned, or fails: it never reports success for a change that did not happen. */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../../../src/kubeconfig/config';
import { planRotation } from '../../../src/usecases/token/plan';
import { applyEdits } from '../../../src/kubeconfig/edit/apply';
import { kubeconfig } from '../../support/builder';
import { cwtoken } from '../../support/cli';
import { useTempDir } from '../../support/tmp';

const OLD = 'CW-SECRET-old0000000000000000';
const NEW = 'CW-SECRET-new1111111111111111';
const OTHER = 'CW-SECRET-other22222222222222';
const tmp = useTempDir();

async function planned(file: string) {
  const { config } = await loadConfig({ kubeconfig: file });
  return planRotation(config, OLD, NEW);
}

test('an inline token changed between planning and the locked write fails the rotation, and nothing is written', async () => {
  const file = tmp.file('config', kubeconfig().cw('a', OLD, 'a').cw('b', OLD, 'b').yaml());
  const { changes } = await planned(file);
  const changedMeanwhile = kubeconfig().cw('a', OLD, 'a').cw('b', OTHER, 'b').yaml();
  writeFileSync(file, changedMeanwhile);
  await expect(applyEdits(changes)).rejects.toMatchObject({ kind: 'write', message: expect.stringMatching(/user "b" .* no longer holds the old token/) });
  expect(readFileSync(file, 'utf8')).toBe(changedMeanwhile);
});

test('a tokenFile rewritten between planning and the locked write fails the rotation', async () => {
  const tokenFile = tmp.file('token', `${OLD}\n`);
  const file = tmp.file('config', kubeconfig().cw('a', OLD, 'a').user('f', { tokenFile }).yaml());
  const { changes } = await planned(file);
  writeFileSync(tokenFile, `${OTHER}\n`);
  await expect(applyEdits(changes)).rejects.toMatchObject({ kind: 'write', message: expect.stringMatching(/tokenFile .* no longer holds the old token/) });
  expect(readFileSync(tokenFile, 'utf8')).toBe(`${OTHER}\n`);
  expect(readFileSync(file, 'utf8')).toContain(OLD);
});

test('a tokenFile that starts with a byte-order mark is read as Go reads it, and rotated', () => {
  // Go's TrimSpace keeps U+FEFF, so kubectl sends it and `get` prints it: the old token includes it.
  const tokenFile = tmp.file('token', `\uFEFF${OLD}\n`);
  const file = tmp.file('config', kubeconfig().cluster('c').user('f', { tokenFile }).context('c', { cluster: 'c', user: 'f' }).current('c').yaml());
  expect(cwtoken(['get', '--kubeconfig', file]).stdout).toBe(`\uFEFF${OLD}\n`);
  const run = cwtoken(['rotate', '--kubeconfig', file, '--no-verify', '--token-env', 'T'], { env: { T: NEW } });
  expect(run.code).toBe(0);
  expect(run.stderr).not.toMatch(/nothing to change/);
  expect(readFileSync(tokenFile, 'utf8')).toBe(`${NEW}\n`);
});
