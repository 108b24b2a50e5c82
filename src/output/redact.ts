/**
 * A token as it may appear anywhere but `get`: enough to tell tokens apart (`CW-S…9f2c`), never enough to use.
 * Short tokens show nothing at all, since 8 characters of a short secret is most of it.
 */
/**
 * A command-line word that may be a token pasted in the wrong place: a CoreWeave token, or a long run of token
 * characters with no path separator (a path is not a secret and helps in a message).
 */
export function looksLikeToken(word: string): boolean {
  return /^CW-SECRET-/i.test(word) || (word.length >= 20 && !/[/\\]/.test(word) && /^[A-Za-z0-9._~+=-]+$/.test(word));
}

/** `text` with every word of `words` that looks like a token redacted. */
export function redactWords(text: string, words: string[]): string {
  return words.filter(looksLikeToken).reduce((t, w) => t.split(w).join(redact(w)), text);
}

export function redact(token: string | undefined): string {
  if (!token) return '';
  if (token.length < 16) return '…';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}
