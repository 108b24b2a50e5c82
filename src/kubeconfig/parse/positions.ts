import { endsLine } from './goyaml/input';
import { Kind, ParsedDocument, SyntaxTree, YNode } from './goyaml/parser';
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
    const at = nodeAt(document.tree, document.root, path);
    if (at === undefined) return undefined;
    breaks ??= lineBreaks(text);
    // 1 + the breaks before the offset, as lineAt counts them.
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < document.tree.contentStart(at)) lo = mid + 1;
      else hi = mid;
    }
    return 1 + lo;
  };
}

function nodeAt(tree: SyntaxTree, root: YNode | undefined, path: PathSegment[]): YNode | undefined {
  let node = root;
  let found: YNode | undefined;
  for (const segment of path) {
    while (node !== undefined && tree.kind(node) === Kind.Alias) node = tree.target(node);
    if (node === undefined) break;
    found = node;
    node = child(tree, node, segment);
  }
  return node ?? found;
}

/** The offsets where lines end, as lineAt counts them. */
function lineBreaks(text: string): number[] {
  const breaks: number[] = [];
  for (let i = 0; i < text.length; i++) if (endsLine(text, i)) breaks.push(i);
  return breaks;
}

function child(tree: SyntaxTree, node: YNode, segment: PathSegment): YNode | undefined {
  if (tree.kind(node) === Kind.Sequence)
    return typeof segment === 'number' && segment >= 0 && segment < tree.childCount(node) ? tree.child(node, segment) : undefined;
  return tree.valueOf(node, String(segment));
}
