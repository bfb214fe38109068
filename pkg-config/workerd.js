// Cloudflare Workers (workerd) entry: the bundler/runtime imports the .wasm as a compiled
// WebAssembly.Module; it is instantiated lazily on first use (inside a request handler).
import wasmModule from './worldgate_bg.wasm';
import { configure } from './api.js';

// With the `nodejs_compat` flag, node:crypto's synchronous SHA-256 (BoringSSL) hashes large inputs.
const nodeCrypto = globalThis.process?.getBuiltinModule?.('node:crypto');
configure({
  load: () => wasmModule,
  sha256: nodeCrypto && ((bytes) => nodeCrypto.createHash('sha256').update(bytes).digest()),
});

export * from './exports.js';
