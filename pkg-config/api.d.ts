/**
 * An engine error: a stable machine `code`, the JSON pointer `path` of the offending field
 * (`""` for the whole input), a lowercase message and optional `help`. `errors` lists every error
 * when there were several (the first one is also at top level). `instanceof WorldgateError` holds
 * across the ESM and CommonJS builds of the package.
 */
export declare class WorldgateError extends globalThis.Error {
  constructor(message: string, options?: { code?: Code; path?: string; help?: string; errors?: Error[]; cause?: unknown });
  readonly name: "WorldgateError";
  code: Code;
  path: string;
  help?: string;
  errors: Error[];
  /** The HTTP status of the answer, on errors thrown by `WorldgateClient` that had one. */
  status?: number;
  toJSON(): Error & { errors?: Error[] };
}

/**
 * Loads the wasm module once. Browsers must await it before the first call; Node, Deno, Bun and
 * workerd load it synchronously on first use. `source` optionally overrides where the module
 * comes from: a URL or string to fetch, a `Response`, the bytes, or a compiled `WebAssembly.Module`.
 */
export declare function init(source?: unknown): Promise<void>;

/** `await ready` is `await init()`. */
export declare const ready: PromiseLike<void>;

/**
 * A document as the engine reads it: JSON text (YAML too, for policies), its UTF-8 bytes, or a
 * plain object. Objects are read again strictly inside the engine, so any value may be passed;
 * what is not a document is a `WorldgateError` or a failure answer, never a silent pass.
 */
export type DocumentInput = string | Uint8Array | ArrayBuffer | object;

/** A numeric series: a `Float64Array` or an array of numbers (`null` is NaN). */
export type SeriesInput = Float64Array | ArrayLike<number | null>;
