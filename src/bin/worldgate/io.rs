//! Files in, text out: path expansion, reading input (`-` is stdin), progress, and printing
//! JSON and errors.

use super::*;

/// Files named on the command line: directories expand to their `*.json` files, sorted.
pub(super) fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("cannot read directory `{}`: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The bytes of a file, or of stdin for `-`.
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    result.map_err(|e| {
        Error::new(
            Code::Parse,
            "",
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    Ok(buf)
}

/// A progress counter on stderr, shown only on a terminal and for more than one file.
pub(super) struct Progress {
    total: usize,
    shown: bool,
}

impl Progress {
    pub(super) fn new(total: usize) -> Self {
        Progress {
            total,
            shown: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    pub(super) fn tick(&self, i: usize, path: &Path) {
        if self.shown {
            let mut e = std::io::stderr();
            let _ = write!(e, "\r\x1b[2K[{}/{}] {}", i + 1, self.total, path.display());
            let _ = e.flush();
        }
    }

    pub(super) fn done(&self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

pub(super) fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot print json: {e}"),
    }
}

pub(super) fn print_errors(label: &str, errors: &[Error]) {
    for e in errors {
        println!("{label}: {e}");
        if let Some(h) = &e.help {
            println!("  help: {h}");
        }
    }
}

#[derive(Serialize)]
pub(super) struct FileReport<T: Serialize> {
    pub(super) file: String,
    #[serde(flatten)]
    pub(super) report: T,
}
