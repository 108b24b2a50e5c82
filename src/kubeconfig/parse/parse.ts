import { load, YAMLException } from 'js-yaml';
import { GO_YAML_V2_SCHEMA } from './yaml-schema';
import { applyMerges, MergeKeyError } from './merge-keys';
import { goYamlFlowScalarProblem } from './flow-scalars';
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
 * The text of the first YAML document: go-yaml decodes only that one, so what follows a second `---` (or an
 * end marker `...`), broken or not, does not matter to kubectl.
 */
export function firstDocument(text: string): string {
  if (!/^(---|\.\.\.)/m.test(text)) return text;
  let started = false;
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    const marker = /^(---|\.\.\.)(?=[ \t\r]|$)/.exec(line)?.[1];
    if (marker && started) return text.slice(0, at);
    if (marker === '---' || (!marker && /^[ \t]*[^ \t\r#%]/.test(line))) started = true;
    if (end < 0) break;
    at = end + 1;
  }
  return text;
}

/** Text → plain data, as go-yaml v2 decodes it, before any kubeconfig-specific check. */
export function decodeYaml(text: string): unknown {
  try {
    // json: true lets a repeated key override the earlier one, as go-yaml v2 (and so kubectl) does; go-yaml
    // decodes only the first document of a multi-document file, so that is the kubeconfig.
    const first = firstDocument(text);
    const document = load(first, { schema: GO_YAML_V2_SCHEMA, json: true });
    const flowLine = goYamlFlowScalarProblem(first);
    if (flowLine !== undefined) {
      throw new ParseError("did not find expected ',' or '}' (a plain value in {…} or […] with '?' or a leading ':'; quote it)", flowLine, undefined, true);
    }
    return first.includes('<<') ? applyMerges(document) : document;
  } catch (e) {
    if (e instanceof YAMLException) throw new ParseError(e.reason, e.mark ? e.mark.line + 1 : undefined, undefined, true);
    if (e instanceof MergeKeyError) throw new ParseError(e.message, undefined, undefined, true);
    throw e;
  }
}

function checkDuplicateNames(config: RawConfig): void {
  const [duplicate] = duplicateNames(config);
  if (duplicate) throw new ParseError(`${describeDuplicate(duplicate)}; kubectl refuses to load it: rename or remove one`, undefined, duplicatePath(duplicate));
}

export function parseKubeconfig(text: string): RawConfig {
  const document = decodeYaml(text);
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ParseError('not a kubeconfig: the top level must be a mapping (apiVersion, kind, clusters, users, contexts)');
  }
  const problem = checkShape(document);
  if (problem) throw new ParseError(`${formatPath(problem.path)} ${problem.message}`, undefined, problem.path);
  const config = document as RawConfig;
  if (config.apiVersion && config.apiVersion !== 'v1') {
    throw new ParseError(`apiVersion "${config.apiVersion}" is not a kubeconfig version kubectl knows (use v1)`, undefined, ['apiVersion']);
  }
  if (config.kind && config.kind !== 'Config') {
    throw new ParseError(`kind "${config.kind}" is not a kubeconfig (kind: Config); kubectl refuses this file`, undefined, ['kind']);
  }
  checkDuplicateNames(config);
  return config;
}
