import { recentWrites, undoLast } from '../usecases/undo';
import { writeOptions } from './flags';
import { note, Streams } from '../output/streams';
import { warnWideModes } from './file-modes';
import { formatData } from '../output/format';
import { renderTable } from '../output/table';
import type { WriteRecord } from '../files/journal';
import type { CommandArgs, UNDO_OPTIONS } from './options';

export type UndoArgs = CommandArgs<typeof UNDO_OPTIONS>;

/** What `undo --list` shows of a write: never the bytes, never a token. */
const summary = (r: WriteRecord) => ({
  id: r.id,
  time: r.time,
  command: r.command,
  state: r.undoes ? `undo of ${r.undoes}` : r.state,
  files: r.files.map((f) => f.file),
});

/** Restores the files of the last write (`--list`: the recent writes, newest first). */
export async function undo(args: UndoArgs, streams: Streams): Promise<void> {
  if (args.list) {
    const writes = recentWrites(streams.env).map(summary);
    if (args.output) return streams.out(formatData(writes, args.output));
    if (writes.length === 0) return note(streams, 'no writes recorded');
    const rows = writes.map((w) => ({ cells: [w.time, w.command, w.state, w.files.join(', ')] }));
    return streams.out(renderTable(['TIME', 'COMMAND', 'STATE', 'FILES'], rows, streams.outColor));
  }
  const { undone, results, alreadyRestored } = await undoLast(writeOptions('undo', args, streams));
  const verb = args.dryRun ? 'would restore' : 'restored';
  if (alreadyRestored) note(streams, `the files of the ${undone.command} of ${undone.time} were already restored`);
  for (const r of results.filter((x) => x.changed)) {
    note(streams, `${verb} ${r.file}${r.removed ? ' (removed: the write had created it)' : ''}, as before the ${undone.command} of ${undone.time}`);
  }
  warnWideModes(streams, results);
  if (args.output)
    streams.out(formatData({ dryRun: args.dryRun, undone: summary(undone), files: results.filter((x) => x.changed).map((r) => r.file) }, args.output));
}
