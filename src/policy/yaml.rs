//! YAML text → `serde_json::Value`, keeping key order and the line/column of every node.
//!
//! Built on `yaml-rust2`'s event parser (YAML 1.2 core schema): plain scalars resolve to
//! null, booleans, integers and floats (`.inf`/`.nan` become the [`Num`](crate::schema::Num)
//! strings `"+inf"`, `"-inf"`, `"nan"`); quoted scalars and `!!str` stay strings; anchors and
//! aliases are expanded. One document only. Positions are 1-based and keyed by the JSON
//! pointer of the node, so later schema errors can say where in the text they are.
//!
//! Bounded: the expanded document may hold at most [`MAX_NODES`] nodes (scalars, keys and
//! containers, each alias counted as the whole value it stands for), [`MAX_SCALAR_BYTES`] of
//! scalar and key text, and nest at most [`MAX_DEPTH`] containers deep (aliased values
//! included). Past any of these the reading stops at once with `E_TOO_LARGE` at the JSON
//! pointer and line/column where the limit was crossed, so a few hundred bytes of nested
//! aliases (a "billion laughs" bomb) cost microseconds, not gigabytes. Events are pulled one
//! by one (no recursion), so deep input cannot exhaust the stack either.

use crate::error::{Code, Error, pointer_join};
use crate::schema::non_finite_str;
use serde_json::{Map, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::yaml::Yaml;

/// Most nodes the expanded document may hold.
pub(crate) const MAX_NODES: u64 = 100_000;
/// Most bytes of scalar and key text the expanded document may hold.
pub(crate) const MAX_SCALAR_BYTES: u64 = 16 * 1024 * 1024;
/// Deepest container nesting (the top-level container is depth 1), as for JSON bundles.
pub(crate) const MAX_DEPTH: usize = 64;

/// The expansion cost of a completed value: nodes, scalar bytes and container height.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: u64,
    bytes: u64,
    height: usize,
}

/// A parsed YAML document and the position of each node.
#[derive(Debug, Default)]
pub(crate) struct YamlDoc {
    pub(crate) value: Value,
    /// JSON pointer → (line, column), 1-based.
    pub(crate) positions: HashMap<String, (usize, usize)>,
}

enum Frame {
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
        path: String,
        /// Totals when the container opened, and the tallest child so far.
        start: Size,
    },
    Seq {
        items: Vec<Value>,
        anchor: usize,
        path: String,
        start: Size,
    },
}

impl Frame {
    fn start_mut(&mut self) -> &mut Size {
        match self {
            Frame::Map { start, .. } | Frame::Seq { start, .. } => start,
        }
    }
}

struct Builder {
    stack: Vec<Frame>,
    docs: Vec<Value>,
    anchors: HashMap<usize, (Value, Size)>,
    positions: HashMap<String, (usize, usize)>,
    errors: Vec<Error>,
    reject_duplicates: bool,
    /// Nodes and scalar bytes of the expanded document so far (`height` unused).
    total: Size,
    /// A limit was crossed: the error, and reading stops.
    fatal: Option<Error>,
}

impl Builder {
    /// The JSON pointer of the node about to be completed in the current frame.
    fn child_path(&self) -> String {
        match self.stack.last() {
            Some(Frame::Map { key, path, .. }) => {
                pointer_join(path, key.as_deref().unwrap_or_default())
            }
            Some(Frame::Seq { items, path, .. }) => pointer_join(path, items.len()),
            None => String::new(),
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Adds `nodes` nodes and `bytes` bytes to the totals; false (with `fatal` set) past a
    /// limit.
    fn charge(&mut self, nodes: u64, bytes: u64, pos: (usize, usize)) -> bool {
        self.total.nodes = self.total.nodes.saturating_add(nodes);
        self.total.bytes = self.total.bytes.saturating_add(bytes);
        let what = if self.total.nodes > MAX_NODES {
            format!("more than {MAX_NODES} nodes")
        } else if self.total.bytes > MAX_SCALAR_BYTES {
            format!("more than {MAX_SCALAR_BYTES} bytes of text")
        } else {
            return true;
        };
        self.too_large(format!("the yaml document expands to {what}"), pos);
        false
    }

    fn too_large(&mut self, what: String, pos: (usize, usize)) {
        let path = self.child_path();
        self.fatal = Some(
            Error::new(
                Code::TooLarge,
                path,
                format!("{what} (line {}, column {})", pos.0, pos.1),
            )
            .at_line(pos.0, Some(pos.1))
            .with_help("expand the anchors and aliases by hand, or simplify the policy"),
        );
    }

    /// Completes a value whose own cost is `size` (`height` 0 for a scalar).
    fn complete(&mut self, value: Value, anchor: usize, size: Size) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), size));
        }
        if let Some(parent) = self.stack.last_mut() {
            let s = parent.start_mut();
            s.height = s.height.max(size.height);
        }
        let dup_path = self.child_path();
        match self.stack.last_mut() {
            Some(Frame::Map { map, key, .. }) => {
                if let Some(k) = key.take() {
                    if map.contains_key(&k) && self.reject_duplicates {
                        self.errors.push(Error::new(
                            Code::DuplicateKey,
                            dup_path,
                            format!("duplicate key `{k}`"),
                        ));
                    }
                    map.insert(k, value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            None => self.docs.push(value),
        }
    }
}

fn scalar(text: &str, style: TScalarStyle, tag: Option<&yaml_rust2::parser::Tag>) -> Value {
    if style != TScalarStyle::Plain || tag.is_some_and(|t| t.suffix == "str") {
        return Value::String(text.to_string());
    }
    match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        y @ Yaml::Real(_) => match y.as_f64() {
            Some(f) => match non_finite_str(f) {
                Some(s) => Value::String(s.to_string()),
                None => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            },
            None => Value::String(text.to_string()),
        },
        _ => Value::String(text.to_string()),
    }
}

impl MarkedEventReceiver for Builder {
    /// Dispatches each event to its handler; once a limit was crossed (`fatal`), every later
    /// event is ignored. Positions are 1-based (line, column).
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.fatal.is_some() {
            return;
        }
        let pos = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                self.on_scalar(text, style, anchor, tag.as_ref(), pos);
            }
            Event::Alias(id) => self.on_alias(id, pos),
            Event::MappingStart(anchor, _) => self.on_container_start(anchor, true, pos),
            Event::SequenceStart(anchor, _) => self.on_container_start(anchor, false, pos),
            Event::MappingEnd | Event::SequenceEnd => self.on_container_end(),
            _ => {}
        }
    }
}

impl Builder {
    /// A scalar: the pending key of a mapping (its position recorded at the key's pointer), or
    /// a value resolved by [`scalar`] and completed. Charged one node and its text's bytes.
    fn on_scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&yaml_rust2::parser::Tag>,
        pos: (usize, usize),
    ) {
        let bytes = text.len() as u64;
        if !self.charge(1, bytes, pos) {
            return;
        }
        if self.expecting_key() {
            if let Some(Frame::Map { key, path, .. }) = self.stack.last_mut() {
                let p = pointer_join(path, &text);
                self.positions.entry(p).or_insert(pos);
                *key = Some(text);
            }
        } else {
            let p = self.child_path();
            self.positions.entry(p).or_insert(pos);
            let v = scalar(&text, style, tag);
            let size = Size {
                nodes: 1,
                bytes,
                height: 0,
            };
            self.complete(v, anchor, size);
        }
    }

    /// An alias: the anchored value again, charged its whole expanded size and depth. An alias
    /// used as a key or naming no anchor is an `E_PARSE` (the event is skipped); an expansion
    /// past [`MAX_DEPTH`] or the totals is fatal.
    fn on_alias(&mut self, id: usize, pos: (usize, usize)) {
        if self.expecting_key() {
            self.errors.push(Error::new(
                Code::Parse,
                self.child_path(),
                format!(
                    "aliases as keys are not supported (line {}, column {})",
                    pos.0, pos.1
                ),
            ));
            return;
        }
        let Some((v, size)) = self.anchors.get(&id).cloned() else {
            self.errors.push(
                Error::new(
                    Code::Parse,
                    self.child_path(),
                    format!("unknown alias (line {}, column {})", pos.0, pos.1),
                )
                .at_line(pos.0, Some(pos.1)),
            );
            return;
        };
        if self.stack.len() + size.height > MAX_DEPTH {
            self.too_large(
                format!("the yaml document nests deeper than {MAX_DEPTH} levels"),
                pos,
            );
            return;
        }
        if !self.charge(size.nodes, size.bytes, pos) {
            return;
        }
        self.complete(v, 0, size);
    }

    /// A mapping (`is_map`) or sequence opens: a new frame at the pending child's pointer. Used
    /// as a key it is an `E_PARSE` (complex keys), though the frame still opens so the events
    /// stay balanced; past [`MAX_DEPTH`] or the node limit it is fatal.
    fn on_container_start(&mut self, anchor: usize, is_map: bool, pos: (usize, usize)) {
        if self.expecting_key() {
            self.errors.push(Error::new(
                Code::Parse,
                self.child_path(),
                format!(
                    "complex keys are not supported (line {}, column {})",
                    pos.0, pos.1
                ),
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            self.too_large(
                format!("the yaml document nests deeper than {MAX_DEPTH} levels"),
                pos,
            );
            return;
        }
        if !self.charge(1, 0, pos) {
            return;
        }
        let path = self.child_path();
        self.positions.entry(path.clone()).or_insert(pos);
        // The totals before this container's own node, and no child yet.
        let start = Size {
            nodes: self.total.nodes.saturating_sub(1),
            bytes: self.total.bytes,
            height: 0,
        };
        let frame = if is_map {
            Frame::Map {
                map: Map::new(),
                key: None,
                anchor,
                path,
                start,
            }
        } else {
            Frame::Seq {
                items: Vec::new(),
                anchor,
                path,
                start,
            }
        };
        self.stack.push(frame);
    }

    /// The innermost container closes: completed as a value whose size is what was charged
    /// since it opened, one level taller than its tallest child. Ignored with no open frame.
    fn on_container_end(&mut self) {
        if let Some(frame) = self.stack.pop() {
            let (v, anchor, start) = match frame {
                Frame::Map {
                    map, anchor, start, ..
                } => (Value::Object(map), anchor, start),
                Frame::Seq {
                    items,
                    anchor,
                    start,
                    ..
                } => (Value::Array(items), anchor, start),
            };
            let size = Size {
                nodes: self.total.nodes.saturating_sub(start.nodes),
                bytes: self.total.bytes.saturating_sub(start.bytes),
                height: start.height + 1,
            };
            self.complete(v, anchor, size);
        }
    }
}

/// Parses one YAML document.
///
/// # Errors
/// `E_PARSE` with line and column for a syntax error, more than one document, or an empty
/// text; `E_DUPLICATE_KEY` for a repeated key when `reject_duplicates`; `E_TOO_LARGE` (path,
/// line and column) when the expanded document passes [`MAX_NODES`], [`MAX_SCALAR_BYTES`] or
/// [`MAX_DEPTH`].
pub(crate) fn parse(text: &str, reject_duplicates: bool) -> Result<YamlDoc, Vec<Error>> {
    let mut b = Builder {
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        positions: HashMap::new(),
        errors: Vec::new(),
        reject_duplicates,
        total: Size::default(),
        fatal: None,
    };
    let mut parser = Parser::new_from_str(text);
    // Pull events one at a time (`Parser::load` recurses per nesting level and cannot stop
    // early); stop at the first limit crossed.
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((ev, mark)) => b.on_event(ev, mark),
            Err(e) => {
                let m = e.marker();
                return Err(vec![
                    Error::new(
                        Code::Parse,
                        "",
                        format!(
                            "invalid yaml: {} (line {}, column {})",
                            e.info(),
                            m.line(),
                            m.col() + 1
                        ),
                    )
                    .at_line(m.line(), Some(m.col() + 1)),
                ]);
            }
        }
        if let Some(e) = b.fatal.take() {
            return Err(vec![e]);
        }
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let mut docs = b.docs.into_iter();
    let (Some(value), None) = (docs.next(), docs.next()) else {
        return Err(vec![Error::new(
            Code::Parse,
            "",
            "expected exactly one yaml document",
        )]);
    };
    Ok(YamlDoc {
        value,
        positions: b.positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_types_keeps_order_and_positions() {
        let doc = parse(
            "top_k:\n  metric: sharpe\n  k: 3\nthresholds:\n  b: {metric: x, min: .5}\n  a: {metric: y, max: .inf}\nflag: true\nname: '1.5'\n",
            true,
        )
        .unwrap();
        assert_eq!(
            doc.value,
            json!({"top_k": {"metric": "sharpe", "k": 3},
                   "thresholds": {"b": {"metric": "x", "min": 0.5}, "a": {"metric": "y", "max": "+inf"}},
                   "flag": true, "name": "1.5"})
        );
        let keys: Vec<_> = doc.value["thresholds"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(doc.positions.get("/top_k/k"), Some(&(3, 3)));
        assert_eq!(doc.positions.get("/thresholds"), Some(&(4, 1)));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("a: 1\nb: [1, 2\n", true).unwrap_err();
        assert_eq!(err[0].code, Code::Parse);
        assert!(err[0].message.contains("line "), "{}", err[0].message);
        assert!(err[0].message.contains("column "), "{}", err[0].message);
    }

    #[test]
    fn duplicate_keys_and_aliases() {
        let err = parse("a: 1\na: 2\n", true).unwrap_err();
        assert_eq!(err[0].code, Code::DuplicateKey);
        assert_eq!(err[0].path, "/a");
        assert_eq!(parse("a: 1\na: 2\n", false).unwrap().value, json!({"a": 2}));
        let doc = parse("base: &b {metric: s, min: 1}\nother: *b\n", true).unwrap();
        assert_eq!(doc.value["other"], json!({"metric": "s", "min": 1}));
    }

    #[test]
    fn alias_bomb_fails_fast_with_too_large() {
        // Nine-fold nested aliases: 9^8 ≈ 43 million scalars from 268 bytes.
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";
        let t = std::time::Instant::now();
        let err = parse(bomb, true).unwrap_err();
        assert!(t.elapsed().as_secs_f64() < 2.0, "{:?}", t.elapsed());
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].code, Code::TooLarge);
        // Lists a..e hold 10, 91, 820, 7,381 and 66,430 nodes (1 + 9 × the previous); with
        // the top map and five keys that is 74,737 nodes before `f`, whose key, list and first
        // alias of `e` (`f: &f [*e`: column 8) bring it to 74,740 + 66,430 > 100,000.
        assert_eq!(err[0].path, "/f/0");
        assert!(
            err[0].message.contains("(line 6, column 8)"),
            "{}",
            err[0].message
        );
    }

    #[test]
    fn expansion_just_under_the_limit_is_accepted() {
        // 9 aliases of a 10,000-scalar list: 90,000 + ~10,012 nodes would pass 100,000…
        let big = format!("a: &a [{}]\n", vec!["1"; 9_000].join(","));
        let ok = format!("{big}b: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        // 9,001 + 10·9,001 + 1 (b's list) + 2 keys + 1 top = 99,015 nodes.
        assert!(parse(&ok, true).is_ok());
        let over = format!("{big}b: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        assert_eq!(parse(&over, true).unwrap_err()[0].code, Code::TooLarge);
    }

    #[test]
    fn long_strings_through_aliases_are_bounded() {
        let s = "x".repeat(60_000);
        let text = format!("a: &a \"{s}\"\nb: [{}]\n", vec!["*a"; 300].join(","));
        let err = parse(&text, true).unwrap_err();
        assert_eq!(err[0].code, Code::TooLarge);
        assert!(err[0].message.contains("bytes"), "{}", err[0].message);
    }

    #[test]
    fn nesting_is_capped_in_flow_block_and_through_aliases() {
        let flow = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let block = format!("a: {}x\n", "- ".repeat(10_000));
        for text in [flow, block] {
            let err = parse(&text, true).unwrap_err();
            assert!(
                err[0].code == Code::TooLarge || err[0].code == Code::Parse,
                "{}",
                err[0]
            );
        }
        // 64 levels is the limit: the top map plus 63 lists.
        let at_limit = format!("a: {}{}\n", "[".repeat(63), "]".repeat(63));
        assert!(parse(&at_limit, true).is_ok());
        let over = format!("a: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(parse(&over, true).unwrap_err()[0].code, Code::TooLarge);
        // A 40-deep anchor used 40 levels down: 1 + 39 + 40 > 64.
        let deep = format!(
            "a: &d {}{}\nb: {}*d{}\n",
            "[".repeat(40),
            "]".repeat(40),
            "[".repeat(39),
            "]".repeat(39)
        );
        let err = parse(&deep, true).unwrap_err();
        assert_eq!(err[0].code, Code::TooLarge);
        assert!(err[0].message.contains("deeper"), "{}", err[0].message);
    }
}
