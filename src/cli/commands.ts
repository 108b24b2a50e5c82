import type { CommandSpec } from './command';
import { SHELLS } from '../completion/scripts';

export const PREFIX = 'kubectl cwtoken';

const LOCK_TIMEOUT: CommandSpec['options'][string] = {
  type: 'number',
  default: 10,
  describe: 'Seconds to wait for a <file>.lock held by another writer (kubectl, or another cwtoken)',
};

/** How `set` and `rotate` take the new token, safest first; and what they share about writing. */
const TOKEN_WRITE_OPTIONS: CommandSpec['options'] = {
  'token-stdin': { type: 'boolean', describe: 'Read the token from stdin (one line, surrounding whitespace trimmed)' },
  'token-file': { type: 'string', describe: 'Read the token from this file', complete: 'files' },
  'token-env': { type: 'string', describe: 'Read the token from this environment variable' },
  token: { type: 'string', describe: 'The token itself (visible to other processes and kept in shell history: prefer the above)' },
  'dry-run': { type: 'boolean', default: false, describe: 'Print what would change (tokens redacted) and write nothing' },
  'lock-timeout': LOCK_TIMEOUT,
  output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print the changes (tokens redacted) for scripts' },
};

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: CommandSpec[] = [
  {
    command: 'get',
    describe: 'Print the bearer token kubectl sends for the current context (or --context / --user)',
    fast: true,
    options: {
      header: { type: 'boolean', describe: 'Print "Authorization: Bearer <token>", for curl -H', conflicts: ['output'] },
      'first-user': {
        type: 'boolean',
        describe: "Print what `kubectl config view --raw -o jsonpath='{.users[0].user.token}'` prints: the alphabetically first user's token",
      },
      output: { type: 'string', alias: 'o', choices: ['json', 'yaml'], describe: 'Print {context, user, file, token} for scripts' },
    },
    examples: [
      [`${PREFIX} get`, 'The token of the current context'],
      [`curl -H "$(${PREFIX} get --header)" https://api.coreweave.com/...`, 'Call the CoreWeave API with it'],
      [`${PREFIX} get --context prod -o json`, 'Context, user, source file and token, for a script'],
    ],
    load: async () => (await import('../commands/get')).get,
  },
  {
    command: 'contexts',
    describe: 'List the merged contexts: server, namespace, user, auth kind, redacted token and the defining file',
    fast: true,
    options: {
      output: { type: 'string', alias: 'o', choices: ['name', 'json', 'yaml'], describe: 'Names only (as `kubectl config get-contexts -o name`), or records for scripts' },
    },
    examples: [
      [`${PREFIX} contexts`, 'Table of contexts, marking users hidden by an earlier file'],
      [`${PREFIX} contexts -o name`, 'One context name per line'],
    ],
    load: async () => (await import('../commands/contexts')).contexts,
  },
  {
    command: 'doctor',
    describe: 'Report shadowed names, broken references, token files, file modes and unloadable files in the kubeconfig chain',
    options: {
      fix: { type: 'boolean', default: false, describe: 'Apply the safe fixes (renames, chmod 600) after showing them; never deletes a credential' },
    },
    examples: [
      [`${PREFIX} doctor`, 'One line per finding with the file and the fix; exits non-zero if any'],
      [`${PREFIX} doctor --fix`, 'Rename hidden entries and tighten file modes'],
    ],
    load: async () => (await import('../commands/doctor')).doctor,
  },
  {
    command: 'use <name>',
    positional: 'contexts',
    describe: 'Switch current-context where kubectl keeps it; `use -` returns to the previous context',
    options: {
      'lock-timeout': LOCK_TIMEOUT,
    },
    examples: [
      [`${PREFIX} use ord1`, 'Make ord1 the current context'],
      [`${PREFIX} use -`, 'Back to the context before'],
    ],
    load: async () => (await import('../commands/use')).use,
  },
  {
    command: 'set',
    aliases: ['inject'],
    describe: 'Write a bearer token into the user of the current context (or --context / --user), in the file that defines it',
    options: {
      ...TOKEN_WRITE_OPTIONS,
      inline: { type: 'boolean', default: false, describe: 'For a user with tokenFile: remove tokenFile and set token (default: rewrite the token file)' },
      'replace-auth': { type: 'boolean', default: false, describe: 'Remove exec, auth-provider, client certificates or basic auth from the user and set the token' },
    },
    examples: [
      [`pbpaste | ${PREFIX} set --token-stdin`, 'Set the token of the current context\'s user'],
      [`${PREFIX} set --user token --token-file ~/Downloads/token`, 'From a file; creates the user if it does not exist'],
    ],
    load: async () => (await import('../commands/set')).set,
  },
  {
    command: 'rotate',
    describe: 'Replace the current token of the selected user everywhere it is used, after the API server accepts the new one',
    options: {
      ...TOKEN_WRITE_OPTIONS,
      only: { type: 'boolean', default: false, describe: 'Change only the selected user entry, not every entry holding the same token' },
      verify: { type: 'boolean', default: true, describe: 'Verify the new token with a SelfSubjectReview first (--no-verify to skip)' },
      timeout: { type: 'number', default: 10, describe: 'Seconds to wait for the API server when verifying' },
    },
    examples: [
      [`${PREFIX} rotate --token-stdin < new-token`, 'Verify the new token, then replace the old one in every file'],
      [`${PREFIX} rotate --context prod --only --token-env NEW_TOKEN`, 'Only the user of context prod'],
    ],
    load: async () => (await import('../commands/rotate')).rotate,
  },
  {
    command: 'import <files..>',
    positional: 'files',
    describe: 'Merge downloaded kubeconfigs ("-" for stdin) into the kubeconfig, renaming clashing names instead of shadowing',
    options: {
      'on-conflict': {
        type: 'string',
        choices: ['rename', 'overwrite', 'skip', 'fail'],
        default: 'rename',
        describe: 'What to do with an incoming name that exists with different content',
      },
      prefix: { type: 'string', describe: 'Prefix every incoming cluster, user and context name with this' },
      use: { type: 'string', describe: "Set current-context afterwards: to CONTEXT, or with no value to the imported file's context" },
      'dry-run': { type: 'boolean', default: false, describe: 'Show the plan; write nothing' },
      'lock-timeout': LOCK_TIMEOUT,
    },
    examples: [
      [`${PREFIX} import ~/Downloads/CWKubeconfig_*`, 'Add every downloaded cluster to the kubeconfig'],
      [`${PREFIX} import CWKubeconfig_ord1 --use`, 'Add one and switch to it'],
      [`${PREFIX} import - --dry-run < CWKubeconfig_lga1`, 'Show what an import from stdin would do'],
    ],
    load: async () => (await import('../commands/import')).importCommand,
  },
  {
    command: 'completion <shell>',
    describe: `Print a shell completion script (${SHELLS.join('|')}), or \`install\` kubectl's completion shim next to the plugin`,
    options: {
      dir: { type: 'string', describe: 'With install: the directory to write kubectl_complete-cwtoken to (default: where kubectl-cwtoken is)', complete: 'files' },
    },
    examples: [
      [`source <(${PREFIX} completion bash)`, 'Complete kubectl-cwtoken in bash'],
      [`${PREFIX} completion install`, 'Let kubectl (>= 1.26) complete `kubectl cwtoken …` (krew cannot install this file)'],
    ],
    load: async () => (await import('../commands/completion')).completion,
  },
];
