//! The engine's shared sorts: one stable sort for its lists of ids, keys and rankings, and
//! [`sort_distinct`] for elements no two of which are equal (ranking keys, object members).
//!
//! `slice::sort_by` is compiled anew for every element type and every comparison closure (a
//! driftsort of 5–10 KB of wasm each). [`sort_by`] sorts positions with one `usize` sort that
//! calls the comparison through `&mut dyn FnMut`, then moves the elements into that order: the
//! sort itself exists once in the binary, and each caller adds a few hundred bytes. Not for hot
//! numeric kernels (the indirect call per comparison costs a few nanoseconds).

use std::cmp::Ordering;

/// The positions `0..n` in the stable order of `cmp` on positions; `None` when that is `0..n`
/// itself because no element is greater than the next (lists that arrive sorted, such as ids
/// in order, then cost one comparison per element and nothing else).
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Option<Vec<usize>> {
    if (1..n).all(|i| cmp(i - 1, i) != Ordering::Greater) {
        return None;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    Some(idx)
}

/// Sorts `v` stably by `cmp`: the result of `v.sort_by(cmp)` (equal elements keep their order).
/// Returns where each element came from (the `i`th is now the one that was at `order[i]`), `None`
/// when `v` was already in order.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) -> Option<Vec<usize>> {
    let order = {
        let items: &[T] = v;
        positions(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    let order = order?;
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(
        order
            .iter()
            .filter_map(|i| slots.get_mut(*i).and_then(Option::take)),
    );
    Some(order)
}

/// Sorts `v` in ascending order: the result of `v.sort()`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by `less`, a strict order in which no two elements of `v` are equal (distinct
/// keys, or a position as the last key), so the result is the one any correct sort gives:
/// insertion sort for up to 16 elements, else a heap sort. Unlike [`sort_by`], the comparison
/// is inlined (no indirect call per comparison), and a hand-written sort is far smaller in wasm
/// than a `sort_unstable_by` instantiation. With equal elements the order among them is
/// unspecified.
pub fn sort_distinct<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n <= 16 {
        // few elements (or struct-sized ones): insertion sort makes fewer comparisons
        for i in 1..n {
            let mut j = i;
            while j > 0 && matches!((v.get(j - 1), v.get(j)), (Some(a), Some(b)) if less(b, a)) {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    for root in (0..n / 2).rev() {
        sift(v, root, n, &less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end, &less);
    }
}

/// Moves `v[root]` down the max-heap `v[..end]` of [`sort_distinct`].
fn sift<T>(v: &mut [T], mut root: usize, end: usize, less: &impl Fn(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end
            && matches!((v.get(child), v.get(child + 1)), (Some(a), Some(b)) if less(a, b))
        {
            child += 1;
        }
        if !matches!((v.get(root), v.get(child)), (Some(a), Some(b)) if less(a, b)) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_stable_sort() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ((state % 5) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            let mut std = v.clone();
            // By the first field only: equal keys must keep their input order.
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
            let mut ours = v.clone();
            let mut std = v;
            sort(&mut ours);
            std.sort();
            assert_eq!(ours, std);
        }
        // already in order (equal neighbours included): unchanged; reversed: sorted
        let mut sorted = vec![(1, 'a'), (1, 'b'), (2, 'c'), (3, 'd')];
        sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
        assert_eq!(sorted, [(1, 'a'), (1, 'b'), (2, 'c'), (3, 'd')]);
        let mut reversed = vec![(3, 'a'), (2, 'b'), (2, 'c'), (1, 'd')];
        sort_by(&mut reversed, |a, b| a.0.cmp(&b.0));
        assert_eq!(reversed, [(1, 'd'), (2, 'b'), (2, 'c'), (3, 'a')]);
        for len in [0usize, 1, 2, 15, 16, 17, 100, 1000] {
            let v: Vec<(u64, u32)> = (0..len as u32)
                .map(|i| (u64::from(i.wrapping_mul(2_654_435_761) % 97), i))
                .collect();
            let mut ours = v.clone();
            let mut std = v;
            sort_distinct(&mut ours, |a, b| a < b);
            std.sort();
            assert_eq!(ours, std, "sort_distinct, len {len}");
        }
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
