import type { FileResult } from '../files/transaction';
import { Streams, warn } from '../output/streams';

/** A written file others can read keeps its mode (the user chose it), but every writer says what that means. */
export function warnWideModes(streams: Streams, results: FileResult[]): void {
  for (const r of results.filter((x) => x.changed && !x.removed && x.wideMode)) {
    warn(streams, `"${r.file}" has mode 0${r.mode.toString(8)}: other users can read the token in it; consider chmod 600 "${r.target}"`);
  }
}
