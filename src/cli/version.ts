declare const __CWTOKEN_VERSION__: string | undefined;

/** Compiled in by the build (scripts/build.mjs); read from package.json in the ts-node dev loop. */
export const VERSION: string =
  typeof __CWTOKEN_VERSION__ !== 'undefined' ? __CWTOKEN_VERSION__ : (require('../../package.json') as { version: string }).version;
