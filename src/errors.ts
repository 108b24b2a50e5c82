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

export class CwError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Extra detail shown only with --debug. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'CwError';
  }
}

/** The errno code of a Node.js system error, if it is one. */
export const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

/** What went wrong, short: the errno code (ENOENT, EACCES, …), else the message. */
export const errorCode = (e: unknown): string => errno(e) ?? (e as Error).message;

export const configError = (message: string, detail?: string) => new CwError('config', message, detail);
export const notFound = (message: string) => new CwError('not-found', message);
export const noToken = (message: string) => new CwError('no-token', message);
export const invalidInput = (message: string) => new CwError('invalid-input', message);
