//! The evaluation-run state machine.
