import { Kind, ParsedDocument, YNode } from './goyaml/parser';
import { readDocument } from './parse';
import type { PathSegment } from './shape';

/**
 * The 1-based line of the node at `path` (or of its nearest ancestor the syntax tree spells out: a value a merge
 * key supplies has no line of its own). Only the error path uses it.
 */
export function lineOf(text: string, path: PathSegment[]): number | undefined {
  return lineFinder(text)(path);
}

/**
 * lineOf for many paths of one text (doctor's findings): the document parsed once, the line breaks found once,
 * so that thousands of findings in a 20 MB file cost no more than one.
 */
export function lineFinder(text: string, document: ParsedDocument = readDocument(text)): (path: PathSegment[]) => number | undefined {
  let breaks: number[] | undefined;
  return (path) => {
    const at = nodeAt(document.root, path);
    if (!at) return undefined;
    breaks ??= lineBreaks(text);
    // 1 + the breaks before the offset, as lineAt counts them.
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < at.contentStart) lo = mid + 1;
      else hi = mid;
    }
    return 1 + lo;
  };
}

function nodeAt(root: YNode | undefined, path: PathSegment[]): YNode | undefined {
  let node = root;
  let found: YNode | undefined;
  for (const segment of path) {
    while (node?.kind === Kind.Alias) node = node.target;
    if (!node) break;
    found = node;
    node = child(node, segment);
  }
  return node ?? found;
}

/** The offsets of the line breaks lineAt counts (LF, NEL, LS, PS, a CR not before an LF). */
function lineBreaks(text: string): number[] {
  const breaks: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) breaks.push(i);
  }
  return breaks;
}

function child(node: YNode, segment: PathSegment): YNode | undefined {
  if (node.kind === Kind.Sequence) return typeof segment === 'number' ? node.children[segment] : undefined;
  if (node.kind !== Kind.Mapping) return undefined;
  // The last pair wins, as in go-yaml.
  for (let i = node.children.length - 2; i >= 0; i -= 2) {
    const key = node.children[i];
    if (key.kind === Kind.Scalar && key.value === String(segment)) return node.children[i + 1];
  }
  return undefined;
}
