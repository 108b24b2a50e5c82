import type { TokenChange } from '../usecases/token/plan';
import type { FileResult } from '../files/transaction';
import { formatData } from '../output/format';
import { redact } from '../secrets/redact';
import { note, Streams, warn } from '../output/streams';

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
  for (const r of results.filter((x) => x.changed && x.wideMode)) {
    warn(streams, `"${r.file}" has mode 0${r.mode.toString(8)}: other users can read the token in it; consider chmod 600 "${r.target}"`);
  }
  if (options.output) {
    const data = {
      ...options.extra,
      dryRun: options.dryRun,
      changes: changes.map((c) => ({ ...c, old: c.old === undefined ? undefined : redact(c.old), new: redact(c.new) })),
    };
    streams.out(formatData(data, options.output === 'yaml' ? 'yaml' : 'json'));
  }
}
