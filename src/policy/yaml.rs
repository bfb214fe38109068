//! YAML text → `serde_json::Value`, keeping key order and the line/column of every node.
//!
//! Built on `yaml-rust2`'s event parser (YAML 1.2 core schema): plain scalars resolve to
//! null, booleans, integers and floats (`.inf`/`.nan` become the [`Num`](crate::schema::Num)
//! strings `"+inf"`, `"-inf"`, `"nan"`); quoted scalars and `!!str` stay strings; anchors and
//! aliases are expanded. One document only. Positions are 1-based and keyed by the JSON
//! pointer of the node, so later schema errors can say where in the text they are.

use crate::error::{Code, Error, pointer_join};
use crate::schema::non_finite_str;
use serde_json::{Map, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::yaml::Yaml;

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
    },
    Seq {
        items: Vec<Value>,
        anchor: usize,
        path: String,
    },
}

struct Builder {
    stack: Vec<Frame>,
    docs: Vec<Value>,
    anchors: HashMap<usize, Value>,
    positions: HashMap<String, (usize, usize)>,
    errors: Vec<Error>,
    reject_duplicates: bool,
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

    fn complete(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
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
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expecting_key() {
                    if let Some(Frame::Map { key, path, .. }) = self.stack.last_mut() {
                        let p = pointer_join(path, &text);
                        self.positions.entry(p).or_insert(pos);
                        *key = Some(text);
                    }
                } else {
                    let p = self.child_path();
                    self.positions.entry(p).or_insert(pos);
                    let v = scalar(&text, style, tag.as_ref());
                    self.complete(v, anchor);
                }
            }
            Event::Alias(id) => {
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
                let v = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                self.complete(v, 0);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
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
                let path = self.child_path();
                self.positions.entry(path.clone()).or_insert(pos);
                let frame = if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        map: Map::new(),
                        key: None,
                        anchor,
                        path,
                    }
                } else {
                    Frame::Seq {
                        items: Vec::new(),
                        anchor,
                        path,
                    }
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = self.stack.pop() {
                    let (v, anchor) = match frame {
                        Frame::Map { map, anchor, .. } => (Value::Object(map), anchor),
                        Frame::Seq { items, anchor, .. } => (Value::Array(items), anchor),
                    };
                    self.complete(v, anchor);
                }
            }
            _ => {}
        }
    }
}

/// Parses one YAML document.
///
/// # Errors
/// `E_PARSE` with line and column for a syntax error, more than one document, or an empty
/// text; `E_DUPLICATE_KEY` for a repeated key when `reject_duplicates`.
pub(crate) fn parse(text: &str, reject_duplicates: bool) -> Result<YamlDoc, Vec<Error>> {
    let mut b = Builder {
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        positions: HashMap::new(),
        errors: Vec::new(),
        reject_duplicates,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, true) {
        let m = e.marker();
        return Err(vec![Error::new(
            Code::Parse,
            "",
            format!(
                "invalid yaml: {} (line {}, column {})",
                e.info(),
                m.line(),
                m.col() + 1
            ),
        )]);
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
}
