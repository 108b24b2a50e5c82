import { statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { leftoverTemps, writeTarget } from '../../files/atomic-write';
import { whyKubectlRefuses } from '../../kubeconfig/auth-validation';
import { CwError, Hint } from '../../errors';
import { chooseName, definitionsOf } from '../import/plan';
import { Chain } from '../../kubeconfig/locate';
import { loadFile, ReadText, readText } from '../../kubeconfig/load';
import { lockName } from '../../files/lock';
import { merge } from '../../kubeconfig/merge';
import { decodeYaml } from '../../kubeconfig/parse/parse';
import { lineFinder } from '../../kubeconfig/parse/positions';
import { bearerToken, readTokenFile } from '../../kubeconfig/resolve';
import { suggest } from '../../text/suggest';
import { resolveRelative } from '../../kubeconfig/paths';
import { PathSegment } from '../../kubeconfig/parse/shape';
import { describeDuplicate, duplicateNames, duplicatePath } from '../../kubeconfig/parse/duplicates';
import { Entry, KubeconfigFile, MergedConfig, RawConfig, SECTIONS, Section, User } from '../../kubeconfig/model';
import { bodyAt, entriesOf, fileOf, SECTION_NAMES, sectionOf } from '../../kubeconfig/sections';

/**
 * `doctor`'s analysis of a kubeconfig chain: every finding names its file (and line) and the fix. Files kubectl
 * cannot load are still inspected one by one, so one broken download does not hide the others' problems.
 */
export type FindingKind =
  | 'shadowed'
  | 'missing-reference'
  | 'token-and-tokenfile'
  | 'tokenfile-unusable'
  | 'permissions'
  | 'duplicate-name'
  | 'unquoted-token'
  | 'unloadable'
  | 'shared-token'
  | 'refused-user'
  | 'lock-held'
  | 'leftover-temp'
  | 'missing-file'
  | 'dangling-current-context'
  | 'unused-entry';

/** A fix `doctor --fix` may apply on its own: none of them deletes a credential. */
export type Repair = { kind: 'chmod'; file: string; mode: number } | { kind: 'rename'; file: string; section: Section; from: string; to: string };

export interface Finding {
  kind: FindingKind;
  /** "info" findings do not make doctor fail. */
  severity: 'problem' | 'info';
  file: string;
  line?: number;
  message: string;
  fix: string;
  /** Commands of this CLI that also fix it, worded by the command layer. */
  hints?: Hint[];
  repair?: Repair;
}

export interface Diagnosis {
  findings: Finding[];
  /** The files that loaded, merged as kubectl would if the others were fixed. */
  config: MergedConfig;
}

export interface DiagnoseOptions {
  read?: ReadText;
  /** File mode bits, or undefined when the file cannot be stat'ed; injectable for tests. */
  mode?: (file: string) => number | undefined;
}

const defaultMode = (file: string): number | undefined => {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
};

const finders = new WeakMap<KubeconfigFile, (path: PathSegment[]) => number | undefined>();
/** Where a finding is: each file's document and line breaks read once for all its findings. */
const line = (file: KubeconfigFile, path: PathSegment[]): number | undefined => {
  let find = finders.get(file);
  if (!find) finders.set(file, (find = lineFinder(file.text, file.syntax)));
  return find(path);
};

export async function diagnose(chain: Chain, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const read = readingOnce(options.read ?? readText);
  const findings: Finding[] = [];
  const loaded: KubeconfigFile[] = [];
  for (const path of chain.paths) {
    try {
      const file = await loadFile(path, chain.explicit, read);
      loaded.push(file);
      if (!file.exists) findings.push(missingFile(path));
    } catch (e) {
      if (!(e instanceof CwError)) throw e;
      findings.push(...unloadable(path, e.message, read));
    }
  }
  const config = merge(loaded);
  const mode = options.mode ?? defaultMode;
  for (const path of chain.paths) findings.push(...permissions(path, mode), ...leftovers(path));
  for (const path of tokenFilePaths(config)) findings.push(...permissions(path, mode), ...leftovers(path));
  findings.push(...danglingCurrentContext(config), ...shadowed(config), ...missingReferences(config), ...refusedUsers(config));
  findings.push(...tokenFiles(config, read), ...sharedTokens(config, read), ...unusedEntries(config));
  return { findings, config };
}

/**
 * Each file read once, its text or its error remembered: a file kubectl refuses is looked at again (unloadable), and
 * a FIFO gives its bytes only once (waiting for them twice would double the wait).
 */
function readingOnce(read: ReadText): ReadText {
  const seen = new Map<string, { text: string } | { error: unknown }>();
  return (path) => {
    let outcome = seen.get(path);
    if (!outcome) {
      try {
        outcome = { text: read(path) };
      } catch (error) {
        outcome = { error };
      }
      seen.set(path, outcome);
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.text;
  };
}

/**
 * A KUBECONFIG entry that does not exist, which kubectl skips without a word. A literal `~` is the classic
 * mistake (the shell expands it only at the start of a word, and never inside quotes), so that one is a problem.
 */
function missingFile(path: string): Finding {
  const tilde = path.startsWith('~') || path.includes('/~/');
  return {
    kind: 'missing-file',
    severity: tilde ? 'problem' : 'info',
    file: path,
    message: tilde
      ? 'this KUBECONFIG entry starts with a literal "~", which nothing expands, so kubectl skips it'
      : 'this KUBECONFIG entry does not exist; kubectl skips it',
    fix: tilde ? `write it as $HOME${path.slice(1)} in KUBECONFIG` : 'remove it from KUBECONFIG, or create the file',
  };
}

/** A current-context naming no context: kubectl then fails every command that needs a server. */
function danglingCurrentContext(config: MergedConfig): Finding[] {
  const name = config.currentContext;
  if (!name || config.contexts.has(name)) return [];
  const file = config.currentContextFile ?? config.files[0]?.path ?? '';
  return [
    {
      kind: 'dangling-current-context',
      severity: 'problem',
      file,
      message: `current-context is "${name}", which no kubeconfig file defines as a context${suggest(name, config.contexts.keys())}`,
      fix: config.contexts.size ? 'choose one of the contexts' : 'import a kubeconfig and switch to its context',
      hints: [config.contexts.size ? { key: 'use-context' } : { key: 'import-use' }],
    },
  ];
}

/** Users and clusters no context refers to: leftovers of renames and imports, or entries only --user reaches. */
function unusedEntries(config: MergedConfig): Finding[] {
  const used = { clusters: new Set<string>(), users: new Set<string>() };
  for (const context of config.contexts.values()) {
    if (context.value.cluster) used.clusters.add(context.value.cluster);
    if (context.value.user) used.users.add(context.value.user);
  }
  return (['clusters', 'users'] as const).flatMap((section) =>
    [...config[section].values()]
      .filter((entry) => !used[section].has(entry.name))
      .map((entry) => ({
        kind: 'unused-entry' as const,
        severity: 'info' as const,
        file: entry.origin.file,
        line: line(
          config.files.find((f) => f.path === entry.origin.file)!,
          [section, entry.origin.index, 'name'],
        ),
        message: `${SECTIONS[section]} "${entry.name}" is used by no context`,
        fix: section === 'users' ? `select it with --user ${entry.name}, or remove it if it is a leftover` : 'remove it if it is a leftover',
      })),
  );
}

/** Token files hold a credential as much as kubeconfigs do. */
function tokenFilePaths(config: MergedConfig): string[] {
  const paths = [...config.users.values()].flatMap((u) => (u.value.tokenFile ? [resolveRelative(u.value.tokenFile, u.origin)] : []));
  return [...new Set(paths)];
}

function permissions(file: string, mode: (file: string) => number | undefined): Finding[] {
  const bits = mode(file);
  if (bits === undefined || (bits & 0o077) === 0) return [];
  const who = [bits & 0o070 ? 'group' : '', bits & 0o007 ? 'others' : ''].filter(Boolean).join(' and ');
  return [
    {
      kind: 'permissions',
      severity: 'problem',
      file,
      message: `mode ${bits.toString(8).padStart(4, '0')} gives ${who} access to the credentials in it`,
      fix: `chmod 600 ${file}`,
      repair: { kind: 'chmod', file, mode: 0o600 },
    },
  ];
}

/** What interrupted writers leave behind: a lock that blocks every writer, kubectl's too, and temp copies. */
function leftovers(file: string): Finding[] {
  const findings: Finding[] = [];
  const lock = lockName(file);
  let lockAge: number | undefined;
  try {
    lockAge = Math.round((Date.now() - statSync(lock).mtimeMs) / 1000);
  } catch {
    lockAge = undefined;
  }
  if (lockAge !== undefined) {
    findings.push({
      kind: 'lock-held',
      severity: 'problem',
      file,
      message: `${lock} exists (since ${lockAge} s ago), so kubectl and cwtoken cannot write this file`,
      fix: `if no kubectl or cwtoken is running, remove it: rm ${lock}`,
    });
  }
  for (const temp of leftoverTemps(writeTarget(file))) {
    findings.push({
      kind: 'leftover-temp',
      severity: 'problem',
      file,
      message: `${temp} was left by an interrupted write and may hold a token`,
      fix: `rm ${temp}`,
    });
  }
  return findings;
}

/** A file kubectl refuses: say exactly why where we can (duplicate names, unquoted tokens), else the load error. */
function unloadable(path: string, error: string, read: ReadText): Finding[] {
  let text: string;
  let document: unknown;
  try {
    text = read(path);
    document = decodeYaml(text);
  } catch {
    return [{ kind: 'unloadable', severity: 'problem', file: path, message: error, fix: 'fix the file (kubectl cannot load it either)' }];
  }
  const file: KubeconfigFile = { path, exists: true, text, config: (document ?? {}) as RawConfig };
  const specific = [...duplicates(file), ...unquotedTokens(file)];
  if (specific.length) return specific;
  return [{ kind: 'unloadable', severity: 'problem', file: path, message: error, fix: 'fix the file (kubectl cannot load it either)' }];
}

function listOf(config: RawConfig, section: Section): unknown[] {
  const list = config?.[section];
  return Array.isArray(list) ? list : [];
}

function duplicates(file: KubeconfigFile): Finding[] {
  return duplicateNames(file.config).map((d) => ({
    kind: 'duplicate-name',
    severity: 'problem',
    file: file.path,
    line: line(file, duplicatePath(d)),
    message: `${describeDuplicate(d)}, so kubectl refuses to load it`,
    fix: `rename or remove one of the two ${d.section} entries`,
  }));
}

function unquotedTokens(file: KubeconfigFile): Finding[] {
  const findings: Finding[] = [];
  listOf(file.config, 'users').forEach((item, index) => {
    const user = (item as { name?: unknown; user?: Record<string, unknown> } | null) ?? {};
    for (const field of ['token', 'tokenFile'] as const) {
      const value = user.user?.[field];
      if (typeof value !== 'boolean' && typeof value !== 'number') continue;
      findings.push({
        kind: 'unquoted-token',
        severity: 'problem',
        file: file.path,
        line: line(file, ['users', index, 'user', field]),
        message: `the ${field} of user "${String(user.name ?? '')}" is unquoted and YAML 1.1 reads it as a ${typeof value === 'boolean' ? 'boolean' : 'number'}, so kubectl refuses to load the file`,
        // No `set` hint: set refuses a file kubectl cannot load, as kubectl does.
        fix: `put the value in double quotes in the file (${field}: "…")`,
      });
    }
  });
  return findings;
}

/** Later definitions of a name that differ from the one kubectl uses: the CoreWeave `token` clash. */
function shadowed(config: MergedConfig): Finding[] {
  const findings: Finding[] = [];
  const defs = definitionsOf(config.files.map((f) => f.config));
  for (const section of SECTION_NAMES) {
    for (const entry of sectionOf(config, section).values()) {
      for (const shadow of entry.shadows) {
        const value = bodyAt(config, section, shadow);
        if (isDeepStrictEqual(value, entry.value)) continue;
        const file = fileOf(config, shadow);
        const to = chooseName(defs, file.config, section, entry.name, value);
        defs[section].set(to, [value]);
        const users = section === 'contexts' ? '' : usedBy(file.config, section, entry.name);
        findings.push({
          kind: 'shadowed',
          severity: 'problem',
          file: shadow.file,
          line: line(file, [section, shadow.index, 'name']),
          message: `${SECTIONS[section]} "${entry.name}" is hidden by the different one in ${entry.origin.file}, which kubectl uses instead${users}`,
          fix: `rename it to "${to}" here and in its references`,
          hints: [{ key: 'doctor-fix' }, { key: 'import-file', file: shadow.file }],
          repair: { kind: 'rename', file: shadow.file, section, from: entry.name, to },
        });
      }
    }
  }
  return findings;
}

function usedBy(config: RawConfig, section: Section, name: string): string {
  const field = SECTIONS[section] as 'cluster' | 'user';
  const contexts = entriesOf(config, 'contexts')
    .filter((c) => c.value[field] === name)
    .map((c) => `"${c.name}"`);
  return contexts.length ? ` for context ${contexts.join(', ')} of this file` : '';
}

function missingReferences(config: MergedConfig): Finding[] {
  const findings: Finding[] = [];
  for (const context of config.contexts.values()) {
    for (const section of ['clusters', 'users'] as const) {
      const field = SECTIONS[section] as 'cluster' | 'user';
      const name = context.value[field];
      if (!name || config[section].has(name)) continue;
      const file = fileOf(config, context.origin);
      findings.push({
        kind: 'missing-reference',
        severity: 'problem',
        file: context.origin.file,
        line: line(file, ['contexts', context.origin.index, 'context', field]),
        message: `context "${context.name}" refers to ${field} "${name}", which no kubeconfig file defines${suggest(name, config[section].keys())}`,
        fix: `add the ${field}, or point the context at an existing one`,
      });
    }
  }
  return findings;
}

/** Users client-go refuses to build a client for: kubectl sends nothing for their contexts. */
function refusedUsers(config: MergedConfig): Finding[] {
  return [...config.users.values()].flatMap((user) => {
    const refusal = whyKubectlRefuses(user.value, user.origin);
    if (!refusal) return [];
    const file = fileOf(config, user.origin);
    return [
      {
        kind: 'refused-user' as const,
        severity: 'problem' as const,
        file: user.origin.file,
        line: line(file, ['users', user.origin.index, 'name']),
        message: `kubectl refuses user "${user.name}": ${refusal}`,
        fix: 'remove the conflicting or incomplete fields of this user',
      },
    ];
  });
}

function tokenFiles(config: MergedConfig, read: ReadText): Finding[] {
  const findings: Finding[] = [];
  for (const user of config.users.values()) {
    const { token, tokenFile } = user.value;
    if (!tokenFile) continue;
    const file = fileOf(config, user.origin);
    const at = line(file, ['users', user.origin.index, 'user', 'tokenFile']);
    const path = resolveRelative(tokenFile, user.origin);
    if (token) {
      findings.push({
        kind: 'token-and-tokenfile',
        severity: 'problem',
        file: user.origin.file,
        line: at,
        message: `user "${user.name}" sets both token and tokenFile; kubectl sends the content of ${path} and ignores the inline token`,
        fix: 'remove the one you do not mean',
        hints: [{ key: 'get-token', user: user.name }],
      });
    }
    const content = readTokenFile(path, read);
    if ('problem' in content) {
      const { problem } = content;
      findings.push({
        kind: 'tokenfile-unusable',
        severity: 'problem',
        file: user.origin.file,
        line: at,
        message: `tokenFile ${path} of user "${user.name}" ${problem}${token ? '; kubectl falls back to the inline token' : ''}`,
        fix: `write the token into ${path}, or point tokenFile at the right file`,
      });
    }
  }
  return findings;
}

/** Several users sending the same token: worth knowing before `rotate` replaces it in one place only. */
function sharedTokens(config: MergedConfig, read: ReadText): Finding[] {
  const byToken = new Map<string, Array<Entry<User>>>();
  for (const user of config.users.values()) {
    let token: string;
    try {
      token = bearerToken(user, read).token;
    } catch {
      continue;
    }
    byToken.set(token, [...(byToken.get(token) ?? []), user]);
  }
  return [...byToken.values()]
    .filter((users) => users.length > 1)
    .map((users) => ({
      kind: 'shared-token' as const,
      severity: 'info' as const,
      file: users[0].origin.file,
      message: `users ${users.map((u) => `"${u.name}" (${u.origin.file})`).join(', ')} send the same token`,
      fix: 'rotating it in one of them leaves the others with the old token; rotate them together',
    }));
}
