/**
 * Every flag of every command, as data: yargs registers these tables, the fast path and shell completion read
 * them, and each command's argument type is derived from its table (`CommandArgs`), so the three cannot drift.
 */

/** One flag, in the form yargs takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean' | 'number';
  readonly describe: string;
  readonly alias?: string;
  readonly choices?: readonly string[];
  readonly default?: string | boolean | number;
  /** Flags this one means nothing without. */
  readonly requires?: readonly string[];
  /** Flags this one cannot be combined with. */
  readonly conflicts?: readonly string[];
  /** A number flag that must be greater than 0 (every number flag is 0 or more). */
  readonly positive?: boolean;
  /** What shell completion offers for the value. */
  readonly complete?: Completable;
  /** A string flag that means something without a value too (`import --use`); others need one. */
  readonly valueOptional?: boolean;
}

/** Values shell completion can offer: names from the merged kubeconfig, the shell's own file names, or commands. */
export type Completable = 'contexts' | 'users' | 'files' | 'commands';

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Flags every command accepts, parsed kubectl-style by the plugin itself (kubectl passes none to plugins). */
export const GLOBAL_OPTIONS = {
  debug: { type: 'boolean', default: false, describe: 'Show more detail (never tokens) when something fails' },
} as const satisfies OptionTable;

/*
 * The kubeconfig flags a command honours are part of its own table, so a command shows and accepts only the ones
 * that mean something for it (`contexts --context lab` is a usage error, not a silently ignored flag), and its
 * handler's type has exactly those.
 */

/** Which kubeconfig chain to read: every command that reads or writes one. */
export const KUBECONFIG_OPTIONS = {
  kubeconfig: { type: 'string', describe: 'Path to the kubeconfig file to use (instead of KUBECONFIG or ~/.kube/config)', complete: 'files' },
} as const satisfies OptionTable;

/** Which user entry to act on: the commands that read or write one user's token. */
export const SELECTION_OPTIONS = {
  context: { type: 'string', describe: 'The kubeconfig context to use (default: current-context)', complete: 'contexts' },
  user: { type: 'string', describe: 'The kubeconfig user to use (default: the user of the context)', complete: 'users' },
} as const satisfies OptionTable;

const LOCK_TIMEOUT = {
  type: 'number',
  default: 10,
  describe: 'Seconds to wait for a <file>.lock held by another writer (kubectl, or another cwtoken)',
} as const satisfies OptionSpec;

/** The Console's Expiration and Note fields, recorded in the user entry's `extensions` (see `status`). */
const TOKEN_RECORD_OPTIONS = {
  expires: { type: 'string', describe: 'When the token expires: a duration from now (90d, 720h, 1y) or an RFC 3339 time; `get` warns 7 days before' },
  note: { type: 'string', describe: "A note to keep with the token (the Console's Note field)" },
} as const satisfies OptionTable;

/** How `set` and `rotate` take the new token, safest first; and what they share about writing. */
const TOKEN_WRITE_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  ...SELECTION_OPTIONS,
  'token-stdin': { type: 'boolean', describe: 'Read the token from stdin (one line, surrounding whitespace trimmed)' },
  'token-file': { type: 'string', describe: 'Read the token from this file', complete: 'files' },
  'token-env': { type: 'string', describe: 'Read the token from this environment variable' },
  token: { type: 'string', describe: 'The token itself (visible to other processes and kept in shell history: prefer the above)' },
  'dry-run': { type: 'boolean', default: false, describe: 'Print what would change (tokens redacted) and write nothing' },
  'lock-timeout': LOCK_TIMEOUT,
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the changes (tokens redacted) for scripts' },
  ...TOKEN_RECORD_OPTIONS,
} as const satisfies OptionTable;

export const GET_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  ...SELECTION_OPTIONS,
  header: { type: 'boolean', describe: 'Print "Authorization: Bearer <token>", for curl -H', conflicts: ['output'] },
  'first-user': {
    type: 'boolean',
    describe: "Print what `kubectl config view --raw -o jsonpath='{.users[0].user.token}'` prints: the alphabetically first user's token",
    conflicts: ['context', 'user'],
  },
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print {context, user, file, token} for scripts' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No warning on stderr when the token expires within 7 days or has expired' },
} as const satisfies OptionTable;

export const CONTEXTS_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  output: {
    type: 'string',
    alias: 'o',
    choices: ['wide', 'name', 'json', 'yaml'],
    describe:
      'wide adds the server, the defining file and notes; name prints names only (as `kubectl config get-contexts -o name`); json and yaml print records for scripts',
  },
  'no-headers': { type: 'boolean', default: false, describe: 'Print the table without its header line (as kubectl --no-headers)' },
} as const satisfies OptionTable;

export const DOCTOR_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  fix: { type: 'boolean', default: false, describe: 'Apply the safe fixes (renames, chmod 600) after showing them; never deletes a credential' },
  'dry-run': { type: 'boolean', default: false, requires: ['fix'], describe: 'With --fix: show the fixes it would apply, and change nothing' },
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the findings as records for scripts' },
} as const satisfies OptionTable;

export const USE_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  namespace: { type: 'string', alias: 'n', describe: "Also set the context's namespace (as kubens does), in the file that defines the context" },
  'lock-timeout': LOCK_TIMEOUT,
} as const satisfies OptionTable;

export const SET_OPTIONS = {
  ...TOKEN_WRITE_OPTIONS,
  inline: { type: 'boolean', default: false, describe: 'For a user with tokenFile: remove tokenFile and set token (default: rewrite the token file)' },
  'replace-auth': {
    type: 'boolean',
    default: false,
    describe: 'Remove exec, auth-provider, client certificates or basic auth from the user and set the token',
  },
  'all-contexts': {
    type: 'boolean',
    describe: 'When the user entry is shared with contexts on other servers: write it anyway, changing all of them',
    conflicts: ['split'],
  },
  split: {
    type: 'boolean',
    describe: 'Give the selected context its own user entry (in the file that defines the context) instead of changing a shared one',
  },
} as const satisfies OptionTable;

export const ROTATE_OPTIONS = {
  ...TOKEN_WRITE_OPTIONS,
  only: { type: 'boolean', default: false, describe: 'Change only the selected user entry, not every entry holding the same token' },
  verify: { type: 'boolean', default: true, describe: 'Verify the new token with every API server it will be sent to first (--no-verify to skip)' },
  timeout: { type: 'number', default: 10, positive: true, describe: 'Seconds to wait for each API server when verifying' },
} as const satisfies OptionTable;

export const IMPORT_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  'on-conflict': {
    type: 'string',
    choices: ['rename', 'overwrite', 'skip', 'fail'],
    default: 'rename',
    describe: 'What to do with an incoming name that exists with different content',
  },
  prefix: { type: 'string', describe: 'Prefix every incoming cluster, user and context name with this' },
  use: { type: 'string', valueOptional: true, describe: "Set current-context afterwards: to CONTEXT, or with no value to the imported file's context" },
  'dry-run': { type: 'boolean', default: false, describe: 'Show the plan; write nothing' },
  'lock-timeout': LOCK_TIMEOUT,
  ...TOKEN_RECORD_OPTIONS,
} as const satisfies OptionTable;

export const VERIFY_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  context: SELECTION_OPTIONS.context,
  all: { type: 'boolean', describe: 'Check every context, concurrently, and print a table', conflicts: ['context'] },
  timeout: { type: 'number', default: 10, positive: true, describe: 'Seconds to wait for each server' },
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the results for scripts' },
} as const satisfies OptionTable;

export const CLUSTERS_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  ...SELECTION_OPTIONS,
  sync: { type: 'boolean', default: false, describe: 'Write a context (and cluster) for every running cluster that has none, with one user for the token' },
  'dry-run': { type: 'boolean', default: false, describe: 'With --sync: show what would be written; write nothing' },
  timeout: { type: 'number', default: 10, positive: true, describe: 'Seconds to wait for the CoreWeave API' },
  'lock-timeout': LOCK_TIMEOUT,
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the clusters for scripts' },
} as const satisfies OptionTable;

export const STORE_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  ...SELECTION_OPTIONS,
  'dry-run': { type: 'boolean', default: false, describe: 'Say what would change; write nothing' },
  'lock-timeout': LOCK_TIMEOUT,
} as const satisfies OptionTable;

export const EXEC_CREDENTIAL_OPTIONS = {
  file: { type: 'string', describe: 'The token store file (the exec stanza names it)', complete: 'files' },
} as const satisfies OptionTable;

export const STATUS_OPTIONS = {
  ...KUBECONFIG_OPTIONS,
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the records for scripts' },
} as const satisfies OptionTable;

export const UNDO_OPTIONS = {
  list: { type: 'boolean', default: false, describe: 'List the recent writes (time, command, files; never a token) instead' },
  'dry-run': { type: 'boolean', default: false, describe: 'Say what would be restored; write nothing' },
  'lock-timeout': LOCK_TIMEOUT,
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print what was undone (or the list) for scripts' },
} as const satisfies OptionTable;

export const COMPLETION_OPTIONS = {
  dir: {
    type: 'string',
    describe: 'With install or uninstall: the directory of kubectl_complete-cwtoken (default: where kubectl-cwtoken is)',
    complete: 'files',
  },
} as const satisfies OptionTable;

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean'
  ? boolean
  : O['type'] extends 'number'
    ? number
    : O extends { choices: readonly (infer C)[] }
      ? C
      : string;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The parsed value of each flag of a table, under its camelCased name; absent unless it has a default. */
export type ArgsOf<T extends OptionTable> = {
  readonly [K in keyof T & string as CamelCase<K>]: T[K] extends { default: unknown } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

/** What a command's handler is given: the global flags and its own, typed from the tables above. */
export type CommandArgs<T extends OptionTable> = ArgsOf<typeof GLOBAL_OPTIONS> & ArgsOf<T>;

export const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
