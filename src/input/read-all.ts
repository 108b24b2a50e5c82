/** Everything a stream (stdin) holds until its end, as bytes: a kubeconfig's invalid UTF-8 must survive. */
export async function readAllBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Everything a stream (stdin) holds until its end, as UTF-8. */
export const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => (await readAllBytes(stream)).toString('utf8');
