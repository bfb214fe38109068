//! Files in, text out: path expansion (directories recursively, globs), reading input (`-` is
//! stdin), progress, printing to a stdout that may close early, and printing errors.

use super::*;

/// Writes to stdout; a closed reader (`| head -1`) ends the process quietly with exit 0, any
/// other write error with a message and exit 2.
pub(super) fn out(args: std::fmt::Arguments<'_>) {
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_fmt(args) {
        gone(&e);
    }
}

/// Flushes stdout (quiet on a broken pipe, like [`out`]).
pub(super) fn flush() {
    if let Err(e) = std::io::stdout().flush() {
        gone(&e);
    }
}

fn gone(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(OK));
    }
    eprintln!("error: cannot write to standard output: {e}");
    std::process::exit(i32::from(INVALID));
}

/// Whether a path argument is a glob pattern.
fn is_glob(p: &Path) -> bool {
    p.to_str().is_some_and(|s| s.contains(['*', '?', '[']))
}

/// Files named on the command line: `-` as is; a directory stands for the `*.json` files
/// under it, recursively, sorted; a glob for the files it matches, sorted (directories it
/// matches are searched as above); a plain path as is (reading it reports whether it exists).
///
/// # Errors
/// `E_NOT_FOUND` when the arguments name no file at all (an empty directory, a directory with
/// only subdirectories and no `*.json`, a glob without matches), naming the argument;
/// `E_IO` for a directory that cannot be read; `E_INVALID_VALUE` for a malformed glob.
pub(super) fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let before = out.len();
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            walk(p, &mut out)?;
        } else if is_glob(p) && !p.exists() {
            let pattern = p.to_string_lossy();
            let matches = glob::glob(&pattern).map_err(|e| {
                Error::new(
                    Code::InvalidValue,
                    "",
                    format!("`{pattern}` is not a valid glob: {e}"),
                )
            })?;
            let mut found: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
            found.sort();
            for f in found {
                if f.is_dir() {
                    walk(&f, &mut out)?;
                } else {
                    out.push(f);
                }
            }
        } else {
            out.push(p.clone());
        }
        if out.len() == before {
            let what = if p.is_dir() {
                format!("no *.json file under `{}`", p.display())
            } else {
                format!("`{}` matches no file", p.display())
            };
            return Err(Error::new(Code::NotFound, "", what)
                .with_help("name bundle files, directories holding *.json files, or globs"));
        }
    }
    Ok(out)
}

/// The `*.json` files under `dir`, recursively, sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk(&e, out)?;
        } else if e.extension().is_some_and(|x| x == "json") {
            out.push(e);
        }
    }
    Ok(())
}

/// The error for a failed read of `path`: `E_NOT_FOUND` when it does not exist, else `E_IO`.
pub(super) fn io_error(path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(
            Code::NotFound,
            "",
            format!("no such file `{}`", path.display()),
        )
    } else {
        Error::new(
            Code::Io,
            "",
            format!("cannot read `{}`: {e}", path.display()),
        )
    }
}

/// The bytes of a file, or of stdin for `-`.
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    result.map_err(|e| io_error(path, &e))?;
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

/// Prints a value as pretty JSON (`ndjson`: on one line).
pub(super) fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => outln!("{s}"),
        Err(e) => eprintln!("error: cannot print json: {e}"),
    }
}

/// The `{type: "success", value}` envelope.
pub(super) fn print_success<T: Serialize>(format: Format, value: &T) {
    print_answer(format, &worldgate::schema::Answer::Success { value });
}

/// The `{type: "failure", errors}` envelope.
pub(super) fn print_failure(format: Format, errors: &[Error]) {
    print_answer(
        format,
        &worldgate::schema::Answer::<()>::Failure {
            errors: errors.to_vec(),
        },
    );
}

fn print_answer<T: Serialize>(format: Format, a: &worldgate::schema::Answer<T>) {
    if format == Format::Ndjson {
        match serde_json::to_string(a) {
            Ok(s) => outln!("{s}"),
            Err(e) => eprintln!("error: cannot print json: {e}"),
        }
    } else {
        print_json(a);
    }
}

/// Errors in human form on stderr: `<label>: <error>` and its help.
pub(super) fn print_errors(label: &str, errors: &[Error]) {
    for e in errors {
        eprintln!("{label}: {e}");
        if let Some(h) = &e.help {
            eprintln!("  help: {h}");
        }
    }
}

/// Errors of a whole command: the failure envelope (machine formats) or stderr (human).
pub(super) fn fail(format: Format, label: &str, errors: &[Error]) -> u8 {
    if format == Format::Human {
        print_errors(label, errors);
    } else {
        print_failure(format, errors);
    }
    INVALID
}

#[derive(Serialize)]
pub(super) struct FileReport<T: Serialize> {
    pub(super) file: String,
    #[serde(flatten)]
    pub(super) report: T,
}
