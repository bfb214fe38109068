// The one description of the API (OpenAPI 3.1). Served at `/openapi.json`; the tests check every
// response the worker gives against the path, method and status documented here. Wire documents
// (run status, metrics, snapshot, error, bundle) are the engine's generated JSON Schemas, embedded
// at request time with `schemaFor`.

const err = (description) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
const ok = (description, ref) => ({
  description,
  content: { "application/json": { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: "object" } } },
});

const E401 = err("missing or unknown bearer token (`E_UNAUTHORIZED`)");
const E403 = err("token not valid for this world or lacking the scope (`E_FORBIDDEN`)");
const E404 = err("no such run, snapshot or policy version (`E_RUN_NOT_FOUND`)");
const E422 = err("invalid id or parameter (`E_ID_INVALID`, `E_INVALID_VALUE`)");
const E413 = err("body larger than the limit (`E_TOO_LARGE`)");
const E415 = err("body is not `application/json` (`E_UNSUPPORTED_MEDIA_TYPE`)");
const E400 = err("body is not JSON (`E_PARSE`)");
const E405 = err("method not allowed on this path (`E_METHOD_NOT_ALLOWED`)");

const p = (name, description) => ({ name, in: "path", required: true, description, schema: { type: "string" } });
const world = p("world", "world id (safe id)");
const strategy = p("strategy", "strategy id (safe id)");
const run = p("run", "run id, or `latest` for the strategy's newest run");
const auth = [{ bearer: [] }];
const jsonBody = (ref, description) => ({
  required: true,
  description,
  content: { "application/json": { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: "object" } } },
});

/** Paths → methods → operation. */
export const paths = {
  "/healthz": {
    get: { operationId: "healthz", summary: "Liveness and engine version", responses: { 200: ok("service is up") } },
  },
  "/openapi.json": {
    get: { operationId: "openapi", summary: "This document", responses: { 200: ok("OpenAPI 3.1 document") } },
  },
  "/validate": {
    post: {
      operationId: "validate",
      summary: "Dry-run the gate on a bundle (stores nothing)",
      description:
        "Validates, recomputes, sanitizes, digests and gates the bundle with the world's current policy (`?world=`, needs `read` on it) or the built-in default policy. Any valid token may call it.",
      security: auth,
      parameters: [{ name: "world", in: "query", required: false, schema: { type: "string" } }],
      requestBody: jsonBody("Bundle", "an evaluation bundle"),
      responses: { 200: ok("gate result, not stored", "GateResult"), 400: E400, 401: E401, 403: E403, 413: E413, 415: E415, 422: err("the gate refused the bundle (`E_SCHEMA`, `E_METRICS_MISMATCH`, `E_ID_INVALID`, …)") },
    },
  },
  "/worlds/{world}/runs": {
    post: {
      operationId: "uploadBundle",
      summary: "Upload a bundle: gate it with the world's policy and store its evaluation runs",
      description:
        "Idempotent: identical bytes (same input digest) answer 200 with the existing runs; an `Idempotency-Key` replays its first answer and refuses (422) a different body. Needs the `submit` scope.",
      security: auth,
      parameters: [
        world,
        { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } },
        { name: "Prefer", in: "header", required: false, schema: { type: "string" }, description: "`respond-async`: answer 202 with the runs at `submitted`; the world publishes them (→ `evaluated`) shortly after" },
      ],
      requestBody: jsonBody("Bundle", "an evaluation bundle for this world"),
      responses: {
        201: ok("runs created", "UploadResult"),
        202: ok("runs registered at `submitted`; metrics answer 409 until they are evaluated", "UploadResult"),
        200: ok("replay: the runs of an identical earlier upload", "UploadResult"),
        400: E400,
        401: E401,
        403: E403,
        413: E413,
        415: E415,
        422: err("the gate refused the bundle, or the Idempotency-Key was used with another body"),
      },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs": {
    get: {
      operationId: "listRuns",
      summary: "A strategy's runs, newest first",
      security: auth,
      parameters: [
        world,
        strategy,
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
        { name: "cursor", in: "query", required: false, schema: { type: "string" }, description: "`next_cursor` of the previous page" },
      ],
      responses: { 200: ok("a page of run status documents", "RunPage"), 401: E401, 403: E403, 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}": {
    get: {
      operationId: "getRun",
      summary: "Run status document (seed §3.1)",
      security: auth,
      parameters: [world, strategy, run],
      responses: { 200: ok("status", "RunStatus"), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/metrics": {
    get: {
      operationId: "getRunMetrics",
      summary: "Metrics document of an evaluated run (seed §3.2)",
      security: auth,
      parameters: [world, strategy, run],
      responses: {
        200: ok("metrics", "MetricsDocument"),
        401: E401,
        403: E403,
        404: E404,
        409: err("the run is not evaluated yet (`E_RUN_NOT_EVALUATED`)"),
        422: E422,
      },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/history": {
    get: {
      operationId: "getRunHistory",
      summary: "Append-only revisions of the run's status document",
      security: auth,
      parameters: [world, strategy, run],
      responses: { 200: ok("revisions, oldest first", "RunHistory"), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/series/{name}": {
    get: {
      operationId: "getRunSeries",
      summary: "A full series referenced from the snapshot's `storage_refs` (`edge_*_series`)",
      security: auth,
      parameters: [world, strategy, run, { ...p("name", "series name"), schema: { type: "string", enum: ["returns", "equity", "pnl"] } }],
      responses: { 200: ok("the series"), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/transitions": {
    post: {
      operationId: "transitionRun",
      summary: "Move a run through the state machine",
      description:
        "`{to: activated|rejected|expired, reason}`. The engine's state machine decides: `E_ILLEGAL_TRANSITION` or `E_RUN_IMMUTABLE` (409). Activating a run expires the strategy's previously active run. Needs `admin`.",
      security: auth,
      parameters: [world, strategy, run],
      requestBody: jsonBody("TransitionRequest", "target state and reason"),
      responses: {
        200: ok("the run's new status", "RunStatus"),
        400: E400,
        401: E401,
        403: E403,
        404: E404,
        409: err("not allowed by the state machine (`E_ILLEGAL_TRANSITION`, `E_RUN_IMMUTABLE`)"),
        413: E413,
        415: E415,
        422: err("body has the wrong shape (`E_SCHEMA`) or an id is invalid"),
      },
    },
  },
  "/worlds/{world}/snapshots/{snapshot}": {
    get: {
      operationId: "getSnapshot",
      summary: "Snapshot envelope (seed §3.3)",
      security: auth,
      parameters: [world, p("snapshot", "snapshot id")],
      responses: { 200: ok("snapshot", "Snapshot"), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/activation": {
    get: {
      operationId: "getActivation",
      summary: "Active set, weights, hysteresis state and the last decision",
      security: auth,
      parameters: [world],
      responses: { 200: ok("activation", "Activation"), 401: E401, 403: E403, 422: E422 },
    },
  },
  "/worlds/{world}/policy": {
    get: {
      operationId: "getPolicy",
      summary: "Current policy version (or `?version=n`); version 0 is the built-in default",
      security: auth,
      parameters: [world, { name: "version", in: "query", required: false, schema: { type: "integer", minimum: 0 } }],
      responses: { 200: ok("policy version", "PolicyVersion"), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
    put: {
      operationId: "putPolicy",
      summary: "Store a new immutable policy version (201); an unchanged policy answers 200",
      security: auth,
      parameters: [world, { name: "dialect", in: "query", required: false, schema: { type: "string", enum: ["strict", "qmtl"], default: "strict" } }],
      requestBody: {
        required: true,
        description: "a policy document in the chosen dialect (JSON, or YAML as `application/yaml`)",
        content: { "application/json": { schema: { type: "object" } }, "application/yaml": { schema: { type: "string" } } },
      },
      responses: {
        201: ok("new version", "PolicyVersion"),
        200: ok("same ruleset as the current version; nothing stored", "PolicyVersion"),
        400: E400,
        401: E401,
        403: E403,
        413: E413,
        415: E415,
        422: err("not a valid policy (`E_POLICY_INVALID`, `E_SCHEMA`, …)"),
      },
    },
  },
  "/worlds/{world}/policy/versions": {
    get: {
      operationId: "listPolicyVersions",
      summary: "Every policy version of the world",
      security: auth,
      parameters: [world],
      responses: { 200: ok("versions"), 401: E401, 403: E403, 422: E422 },
    },
  },
};

const local = {
  Error: {
    type: "object",
    required: ["code", "message", "path"],
    properties: {
      code: { type: "string", pattern: "^E_[A-Z_]+$" },
      message: { type: "string" },
      path: { type: "string", description: "RFC 6901 JSON pointer into the input" },
      help: { type: "string" },
      errors: { type: "array", items: { type: "object" }, description: "every error, when there is more than one" },
    },
  },
  TransitionRequest: {
    type: "object",
    additionalProperties: false,
    required: ["to"],
    properties: { to: { type: "string", enum: ["activated", "rejected", "expired"] }, reason: { type: "string", maxLength: 1000 } },
  },
  UploadResult: {
    type: "object",
    required: ["world_id", "input_digest", "result_digest", "ruleset_hash", "policy_version", "runs", "replayed"],
    properties: {
      world_id: { type: "string" },
      input_digest: { type: "string" },
      result_digest: { type: "string" },
      ruleset_hash: { type: "string" },
      policy_version: { type: "integer" },
      decision: {},
      selected: { type: "array", items: { type: "string" }, description: "strategies the policy selected, in rank order" },
      rejected: { type: "array", items: { type: "string" }, description: "strategies whose verdict is `invalid`" },
      redactions: { type: "array", items: { type: "object", required: ["path", "kind"] }, description: "what the engine's sanitizer removed before storage" },
      runs: { type: "array", items: { $ref: "#/components/schemas/RunStatus" } },
      replayed: { type: "boolean" },
      created_at: { type: "string" },
    },
  },
  GateResult: { type: "object", required: ["input_digest", "stored"], properties: { stored: { const: false } } },
  RunPage: {
    type: "object",
    required: ["runs", "next_cursor"],
    properties: { runs: { type: "array", items: { $ref: "#/components/schemas/RunStatus" } }, next_cursor: { type: ["string", "null"] } },
  },
  RunHistory: {
    type: "object",
    required: ["run_id", "revisions"],
    properties: {
      revisions: {
        type: "array",
        items: {
          type: "object",
          required: ["rev", "at", "status", "document"],
          properties: { rev: { type: "integer" }, at: { type: "string" }, status: { type: "string" }, reason: { type: ["string", "null"] }, actor: { type: ["string", "null"] }, document: { $ref: "#/components/schemas/RunStatus" } },
        },
      },
    },
  },
  Activation: {
    type: "object",
    required: ["world_id", "active"],
    properties: {
      active: { type: "array", items: { type: "object", properties: { strategy_id: { type: "string" }, run_id: { type: "string" }, weight: { type: ["number", "null"] } } } },
      hysteresis: { description: "the engine's activation state (`{epoch, strategies}`), or null before the first upload" },
      last_decision: {},
      updated_at: { type: ["string", "null"] },
    },
  },
  PolicyVersion: {
    type: "object",
    required: ["world_id", "version", "ruleset_hash", "dialect"],
    properties: { version: { type: "integer" }, ruleset_hash: { type: "string" }, dialect: { type: "string" }, source: { type: ["string", "null"] }, resolved: {} },
  },
};

/** Engine schemas embedded as components (name in the package → component name). */
const ENGINE_SCHEMAS = { "run-status": "RunStatus", "metrics-document": "MetricsDocument", snapshot: "Snapshot", bundle: "Bundle" };

/** The OpenAPI document; `schemaFor` is the engine's (absent schemas become open objects). */
export function build(schemaFor, version) {
  const schemas = { ...local };
  for (const [name, component] of Object.entries(ENGINE_SCHEMAS)) {
    let s = null;
    try {
      const text = schemaFor ? schemaFor(name) : null;
      s = text ? JSON.parse(text) : null;
    } catch {
      s = null;
    }
    schemas[component] = s ? { ...s, $id: `https://worldgate.invalid/schema/${name}.json`, $schema: undefined } : { type: "object" };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "worldgate evaluation runs",
      version: version ?? "0.0.0",
      description:
        "Evaluation runs, metrics and snapshots per world (QMTL WorldService design §2-4). Errors are `{code, message, path}` documents.",
    },
    servers: [{ url: "/" }],
    security: [],
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
  };
}
