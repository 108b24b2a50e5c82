import type { TokenChange } from '../usecases/token/plan';
import type { FileResult } from '../files/transaction';
import { formatData } from './format';
import { redact } from '../secrets/redact';
import { note, Streams } from './streams';
import { warnWideModes } from './file-modes';

/** Summary lines on stderr and, with -o json, the same data on stdout: tokens redacted in both. */
export function reportTokenChanges(
  streams: Streams,
  changes: TokenChange[],
  results: FileResult[],
  options: { dryRun: boolean; output?: string; extra?: Record<string, unknown> },
): void {
  const verb = options.dryRun ? 'would write' : 'wrote';
  for (const c of changes) {
    const where = c.field === 'tokenFile' ? `tokenFile "${c.tokenFile}" of user "${c.user}" (${c.file})` : `user "${c.user}" in ${c.file}`;
    const what = c.created ? `new user, token ${redact(c.new)}` : `token ${redact(c.old) || '(none)'} → ${redact(c.new)}`;
    note(streams, `${verb} ${where}: ${what}`);
  }
  if (changes.length === 0) note(streams, 'nothing to change');
  warnWideModes(streams, results);
  if (options.output) {
    const data = {
      ...options.extra,
      dryRun: options.dryRun,
      changes: changes.map((c) => ({ ...c, old: c.old === undefined ? undefined : redact(c.old), new: redact(c.new) })),
    };
    streams.out(formatData(data, options.output === 'yaml' ? 'yaml' : 'json'));
  }
}
