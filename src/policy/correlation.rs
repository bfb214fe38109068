//! Pairwise correlations: given as JSON, or computed from returns series on demand.
//!
//! Given correlations ([`Correlations`]) come as pairs `[[a, b, ρ], …]` in any order, as a
//! matrix with ids `{"ids": [...], "matrix": [[...]]}`, or as nested objects
//! `{"a": {"b": ρ}}`. Every ρ must be a finite number in −1..1 and a pair given twice must
//! agree.
//!
//! Computed correlations ([`SeriesCorrelator`]) are Pearson's ρ over the *aligned overlap* of
//! two returns series: series are aligned by their last sample (index from the end — the most
//! recent periods coincide), the overlap is the last `min(len_a, len_b)` samples, and samples
//! where either value is not finite are left out. Fewer than `min_overlap` usable samples, or
//! a flat series, give an explicit [`PairRho`] outcome instead of a number. When both series
//! are dated (the input's `timestamps`), they are aligned **by date** instead: the overlap is
//! the intersection of their dates ([`crate::metrics::timeline::align`]), the same
//! `min_overlap` rule applying to it; the explanation records which alignment was used. Nothing is
//! computed up front: the greedy pass asks for the pairs it needs, and a pair of complete,
//! equally long series costs one dot product of series pre-normalised to mean 0 and unit norm.

use super::fasthash::FastState;
use super::unit_series::UnitSeries;
use crate::error::{Code, Error, pointer_join};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Default fewest overlapping samples for a computed correlation.
pub const DEFAULT_MIN_OVERLAP: u32 = 30;

/// Correlations supplied by the caller, keyed by unordered pair.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Correlations {
    /// Both directions, so a lookup allocates nothing.
    pairs: HashMap<String, HashMap<String, f64, FastState>, FastState>,
    count: usize,
}

/// A correlation cell at `path`: a JSON number, or one of the non-finite spellings (`"nan"`,
/// `"+inf"`, `"-inf"`), which [`Correlations::insert`] then rejects as out of range.
///
/// # Errors
/// `E_SCHEMA` ("expected a number") for anything else.
#[inline]
fn rho_of(x: &Value, path: &str) -> Result<f64, Error> {
    match x {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| Error::new(Code::Schema, path, "expected a number")),
        Value::String(s) => crate::schema::parse_non_finite(s)
            .ok_or_else(|| Error::new(Code::Schema, path, "expected a number")),
        _ => Err(Error::new(Code::Schema, path, "expected a number")),
    }
}

impl Correlations {
    /// Builds from `(a, b, ρ)` triples, in any pair order.
    ///
    /// # Errors
    /// `E_INVALID_VALUE` for a ρ that is not finite or outside −1..1, or a pair given twice
    /// with different values (the path is the triple's index).
    pub fn from_pairs<I, A, B>(pairs: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = (A, B, f64)>,
        A: AsRef<str>,
        B: AsRef<str>,
    {
        let mut out = Correlations::default();
        for (i, (a, b, rho)) in pairs.into_iter().enumerate() {
            out.insert(a.as_ref(), b.as_ref(), rho, &format!("/{i}"))?;
        }
        Ok(out)
    }

    fn insert(&mut self, a: &str, b: &str, rho: f64, path: &str) -> Result<(), Error> {
        if !rho.is_finite() || !(-1.0..=1.0).contains(&rho) {
            return Err(Error::new(
                Code::InvalidValue,
                path,
                format!("correlation of `{a}` and `{b}` must be a number in -1..1"),
            ));
        }
        if a == b {
            return Ok(());
        }
        if let Some(old) = self.get(a, b)
            && old != rho
        {
            return Err(Error::new(
                Code::InvalidValue,
                path,
                format!("correlation of `{a}` and `{b}` given twice with different values"),
            ));
        }
        if self.get(a, b).is_none() {
            self.count += 1;
        }
        self.pairs
            .entry(a.to_string())
            .or_default()
            .insert(b.to_string(), rho);
        self.pairs
            .entry(b.to_string())
            .or_default()
            .insert(a.to_string(), rho);
        Ok(())
    }

    /// Parses pairs, a matrix with ids, or nested objects.
    ///
    /// # Errors
    /// `E_SCHEMA` for another shape, `E_INVALID_VALUE` as in [`Correlations::from_pairs`].
    /// The first error stops the reading; its path is relative to the correlations value.
    pub fn from_value(v: &Value) -> Result<Self, Error> {
        let mut out = Correlations::default();
        match v {
            Value::Null => {}
            Value::Array(items) => out.read_pairs(items)?,
            Value::Object(m) if m.contains_key("ids") || m.contains_key("matrix") => {
                out.read_matrix(m)?;
            }
            Value::Object(m) => out.read_nested(m)?,
            _ => {
                return Err(Error::new(
                    Code::Schema,
                    "",
                    "expected correlations as `[[a, b, rho], ...]`, `{ids, matrix}` or `{a: {b: rho}}`",
                ));
            }
        }
        Ok(out)
    }

    /// `[[id_a, id_b, rho], ...]`: each item exactly three long, two ids and a number (errors
    /// at `/<i>`, the number's at `/<i>/2`).
    fn read_pairs(&mut self, items: &[Value]) -> Result<(), Error> {
        for (i, item) in items.iter().enumerate() {
            let p = format!("/{i}");
            let (Some(a), Some(b), Some(r), None) = (
                item.get(0).and_then(Value::as_str),
                item.get(1).and_then(Value::as_str),
                item.get(2),
                item.get(3),
            ) else {
                return Err(Error::new(Code::Schema, p, "expected `[id_a, id_b, rho]`"));
            };
            let rho = rho_of(r, &format!("{p}/2"))?;
            self.insert(a, b, rho, &p)?;
        }
        Ok(())
    }

    /// `{ids, matrix}`: a square matrix with one row per id; the diagonal is not read, each
    /// other cell (at `/matrix/<i>/<j>`) is the correlation of ids `i` and `j`.
    fn read_matrix(&mut self, m: &Map<String, Value>) -> Result<(), Error> {
        let ids: Vec<&str> = m
            .get("ids")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(Value::as_str).collect())
            .ok_or_else(|| Error::new(Code::Schema, "/ids", "expected an array of strategy ids"))?;
        let rows = m
            .get("matrix")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::new(Code::Schema, "/matrix", "expected an array of rows"))?;
        if rows.len() != ids.len() {
            return Err(Error::new(
                Code::Schema,
                "/matrix",
                "the matrix must have one row per id",
            ));
        }
        for (i, (row, a)) in rows.iter().zip(&ids).enumerate() {
            let cells = row
                .as_array()
                .filter(|r| r.len() == ids.len())
                .ok_or_else(|| {
                    Error::new(
                        Code::Schema,
                        format!("/matrix/{i}"),
                        "the matrix must be square",
                    )
                })?;
            for (j, (cell, b)) in cells.iter().zip(&ids).enumerate() {
                if i == j {
                    continue;
                }
                let p = format!("/matrix/{i}/{j}");
                let rho = rho_of(cell, &p)?;
                self.insert(a, b, rho, &p)?;
            }
        }
        Ok(())
    }

    /// `{a: {b: rho}}`: each row an object of numbers (the cell of `a` and `b` at `/a/b`).
    fn read_nested(&mut self, m: &Map<String, Value>) -> Result<(), Error> {
        for (a, row) in m {
            let Value::Object(inner) = row else {
                return Err(Error::new(
                    Code::Schema,
                    pointer_join("", a),
                    "expected an object of correlations",
                ));
            };
            for (b, cell) in inner {
                let p = pointer_join(&pointer_join("", a), b);
                let rho = rho_of(cell, &p)?;
                self.insert(a, b, rho, &p)?;
            }
        }
        Ok(())
    }

    /// ρ of the unordered pair, if given.
    pub fn get(&self, a: &str, b: &str) -> Option<f64> {
        self.pairs.get(a)?.get(b).copied()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when no pair is given.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The correlation of one pair, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PairRho {
    /// Known ρ.
    Known(f64),
    /// Neither given nor computable: no series for one of the two.
    NoData,
    /// The aligned overlap has fewer usable samples than required.
    InsufficientOverlap { overlap: usize },
    /// A series is flat over the overlap.
    Undefined,
}

struct Prepared<'a> {
    raw: &'a [f64],
    /// The dates of `raw`, when the strategy has them.
    dates: Option<&'a [f64]>,
    /// Mean-0, unit-norm copy when every sample is finite and the series is not flat.
    unit: Option<UnitSeries>,
}

/// How two series were paired for a computed correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alignment {
    /// On the intersection of their dates.
    Date,
    /// By position from the end (the most recent periods coincide).
    Position,
}

impl Alignment {
    /// The wire name: `date` or `position`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Alignment::Date => "date",
            Alignment::Position => "position",
        }
    }
}

/// Computes correlations from returns series on demand, for a list of candidates addressed by
/// their position in it (a pair costs no lookup by id).
pub(crate) struct SeriesCorrelator<'a> {
    /// Per candidate, its prepared series (`None`: it has none).
    series: Vec<Option<Prepared<'a>>>,
    min_overlap: usize,
}

/// One candidate's returns series and, when dated, its dates (as long as the series, else
/// ignored).
pub(crate) type Dated<'a> = (&'a [f64], Option<&'a [f64]>);

impl<'a> SeriesCorrelator<'a> {
    /// Prepares each candidate's series (`None` for a candidate without one), in the order
    /// [`SeriesCorrelator::rho`] addresses them.
    pub(crate) fn new(
        candidates: impl IntoIterator<Item = Option<Dated<'a>>>,
        min_overlap: u32,
    ) -> Self {
        let series = candidates
            .into_iter()
            .map(|c| {
                c.map(|(raw, dates)| Prepared {
                    raw,
                    dates: dates.filter(|d| d.len() == raw.len()),
                    unit: UnitSeries::of(raw),
                })
            })
            .collect();
        SeriesCorrelator {
            series,
            min_overlap: usize::try_from(min_overlap).unwrap_or(usize::MAX).max(2),
        }
    }

    /// ρ of the candidates at positions `a` and `b`, and the alignment used (`None` without
    /// data: a position without a series, or out of range).
    pub(crate) fn rho(&self, a: usize, b: usize) -> (PairRho, Option<Alignment>) {
        let (Some(pa), Some(pb)) = (self.prepared(a), self.prepared(b)) else {
            return (PairRho::NoData, None);
        };
        if let (Some(da), Some(db)) = (pa.dates, pb.dates) {
            let (x, y) = crate::metrics::timeline::align_values(pa.raw, da, pb.raw, db);
            return (
                pearson_tail(&x, &y, self.min_overlap),
                Some(Alignment::Date),
            );
        }
        (self.rho_by_position(pa, pb), Some(Alignment::Position))
    }

    /// [`SeriesCorrelator::rho`] of `a` with `b0` and with `b1`: when both pairs take the dot
    /// product of complete series, the two products are computed in one pass over `a` (the
    /// same numbers, bit for bit, at about the cost of one).
    pub(crate) fn rho_two(
        &self,
        a: usize,
        [b0, b1]: [usize; 2],
    ) -> [(PairRho, Option<Alignment>); 2] {
        if let (Some((ua, u0)), Some((_, u1))) = (self.by_dot(a, b0), self.by_dot(a, b1)) {
            let (d0, d1) = ua.dot2(u0, u1);
            let known = |d: f64| {
                (
                    PairRho::Known(d.clamp(-1.0, 1.0)),
                    Some(Alignment::Position),
                )
            };
            return [known(d0), known(d1)];
        }
        [self.rho(a, b0), self.rho(a, b1)]
    }

    /// The prepared series of the candidate at position `k`, if it has one.
    fn prepared(&self, k: usize) -> Option<&Prepared<'a>> {
        self.series.get(k).and_then(Option::as_ref)
    }

    /// The unit series of `a` and `b` when [`SeriesCorrelator::rho`] takes their dot product:
    /// not both dated, and [`units`] with enough overlap.
    fn by_dot(&self, a: usize, b: usize) -> Option<(&UnitSeries, &UnitSeries)> {
        let (pa, pb) = (self.prepared(a)?, self.prepared(b)?);
        if pa.dates.is_some() && pb.dates.is_some() {
            return None;
        }
        units(pa, pb).filter(|(ua, _)| ua.len() >= self.min_overlap)
    }

    fn rho_by_position(&self, pa: &Prepared<'_>, pb: &Prepared<'_>) -> PairRho {
        match units(pa, pb) {
            Some((ua, _)) if ua.len() < self.min_overlap => {
                PairRho::InsufficientOverlap { overlap: ua.len() }
            }
            Some((ua, ub)) => PairRho::Known(ua.dot(ub).clamp(-1.0, 1.0)),
            None => pearson_tail(pa.raw, pb.raw, self.min_overlap),
        }
    }
}

/// Both series' unit forms when each has one (complete, varying) and they are equally long:
/// their ρ over the whole overlap is then the dot product of the two.
fn units<'p>(
    pa: &'p Prepared<'_>,
    pb: &'p Prepared<'_>,
) -> Option<(&'p UnitSeries, &'p UnitSeries)> {
    match (&pa.unit, &pb.unit) {
        (Some(ua), Some(ub)) if ua.len() == ub.len() => Some((ua, ub)),
        _ => None,
    }
}

/// Pearson ρ over the aligned tail overlap, skipping non-finite samples.
fn pearson_tail(a: &[f64], b: &[f64], min_overlap: usize) -> PairRho {
    let m = a.len().min(b.len());
    let ta = a.get(a.len() - m..).unwrap_or_default();
    let tb = b.get(b.len() - m..).unwrap_or_default();
    let pairs: Vec<(f64, f64)> = ta
        .iter()
        .zip(tb)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect();
    let n = pairs.len();
    if n < min_overlap {
        return PairRho::InsufficientOverlap { overlap: n };
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        let (dx, dy) = (x - mx, y - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return PairRho::Undefined;
    }
    PairRho::Known((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use serde_json::json;

    /// A correlator of `ids` from maps of series and dates by id.
    fn correlator<'a>(
        returns: &'a IndexMap<String, Vec<f64>>,
        dates: Option<&'a IndexMap<String, Vec<f64>>>,
        ids: &'a [&'a str],
        min_overlap: u32,
    ) -> impl Fn(&str, &str) -> (PairRho, Option<Alignment>) + 'a {
        let c = SeriesCorrelator::new(
            ids.iter().map(|id| {
                let dated = dates.and_then(|d| d.get(*id)).map(Vec::as_slice);
                returns.get(*id).map(|r| (r.as_slice(), dated))
            }),
            min_overlap,
        );
        let at = |id: &str| ids.iter().position(|x| *x == id).unwrap_or(usize::MAX);
        move |a, b| c.rho(at(a), at(b))
    }

    #[test]
    fn pairs_in_any_order_matrix_and_nested() {
        let p = Correlations::from_value(&json!([["b", "a", 0.3], ["a", "c", -0.2]])).unwrap();
        assert_eq!(p.get("a", "b"), Some(0.3));
        assert_eq!(p.get("c", "a"), Some(-0.2));
        assert_eq!(p.get("b", "c"), None);
        let m =
            Correlations::from_value(&json!({"ids": ["a", "b"], "matrix": [[1, 0.4], [0.4, 1]]}))
                .unwrap();
        assert_eq!(m.get("b", "a"), Some(0.4));
        let n = Correlations::from_value(&json!({"a": {"b": 0.5}})).unwrap();
        assert_eq!(n.get("b", "a"), Some(0.5));
    }

    #[test]
    fn bad_correlations_are_errors() {
        let e = Correlations::from_value(&json!([["a", "b", 1.5]])).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InvalidValue, "/0"));
        let e = Correlations::from_value(&json!([["a", "b", 0.1], ["b", "a", 0.2]])).unwrap_err();
        assert_eq!(e.path, "/1");
        let e = Correlations::from_value(&json!({"ids": ["a", "b"], "matrix": [[1, 0.4]]}))
            .unwrap_err();
        assert_eq!(e.code, Code::Schema);
        assert!(Correlations::from_value(&json!([["a", "b", "nan"]])).is_err());
    }

    #[test]
    fn computed_rho_matches_closed_forms() {
        // y = 2x + 1 → ρ = 1; z = −x → ρ = −1; w orthogonal to x (mean-0 parts) → ρ = 0.
        let x: Vec<f64> = (0..40).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
        let z: Vec<f64> = x.iter().map(|v| -v).collect();
        let w: Vec<f64> = (0..40)
            .map(|i| if (i / 2) % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let mut r = IndexMap::new();
        for (k, v) in [("x", x), ("y", y), ("z", z), ("w", w)] {
            r.insert(k.to_string(), v);
        }
        let c = correlator(&r, None, &["x", "y", "z", "w"], 30);
        let PairRho::Known(rho) = c("x", "y").0 else {
            panic!()
        };
        assert!((rho - 1.0).abs() < 1e-12);
        let PairRho::Known(rho) = c("x", "z").0 else {
            panic!()
        };
        assert!((rho + 1.0).abs() < 1e-12);
        // Σ (i − 19.5)·w_i over i = 0..39 with w = +1,+1,−1,−1,…: each block of 4 gives −4,
        // ten blocks → −40; ‖x−x̄‖² = 40·(40²−1)/12 = 5330, ‖w‖² = 40 → ρ = −40/√(5330·40).
        let PairRho::Known(rho) = c("x", "w").0 else {
            panic!()
        };
        assert!((rho - (-40.0 / (5330.0_f64 * 40.0).sqrt())).abs() < 1e-12);
        assert_eq!(c("x", "nope").0, PairRho::NoData);
    }

    #[test]
    fn unequal_lengths_align_by_the_end_and_short_overlap_is_reported() {
        let long: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
        let tail: Vec<f64> = long.get(20..).unwrap().to_vec(); // the last 30 samples
        let mut r = IndexMap::new();
        r.insert("long".to_string(), long);
        r.insert("tail".to_string(), tail.clone());
        r.insert("short".to_string(), tail.get(..10).unwrap().to_vec());
        let mut with_nan = tail.clone();
        with_nan[3] = f64::NAN;
        r.insert("nan".to_string(), with_nan);
        r.insert("flat".to_string(), vec![0.5; 40]);
        let c = correlator(&r, None, &["long", "tail", "short", "nan", "flat"], 20);
        let PairRho::Known(rho) = c("long", "tail").0 else {
            panic!()
        };
        assert!((rho - 1.0).abs() < 1e-12);
        assert_eq!(
            c("long", "short").0,
            PairRho::InsufficientOverlap { overlap: 10 }
        );
        let PairRho::Known(rho) = c("tail", "nan").0 else {
            panic!()
        };
        assert!((rho - 1.0).abs() < 1e-12);
        assert_eq!(c("long", "flat").0, PairRho::Undefined);
    }

    #[test]
    fn two_pairs_at_once_are_each_pair_s_rho() {
        let wave = |k: f64, n: i32| -> Vec<f64> {
            (0..n)
                .map(|i| (k * 1.7 + f64::from(i) * 0.37).sin() / 100.0)
                .collect()
        };
        let mut with_nan = wave(4.0, 41);
        with_nan[5] = f64::NAN;
        let series: Vec<Option<Vec<f64>>> = vec![
            Some(wave(1.0, 41)),
            Some(wave(1.05, 41)),
            Some(wave(2.0, 43)),
            Some(with_nan),
            Some(vec![0.5; 41]),
            None,
            Some(wave(3.0, 10)),
            Some(wave(5.0, 41)),
        ];
        let dates: Vec<f64> = (0..41).map(f64::from).collect();
        for dated in [None, Some(7)] {
            let c = SeriesCorrelator::new(
                series.iter().enumerate().map(|(k, s)| {
                    let d = (Some(k) == dated || k == 0).then_some(dates.as_slice());
                    s.as_deref().map(|r| (r, d))
                }),
                30,
            );
            for a in 0..series.len() + 1 {
                for b0 in 0..series.len() + 1 {
                    for b1 in 0..series.len() + 1 {
                        let two = c.rho_two(a, [b0, b1]);
                        assert_eq!(two, [c.rho(a, b0), c.rho(a, b1)], "{a} {b0} {b1}");
                    }
                }
            }
        }
    }

    #[test]
    fn dated_series_align_on_common_dates_not_positions() {
        // b is a shifted by one date: by position ρ < 1, by date the common dates carry
        // identical returns, so ρ = 1.
        let a = vec![0.01, -0.02, 0.03, 0.00, 0.02, -0.01];
        let b = vec![-0.02, 0.03, 0.00, 0.02, -0.01, 0.05];
        let r: IndexMap<String, Vec<f64>> = [("a".to_string(), a), ("b".to_string(), b)].into();
        let d: IndexMap<String, Vec<f64>> = [
            ("a".to_string(), (0..6).map(f64::from).collect()),
            ("b".to_string(), (1..7).map(f64::from).collect()),
        ]
        .into();
        let by_date = correlator(&r, Some(&d), &["a", "b"], 5);
        assert_eq!(
            by_date("a", "b"),
            (PairRho::Known(1.0), Some(Alignment::Date))
        );
        let strict = correlator(&r, Some(&d), &["a", "b"], 6);
        assert_eq!(
            strict("a", "b"),
            (
                PairRho::InsufficientOverlap { overlap: 5 },
                Some(Alignment::Date)
            )
        );
        let by_pos = correlator(&r, None, &["a", "b"], 5);
        let (PairRho::Known(rho), Some(Alignment::Position)) = by_pos("a", "b") else {
            panic!("expected a positional rho");
        };
        assert!(rho < 0.5, "{rho}");
    }
}
