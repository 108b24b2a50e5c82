import type { MergedConfig } from '../../kubeconfig/model';
import { byteOrder } from '../../text/byte-order';
import { redact } from '../../secrets/redact';
import { credentialOf } from './credential';
import { expiryState, shortDuration, tokenRecord } from './token-record';

/** One token user as `status` reports it: never the token itself. */
export interface TokenStatus {
  user: string;
  /** The kubeconfig file that defines the user. */
  file: string;
  /** Where the token is kept: the kubeconfig itself, a tokenFile, or the token store. */
  kind: string;
  /** The file holding the token, when that is not `file`. */
  tokenFile?: string;
  token: string;
  rotatedAt?: string;
  /** Since rotatedAt, as kubectl prints ages ("12d"). */
  age?: string;
  expiresAt?: string;
  expiry: 'unknown' | 'valid' | 'expiring' | 'expired';
  note?: string;
  /** Merged contexts that use the user. */
  contexts: string[];
}

/** Every merged user with a bearer token, by name; users authenticating otherwise are left out. */
export function tokenStatuses(config: MergedConfig, now: Date = new Date()): TokenStatus[] {
  const users = [...config.users.values()].sort((a, b) => byteOrder(a.name, b.name));
  return users.flatMap((user) => {
    let credential;
    try {
      credential = credentialOf(user);
    } catch {
      return [];
    }
    const record = tokenRecord(user.value);
    const expiry = expiryState(record, now);
    const rotated = record?.rotatedAt ? new Date(record.rotatedAt) : undefined;
    const contexts = [...config.contexts.values()]
      .filter((c) => c.value.user === user.name)
      .map((c) => c.name)
      .sort(byteOrder);
    return [
      {
        user: user.name,
        file: user.origin.file,
        kind: credential.kind,
        ...(credential.file !== user.origin.file ? { tokenFile: credential.file } : {}),
        token: redact(credential.token),
        ...(record?.rotatedAt ? { rotatedAt: record.rotatedAt } : {}),
        ...(rotated && !Number.isNaN(rotated.getTime()) ? { age: shortDuration(now.getTime() - rotated.getTime()) } : {}),
        ...(record?.expiresAt ? { expiresAt: record.expiresAt } : {}),
        expiry: expiry.state,
        ...(record?.note ? { note: record.note } : {}),
        contexts,
      },
    ];
  });
}

/** "in 5d", "expired 2d ago", or "-" when unknown. */
export function describeExpiry(status: TokenStatus, now: Date = new Date()): string {
  if (!status.expiresAt) return '-';
  const ms = new Date(status.expiresAt).getTime() - now.getTime();
  return ms <= 0 ? `expired ${shortDuration(ms)} ago` : `in ${shortDuration(ms)}`;
}
