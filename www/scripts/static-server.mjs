// A tiny static file server for dist/ (used by `npm start`/`npm run preview`, `./run`, the e2e
// tests and the bench). Text, JSON and wasm are sent compressed when the client accepts it
// (brotli, else gzip; Node's zlib, compressed once per file and kept in memory); Vite's hashed
// files under `assets/` are sent with `cache-control: public, max-age=31536000, immutable`, every
// other file with `no-cache` (index.html names the hashed files, so it must be revalidated).
// `routes` maps extra paths to {type, body, status, token} (the tests serve API-shaped JSON from it;
// a route with `token` answers 401 unless the request carries `Authorization: Bearer <token>`).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { brotliCompress, brotliCompressSync, constants, gzipSync } from "node:zlib";

const brotliAsync = promisify(brotliCompress);
const brotliParams = (quality, size) => ({ params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size } });

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
  ".png": "image/png", ".yaml": "text/yaml; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
};
/** Types worth compressing (images are compressed already). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".yaml", ".csv", ".txt"]);
/** A file name with Vite's content hash (`index-BX3k9_aQ.js`, `worldgate_bg-Dk2l.wasm`). */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * The encoding to answer with for an `accept-encoding` header: `br` when accepted, else `gzip`,
 * else none (`identity`). A coding listed with `q=0` is refused.
 */
export function pickEncoding(header) {
  const accepted = new Map();
  for (const part of String(header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (c) => (accepted.get(c) ?? accepted.get("*") ?? 0) > 0;
  return ok("br") ? "br" : ok("gzip") ? "gzip" : "identity";
}

export function createStaticServer(root, { routes = {} } = {}) {
  const base = resolve(root);
  /** Compressed bodies by `path:encoding:mtime`; `best` holds brotli's best-quality bodies. */
  const cache = new Map();
  const best = new Map();
  const pending = new Map();
  /** Brotli at quality 11 for `path`, made once in the background. */
  const bestBrotli = (key, body) => {
    if (!pending.has(key)) pending.set(key, brotliAsync(body, brotliParams(11, body.length)).then((out) => { best.set(key, out); return out; }));
    return pending.get(key);
  };
  const compressed = (path, mtime, encoding, body) => {
    const key = `${path}:${encoding}:${mtime}`;
    if (encoding === "br") {
      const done = best.get(key);
      if (done) return done;
      void bestBrotli(key, body);
    }
    let out = cache.get(key);
    if (!out) {
      out = encoding === "br" ? brotliCompressSync(body, brotliParams(5, body.length)) : gzipSync(body, { level: 9 });
      cache.set(key, out);
    }
    return out;
  };
  /** Makes the best brotli body of every compressible file under `root` (resolves when done). */
  const warm = async () => {
    const files = readdirSync(base, { recursive: true }).map((f) => join(base, String(f))).filter((f) => COMPRESSIBLE.has(extname(f)));
    await Promise.all(files.map(async (f) => {
      try {
        const [info, body] = await Promise.all([stat(f), readFile(f)]);
        if (info.isFile() && body.length > 256) await bestBrotli(`${f}:br:${info.mtimeMs}`, body);
      } catch {
        /* a file that went away: nothing to warm */
      }
    }));
  };
  const server = createServer(async (req, res) => {
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
    let path;
    try {
      path = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad path");
      return;
    }
    if (path !== base && !path.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    try {
      let info = await stat(path);
      if (info.isDirectory()) { path = join(path, "index.html"); info = await stat(path); }
      const body = await readFile(path);
      const ext = extname(path);
      const hashed = HASHED.test(path) && path.includes(`${sep}assets${sep}`);
      const headers = {
        "content-type": TYPES[ext] ?? "application/octet-stream",
        "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
        vary: "accept-encoding",
      };
      const encoding = COMPRESSIBLE.has(ext) && body.length > 256 ? pickEncoding(req.headers["accept-encoding"]) : "identity";
      if (encoding === "identity") {
        res.writeHead(200, { ...headers, "content-length": body.length });
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      }
      const out = compressed(path, info.mtimeMs, encoding, body);
      res.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": out.length });
      res.end(req.method === "HEAD" ? undefined : out);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  server.warm = warm;
  return server;
}

/** Listens on `port` (0 = any free port) on loopback; resolves to the base URL. */
export function listen(server, port = 0, host = "127.0.0.1") {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(`http://${host}:${server.address().port}`));
  });
}
