import type { CST } from 'yaml';

/**
 * go-yaml v2's scanner ends a plain scalar at `?` inside a flow collection and takes a leading `:` there for a
 * value indicator, so `{token: a?b}` or `[:x]` make kubectl refuse the whole file, while YAML 1.2 parsers
 * (js-yaml) read them as strings. Returns the 1-based line of the first such scalar. Uses the yaml package's
 * CST, and only runs when the text could hold one: large block-style files never pay for it.
 */
export function goYamlFlowScalarProblem(text: string): number | undefined {
  if (!/[{[]/.test(text) || !/\?|[{[,:][ \t]*:/.test(text)) return undefined;
  // Required here, not imported: the yaml package must not load on get's path unless a file needs it.
  const { Parser } = require('yaml') as typeof import('yaml');
  for (const token of new Parser().parse(text)) {
    const offset = find(token, false);
    if (offset !== undefined) return text.slice(0, offset).split('\n').length;
  }
  return undefined;
}

type Item = { key?: CST.Token | null; value?: CST.Token | null };

function find(token: CST.Token | null | undefined, inFlow: boolean): number | undefined {
  if (!token) return undefined;
  switch (token.type) {
    case 'document':
      return find(token.value, false);
    case 'scalar':
      return inFlow && (token.source.includes('?') || token.source.startsWith(':')) ? token.offset : undefined;
    case 'block-map':
    case 'block-seq':
      return findInItems(token.items as Item[], false);
    case 'flow-collection':
      return findInItems(token.items as Item[], true);
    default:
      return undefined;
  }
}

function findInItems(items: Item[], inFlow: boolean): number | undefined {
  for (const item of items) {
    const offset = find(item.key, inFlow) ?? find(item.value, inFlow);
    if (offset !== undefined) return offset;
  }
  return undefined;
}
