// The route table: `[method, path pattern, handler name]`. `{x}` binds one path segment. Kept apart
// from the handlers so tests can compare it with the OpenAPI document without loading the engine.
export const ROUTES = [
  ["GET", "/healthz", "healthz"],
  ["GET", "/openapi.json", "openapi"],
  ["POST", "/validate", "validate"],
  ["POST", "/worlds/{world}/runs", "upload"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs", "listRuns"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs/{run}", "getRun"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs/{run}/metrics", "getRunMetrics"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs/{run}/history", "getRunHistory"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs/{run}/series/{name}", "getSeries"],
  ["GET", "/worlds/{world}/strategies/{strategy}/runs/{run}/report", "getRunReport"],
  ["POST", "/worlds/{world}/strategies/{strategy}/runs/{run}/transitions", "transition"],
  ["GET", "/worlds/{world}/snapshots/{snapshot}", "getSnapshot"],
  ["GET", "/worlds/{world}/activation", "getActivation"],
  ["GET", "/worlds/{world}/policy", "getPolicy"],
  ["PUT", "/worlds/{world}/policy", "putPolicy"],
  ["GET", "/worlds/{world}/policy/versions", "listPolicyVersions"],
  // QMTL's evaluation-run surface (QMTL_GATEWAY_URL=<origin>/qmtl): QMTL's documents, errors under `detail`.
  ["GET", "/qmtl/worlds/{world}/strategies/{strategy}/runs", "qmtlListRuns"],
  ["GET", "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}", "qmtlGetRun"],
  ["GET", "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/metrics", "qmtlGetRunMetrics"],
  ["GET", "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/history", "qmtlGetRunHistory"],
  ["POST", "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/override", "qmtlOverride"],
  ["POST", "/qmtl/worlds/{world}/strategies/{strategy}/runs/{run}/ex-post-failures", "qmtlExPostFailure"],
];
