//! Writes a deterministic benchmark site: `cargo run --release --example
//! gen_corpus -- --articles N --out DIR [--seed S]`.
//!
//! N articles of 400–1,500 words (headings, lists, links, a table), 2–8
//! statements each by about N/10 people chosen Zipf-like (a few speak very
//! often), 1–5 sources each from 200 publishers, dates over ten years.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "ceasefire",
    "talks",
    "minister",
    "statement",
    "border",
    "civilians",
    "aid",
    "convoy",
    "council",
    "resolution",
    "envoy",
    "security",
    "humanitarian",
    "corridor",
    "strikes",
    "negotiations",
    "report",
    "officials",
    "said",
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "on",
    "for",
    "with",
    "after",
    "before",
    "government",
    "agency",
    "according",
    "sources",
    "week",
    "region",
    "city",
    "residents",
    "press",
];
const TOPICS: &[&str] = &[
    "Ceasefire",
    "Humanitarian aid",
    "Diplomacy",
    "Casualties",
    "Hostages",
    "Sanctions",
    "Elections",
    "Refugees",
];
const PLACES: &[&str] = &[
    "Gaza",
    "Jerusalem",
    "Kyiv",
    "Kharkiv",
    "Beirut",
    "Cairo",
    "Washington",
    "Geneva",
    "Khartoum",
    "Aleppo",
];
const KINDS: &[&str] = &["official", "social", "news", "report", "other"];

struct Args {
    articles: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        articles: 1000,
        out: PathBuf::from("target/corpus"),
        seed: 1,
    };
    let mut raw = std::env::args().skip(1);
    while let Some(flag) = raw.next() {
        let value = raw.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--articles" => {
                args.articles = value.parse().map_err(|_| "--articles takes a number")?
            }
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse().map_err(|_| "--seed takes a number")?,
            other => {
                return Err(format!(
                    "unknown flag {other}; use --articles N --out DIR [--seed S]"
                ));
            }
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = write_corpus(&args) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
    println!("wrote {} articles to {}", args.articles, args.out.display());
}

fn write_corpus(args: &Args) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(args.seed);
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out)?;
    }
    let people = (args.articles / 10).max(5);
    write(
        &args.out.join("annals.yaml"),
        "title: Benchmark corpus\ndescription: Generated.\nbase_url: https://example.org/corpus/\nlanguage: en\n",
    )?;
    for p in 0..people {
        let text = format!(
            "---\nname: Person {p}\nrole: Official number {p}\n---\nA generated speaker.\n"
        );
        write(
            &args.out.join(format!("content/people/person-{p}.md")),
            &text,
        )?;
    }
    for a in 0..args.articles {
        let text = article(&mut rng, a, people);
        write(
            &args
                .out
                .join(format!("content/articles/{:03}/article-{a}.md", a % 1000)),
            &text,
        )?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

/// A Zipf-like pick: index `i` is chosen with weight about 1/(i+1).
fn zipf(rng: &mut fastrand::Rng, n: usize) -> usize {
    let x = rng.f64();
    (((n as f64 + 1.0).powf(x) - 1.0) as usize).min(n - 1)
}

fn date(rng: &mut fastrand::Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        2015 + rng.usize(..10),
        1 + rng.usize(..12),
        1 + rng.usize(..28)
    )
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.usize(..WORDS.len())]);
    }
    text
}

fn article(rng: &mut fastrand::Rng, a: usize, people: usize) -> String {
    let day = date(rng);
    let mut text = format!(
        "---\ntitle: \"Article {a}: {}\"\ndate: {day}\n",
        sentence(rng, 5)
    );
    let topics: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| TOPICS[rng.usize(..TOPICS.len())])
        .collect();
    let places: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| PLACES[rng.usize(..PLACES.len())])
        .collect();
    let _ = writeln!(
        text,
        "topics: [{}]\nplaces: [{}]\nsources:",
        dedup(topics).join(", "),
        dedup(places).join(", ")
    );
    let sources = 1 + rng.usize(..5);
    for s in 0..sources {
        let publisher = rng.usize(..200);
        let _ = writeln!(
            text,
            "  - id: s{s}\n    publisher: Publisher {publisher}\n    title: \"Document {a}-{s}\"\n    url: https://example.org/p{publisher}/{a}/{s}\n    kind: {}\n    date: {day}",
            KINDS[rng.usize(..KINDS.len())]
        );
    }
    text.push_str("statements:\n");
    for s in 0..2 + rng.usize(..7) {
        let person = zipf(rng, people);
        let words = if rng.bool() { "quote" } else { "paraphrase" };
        let _ = writeln!(
            text,
            "  - person: person-{person}\n    date: {day}\n    {words}: \"{} {a} {s}.\"\n    source: s{}\n    context: generated context",
            sentence(rng, 12),
            rng.usize(..sources)
        );
    }
    text.push_str("---\n");
    let target = 400 + rng.usize(..1100);
    let mut written = 0;
    while written < target {
        let _ = writeln!(text, "## {}\n", sentence(rng, 4));
        for _ in 0..3 {
            let n = 40 + rng.usize(..40);
            let _ = writeln!(
                text,
                "{} [a link](https://example.org/{a}) {}.\n",
                sentence(rng, n / 2),
                sentence(rng, n / 2)
            );
            written += n + 2;
        }
        let _ = writeln!(
            text,
            "- {}\n- {}\n- {}\n",
            sentence(rng, 6),
            sentence(rng, 6),
            sentence(rng, 6)
        );
        let _ = writeln!(
            text,
            "| figure | value |\n|---|---|\n| {} | {} |\n",
            sentence(rng, 2),
            rng.usize(..1000)
        );
        written += 25;
    }
    text
}

fn dedup(mut items: Vec<&str>) -> Vec<&str> {
    items.sort_unstable();
    items.dedup();
    items
}
