//! Writes a deterministic benchmark site: `cargo run --release --example
//! gen_corpus -- --articles N --out DIR [--seed S] [--hugo DIR] [--translate CODE:PERCENT]`.
//!
//! With `--translate ar:10` the site has a second language, `ar`, and a
//! translation of one article and one person in ten (`<name>.ar.md`);
//! the corpus itself is the same as without it.
//!
//! N articles of 400–1,500 words (headings, lists, links, a table), 2–8
//! statements each by about N/10 people chosen Zipf-like (a few speak very
//! often), 1–5 sources each from 200 publishers, dates over ten years.
//!
//! With `--hugo DIR` the same corpus is also written as a Hugo site (see the
//! `hugo` module below), so `scripts/bench.sh` can build the same content
//! with both tools. The annals site does not depend on the flag: the same seed
//! gives the same bytes.

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
/// Articles are dated over `YEARS` years from `FIRST_YEAR`.
const FIRST_YEAR: usize = 2015;
const YEARS: usize = 10;
/// Both sites are written for this address.
const BASE_URL: &str = "https://example.org/corpus/";
const TITLE: &str = "Benchmark corpus";

struct Args {
    articles: usize,
    out: PathBuf,
    seed: u64,
    hugo: Option<PathBuf>,
    /// A language and the percentage of articles and people translated.
    translate: Option<(String, usize)>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        articles: 1000,
        out: PathBuf::from("target/corpus"),
        seed: 1,
        hugo: None,
        translate: None,
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
            "--hugo" => args.hugo = Some(PathBuf::from(value)),
            "--translate" => {
                let (code, percent) = (value.split_once(':'))
                    .and_then(|(code, p)| Some((code.to_owned(), p.parse().ok()?)))
                    .filter(|(_, p): &(String, usize)| (1..=100).contains(p))
                    .ok_or("--translate takes CODE:PERCENT, e.g. ar:10")?;
                args.translate = Some((code, percent));
            }
            other => {
                return Err(format!(
                    "unknown flag {other}; use --articles N --out DIR [--seed S] [--hugo DIR] [--translate CODE:PERCENT]"
                ));
            }
        }
    }
    if let Some(hugo) = &args.hugo
        && (hugo.starts_with(&args.out) || args.out.starts_with(hugo))
    {
        return Err("--hugo and --out must be separate directories".into());
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
    if let Some(hugo) = &args.hugo {
        println!(
            "wrote the same articles as a Hugo site to {}",
            hugo.display()
        );
    }
}

/// One generated article: both site formats are written from it.
struct Article {
    number: usize,
    title: String,
    /// `YYYY-MM-DD`: the article's, its sources' and its statements' date.
    date: String,
    topics: Vec<&'static str>,
    places: Vec<&'static str>,
    sources: Vec<Source>,
    statements: Vec<Statement>,
    /// The Markdown body.
    body: String,
}

struct Source {
    publisher: usize,
    kind: &'static str,
}

struct Statement {
    person: usize,
    /// A verbatim quote, or else a paraphrase.
    quote: bool,
    text: String,
    /// An index into the article's sources.
    source: usize,
}

impl Statement {
    /// The annals field the words go in.
    fn said(&self) -> &'static str {
        if self.quote { "quote" } else { "paraphrase" }
    }
}

impl Article {
    fn source_title(&self, s: usize) -> String {
        format!("Document {}-{s}", self.number)
    }

    fn source_url(&self, s: usize) -> String {
        format!(
            "https://example.org/p{}/{}/{s}",
            self.sources[s].publisher, self.number
        )
    }

    fn year(&self) -> &str {
        &self.date[..4]
    }
}

fn person_name(p: usize) -> String {
    format!("Person {p}")
}

fn person_role(p: usize) -> String {
    format!("Official number {p}")
}

const PERSON_BIO: &str = "A generated speaker.";

fn publisher_name(publisher: usize) -> String {
    format!("Publisher {publisher}")
}

fn write_corpus(args: &Args) -> std::io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(args.seed);
    for dir in std::iter::once(&args.out).chain(&args.hugo) {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
    }
    let people = (args.articles / 10).max(5);
    let languages = match &args.translate {
        Some((code, _)) => format!("languages:\n  {code}:\n    title: {TITLE} ({code})\n"),
        None => String::new(),
    };
    write(
        &args.out.join("annals.yaml"),
        &format!(
            "title: {TITLE}\ndescription: Generated.\nbase_url: {BASE_URL}\nlanguage: en\n{languages}"
        ),
    )?;
    // One in `every` of the articles and people is translated.
    let translated = |n: usize| match &args.translate {
        Some((code, percent)) if n.is_multiple_of(100 / percent) => Some(code.as_str()),
        _ => None,
    };
    for p in 0..people {
        let text = format!(
            "---\nname: {}\nrole: {}\n---\n{PERSON_BIO}\n",
            person_name(p),
            person_role(p)
        );
        write(
            &args.out.join(format!("content/people/person-{p}.md")),
            &text,
        )?;
        if let Some(code) = translated(p) {
            let text = format!(
                "---\nname: {} ({code})\nrole: {}\n---\n{PERSON_BIO}\n",
                person_name(p),
                person_role(p)
            );
            let path = format!("content/people/person-{p}.{code}.md");
            write(&args.out.join(path), &text)?;
        }
    }
    if let Some(dir) = &args.hugo {
        hugo::write_site(dir, people)?;
    }
    for a in 0..args.articles {
        let article = article(&mut rng, a, people);
        write(
            &args
                .out
                .join(format!("content/articles/{:03}/article-{a}.md", a % 1000)),
            &annals_markdown(&article),
        )?;
        if let Some(code) = translated(a) {
            let text = format!(
                "---\ntitle: \"{} ({code})\"\n---\n{}",
                article.title, article.body
            );
            let path = format!("content/articles/{:03}/article-{a}.{code}.md", a % 1000);
            write(&args.out.join(path), &text)?;
        }
        if let Some(dir) = &args.hugo {
            hugo::write_article(dir, &article)?;
        }
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
        FIRST_YEAR + rng.usize(..YEARS),
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

/// Draws article `a`. The order of the draws fixes the corpus of a seed:
/// change it and every benchmark figure measured before stops being
/// comparable.
fn article(rng: &mut fastrand::Rng, a: usize, people: usize) -> Article {
    let date = date(rng);
    let title = format!("Article {a}: {}", sentence(rng, 5));
    let topics: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| TOPICS[rng.usize(..TOPICS.len())])
        .collect();
    let places: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| PLACES[rng.usize(..PLACES.len())])
        .collect();
    let sources: Vec<Source> = (0..1 + rng.usize(..5))
        .map(|_| Source {
            publisher: rng.usize(..200),
            kind: KINDS[rng.usize(..KINDS.len())],
        })
        .collect();
    let statements = (0..2 + rng.usize(..7))
        .map(|s| {
            let person = zipf(rng, people);
            let quote = rng.bool();
            Statement {
                person,
                quote,
                text: format!("{} {a} {s}.", sentence(rng, 12)),
                source: rng.usize(..sources.len()),
            }
        })
        .collect();
    Article {
        number: a,
        title,
        date,
        topics: dedup(topics),
        places: dedup(places),
        sources,
        statements,
        body: body(rng, a),
    }
}

fn body(rng: &mut fastrand::Rng, a: usize) -> String {
    let mut text = String::new();
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

/// The article as an annals Markdown file: sources and statements in the
/// front matter.
fn annals_markdown(article: &Article) -> String {
    let mut text = format!(
        "---\ntitle: \"{}\"\ndate: {}\ntopics: [{}]\nplaces: [{}]\nsources:\n",
        article.title,
        article.date,
        article.topics.join(", "),
        article.places.join(", ")
    );
    for (s, source) in article.sources.iter().enumerate() {
        let _ = writeln!(
            text,
            "  - id: s{s}\n    publisher: {}\n    title: \"{}\"\n    url: {}\n    kind: {}\n    date: {}",
            publisher_name(source.publisher),
            article.source_title(s),
            article.source_url(s),
            source.kind,
            article.date
        );
    }
    text.push_str("statements:\n");
    for statement in &article.statements {
        let _ = writeln!(
            text,
            "  - person: person-{}\n    date: {}\n    {}: \"{}\"\n    source: s{}\n    context: generated context",
            statement.person,
            article.date,
            statement.said(),
            statement.text,
            statement.source
        );
    }
    text.push_str("---\n");
    text.push_str(&article.body);
    text
}

fn dedup(mut items: Vec<&str>) -> Vec<&str> {
    items.sort_unstable();
    items.dedup();
    items
}

/// The corpus as a Hugo (0.158 or later) site with the page set annals writes: an
/// article page each (statements as blockquotes and the numbered sources in
/// the body), a page per person (their statements), per publisher, topic and
/// place (taxonomies), per year (a section per year under `articles/`), a
/// paginated home page, an RSS feed for the site and for each person, a
/// sitemap and robots.txt. Lists are paginated by 50, feeds hold 50 entries,
/// as in annals.
mod hugo {
    use super::{Article, BASE_URL, FIRST_YEAR, PERSON_BIO, TITLE, YEARS, write};
    use std::fmt::Write as _;
    use std::path::Path;

    /// Term pages get only HTML, except people's, whose `_index.md` asks for
    /// RSS too: annals writes a feed per person and none per topic. The keys
    /// are Hugo 0.168's: it ignores the older `paginate` without a word (lists
    /// then come 10 to a page), and warns on `languageCode`; `rssLimit` still
    /// works but is the old name of `services.rss.limit`.
    const CONFIG: &str = "\
locale: en
pagination:
  pagerSize: 50
services:
  rss:
    limit: 50
enableRobotsTXT: true
disableAliases: true
taxonomies:
  person: people
  publisher: publishers
  topic: topics
  place: places
outputs:
  home: [HTML, RSS]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML]
";

    const LAYOUTS: &[(&str, &str)] = &[
        (
            "_default/baseof.html",
            r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "RSS" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<nav><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a> · <a href="{{ relURL "articles/" }}">Timeline</a> · <a href="{{ relURL "people/" }}">People</a> · <a href="{{ relURL "publishers/" }}">Publishers</a> · <a href="{{ relURL "topics/" }}">Topics</a> · <a href="{{ relURL "places/" }}">Places</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
        ),
        (
            "_default/single.html",
            r#"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}{{ range .GetTerms "places" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>{{ end }}
"#,
        ),
        (
            "partials/items.html",
            r#"<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time> · {{ len .Params.statements }} statements<p>{{ .Summary | plainify | truncate 300 }}</p></li>{{ end }}</ul>
"#,
        ),
        (
            "partials/pager.html",
            r#"{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav>{{ with .Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }} page {{ .PageNumber }} of {{ .TotalPages }} {{ with .Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}{{ end }}
"#,
        ),
        (
            "index.html",
            r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ $pager := .Paginate site.RegularPages }}
{{ partial "items.html" $pager.Pages }}
{{ partial "pager.html" . }}{{ end }}
"#,
        ),
        // The `articles` section is the timeline: its sub-sections are the years.
        (
            "_default/list.html",
            r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ if .Sections }}<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ len .Pages }} articles</li>{{ end }}</ul>
{{ else }}{{ $pager := .Paginate (.Pages.GroupByDate "January") }}
{{ range $pager.PageGroups }}<section><h2>{{ .Key }}</h2>{{ partial "items.html" .Pages }}</section>{{ end }}
{{ partial "pager.html" . }}{{ end }}{{ end }}
"#,
        ),
        (
            "_default/taxonomy.html",
            r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ partial "pager.html" . }}{{ end }}
"#,
        ),
        (
            "_default/term.html",
            r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ partial "items.html" $pager.Pages }}
{{ partial "pager.html" . }}{{ end }}
"#,
        ),
        // A person's page: their statements, taken from each article's front matter.
        (
            "people/term.html",
            r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ .Params.role }}</p>
{{ .Content }}
{{ $id := .Data.Term }}
{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ $article := . }}{{ range .Params.statements }}{{ if eq .person $id }}<figure>{{ if .quote }}<blockquote><p>{{ .text }}</p></blockquote>{{ else }}<p>Paraphrase: {{ .text }}</p>{{ end }}
<figcaption><time>{{ $article.Date.Format "2 January 2006" }}</time>, generated context. Recorded in <a href="{{ $article.RelPermalink }}">{{ $article.Title }}</a>.</figcaption></figure>
{{ end }}{{ end }}{{ end }}
{{ partial "pager.html" . }}{{ end }}
"#,
        ),
        (
            "404.html",
            r#"{{ define "main" }}<h1>Page not found</h1>{{ end }}
"#,
        ),
    ];

    /// The configuration, layouts, a page per person and a section per year.
    pub(crate) fn write_site(dir: &Path, people: usize) -> std::io::Result<()> {
        write(
            &dir.join("hugo.yaml"),
            &format!("baseURL: {BASE_URL}\ntitle: {TITLE}\n{CONFIG}"),
        )?;
        for (path, text) in LAYOUTS {
            write(&dir.join("layouts").join(path), text)?;
        }
        for p in 0..people {
            write(
                &dir.join(format!("content/people/person-{p}/_index.md")),
                &format!(
                    "---\ntitle: {}\nrole: {}\noutputs: [HTML, RSS]\n---\n{PERSON_BIO}\n",
                    super::person_name(p),
                    super::person_role(p)
                ),
            )?;
        }
        write(
            &dir.join("content/articles/_index.md"),
            "---\ntitle: Timeline\n---\n",
        )?;
        for year in FIRST_YEAR..FIRST_YEAR + YEARS {
            write(
                &dir.join(format!("content/articles/{year}/_index.md")),
                &format!("---\ntitle: \"{year}\"\n---\n"),
            )?;
        }
        Ok(())
    }

    /// `content/articles/<year>/article-<n>.md`: the taxonomies and the
    /// statements (for the people's pages) in the front matter; the body,
    /// then the statements as blockquotes, then the numbered sources.
    pub(crate) fn write_article(dir: &Path, article: &Article) -> std::io::Result<()> {
        let path = dir.join(format!(
            "content/articles/{}/article-{}.md",
            article.year(),
            article.number
        ));
        write(&path, &markdown(article))
    }

    fn markdown(article: &Article) -> String {
        let mut people: Vec<String> = article
            .statements
            .iter()
            .map(|s| format!("person-{}", s.person))
            .collect();
        people.sort_unstable();
        people.dedup();
        let mut publishers: Vec<String> = article
            .sources
            .iter()
            .map(|s| format!("\"{}\"", super::publisher_name(s.publisher)))
            .collect();
        publishers.sort_unstable();
        publishers.dedup();
        let mut text = format!(
            "---\ntitle: \"{}\"\ndate: {}\npeople: [{}]\npublishers: [{}]\ntopics: [{}]\nplaces: [{}]\nstatements:\n",
            article.title,
            article.date,
            people.join(", "),
            publishers.join(", "),
            article.topics.join(", "),
            article.places.join(", ")
        );
        for statement in &article.statements {
            let _ = writeln!(
                text,
                "  - person: person-{}\n    quote: {}\n    text: \"{}\"",
                statement.person, statement.quote, statement.text
            );
        }
        text.push_str("---\n");
        text.push_str(&article.body);
        text.push_str("## Statements\n\n");
        for statement in &article.statements {
            let said = if statement.quote { "" } else { "Paraphrase: " };
            let _ = writeln!(
                text,
                "> {said}{}\n>\n> — [{}]({BASE_URL}people/person-{}/), {}, generated context. Source: [{}]({}), {}.\n",
                statement.text,
                super::person_name(statement.person),
                statement.person,
                article.date,
                article.source_title(statement.source),
                article.source_url(statement.source),
                super::publisher_name(article.sources[statement.source].publisher)
            );
        }
        text.push_str("## Sources\n\n");
        for (s, source) in article.sources.iter().enumerate() {
            let _ = writeln!(
                text,
                "{}. [{}]({BASE_URL}publishers/publisher-{}/), [{}]({}), {}, {}.",
                s + 1,
                super::publisher_name(source.publisher),
                source.publisher,
                article.source_title(s),
                article.source_url(s),
                source.kind,
                article.date
            );
        }
        text
    }
}
