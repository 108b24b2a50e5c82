import { TooLarge } from '../files/bounded-read';

/** Everything a stream (stdin) holds until its end, as bytes (a kubeconfig's invalid UTF-8 must survive); at most `maxBytes`. */
export async function readAllBytes(stream: NodeJS.ReadableStream, maxBytes = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > maxBytes) {
      (stream as NodeJS.ReadStream).destroy?.();
      throw new TooLarge(maxBytes);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Everything a stream (stdin) holds until its end, as UTF-8. */
export const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => (await readAllBytes(stream)).toString('utf8');
