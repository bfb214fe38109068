/**
 * The JSON Schema of a published document (compact JSON text, equal once parsed to the package's
 * `schema/<name>.json`), or `undefined` for an unknown name. The schemas ship in the package's
 * `schemas.js` module, which bundlers leave out when neither `schemaFor` nor `schemaNames` is used.
 */
export function schemaFor(name: string): string | undefined;

/** Names accepted by `schemaFor`. */
export function schemaNames(): string[];
