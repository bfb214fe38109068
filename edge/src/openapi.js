// The one description of the API (OpenAPI 3.1). Served at `/openapi.json`; the tests check every
// response the worker gives against the path, method and status documented here, and
// `npm run fuzz` (schemathesis) fuzzes every operation from it. Wire documents (run status,
// metrics, snapshot, bundle, policy) are the engine's generated JSON Schemas, read at request time
// with `schemaFor`; their `$defs` are hoisted into `components/schemas` and every `$ref` rewritten
// to point there, so standard OpenAPI tools resolve them. Every constraint a route enforces is
// stated here (safe-id pattern and length from the engine's bundle schema, query bounds, closed
// bodies); test/contract.test.mjs feeds the documented boundary values to the server.

import { CURSOR_PATTERN } from "./cursor.js";

/** Largest `?version=` the server reads (it takes 1 to 9 digits). */
export const MAX_POLICY_VERSION = 999_999_999;
/** Longest `reason` of a transition, in characters (Unicode code points). */
export const MAX_REASON_CHARS = 1000;
/** `Idempotency-Key`: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = "^[!-~]{1,255}$";
/** The media types of a YAML policy body. */
export const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ "application/json": { schema } });
const err = (description) => ({ description, content: json(ref("Error")) });
const ok = (description, name, extra = {}) => ({ description, content: json(name ? ref(name) : { type: "object" }), ...extra });

const E401 = err("missing or unknown bearer token (`E_UNAUTHORIZED`)");
const E403 = err("token not valid for this world or lacking the scope (`E_FORBIDDEN`)");
const E404 = err("no such run or snapshot (`E_RUN_NOT_FOUND`)");
const E422 = err("invalid id or parameter (`E_ID_INVALID`, `E_INVALID_VALUE`)");
const E413 = err("body larger than the limit (`E_TOO_LARGE`)");
const E415 = err("body is not of a documented media type, or not UTF-8 (`E_UNSUPPORTED_MEDIA_TYPE`)");
const E400 = err("body is not JSON (`E_PARSE`)");

const p = (name, description) => ({ name, in: "path", required: true, description, schema: ref("SafeId") });
const world = p("world", "world id (safe id)");
const strategy = p("strategy", "strategy id (safe id)");
const run = p("run", "run id (safe id), or `latest` for the strategy's newest run");
const auth = [{ bearer: [] }];
const jsonBody = (name, description) => ({ required: true, description, content: json(ref(name)) });

// Links: what a response's values open next (schemathesis follows them in its stateful phase).
const runParams = (at) => ({
  world: `$response.body#${at}/world_id`,
  strategy: `$response.body#${at}/strategy_id`,
  run: `$response.body#${at}/run_id`,
});
const runLinks = (at) => ({
  GetRun: { operationId: "getRun", parameters: runParams(at) },
  GetRunMetrics: { operationId: "getRunMetrics", parameters: runParams(at) },
  GetRunHistory: { operationId: "getRunHistory", parameters: runParams(at) },
  GetRunSeries: { operationId: "getRunSeries", parameters: { ...runParams(at), name: "returns" } },
  GetRunReport: { operationId: "getRunReport", parameters: runParams(at) },
  TransitionRun: { operationId: "transitionRun", parameters: runParams(at) },
});
const uploadLinks = {
  ...runLinks("/runs/0"),
  GetSnapshot: { operationId: "getSnapshot", parameters: { world: "$request.path.world", snapshot: "$response.body#/snapshot_ids/0" } },
  ListRuns: { operationId: "listRuns", parameters: { world: "$request.path.world", strategy: "$response.body#/runs/0/strategy_id" } },
};

// A world's documents link to an upload into that world: a small bundle whose `world_id` is the
// world's (a generated bundle almost never names the URL's world, so without it a fuzzer's chain
// would stop at the upload's 422).
const uploadInto = {
  UploadBundle: {
    operationId: "uploadBundle",
    description: "upload a bundle for this world",
    parameters: { world: "$response.body#/world_id" },
    requestBody: {
      bundle_version: 1,
      world_id: "$response.body#/world_id",
      submissions: [{ strategy_id: "linked", returns: [0.01, -0.004, 0.006, 0.002, -0.001, 0.008, -0.003, 0.005, 0.001, 0.004] }],
    },
    "x-schemathesis": { merge_body: false },
  },
};

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: "replays the first answer for the same body; another body with the same key is 422",
  schema: { type: "string", pattern: IDEMPOTENCY_KEY_PATTERN },
};
const prefer = {
  name: "Prefer",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: "`respond-async`: answer 202 with the runs at `submitted`; the world publishes them (→ `evaluated`) shortly after",
};
const bundleRefused = err(
  "the gate refused the bundle (`E_SCHEMA`, `E_METRICS_MISMATCH`, `E_ID_INVALID`, `E_INVALID_VALUE` for a bundle of another world, …), or the Idempotency-Key was used with another body",
);

// The QMTL surface: errors are FastAPI's `{"detail": …}`; reads may be anonymous per world.
const qerr = (description) => ({ description, content: json(ref("QmtlError")) });
const Q401 = qerr("no or unknown bearer token, on a world without anonymous reads");
const Q403 = qerr("token not valid for this world or lacking the scope");
const Q404 = qerr('no such run: `{"detail": "evaluation run not found"}`');
const Q422 = qerr("invalid id, or a body of the wrong shape");
const qmtlRead = [{}, { bearer: [] }];
const qmtlRunId = p("run", "run id (safe id); `latest` is not special here");
const qmtlRunParams = { world: "$response.body#/world_id", strategy: "$response.body#/strategy_id", run: "$response.body#/run_id" };
const qmtlLinks = {
  QmtlGetRunMetrics: { operationId: "qmtlGetRunMetrics", parameters: qmtlRunParams },
  QmtlGetRunHistory: { operationId: "qmtlGetRunHistory", parameters: qmtlRunParams },
};
const qmtlWrite = {
  200: ok("the run after the write", "QmtlRun"),
  400: qerr("body is not JSON (`E_PARSE`)"),
  401: Q401,
  403: Q403,
  404: Q404,
  413: qerr("body larger than the limit (`E_TOO_LARGE`)"),
  415: qerr("body is not `application/json` (`E_UNSUPPORTED_MEDIA_TYPE`)"),
  422: Q422,
};

/** Paths → methods → operation. */
export const paths = {
  "/healthz": {
    get: { operationId: "healthz", summary: "Liveness and engine version", responses: { 200: ok("service is up", "Health") } },
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
      parameters: [{ name: "world", in: "query", required: false, schema: ref("SafeId") }],
      requestBody: jsonBody("Bundle", "an evaluation bundle"),
      responses: { 200: ok("gate result, not stored", "GateResult"), 400: E400, 401: E401, 403: E403, 413: E413, 415: E415, 422: bundleRefused },
    },
  },
  "/worlds/{world}/runs": {
    post: {
      operationId: "uploadBundle",
      summary: "Upload a bundle: gate it with the world's policy and store its evaluation runs",
      description:
        "Idempotent: identical bytes (same input digest) answer 200 with the existing runs; an `Idempotency-Key` replays its first answer and refuses (422) a different body. Needs the `submit` scope.",
      security: auth,
      parameters: [world, idempotencyKey, prefer],
      requestBody: jsonBody("Bundle", "an evaluation bundle for this world"),
      responses: {
        201: ok("runs created", "UploadResult", { links: uploadLinks }),
        202: ok("runs registered at `submitted`; metrics answer 409 until they are evaluated", "UploadResult", { links: uploadLinks }),
        200: ok("replay: the runs of an identical earlier upload", "UploadResult", { links: uploadLinks }),
        400: E400,
        401: E401,
        403: E403,
        413: E413,
        415: E415,
        422: bundleRefused,
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
        {
          name: "cursor",
          in: "query",
          required: false,
          schema: { type: "string", minLength: 2, maxLength: 16, pattern: CURSOR_PATTERN },
          description: "`next_cursor` of the previous page",
        },
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
      responses: { 200: ok("status", "RunStatus", { links: runLinks("") }), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/metrics": {
    get: {
      operationId: "getRunMetrics",
      summary: "Metrics document of an evaluated run (seed §3.2)",
      security: auth,
      parameters: [world, strategy, run],
      responses: {
        200: ok("metrics", "MetricsDocument", { links: runLinks("") }),
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
      summary: "A full series referenced from the snapshot's `storage_refs` (`edge_*_series`), with the submission's timestamps when it was dated",
      security: auth,
      parameters: [world, strategy, run, { name: "name", in: "path", required: true, description: "series name", schema: { type: "string", enum: ["returns", "equity", "pnl"] } }],
      responses: { 200: ok("the series", "Series"), 401: E401, 403: E403, 404: err("no such run, or the run has no such series (`E_RUN_NOT_FOUND`, `E_NOT_FOUND`)"), 422: E422 },
    },
  },
  "/worlds/{world}/strategies/{strategy}/runs/{run}/report": {
    get: {
      operationId: "getRunReport",
      summary: "The quant's report of an evaluated run, referenced from the snapshot's `storage_refs` (`edge_report`)",
      description:
        "Computed by the engine when the bundle was gated (`GateOptions.report`) from the submission's full returns series under its P, risk-free rate and time axis: `distribution`, `drawdowns` (the deployment's `REPORT_TOP_DRAWDOWNS`, default 10), `calendar` for a dated series, and `rolling` over the deployment's `REPORT_ROLLING_WINDOWS` (none by default: each window is three series as long as the returns; draw them from `…/series/returns`). The same numbers as the package's `computeReport` of that series with those options.",
      security: auth,
      parameters: [world, strategy, run],
      responses: {
        200: ok("the report", "RunReport", { links: runLinks("") }),
        401: E401,
        403: E403,
        404: err("no such run, or the run has no report: its submission gave no returns series (`E_RUN_NOT_FOUND`)"),
        409: err("the run is not evaluated yet (`E_RUN_NOT_EVALUATED`)"),
        422: E422,
      },
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
        200: ok("the run's new status", "RunStatus", { links: runLinks("") }),
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
      parameters: [world, p("snapshot", "snapshot id (safe id)")],
      responses: { 200: ok("snapshot", "Snapshot", { links: runLinks("") }), 401: E401, 403: E403, 404: E404, 422: E422 },
    },
  },
  "/worlds/{world}/activation": {
    get: {
      operationId: "getActivation",
      summary: "Active set, weights, hysteresis state and the last decision",
      security: auth,
      parameters: [world],
      responses: { 200: ok("activation", "Activation", { links: uploadInto }), 401: E401, 403: E403, 422: E422 },
    },
  },
  "/worlds/{world}/policy": {
    get: {
      operationId: "getPolicy",
      summary: "Current policy version (or `?version=n`); version 0 is the built-in default",
      security: auth,
      parameters: [world, { name: "version", in: "query", required: false, schema: { type: "integer", minimum: 0, maximum: MAX_POLICY_VERSION } }],
      responses: { 200: ok("policy version", "PolicyVersion"), 401: E401, 403: E403, 404: err("the world has no such policy version (`E_POLICY_NOT_FOUND`)"), 422: E422 },
    },
    put: {
      operationId: "putPolicy",
      summary: "Store a new immutable policy version (201); an unchanged policy answers 200",
      security: auth,
      parameters: [world, { name: "dialect", in: "query", required: false, schema: { type: "string", enum: ["strict", "qmtl"], default: "strict" } }],
      requestBody: {
        required: true,
        description:
          "a policy document in the chosen dialect, as JSON or as YAML (the same document model; UTF-8): `Policy` in the strict dialect, `QmtlPolicy` (the same keys, read leniently) with `dialect=qmtl`",
        content: Object.fromEntries(["application/json", ...YAML_TYPES].map((t) => [t, { schema: { anyOf: [ref("Policy"), ref("QmtlPolicy")] } }])),
      },
      responses: {
        201: ok("new version", "PolicyVersion", { links: uploadInto }),
        200: ok("same ruleset as the current version; nothing stored", "PolicyVersion", { links: uploadInto }),
        400: E400,
        401: E401,
        403: E403,
        413: E413,
        415: E415,
        422: err("not a valid policy (`E_POLICY_INVALID`, `E_SCHEMA`, …), or a policy the engine's lint refuses (`E_POLICY_INVALID` at the rule: a metric nothing computes, with a did-you-mean in `help`; a drawdown bound written as `min` or negative in the strict dialect — drawdown bounds are magnitudes, `max: 0.25`)"),
      },
    },
  },
  "/worlds/{world}/policy/versions": {
    get: {
      operationId: "listPolicyVersions",
      summary: "Every policy version of the world",
      security: auth,
      parameters: [world],
      responses: { 200: ok("versions", "PolicyVersions"), 401: E401, 403: E403, 422: E422 },
    },
  },
  // QMTL's evaluation-run surface: QMTL's WorldService paths under `/qmtl`, for QMTL's CLI and SDK.
  "/qmtl/worlds/{world}/strategies/{strategy}/runs": {
    get: {
      operationId: "qmtlListRuns",
      summary: "QMTL: a strategy's runs as a bare list of EvaluationRunModel (oldest first, at most 500)",
      description: "QMTL's `GET /worlds/{w}/strategies/{s}/runs`. Anonymous where the world allows anonymous reads, else needs `read`.",
      security: qmtlRead,
      parameters: [world, strategy],
      responses: { 200: ok("the runs", "QmtlRunList"), 401: Q401, 403: Q403, 422: Q422 },
    },
  },
  "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}": {
    get: {
      operationId: "qmtlGetRun",
      summary: "QMTL: EvaluationRunModel",
      description: "`latest` is an ordinary run id here, as in QMTL's server (its CLI resolves `latest` by listing).",
      security: qmtlRead,
      parameters: [world, strategy, qmtlRunId],
      responses: { 200: ok("the run", "QmtlRun", { links: qmtlLinks }), 401: Q401, 403: Q403, 404: Q404, 422: Q422 },
    },
  },
  "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/metrics": {
    get: {
      operationId: "qmtlGetRunMetrics",
      summary: "QMTL: EvaluationRunMetricsResponse",
      security: qmtlRead,
      parameters: [world, strategy, qmtlRunId],
      responses: {
        200: ok("the run with its metrics", "QmtlRun"),
        401: Q401,
        403: Q403,
        404: Q404,
        409: qerr('no metrics yet: `{"detail": {"code": "E_RUN_NOT_EVALUATED", "message": "evaluation run has no metrics yet"}}`'),
        422: Q422,
      },
    },
  },
  "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/history": {
    get: {
      operationId: "qmtlGetRunHistory",
      summary: "QMTL: the run as of each revision, `[{revision, recorded_at, payload}]`",
      security: qmtlRead,
      parameters: [world, strategy, qmtlRunId],
      responses: { 200: ok("revisions, oldest first", "QmtlHistory"), 401: Q401, 403: Q403, 404: Q404, 422: Q422 },
    },
  },
  "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/override": {
    post: {
      operationId: "qmtlOverride",
      summary: "QMTL: record a manual override (appended to the run's history; metrics and decision unchanged)",
      description: "`approved` needs non-blank `reason`, `actor` and `timestamp`. The same status as the current one records nothing. Needs `admin`.",
      security: auth,
      parameters: [world, strategy, qmtlRunId],
      requestBody: jsonBody("QmtlOverride", "QMTL's EvaluationOverride"),
      responses: qmtlWrite,
    },
  },
  "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/ex-post-failures": {
    post: {
      operationId: "qmtlExPostFailure",
      summary: "QMTL: record a failure observed after the fact (appended to the run's history; metrics and decision unchanged)",
      description: "Needs `admin`.",
      security: auth,
      parameters: [world, strategy, qmtlRunId],
      requestBody: jsonBody("QmtlExPostFailure", "QMTL's ExPostFailureRecord"),
      responses: qmtlWrite,
    },
  },
};

const nullableString = { type: ["string", "null"] };
/** A string with a character other than whitespace (what the engine's trim-then-empty check accepts). */
const nonBlank = { type: "string", pattern: "\\S" };

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
  Health: {
    type: "object",
    required: ["ok", "service"],
    properties: { ok: { const: true }, service: { type: "string" }, engine: nullableString, time: { type: "string" } },
  },
  TransitionRequest: {
    type: "object",
    additionalProperties: false,
    required: ["to"],
    properties: {
      to: { type: "string", enum: ["activated", "rejected", "expired"] },
      reason: { type: "string", maxLength: MAX_REASON_CHARS, description: `at most ${MAX_REASON_CHARS} characters (code points)` },
    },
  },
  UploadResult: {
    type: "object",
    required: ["world_id", "input_digest", "result_digest", "ruleset_hash", "policy_version", "runs", "snapshot_ids", "replayed"],
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
      runs: { type: "array", items: ref("RunStatus") },
      snapshot_ids: {
        type: "array",
        items: nullableString,
        description: "the snapshot id of each run (same order as `runs`); null while a deferred run is not evaluated",
      },
      replayed: { type: "boolean" },
      created_at: { type: "string" },
    },
  },
  GateResult: { type: "object", required: ["input_digest", "stored"], properties: { stored: { const: false } } },
  RunPage: {
    type: "object",
    required: ["runs", "next_cursor"],
    properties: { runs: { type: "array", items: ref("RunStatus") }, next_cursor: { anyOf: [{ type: "string", pattern: CURSOR_PATTERN }, { type: "null" }] } },
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
          properties: { rev: { type: "integer" }, at: { type: "string" }, status: { type: "string" }, reason: nullableString, actor: nullableString, document: ref("RunStatus") },
        },
      },
    },
  },
  QmtlError: {
    type: "object",
    required: ["detail"],
    properties: { detail: { anyOf: [{ type: "string" }, { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } }] } },
  },
  QmtlRunList: { type: "array", items: ref("QmtlRun") },
  QmtlOverride: {
    description: "QMTL's `EvaluationOverride`; unknown keys are ignored (not stored), as QMTL's model ignores them",
    type: "object",
    required: ["status"],
    properties: {
      status: { type: "string", enum: ["approved", "rejected", "none"] },
      reason: nullableString,
      actor: nullableString,
      timestamp: nullableString,
    },
    if: { properties: { status: { const: "approved" } } },
    then: {
      required: ["reason", "actor", "timestamp"],
      properties: { reason: nonBlank, actor: nonBlank, timestamp: nonBlank },
    },
  },
  QmtlExPostFailure: {
    description: "QMTL's `ExPostFailureRecord`; unknown keys are ignored (not stored), as QMTL's model ignores them",
    type: "object",
    required: ["category", "reason_code", "actor"],
    properties: {
      case_id: nullableString,
      status: { type: "string", enum: ["candidate", "confirmed"], default: "confirmed" },
      category: nonBlank,
      reason_code: nonBlank,
      severity: { enum: ["critical", "high", "medium", "low", null] },
      evidence_url: nullableString,
      actor: nonBlank,
      recorded_at: nullableString,
      source: { type: "string", enum: ["manual", "auto"], default: "manual" },
      notes: nullableString,
    },
  },
  Series: {
    type: "object",
    required: ["name", "values"],
    properties: {
      name: { type: "string" },
      values: { type: "array" },
      timestamps: {
        description: "the submission's time axis (its `timestamps`, or its `index` expanded), one RFC 3339 UTC instant per value; present when the submission had one and the series is as long as it",
        type: "array",
        items: { type: "string" },
      },
      storage: { type: "string", enum: ["durable_object", "r2"] },
    },
  },
  RunReport: {
    type: "object",
    additionalProperties: false,
    required: ["schema_version", "world_id", "strategy_id", "run_id", "status", "report"],
    properties: {
      schema_version: { type: "integer" },
      world_id: { type: "string" },
      strategy_id: { type: "string" },
      run_id: { type: "string" },
      status: { type: "string" },
      report: ref("Report"),
    },
  },
  Activation: {
    type: "object",
    required: ["world_id", "active"],
    properties: {
      active: { type: "array", items: { type: "object", properties: { strategy_id: { type: "string" }, run_id: { type: "string" }, weight: { type: ["number", "null"] } } } },
      hysteresis: { description: "the engine's activation state (`{epoch, strategies}`), or null before the first upload" },
      last_decision: {},
      updated_at: nullableString,
    },
  },
  QmtlPolicy: {
    description:
      "a policy in the `qmtl` dialect (`?dialect=qmtl`): the keys of `Policy`, read as QMTL's models read them: unknown keys are ignored, numeric strings are taken as numbers and a repeated YAML key keeps its last value. What QMTL refuses (k < 1, a correlation bound outside −1..1, a missing metric, …) is refused with 422 `E_POLICY_INVALID`.",
    type: "object",
  },
  PolicyVersion: {
    type: "object",
    required: ["world_id", "version", "ruleset_hash", "dialect"],
    properties: {
      version: { type: "integer" },
      ruleset_hash: { type: "string" },
      dialect: { type: "string" },
      source: nullableString,
      resolved: {},
      warnings: { description: "`PUT` only, when the engine's policy lint has warnings (e.g. a drawdown `min` in the qmtl dialect)", type: "array", items: ref("Error") },
    },
  },
  PolicyVersions: {
    type: "object",
    required: ["world_id", "versions"],
    properties: {
      world_id: { type: "string" },
      versions: {
        type: "array",
        items: { type: "object", required: ["version", "ruleset_hash", "dialect"], properties: { version: { type: "integer", minimum: 1 }, ruleset_hash: { type: "string" }, dialect: { type: "string" } } },
      },
    },
  },
};

/** Engine schemas embedded as components (name in the package → component name). */
const ENGINE_SCHEMAS = {
  "run-status": "RunStatus",
  "metrics-document": "MetricsDocument",
  snapshot: "Snapshot",
  bundle: "Bundle",
  policy: "Policy",
  "qmtl-run": "QmtlRun",
  "qmtl-history": "QmtlHistory",
  report: "Report",
};

/** `value` with every `#/$defs/X` reference renamed by `rename(X)` to a component reference. */
function rewriteRefs(value, rename) {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename));
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) out.$ref = `#/components/schemas/${rename(v.slice(8))}`;
    else if (k === "$ref" && v === "#") out.$ref = "#/components/schemas/" + rename("#");
    else out[k] = rewriteRefs(v, rename);
  }
  return out;
}

/**
 * Adds the engine document `schema` as component `component` to `schemas`: its `$defs` become
 * components of their own (a name already taken by a different schema is prefixed with
 * `component`), `$schema`/`$id`/`$defs` are dropped and every reference points into components.
 */
export function addEngineSchema(schemas, component, schema) {
  const { $defs = {}, $schema: _s, $id: _i, ...root } = schema;
  const names = {};
  for (const [name, def] of Object.entries($defs)) {
    const plain = JSON.stringify(def);
    let target = name;
    if (schemas[target] !== undefined && JSON.stringify(schemas[target].__source ?? null) !== plain) target = `${component}${name}`;
    names[name] = target;
  }
  const rename = (n) => (n === "#" ? component : names[n] ?? n);
  for (const [name, def] of Object.entries($defs)) {
    const target = names[name];
    const rewritten = rewriteRefs(def, rename);
    Object.defineProperty(rewritten, "__source", { value: def, enumerable: false });
    schemas[target] ??= rewritten;
  }
  schemas[component] = rewriteRefs(root, rename);
}

/** The OpenAPI document; `schemaFor` is the engine's (absent schemas become open objects). */
export function build(schemaFor, version) {
  const schemas = {};
  for (const [name, component] of Object.entries(ENGINE_SCHEMAS)) {
    let s = null;
    try {
      const text = schemaFor ? schemaFor(name) : null;
      s = text ? JSON.parse(text) : null;
    } catch {
      s = null;
    }
    if (s) addEngineSchema(schemas, component, s);
    else schemas[component] = { type: "object" };
  }
  Object.assign(schemas, local);
  // Path ids: the engine's safe id, as its bundle schema states it for `world_id`.
  const id = schemas.Bundle?.properties?.world_id ?? {};
  schemas.SafeId = {
    type: "string",
    description: "a safe id: letters, digits, `.`, `_`, `:` and `-`, 1-128 bytes, no leading dot",
    ...(id.pattern ? { pattern: id.pattern } : {}),
    ...(id.minLength !== undefined ? { minLength: id.minLength } : {}),
    ...(id.maxLength !== undefined ? { maxLength: id.maxLength } : {}),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "worldgate evaluation runs",
      version: version ?? "0.0.0",
      description:
        "Evaluation runs, metrics and snapshots per world (QMTL WorldService design §2-4). Errors are `{code, message, path}` documents; under `/qmtl` (QMTL's own evaluation-run surface, for QMTL_GATEWAY_URL) they are FastAPI's `{detail}`.",
    },
    servers: [{ url: "/" }],
    security: [],
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: JSON.parse(JSON.stringify(schemas)) },
  };
}
