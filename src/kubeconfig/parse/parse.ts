import { YamlError } from './goyaml/errors';
import { decodeDocument } from './goyaml/decode';
import { parseDocument, ParsedDocument } from './goyaml/parser';
import { checkShape, formatPath, PathSegment } from './shape';
import { RawConfig } from '../model';
import { describeDuplicate, duplicateNames, duplicatePath } from './duplicates';

/**
 * Text → kubeconfig object, refusing exactly what kubectl refuses to load, with messages that name the problem
 * and never echo a value. Empty and comment-only text is an empty config, as in client-go.
 */
export class ParseError extends Error {
  constructor(
    message: string,
    /** 1-based line, when the YAML parser knows it. */
    readonly line?: number,
    /** Where in the document the problem is, for a caller that wants to look up the line. */
    readonly path?: PathSegment[],
    /** A YAML syntax error, reported the way kubectl does: `yaml: line N: reason`. */
    readonly syntax = false,
  ) {
    super(message);
  }
}

/**
 * The first YAML document of the text as go-yaml v2 reads it (see goyaml/): the syntax tree, with source ranges.
 * go-yaml decodes only that document, so what follows it, broken or not, does not matter to kubectl.
 */
export function readDocument(text: string): ParsedDocument {
  try {
    return parseDocument(text);
  } catch (e) {
    if (e instanceof YamlError) throw new ParseError(e.problem, e.line, undefined, true);
    throw e;
  }
}

/** Text → plain data, as go-yaml v2 and sigs.k8s.io/yaml decode it, before any kubeconfig-specific check. */
export function decodeYaml(text: string, document = readDocument(text)): unknown {
  try {
    return decodeDocument(document.tree, document.root);
  } catch (e) {
    if (e instanceof YamlError) throw new ParseError(e.problem, e.line, undefined, true);
    throw e;
  }
}

function checkDuplicateNames(config: RawConfig): void {
  const [duplicate] = duplicateNames(config);
  if (duplicate) throw new ParseError(`${describeDuplicate(duplicate)}; kubectl refuses to load it: rename or remove one`, undefined, duplicatePath(duplicate));
}

// apimachinery's schema.ParseGroupVersion: "v1" and "/v1" are both the core group's v1.
const V1 = new Set(['v1', '/v1']);

/** A file read as kubectl reads it: its syntax tree and its config. */
export interface ReadKubeconfig {
  syntax: ParsedDocument;
  config: RawConfig;
}

// The last text read: a write reads its file once to plan and again under the lock, and a 7 MB file is worth
// reading once when it has not changed in between. Callers never mutate what they get.
let last: (ReadKubeconfig & { text: string }) | undefined;

/** parseKubeconfig with the syntax tree, remembered for the next read of the same text. */
export function readKubeconfig(text: string): ReadKubeconfig {
  if (last?.text === text) return last;
  const syntax = readDocument(text);
  const config = parseKubeconfig(text, syntax);
  last = { text, syntax, config };
  return last;
}

export function parseKubeconfig(text: string, syntax?: ParsedDocument): RawConfig {
  const document = decodeYaml(text, syntax);
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ParseError('not a kubeconfig: the top level must be a mapping (apiVersion, kind, clusters, users, contexts)');
  }
  const problem = checkShape(document);
  if (problem) throw new ParseError(`${formatPath(problem.path)} ${problem.message}`, undefined, problem.path);
  const config = document as RawConfig;
  // The value is never quoted: it may be a token pasted in the wrong place. The line says where to look.
  if (config.apiVersion && !V1.has(config.apiVersion)) {
    throw new ParseError('apiVersion is not a kubeconfig version kubectl knows (use v1)', undefined, ['apiVersion']);
  }
  if (config.kind && config.kind !== 'Config') {
    throw new ParseError('kind is not a kubeconfig (kind: Config); kubectl refuses this file', undefined, ['kind']);
  }
  checkDuplicateNames(config);
  return config;
}
