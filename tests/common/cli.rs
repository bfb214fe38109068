//! Running the built `worldgate` binary, for the CLI tests.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The binary under test: this build's, or `WORLDGATE_TEST_BIN` (to show that a test fails
/// on an older build: `WORLDGATE_TEST_BIN=/path/to/old/worldgate cargo test --test cli_strict`).
pub fn bin() -> Command {
    Command::new(
        std::env::var_os("WORLDGATE_TEST_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_worldgate").into()),
    )
}

/// Runs the binary with `args` and `stdin`: exit code, stdout, stderr.
pub fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = bin();
    cmd.args(args);
    output(cmd, stdin)
}

/// Runs `cmd` with `stdin` (closed when `None`): exit code, stdout, stderr.
pub fn output(mut cmd: Command, stdin: Option<&str>) -> (i32, String, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        // The child may exit before reading (a bad policy): a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A fresh empty directory under the system's temp dir, named for the test.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("worldgate-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
