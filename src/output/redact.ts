/**
 * A token as it may appear anywhere but `get`: enough to tell tokens apart (`CW-S…9f2c`), never enough to use.
 * Short tokens show nothing at all, since 8 characters of a short secret is most of it.
 */
export function redact(token: string | undefined): string {
  if (!token) return '';
  if (token.length < 16) return '…';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}
