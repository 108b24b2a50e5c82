// `npm run build`: the bundle (dist/cwtoken.cjs, run with node by the dev loop) and the standalone executable
// for this machine (dist/kubectl-cwtoken, a Node SEA that needs no node on PATH). A cold cache downloads the
// pinned Node binary from the npm registry once; a warm one with unchanged sources reuses the cached SEA.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { bundle } = require('./lib/bundle.cjs');
const { buildStandalone } = require('./lib/sea.cjs');
const { HOST_BINARY } = require('./lib/paths.cjs');
const { hostTarget } = require('./lib/targets.cjs');

buildStandalone(hostTarget(), { bundle: await bundle(), out: HOST_BINARY });
