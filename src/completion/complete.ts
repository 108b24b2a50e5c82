import { byteOrder } from '../text/byte-order';
import { loadConfig } from '../kubeconfig/config';
import { authKinds } from '../kubeconfig/resolve';
import { Completable, GLOBAL_OPTIONS, OptionSpec, OptionTable } from '../commands/options';

/** What completion needs to know of a command: its name, flags and what its positional arguments are. */
export interface CompletableCommand {
  command: string;
  describe: string;
  aliases?: string[];
  options: OptionTable;
  positional?: Completable | readonly string[];
}

/**
 * Shell completion in cobra's protocol, which kubectl (≥ 1.26) speaks with plugins through an executable
 * `kubectl_complete-cwtoken`: given the words typed so far (the last one partial), print one candidate per line
 * and then `:<directive>`. The shell scripts of `completion bash|zsh|fish|powershell` use the same protocol.
 */
export const DIRECTIVE = { default: 0, noFileComp: 4 } as const;

export interface Completion {
  /** `name` or, as cobra writes them, `name<TAB>description`. */
  candidates: string[];
  directive: number;
}

const commandName = (spec: CompletableCommand) => spec.command.split(' ')[0];

function optionsOf(spec: CompletableCommand | undefined): OptionTable {
  return { ...GLOBAL_OPTIONS, ...(spec?.options ?? {}) };
}

/** The value of `--name VALUE` / `--name=VALUE` among the words, for completing against the right kubeconfig. */
function flagValue(words: string[], name: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === `--${name}`) return words[i + 1];
    if (words[i].startsWith(`--${name}=`)) return words[i].slice(name.length + 3);
  }
  return undefined;
}

/** cobra's candidate with a description, which the shells show beside the name. */
const described = (name: string, description: string) => (description ? `${name}\t${description}` : name);

async function values(kind: Completable, words: string[], commands: CompletableCommand[], env: NodeJS.ProcessEnv): Promise<Completion> {
  if (kind === 'files') return { candidates: [], directive: DIRECTIVE.default };
  if (kind === 'commands') return { candidates: commands.map((c) => described(commandName(c), c.describe)), directive: DIRECTIVE.noFileComp };
  try {
    const { config } = await loadConfig({ kubeconfig: flagValue(words, 'kubeconfig'), env });
    // Sorted, as kubectl's own completion of context and user names is; a context is described by its cluster, a
    // user by how it authenticates.
    const candidates =
      kind === 'contexts'
        ? [...config.contexts.values()].map((c) => described(c.name, c.value.cluster ? `cluster ${c.value.cluster}` : ''))
        : [...config.users.values()].map((u) => described(u.name, authKinds(u.value).join(', ')));
    return { candidates: candidates.sort(byteOrder), directive: DIRECTIVE.noFileComp };
  } catch {
    return { candidates: [], directive: DIRECTIVE.noFileComp }; // a broken kubeconfig completes to nothing
  }
}

function optionNamed(options: OptionTable, word: string): OptionSpec | undefined {
  if (word.startsWith('--')) return options[word.slice(2)];
  if (/^-[a-zA-Z]$/.test(word)) return Object.values(options).find((o) => o.alias === word[1]);
  return undefined;
}

export async function complete(commands: CompletableCommand[], args: string[], env: NodeJS.ProcessEnv): Promise<Completion> {
  const words = args.slice(0, -1);
  const partial = args[args.length - 1] ?? '';
  const spec = commands.find((c) => words.includes(commandName(c)) || c.aliases?.some((a) => words.includes(a)));
  const options = optionsOf(spec);
  const matching = (candidates: string[]) => candidates.filter((c) => c.startsWith(partial));

  const previous = optionNamed(options, words[words.length - 1] ?? '');
  if (previous && previous.type !== 'boolean') {
    if (previous.choices) return { candidates: matching([...previous.choices]), directive: DIRECTIVE.noFileComp };
    if (previous.complete) {
      const result = await values(previous.complete, words, commands, env);
      return { ...result, candidates: matching(result.candidates) };
    }
    return { candidates: [], directive: DIRECTIVE.noFileComp };
  }
  if (partial.startsWith('-')) {
    return { candidates: matching(Object.keys(options).map((name) => `--${name}`)), directive: DIRECTIVE.noFileComp };
  }
  const positional = spec ? spec.positional : 'commands';
  if (Array.isArray(positional)) return { candidates: matching([...positional]), directive: DIRECTIVE.noFileComp };
  if (typeof positional === 'string') {
    const result = await values(positional, words, commands, env);
    return { ...result, candidates: matching(result.candidates) };
  }
  return { candidates: [], directive: DIRECTIVE.noFileComp };
}

export function formatCompletion({ candidates, directive }: Completion): string {
  return `${candidates.map((c) => `${c}\n`).join('')}:${directive}\n`;
}
