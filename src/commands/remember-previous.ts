import { errorCode } from '../errors';
import { Streams, warn } from '../output/streams';
import { savePreviousContext } from '../state/previous-context';

/** The previous context is a convenience: failing to save it must not fail a switch that already happened. */
export async function rememberPrevious(file: string, context: string, streams: Streams): Promise<void> {
  try {
    await savePreviousContext(file, context, streams.env);
  } catch (e) {
    warn(streams, `could not remember "${context}" for \`use -\` (${errorCode(e)})`);
  }
}
