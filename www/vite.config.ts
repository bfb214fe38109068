import { defineConfig } from "vite";

// Relative base: dist/ works from any static host path. The wasm is emitted as an asset
// (the package's web build resolves it with `new URL(…, import.meta.url)`), so the
// dependency optimizer must leave the package alone in dev.
export default defineConfig({
  base: "./",
  optimizeDeps: { exclude: ["worldgate"] },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  server: { port: 5173, fs: { allow: [".."] } },
});
