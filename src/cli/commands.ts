import { AnyCommand, defineCommand } from './command';
import { SHELLS } from '../commands/completion-scripts';
import {
  CLUSTERS_OPTIONS,
  COMPLETION_OPTIONS,
  CONTEXTS_OPTIONS,
  DOCTOR_OPTIONS,
  EXEC_CREDENTIAL_OPTIONS,
  GET_OPTIONS,
  IMPORT_OPTIONS,
  ROTATE_OPTIONS,
  SET_OPTIONS,
  UNDO_OPTIONS,
  STATUS_OPTIONS,
  STORE_OPTIONS,
  USE_OPTIONS,
  VERIFY_OPTIONS,
} from '../commands/options';

import { PREFIX } from '../commands/hints';

export { PREFIX };

/** The first line of `kubectl cwtoken --help`. */
export const SUMMARY = 'Read, inject and rotate kubeconfig bearer tokens, exactly as kubectl reads them.';

/** The CoreWeave workflow, shown by `kubectl cwtoken --help`. */
export const WORKFLOW: Array<[string, string]> = [
  [`${PREFIX} import ~/Downloads/CWKubeconfig_*`, 'Add downloaded cluster kubeconfigs without their `token` users shadowing each other'],
  [`${PREFIX} get`, 'The token kubectl sends for the current context'],
  [`curl -H "$(${PREFIX} get --header)" https://api.coreweave.com/...`, 'Call the CoreWeave API with it'],
  [`pbpaste | ${PREFIX} rotate --token-stdin`, 'A new Token Secret from the Cloud Console: verify it, then replace the old one everywhere'],
  [`${PREFIX} doctor`, 'Find shadowed users, broken references and loose file modes'],
];

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: AnyCommand[] = [
  defineCommand({
    command: 'get',
    describe: 'Print the bearer token kubectl sends for the current context (or --context / --user)',
    fast: true,
    options: GET_OPTIONS,
    examples: [
      [`${PREFIX} get`, 'The token of the current context'],
      [`curl -H "$(${PREFIX} get --header)" https://api.coreweave.com/...`, 'Call the CoreWeave API with it'],
      [`${PREFIX} get --context prod -o json`, 'Context, user, source file and token, for a script'],
    ],
    load: async () => (await import('../commands/get')).get,
  }),
  defineCommand({
    command: 'contexts',
    describe: 'List the merged contexts: server, namespace, user, auth kind, redacted token and the defining file',
    fast: true,
    options: CONTEXTS_OPTIONS,
    examples: [
      [`${PREFIX} contexts`, 'Table of contexts, marking users hidden by an earlier file'],
      [`${PREFIX} contexts -o name`, 'One context name per line'],
    ],
    load: async () => (await import('../commands/contexts')).contexts,
  }),
  defineCommand({
    command: 'doctor',
    describe: 'Report shadowed names, broken references, token files, file modes and unloadable files in the kubeconfig chain',
    options: DOCTOR_OPTIONS,
    examples: [
      [`${PREFIX} doctor`, 'One line per finding with the file and the fix; exits non-zero if any'],
      [`${PREFIX} doctor --fix`, 'Rename hidden entries and tighten file modes'],
    ],
    load: async () => (await import('../commands/doctor')).doctor,
  }),
  defineCommand({
    command: 'use [name]',
    positional: 'contexts',
    fast: true,
    describe: 'Switch current-context where kubectl keeps it; `use -` returns to the previous context; no name: choose one',
    options: USE_OPTIONS,
    examples: [
      [`${PREFIX} use ord1`, 'Make ord1 the current context'],
      [`${PREFIX} use -`, 'Back to the context before'],
      [`${PREFIX} use`, 'Choose from a list at a terminal (fzf when installed); print the names in a pipe'],
      [`${PREFIX} use ord1 -n tenant-ord1`, 'Switch and set the namespace of ord1 (as kubens does)'],
    ],
    load: async () => (await import('../commands/use')).use,
  }),
  defineCommand({
    command: 'set',
    aliases: ['inject'],
    fast: true,
    describe: 'Write a bearer token into the user of the current context (or --context / --user), in the file that defines it',
    options: SET_OPTIONS,
    keepEmpty: ['user'],
    examples: [
      [`pbpaste | ${PREFIX} set --token-stdin`, "Set the token of the current context's user"],
      [`${PREFIX} set --user token --token-file ~/Downloads/token`, 'From a file; creates the user if it does not exist'],
      [`${PREFIX} set --context legacy --split --token-stdin`, 'Only context legacy gets the token, though its user is shared'],
    ],
    load: async () => (await import('../commands/set')).set,
  }),
  defineCommand({
    command: 'rotate',
    describe: 'Replace the current token of the selected user everywhere it is used, after the API server accepts the new one',
    options: ROTATE_OPTIONS,
    examples: [
      [`${PREFIX} rotate --token-stdin < new-token`, 'Verify the new token, then replace the old one in every file'],
      [`${PREFIX} rotate --context prod --only --token-env NEW_TOKEN`, 'Only the user of context prod'],
    ],
    load: async () => (await import('../commands/rotate')).rotate,
  }),
  defineCommand({
    command: 'import <files..>',
    positional: 'files',
    describe: 'Merge downloaded kubeconfigs ("-" for stdin) into the kubeconfig, renaming clashing names instead of shadowing',
    options: IMPORT_OPTIONS,
    examples: [
      [`${PREFIX} import ~/Downloads/CWKubeconfig_*`, 'Add every downloaded cluster to the kubeconfig'],
      [`${PREFIX} import CWKubeconfig_ord1 --use`, 'Add one and switch to it'],
      [`${PREFIX} import - --dry-run < CWKubeconfig_lga1`, 'Show what an import from stdin would do'],
    ],
    load: async () => (await import('../commands/import')).importCommand,
  }),
  defineCommand({
    command: 'undo',
    describe: 'Restore the files of the last write (set, rotate, import, use, doctor --fix), unless they changed since',
    options: UNDO_OPTIONS,
    examples: [
      [`${PREFIX} undo`, 'Put back what the last write replaced'],
      [`${PREFIX} undo --list`, 'The last 20 writes, newest first'],
    ],
    load: async () => (await import('../commands/undo')).undo,
  }),
  defineCommand({
    command: 'verify',
    describe:
      "Check the token of the current context (or --context, or --all): its API server's SelfSubjectReview and, for a CoreWeave token, the CoreWeave API",
    options: VERIFY_OPTIONS,
    examples: [
      [`${PREFIX} verify`, 'Who the API server says the current token is, and how many CKS clusters it can see'],
      [`${PREFIX} verify --all`, 'A table of every context; exits 9 if any token fails'],
    ],
    load: async () => (await import('../commands/verify')).verify,
  }),
  defineCommand({
    command: 'clusters',
    describe:
      'List the CKS clusters the CoreWeave token can see (COREWEAVE_API_TOKEN, else the token of --context/--user or the current context); --sync adds a context for each',
    options: CLUSTERS_OPTIONS,
    examples: [
      [`${PREFIX} clusters`, 'Name, zone, status, version, endpoint and the context for each cluster'],
      [`COREWEAVE_API_TOKEN=... ${PREFIX} clusters --sync`, 'A context for every running cluster the token can see'],
    ],
    load: async () => (await import('../commands/clusters')).clusters,
  }),
  defineCommand({
    command: 'status',
    describe: 'List every token user: age, expiry, note, the contexts and files that use it (tokens redacted)',
    fast: true,
    options: STATUS_OPTIONS,
    examples: [[`${PREFIX} status`, 'Which tokens expire soon, and where each is used']],
    load: async () => (await import('../commands/status')).status,
  }),
  defineCommand({
    command: 'store',
    describe: "Move the token of --user (or the current context's user) out of the kubeconfig into the token store; kubectl then asks exec-credential for it",
    options: STORE_OPTIONS,
    examples: [[`${PREFIX} store --user token`, 'The token leaves the kubeconfig; the user entry becomes an exec stanza']],
    load: async () => (await import('../commands/store')).store,
  }),
  defineCommand({
    command: 'unstore',
    describe: 'Put a stored token back into its user entry (inline) and remove its store file',
    options: STORE_OPTIONS,
    examples: [[`${PREFIX} unstore --user token`, 'Undo `store`']],
    load: async () => (await import('../commands/unstore')).unstore,
  }),
  defineCommand({
    command: 'exec-credential',
    describe: 'Print the ExecCredential for a stored token: what kubectl runs for a user that `store` rewrote',
    fast: true,
    options: EXEC_CREDENTIAL_OPTIONS,
    examples: [[`${PREFIX} exec-credential --file ~/.config/kubectl-cwtoken/tokens/token-1a2b3c4d.json`, 'What kubectl reads from the plugin']],
    load: async () => (await import('../commands/exec-credential')).execCredential,
  }),
  defineCommand({
    command: 'completion <shell>',
    positional: [...SHELLS, 'install', 'uninstall'],
    describe: `Print a shell completion script (${SHELLS.join('|')}), or \`install\` (\`uninstall\`) kubectl's completion shim next to the plugin`,
    options: COMPLETION_OPTIONS,
    examples: [
      [`source <(${PREFIX} completion bash)`, 'Complete kubectl-cwtoken in bash'],
      [`${PREFIX} completion install`, 'Let kubectl (>= 1.26) complete `kubectl cwtoken …` (krew cannot install this file)'],
      [`${PREFIX} completion uninstall`, 'Remove that file again (before `kubectl krew uninstall cwtoken`, which leaves it)'],
    ],
    load: async () => (await import('../commands/completion')).completion,
  }),
  defineCommand({
    command: 'help [command]',
    positional: 'commands',
    describe: 'Show the help of a command, or of kubectl cwtoken',
    options: {},
    examples: [[`${PREFIX} help get`, 'The flags and examples of get (as `get --help`)']],
    load: async () => (await import('./help')).help,
  }),
  defineCommand({
    command: 'version',
    describe: 'Print the version of kubectl-cwtoken',
    fast: true,
    options: {},
    examples: [[`${PREFIX} version`, 'The version alone, for scripts (as `--version`)']],
    load: async () => (await import('./version')).printVersion,
  }),
];
