import type { Streams } from '../output/streams';

declare const __CWTOKEN_VERSION__: string | undefined;

/** Compiled in by the build (scripts/build.mjs); read from package.json in the ts-node dev loop. */
export const VERSION: string =
  typeof __CWTOKEN_VERSION__ !== 'undefined' ? __CWTOKEN_VERSION__ : (require('../../package.json') as { version: string }).version;

/** `version` and `--version`: the bare version, which scripts (and the release check) compare. */
export const printVersion = async (_args: unknown, streams: Streams): Promise<void> => streams.out(`${VERSION}\n`);
