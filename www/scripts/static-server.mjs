// A tiny static file server for dist/ (used by `npm run preview`, the e2e tests and the bench).
// `routes` maps extra paths to {type, body, status, token} (the tests serve API-shaped JSON from it;
// a route with `token` answers 401 unless the request carries `Authorization: Bearer <token>`).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
  ".png": "image/png", ".yaml": "text/yaml; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
};

export function createStaticServer(root, { routes = {} } = {}) {
  const base = resolve(root);
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routes[url.pathname];
    if (route?.token && req.headers.authorization !== `Bearer ${route.token}`) {
      res.writeHead(401, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify({ code: "E_UNAUTHORIZED", message: "missing or wrong bearer token", path: "" }));
      return;
    }
    if (route) {
      res.writeHead(route.status ?? 200, { "content-type": route.type ?? "application/json", "access-control-allow-origin": "*" });
      res.end(route.body);
      return;
    }
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
}

/** Listens on `port` (0 = any free port) on loopback; resolves to the base URL. */
export function listen(server, port = 0, host = "127.0.0.1") {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(`http://${host}:${server.address().port}`));
  });
}
