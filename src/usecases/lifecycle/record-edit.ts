import { invalidInput } from '../../errors';
import type { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import type { FileChange } from '../../kubeconfig/edit/apply';
import { rfc3339, tokenRecord, TokenRecord, withTokenRecord } from './token-record';

/** `--expires` and `--note` as `set`, `rotate` and `import` take them: the Console's Expiration and Note fields. */
export interface TokenRecordArgs {
  expires?: string;
  note?: string;
}

/** What a write records about the token it writes. */
export interface RecordUpdate {
  now: Date;
  expiresAt?: string;
  note?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?[smhdwy])+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `--expires`: a duration from now (`90d`, `720h`, `1y`, `1w2d`: Go's units plus d, w and y = 365d) or an
 * RFC 3339 time; refused (before anything is written) when it is neither or not in the future.
 */
export function parseExpires(text: string, now: Date): string {
  const value = text.trim();
  let at: Date;
  if (DURATION.test(value)) {
    const ms = [...value.matchAll(/(\d+(?:\.\d+)?)([smhdwy])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit], 0);
    at = new Date(now.getTime() + ms);
  } else if (RFC3339.test(value)) {
    at = new Date(value);
  } else {
    throw invalidInput(`--expires "${value}" is neither a duration (90d, 720h, 1y) nor an RFC 3339 time (2027-03-01T00:00:00Z); nothing was written`);
  }
  if (Number.isNaN(at.getTime())) throw invalidInput(`--expires "${value}" is not a valid time; nothing was written`);
  if (at.getTime() <= now.getTime()) throw invalidInput(`--expires "${value}" is not in the future; nothing was written`);
  return rfc3339(new Date(Math.floor(at.getTime() / 1000) * 1000));
}

export function recordUpdate(args: TokenRecordArgs, now: Date = new Date()): RecordUpdate {
  if (args.note !== undefined && /[\u0000-\u001f\u007f]/.test(args.note)) throw invalidInput('--note must be one line of text; nothing was written');
  return {
    now,
    ...(args.expires !== undefined ? { expiresAt: parseExpires(args.expires, now) } : {}),
    ...(args.note !== undefined ? { note: args.note } : {}),
  };
}

/**
 * Records a newly written token in the user entry of this file: the time, the expiry given (an old expiry is
 * dropped: it was the old token's), the note given or the one before. A user with no record and nothing given
 * is left alone.
 */
export function recordToken(doc: KubeconfigDocument, user: string, update: RecordUpdate): void {
  const body = doc.entry('users', user);
  if (!body) return;
  const before = tokenRecord(body);
  if (!before && update.expiresAt === undefined && update.note === undefined) return;
  const note = update.note ?? before?.note;
  const record: TokenRecord = {
    rotatedAt: rfc3339(update.now),
    ...(update.expiresAt ? { expiresAt: update.expiresAt } : {}),
    ...(note ? { note } : {}),
  };
  doc.setField('users', user, 'extensions', withTokenRecord(body.extensions, record));
}

/**
 * `changes` (a set or a rotation) with the token recorded in every user entry whose inline token they change to
 * `token`, and in each of `users` (tokenFile users, whose kubeconfig entry the token write does not touch).
 * Recording happens inside the same transaction as the token write.
 */
export function recordingChanges(changes: FileChange[], token: string, update: RecordUpdate, users: Array<{ file: string; user: string }> = []): FileChange[] {
  const recorded = changes.map((change): FileChange => {
    if (!('edit' in change)) return change;
    return {
      file: change.file,
      edit: (doc) => {
        const before = new Map((doc.config.users ?? []).map((u) => [u?.name, u?.user?.token]));
        change.edit(doc);
        // One batch: a rotation of a token 5,000 users share records it in 5,000 entries.
        doc.batch(() => {
          for (const item of doc.config.users ?? []) {
            if (item?.user?.token === token && before.get(item.name) !== token) recordToken(doc, item.name, update);
          }
        });
      },
    };
  });
  return [...recorded, ...users.map(({ file, user }): FileChange => ({ file, edit: (doc) => recordToken(doc, user, update) }))];
}
