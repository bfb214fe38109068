// A server-side app bundled for Node (esbuild --platform=node) and for Bun (bun build --target=bun)
// by tests/js/bundlers.mjs: the package's `node.js` then reads its wasm relative to the bundle.
// Prints one JSON line: `{ version }`, or `{ error }` (the WorldgateError's JSON, or the foreign error).
import { version, WorldgateError } from 'worldgate';

try {
  console.log(JSON.stringify({ version: version() }));
} catch (error) {
  console.log(JSON.stringify({ error: error instanceof WorldgateError ? error.toJSON() : String(error) }));
}
