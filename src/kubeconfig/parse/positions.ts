import { lineAt } from './goyaml/input';
import { Kind, YNode } from './goyaml/parser';
import { readDocument } from './parse';
import type { PathSegment } from './shape';

/**
 * The 1-based line of the node at `path` (or of its nearest ancestor the syntax tree spells out: a value a merge
 * key supplies has no line of its own). Only the error path uses it.
 */
export function lineOf(text: string, path: PathSegment[]): number | undefined {
  let node = readDocument(text).root;
  let found: YNode | undefined;
  for (const segment of path) {
    while (node?.kind === Kind.Alias) node = node.target;
    if (!node) break;
    found = node;
    node = child(node, segment);
  }
  const at = node ?? found;
  return at ? lineAt(text, at.contentStart) : undefined;
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
