//! The document kinds worldgate reads ([`DocumentKind`]) and the answer of a document check
//! ([`DocumentValidation`]); the operations that classify and check documents are
//! [`crate::api::document`]'s.

use crate::error::Error;
use crate::json::fields::table_struct;
use serde::{Deserialize, Serialize};
/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// An upload bundle (`bundle`).
    Bundle,
    /// A snapshot envelope (`snapshot`).
    Snapshot,
    /// A run's metrics document (`metrics-document`).
    MetricsDocument,
    /// A run status document (`run-status`).
    RunStatus,
    /// A run record: status, metrics, decision, history (`run`).
    Run,
    /// The gate's result (`gate-result`).
    GateResult,
    /// A world policy, JSON or YAML (`policy`).
    Policy,
    /// A bare returns series.
    Returns,
    /// A JSON array of documents.
    List,
}

impl DocumentKind {
    /// The kind's name on the wire (`"metrics-document"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Bundle => "bundle",
            DocumentKind::Snapshot => "snapshot",
            DocumentKind::MetricsDocument => "metrics-document",
            DocumentKind::RunStatus => "run-status",
            DocumentKind::Run => "run",
            DocumentKind::GateResult => "gate-result",
            DocumentKind::Policy => "policy",
            DocumentKind::Returns => "returns",
            DocumentKind::List => "list",
        }
    }
}

/// What [`validate_document`](crate::api::document::validate_document) answers: the kind (`null` when unknown) and the validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DocumentValidation {
    /// The document's kind, or `null` when it is none worldgate reads.
    pub kind: Option<DocumentKind>,
    /// `true` when there are no errors.
    pub ok: bool,
    /// Every problem found, each with code, message and JSON-pointer path.
    pub errors: Vec<Error>,
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(DocumentValidation { kind, ok, errors } required [ok, errors]);
