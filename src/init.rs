//! `annals init`: a new site with one example article and one person, and
//! starter about and methodology pages.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Diagnostics, io_error};
use crate::links::CACHE_DIR;

/// The line of `.gitignore` that keeps `annals check --links`' cache out
/// of the repository.
const IGNORE_CACHE: &str = "/.annals/";

/// The lines that keep out what a build writes: the output this starter
/// site names (`output: public`), and the lock and staging a build keeps
/// beside it (`.public.annals-lock`, `.public.annals-staging/`).
const IGNORE_BUILT: [&str; 2] = ["/public/", ".*.annals-*"];

const FILES: &[(&str, &str)] = &[
    (
        CONFIG_FILE,
        "title: My archive\ndescription: A record of who said what, when, and on whose authority.\nbase_url: https://example.org/\nlanguage: en\noutput: public\n",
    ),
    (
        "content/people/jane-doe.md",
        "---\nname: Jane Doe\nrole: Spokesperson for the Example Ministry\n---\nJane Doe speaks for the Example Ministry. Replace this file with a real person: its name (here `jane-doe`) is the id statements use.\n",
    ),
    (
        "content/articles/2024-01-15-first-article.md",
        r#"---
title: The first article
date: 2024-01-15
topics: [Example]
places: [Example City]
sources:
  - id: briefing
    publisher: Example Ministry
    title: Press briefing of 15 January
    url: https://example.org/briefing
    archive: https://web.archive.org/web/2024/https://example.org/briefing
    kind: official
statements:
  - person: jane-doe
    date: 2024-01-15
    quote: "We will publish the full record."
    source: briefing
    context: press briefing
---
Every article records **statements**: who said what, when, and which
source proves it. Edit this file, then run `annals build`.
"#,
    ),
    (
        "content/pages/about.md",
        r#"---
title: About
summary: What this archive records, who keeps it, and how to reach them.
menu: true
weight: 2
---
Say here what this archive is: which events it follows, since when, and for
whom. Name who keeps it, and how readers can reach you to report a mistake.

This file is a **page**: any Markdown file in `content/pages/` becomes one, at
an address made from its name (this one is `/about/`). With `menu: true` the
site navigation links it; `weight` orders the links, lighter first.
"#,
    ),
    (
        "content/pages/methodology.md",
        r#"---
title: Methodology
summary: How statements are selected, verified, archived and corrected.
menu: true
weight: 1
---
Readers trust a record that shows its working. Replace each paragraph below
with what you actually do.

## Selection

Which statements make it in: who counts as a speaker (officials, spokespeople,
organisations), on the record only or not, and which events you follow.

## Verification

How each statement is checked against its source before it is published:
whether a `quote` is copied word for word from the document, and when you write
a `paraphrase` instead; how you tell a readout from a transcript.

## Archiving

Pages change and links break. Save a copy of every web source (for example at
https://web.archive.org/save) and give its address as the source's `archive:`,
so readers can see the document as you cited it.

## Corrections

How mistakes are corrected in the open: what an editor records on the article
when a statement was wrong, and how readers can report one.
"#,
    ),
];

/// Writes a new site into `dir`, refusing to touch a directory that already
/// holds one. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    for existing in [CONFIG_FILE, "content"] {
        if dir.join(existing).exists() {
            return Err(
                Diagnostic::error(dir.join(existing), "a site already exists here")
                    .with_hint("choose a new directory; annals init never overwrites files")
                    .into(),
            );
        }
    }
    let mut written = Vec::new();
    for (relative, text) in FILES {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, "create the directory", &e))?;
        }
        fs::write(&path, text).map_err(|e| io_error(&path, "write the file", &e))?;
        written.push(path);
    }
    written.extend(ignore_cache(dir)?);
    Ok(written)
}

/// Adds `.annals/` to the site's `.gitignore`, creating it if need be: it
/// holds a cache of this machine's link checks, not part of the site; and
/// what a build writes. A `.gitignore` that ignores all of it already is
/// left alone (`None`).
fn ignore_cache(dir: &Path) -> Result<Option<PathBuf>, Diagnostics> {
    let path = dir.join(".gitignore");
    let existing = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io_error(&path, "read the file", &e).into()),
    };
    let has = |wanted: &str| {
        existing.lines().any(|line| {
            let line = line.trim().trim_start_matches('/').trim_end_matches('/');
            line == wanted.trim_start_matches('/').trim_end_matches('/')
        })
    };
    let mut added = String::new();
    if !has(CACHE_DIR) {
        added.push_str(&format!(
            "# the link cache of `annals check --links`\n{IGNORE_CACHE}\n"
        ));
    }
    let built: Vec<&str> = IGNORE_BUILT.into_iter().filter(|line| !has(line)).collect();
    if !built.is_empty() {
        added.push_str("# what `annals build` writes: the output, and its lock and staging\n");
        built
            .iter()
            .for_each(|line| added.push_str(&format!("{line}\n")));
    }
    if added.is_empty() {
        return Ok(None);
    }
    let separator = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let text = format!("{existing}{separator}{added}");
    fs::write(&path, text).map_err(|e| io_error(&path, "write the file", &e))?;
    Ok(Some(path))
}
