import { ParseError, parseKubeconfig } from '../../src/kubeconfig/parse/parse';

/** The ParseError kubectl's reader gives this text; fails the test when the text loads. */
export function parseError(text: string): ParseError {
  try {
    parseKubeconfig(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected kubectl to refuse this file');
}
