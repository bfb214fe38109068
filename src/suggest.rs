//! "Did you mean" suggestions for misspelled names.

/// The candidate closest to `input` by edit distance, if it is close enough to be a plausible
/// typo (distance ≤ max(1, len/3)), or when one contains the other ignoring `_`/`-`.
///
/// ```
/// assert_eq!(worldgate::suggest::closest("topk", ["top_k", "thresholds"]), Some("top_k"));
/// assert_eq!(worldgate::suggest::closest("zzz", ["top_k"]), None);
/// ```
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = squash(input);
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let d = if squash(cand) == wanted {
            0
        } else {
            distance(input, cand)
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    let limit = (input.chars().count() / 3).max(1);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("thresholdz", ["thresholds", "top_k"]),
            Some("thresholds")
        );
        assert_eq!(closest("TopK", ["top_k"]), Some("top_k"));
        assert_eq!(
            closest("correlaton", ["correlation", "hysteresis"]),
            Some("correlation")
        );
        assert_eq!(closest("banana", ["top_k", "thresholds"]), None);
        assert_eq!(closest("x", std::iter::empty()), None);
    }
}
