//! JSON primitives, knowing nothing of bundles or policies: the strict byte reader with limits
//! ([`reader`]), RFC 8785 canonical JSON ([`canonical`], [`canonical_text`]), the wire encoding
//! of non-finite numbers ([`Num`]) and number formatting ([`numfmt`]).
//!
//! This is the bottom layer with [`crate::digest`]: it imports only [`crate::error`].

#[cfg(feature = "engine")]
pub mod canonical;
#[cfg(feature = "engine")]
pub(crate) mod canonical_text;
#[cfg(feature = "engine")]
mod decimal;
pub mod num;
#[cfg(feature = "engine")]
pub(crate) mod numfmt;
#[cfg(feature = "engine")]
pub mod reader;
#[cfg(feature = "engine")]
mod series;
pub mod value_de;

pub use num::{Num, non_finite_str, parse_non_finite};
#[cfg(feature = "engine")]
pub use reader::{DEPTH_CEILING, Limits, Series, SeriesSpec, parse, parse_with_series};
