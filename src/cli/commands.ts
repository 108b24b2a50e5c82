import type { CommandSpec } from './command';

export const PREFIX = 'kubectl cwtoken';

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
];
