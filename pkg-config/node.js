// Node.js (and Deno, Bun) entry: the wasm is read from disk and compiled synchronously on first use.
// The digests use node:crypto's SHA-256 (OpenSSL, with the CPU's SHA instructions) for large inputs.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { configure } from './api.js';

configure({
  load: () => readFileSync(new URL('./worldgate_bg.wasm', import.meta.url)),
  sha256: (bytes) => createHash('sha256').update(bytes).digest(),
});

export * from './exports.js';
