//! [`Answer`]: what an operation on a user's document answers — a value, or every error found.

use crate::error::Error;
use serde::Serialize;

/// `{type: "success", value}` or `{type: "failure", errors}`: user mistakes are data, not
/// exceptions. `errors` is never empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer<T> {
    /// The operation succeeded.
    Success {
        /// Its result.
        value: T,
    },
    /// The input was not acceptable.
    Failure {
        /// Every error found, each with code, message and JSON-pointer path.
        errors: Vec<Error>,
    },
}

impl<T> Answer<T> {
    /// The answer of a result.
    pub fn of(result: Result<T, Vec<Error>>) -> Self {
        match result {
            Ok(value) => Answer::Success { value },
            Err(errors) => Answer::Failure { errors },
        }
    }
}
