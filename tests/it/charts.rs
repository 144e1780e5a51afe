//! Charts and period indexes: the timeline's, each year's and each
//! person's chart, and the index of years on every part of a person's
//! page. Crawled like a reader would: every bar and index link leads to an
//! existing part, to the anchor where its period starts, and counts what
//! is listed there.

use std::collections::BTreeMap;
use std::path::PathBuf;

use scraper::{ElementRef, Html, Selector};

use crate::process::{scratch_dir, tree};

/// Each article: its date and its statements, (person, date said). Ada
/// speaks in 2019, 2021 and 2023, nobody in 2020; 2021 holds dates of the
/// year alone and of a month alone.
const RECORD: &[(&str, &[(&str, &str)])] = &[
    (
        "2019-02-10",
        &[("ada", "2019-02-10"), ("ada", "2019-02-11")],
    ),
    (
        "2019-06-01",
        &[("ada", "2019-06-01"), ("ben", "2019-06-01")],
    ),
    (
        "2021-01-05",
        &[
            ("ada", "2021"),
            ("ada", "2021-01-05"),
            ("ada", "2021-01-06"),
        ],
    ),
    (
        "2021-03-09",
        &[
            ("ada", "2021-03"),
            ("ada", "2021-03-09"),
            ("ben", "2021-03-09"),
        ],
    ),
    (
        "2021-05-17",
        &[
            ("ada", "2021-05-17"),
            ("ada", "2021-05-18"),
            ("ada", "2021-05-19"),
            ("ben", "2021-05-17"),
        ],
    ),
    (
        "2022-11-30",
        &[("ada", "2022-11-30"), ("ada", "2023-01-02")],
    ),
];

/// The site of [`RECORD`], three entries a part, built: the output's HTML
/// files by path, and where the output is.
fn built() -> (Built, BTreeMap<String, String>) {
    let site = scratch_dir();
    let root = site.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("a site file");
    };
    write(
        "annals.yaml",
        "title: Charts\nbase_url: https://example.org/\npaginate: 3\n",
    );
    write("content/people/ada.md", "---\nname: Ada Example\n---\n");
    write("content/people/ben.md", "---\nname: Ben Example\n---\n");
    for (n, (date, said)) in RECORD.iter().enumerate() {
        let statements: String = (said.iter().enumerate())
            .map(|(s, (person, when))| {
                format!("  - person: {person}\n    date: \"{when}\"\n    quote: \"Words {n}.{s}.\"\n    source: s\n")
            })
            .collect();
        let article = format!(
            "---\ntitle: Article {n}\ndate: {date}\nsources:\n  - id: s\n    publisher: Wire\nstatements:\n{statements}---\nBody {n}.\n"
        );
        write(&format!("content/articles/{date}-a{n}.md"), &article);
    }
    let (out, output) = crate::site::build(root, &[]);
    let files = tree(&output)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .map(|(path, bytes)| {
            let name = path.to_string_lossy().replace('\\', "/");
            (name, String::from_utf8(bytes).expect("UTF-8 pages"))
        })
        .collect();
    (
        Built {
            _site: site,
            _out: out,
            output,
        },
        files,
    )
}

/// A built site, kept on disk while it is read.
struct Built {
    _site: tempfile::TempDir,
    _out: tempfile::TempDir,
    output: PathBuf,
}

fn select<'h>(html: &'h Html, selector: &str) -> Vec<ElementRef<'h>> {
    let selector = Selector::parse(selector).expect("a selector");
    html.select(&selector).collect()
}

fn text(element: &ElementRef) -> String {
    let words: Vec<String> = element.text().map(str::to_owned).collect();
    words
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The output file a root path leads to, and its fragment.
fn target(href: &str) -> (String, &str) {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let inside = path.strip_prefix('/').expect("a root path");
    (format!("{inside}index.html"), fragment)
}

/// Every part of the page a part's file belongs to, first to last.
fn parts_of(files: &BTreeMap<String, String>, file: &str) -> Vec<String> {
    let page = match file.split_once("page/") {
        Some((page, _)) => page.to_owned(),
        None => file.trim_end_matches("index.html").to_owned(),
    };
    let later = (2..).map(|n| format!("{page}page/{n}/index.html"));
    std::iter::once(format!("{page}index.html"))
        .chain(later)
        .take_while(|part| files.contains_key(part))
        .collect()
}

/// What is listed: (articles, statements), within the element `id` on
/// every part of a page, or in all of it when `id` is empty.
fn listed(files: &BTreeMap<String, String>, parts: &[String], id: &str) -> (usize, usize) {
    let scope = match id {
        "" => "main".to_owned(),
        id => format!("[id=\"{id}\"]"),
    };
    parts.iter().fold((0, 0), |(articles, statements), part| {
        let html = Html::parse_document(&files[part]);
        let count = |what: &str| select(&html, &format!("{scope} {what}")).len();
        (
            articles + count(".article-item"),
            // In full on a person's page, a line each on a year's.
            statements + count("figure.statement") + count("li.line"),
        )
    })
}

/// `May 2021: 2 articles, 12 statements` → (`May 2021`, (2, 12)).
fn counted(label: &str) -> (String, (usize, usize)) {
    let (name, counts) = label.rsplit_once(": ").expect("a name and counts");
    let mut tally = (0, 0);
    for count in counts.split(", ") {
        let (number, what) = count.split_once(' ').expect("a count");
        let number: usize = number.parse().expect("a number");
        match what.trim_end_matches('s') {
            "article" => tally.0 = number,
            "statement" => tally.1 = number,
            other => panic!("counts {other}"),
        }
    }
    (name.to_owned(), tally)
}

/// The indexes of periods: a year page's months, a person's years (not
/// the sources page's index of publishers).
const PERIOD_INDEXES: &str = r#"nav.toc[aria-label="Months"] li, nav.toc[aria-label="Years"] li"#;

#[test]
fn every_bar_and_index_link_leads_to_where_its_period_starts_and_counts_it() {
    let (_built, files) = built();
    let mut checked = 0;
    for (file, text_of_file) in &files {
        let html = Html::parse_document(text_of_file);
        let bars = select(&html, "figure.chart svg a").into_iter().map(|a| {
            let label = a.value().attr("aria-label").expect("a named bar");
            (
                a.value().attr("href").expect("an href"),
                counted(label).1,
                true,
            )
        });
        // A year's months say what they count (`2 articles, 12
        // statements`); a person's years count statements alone.
        let index = select(&html, PERIOD_INDEXES).into_iter().map(|li| {
            let a = select_in(&li, "a");
            let href = a.value().attr("href").expect("an href");
            let count = text(&select_in(&li, ".count"));
            match count.parse::<usize>() {
                Ok(count) => (href, (0, count), false),
                Err(_) => (href, counted(&format!("month: {count}")).1, true),
            }
        });
        for (href, expected, split) in bars.chain(index).collect::<Vec<_>>() {
            let (target, anchor) = target(href);
            assert!(files.contains_key(&target), "{file}: {href} leads nowhere");
            let parts = parts_of(&files, &target);
            let at = parts.iter().position(|p| *p == target).expect("a part");
            if !anchor.is_empty() {
                let has = |part: &str| {
                    let page = Html::parse_document(&files[part]);
                    !select(&page, &format!("[id=\"{anchor}\"]")).is_empty()
                };
                assert!(has(&target), "{file}: {href}: no such anchor");
                assert!(
                    parts[..at].iter().all(|part| !has(part)),
                    "{file}: {href}: the period starts before"
                );
            }
            let (articles, statements) = listed(&files, &parts, anchor);
            match split {
                true => assert_eq!((articles, statements), expected, "{file}: {href}"),
                false => assert_eq!(articles + statements, expected.1, "{file}: {href}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} links checked");
}

fn select_in<'h>(element: &ElementRef<'h>, selector: &str) -> ElementRef<'h> {
    let selector = Selector::parse(selector).expect("a selector");
    element.select(&selector).next().expect("an element")
}

/// Rows of a chart's table: (period name, (articles, statements)).
type Rows = Vec<(String, (usize, usize))>;

/// The chart on `file`: each slot's label and whether it links, and its
/// table.
fn chart(files: &BTreeMap<String, String>, file: &str) -> (Vec<(String, bool)>, Rows) {
    let html = Html::parse_document(&files[file]);
    let figures = select(&html, "figure.chart");
    assert_eq!(figures.len(), 1, "{file}: one chart");
    let svg = select_in(&figures[0], "svg");
    let caption = select_in(&figures[0], "figcaption");
    assert_eq!(
        svg.value().attr("aria-labelledby"),
        caption.value().attr("id"),
        "{file}: the chart is named by its caption"
    );
    assert!(
        !files[file].contains("fill=\"#") && !files[file].contains("stroke=\"#"),
        "{file}: no colour that could vanish in a theme"
    );
    let slots = select_in_all(&figures[0], "svg text")
        .iter()
        .map(|label| {
            let linked = label
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "a");
            (text(label), linked)
        })
        .collect();
    let rows = select_in_all(&figures[0], "tbody tr")
        .iter()
        .map(|row| {
            let cells: Vec<usize> = select_in_all(row, "td")
                .iter()
                .map(|td| text(td).parse().expect("a number"))
                .collect();
            let tally = match cells[..] {
                [articles, statements] => (articles, statements),
                [statements] => (0, statements),
                _ => panic!("{file}: a row of {} counts", cells.len()),
            };
            (text(&select_in(row, "th")), tally)
        })
        .collect();
    (slots, rows)
}

fn select_in_all<'h>(element: &ElementRef<'h>, selector: &str) -> Vec<ElementRef<'h>> {
    let selector = Selector::parse(selector).expect("a selector");
    element.select(&selector).collect()
}

#[test]
fn charts_keep_empty_periods_as_slots_and_tabulate_every_one() {
    let (_built, files) = built();
    let (slots, rows) = chart(&files, "timeline/index.html");
    assert_eq!(
        slots,
        [
            ("2019".to_owned(), true),
            ("2020".to_owned(), false),
            ("2021".to_owned(), true),
            ("2022".to_owned(), true),
            ("2023".to_owned(), true),
        ]
    );
    assert_eq!(
        rows,
        [
            ("2019".to_owned(), (2, 4)),
            ("2020".to_owned(), (0, 0)),
            ("2021".to_owned(), (3, 10)),
            ("2022".to_owned(), (1, 1)),
            ("2023".to_owned(), (0, 1)),
        ]
    );
    // A year page: a slot for dates of the year alone, then every month.
    // The chart is an overview, on the first part; every part indexes the
    // months (every_part_of_a_year_lists_every_month_and_where_it_starts).
    let parts = parts_of(&files, "timeline/2021/index.html");
    assert!(parts.len() > 1, "{parts:?}");
    let (slots, rows) = chart(&files, &parts[0]);
    assert_eq!(slots.len(), 13);
    assert_eq!(slots[0], ("?".to_owned(), true));
    assert_eq!(slots[2], ("Feb".to_owned(), false));
    assert_eq!(rows[0], ("2021, month not known".to_owned(), (0, 1)));
    assert_eq!(rows[5], ("May 2021".to_owned(), (1, 4)));
    for part in &parts[1..] {
        assert!(!files[part].contains("<figure class=\"chart\""), "{part}");
    }
    // A person's: statements per year, the year without any an empty slot.
    assert!(!files["people/ada/page/2/index.html"].contains("<figure class=\"chart\""));
    let (slots, rows) = chart(&files, "people/ada/index.html");
    let names: Vec<&str> = slots.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["2019", "2020", "2021", "2022", "2023"]);
    assert_eq!(rows[2], ("2021".to_owned(), (0, 8)));
}

#[test]
fn every_part_of_a_persons_page_indexes_every_year_oldest_first() {
    let (_built, files) = built();
    let parts = parts_of(&files, "people/ada/index.html");
    assert_eq!(parts.len(), 5, "13 statements, 3 a part");
    let index_of = |part: &String| -> Vec<String> {
        let html = Html::parse_document(&files[part]);
        let links = select(&html, r#"nav.toc[aria-label="Years"] li"#);
        links.iter().map(text).collect()
    };
    for part in &parts {
        assert_eq!(
            index_of(part),
            ["2019 3", "2021 8", "2022 1", "2023 1"],
            "{part}"
        );
    }
    let html = Html::parse_document(&files[&parts[0]]);
    let hrefs: Vec<&str> = select(&html, "nav.toc a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "/people/ada/#year-2019",
            "/people/ada/page/2/#year-2021",
            "/people/ada/page/4/#year-2022",
            "/people/ada/page/5/#year-2023"
        ]
    );
    // Oldest first, a date of the year alone before the days it holds.
    let said: Vec<String> = parts
        .iter()
        .flat_map(|part| {
            let html = Html::parse_document(&files[part]);
            let times = select(&html, ".statements .said time");
            times.iter().map(text).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(said[3..6], ["2021", "5 January 2021", "6 January 2021"]);
    assert_eq!(
        select(&html, ".latest a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect::<Vec<_>>(),
        ["/people/ada/page/5/#statements"],
        "the latest statements are still a link away"
    );
}

#[test]
fn a_chart_weighs_little_and_every_link_of_the_site_resolves() {
    let (built, files) = built();
    for file in [
        "timeline/index.html",
        "timeline/2021/index.html",
        "people/ada/index.html",
    ] {
        let page = &files[file];
        let start = page.find("<figure class=\"chart\">").expect("a chart");
        let length = page[start..].find("</figure>").expect("its end") + "</figure>".len();
        assert!(length < 3 * 1024, "{file}: {length} bytes of chart");
    }
    crate::site::Crawl::site(&built.output, "https://example.org/").assert_sound();
}
