// In-process writes keep a history (undo) in the state directory: each jest worker gets its own, never ~/.local/state.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

process.env.XDG_STATE_HOME = mkdtempSync(path.join(tmpdir(), 'cwtoken-state-'));
