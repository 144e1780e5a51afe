//! `annals watch` and `annals serve` without a browser: what a change
//! rewrites, and what the server answers.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::process::{Running, edit, fixture_copy, get, mtimes, path_str, serve};

const WAIT: Duration = Duration::from_secs(20);

/// The end of watch's line once edits pause and what lagged behind them
/// has caught up: the search index, the data package's zips, or both
/// (`search index and data download updated: 14 files written in…`).
const CAUGHT_UP: &str = " updated: ";

/// Starts `annals watch` on a copy of the live fixture, after its first build.
fn watching() -> (tempfile::TempDir, Running, PathBuf) {
    watching_with("")
}

/// Like [`watching`], with `settings` added to the site's annals.yaml.
fn watching_with(settings: &str) -> (tempfile::TempDir, Running, PathBuf) {
    let site = fixture_copy("live");
    let config = site.path().join("annals.yaml");
    let text = std::fs::read_to_string(&config).expect("annals.yaml");
    std::fs::write(&config, format!("{text}{settings}")).expect("write annals.yaml");
    let output = site.path().join("public");
    let root = path_str(site.path()).to_owned();
    let mut running = Running::start(&["watch", "--root", &root], site.path());
    running.wait_for("watching", WAIT);
    (site, running, output)
}

/// The output files whose modification time changed between two snapshots.
fn changed(
    before: &std::collections::BTreeMap<PathBuf, std::time::SystemTime>,
    output: &std::path::Path,
) -> BTreeSet<String> {
    let after = mtimes(output);
    let mut changed: BTreeSet<String> = after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(*time))
        .map(|(path, _)| path.display().to_string())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| format!("removed {}", p.display())),
    );
    changed
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

/// An incremental rebuild must leave exactly what a full build writes.
#[track_caller]
fn assert_same_as_full_build(site: &std::path::Path, output: &std::path::Path) {
    let full = tempfile::tempdir().expect("temporary directory");
    let full_output = full.path().join("site");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args([
            "build",
            "--root",
            path_str(site),
            "--output",
            path_str(&full_output),
        ])
        .status()
        .expect("run annals build");
    assert!(status.success());
    let files = |dir: &std::path::Path| -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        mtimes(dir)
            .into_keys()
            .map(|p| (p.clone(), std::fs::read(dir.join(&p)).expect("read")))
            .collect()
    };
    let (incremental, full) = (files(output), files(&full_output));
    let differing: Vec<_> = full
        .keys()
        .chain(incremental.keys())
        .filter(|p| full.get(*p) != incremental.get(*p))
        .collect();
    assert!(
        differing.is_empty(),
        "incremental and full builds differ in {differing:?}"
    );
}

#[test]
fn editing_an_article_body_rewrites_only_the_pages_showing_it() {
    let (site, mut running, output) = watching();
    let before = mtimes(&output);
    // Coarse file-system timestamps must be able to tell a rewrite apart.
    std::thread::sleep(Duration::from_millis(50));
    edit(
        &site.path().join("content/articles/2021-05-16-first.md"),
        "The first article's body.",
        "A new first paragraph.",
    );
    let line = running.wait_for("rebuilt after", WAIT);
    assert!(
        line.contains("content/articles/2021-05-16-first.md"),
        "{line}"
    );
    // Re-indexing for search and zipping the data follow once the editor
    // pauses.
    running.wait_for(CAUGHT_UP, WAIT);
    // The body is the summary, shown wherever the article is listed; the
    // person, publisher and index pages show only its title.
    let expected = set(&[
        "articles/first/index.html",
        "atom.xml",
        // The zip of the data package holds `articles.csv`; its size as
        // `/data/` shows it (to 0.1 kB) is the same.
        "data/annals-data.zip",
        "data/articles.csv",
        "index.html",
        "places/gaza/index.html",
        // The search index: the article's record chunk, the chunks of the
        // words it lost or gained, and the manifest (which lists chunks).
        "search-index/index.json",
        "search-index/r/0.json.gz",
        "search-index/w/a.json.gz",
        "search-index/w/ar.json.gz",
        "search-index/w/bo.json.gz",
        "search-index/w/ne.json.gz",
        "search-index/w/pa.json.gz",
        "search-index/w/th.json.gz",
        "timeline/2021/index.html",
        "timeline/index.html",
        "topics/diplomacy/index.html",
    ]);
    assert_eq!(changed(&before, &output), expected);
    let page =
        std::fs::read_to_string(output.join("articles/first/index.html")).expect("article page");
    assert!(page.contains("A new first paragraph."));
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn editing_a_person_rewrites_their_pages_and_renaming_a_slug_removes_the_old_page() {
    let (site, mut running, output) = watching();
    let before = mtimes(&output);
    std::thread::sleep(Duration::from_millis(50));
    edit(
        &site.path().join("content/people/ben.md"),
        "name: Ben Sample",
        "name: Benjamin Sample",
    );
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let expected = set(&[
        "articles/second/index.html",
        "data/annals-data.zip",
        "data/people.csv",
        "data/people.json",
        "data/statements.csv",
        "data/statements.json",
        "data/statements/2021.csv",
        "data/statements/2021.json",
        "index.html",
        "people/ben/atom.xml",
        "people/ben/index.html",
        "people/index.html",
        // The name shows in search results and the person filter, and is a
        // searchable word.
        "search-index/filters.json.gz",
        "search-index/r/0.json.gz",
        "search-index/w/be.json.gz",
        "timeline/2021/index.html",
    ]);
    assert_eq!(changed(&before, &output), expected);

    edit(
        &site.path().join("content/articles/2020-01-01-older.md"),
        "title: An older article",
        "title: An older article\nslug: renamed",
    );
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    assert!(
        !output.join("articles/older").exists(),
        "the old page and its directory are removed"
    );
    assert!(output.join("articles/renamed/index.html").is_file());
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn a_new_menu_page_joins_every_navigation_and_a_body_edit_rewrites_it_alone() {
    let (site, mut running, output) = watching();
    // A folder the site did not have, with a page in it.
    let pages = site.path().join("content/pages");
    std::fs::create_dir(&pages).expect("content/pages");
    let about = pages.join("about.md");
    std::fs::write(
        &about,
        "---\ntitle: About us\nmenu: true\n---\nWho keeps this record.\n",
    )
    .expect("write the page");
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let page = std::fs::read_to_string(output.join("about/index.html")).expect("the page");
    assert!(page.contains("Who keeps this record."), "{page}");
    let article =
        std::fs::read_to_string(output.join("articles/first/index.html")).expect("article page");
    assert!(
        article.contains("><bdi>About us</bdi></a></li>"),
        "the navigation of every page links it"
    );
    assert_same_as_full_build(site.path(), &output);

    let before = mtimes(&output);
    std::thread::sleep(Duration::from_millis(50));
    edit(&about, "Who keeps this record.", "Who keeps it, and why.");
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let expected = set(&[
        "about/index.html",
        "search-index/index.json",
        "search-index/r/0.json.gz",
        // The words it lost (this, record) and gained (it, and, why).
        "search-index/w/an.json.gz",
        "search-index/w/it.json.gz",
        "search-index/w/re.json.gz",
        "search-index/w/th.json.gz",
        "search-index/w/wh.json.gz",
    ]);
    assert_eq!(changed(&before, &output), expected);
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn a_broken_file_is_reported_and_the_fix_rebuilds() {
    let (site, mut running, output) = watching();
    let article = site.path().join("content/articles/2021-05-17-second.md");
    // A good edit leaves the search index to update once edits pause; the
    // break comes before that.
    edit(
        &article,
        "title: Second article",
        "title: Second article, edited",
    );
    running.wait_for("rebuilt after", WAIT);
    let good = std::fs::read(output.join("articles/second/index.html")).expect("page");
    edit(
        &article,
        "title: Second article, edited",
        "title: [unclosed",
    );
    running.wait_for("rebuild failed", WAIT);
    assert_eq!(
        std::fs::read(output.join("articles/second/index.html")).expect("page"),
        good,
        "last good page kept"
    );
    // While the site is broken the search index and the zips wait, quietly.
    let mut quiet = Vec::new();
    while let Some(line) = running.try_line(Duration::from_millis(800)) {
        quiet.push(line);
    }
    assert!(quiet.iter().all(|l| !l.contains(CAUGHT_UP)), "{quiet:?}");
    edit(&article, "title: [unclosed", "title: Second article, fixed");
    running.wait_for("rebuilt after", WAIT);
    let page = std::fs::read_to_string(output.join("articles/second/index.html")).expect("page");
    assert!(page.contains("Second article, fixed"));
    running.wait_for(CAUGHT_UP, WAIT);
}

#[test]
fn an_editor_save_through_a_temporary_file_gives_one_rebuild() {
    let (site, mut running, output) = watching();
    let article = site.path().join("content/articles/2021-05-17-second.md");
    let text = std::fs::read_to_string(&article)
        .expect("article")
        .replace("Second article", "Saved like vim");
    // vim: write `4913` probe, write a swap file, write the new text to a
    // temporary name, rename it over the original.
    std::fs::write(site.path().join("content/articles/4913"), "").expect("probe");
    std::fs::remove_file(site.path().join("content/articles/4913")).expect("probe removed");
    std::fs::write(site.path().join("content/articles/.second.md.swp"), "swap").expect("swap");
    let temporary = site.path().join("content/articles/2021-05-17-second.md~");
    std::fs::write(&temporary, text).expect("temporary");
    std::fs::rename(&temporary, &article).expect("rename over");
    running.wait_for("rebuilt after", WAIT);
    std::thread::sleep(Duration::from_millis(500));
    let page = std::fs::read_to_string(output.join("articles/second/index.html")).expect("page");
    assert!(page.contains("Saved like vim"));
    let _ = running.interrupt();
    let rebuilds = running_rebuilds(&mut running);
    assert_eq!(rebuilds, 0, "exactly one rebuild for one save");
}

/// Rebuild lines that arrive after the first one was already consumed.
fn running_rebuilds(running: &mut Running) -> usize {
    let mut count = 0;
    while let Some(line) = running.try_line(Duration::from_millis(200)) {
        count += usize::from(line.contains("rebuilt after"));
    }
    count
}

#[test]
fn a_static_file_change_copies_that_file_alone() {
    let (site, mut running, output) = watching();
    let before = mtimes(&output);
    std::thread::sleep(Duration::from_millis(50));
    std::fs::write(
        site.path().join("static/style.css"),
        "body { color: red; }\n",
    )
    .expect("css");
    running.wait_for("rebuilt after", WAIT);
    assert_eq!(changed(&before, &output), set(&["style.css"]));
}

#[test]
fn serve_answers_like_a_static_host_and_injects_live_reload() {
    let site = fixture_copy("live");
    let output = site.path().join("served");
    let (mut running, url) = serve(site.path(), &output);

    let (status, headers, body) = get(&url, "/articles/first/");
    assert_eq!(status, 200);
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.as_str());
    assert!(
        content_type.is_some_and(|t| t.starts_with("text/html")),
        "{headers:?}"
    );
    assert!(
        body.contains("/__annals/live.js"),
        "the served page gets the live-reload script"
    );
    assert!(
        body.contains(&format!("href=\"{url}articles/first/\"")),
        "base_url is the local address"
    );
    let on_disk =
        std::fs::read_to_string(output.join("articles/first/index.html")).expect("built page");
    assert!(
        !on_disk.contains("__annals"),
        "the built file never holds the script"
    );

    let (status, headers, _) = get(&url, "/style.css");
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("text/css"))
    );

    let (status, _, body) = get(&url, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");

    for attack in [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
    ] {
        let (status, _, body) = get(&url, attack);
        assert!(
            !body.contains("root:"),
            "{attack} escaped the output directory"
        );
        assert!(status == 404 || status == 400, "{attack} gave {status}");
    }

    let (status, _, script) = get(&url, "/__annals/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    assert!(running.interrupt(), "Ctrl-C stops the server cleanly");
}

#[test]
fn serve_moves_to_the_next_port_when_the_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port().to_string();
    let site = fixture_copy("live");
    let output = site.path().join("served");
    let args = [
        "serve",
        "--root",
        path_str(site.path()),
        "--output",
        path_str(&output),
        "--port",
        &port,
    ];
    let mut running = Running::start(&args, site.path());
    let line = running.wait_for("is in use", WAIT);
    assert!(line.contains(&port), "{line}");
    running.wait_for("serving http://", WAIT);
}

#[test]
fn a_person_edit_reaches_every_page_and_export_that_shows_it() {
    let (site, mut running, output) = watching();
    let ben = site.path().join("content/people/ben.md");
    // Only their own page shows the bio.
    let text = std::fs::read_to_string(&ben).expect("person file");
    std::fs::write(&ben, format!("{text}\nA longer biography.\n")).expect("edit the bio");
    running.wait_for("rebuilt after", WAIT);
    assert_same_as_full_build(site.path(), &output);
    // Aliases are in the people export, and kind in the JSON-LD of quotes.
    edit(
        &ben,
        "name: Ben Sample",
        "name: Ben Sample\naliases: [B. Sample]\nkind: organisation",
    );
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let people = std::fs::read_to_string(output.join("data/people.json")).expect("export");
    assert!(people.contains("B. Sample"), "{people}");
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn a_title_edit_rewrites_only_the_parts_of_long_lists_that_show_it() {
    let (site, mut running, output) = watching_with("paginate: 1\n");
    let before = mtimes(&output);
    std::thread::sleep(Duration::from_millis(50));
    // Newest first: the oldest article is on the last part of home.
    edit(
        &site.path().join("content/articles/2020-01-01-older.md"),
        "title: An older article",
        "title: An old article",
    );
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let rewritten = changed(&before, &output);
    assert!(rewritten.contains("page/3/index.html"), "{rewritten:?}");
    assert!(
        !rewritten.contains("index.html") && !rewritten.contains("page/2/index.html"),
        "{rewritten:?}"
    );
    assert_same_as_full_build(site.path(), &output);
}

/// Moves `from` to `to` (a rename: one event for a whole folder).
fn move_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::rename(from, to).expect("move the folder");
}

#[test]
fn a_folder_of_articles_moved_away_takes_its_pages_with_it() {
    let site = fixture_copy("live");
    let articles = site.path().join("content/articles");
    std::fs::create_dir(articles.join("2021")).expect("create a folder");
    for name in ["2021-05-16-first.md", "2021-05-17-second.md"] {
        std::fs::rename(articles.join(name), articles.join("2021").join(name)).expect("move");
    }
    let root = path_str(site.path()).to_owned();
    let mut running = Running::start(&["watch", "--root", &root], site.path());
    running.wait_for("watching", WAIT);
    let output = site.path().join("public");
    assert!(output.join("articles/first/index.html").is_file());

    let elsewhere = tempfile::tempdir().expect("temporary directory");
    move_folder(&articles.join("2021"), &elsewhere.path().join("2021"));
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    assert!(
        !output.join("articles/first").exists(),
        "its pages are gone"
    );
    assert_same_as_full_build(site.path(), &output);

    // Back under a new name, then edited: the same articles, not duplicates.
    move_folder(&elsewhere.path().join("2021"), &articles.join("back"));
    running.wait_for("rebuilt after", WAIT);
    edit(
        &articles.join("back/2021-05-16-first.md"),
        "The first article's body.",
        "Edited after the move.",
    );
    let line = running.wait_for("rebuilt after", WAIT);
    assert!(!line.contains("error"), "{line}");
    running.wait_for(CAUGHT_UP, WAIT);
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn content_moved_away_and_back_is_watched_again() {
    let (site, mut running, output) = watching();
    let content = site.path().join("content");
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    move_folder(&content, &elsewhere.path().join("content"));
    running.wait_for("rebuilt after content", WAIT);
    move_folder(&elsewhere.path().join("content"), &content);
    running.wait_for("rebuilt after content", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    // An edit inside the restored folder is seen.
    edit(
        &content.join("articles/2021-05-17-second.md"),
        "title: Second article",
        "title: Second article, after the restore",
    );
    running.wait_for("rebuilt after content/articles/2021-05-17-second.md", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let page = std::fs::read_to_string(output.join("articles/second/index.html")).expect("page");
    assert!(page.contains("after the restore"));
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn a_new_file_in_a_new_folder_is_built() {
    let (site, mut running, output) = watching();
    let folder = site.path().join("content/articles/2022/may");
    std::fs::create_dir_all(&folder).expect("create folders");
    std::fs::write(
        folder.join("2022-05-01-new.md"),
        "---\ntitle: A new article\ndate: 2022-05-01\n---\nNew.\n",
    )
    .expect("write the article");
    let static_folder = site.path().join("static/docs/2022");
    std::fs::create_dir_all(&static_folder).expect("create folders");
    std::fs::write(static_folder.join("note.txt"), "note\n").expect("write a static file");
    let deadline = std::time::Instant::now() + WAIT;
    while !(output.join("articles/new/index.html").is_file()
        && output.join("docs/2022/note.txt").is_file())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the new files are built"
        );
        running.wait_for("rebuilt after", WAIT);
    }
    running.wait_for(CAUGHT_UP, WAIT);
    assert_same_as_full_build(site.path(), &output);
}

/// A small file system in memory mounted for a test, unmounted when
/// dropped: a disk that can fill up.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where mounting is not allowed (not root, or a container
    /// without the capability).
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let options = format!("size={size}");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs", path_str(dir.path())])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { dir })
    }

    /// Fills what is left of the disk with one file, and returns its path:
    /// in smaller and smaller writes, since the space a large one could not
    /// take would still take a small file.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("create the filler");
        for size in [64 * 1024, 4096, 512, 1] {
            let block = vec![0u8; size];
            while file.write_all(&block).and_then(|()| file.flush()).is_ok() {}
        }
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_leaves_no_temporary_files_and_watch_recovers_by_itself() {
    let Some(disk) = SmallDisk::mount("4m") else {
        eprintln!("skipped: a tmpfs cannot be mounted here (the test needs root)");
        return;
    };
    let site = fixture_copy("live");
    let output = disk.dir.path().join("out");
    let root = path_str(site.path()).to_owned();
    let mut running = Running::start(
        &["watch", "--root", &root, "--output", path_str(&output)],
        site.path(),
    );
    running.wait_for("watching", WAIT);
    let filler = disk.fill();
    edit(
        &site.path().join("content/articles/2021-05-16-first.md"),
        "The first article's body.",
        "Written to a full disk.",
    );
    running.wait_for("rebuild failed", WAIT);
    let leftovers: Vec<_> = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".annals-tmp"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(
        leftovers.is_empty(),
        "half-written files left: {leftovers:?}"
    );
    // Space comes back; nothing else changes, and watch catches up.
    std::fs::remove_file(filler).expect("free the disk");
    running.wait_for("rebuilt on a retry", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let page = std::fs::read_to_string(output.join("articles/first/index.html")).expect("page");
    assert!(page.contains("Written to a full disk."));
    assert_same_as_full_build(site.path(), &output);

    // The disk fills between a rebuild and the search update that follows
    // once edits pause (300 ms): the update is tried again until it
    // succeeds. On a loaded machine the update may come before the disk is
    // full; then the edit is made again.
    let mut words = ["Written to a full disk.", "Searchable after all."];
    for attempt in 1.. {
        let article = site.path().join("content/articles/2021-05-16-first.md");
        edit(&article, words[0], words[1]);
        words.swap(0, 1);
        running.wait_for("rebuilt after", WAIT);
        let filler = disk.fill();
        // " updated" ends both "… updated: N files" and "… could not be
        // updated: why".
        let update = running.wait_for(" updated", WAIT);
        std::fs::remove_file(filler).expect("free the disk");
        if update.contains("could not be updated") {
            running.wait_for(CAUGHT_UP, WAIT);
            break;
        }
        assert!(
            attempt < 5,
            "the update came before the disk filled, {attempt} times"
        );
    }
    assert_same_as_full_build(site.path(), &output);
}

#[test]
fn a_template_that_fails_on_one_page_changes_no_page() {
    let (site, mut running, output) = watching();
    let ada = output.join("people/ada/index.html");
    let before = std::fs::read(&ada).expect("Ada's page");
    std::fs::create_dir_all(site.path().join("templates")).expect("create templates/");
    // Renders for Ada; for Ben it names a field that does not exist.
    std::fs::write(
        site.path().join("templates/person.html"),
        "<p>A new person page</p>{% if person.id == \"ben\" %}{{ person.nme }}{% endif %}\n",
    )
    .expect("write the template");
    running.wait_for("rebuild failed", WAIT);
    assert_eq!(
        std::fs::read(&ada).expect("Ada's page"),
        before,
        "no page of the failed rebuild is written"
    );
}

#[test]
fn a_new_interface_strings_file_rebuilds_every_page_in_its_words() {
    let (site, mut running, output) = watching();
    let strings = site.path().join("i18n");
    std::fs::create_dir(&strings).expect("create i18n/");
    std::fs::write(strings.join("en.yaml"), "nav_people: Speakers\n").expect("write en.yaml");
    running.wait_for("rebuilt after", WAIT);
    running.wait_for(CAUGHT_UP, WAIT);
    let home = std::fs::read_to_string(output.join("index.html")).expect("home page");
    assert!(
        home.contains(">Speakers</a>"),
        "the navigation says Speakers"
    );
    assert_same_as_full_build(site.path(), &output);
}

/// An article listed through a link: the watcher watches what the link
/// leads to (`notes/`, outside the site's folders), and an edit there
/// rebuilds the article.
#[cfg(unix)]
#[test]
fn an_edit_of_what_a_link_leads_to_rebuilds_the_article() {
    let site = fixture_copy("live");
    let notes = site.path().join("notes");
    std::fs::create_dir(&notes).expect("notes/");
    let article = site.path().join("content/articles/2020-01-01-older.md");
    let target = notes.join("older.md");
    std::fs::rename(&article, &target).expect("move the article into notes/");
    std::os::unix::fs::symlink(&target, &article).expect("link it back");
    let output = site.path().join("public");
    let root = path_str(site.path()).to_owned();
    let mut running = Running::start(&["watch", "--root", &root], site.path());
    running.wait_for("watching", WAIT);
    let text = std::fs::read_to_string(&target).expect("the note");
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title")
        .to_owned();
    edit(&target, &title, "title: Edited through the link");
    let line = running.wait_for("rebuilt after", WAIT);
    assert!(
        line.contains("content/articles/2020-01-01-older.md"),
        "{line}"
    );
    let page = std::fs::read_to_string(output.join("articles/older/index.html")).expect("the page");
    assert!(page.contains("Edited through the link"), "{page}");
}

/// The site folder deleted and copied back (a restore, a tool that writes
/// a fresh copy): every watch in it went with it, so watch looks for it
/// and, once back, reads it all again.
#[test]
fn a_site_folder_deleted_and_copied_back_is_watched_again() {
    let (site, mut running, output) = watching();
    let backup = crate::process::scratch_dir();
    let saved = backup.path().join("site");
    crate::process::copy_dir(site.path(), &saved);
    std::fs::remove_dir_all(site.path()).expect("delete the site");
    running.wait_for("is gone; watching for it to come back", WAIT);
    edit(
        &saved.join("content/articles/2021-05-16-first.md"),
        "The first article's body.",
        "Written while the site was away.",
    );
    crate::process::copy_dir(&saved, site.path());
    // The copy takes a while: a rebuild may come before the article is
    // back, and the next one after it. Within WAIT, the page has it.
    let deadline = std::time::Instant::now() + WAIT;
    let first = output.join("articles/first/index.html");
    loop {
        running.wait_for(
            "rebuilt after",
            deadline.saturating_duration_since(std::time::Instant::now()),
        );
        let page = std::fs::read_to_string(&first).unwrap_or_default();
        if page.contains("Written while the site was away.") {
            break;
        }
    }
}
