import type { Streams } from '../output/streams';
import { invalidInput } from '../errors';

/**
 * Reads one line from a terminal without echoing it, as `sudo` and `ssh` read passwords: a token typed or pasted
 * at the prompt never shows on the screen or stays in the scrollback. Enter ends it, Backspace deletes, Ctrl-C
 * and Ctrl-D abandon it.
 */
export function readHiddenLine(stdin: NodeJS.ReadStream, streams: Streams, prompt: string): Promise<string> {
  streams.err(prompt);
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      streams.err('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(invalidInput('no token entered; nothing was written'));
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else line += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
