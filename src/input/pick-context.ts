import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { invalidInput } from '../errors';
import type { Streams } from '../output/streams';

/** A person at a terminal can be asked; a pipe or a script gets the list instead (kubectx's rule). */
export const canAsk = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

/** fzf is used when it is on PATH, unless KUBECTX_IGNORE_FZF is set (kubectx's switch, honoured the same way). */
const fzfWanted = (env: NodeJS.ProcessEnv) => !env.KUBECTX_IGNORE_FZF;

/**
 * Lets the person at the terminal choose one of `names`: fzf when installed, else a numbered list on stderr and
 * a number (or a name) read from the terminal. Returns undefined when they choose nothing.
 */
export async function pickContext(names: string[], current: string | undefined, streams: Streams): Promise<string | undefined> {
  if (fzfWanted(streams.env)) {
    const picked = await withFzf(names, current);
    if (picked !== 'no-fzf') return picked;
  }
  return fromNumberedList(names, current, streams);
}

function withFzf(names: string[], current: string | undefined): Promise<string | undefined | 'no-fzf'> {
  return new Promise((resolve) => {
    // fzf draws on the terminal itself (/dev/tty) and prints the choice on stdout.
    const fzf = spawn('fzf', ['--no-multi', '--prompt', 'context> ', ...(current ? ['--header', `current: ${current}`] : [])], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    fzf.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    fzf.on('error', () => resolve('no-fzf'));
    fzf.on('close', (code) => resolve(code === 0 ? out.replace(/\r?\n$/, '') : undefined));
    fzf.stdin.on('error', () => undefined); // fzf missing: the 'error' event above answers
    fzf.stdin.end(names.map((n) => `${n}\n`).join(''));
  });
}

async function fromNumberedList(names: string[], current: string | undefined, streams: Streams): Promise<string | undefined> {
  const width = String(names.length).length;
  names.forEach((name, i) => streams.err(`${name === current ? '*' : ' '} ${String(i + 1).padStart(width)}  ${name}\n`));
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const answer = await new Promise<string | undefined>((resolve) => {
    rl.question(`context number or name${current ? ` (Enter keeps "${current}")` : ''}: `, resolve);
    rl.on('close', () => resolve(undefined)); // Ctrl-D or Ctrl-C
  });
  rl.close();
  const typed = answer?.trim();
  if (!typed) return undefined;
  if (/^\d+$/.test(typed)) {
    const picked = names[Number(typed) - 1];
    if (picked === undefined) throw invalidInput(`there is no context number ${typed}: choose 1 to ${names.length}`);
    return picked;
  }
  return typed;
}
