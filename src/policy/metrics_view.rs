//! A strategy's metrics as the policy reads them.
//!
//! Metrics arrive flat (`{"sharpe": 1.2}`) or nested (`{"returns": {"sharpe": 1.2}}`, the
//! metric bundle). Every leaf is addressable by its dotted path (`returns.sharpe`) and by its
//! leaf name (`sharpe`). Numbers are JSON numbers or the [`Num`](crate::schema::Num) strings
//! `"+inf"`, `"-inf"`, `"nan"`; booleans are not numbers.
//!
//! - `qmtl` dialect (QMTL's `_flatten_metrics`): only numeric leaves are kept; the first leaf
//!   seen with a name wins the short name; everything else is as if absent.
//! - `strict` dialect: every leaf is kept; a non-numeric leaf (string, boolean, `null`, array)
//!   or NaN is *present but not a number*, which rules report as `metric_not_finite`. A short
//!   name that occurs at several paths resolves to the shallowest, then the lexically first
//!   path, so the key order of the input never matters. The bundle's `gating` block and
//!   `reasons` maps are skipped.

use super::fasthash::FastState;
use crate::schema::{Dialect, parse_non_finite};
use serde_json::Value;
use std::collections::HashMap;

/// What a lookup found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Lookup {
    /// No such metric.
    Missing,
    /// Present but not a number (strict only), or NaN.
    NotNumber,
    /// A number (finite or ±∞; NaN only in the qmtl dialect).
    Value(f64),
}

impl Lookup {
    /// The number, if any.
    pub(crate) fn value(self) -> Option<f64> {
        match self {
            Lookup::Value(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Leaf {
    Num(f64),
    NotNumber,
}

/// QMTL's sample-size metrics: the `sample` rule's names.
pub(crate) const SAMPLE_KEYS: [&str; 5] = [
    "n_trades_total",
    "n_trades_per_year",
    "num_trades",
    "effective_history_years",
    "sample_days",
];

/// The flattened metrics of one strategy.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetricsView {
    /// Lookup key (leaf name or dotted path) → leaf, in QMTL's insertion order.
    entries: Entries,
    dialect: Dialect,
    /// [`MetricsView::has_sample`], found once when the view is made (every evaluation asks).
    sample: bool,
}

/// A view's lookup table: the keys one after the other in `keys`, each entry its range there
/// and its leaf, in insertion order. Flat metrics with at most [`FLAT_MAX`] keys (the usual
/// block: `sharpe`, `max_drawdown`, …) are looked up by a scan (cheaper than hashing a few
/// short names, and built with two allocations instead of one per key plus a table); others
/// through `index`.
#[derive(Debug, Clone, Default)]
struct Entries {
    keys: String,
    slots: Vec<(usize, usize, Leaf)>,
    /// Key → position in `slots`, when looked up by hash.
    index: Option<HashMap<String, usize, FastState>>,
}

/// The most keys a flat view is scanned rather than hashed.
const FLAT_MAX: usize = 16;

impl Entries {
    fn get(&self, name: &str) -> Option<&Leaf> {
        let at = match &self.index {
            Some(index) => *index.get(name)?,
            None => self
                .slots
                .iter()
                .position(|(s, e, _)| self.keys.get(*s..*e) == Some(name))?,
        };
        self.slots.get(at).map(|(_, _, leaf)| leaf)
    }

    /// Appends `key` (one not present yet, when there is no index; with one, a key already
    /// present keeps its first entry).
    fn push(&mut self, key: &str, leaf: Leaf) {
        if let Some(index) = &mut self.index {
            if index.contains_key(key) {
                return;
            }
            index.insert(key.to_owned(), self.slots.len());
        }
        let start = self.keys.len();
        self.keys.push_str(key);
        self.slots.push((start, self.keys.len(), leaf));
    }

    /// The entries in insertion order.
    fn iter(&self) -> impl Iterator<Item = (&str, &Leaf)> {
        self.slots
            .iter()
            .map(|(s, e, leaf)| (self.keys.get(*s..*e).unwrap_or_default(), leaf))
    }
}

/// A metric value that is not an object, as far as a view tells values apart: what
/// [`leaf_of`] reads from a JSON value, and what a host reading its own data hands to
/// [`FlatView::push`] without building one.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "wasm"), allow(dead_code))]
pub(crate) enum Scalar<'a> {
    /// A JSON number (its `f64`).
    Num(f64),
    /// A string.
    Str(&'a str),
    /// `null`, a boolean or an array.
    Other,
}

impl Scalar<'_> {
    /// The leaf this value is (`None`: left out): a number, `"nan"` / `"+inf"` / `"-inf"` as
    /// numbers; anything else a non-number in the strict dialect and left out in qmtl's.
    fn leaf(self, dialect: Dialect) -> Option<Leaf> {
        match self {
            Scalar::Num(x) => Some(Leaf::Num(x)),
            Scalar::Str(s) => match parse_non_finite(s) {
                Some(f) => Some(Leaf::Num(f)),
                None => (dialect == Dialect::Strict).then_some(Leaf::NotNumber),
            },
            Scalar::Other => (dialect == Dialect::Strict).then_some(Leaf::NotNumber),
        }
    }
}

/// The leaf a value that is not an object is ([`Scalar::leaf`]).
fn leaf_of(value: &Value, dialect: Dialect) -> Option<Leaf> {
    match value {
        Value::Number(n) => n.as_f64().map(Scalar::Num),
        Value::String(s) => Some(Scalar::Str(s)),
        _ => Some(Scalar::Other),
    }
    .and_then(|s| s.leaf(dialect))
}

/// A view of flat metrics (an object none of whose values is an object) built member by
/// member, in the object's order, without a JSON value: the view [`MetricsView::new`] builds
/// from the same object (in the strict dialect a top-level `gating` key is skipped, as
/// [`visit`] skips it).
#[cfg_attr(not(feature = "wasm"), allow(dead_code))]
pub(crate) struct FlatView {
    entries: Entries,
    dialect: Dialect,
}

#[cfg_attr(not(feature = "wasm"), allow(dead_code))]
impl FlatView {
    /// An empty view; `members` and `key_bytes` are capacity hints.
    pub(crate) fn new(dialect: Dialect, members: usize, key_bytes: usize) -> Self {
        FlatView {
            entries: Entries {
                keys: String::with_capacity(key_bytes),
                slots: Vec::with_capacity(members),
                index: None,
            },
            dialect,
        }
    }

    /// The next member. Keys are distinct (an object's).
    pub(crate) fn push(&mut self, key: &str, value: Scalar<'_>) {
        if self.dialect == Dialect::Strict && key == "gating" {
            return;
        }
        if let Some(leaf) = value.leaf(self.dialect) {
            self.entries.push(key, leaf);
        }
    }

    /// The view (looked up through a table past [`FLAT_MAX`] entries).
    pub(crate) fn finish(self) -> MetricsView {
        let mut entries = self.entries;
        if entries.slots.len() > FLAT_MAX {
            let mut index: HashMap<String, usize, FastState> =
                HashMap::with_capacity_and_hasher(entries.slots.len(), FastState::default());
            for (at, (key, _)) in entries.iter().enumerate() {
                index.entry(key.to_owned()).or_insert(at);
            }
            entries.index = Some(index);
        }
        MetricsView::of(entries, self.dialect)
    }
}

/// The flat view of `map` when it is flat (no object value, and in the strict dialect no
/// top-level `gating` key, which [`visit`] skips) with at most [`FLAT_MAX`] keys: the same
/// entries in the same order as the table [`MetricsView::new`] builds (each key its own only
/// path, every key distinct).
fn flat_entries(map: &serde_json::Map<String, Value>, dialect: Dialect) -> Option<Entries> {
    let nested =
        |(k, v): (&String, &Value)| v.is_object() || (dialect == Dialect::Strict && k == "gating");
    if map.len() > FLAT_MAX || map.iter().any(nested) {
        return None;
    }
    let mut entries = Entries {
        keys: String::with_capacity(map.keys().map(String::len).sum()),
        slots: Vec::with_capacity(map.len()),
        index: None,
    };
    for (k, v) in map {
        if let Some(leaf) = leaf_of(v, dialect) {
            entries.push(k, leaf);
        }
    }
    Some(entries)
}

impl MetricsView {
    /// Flattens one strategy's metrics. A non-object value has no metrics.
    pub(crate) fn new(value: &Value, dialect: Dialect) -> Self {
        if let Value::Object(map) = value
            && let Some(entries) = flat_entries(map, dialect)
        {
            return MetricsView::of(entries, dialect);
        }
        Self::table(value, dialect)
    }

    /// [`MetricsView::new`] as a table by key, whatever the metrics' shape.
    fn table(value: &Value, dialect: Dialect) -> Self {
        let mut leaves: Vec<LeafAt> = Vec::new();
        if let Value::Object(map) = value {
            leaves.reserve(map.len());
            visit(
                value,
                &mut String::with_capacity(64),
                (0, 0),
                dialect,
                &mut leaves,
            );
        }
        let mut entries = Entries {
            index: Some(HashMap::with_capacity_and_hasher(
                2 * leaves.len(),
                FastState::default(),
            )),
            ..Entries::default()
        };
        // The leaf each short name stands for, per leaf (qmtl: the leaf itself, the first one
        // seen winning below; strict: the best path for that name).
        // flat metrics (every leaf a top-level key): each name is its own only path
        let flat = leaves.iter().all(|l| l.depth == 1);
        let short: Vec<Leaf> = match dialect {
            Dialect::Qmtl => leaves.iter().map(|l| l.leaf).collect(),
            Dialect::Strict if flat => leaves.iter().map(|l| l.leaf).collect(),
            Dialect::Strict => {
                // Best path per short name: fewest segments, then lexically first.
                let mut best: HashMap<&str, (usize, &str, Leaf), FastState> =
                    HashMap::with_capacity_and_hasher(leaves.len(), FastState::default());
                for l in &leaves {
                    let cand = (l.depth, l.dotted.as_str(), l.leaf);
                    match best.get(l.name()) {
                        Some((d, p, _)) if (*d, *p) <= (cand.0, cand.1) => {}
                        _ => {
                            best.insert(l.name(), cand);
                        }
                    }
                }
                leaves
                    .iter()
                    .map(|l| best.get(l.name()).map_or(l.leaf, |b| b.2))
                    .collect()
            }
        };
        // Short name, then dotted path, in leaf order; a key already present keeps its first
        // entry.
        for (l, s) in leaves.iter().zip(short) {
            if l.name_start > 0 {
                entries.push(l.name(), s);
            }
            let leaf = if l.name_start == 0 { s } else { l.leaf };
            entries.push(&l.dotted, leaf);
        }
        MetricsView::of(entries, dialect)
    }

    /// The view of `entries`.
    fn of(entries: Entries, dialect: Dialect) -> Self {
        let mut view = MetricsView {
            entries,
            dialect,
            sample: false,
        };
        let sample = view
            .numeric_names()
            .any(|(k, v)| SAMPLE_KEYS.contains(&k) && v.is_finite() && v > 0.0);
        view.sample = sample;
        view
    }

    /// Whether a sample-size metric ([`SAMPLE_KEYS`]) is a finite number above 0: the `sample`
    /// rule's "sample depth present".
    pub(crate) fn has_sample(&self) -> bool {
        self.sample
    }

    /// Looks a metric up by leaf name or dotted path.
    pub(crate) fn get(&self, name: &str) -> Lookup {
        match self.entries.get(name) {
            None => Lookup::Missing,
            Some(Leaf::NotNumber) => Lookup::NotNumber,
            Some(Leaf::Num(v)) if v.is_nan() && self.dialect == Dialect::Strict => {
                Lookup::NotNumber
            }
            Some(Leaf::Num(v)) => Lookup::Value(*v),
        }
    }

    /// The number under `name`, if present and numeric.
    pub(crate) fn num(&self, name: &str) -> Option<f64> {
        self.get(name).value()
    }

    /// Names of the numeric entries, in insertion order.
    pub(crate) fn numeric_names(&self) -> impl Iterator<Item = (&str, f64)> {
        self.entries.iter().filter_map(|(k, l)| match l {
            Leaf::Num(v) => Some((k, *v)),
            Leaf::NotNumber => None,
        })
    }

    /// About how many bytes the view holds on the heap (its keys, leaves and lookup table, with
    /// the allocator's overhead): for a host bounding what it keeps.
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub(crate) fn heap_bytes(&self) -> usize {
        const OVERHEAD: usize = 16;
        let e = &self.entries;
        let table = e.index.as_ref().map_or(0, |index| {
            let keys: usize = index.keys().map(|k| k.capacity() + OVERHEAD).sum();
            keys + index.capacity() * (std::mem::size_of::<(String, usize)>() + 1) + OVERHEAD
        });
        e.keys.capacity()
            + e.slots.capacity() * std::mem::size_of::<(usize, usize, Leaf)>()
            + 2 * OVERHEAD
            + table
    }

    /// True when no numeric metric is present.
    pub(crate) fn is_empty(&self) -> bool {
        !self
            .entries
            .slots
            .iter()
            .any(|(_, _, l)| matches!(l, Leaf::Num(_)))
    }
}

/// A leaf found by [`visit`]: its dotted path, where its own key starts in it, and its depth.
struct LeafAt {
    dotted: String,
    name_start: usize,
    depth: usize,
    leaf: Leaf,
}

impl LeafAt {
    /// The leaf's own key (the last path segment, which may itself contain dots).
    fn name(&self) -> &str {
        self.dotted.get(self.name_start..).unwrap_or_default()
    }
}

/// Collects the leaves under `value`, reached by the dotted path `path` of `depth` segments,
/// whose last segment starts at byte `name_start`.
fn visit(
    value: &Value,
    path: &mut String,
    (depth, name_start): (usize, usize),
    dialect: Dialect,
    out: &mut Vec<LeafAt>,
) {
    let leaf = match value {
        Value::Object(map) => {
            for (k, v) in map {
                if dialect == Dialect::Strict
                    && ((depth == 0 && k == "gating") || (k == "reasons" && v.is_object()))
                {
                    continue;
                }
                let len = path.len();
                if depth > 0 {
                    path.push('.');
                }
                let start = path.len();
                path.push_str(k);
                visit(v, path, (depth + 1, start), dialect, out);
                path.truncate(len);
            }
            return;
        }
        _ if depth == 0 => return,
        other => match leaf_of(other, dialect) {
            Some(leaf) => leaf,
            None => return,
        },
    };
    out.push(LeafAt {
        dotted: path.clone(),
        name_start,
        depth,
        leaf,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_leaves_answer_to_leaf_name_and_dotted_path() {
        let v = json!({"returns": {"sharpe": 1.5, "max_drawdown": -0.1}, "n": 3});
        for d in [Dialect::Qmtl, Dialect::Strict] {
            let m = MetricsView::new(&v, d);
            assert_eq!(m.get("sharpe"), Lookup::Value(1.5));
            assert_eq!(m.get("returns.sharpe"), Lookup::Value(1.5));
            assert_eq!(m.get("n"), Lookup::Value(3.0));
            assert_eq!(m.get("volatility"), Lookup::Missing);
        }
    }

    #[test]
    fn a_flat_view_answers_as_the_table_does() {
        let cases = [
            json!({"sharpe": 1.5, "max_drawdown": -0.1, "win_rate": 0.6}),
            json!({"a": true, "b": "1.5", "c": null, "d": "nan", "e": "+inf", "f": [1], "g": -0.0}),
            json!({"gating": 1, "x": 2}),
            json!({"reasons": 3, "sharpe": "-inf"}),
            json!({}),
        ];
        let names = [
            "sharpe",
            "max_drawdown",
            "win_rate",
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "gating",
            "x",
            "reasons",
            "nope",
            "",
        ];
        for v in cases {
            for d in [Dialect::Qmtl, Dialect::Strict] {
                let (view, table) = (MetricsView::new(&v, d), MetricsView::table(&v, d));
                for name in names {
                    let (a, b) = (view.get(name), table.get(name));
                    assert!(
                        a == b
                            || (a.value().is_some_and(f64::is_nan)
                                && b.value().is_some_and(f64::is_nan)),
                        "{v} {d:?} {name}"
                    );
                }
                let listed = |m: &MetricsView| -> Vec<(String, u64)> {
                    m.numeric_names()
                        .map(|(k, x)| (k.to_string(), x.to_bits()))
                        .collect()
                };
                assert_eq!(listed(&view), listed(&table), "{v} {d:?}");
                assert_eq!(view.is_empty(), table.is_empty());
            }
        }
        // many keys are a table
        let wide: serde_json::Map<String, Value> = (0..=FLAT_MAX)
            .map(|i| (format!("m{i}"), json!(i)))
            .collect();
        assert!(flat_entries(&wide, Dialect::Strict).is_none());
    }

    #[test]
    fn a_view_built_member_by_member_is_the_view_of_the_object() {
        let wide: serde_json::Map<String, Value> = (0..=FLAT_MAX + 3)
            .map(|i| (format!("m{i}"), json!(i)))
            .collect();
        let cases = [
            json!({"sharpe": 1.5, "max_drawdown": -0.1, "win_rate": 0.6}),
            json!({"a": true, "b": "1.5", "c": null, "d": "nan", "e": "+inf", "f": [1], "g": -0.0}),
            json!({"gating": 1, "x": 2, "reasons": "-inf"}),
            json!({}),
            Value::Object(wide),
        ];
        for v in cases {
            let Value::Object(map) = &v else { continue };
            for d in [Dialect::Qmtl, Dialect::Strict] {
                let mut flat = FlatView::new(d, 0, 0);
                for (k, x) in map {
                    flat.push(
                        k,
                        match x {
                            Value::Number(n) => Scalar::Num(n.as_f64().unwrap_or(f64::NAN)),
                            Value::String(s) => Scalar::Str(s),
                            _ => Scalar::Other,
                        },
                    );
                }
                let (flat, view) = (flat.finish(), MetricsView::new(&v, d));
                let listed = |m: &MetricsView| -> Vec<(String, Option<u64>)> {
                    m.entries
                        .iter()
                        .map(|(k, l)| {
                            let bits = match l {
                                Leaf::Num(x) => Some(x.to_bits()),
                                Leaf::NotNumber => None,
                            };
                            (k.to_string(), bits)
                        })
                        .collect()
                };
                assert_eq!(listed(&flat), listed(&view), "{v} {d:?}");
                assert_eq!(flat.entries.index.is_some(), map.len() > FLAT_MAX);
                for k in map.keys() {
                    assert_eq!(format!("{:?}", flat.get(k)), format!("{:?}", view.get(k)));
                }
            }
        }
    }

    #[test]
    fn booleans_and_strings_are_not_numbers() {
        let v = json!({"a": true, "b": "1.5", "c": null, "d": "nan", "e": "+inf"});
        let q = MetricsView::new(&v, Dialect::Qmtl);
        assert_eq!(q.get("a"), Lookup::Missing);
        assert_eq!(q.get("b"), Lookup::Missing);
        assert!(matches!(q.get("d"), Lookup::Value(x) if x.is_nan()));
        let s = MetricsView::new(&v, Dialect::Strict);
        assert_eq!(s.get("a"), Lookup::NotNumber);
        assert_eq!(s.get("b"), Lookup::NotNumber);
        assert_eq!(s.get("c"), Lookup::NotNumber);
        assert_eq!(s.get("d"), Lookup::NotNumber);
        assert_eq!(s.get("e"), Lookup::Value(f64::INFINITY));
    }

    #[test]
    fn strict_short_names_ignore_key_order() {
        let a = json!({"custom": {"x": {"sharpe": 9.0}}, "returns": {"sharpe": 1.0}});
        let b = json!({"returns": {"sharpe": 1.0}, "custom": {"x": {"sharpe": 9.0}}});
        for v in [a, b] {
            assert_eq!(
                MetricsView::new(&v, Dialect::Strict).num("sharpe"),
                Some(1.0)
            );
        }
        // QMTL: the first leaf seen wins.
        let q = json!({"custom": {"sharpe": 9.0}, "returns": {"sharpe": 1.0}});
        assert_eq!(MetricsView::new(&q, Dialect::Qmtl).num("sharpe"), Some(9.0));
    }
}
