/**
 * Every failure the product reports on purpose is one of these. The CLI maps them to exit codes in one place
 * (src/cli/exit-codes.ts) and prints `message` as one line; nothing here may ever contain a token value.
 */
export type ErrorKind =
  | 'config' // no kubeconfig, unreadable/malformed file, duplicate names: kubectl could not load it either
  | 'not-found' // context, user or current-context that does not exist
  | 'no-token' // the selected user has no usable bearer token
  | 'invalid-input' // a token or argument we refuse before touching anything
  | 'lock' // a <file>.lock we could not take in time
  | 'write' // a write that failed (and was rolled back)
  | 'verify' // the API server rejected the token or could not be reached
  | 'problems'; // doctor found problems (the kubeconfig loaded, or doctor says which file did not)

/**
 * A remedy that is a command of this CLI. The core names it as data; the command layer words it with the CLI's
 * own prefix (src/commands/hints.ts), so nothing below src/commands spells the command line.
 */
export type Hint =
  /** `set --user NAME` gives the user a (new) token. */
  | { key: 'set-token'; user: string }
  /** `get --user NAME` shows which token is sent. */
  | { key: 'get-token'; user: string }
  /** `doctor --fix` applies the safe fixes. */
  | { key: 'doctor-fix' }
  /** `set --replace-auth` moves a user that authenticates otherwise to a bearer token. */
  | { key: 'replace-auth'; user: string }
  /** `use CONTEXT` switches; `use` alone lists the contexts. */
  | { key: 'use-context' }
  /** `import FILE --use` adds a kubeconfig and switches to its context. */
  | { key: 'import-use' }
  /** `undo --list` shows the recorded writes. */
  | { key: 'undo-list' }
  /** `import FILE` merges a file of the chain into the default one. */
  | { key: 'import-file'; file: string };

export interface CwErrorOptions {
  /** The error this one wraps: shown, with its own causes, only with --debug. */
  cause?: unknown;
  /** Extra detail shown only with --debug. */
  detail?: string;
  /** What to run next, appended to the message by the command layer. */
  hint?: Hint;
}

export class CwError extends Error {
  readonly detail?: string;
  readonly hint?: Hint;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: CwErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CwError';
    this.detail = options.detail;
    this.hint = options.hint;
  }
}

/**
 * A bug in kubectl-cwtoken, not in the user's input or files: exit 1 with "please report" (README, exit codes).
 * Thrown where our own invariant breaks, e.g. an edit that would leave a file kubectl cannot read.
 */
export class InternalError extends Error {
  readonly detail?: string;

  constructor(message: string, options: { cause?: unknown; detail?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InternalError';
    this.detail = options.detail;
  }
}

/** The errno code of a Node.js system error, if it is one. */
export const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

/** What went wrong, short: the errno code (ENOENT, EACCES, …), else the message. */
export const errorCode = (e: unknown): string => errno(e) ?? (e as Error).message;

export const configError = (message: string, options?: CwErrorOptions) => new CwError('config', message, options);
export const notFound = (message: string) => new CwError('not-found', message);
export const noToken = (message: string, options?: CwErrorOptions) => new CwError('no-token', message, options);
export const invalidInput = (message: string) => new CwError('invalid-input', message);
