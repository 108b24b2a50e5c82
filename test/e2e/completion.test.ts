/** Shell completion, through real kubectl (plugin completion) and through bash (direct use). */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { binary, cwtoken } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

/** cobra's output: candidates (`name<TAB>description`), one per line, then ":<directive>"; the names. */
const candidates = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line && !line.startsWith(':'))
    .map((line) => line.split('\t')[0]);

describeWithKubectl('kubectl completes `kubectl cwtoken …` through kubectl_complete-cwtoken', () => {
  const tmp = useTempDir();
  let env: Record<string, string>;

  beforeEach(() => {
    const bin = path.join(tmp.dir, 'bin');
    tmp.file('bin/.keep', '');
    symlinkSync(binary(), path.join(bin, 'kubectl-cwtoken'));
    // Defined out of order: completion lists names sorted, as kubectl does.
    const config = tmp.file('config', kubeconfig().cw('west', 'T-w', 'token').cw('east', 'T-e', 'ci').current('east').yaml());
    env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, KUBECONFIG: config };
    const install = cwtoken(['completion', 'install'], { env });
    expect(install.code).toBe(0);
  });

  test('completion install writes an executable shim next to the plugin on PATH', () => {
    const shim = path.join(tmp.dir, 'bin', 'kubectl_complete-cwtoken');
    expect(statSync(shim).mode & 0o111).toBeTruthy();
  });

  test('`kubectl __complete cwtoken ge` offers get', () => {
    expect(candidates(kubectl(['__complete', 'cwtoken', 'ge'], env).stdout)).toEqual(['get']);
  });

  test("`kubectl __complete cwtoken get --context ''` offers the merged contexts", () => {
    expect(candidates(kubectl(['__complete', 'cwtoken', 'get', '--context', ''], env).stdout)).toEqual(['east', 'west']);
  });

  test('kubectl passes the descriptions through: a context shows its cluster', () => {
    expect(kubectl(['__complete', 'cwtoken', 'get', '--context', 'ea'], env).stdout).toContain('east\tcluster east\n');
  });

  test('completion uninstall removes the shim, and leaves a file it did not write', () => {
    const shim = path.join(tmp.dir, 'bin', 'kubectl_complete-cwtoken');
    expect(cwtoken(['completion', 'uninstall'], { env })).toMatchObject({ code: 0 });
    expect(existsSync(shim)).toBe(false);
    writeFileSync(shim, '#!/bin/sh\necho mine\n');
    expect(cwtoken(['completion', 'uninstall'], { env }).code).toBe(6);
    expect(existsSync(shim)).toBe(true);
  });

  test('--user completes the merged users', () => {
    expect(candidates(kubectl(['__complete', 'cwtoken', 'get', '--user', ''], env).stdout)).toEqual(['ci', 'token']);
  });

  test('-o completes its choices', () => {
    expect(candidates(kubectl(['__complete', 'cwtoken', 'get', '-o', ''], env).stdout)).toEqual(['json', 'yaml']);
  });

  test('flags complete from the command and the global flags', () => {
    expect(candidates(kubectl(['__complete', 'cwtoken', 'get', '--he'], env).stdout)).toEqual(['--header']);
  });
});

describe('completion scripts for running kubectl-cwtoken directly', () => {
  const tmp = useTempDir();

  test('the bash script completes commands and contexts', () => {
    const bin = path.join(tmp.dir, 'bin');
    tmp.file('bin/.keep', '');
    symlinkSync(binary(), path.join(bin, 'kubectl-cwtoken'));
    const config = tmp.file('config', kubeconfig().cw('east', 'T-e').current('east').yaml());
    const script = cwtoken(['completion', 'bash']).stdout;
    const run = (words: string) =>
      spawnSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _kubectl_cwtoken; printf '%s\\n' "\${COMP_REPLY[@]}" "\${COMPREPLY[@]}"`,
        ],
        {
          encoding: 'utf8',
          env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, KUBECONFIG: config, HOME: tmp.dir },
        },
      )
        .stdout.split('\n')
        .filter(Boolean);
    expect(run(`kubectl-cwtoken ge`)).toEqual(['get']);
    expect(run(`kubectl-cwtoken get --context ''`)).toEqual(['east']);
  });

  test.each(['zsh', 'fish', 'powershell'])('the %s script asks the binary through __complete', (shell) => {
    const r = cwtoken(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kubectl-cwtoken __complete');
  });

  test('an unknown shell is refused with the list of shells', () => {
    const r = cwtoken(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid argument "tcsh" .*: choose one of bash, zsh, fish, powershell/);
  });
});
