import { invalidInput } from '../errors';

/**
 * What a bearer token may be before anything is written. kubectl sends the value as an HTTP header, so a line
 * break, whitespace or control character would corrupt the request (or the file). Messages never contain
 * the value.
 */
export function validateToken(token: string, from: string): void {
  const refuse = (why: string) => invalidInput(`the token from ${from} ${why}; nothing was written`);
  if (token === '') throw refuse('is empty');
  if (/[\r\n]/.test(token)) throw refuse('has more than one line: give exactly one token');
  if (/[\s\u0000-\u001f\u007f]/u.test(token)) throw refuse('contains whitespace or control characters, which no bearer token has');
  // Bytes that are not UTF-8 arrive as U+FFFD: writing that would send something else than what was given.
  if (token.includes('\ufffd')) throw refuse('is not valid UTF-8 text: check that it is the token');
  // C1 controls and U+FFFE/U+FFFF: no token has them, and YAML cannot hold them as they are.
  if (/[\u0080-\u009f\ufffe\uffff]/u.test(token)) throw refuse('contains control characters, which no bearer token has');
  // A token copied out of YAML or a shell line often brings its quotes along; no bearer token has them.
  if (/^["'`\u2018\u201c]|["'`\u2019\u201d]$/u.test(token)) throw refuse('is wrapped in quotes: give the token without them');
}

export const isCoreWeaveToken = (token: string) => token.startsWith('CW-SECRET-');

export function isCoreWeaveServer(server: string | undefined): boolean {
  try {
    return new URL(server ?? '').hostname.toLowerCase().endsWith('.coreweave.com');
  } catch {
    return false;
  }
}

/** A hint, not a rule: CoreWeave API access tokens start with CW-SECRET-, other servers use other tokens. */
export function tokenNotice(token: string, server: string | undefined): string | undefined {
  if (isCoreWeaveToken(token) || !isCoreWeaveServer(server)) return undefined;
  return `note: the new token does not start with CW-SECRET-, as CoreWeave API access tokens do (server ${server}); writing it anyway`;
}

/** A tokenFile gets the token on one line, as people and tools write them; client-go trims it when reading. */
export const tokenFileContent = (token: string) => `${token}\n`;
