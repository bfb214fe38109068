// Browser and bundler entry: `await init()` (or `await ready`) fetches and compiles the wasm next to
// this file (bundlers such as Vite and webpack pick up the `new URL(…, import.meta.url)` asset).
import { configure } from './api.js';

configure({ locate: () => new URL('./worldgate_bg.wasm', import.meta.url) });

export * from './exports.js';
