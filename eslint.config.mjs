// @ts-check
// `npm run lint`: typescript-eslint's recommended rules, and the layering of src/ as a rule (no-restricted-imports):
// a folder may import only folders below it. cli → commands → usecases → kubeconfig → files; completion/ is used
// by cli and commands; auth/ by commands and usecases; state/ and input/ by commands (input/ reads files through
// files/bounded-read); output/, secrets/, text/ and errors.ts are leaves. test/guardrails/layers.test.ts plants an
// upward import in each layer and expects a failure.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What each folder must not import: every folder above it (and, for leaves, every layer). */
const FORBIDDEN = {
  cli: [],
  commands: ['cli'],
  completion: ['cli', 'usecases', 'state', 'input'],
  state: ['cli', 'commands', 'completion', 'usecases', 'auth', 'input', 'kubeconfig'],
  input: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'kubeconfig'],
  usecases: ['cli', 'commands', 'completion', 'state', 'input'],
  auth: ['cli', 'commands', 'completion', 'usecases', 'state', 'input'],
  kubeconfig: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'input'],
  files: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'input', 'kubeconfig'],
  output: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'input', 'kubeconfig', 'files'],
  secrets: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'input', 'kubeconfig', 'files', 'output'],
  text: ['cli', 'commands', 'completion', 'usecases', 'auth', 'state', 'input', 'kubeconfig', 'files', 'output', 'secrets'],
};
const LAYERS = Object.keys(FORBIDDEN);

/** An import of `folder` from anywhere inside src/ (relative, one or more levels up). */
const importOf = (folder) => `^(\\.\\./)+${folder}(/|$)`;

const layerRules = [
  ...Object.entries(FORBIDDEN)
    .filter(([folder]) => folder !== 'completion')
    .map(([folder, forbidden]) => ({
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: forbidden.map((above) => ({
              regex: importOf(above),
              message: `src/${folder}/ is below src/${above}/: it must not import it (see eslint.config.mjs)`,
            })),
          },
        ],
      },
    })),
  {
    files: ['src/errors.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^\\./(${LAYERS.join('|')})(/|$)`, message: 'src/errors.ts is a leaf: it imports no layer' }] }],
    },
  },
  {
    // completion/ is used by cli/ and commands/, and reads the option tables they declare (data, no code).
    files: ['src/completion/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...FORBIDDEN.completion.map((above) => ({ regex: importOf(above), message: `src/completion/ is below src/${above}/: it must not import it` })),
            { regex: `${importOf('commands')}(?!options$)`, message: 'src/completion/ may read only commands/options (the option tables)' },
          ],
        },
      ],
    },
  },
];

/**
 * Below commands/, code neither ends the process nor names the command line: exits belong to cli/ (which owns
 * the process), and remedies are hint keys that commands/hints.ts renders as `kubectl cwtoken …`.
 */
const BELOW_COMMANDS = LAYERS.filter((folder) => !['cli', 'commands'].includes(folder));
const processBoundary = {
  files: BELOW_COMMANDS.map((folder) => `src/${folder}/**/*.ts`),
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: "MemberExpression[object.name='process'][property.name=/^(exit|abort|reallyExit)$/]", message: 'only src/cli/ ends the process' },
      { selector: 'Literal[value=/kubectl cwtoken/]', message: 'remedies are hint keys (errors.ts), rendered by commands/hints.ts' },
      { selector: 'TemplateElement[value.raw=/kubectl cwtoken/]', message: 'remedies are hint keys (errors.ts), rendered by commands/hints.ts' },
    ],
  },
};

/** The option tables type every command's arguments (CommandArgs): a cast around them is the bug they prevent. */
const typedCommands = {
  files: ['src/commands/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
        message: 'no `as unknown as` in commands/: type the arguments from the option table (CommandArgs)',
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.cache/', 'node_modules/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A synchronous require() loads a module only on the path that needs it: start-up is a feature (get).
      '@typescript-eslint/no-require-imports': 'off',
      // Tokens are checked for control characters on purpose (what Go's HTTP client refuses in a header).
      'no-control-regex': 'off',
    },
  },
  ...layerRules,
  processBoundary,
  typedCommands,
);
