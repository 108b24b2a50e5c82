/**
 * A document go-yaml v2 refuses. `problem` is go-yaml's own wording (never a value from the document, so never a
 * token); `line` is the 1-based line of the problem, when there is one.
 */
export class YamlError extends Error {
  constructor(
    readonly problem: string,
    readonly line?: number,
    /** UTF-16 offset of the problem in the text, when known. */
    readonly offset?: number,
    /** go-yaml's context ("while scanning a simple key"), for --debug. */
    readonly context?: string,
    readonly contextLine?: number,
  ) {
    super(problem);
  }
}
