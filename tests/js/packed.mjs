// The packed package as users install it, shared by the package tests (run.mjs) and the bundler
// and runtime tests (bundlers.mjs): `npm pack pkg/`, the tarball installed into a throwaway
// project, and the environment every harness gets (env.json: shipped schemas, test vectors, the
// version; see checks.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const pkgDir = join(root, 'pkg');

/** Packs pkg/ into `scratch` and installs the tarball into `project` (created, `type: module`).
 *  Returns the `npm pack` record (`filename`, `size`, `files`, …), the tarball's path, the
 *  installed package directory and its manifest. Exits when pkg/ is not built. */
export function packAndInstall(scratch, project, log = console.log) {
  if (!existsSync(join(pkgDir, 'package.json'))) {
    console.error('pkg/ is not built: run scripts/build-pkg.sh');
    process.exit(1);
  }
  mkdirSync(project, { recursive: true });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', pkgDir, '--json', '--pack-destination', scratch, '--loglevel=error'],
    { encoding: 'utf8' }));
  const tarball = join(scratch, packed.filename);
  log(`packed ${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes (unpacked ${packed.unpackedSize})`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', '--offline'],
    { cwd: project, stdio: 'inherit' });
  const installed = join(project, 'node_modules', 'worldgate');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  return { packed, tarball, installed, manifest };
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.json') ? [p] : [];
  });
}

export const vectorsDir = join(root, 'tests', 'vectors');

/** One vector file of tests/vectors/, parsed (`file` is relative to tests/vectors/). */
export function vector(file) {
  return JSON.parse(readFileSync(join(vectorsDir, file), 'utf8'));
}

/** The environment of checks.mjs for the package installed at `installed`. */
export function makeEnv(installed, manifest) {
  return {
    version: manifest.version,
    // What `worldgate/core` carries (issue 2's scope); the full entry must carry it too.
    core: {
      functions: ['computeCalendar', 'computeMetrics', 'drawdownCurve', 'equityCurve', 'returnsFromEquity', 'returnsFromPrices',
        'schemaFor', 'schemaNames', 'validateSnapshot', 'version'],
      schemas: ['calendar', 'calendar-options', 'error', 'metrics', 'metrics-document', 'metrics-options', 'run-status', 'snapshot'],
    },
    // QMTL's own outputs of its v1.5 metrics (tests/conformance/qmtl-metric-cases.json).
    qmtlMetricCases: JSON.parse(readFileSync(join(root, 'tests', 'conformance', 'qmtl-metric-cases.json'), 'utf8')),
    schemas: Object.fromEntries(readdirSync(join(installed, 'schema')).filter((f) => f.endsWith('.json'))
      .map((f) => [f.replace(/\.json$/, ''), readFileSync(join(installed, 'schema', f), 'utf8')])),
    vectors: walk(vectorsDir).map((p) => ({
      file: relative(vectorsDir, p).split(sep).join('/'),
      data: JSON.parse(readFileSync(p, 'utf8')),
    })),
  };
}

/**
 * A step runner for the harnesses: `step(name, fn)` runs `fn` when `want(name)`, logs
 * `<name>: ok|FAILED (<s>)`, and records in `failures` what `fn` returned (a failure text) or threw.
 */
export function stepRunner(want, failures, log) {
  return async (name, fn) => {
    if (!want(name)) return;
    const t0 = Date.now();
    try {
      const failed = await fn();
      if (failed) failures.push(`${name}: ${failed}`);
      log(`${name}: ${failed ? 'FAILED' : 'ok'} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (error) {
      failures.push(`${name}: ${error && error.stack || error}`);
      log(`${name}: FAILED (${error && error.message})`);
    }
  };
}
