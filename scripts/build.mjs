// `npm run build`: the bundle's chunks in dist/ (`node dist/cwtoken.cjs` runs the dev loop) and, built with pkg, the
// standalone executable for this machine (dist/kubectl-cwtoken, a Node SEA that needs no node on PATH). A cold
// cache downloads the pinned Node binary from the npm registry once; a warm one with unchanged sources reuses the
// cached executable.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { bundle } = require('./lib/bundle.cjs');
const { buildStandalone } = require('./lib/standalone.cjs');
const { HOST_BINARY } = require('./lib/paths.cjs');
const { hostTarget } = require('./lib/targets.cjs');

buildStandalone(hostTarget(), { payload: await bundle(), out: HOST_BINARY });
