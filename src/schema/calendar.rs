//! The `calendar` report block (wire type) and the time axis of a series (`timestamps` or
//! `index`). The definitions are in `worldgate::metrics::calendar`.

use super::Num;
use crate::json::fields::table_struct;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A regular time index: `n` timestamps from `start`, one per return, at `frequency`.
///
/// ```json
/// {"start": "2024-01-31T00:00:00Z", "frequency": "1M"}
/// ```
/// Frequencies: `1m` minute, `1h` hour, `1d` calendar day, `1B` business day (Monday–Friday,
/// no holidays), `1w` week, `1M` month end (the start must be a month's last day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SeriesIndex {
    /// The first return's timestamp, RFC 3339 UTC.
    pub start: String,
    /// `1m`, `1h`, `1d`, `1B`, `1w` or `1M`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        schemars(extend("enum" = ["1m", "1h", "1d", "1B", "1w", "1M"])),
        ts(type = "\"1m\" | \"1h\" | \"1d\" | \"1B\" | \"1w\" | \"1M\"")
    )]
    pub frequency: String,
}

/// Options of `worldgate::api::calendar::calendar` and the JS `computeCalendar`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct CalendarOptions {
    /// A regular index instead of explicit timestamps (give one of the two).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub index: Option<SeriesIndex>,
}

/// The compounded return of one calendar month or year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CalendarPeriod {
    /// `YYYY-MM` for a month, `YYYY` for a year.
    pub period: String,
    /// The calendar year.
    pub year: i32,
    /// The month, 1–12; absent for a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub month: Option<u32>,
    /// ∏(1 + r) − 1 over the period's finite returns (0 when it has none).
    #[serde(rename = "return")]
    pub ret: Num,
    /// Finite returns in the period.
    pub periods: u64,
}

/// How the calendar block was computed, recorded in the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CalendarConventions {
    /// `"compounded"`: every period's and window's return is ∏(1 + r) − 1.
    pub compounding: String,
    /// `"utc"`: a return belongs to the UTC calendar day, month and year of its timestamp.
    pub calendar: String,
    /// `"after_boundary"`: a trailing window of k months as of T holds the returns dated
    /// strictly after T − k months (day clamped to the month's end) and needs a return dated
    /// at or before that boundary, else it is null.
    pub trailing_window: String,
    /// `"positive_over_nonzero"`: the share of positive months / quarters / years is
    /// #(R > 0) / #(R ≠ 0).
    pub positive_share: String,
    /// `"dropped"`: NaN returns are left out (flat periods); their timestamps still count for
    /// the calendar.
    pub nan_policy: String,
}

/// Calendar statistics of a dated returns series, as of its last timestamp T.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// T, the last timestamp (RFC 3339 UTC); null for an empty series.
    pub as_of: Option<String>,
    /// One row per calendar month holding a timestamp, in order (the monthly heatmap).
    pub months: Vec<CalendarPeriod>,
    /// One row per calendar year holding a timestamp, in order (the end-of-year bars).
    pub years: Vec<CalendarPeriod>,
    /// The highest monthly return.
    pub best_month: Option<Num>,
    /// `YYYY-MM` of `best_month` (the first such month on ties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub best_month_period: Option<String>,
    /// The lowest monthly return.
    pub worst_month: Option<Num>,
    /// `YYYY-MM` of `worst_month` (the first such month on ties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub worst_month_period: Option<String>,
    /// The highest yearly return.
    pub best_year: Option<Num>,
    /// `YYYY` of `best_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub best_year_period: Option<String>,
    /// The lowest yearly return.
    pub worst_year: Option<Num>,
    /// `YYYY` of `worst_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional))]
    pub worst_year_period: Option<String>,
    /// #(months with R > 0) / #(months with R ≠ 0).
    pub positive_months: Option<Num>,
    /// #(quarters with R > 0) / #(quarters with R ≠ 0).
    pub positive_quarters: Option<Num>,
    /// #(years with R > 0) / #(years with R ≠ 0).
    pub positive_years: Option<Num>,
    /// Month to date: the returns dated on or after the first day of T's month.
    pub mtd: Option<Num>,
    /// The trailing 3 months.
    pub three_months: Option<Num>,
    /// The trailing 6 months.
    pub six_months: Option<Num>,
    /// Year to date: the returns dated on or after 1 January of T's year.
    pub ytd: Option<Num>,
    /// The trailing 12 months.
    pub one_year: Option<Num>,
    /// The trailing 36 months, annualised: (1 + R)^(1/3) − 1.
    pub three_years_annualised: Option<Num>,
    /// The trailing 60 months, annualised: (1 + R)^(1/5) − 1.
    pub five_years_annualised: Option<Num>,
    /// Every return: ∏(1 + r) − 1.
    pub all_time: Option<Num>,
    /// The conventions used.
    pub conventions: CalendarConventions,
    /// Why a quantity is null, keyed by its name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        ts(optional, as = "Option<IndexMap<String, String>>")
    )]
    pub reasons: IndexMap<String, String>,
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
table_struct!(SeriesIndex { start, frequency } required [start, frequency]);
