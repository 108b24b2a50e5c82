import type { Extensions, User } from '../../kubeconfig/model';

/**
 * What this plugin remembers about a user's token, kept in the user entry's `extensions` (kubectl keeps
 * `extensions` through its own reads and writes; it drops unknown keys): when it was set or rotated, when it
 * expires and the Console's note. Read on `get`'s fast path, so this module imports nothing heavy.
 */
export const EXTENSION_NAME = 'kubectl-cwtoken';

export interface TokenRecord {
  /** RFC 3339, UTC. */
  rotatedAt?: string;
  expiresAt?: string;
  note?: string;
}

/** Our record in a user entry, if there is a well-formed one. */
export function tokenRecord(user: User | undefined): TokenRecord | undefined {
  const found = (user?.extensions ?? []).find((e) => e?.name === EXTENSION_NAME)?.extension;
  if (typeof found !== 'object' || found === null || Array.isArray(found)) return undefined;
  const value = found as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === 'string' && value[key] ? { [key]: value[key] as string } : {});
  return { ...text('rotatedAt'), ...text('expiresAt'), ...text('note') };
}

/** `extensions` with our record replaced (or added at the end, or removed when `record` is undefined). */
export function withTokenRecord(extensions: Extensions | undefined, record: TokenRecord | undefined): Extensions {
  const list = extensions ?? [];
  const ours = record && { name: EXTENSION_NAME, extension: record };
  const index = list.findIndex((e) => e?.name === EXTENSION_NAME);
  if (index < 0) return ours ? [...list, ours] : list;
  return ours ? list.map((e, i) => (i === index ? ours : e)) : list.filter((_, i) => i !== index);
}

/** A user entry without our record: what import compares, so a recorded expiry does not make an entry "different". */
export function withoutTokenRecord<T extends User>(user: T): T {
  if (!user?.extensions?.some((e) => e?.name === EXTENSION_NAME)) return user;
  const extensions = withTokenRecord(user.extensions, undefined);
  const { extensions: _, ...rest } = user;
  return (extensions.length ? { ...rest, extensions } : rest) as T;
}

const DAY = 86_400_000;
export const WARN_BEFORE_MS = 7 * DAY;

export type ExpiryState = { state: 'unknown' } | { state: 'expired' | 'expiring' | 'valid'; expiresAt: Date; msLeft: number };

export function expiryState(record: TokenRecord | undefined, now: Date = new Date()): ExpiryState {
  const at = record?.expiresAt ? new Date(record.expiresAt) : undefined;
  if (!at || Number.isNaN(at.getTime())) return { state: 'unknown' };
  const msLeft = at.getTime() - now.getTime();
  return { state: msLeft <= 0 ? 'expired' : msLeft <= WARN_BEFORE_MS ? 'expiring' : 'valid', expiresAt: at, msLeft };
}

/** RFC 3339 in UTC to the second, as kubectl prints times. */
export const rfc3339 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "45s", "12m", "5h", "2d23h", "90d", "2y": kubectl's HumanDuration, which ages in `kubectl get` use. */
export function shortDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (h < 3) return `${Math.floor(s / 60)}m`;
  if (h < 8) return `${h}h${Math.floor(s / 60) % 60 ? `${Math.floor(s / 60) % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  if (h < 192) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  if (d < 365 * 8) return `${Math.floor(d / 365)}y${d % 365 ? `${d % 365}d` : ''}`;
  return `${Math.floor(d / 365)}y`;
}

/** The one-line warning `get` prints on stderr, or nothing while the token has more than 7 days left. */
export function expiryWarning(userName: string, record: TokenRecord | undefined, now: Date = new Date()): string | undefined {
  const expiry = expiryState(record, now);
  if (expiry.state === 'expired') {
    return `the token of user "${userName}" expired ${shortDuration(expiry.msLeft)} ago (${record!.expiresAt}); create a new one in the Cloud Console → Tokens and rotate it`;
  }
  if (expiry.state === 'expiring') {
    return `the token of user "${userName}" expires in ${shortDuration(expiry.msLeft)} (${record!.expiresAt}); rotate it before then`;
  }
  return undefined;
}
