//! Embeds the published JSON Schemas (`pkg-config/schema/*.json`, pretty-printed for people)
//! without their layout whitespace: `schema::json_schema` serves the same documents, and the wasm
//! that carries them is about 18 KB (gzipped) smaller.

use std::path::Path;

/// `text` without the whitespace outside strings (JSON's only insignificant bytes).
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

fn main() -> std::io::Result<()> {
    let src = Path::new("pkg-config/schema");
    println!("cargo::rerun-if-changed={}", src.display());
    let out =
        std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("schema");
    std::fs::create_dir_all(&out)?;
    for entry in std::fs::read_dir(src)? {
        let path = entry?.path();
        if let (Some(name), Some("json")) =
            (path.file_name(), path.extension().and_then(|e| e.to_str()))
        {
            std::fs::write(out.join(name), minify(&std::fs::read_to_string(&path)?))?;
        }
    }
    Ok(())
}
