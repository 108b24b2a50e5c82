/**
 * A token as it may appear anywhere but `get`: enough to tell tokens apart (`CW-S…9f2c`), never enough to use.
 * Short tokens show nothing at all, since 8 characters of a short secret is most of it.
 */
export function redact(token: string | undefined): string {
  if (!token) return '';
  if (token.length < 16) return '…';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}

/** Every CoreWeave token starts so: in a narrow column its first four characters tell no two tokens apart. */
const COREWEAVE_PREFIX = 'CW-SECRET-';

/** A token in a table column: its last four characters, after the shared CoreWeave prefix (`…9f2c`). */
export function redactTail(token: string | undefined): string {
  if (!token?.startsWith(COREWEAVE_PREFIX)) return redact(token);
  return token.length < 16 ? '…' : `…${token.slice(-4)}`;
}

/**
 * A command-line word that may be a token pasted in the wrong place: a CoreWeave token, a JWT, a long hex
 * string, or a long run of token characters mixing upper case, lower case and digits (which names and paths
 * rarely do). A word that starts like a path is a path.
 */
export function looksLikeToken(word: string): boolean {
  if (word.toUpperCase().startsWith(COREWEAVE_PREFIX) || /^eyJ[\w-]{8,}\.[\w-]+/.test(word) || /^[0-9a-f]{32,}$/i.test(word)) return true;
  if (word.length < 20 || /^(\/|\.{1,2}\/|~\/)/.test(word) || !/^[A-Za-z0-9._~+/=-]+$/.test(word)) return false;
  return /[A-Z]/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word);
}

/** `text` with every word of `words` that looks like a token redacted (longest first, so parts stay hidden). */
export function redactWords(text: string, words: string[]): string {
  return [...new Set(words)]
    .filter(looksLikeToken)
    .sort((a, b) => b.length - a.length)
    .reduce((t, w) => t.split(w).join(redact(w)), text);
}

/**
 * `text` with every token of a shape no name or path has redacted: a CoreWeave token (anywhere, even inside a path
 * or a prefixed name) and a JWT. A token pasted into a name, a tag, a path or current-context is printed by
 * nothing but `get`. Other words that merely look like tokens (long mixed-case runs) are left: paths and names
 * have those too, and printing them mangled would be wrong.
 */
export function redactTokenShapes(text: string): string {
  return text.replace(TOKEN_SHAPES, (token) => redact(token));
}

// Case-sensitive and at least 16 characters after the prefix, as every token the Console issues: a context named
// cw-secret-lab or a folder CW-SECRET-old/ is a name kubectl prints as it is, and so must `contexts -o name`.
const TOKEN_SHAPES = new RegExp(`${COREWEAVE_PREFIX}[A-Za-z0-9._~+/=-]{16,}|\\beyJ[\\w-]{8,}\\.[\\w-]+(?:\\.[\\w-]*)?`, 'g');
