//! Watch converges: after any sequence of changes an editor can make —
//! edits, adds, deletes, renames, folders moved out, back and away, files
//! broken then fixed — the output a `Session` keeps up to date equals a
//! fresh full build, byte for byte.
//!
//! In-process and without sleeps: each change is made on disk, turned into
//! the file-system events an OS would deliver for it (folder-level ones
//! included: a folder moved away is one event, not one per file), and fed
//! through `watch::changes`, the classification `annals watch` uses, to
//! `Session::apply`. The real notify layer has its own end-to-end tests in
//! `live.rs`.
//!
//! A failing case is shrunk by proptest and printed as lines of ops; keep
//! it as a file under `tests/fixtures/converge-regressions/` (a line
//! `drafts` or `strict` there builds as with `--drafts`, `--strict`), which
//! `every_kept_regression_converges` replays.

use std::fmt;
use std::path::{Path, PathBuf};

use annals::build::{BuildOptions, Session};
use annals::watch;
use notify_debouncer_full::notify::Event;
use notify_debouncer_full::notify::event::{
    CreateKind, DataChange, EventKind, Flag, ModifyKind, RemoveKind, RenameMode,
};
use proptest::prelude::*;

use crate::process::{copy_dir, scratch_dir, tree};

/// One change to the site; `a` and `b` pick what it applies to (modulo the
/// number of candidates) and how.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Op {
    kind: Kind,
    a: u8,
    b: u8,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    EditBody,
    EditTitle,
    Redate,
    Add,
    Delete,
    Rename,
    Break,
    Fix,
    FolderOut,
    FolderIn,
    RenameFolder,
    DeleteFolder,
    EditPerson,
    AddPerson,
    DeletePerson,
    ContentOut,
    ContentIn,
    StaticAdd,
    StaticEdit,
    StaticRenameFolder,
    StaticDeleteFolder,
    Template,
    Config,
    ToggleDraft,
    AddStatement,
    AddSource,
    AddTopic,
    StatementDate,
    AddRedirect,
    FormerId,
    Correct,
    Via,
    AddPage,
    EditPage,
    DeletePage,
    RenamePage,
    TogglePageMenu,
    /// A translation (`<name>.<code>.md`) of an article, person or page,
    /// into the site's other language or one it does not have, valid or
    /// not; other kinds then edit, rename and delete it as any file.
    Translate,
    /// The output deleted from under the watch (`rm -rf public`, a clean
    /// step of another tool): no event, since the output is not watched.
    DeleteOutput,
    /// Another change, whose events are lost: the watcher reports only that
    /// it must rescan (inotify's queue overflowed).
    Lost,
}

/// Each kind with its name in regression files.
const KINDS: &[(Kind, &str)] = &[
    (Kind::EditBody, "edit-body"),
    (Kind::EditTitle, "edit-title"),
    (Kind::Redate, "redate"),
    (Kind::Add, "add"),
    (Kind::Delete, "delete"),
    (Kind::Rename, "rename"),
    (Kind::Break, "break"),
    (Kind::Fix, "fix"),
    (Kind::FolderOut, "folder-out"),
    (Kind::FolderIn, "folder-in"),
    (Kind::RenameFolder, "rename-folder"),
    (Kind::DeleteFolder, "delete-folder"),
    (Kind::EditPerson, "edit-person"),
    (Kind::AddPerson, "add-person"),
    (Kind::DeletePerson, "delete-person"),
    (Kind::ContentOut, "content-out"),
    (Kind::ContentIn, "content-in"),
    (Kind::StaticAdd, "static-add"),
    (Kind::StaticEdit, "static-edit"),
    (Kind::StaticRenameFolder, "static-rename-folder"),
    (Kind::StaticDeleteFolder, "static-delete-folder"),
    (Kind::Template, "template"),
    (Kind::Config, "config"),
    (Kind::ToggleDraft, "toggle-draft"),
    (Kind::AddStatement, "add-statement"),
    (Kind::AddSource, "add-source"),
    (Kind::AddTopic, "add-topic"),
    (Kind::StatementDate, "statement-date"),
    (Kind::AddRedirect, "add-redirect"),
    (Kind::FormerId, "former-id"),
    (Kind::Correct, "correct"),
    (Kind::Via, "via"),
    (Kind::AddPage, "add-page"),
    (Kind::EditPage, "edit-page"),
    (Kind::DeletePage, "delete-page"),
    (Kind::RenamePage, "rename-page"),
    (Kind::TogglePageMenu, "toggle-page-menu"),
    (Kind::Translate, "translate"),
    (Kind::DeleteOutput, "delete-output"),
    // Last: `Lost` picks its change among the kinds before it.
    (Kind::Lost, "lost"),
];

/// `edit-body 3 0`: the form of regression files, and of failing cases.
impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = KINDS
            .iter()
            .find(|(kind, _)| *kind == self.kind)
            .map_or("?", |(_, name)| name);
        write!(f, "{name} {} {}", self.a, self.b)
    }
}

impl Op {
    fn parse(line: &str) -> Op {
        let mut words = line.split_whitespace();
        let name = words.next().expect("an op name");
        let kind = KINDS
            .iter()
            .find(|(_, n)| *n == name)
            .unwrap_or_else(|| panic!("unknown op `{name}`"))
            .0;
        let mut number = || words.next().map_or(0, |w| w.parse().expect("a number"));
        Op {
            kind,
            a: number(),
            b: number(),
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    (0..KINDS.len(), any::<u8>(), any::<u8>()).prop_map(|(k, a, b)| Op {
        kind: KINDS[k].0,
        a,
        b,
    })
}

/// `text` with `lines` added as the last of its front matter.
fn end_of_front_matter(text: &str, lines: &str) -> String {
    match text.get(4..).and_then(|rest| rest.find("\n---")) {
        Some(end) => format!("{}\n{lines}{}", &text[..4 + end], &text[5 + end..]),
        None => text.to_owned(),
    }
}

/// `text` with its first correction given `date`, or deleted (with the
/// list's key, when it was the only one).
fn change_first_correction(text: &str, date: Option<&str>) -> String {
    let key = "\ncorrections:\n";
    let Some(start) = text.find(key).map(|at| at + key.len()) else {
        return text.to_owned();
    };
    if let Some(date) = date {
        let at = start + "  - date: ".len();
        return match text.get(at..at + 10) {
            Some(_) => format!("{}{date}{}", &text[..at], &text[at + 10..]),
            None => text.to_owned(),
        };
    }
    // The item runs to the next line not indented under it.
    let rest = &text[start..];
    let mut end = rest.find('\n').map_or(rest.len(), |n| n + 1);
    while rest[end..].starts_with("    ") {
        end += rest[end..].find('\n').map_or(rest.len() - end, |n| n + 1);
    }
    let only = !rest[end..].starts_with("  - ");
    let from = if only { start - key.len() + 1 } else { start };
    format!("{}{}", &text[..from], &text[start + end..])
}

/// A copy of the fixture site being watched, its output, and a place
/// outside the site where moved-out folders go.
struct World {
    _dir: tempfile::TempDir,
    root: PathBuf,
    stash: PathBuf,
    session: Session,
    flags: Flags,
    /// How many names have been handed out, so each is new.
    counter: usize,
}

impl World {
    /// Watch and the full builds both build with `flags`.
    fn new(flags: Flags) -> World {
        let dir = scratch_dir();
        let base = dir.path().canonicalize().expect("canonical temporary path");
        let root = base.join("site");
        let stash = base.join("stash");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/converge"),
            &root,
        );
        std::fs::create_dir(&stash).expect("stash");
        let mut session = Session::open(options(&root, root.join("public"), flags)).expect("open");
        session.build_all().expect("the fixture builds");
        World {
            _dir: dir,
            root,
            stash,
            session,
            flags,
            counter: 0,
        }
    }

    fn fresh_name(&mut self, stem: &str) -> String {
        self.counter += 1;
        format!("{stem}-{}", self.counter)
    }

    /// Makes the change on disk and returns the events an OS would report.
    fn change(&mut self, op: Op) -> Vec<Event> {
        let Op { kind, a, b } = op;
        let articles = files(&self.root.join("content/articles"), "md");
        let people = files(&self.root.join("content/people"), "md");
        let pages = files(&self.root.join("content/pages"), "md");
        let statics = files(&self.root.join("static"), "");
        let folders = folders(&self.root.join("content/articles"));
        let static_folders = folders_of(&self.root.join("static"));
        let pick = |list: &[PathBuf], n: u8| -> Option<PathBuf> {
            (!list.is_empty()).then(|| list[usize::from(n) % list.len()].clone())
        };
        match kind {
            Kind::EditBody => pick(&articles, a).map_or_else(Vec::new, |file| {
                append(&file, &format!("\nEdited {b}.\n"));
                vec![modified(&file)]
            }),
            Kind::EditTitle => pick(&articles, a).map_or_else(Vec::new, |file| {
                replace_line(&file, "title:", &format!("title: Title {b}"));
                vec![modified(&file)]
            }),
            Kind::Redate => pick(&articles, a).map_or_else(Vec::new, |file| {
                let dates = ["2019-12-31", "2020-06-01", "2021-05-16", "2022-01-01"];
                let date = dates[usize::from(b) % dates.len()];
                replace_line(&file, "date:", &format!("date: {date}"));
                vec![modified(&file)]
            }),
            Kind::Add => {
                let dirs = ["", "2020", "2021", "new", "new/deep"];
                let dir = self
                    .root
                    .join("content/articles")
                    .join(dirs[usize::from(a) % 5]);
                let name = self.fresh_name("added");
                let file = dir.join(format!("2021-03-0{}-{name}.md", b % 9 + 1));
                create(&self.root, &file, &article(&name, b), b % 2 == 0)
            }
            Kind::Delete => pick(&articles, a).map_or_else(Vec::new, |file| {
                std::fs::remove_file(&file).expect("delete");
                vec![event(EventKind::Remove(RemoveKind::File), &[&file])]
            }),
            Kind::Rename => pick(&articles, a).map_or_else(Vec::new, |file| {
                let to = file.with_file_name(format!("{}.md", self.fresh_name("renamed")));
                std::fs::rename(&file, &to).expect("rename");
                vec![renamed(&file, &to)]
            }),
            Kind::Break => pick(&articles, a).map_or_else(Vec::new, |file| {
                replace_line(&file, "title:", "title: [unclosed");
                vec![modified(&file)]
            }),
            Kind::Fix => pick(&articles, a).map_or_else(Vec::new, |file| {
                let name = self.fresh_name("fixed");
                std::fs::write(&file, article(&name, b)).expect("fix");
                vec![modified(&file)]
            }),
            Kind::FolderOut => pick(&folders, a).map_or_else(Vec::new, |folder| {
                let name = self.fresh_name("folder");
                let to = self.stash.join(name);
                std::fs::rename(&folder, &to).expect("move out");
                vec![event(
                    EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                    &[&folder],
                )]
            }),
            Kind::FolderIn => {
                let stashed = stashed(&self.stash, "folder");
                let articles = self.root.join("content/articles");
                let target = articles.is_dir().then_some(()).and(pick(&stashed, a));
                target.map_or_else(Vec::new, |folder| {
                    let name = self.fresh_name("back");
                    let to = self.root.join("content/articles").join(name);
                    std::fs::rename(&folder, &to).expect("move in");
                    vec![event(
                        EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                        &[&to],
                    )]
                })
            }
            Kind::RenameFolder => pick(&folders, a).map_or_else(Vec::new, |folder| {
                let to = folder.with_file_name(self.fresh_name("renamed"));
                std::fs::rename(&folder, &to).expect("rename folder");
                vec![renamed(&folder, &to)]
            }),
            Kind::DeleteFolder => pick(&folders, a).map_or_else(Vec::new, |folder| {
                std::fs::remove_dir_all(&folder).expect("delete folder");
                vec![event(EventKind::Remove(RemoveKind::Folder), &[&folder])]
            }),
            Kind::EditPerson => pick(&people, a).map_or_else(Vec::new, |file| {
                replace_line(&file, "name:", &format!("name: Person {b}"));
                vec![modified(&file)]
            }),
            Kind::AddPerson => {
                let name = self.fresh_name("p");
                let file = self.root.join(format!("content/people/{name}.md"));
                create(
                    &self.root,
                    &file,
                    &format!("---\nname: Added {b}\n---\n"),
                    true,
                )
            }
            Kind::DeletePerson => pick(&people, a).map_or_else(Vec::new, |file| {
                std::fs::remove_file(&file).expect("delete person");
                vec![event(EventKind::Remove(RemoveKind::File), &[&file])]
            }),
            Kind::ContentOut => {
                let content = self.root.join("content");
                if !content.exists() {
                    return Vec::new();
                }
                let name = self.fresh_name("content");
                let to = self.stash.join(name);
                std::fs::rename(&content, &to).expect("move content out");
                vec![event(
                    EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                    &[&content],
                )]
            }
            Kind::ContentIn => {
                let content = self.root.join("content");
                let stashed = stashed(&self.stash, "content");
                match (content.exists(), pick(&stashed, a)) {
                    (false, Some(folder)) => {
                        std::fs::rename(&folder, &content).expect("move content in");
                        vec![event(EventKind::Create(CreateKind::Folder), &[&content])]
                    }
                    _ => Vec::new(),
                }
            }
            Kind::StaticAdd => {
                let dirs = ["", "img", "new", "new/deep", "search-index", "data"];
                let dir = self
                    .root
                    .join("static")
                    .join(dirs[usize::from(a) % dirs.len()]);
                // Now and then named like a folder of pages (an error).
                let name = match b % 7 {
                    0 => "people".to_owned(),
                    _ => format!("{}.txt", self.fresh_name("file")),
                };
                create(&self.root, &dir.join(name), &format!("static {b}\n"), b % 2 == 0)
            }
            Kind::StaticEdit => pick(&statics, a).map_or_else(Vec::new, |file| {
                append(&file, &format!("edit {b}\n"));
                vec![modified(&file)]
            }),
            Kind::StaticRenameFolder => pick(&static_folders, a).map_or_else(Vec::new, |folder| {
                let to = folder.with_file_name(self.fresh_name("moved"));
                std::fs::rename(&folder, &to).expect("rename static folder");
                vec![renamed(&folder, &to)]
            }),
            Kind::StaticDeleteFolder => pick(&static_folders, a).map_or_else(Vec::new, |folder| {
                std::fs::remove_dir_all(&folder).expect("delete static folder");
                vec![event(EventKind::Remove(RemoveKind::Folder), &[&folder])]
            }),
            Kind::Template => {
                let file = self.root.join("templates/person.html");
                match a % 3 {
                    0 => create(&self.root, &file, &person_template(b), true),
                    1 => create(&self.root, &file, "{{ person.nme }}\n", true),
                    _ if file.exists() => {
                        std::fs::remove_file(&file).expect("remove template");
                        vec![event(EventKind::Remove(RemoveKind::File), &[&file])]
                    }
                    _ => Vec::new(),
                }
            }
            Kind::ToggleDraft => pick(&articles, a).map_or_else(Vec::new, |file| {
                let text = std::fs::read_to_string(&file).expect("read");
                let toggled = match text.contains("\ndraft: true\n") {
                    true => text.replacen("\ndraft: true\n", "\n", 1),
                    false => text.replacen("\ndate:", "\ndraft: true\ndate:", 1),
                };
                std::fs::write(&file, toggled).expect("write");
                vec![modified(&file)]
            }),
            Kind::AddStatement => pick(&articles, a).map_or_else(Vec::new, |file| {
                let text = std::fs::read_to_string(&file).expect("read");
                let Some(source) = first_value(&text, "  - id: ") else {
                    return Vec::new();
                };
                let statement = format!(
                    "  - person: {}\n    date: 2021-0{}-01\n    quote: Added {b}.\n    source: {source}\n",
                    ["ada", "ben", "cleo"][usize::from(b) % 3],
                    b % 9 + 1
                );
                let with = match text.contains("\nstatements:\n") {
                    true => text.replacen("\nstatements:\n", &format!("\nstatements:\n{statement}"), 1),
                    false => text.replacen("\n---\n", &format!("\nstatements:\n{statement}---\n"), 1),
                };
                std::fs::write(&file, with).expect("write");
                vec![modified(&file)]
            }),
            Kind::AddSource => pick(&articles, a).map_or_else(Vec::new, |file| {
                let text = std::fs::read_to_string(&file).expect("read");
                if !text.contains("\nsources:\n") {
                    return Vec::new();
                }
                let source = format!("\nsources:\n  - id: extra-{b}\n    publisher: Publisher {}\n", b % 3);
                let with = text.replacen("\nsources:\n", &source, 1);
                std::fs::write(&file, with).expect("write");
                vec![modified(&file)]
            }),
            Kind::AddTopic => pick(&articles, a).map_or_else(Vec::new, |file| {
                let text = std::fs::read_to_string(&file).expect("read");
                let topic = ["Talks", "Aid", "Borders", "Courts"][usize::from(b) % 4];
                let with = match text.contains("\ntopics: [") {
                    true => text.replacen("\ntopics: [", &format!("\ntopics: [{topic}, "), 1),
                    false => text.replacen("\ndate:", &format!("\ntopics: [{topic}]\ndate:"), 1),
                };
                std::fs::write(&file, with).expect("write");
                vec![modified(&file)]
            }),
            Kind::StatementDate => pick(&articles, a).map_or_else(Vec::new, |file| {
                let date = format!("    date: 20{}-0{}-15", 19 + b % 4, b % 9 + 1);
                replace_line(&file, "    date:", &date);
                vec![modified(&file)]
            }),
            // Now and then a person's: their feed's id and their row of
            // the exports follow their first address.
            Kind::AddRedirect => pick(if b % 5 == 4 { &people } else { &articles }, a).map_or_else(Vec::new, |file| {
                // Few old addresses, so that two articles sometimes claim one.
                let old = format!("/old-{}/", b % 4);
                let text = std::fs::read_to_string(&file).expect("read");
                let with = match (text.contains("\nredirect_from: ["), text.contains("\ndate:")) {
                    (true, _) => text.replacen("\nredirect_from: [", &format!("\nredirect_from: [{old}, "), 1),
                    (false, true) => text.replacen("\ndate:", &format!("\nredirect_from: [{old}]\ndate:"), 1),
                    (false, false) => text.replacen("---\n", &format!("---\nredirect_from: [{old}]\n"), 1),
                };
                std::fs::write(&file, with).expect("write");
                vec![modified(&file)]
            }),
            Kind::FormerId => pick(&articles, a).map_or_else(Vec::new, |file| {
                // Few ids, so that two statements sometimes claim one.
                set_statement_field(&file, "former_ids", &format!("[former-{}]", b % 3));
                vec![modified(&file)]
            }),
            Kind::Correct => pick(&articles, a).map_or_else(Vec::new, |file| {
                // Now and then the correction of a statement, given an id
                // to be named by: its entry in its speaker's feed follows.
                let of_statement = b % 7 == 6;
                if of_statement {
                    set_statement_field(&file, "id", "pinned");
                }
                let named = if of_statement { "    statement: pinned\n" } else { "" };
                let date = format!("2021-0{}-15", b % 9 + 1);
                let item = format!("  - date: {date}\n{named}    text: Fixed {b}.\n");
                let text = std::fs::read_to_string(&file).expect("read");
                let with = match (b % 3, text.contains("\ncorrections:\n")) {
                    (0, true) => text.replacen("\ncorrections:\n", &format!("\ncorrections:\n{item}"), 1),
                    (0, false) => text.replacen("\ndate:", &format!("\ncorrections:\n{item}date:"), 1),
                    // At the end of the front matter, no line above moving.
                    (1, false) => end_of_front_matter(&text, &format!("corrections:\n{item}")),
                    (1, true) => text.replacen("\ncorrections:\n", &format!("\ncorrections:\n{item}"), 1),
                    // The first correction redated or deleted in place.
                    (_, true) => change_first_correction(&text, (b % 2 == 0).then_some(date.as_str())),
                    (_, false) => end_of_front_matter(&text, &format!("corrections:\n{item}")),
                };
                std::fs::write(&file, with).expect("write");
                vec![modified(&file)]
            }),
            Kind::Via => pick(&articles, a).map_or_else(Vec::new, |file| {
                // People who may have been deleted or added meanwhile.
                let via = ["ada", "ben", "cleo", "p-1"][usize::from(b) % 4];
                set_statement_field(&file, "via", via);
                vec![modified(&file)]
            }),
            Kind::AddPage => {
                // Now and then at an address something else has: a section
                // of the site, a static folder, an old or withdrawn address.
                let name = match b % 8 {
                    0 => ["people", "img", "old-1", "gone-0", "page"][usize::from(a) % 5].to_owned(),
                    _ => self.fresh_name("page"),
                };
                let file = self.root.join(format!("content/pages/{name}.md"));
                let text = format!(
                    "---\ntitle: Page {a}\nmenu: {}\nweight: {}\n---\nPage {b}, see [the record](/timeline/).\n",
                    b % 2 == 0,
                    a % 3
                );
                create(&self.root, &file, &text, a % 2 == 0)
            }
            Kind::EditPage => pick(&pages, a).map_or_else(Vec::new, |file| {
                match b % 4 {
                    0 => append(&file, &format!("\nEdited {b}.\n")),
                    1 => replace_line(&file, "title:", &format!("title: Title {b}")),
                    2 => replace_line(&file, "weight:", &format!("weight: {}", b % 3)),
                    _ => replace_line(&file, "title:", "title: [unclosed"),
                }
                vec![modified(&file)]
            }),
            Kind::DeletePage => pick(&pages, a).map_or_else(Vec::new, |file| {
                std::fs::remove_file(&file).expect("delete page");
                vec![event(EventKind::Remove(RemoveKind::File), &[&file])]
            }),
            Kind::RenamePage => pick(&pages, a).map_or_else(Vec::new, |file| {
                let to = file.with_file_name(format!("{}.md", self.fresh_name("moved")));
                std::fs::rename(&file, &to).expect("rename page");
                vec![renamed(&file, &to)]
            }),
            Kind::TogglePageMenu => pick(&pages, a).map_or_else(Vec::new, |file| {
                let text = std::fs::read_to_string(&file).expect("read");
                let toggled = match text.contains("\nmenu: true\n") {
                    true => text.replacen("\nmenu: true\n", "\nmenu: false\n", 1),
                    false if text.contains("\nmenu: false\n") => {
                        text.replacen("\nmenu: false\n", "\nmenu: true\n", 1)
                    }
                    false => text.replacen("\ntitle:", "\nmenu: true\ntitle:", 1),
                };
                std::fs::write(&file, toggled).expect("write");
                vec![modified(&file)]
            }),
            Kind::Translate => {
                let originals: Vec<PathBuf> = (articles.iter().chain(&people).chain(&pages))
                    .filter(|file| !is_translation(file))
                    .cloned()
                    .collect();
                pick(&originals, a).map_or_else(Vec::new, |original| {
                    let code = ["ar", "ar", "ar", "de"][usize::from(b) % 4];
                    let file = original.with_extension(format!("{code}.md"));
                    create(&self.root, &file, &translation(&original, b), b % 2 == 0)
                })
            }
            Kind::DeleteOutput => {
                let output = self.session.output().to_path_buf();
                let _ = std::fs::remove_dir_all(output);
                Vec::new()
            }
            Kind::Lost => {
                let inner = KINDS[usize::from(a) % (KINDS.len() - 1)].0;
                self.change(Op { kind: inner, a: b, b: a });
                let rescan = Event::new(EventKind::Other).set_flag(Flag::Rescan);
                vec![rescan]
            }
            Kind::Config => {
                let file = self.root.join("annals.yaml");
                let base = "title: Convergence fixture\nbase_url: https://example.org/record/\nlanguages:\n  ar:\n    title: سجل\n";
                let text = match a % 6 {
                    0 => format!("{base}paginate: 1\n"),
                    1 => format!("{base}paginate: 2\n"),
                    2 => format!("{base}paginate: [\n"),
                    3 => format!("{base}redirects:\n  /old-section/: /timeline/\n  /old-{}/: /people/\n  /old-about/: /about/\n", b % 4),
                    4 => format!(
                        "{base}withdrawn:\n  - path: /gone-{}/\n    date: 2022-01-0{}\n    reason: Gone.\n  - statement: gone-statement\n    article: /gone-0/\n    date: 2022-01-01\n    reason: Gone too.\n",
                        b % 2,
                        b % 9 + 1
                    ),
                    // Without `languages:`, every translation is an error.
                    _ => format!("title: Convergence fixture\nbase_url: https://example.org/record/\npaginate: 2\ndescription: Changed {b}\n"),
                };
                std::fs::write(&file, text).expect("write annals.yaml");
                vec![modified(&file)]
            }
        }
    }

    /// Applies `op` as watch would, then checks the output against a fresh
    /// full build; `Err` says how they differ.
    fn step(&mut self, op: Op) -> Result<(), String> {
        let events = self.change(op);
        self.settle(&events, &format!("{op:?}"))
    }

    /// Applies `events` as watch would, then checks the output against a
    /// fresh full build; `Err` says, after `what`, how they differ.
    fn settle(&mut self, events: &[Event], what: &str) -> Result<(), String> {
        let output = self.session.output().to_path_buf();
        let changes = watch::changes(&self.session, &self.root, &output, events);
        let applied = self.session.apply(&changes);
        // Once watch settles, the search index and the data package's
        // zips have caught up too.
        if applied.is_ok()
            && let Some(job) = self.session.start_catch_up()
        {
            let what = job.what();
            let done = job.run().map_err(|e| format!("{what}: {e}"))?;
            (self.session.finish_catch_up(done)).map_err(|e| format!("{what}: {e}"))?;
        }
        let fresh = scratch_dir();
        let full = annals::build(&options(&self.root, fresh.path().join("out"), self.flags));
        match (applied, full) {
            (Ok(_), Ok(_)) => {
                let (watched, built) = (tree(&output), tree(&fresh.path().join("out")));
                let differing: Vec<&PathBuf> = built
                    .keys()
                    .chain(watched.keys())
                    .filter(|p| built.get(*p) != watched.get(*p))
                    .collect();
                match differing.is_empty() {
                    true => Ok(()),
                    false => Err(format!(
                        "after {what}, watch and a full build differ in {differing:?}"
                    )),
                }
            }
            (Err(_), Err(_)) => Ok(()),
            (Ok(_), Err(errors)) => Err(format!(
                "after {what}, watch built but a full build failed: {errors}"
            )),
            (Err(errors), Ok(_)) => Err(format!(
                "after {what}, a full build worked but watch failed: {errors}"
            )),
        }
    }
}

/// How a case builds: as with `--drafts`, as with `--strict`.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    drafts: bool,
    strict: bool,
}

fn options(root: &Path, output: PathBuf, flags: Flags) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output),
        drafts: flags.drafts,
        strict: flags.strict,
        // Small enough that the fixture's data package takes a few zips,
        // and changes make parts come and go.
        download_part_limit: Some(2_500),
        ..BuildOptions::default()
    }
}

/// Runs `ops` on a new world; the first divergence, with the ops so far.
fn run(ops: &[Op], flags: Flags) -> Result<(), String> {
    let mut world = World::new(flags);
    for (done, op) in ops.iter().enumerate() {
        world
            .step(*op)
            .map_err(|why| format!("{why}\n{flags:?}\nops:\n{:#?}", &ops[..=done]))?;
    }
    Ok(())
}

fn article(name: &str, n: u8) -> String {
    let person = ["ada", "ben", "cleo"][usize::from(n) % 3];
    let topic = ["Talks", "Aid", "Ceasefire"][usize::from(n / 3) % 3];
    format!(
        "---\ntitle: Article {name}\ndate: 2021-03-0{}\ntopics: [{topic}]\nsources:\n  - id: src\n    publisher: Publisher {}\n    url: https://example.org/{name}\n    archive: https://web.archive.org/web/2021/https://example.org/{name}\nstatements:\n  - person: {person}\n    date: 2021-03-01\n    quote: Words of {name}.\n    source: src\n---\nBody of {name}.\n",
        n % 9 + 1,
        n % 2
    )
}

/// Whether `file` is named as a translation: `<name>.<code>.md`.
fn is_translation(file: &Path) -> bool {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    stem.rsplit_once('.')
        .is_some_and(|(_, code)| matches!(code, "ar" | "de"))
}

/// A translation of `original` (an article, person or page, by its
/// folder); `n` picks its words and, now and then, a field it may not
/// carry or a statement the original does not have.
fn translation(original: &Path, n: u8) -> String {
    let is = |area: &str| original.components().any(|c| c.as_os_str() == area);
    let extra = match n / 4 % 6 {
        0 => "sources: []\n".to_owned(),
        1 if is("articles") => format!("translations:\n  no-such-statement-{n}: كلمات\n"),
        2 if is("articles") => format!("updated: 2021-0{}-01\n", n % 9 + 1),
        _ => String::new(),
    };
    let words = match () {
        () if is("people") => format!("name: اسم {n}\nrole: دور"),
        () => format!("title: عنوان {n}\nsummary: ملخص {n}."),
    };
    format!("---\n{words}\n{extra}---\nنص {n}.\n")
}

/// A valid override of the built-in person page.
fn person_template(n: u8) -> String {
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/person.html"),
    )
    .expect("built-in person template");
    format!("{built_in}{{# variant {n} #}}\n")
}

/// Writes `file`, creating its folders. In a new folder, the events are for
/// the topmost folder created and for the file, as inotify reports them
/// when its watch on the new folder comes in time (without it, the folder's
/// event alone would have to stand for the file: `op.b` picks which).
fn create(root: &Path, file: &Path, text: &str, both: bool) -> Vec<Event> {
    let mut top_new = None;
    for ancestor in file.ancestors().skip(1) {
        if ancestor == root || ancestor.exists() {
            break;
        }
        top_new = Some(ancestor.to_path_buf());
    }
    let existed = file.exists();
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("create folders");
    std::fs::write(file, text).expect("write");
    let created = event(EventKind::Create(CreateKind::File), &[file]);
    match top_new {
        Some(folder) if both => vec![
            event(EventKind::Create(CreateKind::Folder), &[&folder]),
            created,
        ],
        Some(folder) => vec![event(EventKind::Create(CreateKind::Folder), &[&folder])],
        None if existed => vec![modified(file)],
        None => vec![created],
    }
}

fn event(kind: EventKind, paths: &[&Path]) -> Event {
    paths.iter().fold(Event::new(kind), |event, path| {
        event.add_path(path.to_path_buf())
    })
}

fn modified(file: &Path) -> Event {
    event(
        EventKind::Modify(ModifyKind::Data(DataChange::Content)),
        &[file],
    )
}

fn renamed(from: &Path, to: &Path) -> Event {
    event(
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
        &[from, to],
    )
}

fn append(file: &Path, text: &str) {
    let before = std::fs::read_to_string(file).expect("read");
    std::fs::write(file, before + text).expect("append");
}

/// The rest of the first line of `text` starting with `prefix`.
fn first_value<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .map(str::trim)
}

/// Replaces the first line starting with `prefix`, if any.
/// Sets `key: value` on the first statement of an article that has one,
/// replacing the field where a statement has it already.
fn set_statement_field(file: &Path, key: &str, value: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    let field = format!("    {key}: ");
    let line = format!("{field}{value}");
    if text.contains(&format!("\n{field}")) {
        replace_line(file, &field, &line);
    } else if let Some(at) = text.find("\n  - person: ") {
        let end = text[at + 1..].find('\n').map_or(text.len(), |n| at + 1 + n);
        let with = format!("{}\n{line}{}", &text[..end], &text[end..]);
        std::fs::write(file, with).expect("write");
    }
}

fn replace_line(file: &Path, prefix: &str, line: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    let mut done = false;
    let lines: Vec<&str> = text
        .lines()
        .map(|l| match !done && l.starts_with(prefix) {
            true => {
                done = true;
                line
            }
            false => l,
        })
        .collect();
    std::fs::write(file, lines.join("\n") + "\n").expect("write");
}

/// Files under `dir` ending with `extension` (any, when empty), sorted.
fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| extension.is_empty() || p.extension().is_some_and(|e| e == extension))
        .collect();
    found.sort();
    found
}

/// Folders at any depth under `dir` (not `dir` itself), sorted.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// Folders directly in `dir`, sorted.
fn folders_of(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    found.sort();
    found
}

/// Folders moved to the stash whose names start with `stem`.
fn stashed(stash: &Path, stem: &str) -> Vec<PathBuf> {
    folders_of(stash)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(stem))
        })
        .collect()
}

/// Cases per run: 500 in CI; `PROPTEST_CASES` sets another number.
const CASES: u32 = 500;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn watch_writes_what_a_full_build_writes(
        ops in proptest::collection::vec(op(), 1..8),
        drafts in any::<bool>(),
        strict in proptest::bool::weighted(0.25),
    ) {
        if let Err(why) = run(&ops, Flags { drafts, strict }) {
            prop_assert!(false, "{}", why);
        }
    }
}

#[test]
fn every_kept_regression_converges() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/converge-regressions");
    let kept = files(&dir, "txt");
    assert!(
        !kept.is_empty(),
        "no regression fixtures in {}",
        dir.display()
    );
    for file in kept {
        let text = std::fs::read_to_string(&file).expect("read regression");
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        // Lines `drafts` and `strict` build as with `--drafts`, `--strict`.
        let flags = Flags {
            drafts: lines.contains(&"drafts"),
            strict: lines.contains(&"strict"),
        };
        let ops: Vec<Op> = lines
            .into_iter()
            .filter(|l| !matches!(*l, "drafts" | "strict"))
            .map(Op::parse)
            .collect();
        if let Err(why) = run(&ops, flags) {
            panic!("{}: {why}", file.display());
        }
    }
}

/// An article listed through a link (`content/articles/linked.md` →
/// `notes/linked.md`, in the site, outside its areas): an edit of what the
/// link leads to is an edit of the article, reported by the watcher at the
/// target's path.
#[cfg(unix)]
#[test]
fn an_edit_through_a_link_converges() {
    let mut world = World::new(Flags::default());
    let notes = world.root.join("notes");
    std::fs::create_dir(&notes).expect("notes/");
    let target = notes.join("linked.md");
    std::fs::write(&target, article("linked", 1)).expect("write the note");
    let link = world.root.join("content/articles/linked.md");
    std::os::unix::fs::symlink(&target, &link).expect("make the link");
    let made = vec![event(EventKind::Create(CreateKind::File), &[&link])];
    world.settle(&made, "the link made").expect("converges");
    replace_line(&target, "title:", "title: Edited through the link");
    let edited = vec![modified(&target)];
    world
        .settle(&edited, "the target edited")
        .expect("converges");
    let page = std::fs::read_to_string(world.session.output().join("articles/linked/index.html"))
        .expect("the linked article's page");
    assert!(
        page.contains("Edited through the link"),
        "the edit reached the page"
    );
}
