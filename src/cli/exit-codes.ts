import type { ErrorKind } from '../errors';

/** Exit codes, documented in the README. 1 is for anything unexpected; 2 for bad usage, as in most CLIs. */
export const EXIT_CODES: Record<ErrorKind | 'unexpected' | 'usage', number> = {
  unexpected: 1,
  usage: 2,
  config: 3,
  'not-found': 4,
  'no-token': 5,
  'invalid-input': 6,
  lock: 7,
  write: 8,
  verify: 9,
  problems: 10,
};
