// Cloudflare Workers (workerd) entry: the bundler/runtime imports the .wasm as a compiled
// WebAssembly.Module; it is instantiated lazily on first use (inside a request handler).
import wasmModule from './worldgate_bg.wasm';
import { configure } from './api.js';

configure({ load: () => wasmModule });

export * from './exports.js';
