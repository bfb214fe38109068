// `schemaFor` and `schemaNames`: the published JSON Schemas. Their text is here, packed (each
// `$defs` entry once across all documents, no layout whitespace; src/schema/packed/), and not in
// the wasm: an application that never calls them leaves this module out of its bundle (the
// package declares it free of side effects), and the wasm it downloads is that much smaller.
// The wasm unpacks a document from this text (src/js/schemas.rs), so the answers are the
// engine's, in every runtime, exactly as when the text lived in the wasm.
//
// scripts/pkg/assemble.mjs substitutes the packed text of the entry's build (the whole engine's
// documents, or `worldgate/core`'s) for the placeholder below. No schema logic lives here.
import { wrapFunction } from './api.js';

const PACKED = '__WORLDGATE_PACKED_SCHEMAS__';
const unpack = /* @__PURE__ */ wrapFunction('__wgSchemaFor');
const names = /* @__PURE__ */ wrapFunction('__wgSchemaNames');

/** The JSON Schema (compact text) of a published document, or `undefined` for an unknown name. */
export function schemaFor(name) {
  return unpack(PACKED, name);
}

/** The names `schemaFor` accepts, in the order of the shipped documents. */
export function schemaNames() {
  return names(PACKED);
}
