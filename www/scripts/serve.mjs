// Serves the built viewer (dist/): `npm start` (build, then serve) or `npm run preview` →
// http://127.0.0.1:5173 (WWW_PORT, WWW_HOST to change; PORT is the edge API's, which `./run`
// starts next to it on 8787).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStaticServer, listen } from "./static-server.mjs";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
if (!existsSync(join(dist, "index.html"))) {
  console.error("www/dist is missing: run `npm --prefix www run build` first");
  process.exit(1);
}
const server = createStaticServer(dist);
const url = await listen(server, Number(process.env.WWW_PORT ?? 5173), process.env.WWW_HOST ?? "127.0.0.1");
// Brotli's best quality for every file, in the background (answers meanwhile use a fast one).
void server.warm();
console.log(`worldgate viewer: ${url}/  (add ?src=<url> to open a run from the edge API)`);
