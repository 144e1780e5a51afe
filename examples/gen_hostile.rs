//! Writes a site holding one pathological input, for `scripts/hostile-bench.sh`:
//! `cargo run --release --example gen_hostile -- CASE N DIR`.
//!
//! Each case scales with N, so running it at N and 2N shows whether annals'
//! cost grows linearly (it must) or worse. `--list` prints the cases.

use std::fmt::Write as _;
use std::path::Path;

/// A case: its name, what it is, and the article it writes for N.
type Case = (&'static str, &'static str, fn(usize) -> String);

const CASES: &[Case] = &[
    (
        "links",
        "N links to missing pages on one line (N warnings quoting it)",
        links,
    ),
    (
        "headings",
        "N identical headings (unique anchors)",
        headings,
    ),
    ("yaml-flow", "YAML flow sequences nested N deep", yaml_flow),
    (
        "yaml-block",
        "YAML block sequences nested N deep on one line (`- - - …`)",
        yaml_block,
    ),
    (
        "unknown-people",
        "N statements by unknown people (N errors in one file)",
        unknown_people,
    ),
    (
        "sources",
        "N sources, N statements each citing one",
        sources,
    ),
    ("topics", "N distinct topics on one article", topics),
    ("citations", "N inline citations of N sources", citations),
    ("blockquotes", "block quotes nested N deep", blockquotes),
    ("lists", "lists nested N deep", lists),
    (
        "emphasis",
        "N unclosed emphasis openers (`*a **a …`)",
        emphasis,
    ),
    ("brackets", "N unclosed link openers (`[a [a …`)", brackets),
    ("long-title", "a title of N×10 characters", long_title),
];

const HEADER: &str = "---\ntitle: Hostile\ndate: 2021-05-17\nsources:\n  - id: s\n    publisher: Example News\nstatements:\n  - person: ada\n    date: 2021-05-17\n    quote: Something said.\n    source: s\n---\n";

fn links(n: usize) -> String {
    let mut body = String::from(HEADER);
    for i in 0..n {
        let _ = write!(body, "[l{i}](/missing/page-{i}/) ");
    }
    body.push('\n');
    body
}

fn headings(n: usize) -> String {
    HEADER.to_owned() + &"## Same\n\ntext\n\n".repeat(n)
}

fn yaml_flow(n: usize) -> String {
    format!(
        "---\ntitle: {}{}\ndate: 2021-05-17\n---\n",
        "[".repeat(n),
        "]".repeat(n)
    )
}

fn yaml_block(n: usize) -> String {
    format!(
        "---\ntitle: T\ndate: 2021-05-17\ntopics:\n  {}x\n---\n",
        "- ".repeat(n)
    )
}

fn unknown_people(n: usize) -> String {
    let mut text = String::from(
        "---\ntitle: Hostile\ndate: 2021-05-17\nsources:\n  - id: s\n    publisher: Example News\nstatements:\n",
    );
    for i in 0..n {
        let _ = write!(
            text,
            "  - person: nobody-{i}\n    date: 2021-05-17\n    quote: Said {i}.\n    source: s\n"
        );
    }
    text + "---\n"
}

fn sources(n: usize) -> String {
    let mut text = String::from("---\ntitle: Hostile\ndate: 2021-05-17\nsources:\n");
    for i in 0..n {
        let _ = write!(text, "  - id: s{i}\n    publisher: Publisher {i}\n");
    }
    text.push_str("statements:\n");
    for i in 0..n {
        let _ = write!(
            text,
            "  - person: ada\n    date: 2021-05-17\n    quote: Said {i}.\n    source: s{}\n",
            n - 1 - i
        );
    }
    text + "---\n"
}

fn topics(n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("topic {i}")).collect();
    HEADER.replacen(
        "date: 2021-05-17\n",
        &format!("date: 2021-05-17\ntopics: [{}]\n", list.join(", ")),
        1,
    )
}

fn citations(n: usize) -> String {
    let mut text = String::from("---\ntitle: Hostile\ndate: 2021-05-17\nsources:\n");
    for i in 0..n {
        let _ = write!(text, "  - id: s{i}\n    publisher: Example News\n");
    }
    text.push_str("---\n");
    for i in (0..n).rev() {
        let _ = writeln!(text, "Said [here](source:s{i}).");
    }
    text
}

fn blockquotes(n: usize) -> String {
    HEADER.to_owned() + &">".repeat(n) + " deep\n"
}

fn lists(n: usize) -> String {
    let mut body = String::from(HEADER);
    for depth in 0..n {
        let _ = writeln!(body, "{}- item", "  ".repeat(depth));
    }
    body
}

fn emphasis(n: usize) -> String {
    HEADER.to_owned() + &"*a **a ".repeat(n) + "\n"
}

fn brackets(n: usize) -> String {
    HEADER.to_owned() + &"[a ".repeat(n) + "\n"
}

fn long_title(n: usize) -> String {
    HEADER.replacen(
        "title: Hostile",
        &format!("title: {}", "long title ".repeat(n)),
        1,
    )
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for (name, what, _) in CASES {
            println!("{name}\t{what}");
        }
        return Ok(());
    }
    let (Some(case), Some(n), Some(dir)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: gen_hostile CASE N DIR   (gen_hostile --list for the cases)");
        std::process::exit(2);
    };
    let Some((_, _, article)) = CASES.iter().find(|(name, _, _)| name == case) else {
        eprintln!("unknown case `{case}` (gen_hostile --list for the cases)");
        std::process::exit(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number, not `{n}`");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    write(
        &dir.join("annals.yaml"),
        "title: Hostile\nbase_url: https://example.org/\n",
    )?;
    write(
        &dir.join("content/people/ada.md"),
        "---\nname: Ada Example\n---\n",
    )?;
    write(
        &dir.join("content/articles/2021-05-17-hostile.md"),
        &article(n),
    )
}
