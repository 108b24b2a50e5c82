// Every test file gets its own empty HOME for the processes it starts (support/kubectl.ts cleanEnv) and its own
// state directory for in-process writes (undo history): a test never reads a developer's ~/.kube/config and never
// writes into the real ~/.local/state or ~/.cache.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

process.env.XDG_STATE_HOME = mkdtempSync(path.join(tmpdir(), 'cwtoken-state-'));
process.env.CWTOKEN_TEST_HOME = mkdtempSync(path.join(tmpdir(), 'cwtoken-home-'));
