// The `World` Durable Object: one instance per world, the only writer of that world's state.
//
// State lives in the object's SQLite storage (`ctx.storage.sql`), nothing in memory that is not
// also on disk: runs (status, metrics, snapshot), append-only history, policy versions (immutable,
// numbered from 1), the activation document (active set, weights, hysteresis state), upload
// digests and idempotency keys. Full series go to R2 (`SERIES`) when larger than
// `SERIES_INLINE_MAX` bytes, else to the `series` table; snapshots reference them from
// `storage_refs`. Uploads and transitions run inside `blockConcurrencyWhile`, so two uploads to one
// world never interleave and no update is lost.
//
// Methods are called over RPC by the router with already authenticated, size-checked input and
// answer `{status, body, headers?}`; engine failures come back as error documents, never thrown.

import { DurableObject } from "cloudflare:workers";
import * as engine from "./engine.js";
import { errorBody, fail, HttpError, isEngineError, statusFor } from "./http.js";
import { links } from "./links.js";
import { encodeCursor } from "./cursor.js";
import { reportRequest } from "./report.js";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS runs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL UNIQUE,
     strategy_id TEXT NOT NULL,
     status TEXT NOT NULL,
     snapshot_id TEXT,
     input_digest TEXT NOT NULL,
     policy_version INTEGER NOT NULL,
     doc TEXT NOT NULL,
     evaluation TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS runs_by_strategy ON runs (strategy_id, seq DESC)`,
  `CREATE TABLE IF NOT EXISTS snapshots (snapshot_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, doc TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS history (
     run_id TEXT NOT NULL, rev INTEGER NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
     reason TEXT, actor TEXT, doc TEXT NOT NULL, PRIMARY KEY (run_id, rev))`,
  `CREATE TABLE IF NOT EXISTS uploads (
     input_digest TEXT PRIMARY KEY, result_digest TEXT NOT NULL, run_ids TEXT NOT NULL,
     summary TEXT NOT NULL, created_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS idempotency (
     key TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, input_digest TEXT NOT NULL, created_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS policies (
     version INTEGER PRIMARY KEY, ruleset_hash TEXT NOT NULL, dialect TEXT NOT NULL,
     source TEXT NOT NULL, resolved TEXT NOT NULL, created_at TEXT NOT NULL, actor TEXT)`,
  `CREATE TABLE IF NOT EXISTS activation (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS series (ref TEXT PRIMARY KEY, data TEXT NOT NULL)`,
  // sha256 of upload bodies already gated → their input digest (replays skip the gate).
  `CREATE TABLE IF NOT EXISTS bodies (body_sha256 TEXT PRIMARY KEY, input_digest TEXT NOT NULL)`,
  // Deferred uploads (202): the gate's evaluation and snapshot, published by the alarm.
  `CREATE TABLE IF NOT EXISTS pending (run_id TEXT PRIMARY KEY, evaluated TEXT NOT NULL, snapshot TEXT)`,
  // QMTL annotations (overrides, ex-post failures), each recorded by history revision `rev`.
  `CREATE TABLE IF NOT EXISTS annotations (
     run_id TEXT NOT NULL, rev INTEGER NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (run_id, rev))`,
];

// QMTL's run list answers at most this many of a strategy's runs (the newest), oldest first.
const QMTL_LIST_MAX = 500;

const SERIES_NAMES = ["returns", "equity", "pnl"];

export class World extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const stmt of SCHEMA) this.sql.exec(stmt);
    this.policyCache = null; // {version, generation, compiled}
  }

  // ---- uploads -------------------------------------------------------------------------------

  /**
   * Gates `bytes` with the current policy and the world's activation state and stores the runs
   * (201), or replays them (200): the same body bytes (or the same `Idempotency-Key`) answer the
   * stored upload without gating again; an upload the engine digests to a stored input digest
   * does too.
   */
  async upload({ world, bytes, bodySha256, idempotencyKey: rawKey, actor, defer }) {
    return this.serial(async () => {
      // The key is stored (and quoted) sanitized; one that held a secret keeps its identity by
      // the sha256 of the key as sent.
      const idempotencyKey = await storedKey(rawKey);
      if (idempotencyKey) {
        const row = this.one(`SELECT body_sha256, input_digest FROM idempotency WHERE key = ?`, idempotencyKey);
        if (row) {
          if (row.body_sha256 !== bodySha256) {
            throw fail("E_INVALID_VALUE", `idempotency key \`${idempotencyKey}\` was used with a different body`, "", {
              help: "use a new Idempotency-Key for a different bundle",
            });
          }
          return this.replay(world, row.input_digest);
        }
      }
      const seen = this.one(`SELECT input_digest FROM bodies WHERE body_sha256 = ?`, bodySha256);
      if (seen) {
        this.rememberKey(idempotencyKey, bodySha256, seen.input_digest, new Date().toISOString());
        return this.replay(world, seen.input_digest);
      }
      const policy = this.currentPolicy(world);
      const activation = this.activationDoc(world);
      const now = new Date().toISOString();
      const answer = engine.gateUpload(bytes, world, activation.hysteresis, policy.compiled, now, true, metricsProfile(policy), reportRequest(this.env));
      if (answer.type !== "success") return failure(answer.errors);
      const result = answer.value;
      const existing = this.one(`SELECT input_digest FROM uploads WHERE input_digest = ?`, result.input_digest);
      if (existing) {
        this.ctx.storage.transactionSync(() => {
          this.rememberBody(bodySha256, result.input_digest);
          this.rememberKey(idempotencyKey, bodySha256, result.input_digest, now);
        });
        return this.replay(world, result.input_digest);
      }
      // Series first (R2 is outside the SQLite transaction; keys are content-addressed, so a
      // retry after a crash rewrites the same objects).
      const snapshots = new Map(result.snapshots.map((s) => [s.run_id, s]));
      const series = new Map((result.series ?? []).map((s) => [s.strategy_id, s]));
      const reports = new Map((result.reports ?? []).map((s) => [s.strategy_id, s.report]));
      const refs = new Map();
      for (const r of result.runs) {
        const id = r.status.strategy_id;
        refs.set(r.status.run_id, {
          ...(await this.storeSeries(world, r.status, series.get(id))),
          ...(await this.storeReport(world, r.status, reports.get(id))),
        });
      }
      const hysteresis = engine.nextWorldState(activation.hysteresis, result.decision);
      this.ctx.storage.transactionSync(() => {
        for (const r of result.runs) {
          this.insertRun(world, r, snapshots.get(r.status.run_id), refs.get(r.status.run_id), policy, result, now, actor, defer);
        }
        this.sql.exec(
          `INSERT INTO uploads (input_digest, result_digest, run_ids, summary, created_at) VALUES (?, ?, ?, ?, ?)`,
          result.input_digest,
          result.result_digest,
          JSON.stringify(result.runs.map((r) => r.status.run_id)),
          // the decision and redactions stored as the engine wrote them (no parse/stringify)
          engine.objectText([
            ["decision", engine.text(result.decision)],
            ["redactions", engine.text(result.redactions)],
            ["selected", JSON.stringify(result.selected)],
            ["rejected", JSON.stringify(result.rejected)],
            ["ruleset_hash", JSON.stringify(result.ruleset_hash)],
            ["policy_version", JSON.stringify(policy.version)],
          ]),
          now,
        );
        this.saveActivation(world, {
          ...activation,
          hysteresis,
          last_decision: {
            input_digest: result.input_digest,
            result_digest: result.result_digest,
            selected: result.selected,
            rejected: result.rejected,
            policy_version: policy.version,
            ruleset_hash: result.ruleset_hash,
            at: now,
          },
          updated_at: now,
        });
        this.rememberBody(bodySha256, result.input_digest);
        this.rememberKey(idempotencyKey, bodySha256, result.input_digest, now);
      });
      if (defer) {
        await this.ctx.storage.setAlarm(Date.now() + Number(this.env.DEFER_MS ?? 1000));
        return { status: 202, body: this.uploadBody(world, result.input_digest, false) };
      }
      return { status: 201, body: this.uploadBody(world, result.input_digest, false) };
    });
  }

  /** The same gate as `upload` with this world's current policy and state, storing nothing. */
  async dryRun({ world, bytes }) {
    return this.answer(() => {
      const policy = this.currentPolicy(world);
      const activation = this.activationDoc(world);
      const answer = engine.gateUpload(bytes, world, activation.hysteresis, policy.compiled, new Date().toISOString(), false, metricsProfile(policy));
      if (answer.type !== "success") return failure(answer.errors);
      return { status: 200, body: engine.dryRunBody(answer.value, policy.version) };
    });
  }

  replay(world, inputDigest) {
    return { status: 200, body: this.uploadBody(world, inputDigest, true), headers: { "x-worldgate-replayed": "true" } };
  }

  rememberBody(bodySha256, inputDigest) {
    this.sql.exec(`INSERT OR IGNORE INTO bodies (body_sha256, input_digest) VALUES (?, ?)`, bodySha256, inputDigest);
  }

  rememberKey(key, bodySha256, inputDigest, now) {
    if (!key) return;
    this.sql.exec(
      `INSERT OR IGNORE INTO idempotency (key, body_sha256, input_digest, created_at) VALUES (?, ?, ?, ?)`,
      key,
      bodySha256,
      inputDigest,
      now,
    );
  }

  uploadBody(world, inputDigest, replayed) {
    const up = this.one(`SELECT * FROM uploads WHERE input_digest = ?`, inputDigest);
    const summary = JSON.parse(up.summary);
    const rows = JSON.parse(up.run_ids).map((id) => this.one(`SELECT * FROM runs WHERE run_id = ?`, id));
    const runs = rows.map((row) => this.statusDoc(world, row));
    return {
      world_id: world,
      input_digest: up.input_digest,
      result_digest: up.result_digest,
      ruleset_hash: summary.ruleset_hash,
      policy_version: summary.policy_version,
      decision: summary.decision,
      selected: summary.selected ?? [],
      rejected: summary.rejected ?? [],
      redactions: summary.redactions,
      runs,
      snapshot_ids: rows.map((row) => row.snapshot_id ?? null),
      replayed,
      created_at: up.created_at,
    };
  }

  /**
   * Stores a submission's full series (`edge_<name>_series` refs) and its time axis (the
   * timestamps, an index expanded by the engine; no ref of its own: served with each series
   * as long as it).
   */
  async storeSeries(world, run, series) {
    const refs = {};
    for (const name of SERIES_NAMES) {
      const values = series?.[name];
      if (!Array.isArray(values) || values.length === 0) continue;
      refs[`edge_${name}_series`] = await this.putBlob(blobPath(world, run, name), JSON.stringify(values));
    }
    if (Array.isArray(series?.timestamps) && series.timestamps.length > 0) {
      await this.putBlob(blobPath(world, run, "timestamps"), JSON.stringify(series.timestamps));
    }
    return refs;
  }

  /** Stores the engine's report of a submission (`edge_report` ref); nothing for `null`. */
  async storeReport(world, run, report) {
    if (report === null || report === undefined) return {};
    const text = typeof report === "string" ? report : JSON.stringify(report);
    return { edge_report: await this.putBlob(blobPath(world, run, "report"), text) };
  }

  /** Stores `data` at `path`: in R2 when longer than `SERIES_INLINE_MAX`, else in SQLite. The ref. */
  async putBlob(path, data) {
    const limit = Number(this.env.SERIES_INLINE_MAX ?? 65536);
    if (data.length > limit && this.env.SERIES) {
      await this.env.SERIES.put(path, data, { httpMetadata: { contentType: "application/json" } });
      return `r2://${this.env.SERIES_BUCKET_NAME ?? "worldgate-series"}/${path}`;
    }
    this.sql.exec(`INSERT OR REPLACE INTO series (ref, data) VALUES (?, ?)`, path, data);
    return `do://${path}`;
  }

  /** `{text, storage}` of what `putBlob` stored at `path`, or null. */
  async getBlob(path) {
    const inline = this.one(`SELECT data FROM series WHERE ref = ?`, path);
    if (inline) return { text: inline.data, storage: "durable_object" };
    const obj = this.env.SERIES ? await this.env.SERIES.get(path) : null;
    return obj ? { text: await obj.text(), storage: "r2" } : null;
  }

  /** Stores one run record of the gate (`defer`: registered at `submitted`, published by the alarm). */
  insertRun(world, run, snapshot, refs, policy, result, now, actor, defer) {
    let record = run;
    let snapshotId = null;
    let evaluation = null;
    // The engine's snapshot text is stored as is, unless the edge adds where it stored the series.
    const stored = refs && Object.keys(refs).length > 0;
    const snap = snapshot && stored ? { ...snapshot, storage_refs: { ...snapshot.storage_refs, ...refs } } : snapshot;
    if (defer) {
      // The evaluated record and snapshot wait in `pending`; the run starts at `submitted`.
      this.sql.exec(`INSERT INTO pending (run_id, evaluated, snapshot) VALUES (?, ?, ?)`, run.status.run_id, engine.text(run), snap ? engine.text(snap) : null);
      record = engine.newRun(world, run.status.strategy_id, run.status.run_id, now);
    } else {
      evaluation = run.metrics ?? null;
      if (snap) {
        snapshotId = snap.snapshot_id;
        this.sql.exec(`INSERT OR REPLACE INTO snapshots (snapshot_id, run_id, doc) VALUES (?, ?, ?)`, snapshotId, run.status.run_id, engine.text(snap));
      }
    }
    const status = record.status;
    this.sql.exec(
      `INSERT INTO runs (run_id, strategy_id, status, snapshot_id, input_digest, policy_version, doc, evaluation, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      status.run_id,
      status.strategy_id,
      status.status,
      snapshotId,
      result.input_digest,
      policy.version,
      engine.text(record),
      evaluation === null ? null : engine.text(evaluation),
      status.created_at,
      status.updated_at,
    );
    this.appendHistory(status.run_id, now, status.status, defer ? "registered; evaluation deferred" : `gated with policy version ${policy.version}`, actor, status);
  }

  appendHistory(runId, at, status, reason, actor, doc) {
    const rev = (this.one(`SELECT MAX(rev) AS rev FROM history WHERE run_id = ?`, runId)?.rev ?? 0) + 1;
    this.sql.exec(
      `INSERT INTO history (run_id, rev, at, status, reason, actor, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      runId,
      rev,
      at,
      status,
      reason ?? null,
      actor ?? null,
      engine.text(doc),
    );
    return rev;
  }

  /**
   * Publishes deferred runs: walks each through the engine's state machine to `evaluated`; the
   * published record is the gate's (metrics, decision, hashes) with the walked history and time.
   */
  async alarm() {
    await this.serial(async () => {
      for (const p of this.all(`SELECT * FROM pending`)) {
        const row = this.one(`SELECT * FROM runs WHERE run_id = ?`, p.run_id);
        const evaluated = JSON.parse(p.evaluated);
        const snap = p.snapshot ? JSON.parse(p.snapshot) : null;
        const now = new Date().toISOString();
        const { steps, run: final } = engine.publishRun(JSON.parse(row.doc), evaluated, now);
        const status = final.status;
        this.ctx.storage.transactionSync(() => {
          for (const step of steps) this.appendHistory(p.run_id, now, step.status, "deferred evaluation", null, step);
          this.appendHistory(p.run_id, now, status.status, `gated with policy version ${row.policy_version}`, null, status);
          if (snap) this.sql.exec(`INSERT OR REPLACE INTO snapshots (snapshot_id, run_id, doc) VALUES (?, ?, ?)`, snap.snapshot_id, p.run_id, p.snapshot);
          this.sql.exec(
            `UPDATE runs SET status = ?, doc = ?, evaluation = ?, snapshot_id = ?, updated_at = ? WHERE run_id = ?`,
            status.status,
            JSON.stringify(final),
            final.metrics ? JSON.stringify(final.metrics) : null,
            snap?.snapshot_id ?? null,
            now,
            p.run_id,
          );
          this.sql.exec(`DELETE FROM pending WHERE run_id = ?`, p.run_id);
        });
      }
    });
  }

  // ---- reads ---------------------------------------------------------------------------------

  async listRuns({ world, strategy, limit, cursor }) {
    return this.answer(() => {
      const rows = cursor
        ? this.all(`SELECT * FROM runs WHERE strategy_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`, strategy, cursor, limit + 1)
        : this.all(`SELECT * FROM runs WHERE strategy_id = ? ORDER BY seq DESC LIMIT ?`, strategy, limit + 1);
      const page = rows.slice(0, limit);
      const next = rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null;
      return {
        status: 200,
        body: { world_id: world, strategy_id: strategy, runs: page.map((r) => this.statusDoc(world, r)), next_cursor: next },
      };
    });
  }

  async getRun({ world, strategy, run, view }) {
    return this.answer(() => {
      const row = this.findRun(strategy, run);
      if (view === "status") return { status: 200, body: this.statusDoc(world, row) };
      if (view === "history") {
        const revisions = this.all(`SELECT * FROM history WHERE run_id = ? ORDER BY rev`, row.run_id).map((h) => ({
          rev: h.rev,
          at: h.at,
          status: h.status,
          reason: h.reason,
          actor: h.actor,
          document: withLinks(world, JSON.parse(h.doc), row.snapshot_id),
        }));
        return { status: 200, body: { world_id: world, strategy_id: row.strategy_id, run_id: row.run_id, revisions } };
      }
      if (view === "metrics") {
        requireEvaluated(row, "metrics");
        return runDocument(world, row, { evaluation: JSON.parse(row.evaluation) });
      }
      throw fail("E_INTERNAL", "unknown view");
    });
  }

  /**
   * A full series: `{name, values, timestamps?, storage}`, with the submission's time axis
   * (`timestamps`, an index expanded) when it had one and the series is as long as it.
   */
  async getSeries({ world, strategy, run, name }) {
    return this.answer(async () => {
      const row = this.findRun(strategy, run);
      const key = { strategy_id: row.strategy_id, run_id: row.run_id };
      const blob = await this.getBlob(blobPath(world, key, name));
      if (!blob) throw fail("E_RUN_NOT_FOUND", `run \`${row.run_id}\` has no \`${name}\` series`);
      const values = JSON.parse(blob.text);
      const axis = await this.getBlob(blobPath(world, key, "timestamps"));
      const timestamps = axis ? JSON.parse(axis.text) : null;
      const dated = Array.isArray(timestamps) && timestamps.length === values.length;
      return { status: 200, body: { name, values, ...(dated ? { timestamps } : {}), storage: blob.storage } };
    });
  }

  /**
   * The engine's report of an evaluated run (`{schema_version, world_id, strategy_id, run_id,
   * status, report}`); 409 until evaluated, 404 for a run without one (no returns series).
   */
  async getReport({ world, strategy, run }) {
    return this.answer(async () => {
      const row = this.findRun(strategy, run);
      requireEvaluated(row, "report");
      const blob = await this.getBlob(blobPath(world, row, "report"));
      if (!blob) {
        throw fail("E_RUN_NOT_FOUND", `run \`${row.run_id}\` has no report: its submission gave no returns series`, "", {
          help: "the report is computed from a submission's `returns`; claimed metrics alone have none",
        });
      }
      return runDocument(world, row, { report: JSON.parse(blob.text) });
    });
  }

  async getSnapshot({ world, snapshot }) {
    return this.answer(() => {
      const row = this.one(`SELECT doc FROM snapshots WHERE snapshot_id = ?`, snapshot);
      if (!row) throw fail("E_RUN_NOT_FOUND", `no snapshot \`${snapshot}\` in world \`${world}\``);
      return { status: 200, body: JSON.parse(row.doc) };
    });
  }

  async getActivation({ world }) {
    return this.answer(() => ({ status: 200, body: this.activationDoc(world) }));
  }

  // ---- transitions ---------------------------------------------------------------------------

  /** Moves a run through the state machine (the engine decides what is legal). */
  async transition({ world, strategy, run, to, reason: rawReason, actor }) {
    return this.serial(async () => {
        const reason = engine.sanitizeText(rawReason, "/reason").text;
        const row = this.findRun(strategy, run);
        const now = new Date().toISOString();
        // The engine moves the run and supersedes what the move displaces, given the strategy's
        // activated runs (the query only narrows what is read).
        const active = this.all(`SELECT * FROM runs WHERE strategy_id = ? AND status = 'activated'`, row.strategy_id);
        const moved = engine.worldTransition(JSON.parse(row.doc), to, now, active.map((r) => JSON.parse(r.doc)));
        const rows = new Map(active.map((r) => [r.run_id, r]));
        const changes = [[row, moved.run, reason]];
        for (const s of moved.superseded) changes.push([rows.get(s.run.status.run_id), s.run, s.reason]);
        this.ctx.storage.transactionSync(() => {
          for (const [r, record, why] of changes) {
            const st = record.status;
            this.sql.exec(`UPDATE runs SET status = ?, doc = ?, updated_at = ? WHERE run_id = ?`, st.status, JSON.stringify(record), now, r.run_id);
            this.appendHistory(r.run_id, now, st.status, why ?? null, actor, st);
          }
          this.refreshActiveSet(world, now);
        });
        const updated = this.one(`SELECT * FROM runs WHERE run_id = ?`, row.run_id);
        return { status: 200, body: this.statusDoc(world, updated) };
    });
  }

  refreshActiveSet(world, now) {
    const doc = this.activationDoc(world);
    // The engine derives the set from the activated runs (the query only narrows what is read).
    doc.active = engine.activeSet(this.all(`SELECT doc FROM runs WHERE status = 'activated'`).map((r) => JSON.parse(r.doc)));
    doc.updated_at = now;
    this.saveActivation(world, doc);
  }

  // ---- policy --------------------------------------------------------------------------------

  async getPolicy({ world, version }) {
    return this.answer(() => {
      if (version === "versions") {
        const versions = this.all(`SELECT version, ruleset_hash, dialect, created_at, actor FROM policies ORDER BY version`);
        return { status: 200, body: { world_id: world, versions } };
      }
      const p = version === null ? this.latestPolicyRow() : this.one(`SELECT * FROM policies WHERE version = ?`, version);
      if (!p) {
        if (version !== null && version !== 0) throw fail("E_POLICY_NOT_FOUND", `world \`${world}\` has no policy version ${version}`);
        const d = this.currentPolicy(world);
        return { status: 200, body: policyBody(world, { version: 0, ruleset_hash: d.ruleset_hash, dialect: d.dialect, source: d.source, resolved: JSON.stringify(d.resolved), created_at: null, actor: null }) };
      }
      return { status: 200, body: policyBody(world, p) };
    });
  }

  /** Stores a new immutable policy version (201), or answers 200 with the current one when unchanged. */
  async putPolicy({ world, text: rawText, dialect, actor }) {
    return this.answer(() => {
      // The source is stored and served sanitized (comments included), and the policy enforced
      // is the one that text gives, so what is served is what gates.
      const text = engine.sanitizeText(rawText, "/source").text;
      const compiled = engine.parsePolicy(text, dialect);
      // A policy that parses but does not mean what it says (a misspelt metric, a drawdown
      // bound with the data's sign) is refused as invalid; warnings are answered with it.
      let lint;
      try {
        lint = engine.lintPolicy(compiled);
      } catch (err) {
        engine.release(compiled);
        throw err;
      }
      if (!lint.ok) {
        engine.release(compiled);
        throw new engine.EngineError(lint.errors);
      }
      const warned = (body) => (lint.warnings.length ? { ...body, warnings: lint.warnings } : body);
      const hash = compiled.rulesetHash();
      const resolved = JSON.stringify(compiled.toJSON());
      engine.release(compiled);
      const latest = this.latestPolicyRow();
      if (latest && latest.ruleset_hash === hash) return { status: 200, body: warned(policyBody(world, latest)) };
      const version = (latest?.version ?? 0) + 1;
      const now = new Date().toISOString();
      this.sql.exec(
        `INSERT INTO policies (version, ruleset_hash, dialect, source, resolved, created_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        version,
        hash,
        dialect ?? "strict",
        text,
        resolved,
        now,
        actor ?? null,
      );
      return {
        status: 201,
        body: warned(policyBody(world, this.one(`SELECT * FROM policies WHERE version = ?`, version))),
        headers: { location: `/worlds/${world}/policy?version=${version}` },
      };
    });
  }

  latestPolicyRow() {
    return this.one(`SELECT * FROM policies ORDER BY version DESC LIMIT 1`);
  }

  /** `{version, ruleset_hash, dialect, compiled, source, resolved}` of the policy uploads are gated with. */
  currentPolicy() {
    const row = this.latestPolicyRow();
    const version = row?.version ?? 0;
    const generation = engine.generation();
    const c = this.policyCache;
    if (c && c.version === version && c.generation === generation) return c;
    if (c) engine.release(c.compiled);
    const compiled = row ? engine.parsePolicy(row.source, row.dialect) : engine.defaultPolicy(this.env.DEFAULT_POLICY_PRESET);
    this.policyCache = {
      version,
      generation,
      compiled,
      ruleset_hash: compiled.rulesetHash(),
      dialect: row?.dialect ?? "strict",
      source: row?.source ?? null,
      resolved: compiled.toJSON(),
    };
    return this.policyCache;
  }

  // ---- QMTL's surface (the documents are the engine's: api::qmtl) ---------------------------

  /** What the engine needs to write a run as QMTL's document (`QmtlRunInput`). */
  qmtlInput(row, decisions = new Map()) {
    let decision = decisions.get(row.input_digest);
    if (decision === undefined) {
      const up = this.one(`SELECT summary FROM uploads WHERE input_digest = ?`, row.input_digest);
      decision = up ? (JSON.parse(up.summary).decision ?? null) : null;
      decisions.set(row.input_digest, decision);
    }
    const snap = row.snapshot_id
      ? this.one(`SELECT doc FROM snapshots WHERE snapshot_id = ?`, row.snapshot_id)
      : this.one(`SELECT snapshot AS doc FROM pending WHERE run_id = ?`, row.run_id);
    const meta = snap?.doc ? (JSON.parse(snap.doc).meta ?? {}) : {};
    const annotations = this.all(`SELECT rev, at, doc FROM annotations WHERE run_id = ? ORDER BY rev`, row.run_id).map((a) => ({
      revision: a.rev,
      recorded_at: a.at,
      annotation: JSON.parse(a.doc),
    }));
    return { run: JSON.parse(row.doc), decision, policy_version: row.policy_version, meta, annotations };
  }

  /** QMTL's run list: the strategy's newest runs (at most `QMTL_LIST_MAX`), oldest first. */
  async qmtlListRuns({ strategy }) {
    return this.answer(() => {
      const rows = this.all(`SELECT * FROM runs WHERE strategy_id = ? ORDER BY seq DESC LIMIT ?`, strategy, QMTL_LIST_MAX).reverse();
      const decisions = new Map();
      return { status: 200, body: engine.qmtlRuns(rows.map((r) => this.qmtlInput(r, decisions))) };
    });
  }

  /** One run as QMTL reads it (`view`: `run`, `metrics` or `history`); `run` is an id, never `latest`. */
  async qmtlGetRun({ strategy, run, view }) {
    return this.answer(() => {
      const input = this.qmtlInput(this.findRun(strategy, run, true));
      if (view === "metrics") return { status: 200, body: engine.qmtlMetrics(input) };
      if (view === "history") {
        const revisions = this.all(`SELECT rev, at, doc FROM history WHERE run_id = ? ORDER BY rev`, input.run.status.run_id).map((h) => ({
          revision: h.rev,
          recorded_at: h.at,
          status: JSON.parse(h.doc),
        }));
        return { status: 200, body: engine.qmtlHistory(input, revisions) };
      }
      return { status: 200, body: engine.qmtlRun(input) };
    });
  }

  /**
   * Appends an override or ex-post failure (`kind`) to a run's history; the run record (metrics,
   * decision, state) is not touched. Answers the run as QMTL's document.
   */
  async qmtlAnnotate({ strategy, run, kind, bytes, actor }) {
    return this.serial(async () => {
      const row = this.findRun(strategy, run, true);
      const current = engine.qmtlRun(this.qmtlInput(row));
      const now = new Date().toISOString();
      const note = engine.qmtlAnnotation(kind, bytes, current, now);
      if (note !== null) {
        const status = JSON.parse(row.doc).status;
        const reason = note.kind === "override" ? `qmtl override: ${note.status}` : `qmtl ex-post failure: ${note.reason_code}`;
        this.ctx.storage.transactionSync(() => {
          const rev = this.appendHistory(row.run_id, now, status.status, reason, actor, status);
          this.sql.exec(`INSERT INTO annotations (run_id, rev, at, doc) VALUES (?, ?, ?, ?)`, row.run_id, rev, now, JSON.stringify(note));
        });
      }
      return { status: 200, body: engine.qmtlRun(this.qmtlInput(row)) };
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  activationDoc(world) {
    const row = this.one(`SELECT doc FROM activation WHERE id = 1`);
    if (row) return JSON.parse(row.doc);
    return { world_id: world, active: [], hysteresis: null, last_decision: null, updated_at: null };
  }

  saveActivation(world, doc) {
    this.sql.exec(`INSERT OR REPLACE INTO activation (id, doc) VALUES (1, ?)`, JSON.stringify({ ...doc, world_id: world }));
  }

  /** The run `run` of `strategy` (`latest`: the newest, unless `literal`); throws `E_RUN_NOT_FOUND`. */
  findRun(strategy, run, literal = false) {
    const row =
      run === "latest" && !literal
        ? this.one(`SELECT * FROM runs WHERE strategy_id = ? ORDER BY seq DESC LIMIT 1`, strategy)
        : this.one(`SELECT * FROM runs WHERE run_id = ? AND strategy_id = ?`, run, strategy);
    if (!row) {
      throw fail(
        "E_RUN_NOT_FOUND",
        run === "latest" ? `strategy \`${strategy}\` has no runs` : `no run \`${run}\` for strategy \`${strategy}\``,
      );
    }
    return row;
  }

  statusDoc(world, row) {
    return withLinks(world, JSON.parse(row.doc).status, row.snapshot_id);
  }

  one(query, ...args) {
    const rows = this.sql.exec(query, ...args).toArray();
    return rows.length ? rows[0] : null;
  }

  all(query, ...args) {
    return this.sql.exec(query, ...args).toArray();
  }

  /**
   * Runs `fn` with no other event delivered to this object meanwhile (uploads, transitions).
   * Failures are answered inside: a throw out of `blockConcurrencyWhile` would reset the object.
   */
  serial(fn) {
    return this.ctx.blockConcurrencyWhile(() => this.answer(fn));
  }

  /** Runs `fn`, turning every failure into an `{status, body}` answer (no throw crosses RPC). */
  async answer(fn) {
    try {
      return await fn();
    } catch (err) {
      return asAnswer(err);
    }
  }
}

function asAnswer(err) {
  if (err instanceof HttpError) {
    return { status: err.status, body: errorBody([{ code: err.code, message: err.message, path: err.path, help: err.help }]) };
  }
  if (isEngineError(err)) {
    const errors = Array.isArray(err.errors) && err.errors.length ? err.errors : [err];
    return { status: statusFor(errors[0].code), body: errorBody(errors) };
  }
  engine.logInternal("world: internal error", err);
  return { status: 500, body: { code: "E_INTERNAL", message: "internal error", path: "" } };
}

/** The idempotency key as stored: sanitized, plus `#sha256:<hex>` of the key as sent when that changed it. */
async function storedKey(key) {
  if (key === null || key === undefined) return key;
  const clean = engine.sanitizeText(key, "/headers/idempotency-key");
  if (clean.redactions.length === 0) return key;
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `${clean.text}#sha256:${Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The v1.5 metric profile uploads are gated with: a strict-dialect world's computes `strict` (a `qmtl` one's default). */
function metricsProfile(policy) {
  return policy.dialect === "qmtl" ? undefined : "strict";
}

/** A 200 answer about an evaluated run: its ids and status, then `members`. */
function runDocument(world, row, members) {
  const head = { schema_version: JSON.parse(row.doc).status.schema_version, world_id: world, strategy_id: row.strategy_id, run_id: row.run_id, status: row.status };
  return { status: 200, body: { ...head, ...members } };
}

/** 409 `E_RUN_NOT_EVALUATED` while `row`'s run has no evaluation (its `what` is not there yet). */
function requireEvaluated(row, what) {
  if (row.evaluation !== null) return;
  throw fail("E_RUN_NOT_EVALUATED", `run \`${row.run_id}\` is \`${row.status}\`, not evaluated yet`, "", {
    help: `poll the run's status and fetch the ${what} once it is \`evaluated\``,
  });
}

/** Where a run's blob `name` (a series, its timestamps, its report) is stored. */
function blobPath(world, run, name) {
  return `worlds/${world}/strategies/${run.strategy_id}/runs/${run.run_id}/${name}.json`;
}

function failure(errors) {
  const list = Array.isArray(errors) && errors.length ? errors : [{ code: "E_INTERNAL", message: "gate failed without an error", path: "" }];
  return { status: statusFor(list[0].code), body: errorBody(list) };
}

function withLinks(world, doc, snapshotId) {
  return { ...doc, links: links(world, doc.strategy_id, doc.run_id, snapshotId ?? null) };
}

function policyBody(world, p) {
  return {
    world_id: world,
    version: p.version,
    ruleset_hash: p.ruleset_hash,
    dialect: p.dialect,
    created_at: p.created_at,
    actor: p.actor,
    source: p.source,
    resolved: typeof p.resolved === "string" ? JSON.parse(p.resolved) : p.resolved,
  };
}
