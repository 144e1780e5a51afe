//! Progress on a terminal: a build or a check run under a pseudo-terminal
//! (util-linux `script`) draws its stages on stderr and clears them before
//! its report; with stderr a pipe, as in CI, nothing of it is printed.

use std::path::Path;
use std::process::Command;

use crate::process::{path_str, scratch_dir};

fn fixture() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site"))
}

/// `text` quoted for `sh`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Runs `annals args` under a pseudo-terminal, with `env` set; everything
/// it wrote there (stdout and stderr are one terminal), and whether it
/// succeeded.
pub(crate) fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let command: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_annals"))
        .chain(args.iter().copied())
        .map(quoted)
        .collect();
    let run = Command::new("script")
        // Quiet, the command's exit code, no typescript file.
        .args(["-qec", &command.join(" "), "/dev/null"])
        // indicatif draws nothing where TERM is unset or `dumb`.
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .output()
        .expect("run annals under `script` (util-linux)");
    let text = String::from_utf8_lossy(&run.stdout).into_owned();
    (run.status.success(), text)
}

/// What `text` (a terminal's output) shows after its last line was
/// cleared: the report, which must not be drawn over.
pub(crate) fn after_clearing(text: &str) -> &str {
    text.rfind("\x1b[2K")
        .map_or(text, |at| &text[at + "\x1b[2K".len()..])
}

#[test]
fn on_a_terminal_a_build_and_a_check_show_their_stages_then_only_the_report() {
    let dir = scratch_dir();
    let output = dir.path().join("out");
    let root = path_str(fixture());
    let (built, text) = on_a_terminal(
        &["build", "--root", root, "--output", path_str(&output)],
        &[],
    );
    assert!(built, "{text}");
    assert!(text.contains("reading and parsing ["), "{text}");
    let report = after_clearing(&text);
    assert!(report.starts_with("built "), "{report:?}");
    assert!(
        !report.contains('['),
        "no bar is left in the report: {report:?}"
    );

    let (checked, text) = on_a_terminal(&["check", "--root", root], &[]);
    assert!(checked, "{text}");
    assert!(text.contains("reading and parsing ["), "{text}");
    let report = after_clearing(&text);
    assert!(report.starts_with("no problems found"), "{report:?}");
}

#[test]
fn with_stderr_a_pipe_no_progress_is_printed() {
    let dir = scratch_dir();
    let root = path_str(fixture());
    let output = dir.path().join("out");
    for args in [
        vec!["build", "--root", root, "--output", path_str(&output)],
        vec!["check", "--root", root],
    ] {
        let run = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(&args)
            // As on a terminal, but for stderr.
            .env("TERM", "xterm")
            .output()
            .expect("run annals");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let stdout = String::from_utf8_lossy(&run.stdout);
        for text in [&stderr, &stdout] {
            assert!(
                !text.contains('\x1b') && !text.contains('\r'),
                "{args:?}: {text:?}"
            );
            assert!(
                !["reading and parsing", "rendering pages"]
                    .iter()
                    .any(|stage| text.contains(stage)),
                "{args:?}: {text:?}"
            );
        }
    }
}
