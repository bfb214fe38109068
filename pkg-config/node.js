// Node.js (and Deno, Bun) entry: the wasm is read from disk and compiled synchronously on first use.
import { readFileSync } from 'node:fs';
import { configure } from './api.js';

configure({ load: () => readFileSync(new URL('./worldgate_bg.wasm', import.meta.url)) });

export * from './exports.js';
