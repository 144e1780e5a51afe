//! Measures `annals watch` from a file save to the rebuild being complete:
//! `cargo run --release --example bench_reload -- SITE [RUNS]` (SITE from
//! `gen_corpus`). Prints the median, fastest and slowest of RUNS edits of one
//! article body, one person file and one template, and of one translation's
//! body when the site has translations (`gen_corpus --translate ar:10`).
//! Wall time includes the watcher's debounce, as an editor would see it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(site) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_reload SITE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/annals");
    // A site template to edit; the built-in one is the starting point.
    let template = site.join("templates/article.html");
    std::fs::create_dir_all(site.join("templates")).expect("templates directory");
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/article.html");
    std::fs::copy(built_in, &template).expect("copy the article template");

    let mut child = Command::new(&binary)
        .args(["watch", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .spawn()
        .expect("run target/release/annals (cargo build --release first)");
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send((Instant::now(), line));
        }
    });
    wait_for(&lines, "watching", Duration::from_secs(300));

    let articles = site.join("content/articles");
    let article = first_file(&articles, |name| name.matches('.').count() == 1);
    let person = site.join("content/people/person-0.md");
    let mut cases: Vec<(&str, PathBuf, &str)> = vec![
        ("article body edit", article, "\nAn added paragraph.\n"),
        ("person file edit", person, "\nMore biography.\n"),
        ("template edit", template, "\n{# edited #}\n"),
    ];
    // `name.ar.md`: a translation, in a site with a second language.
    if let Some(translation) = files(&articles).find(|p| file_name(p).matches('.').count() == 2) {
        cases.push(("translation body edit", translation, "\nفقرة مضافة.\n"));
    }
    println!("| edit | median ms | fastest ms | slowest ms | rebuild line (last run) |");
    println!("|---|---|---|---|---|");
    for (name, path, addition) in cases {
        let mut times = Vec::new();
        let mut last = String::new();
        for _ in 0..runs {
            std::thread::sleep(Duration::from_millis(300));
            let mut text = std::fs::read_to_string(&path).expect("read");
            text.push_str(addition);
            let saved = Instant::now();
            std::fs::write(&path, text).expect("write");
            let (done, line) = wait_for(&lines, "rebuilt after", Duration::from_secs(60));
            times.push(done.duration_since(saved).as_secs_f64() * 1000.0);
            last = line;
        }
        times.sort_by(f64::total_cmp);
        let internal = last.rsplit(" in ").next().unwrap_or("");
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {internal} |",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn wait_for(
    lines: &mpsc::Receiver<(Instant, String)>,
    needle: &str,
    timeout: Duration,
) -> (Instant, String) {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok((at, line)) if line.contains(needle) => return (at, line),
            Ok(_) => {}
            Err(_) => panic!("annals printed no line with {needle:?}"),
        }
    }
}

/// The first file under `dir`, by name, whose name `wanted` accepts.
fn first_file(dir: &Path, wanted: impl Fn(&str) -> bool) -> PathBuf {
    files(dir)
        .find(|p| wanted(file_name(p)))
        .expect("an article")
}

fn files(dir: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}
