export type ClientNode = typeof import('./client-node');

/**
 * Loads @kubernetes/client-node on first use. In the bundle, `./client-node` is a chunk of its own
 * (dist/client-node.cjs; an asset of the standalone executable), so its ~930 KB are read and compiled only here,
 * never by commands that do no network work.
 *
 * Its fetch stack (node-fetch → whatwg-url → tr46) requires Node's deprecated `punycode` module; Node stays quiet
 * about that inside node_modules, but in our bundle it blames us and prints DEP0040 on the user's terminal. That
 * one warning is dropped while the library loads.
 */
export async function loadClientNode(): Promise<ClientNode> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (rest.includes('DEP0040')) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import('./client-node');
  } finally {
    process.emitWarning = emitWarning;
  }
}
