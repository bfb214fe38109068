// Deno entry: the wasm is a source-phase import (`import source`), which Deno loads as it loads
// this module: no `--allow-read` (nor any other permission) is needed (tests/js/bundlers.mjs runs
// `deno run --no-prompt` on the installed package). Compiled at import, instantiated on first use.
// The digests use node:crypto's SHA-256 (Deno's built-in Node compatibility) for large inputs.
import source wasmModule from './worldgate_bg.wasm';
import { createHash } from 'node:crypto';
import { configure } from './api.js';

configure({
  load: () => wasmModule,
  sha256: (bytes) => createHash('sha256').update(bytes).digest(),
});

export * from './exports.js';
