import { isNode, LineCounter, parseDocument } from 'yaml';
import type { PathSegment } from './shape';

/**
 * The 1-based line of a node, found with the `yaml` package's source ranges. Only the error path uses it, so the
 * fast read path never pays for a second parser.
 */
export function lineOf(text: string, path: PathSegment[]): number | undefined {
  const { document, lineCounter } = parsed(text);
  for (let depth = path.length; depth > 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The last text parsed: doctor asks for the lines of thousands of findings in one file, which must not parse it each time. */
let last: { text: string; document: ReturnType<typeof parseDocument>; lineCounter: LineCounter } | undefined;

function parsed(text: string) {
  if (last?.text !== text) {
    const lineCounter = new LineCounter();
    last = { text, document: parseDocument(text, { lineCounter, uniqueKeys: false, version: '1.1' }), lineCounter };
  }
  return last;
}
