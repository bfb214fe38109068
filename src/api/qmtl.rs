//! QMTL's evaluation-run documents from stored runs: what a world service answers under its
//! QMTL-compatible surface (QMTL's `GET /worlds/{w}/strategies/{s}/runs…`), so that QMTL's CLI
//! (`qmtl world run-status`) and SDK (`wait_for_evaluation_run`) read worldgate's runs unchanged.
//!
//! | QMTL field | from |
//! |---|---|
//! | `status` | `evaluated` exactly when the run record has metrics, else `evaluating` |
//! | `stage` | the submission's `meta.stage` when `backtest`/`paper`/`live`; else the run's `effective_mode` (`live` → live, `paper` → paper, anything else → backtest) |
//! | `risk_tier` | the submission's `meta.risk_tier` when `high`/`medium`/`low`; else `high` (an unclassified strategy is treated as the riskiest) |
//! | `metrics` | the run's `metrics.v15` (QMTL's v1.5 set); without one, `returns.sharpe` / `returns.max_drawdown` from the native block and `sample` from `custom` (`effective_history_years`, `n_trades_total`, else the sample count) |
//! | `validation` | the policy version (as a string), the decision's `ruleset_hash`, `profile` and the strategy's `rule_results` |
//! | `summary.status` | the run's verdict: `valid` → pass, `warn` → warn, `invalid` → fail (`null` while pending or not evaluated) |
//! | `summary.recommended_stage` | the decision's `recommended_stage` |
//! | `summary.override_*`, `summary.ex_post_failures` | the run's annotations (the latest override wins) |
//! | `updated_at` | the later of the run's `updated_at` and its last annotation's recording time |
//!
//! Before the run has metrics, `metrics`, `validation`, `summary.status` and
//! `summary.recommended_stage` are `null`, so QMTL's SDK readiness rule (status or recommended
//! stage set, or metrics non-empty) is not met. Annotations never change metrics or decision.

use crate::bundle::sanitize::sanitize_text;
use crate::error::{Code, Error};
use crate::json::{Limits, parse};
use crate::schema::{
    OverrideStatus, QmtlAnnotation, QmtlError, QmtlExPostFailure, QmtlHistoryItem, QmtlOverride,
    QmtlRevision, QmtlRiskTier, QmtlRun, QmtlRunInput, QmtlRunLinks, QmtlRunStatus, QmtlStage,
    QmtlSummary, QmtlValidation, RuleStatus, RunState, RunStatus, V15Metrics, Verdict,
};

/// The message QMTL sends for a missing run.
pub const NOT_FOUND_DETAIL: &str = "evaluation run not found";
/// The message QMTL sends (with code `E_RUN_NOT_EVALUATED`) for metrics of a run without any.
pub const NOT_EVALUATED_DETAIL: &str = "evaluation run has no metrics yet";

/// The run as QMTL's `EvaluationRunModel`.
pub fn run_document(input: &QmtlRunInput) -> QmtlRun {
    document_at(input, &input.run.status, input.annotations.len())
}

/// The run as QMTL's `EvaluationRunMetricsResponse` (`metrics` set).
///
/// # Errors
/// `E_RUN_NOT_EVALUATED` with QMTL's message when the run has no metrics yet.
pub fn metrics_document(input: &QmtlRunInput) -> Result<QmtlRun, Error> {
    let doc = run_document(input);
    if doc.metrics.is_none() {
        return Err(Error::new(Code::RunNotEvaluated, "", NOT_EVALUATED_DETAIL));
    }
    Ok(doc)
}

/// QMTL's history: one item per stored revision (in the order given), each the run as of that
/// revision: its status then, metrics and decision only from a revision in which the run was
/// evaluated (or later), and the annotations recorded up to it.
pub fn history(input: &QmtlRunInput, revisions: &[QmtlRevision]) -> Vec<QmtlHistoryItem> {
    revisions
        .iter()
        .map(|r| {
            let upto = input
                .annotations
                .iter()
                .take_while(|a| a.revision <= r.revision)
                .count();
            QmtlHistoryItem {
                revision: r.revision,
                recorded_at: r.recorded_at.clone(),
                payload: document_at(input, &r.status, upto),
            }
        })
        .collect()
}

fn has_metrics(state: RunState) -> bool {
    matches!(
        state,
        RunState::Evaluated | RunState::Activated | RunState::Rejected | RunState::Expired
    )
}

/// The document with `status` as the run's status and the first `upto` annotations.
fn document_at(input: &QmtlRunInput, status: &RunStatus, upto: usize) -> QmtlRun {
    let run = &input.run;
    let evaluated = run.metrics.is_some() && has_metrics(status.status);
    let metrics = run.metrics.as_ref().filter(|_| evaluated).map(qmtl_metrics);
    let entry = input
        .decision
        .as_ref()
        .filter(|_| evaluated)
        .map(|d| (d, d.strategies.get(&status.strategy_id)));
    let validation = entry.map(|(d, s)| QmtlValidation {
        policy_version: input.policy_version.unwrap_or(0).to_string(),
        ruleset_hash: Some(d.ruleset_hash.clone()),
        profile: d.profile.clone(),
        results: s
            .map(|s| {
                s.rule_results
                    .iter()
                    .map(|(name, r)| (name.to_string(), r.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    });
    let verdict = run
        .decision
        .as_ref()
        .filter(|_| evaluated)
        .map(|g| g.verdict);
    let (summary, updated_at) = summary(input, status, verdict, entry.map(|(d, _)| d), upto);
    let text = |k: &str| input.meta.get(k).and_then(serde_json::Value::as_str);
    let (stage, risk_tier) = stage_and_tier(&input.meta, status);
    let links = crate::run::run_links(&status.world_id, &status.strategy_id, &status.run_id, None);
    QmtlRun {
        world_id: status.world_id.clone(),
        strategy_id: status.strategy_id.clone(),
        run_id: status.run_id.clone(),
        status: if metrics.is_some() {
            QmtlRunStatus::Evaluated
        } else {
            QmtlRunStatus::Evaluating
        },
        stage,
        risk_tier,
        model_card_version: text("model_card_version").map(str::to_string),
        metrics,
        validation,
        summary,
        created_at: status.created_at.clone(),
        updated_at,
        links: QmtlRunLinks {
            metrics: links.metrics.unwrap_or_default(),
            history: links.history.unwrap_or_default(),
        },
    }
}

/// The summary of the run at `status` after the first `upto` annotations (the last override
/// wins; the failures in order), and the document's `updated_at`: the latest of the status'
/// and the annotations' times. `verdict` and the world `decision` are `None` before the run
/// is evaluated.
fn summary(
    input: &QmtlRunInput,
    status: &RunStatus,
    verdict: Option<Verdict>,
    decision: Option<&crate::schema::Decision>,
    upto: usize,
) -> (QmtlSummary, String) {
    let mut summary = QmtlSummary {
        status: verdict.and_then(|v| match v {
            Verdict::Valid => Some(RuleStatus::Pass),
            Verdict::Warn => Some(RuleStatus::Warn),
            Verdict::Invalid => Some(RuleStatus::Fail),
            Verdict::Pending => None,
        }),
        recommended_stage: decision.and_then(|d| d.recommended_stage.clone()),
        active: status.status == RunState::Activated,
        ..QmtlSummary::default()
    };
    let mut updated_at = status.updated_at.clone();
    for a in input.annotations.iter().take(upto) {
        if a.recorded_at > updated_at {
            updated_at.clone_from(&a.recorded_at);
        }
        match &a.annotation {
            QmtlAnnotation::Override(o) => {
                summary.override_status = o.status;
                summary.override_reason.clone_from(&o.reason);
                summary.override_actor.clone_from(&o.actor);
                summary.override_timestamp.clone_from(&o.timestamp);
            }
            QmtlAnnotation::ExPostFailure(f) => summary.ex_post_failures.push(f.clone()),
        }
    }
    (summary, updated_at)
}

/// The run's stage (the meta's `stage`, else from the status' effective mode; backtest by
/// default) and risk tier (the meta's `risk_tier`; high by default).
fn stage_and_tier(
    meta: &serde_json::Map<String, serde_json::Value>,
    status: &RunStatus,
) -> (QmtlStage, QmtlRiskTier) {
    let text = |k: &str| meta.get(k).and_then(serde_json::Value::as_str);
    let stage = match text("stage") {
        Some("backtest") => QmtlStage::Backtest,
        Some("paper") => QmtlStage::Paper,
        Some("live") => QmtlStage::Live,
        _ => match status.effective_mode.as_str() {
            "live" => QmtlStage::Live,
            "paper" => QmtlStage::Paper,
            _ => QmtlStage::Backtest,
        },
    };
    let risk_tier = match text("risk_tier") {
        Some("medium") => QmtlRiskTier::Medium,
        Some("low") => QmtlRiskTier::Low,
        _ => QmtlRiskTier::High,
    };
    (stage, risk_tier)
}

/// QMTL's metric blocks of a run's metrics: its v1.5 set, or what the native block gives.
fn qmtl_metrics(m: &crate::schema::EvaluationMetrics) -> V15Metrics {
    if let Some(v) = m
        .v15
        .as_ref()
        .and_then(|v| crate::schema::from_value::<V15Metrics>(v).ok())
    {
        return v;
    }
    let finite = |x: Option<crate::schema::Num>| x.map(|n| n.0).filter(|f| f.is_finite());
    let custom = |k: &str| finite(m.custom.get(k).copied());
    let mut out = V15Metrics::default();
    if let Some(r) = &m.returns {
        out.returns.sharpe = finite(r.sharpe);
        out.returns.max_drawdown = finite(r.max_drawdown);
        out.sample.n_trades_total = Some(r.sample_count);
    }
    if let Some(n) = custom("n_trades_total").filter(|n| *n >= 0.0 && n.fract() == 0.0) {
        // A whole, non-negative count: the cast is exact below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = n as u64;
        out.sample.n_trades_total = Some(n);
    }
    out.sample.effective_history_years = custom("effective_history_years");
    out
}

/// Drops the members of a body object that `fields` does not name: QMTL's pydantic models
/// (`EvaluationOverride`, `ExPostFailureRecord`) ignore unknown keys, so a QMTL client's extra
/// key is neither an error nor stored. A body that is not an object is left to the decoder.
fn known_members(body: &mut serde_json::Value, fields: &[&str]) {
    if let serde_json::Value::Object(m) = body {
        m.retain(|k, _| fields.contains(&k.as_str()));
    }
}

/// Reads the body of `POST …/override` (`kind` `"override"`) or `POST …/ex-post-failures`
/// (`"ex_post_failure"`) for the run `current` (its QMTL document), recorded at `at`: the
/// annotation to append, with text fields sanitized (secrets redacted), the client's time
/// defaulting to `at` and a failure's `case_id` to `case-<n>`; `None` for an override whose
/// status equals the current one (QMTL records nothing then).
///
/// # Errors
/// The JSON reader's errors; `E_SCHEMA` for a body that is not the document (a wrong type or
/// value, at its path; unknown members are ignored, as QMTL's models ignore them); `E_INVALID_VALUE` for an `approved` override without
/// `reason`, `actor` and `timestamp`, or a failure with an empty `category`, `reason_code` or
/// `actor`; `E_INVALID_VALUE` at `/kind` for an unknown kind.
pub fn annotation(
    kind: &str,
    body: &[u8],
    current: &QmtlRun,
    at: &str,
) -> Result<Option<QmtlAnnotation>, Vec<Error>> {
    let limits = Limits::default();
    let mut v = parse(body, &limits).map_err(|e| vec![e])?;
    match kind {
        "override" => override_annotation(&mut v, current, at),
        "ex_post_failure" => ex_post_failure_annotation(&mut v, current, at),
        other => Err(vec![
            Error::new(
                Code::InvalidValue,
                "/kind",
                format!("unknown annotation kind `{other}`"),
            )
            .with_help("kinds: override, ex_post_failure"),
        ]),
    }
}

/// The override of body `v` (see [`annotation`]): `None` when its status is the run's.
fn override_annotation(
    v: &mut serde_json::Value,
    current: &QmtlRun,
    at: &str,
) -> Result<Option<QmtlAnnotation>, Vec<Error>> {
    known_members(v, QmtlOverride::WIRE_FIELDS);
    let mut o: QmtlOverride = crate::schema::from_value(v).map_err(|e| vec![e])?;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if o.status == OverrideStatus::Approved {
        let missing: Vec<&str> = [
            ("reason", &o.reason),
            ("actor", &o.actor),
            ("timestamp", &o.timestamp),
        ]
        .into_iter()
        .filter(|(_, v)| blank(v))
        .map(|(k, _)| k)
        .collect();
        if let Some(first) = missing.first() {
            return Err(vec![Error::new(
                Code::InvalidValue,
                format!("/{first}"),
                format!(
                    "approved override requires reason, actor, and timestamp (missing: {})",
                    missing.join(", ")
                ),
            )]);
        }
    }
    // Checked before the no-op test, as QMTL's model validates the body before it looks
    // at the run: an incomplete `approved` is refused even when the run is approved.
    if o.status == current.summary.override_status {
        return Ok(None);
    }
    for s in [&mut o.reason, &mut o.actor, &mut o.timestamp] {
        clean(s);
    }
    if blank(&o.timestamp) {
        o.timestamp = Some(at.to_string());
    }
    Ok(Some(QmtlAnnotation::Override(o)))
}

/// The ex-post failure of body `v` (see [`annotation`]), its `case_id` defaulting to
/// `case-<n>` after the run's failures.
fn ex_post_failure_annotation(
    v: &mut serde_json::Value,
    current: &QmtlRun,
    at: &str,
) -> Result<Option<QmtlAnnotation>, Vec<Error>> {
    known_members(v, QmtlExPostFailure::WIRE_FIELDS);
    let mut f: QmtlExPostFailure = crate::schema::from_value(v).map_err(|e| vec![e])?;
    for (k, s) in [
        ("category", &f.category),
        ("reason_code", &f.reason_code),
        ("actor", &f.actor),
    ] {
        if s.trim().is_empty() {
            return Err(vec![Error::new(
                Code::InvalidValue,
                format!("/{k}"),
                format!("`{k}` must not be empty"),
            )]);
        }
    }
    for s in [
        &mut f.case_id,
        &mut f.evidence_url,
        &mut f.recorded_at,
        &mut f.notes,
    ] {
        clean(s);
    }
    for s in [&mut f.category, &mut f.reason_code, &mut f.actor] {
        let mut kinds = Vec::new();
        if let Some(c) = sanitize_text(s, &mut kinds) {
            *s = c;
        }
    }
    if f.case_id.as_deref().is_none_or(|s| s.trim().is_empty()) {
        f.case_id = Some(format!(
            "case-{}",
            current.summary.ex_post_failures.len() + 1
        ));
    }
    if f.recorded_at.as_deref().is_none_or(|s| s.trim().is_empty()) {
        f.recorded_at = Some(at.to_string());
    }
    Ok(Some(QmtlAnnotation::ExPostFailure(f)))
}

fn clean(s: &mut Option<String>) {
    if let Some(text) = s.as_deref() {
        let mut kinds = Vec::new();
        if let Some(c) = sanitize_text(text, &mut kinds) {
            *s = Some(c);
        }
    }
}

/// An error as QMTL's clients read it, with its HTTP status: `404 {"detail": "evaluation run
/// not found"}` for `E_RUN_NOT_FOUND`, `409 {"detail": {"code": "E_RUN_NOT_EVALUATED",
/// "message": "evaluation run has no metrics yet"}}`, and `{"detail": {code, message, path,
/// help?}}` (the first error's) with the code's status otherwise.
pub fn error_document(errors: &[Error]) -> (u16, QmtlError) {
    let first = errors.first().cloned().unwrap_or_else(|| {
        Error::new(
            Code::Internal,
            "",
            "operation failed without an error value",
        )
    });
    let status = first.code.http_status();
    let detail = match first.code {
        Code::RunNotFound => serde_json::Value::String(NOT_FOUND_DETAIL.to_string()),
        Code::RunNotEvaluated => serde_json::json!({
            "code": first.code,
            "message": NOT_EVALUATED_DETAIL,
        }),
        _ => {
            let mut d = serde_json::json!({
                "code": first.code,
                "message": first.message,
                "path": first.path,
            });
            if let (Some(h), Some(m)) = (&first.help, d.as_object_mut()) {
                m.insert("help".into(), serde_json::Value::String(h.clone()));
            }
            d
        }
    };
    (status, QmtlError { detail })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{EvaluationMetrics, Gating, QmtlAnnotationEntry, Run};

    fn input(evaluated: bool, verdict: Verdict) -> QmtlRunInput {
        let mut run: Run =
            crate::run::new_run("w", "s", "r-1", "2026-01-01T00:00:00Z").expect("run");
        if evaluated {
            run.status.status = RunState::Evaluated;
            run.status.updated_at = "2026-01-01T00:00:05Z".into();
            run.metrics = Some(EvaluationMetrics {
                v15: Some(serde_json::json!({
                    "returns": {"sharpe": 0.25, "max_drawdown": 0.125},
                    "sample": {"effective_history_years": 1.5, "n_trades_total": 378}
                })),
                ..EvaluationMetrics::default()
            });
            run.decision = Some(Gating {
                verdict,
                ..Gating::default()
            });
        }
        QmtlRunInput {
            run,
            decision: None,
            policy_version: Some(3),
            meta: serde_json::Map::new(),
            annotations: Vec::new(),
        }
    }

    #[test]
    fn a_submitted_run_is_evaluating_with_nothing_the_sdk_calls_ready() {
        let d = run_document(&input(false, Verdict::Pending));
        assert_eq!(d.status, QmtlRunStatus::Evaluating);
        assert_eq!(d.metrics, None);
        assert_eq!(d.summary.status, None);
        assert_eq!(d.summary.recommended_stage, None);
        assert_eq!(d.validation, None);
        assert_eq!(d.stage, QmtlStage::Backtest);
        assert_eq!(d.risk_tier, QmtlRiskTier::High);
        assert_eq!(d.links.metrics, "/worlds/w/strategies/s/runs/r-1/metrics");
        let e = metrics_document(&input(false, Verdict::Pending)).expect_err("409");
        let (status, body) = error_document(&[e]);
        assert_eq!(status, 409);
        assert_eq!(
            serde_json::to_value(body).expect("json"),
            serde_json::json!({"detail": {"code": "E_RUN_NOT_EVALUATED", "message": "evaluation run has no metrics yet"}})
        );
    }

    #[test]
    fn an_evaluated_run_carries_the_v15_set_and_the_verdict_as_status() {
        for (v, s) in [
            (Verdict::Valid, Some(RuleStatus::Pass)),
            (Verdict::Warn, Some(RuleStatus::Warn)),
            (Verdict::Invalid, Some(RuleStatus::Fail)),
            (Verdict::Pending, None),
        ] {
            let mut i = input(true, v);
            i.meta.insert("risk_tier".into(), "low".into());
            i.meta.insert("stage".into(), "paper".into());
            let d = metrics_document(&i).expect("evaluated");
            assert_eq!(d.status, QmtlRunStatus::Evaluated);
            assert_eq!(d.summary.status, s);
            assert_eq!(d.risk_tier, QmtlRiskTier::Low);
            assert_eq!(d.stage, QmtlStage::Paper);
            let m = d.metrics.expect("metrics");
            assert_eq!(m.returns.sharpe, Some(0.25));
            assert_eq!(m.returns.max_drawdown, Some(0.125));
            assert_eq!(m.sample.effective_history_years, Some(1.5));
            assert_eq!(m.sample.n_trades_total, Some(378));
        }
    }

    #[test]
    fn annotations_change_summary_and_updated_at_only_and_history_replays_them() {
        let mut i = input(true, Verdict::Valid);
        let before = run_document(&i);
        let body = br#"{"status": "approved", "reason": "ok", "actor": "a", "timestamp": "t"}"#;
        let note = annotation("override", body, &before, "2026-02-01T00:00:00Z")
            .expect("valid")
            .expect("recorded");
        i.annotations.push(QmtlAnnotationEntry {
            revision: 2,
            recorded_at: "2026-02-01T00:00:00Z".into(),
            annotation: note,
        });
        let after = run_document(&i);
        assert_eq!(after.summary.override_status, OverrideStatus::Approved);
        assert_eq!(after.updated_at, "2026-02-01T00:00:00Z");
        assert_eq!(after.metrics, before.metrics);
        assert_eq!(after.summary.status, before.summary.status);
        // The same status again records nothing.
        assert_eq!(annotation("override", body, &after, "x"), Ok(None));
        // … but the body is checked first: an incomplete `approved` is refused even then.
        let e = annotation("override", br#"{"status": "approved"}"#, &after, "x")
            .expect_err("incomplete on an approved run");
        assert_eq!(e[0].path, "/reason");
        // `approved` needs all three.
        let e = annotation("override", br#"{"status": "approved"}"#, &before, "x")
            .expect_err("incomplete");
        assert_eq!(e[0].path, "/reason");
        assert!(e[0].message.contains("missing: reason, actor, timestamp"));
        let e = annotation("override", br#"{"status": "maybe"}"#, &before, "x").expect_err("bad");
        assert_eq!((e[0].code, e[0].path.as_str()), (Code::Schema, "/status"));
        let f = annotation(
            "ex_post_failure",
            br#"{"category": "exec", "reason_code": "slip", "actor": "m"}"#,
            &after,
            "2026-03-01T00:00:00Z",
        )
        .expect("valid");
        let Some(QmtlAnnotation::ExPostFailure(f)) = f else {
            panic!("a failure")
        };
        assert_eq!(f.case_id.as_deref(), Some("case-1"));
        assert_eq!(f.recorded_at.as_deref(), Some("2026-03-01T00:00:00Z"));
        // Unknown members are ignored (QMTL's pydantic models ignore them) and not stored.
        let extra = br#"{"status": "rejected", "ticket": "R-7", "reason": "desk"}"#;
        let Some(QmtlAnnotation::Override(o)) =
            annotation("override", extra, &before, "x").expect("an extra key is ignored")
        else {
            panic!("an override")
        };
        assert_eq!(o.status, OverrideStatus::Rejected);
        let stored = serde_json::to_value(&o).expect("serializable");
        assert!(stored.get("ticket").is_none());
        let body = br#"{"category": "c", "reason_code": "r", "actor": "m", "ticket": 7}"#;
        assert!(annotation("ex_post_failure", body, &after, "x").is_ok());
        // What is not an object stays the decoder's to refuse, at the body itself.
        for body in [&b"[]"[..], b"\"approved\"", b"null"] {
            let e = annotation("override", body, &before, "x").expect_err("not an object");
            assert_eq!((e[0].code, e[0].path.as_str()), (Code::Schema, ""));
        }
        // A `__proto__` or deeply nested unknown member is dropped like any other.
        let odd =
            br#"{"status": "rejected", "__proto__": {"status": "approved"}, "x": [[[[[[1]]]]]]}"#;
        let Some(QmtlAnnotation::Override(o)) =
            annotation("override", odd, &before, "x").expect("read")
        else {
            panic!("an override")
        };
        assert_eq!(o.status, OverrideStatus::Rejected);

        let revisions = [
            QmtlRevision {
                revision: 1,
                recorded_at: "2026-01-01T00:00:00Z".into(),
                status: crate::run::new_run("w", "s", "r-1", "2026-01-01T00:00:00Z")
                    .expect("run")
                    .status,
            },
            QmtlRevision {
                revision: 2,
                recorded_at: "2026-02-01T00:00:00Z".into(),
                status: i.run.status.clone(),
            },
        ];
        let h = history(&i, &revisions);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].payload.metrics, None);
        assert_eq!(h[0].payload.summary.override_status, OverrideStatus::None);
        assert_eq!(
            h[1].payload.summary.override_status,
            OverrideStatus::Approved
        );
        assert!(h[1].payload.metrics.is_some());
    }

    #[test]
    fn a_missing_run_is_quoted_as_qmtl_words_it() {
        let (status, body) = error_document(&[Error::new(Code::RunNotFound, "", "no run `x`")]);
        assert_eq!(status, 404);
        assert_eq!(body.detail, serde_json::json!("evaluation run not found"));
        let (status, body) = error_document(&[Error::new(Code::IdInvalid, "/path/run_id", "bad")]);
        assert_eq!(status, 422);
        assert_eq!(body.detail["path"], "/path/run_id");
    }
}
