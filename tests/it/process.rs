//! Long-running `annals` processes (watch, serve) for tests: started on a
//! copy of a fixture, read line by line, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A temporary directory in memory where the system has one (`/dev/shm`):
/// tests that build hundreds of sites spend most of their time creating
/// and deleting files, which a disk makes ten times slower.
pub(crate) fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let builder = tempfile::Builder::new();
    match shm.is_dir() {
        true => builder.tempdir_in(shm).or_else(|_| builder.tempdir()),
        false => builder.tempdir(),
    }
    .expect("temporary directory")
}

/// A copy of `tests/fixtures/<name>` in a temporary directory.
pub(crate) fn fixture_copy(name: &str) -> tempfile::TempDir {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_dir(&source, dir.path());
    dir
}

/// Copies the tree at `from` into `to`, creating directories as needed.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create directory");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A running `annals` whose output lines can be awaited.
pub(crate) struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    pub(crate) fn start(args: &[&str], cwd: &Path) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(args)
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start annals");
        let (sender, lines) = channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        for stream in [
            Box::new(stdout) as Box<dyn std::io::Read + Send>,
            Box::new(stderr),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle` and returns it.
    #[track_caller]
    pub(crate) fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!(
                        "no line with {needle:?} within {timeout:?}; output so far:\n{}",
                        self.seen.join("\n")
                    )
                }
            }
        }
    }

    /// Like [`Running::wait_for`], but also finds a line read before: one
    /// printed on stderr before a line awaited on stdout, say.
    #[track_caller]
    pub(crate) fn find_or_wait(&mut self, needle: &str, timeout: Duration) -> String {
        match self.seen.iter().find(|line| line.contains(needle)) {
            Some(line) => line.clone(),
            None => self.wait_for(needle, timeout),
        }
    }

    /// The next line, if one arrives within `timeout`.
    pub(crate) fn try_line(&mut self, timeout: Duration) -> Option<String> {
        let line = self.lines.recv_timeout(timeout).ok()?;
        self.seen.push(line.clone());
        Some(line)
    }

    /// Stops the process with Ctrl-C's signal and returns whether it exited cleanly.
    pub(crate) fn interrupt(&mut self) -> bool {
        self.stop_with("INT")
    }

    /// Sends `signal` (a name `kill` knows: INT, TERM…) and returns whether
    /// the process then exited cleanly.
    pub(crate) fn stop_with(&mut self, signal: &str) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .is_ok_and(|s| s.success());
        // Generous: a graceful stop waits for open connections to close.
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return sent && status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Waits for the process to end by itself; returns its status and all
    /// it printed, stdout and stderr interleaved by line.
    #[track_caller]
    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> (std::process::ExitStatus, String) {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "still running after {timeout:?}; output so far:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The readers stop, and the channel closes, once both pipes are drained.
        while self.try_line(Duration::from_secs(5)).is_some() {}
        (status, self.seen.join("\n"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `annals serve` on a free port with its output in `output`;
/// returns the process and the base URL it serves.
pub(crate) fn serve(root: &Path, output: &Path) -> (Running, String) {
    serve_with(root, &["--output", path_str(output)])
}

/// Starts `annals serve` on a free port with `args` added; returns the
/// process and the base URL pages link to.
pub(crate) fn serve_with(root: &Path, args: &[&str]) -> (Running, String) {
    let mut all = vec!["serve", "--root", path_str(root), "--port", "0"];
    all.extend_from_slice(args);
    let mut running = Running::start(&all, root);
    let line = running.wait_for("serving http://", Duration::from_secs(20));
    let url = line
        .split_whitespace()
        .nth(1)
        .expect("url after `serving`")
        .to_owned();
    (running, url)
}

pub(crate) fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

/// A plain HTTP/1.1 GET on loopback: status, headers (lowercased names), body.
pub(crate) fn get(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let authority = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(authority).expect("connect to annals serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// Every file under `dir` with its modification time.
pub(crate) fn mtimes(dir: &Path) -> std::collections::BTreeMap<PathBuf, std::time::SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let modified = e.metadata().expect("metadata").modified().expect("mtime");
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                modified,
            )
        })
        .collect()
}

/// Replaces `from` with `to` in a file, as an editor's save would.
#[track_caller]
pub(crate) fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read file to edit");
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).expect("write edited file");
}

/// Every file under `dir`, by its path inside it, with its bytes.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("readable tree"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).expect("read output file");
            let inside = entry.path().strip_prefix(dir).expect("inside");
            (inside.to_path_buf(), bytes)
        })
        .collect()
}
