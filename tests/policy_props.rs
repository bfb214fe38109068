//! Property tests of the policy engine (strict dialect unless stated).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use indexmap::IndexMap;
use proptest::prelude::*;
use serde_json::{Value, json};
use worldgate::policy::{Correlations, Dialect, EvaluationInput, Policy, Previous};

#[derive(Debug, Clone)]
struct Case {
    /// (id, sharpe (None = missing, Some(NaN) = "nan"), drawdown)
    strategies: Vec<(String, Option<f64>, f64)>,
    k: u32,
    min_sharpe: f64,
    max_dd: f64,
    corr_max: f64,
    pairs: Vec<(usize, usize, f64)>,
    previous: Vec<usize>,
    hysteresis: bool,
}

fn sharpe() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        8 => (-10i32..30).prop_map(|x| Some(f64::from(x) / 10.0)),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..10).prop_flat_map(|n| {
        (
            proptest::collection::vec((sharpe(), -50i32..50), n),
            1u32..6,
            -5i32..15,
            5i32..40,
            0i32..10,
            proptest::collection::vec((0..n, 0..n, -10i32..=10), 0..12),
            proptest::collection::vec(0..n, 0..4),
            any::<bool>(),
        )
            .prop_map(move |(s, k, mn, mx, c, pairs, previous, hysteresis)| Case {
                strategies: s
                    .into_iter()
                    .enumerate()
                    .map(|(i, (sh, dd))| (format!("s{i:02}"), sh, f64::from(dd) / 100.0))
                    .collect(),
                k,
                min_sharpe: f64::from(mn) / 10.0,
                max_dd: f64::from(mx) / 100.0,
                corr_max: f64::from(c) / 10.0,
                pairs: pairs
                    .into_iter()
                    .filter(|(a, b, _)| a != b)
                    .map(|(a, b, r)| (a, b, f64::from(r) / 10.0))
                    .collect(),
                previous,
                hysteresis,
            })
    })
}

fn policy(c: &Case) -> Policy {
    let mut p = json!({
        "thresholds": {"s": {"metric": "sharpe", "min": c.min_sharpe}, "dd": {"metric": "max_drawdown", "max": c.max_dd}},
        "top_k": {"metric": "sharpe", "k": c.k},
        "correlation": {"max": c.corr_max},
    });
    if c.hysteresis {
        p["hysteresis"] =
            json!({"metric": "sharpe", "enter": c.min_sharpe + 0.5, "exit": c.min_sharpe + 0.2});
    }
    Policy::from_value(&p, Dialect::Strict).unwrap()
}

fn metrics_of(c: &Case, order: &[usize]) -> IndexMap<String, Value> {
    let mut m = IndexMap::new();
    for i in order {
        let (id, sh, dd) = &c.strategies[*i];
        let mut v = json!({"returns": {"max_drawdown": dd}});
        match sh {
            Some(x) if x.is_nan() => v["sharpe"] = json!("nan"),
            Some(x) => v["sharpe"] = json!(x),
            None => {}
        }
        m.insert(id.clone(), v);
    }
    m
}

fn input(c: &Case, order: &[usize], pair_order_flip: bool, with_previous: bool) -> EvaluationInput {
    let mut triples: Vec<(String, String, f64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (a, b, r) in &c.pairs {
        let key = if a < b { (*a, *b) } else { (*b, *a) };
        if !seen.insert(key) {
            continue;
        }
        let (x, y) = (c.strategies[*a].0.clone(), c.strategies[*b].0.clone());
        triples.push(if pair_order_flip {
            (y, x, *r)
        } else {
            (x, y, *r)
        });
    }
    if pair_order_flip {
        triples.reverse();
    }
    EvaluationInput {
        metrics: metrics_of(c, order),
        previous: with_previous.then(|| {
            Previous::Active(
                c.previous
                    .iter()
                    .map(|i| c.strategies[*i].0.clone())
                    .collect(),
            )
        }),
        correlations: Some(Correlations::from_pairs(triples).unwrap()),
        ..EvaluationInput::default()
    }
}

/// Thresholds recomputed independently: sharpe a number ≥ min, |drawdown| ≤ max.
fn passes_thresholds(c: &Case, id: &str) -> bool {
    let (_, sh, dd) = c.strategies.iter().find(|s| s.0 == id).unwrap();
    matches!(sh, Some(x) if !x.is_nan() && *x >= c.min_sharpe) && dd.abs() <= c.max_dd
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn selected_pass_thresholds_and_fit_in_k(c in case()) {
        let order: Vec<usize> = (0..c.strategies.len()).collect();
        let d = policy(&c).evaluate(&input(&c, &order, false, true));
        prop_assert!(d.selected.len() <= c.k as usize);
        for id in &d.selected {
            prop_assert!(passes_thresholds(&c, id), "{id} selected without passing thresholds");
        }
        // Weights of the selected sum to 1.
        if !d.selected.is_empty() {
            let total: f64 = d.selected.iter().map(|id| d.strategies[id].weight.unwrap().0).sum();
            prop_assert!((total - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn permuting_input_never_changes_the_strict_decision(c in case(), seed in any::<u64>()) {
        let n = c.strategies.len();
        let order: Vec<usize> = (0..n).collect();
        // A deterministic permutation from the seed.
        let mut perm = order.clone();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let p = policy(&c);
        let a = serde_json::to_string(&p.evaluate(&input(&c, &order, false, true))).unwrap();
        let b = serde_json::to_string(&p.evaluate(&input(&c, &perm, true, true))).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn without_hysteresis_the_selection_is_a_function_of_the_metrics(c in case()) {
        let mut c = c;
        c.hysteresis = false;
        let order: Vec<usize> = (0..c.strategies.len()).collect();
        let p = policy(&c);
        let with = p.evaluate(&input(&c, &order, false, true));
        let without = p.evaluate(&input(&c, &order, false, false));
        prop_assert_eq!(&with.selected, &without.selected);
        for (id, s) in &with.strategies {
            let t = &without.strategies[id];
            prop_assert_eq!(s.verdict, t.verdict);
            prop_assert_eq!(&s.rule_results, &t.rule_results);
        }
    }

    #[test]
    fn qmtl_dialect_selection_also_respects_thresholds_and_k(c in case()) {
        let order: Vec<usize> = (0..c.strategies.len()).collect();
        let strict = policy(&c);
        let q = Policy::from_value(&strict.to_value(), Dialect::Qmtl).unwrap();
        let d = q.evaluate(&input(&c, &order, false, true));
        prop_assert!(d.selected.len() <= c.k as usize);
        for id in &d.selected {
            let (_, sh, dd) = c.strategies.iter().find(|s| &s.0 == id).unwrap();
            // QMTL lets NaN through; everything else must pass.
            let ok = match sh { Some(x) if x.is_nan() => true, Some(x) => *x >= c.min_sharpe, None => false };
            prop_assert!(ok && dd.abs() <= c.max_dd);
        }
    }
}

#[test]
fn computed_correlations_are_order_independent_too() {
    // Five strategies with 1,440-sample series; two are scaled copies of another.
    let base: Vec<f64> = (0..1440)
        .map(|i| ((i * 7919) % 1000) as f64 / 1000.0 - 0.5)
        .collect();
    let other: Vec<f64> = (0..1440)
        .map(|i| ((i * 104_729) % 997) as f64 / 997.0 - 0.5)
        .collect();
    let series = [
        ("a", base.clone()),
        ("b", base.iter().map(|x| 3.0 * x).collect::<Vec<_>>()),
        ("c", other.clone()),
        ("d", base.iter().map(|x| -x).collect::<Vec<_>>()),
        (
            "e",
            other
                .iter()
                .zip(&base)
                .map(|(x, y)| x + 0.1 * y)
                .collect::<Vec<_>>(),
        ),
    ];
    let p = Policy::from_value(
        &json!({"top_k": {"metric": "sharpe", "k": 5}, "correlation": {"max": 0.7}}),
        Dialect::Strict,
    )
    .unwrap();
    let run = |rev: bool| {
        let mut ids: Vec<usize> = (0..5).collect();
        if rev {
            ids.reverse();
        }
        let mut input = EvaluationInput::default();
        let mut returns = IndexMap::new();
        for i in ids {
            let (id, s) = &series[i];
            input
                .metrics
                .insert((*id).to_string(), json!({"sharpe": 5.0 - i as f64}));
            returns.insert((*id).to_string(), s.clone());
        }
        input.returns = Some(returns);
        serde_json::to_string(&p.evaluate(&input)).unwrap()
    };
    assert_eq!(run(false), run(true));
    let d: Value = serde_json::from_str(&run(false)).unwrap();
    // b = 3a (ρ = 1) and d = −a (|ρ| = 1) are dropped by a; e = c + 0.1·a has
    // ρ(c, e) ≈ 1/√1.01 ≈ 0.995 (a and c nearly uncorrelated, equal variance) and is dropped by c.
    assert_eq!(d["selected"], json!(["a", "c"]), "{}", d["selected"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// More candidates than one tile (32): the tiled greedy pass must select exactly what a
    /// plain sequential greedy pass written here selects, in both dialects.
    #[test]
    fn tiled_greedy_matches_a_sequential_greedy(n in 33usize..120, max in 1i32..9, seed in any::<u64>()) {
        let max = f64::from(max) / 10.0;
        let mut s = seed;
        let mut next = move || { s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (s >> 11) as f64 / (1u64 << 53) as f64 };
        let ids: Vec<String> = (0..n).map(|i| format!("s{i:03}")).collect();
        let mut metrics = IndexMap::new();
        for (i, id) in ids.iter().enumerate() {
            metrics.insert(id.clone(), json!({"sharpe": (n - i) as f64}));
        }
        let mut rho = std::collections::HashMap::new();
        let mut triples = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let r = next() * 2.0 - 1.0;
                let r = (r * 1000.0).round() / 1000.0;
                rho.insert((a, b), r);
                triples.push((ids[a].clone(), ids[b].clone(), r));
            }
        }
        // Sequential greedy in rank order (sharpe descending = index order).
        let mut expected: Vec<usize> = Vec::new();
        for c in 0..n {
            if expected.iter().all(|k| rho[&(*k, c)].abs() <= max) {
                expected.push(c);
            }
        }
        let expected: Vec<String> = expected.into_iter().map(|i| ids[i].clone()).collect();
        let input = EvaluationInput {
            metrics,
            correlations: Some(Correlations::from_pairs(triples).unwrap()),
            ..EvaluationInput::default()
        };
        for d in [Dialect::Strict, Dialect::Qmtl] {
            let p = Policy::from_value(&json!({"top_k": {"metric": "sharpe", "k": 1000}, "correlation": {"max": max}}), d).unwrap();
            prop_assert_eq!(&p.evaluate(&input).selected, &expected);
        }
    }
}

/// A top-k metric value: a number (ties likely, ±0 both), ±∞, NaN or missing.
fn rank_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        6 => (-3i32..4).prop_map(|x| Some(f64::from(x) / 2.0)),
        1 => Just(Some(-0.0)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NEG_INFINITY)),
        1 => Just(Some(f64::NAN)),
        1 => Just(None),
    ]
}

/// The ranks the engine gives every strategy, id → rank.
fn ranks(values: &[Option<f64>], order: &[usize], dialect: Dialect) -> IndexMap<String, u64> {
    let mut m = IndexMap::new();
    for &i in order {
        let v = match values[i] {
            None => json!({}),
            Some(x) if x.is_nan() => json!({"sharpe": "nan"}),
            Some(x) if x == f64::INFINITY => json!({"sharpe": "+inf"}),
            Some(x) if x == f64::NEG_INFINITY => json!({"sharpe": "-inf"}),
            Some(x) => json!({"sharpe": x}),
        };
        m.insert(format!("s{i:02}"), v);
    }
    let doc = json!({"top_k": {"metric": "sharpe", "k": 2}});
    let d = Policy::from_value(&doc, dialect)
        .unwrap()
        .evaluate(&EvaluationInput::new(m));
    d.strategies
        .iter()
        .map(|(id, s)| {
            (
                id.clone(),
                u64::from(s.rank.expect("every strategy is ranked")),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The ranking is the stable sort of the original comparators: strict by the metric
    /// descending (`total_cmp`), ties by id, missing and NaN last; qmtl by the metric descending,
    /// missing and NaN as −∞, ties in input order.
    #[test]
    fn ranks_follow_the_documented_order(
        values in proptest::collection::vec(rank_value(), 1..40),
        seed in any::<u64>(),
    ) {
        let n = values.len();
        let mut order: Vec<usize> = (0..n).collect();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            order.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let key = |i: usize| values[i].filter(|x| !x.is_nan());
        let id = |i: usize| format!("s{i:02}");
        let mut strict: Vec<usize> = (0..n).collect();
        strict.sort_by(|&a, &b| match (key(a), key(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| id(a).cmp(&id(b))),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => id(a).cmp(&id(b)),
        });
        let mut qmtl = order.clone();
        let k = |i: usize| key(i).unwrap_or(f64::NEG_INFINITY);
        qmtl.sort_by(|&a, &b| k(b).total_cmp(&k(a)));
        for (dialect, expected) in [(Dialect::Strict, strict), (Dialect::Qmtl, qmtl)] {
            let got = ranks(&values, &order, dialect);
            for (pos, i) in expected.iter().enumerate() {
                prop_assert_eq!(got[&id(*i)], pos as u64 + 1, "{:?} {}", dialect, id(*i));
            }
        }
    }
}
