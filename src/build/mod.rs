//! `build`: the whole pipeline, load → parse → index → render → write, as a
//! [`Session`] that can also apply file changes incrementally. `annals build`,
//! `watch`, `serve` and `check` all go through it.
//!
//! A session holds the site as last read from disk — settings, file lists,
//! each file's parse result, errors included — and what the output holds
//! from the last good build. Reading a change never fails (a file that
//! cannot be read is an error of that file); building from what was read
//! may, and then the session forgets the output in one place
//! (`Session::fail`), so the next build renders everything again.

mod catch_up;
mod check;
mod deps;
mod reserved;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::addresses::{self, Redirects};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{
    self, Area, Content, FileChange, LoadOptions, Person, SiteFiles, TextFile, read_file,
    read_files,
};
use crate::diagnostic::{Diagnostic, Diagnostics, io_error};
use crate::download::{self, Contents, Download};
use crate::hosts::{self, Footprint};
use crate::i18n::Ui;
use crate::index::Index;
use crate::output::{self, Staging};
use crate::progress::{Progress, Steps};
use crate::render::{ASSETS, DataFile, Engines, Page, Renderer};
use crate::search;
use crate::timings::{PageCost, Timings};

pub use catch_up::{CatchUp, CaughtUp};
pub use check::{CheckReport, check};
use deps::{Scope, page_template_used_alone};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site directory (holding `annals.yaml`).
    pub root: PathBuf,
    /// Overrides `output` in `annals.yaml`; relative to the working directory.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `base_url` in `annals.yaml`.
    pub base_url: Option<String>,
    /// Fail on warnings too (see `annals check`).
    pub strict: bool,
    /// The output of the last published build: fail if this one no longer
    /// serves an address or statement id it did (`--previous`).
    pub previous: Option<PathBuf>,
    /// Overrides `host:` in `annals.yaml`.
    pub host: Option<crate::hosts::Host>,
    /// Show the stages of reading, a full build and `check` on stderr, when
    /// it is a terminal; incremental rebuilds never do.
    pub progress: bool,
    /// The most bytes one zip of the data package may hold before the
    /// download is split (default: the smallest host's limit on a file).
    /// Set by tests, which cannot reach 25 MiB of compressed data cheaply.
    pub download_part_limit: Option<u64>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// Page files rendered, each part of a long list counted (all of them,
    /// feeds and exports included, on a full build).
    pub pages: usize,
    /// Output files whose bytes changed (or were removed).
    pub written: Vec<String>,
    pub static_files: usize,
    /// Time and memory by stage and cost by page kind (full builds only).
    pub timings: Timings,
    /// What the output amounts to (full builds only).
    pub footprint: Option<Footprint>,
}

/// Something that changed on disk, as `watch` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    Config,
    /// A file or folder of the site (relative to its root), or one holding
    /// a part of it such as `content/`: whatever is now there is read again.
    Path(PathBuf),
    /// Anything may have changed: the file watcher lost events (its queue
    /// overflowed) and asks for the whole site to be read again.
    All,
}

/// Builds the site once. On any error the previous output is left untouched
/// and every problem found is returned together.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    Session::open(options.clone())?.build_all()
}

/// Makes Ctrl-C and SIGTERM wait while a build's new output moves in, so
/// that it is never half old and half new; at any other moment they end
/// the process at once.
pub fn stop_on_signals() -> std::io::Result<()> {
    output::stop_on_signals()
}

/// Whether Ctrl-C or SIGTERM came while a new output moved in.
pub fn interrupted() -> bool {
    output::interrupted()
}

/// A site loaded in memory, kept between rebuilds by `watch` and `serve`.
pub struct Session {
    options: BuildOptions,
    output: PathBuf,
    /// `annals.yaml` as last read: its errors stand until it is fixed.
    config: Result<Config, Diagnostics>,
    files: SiteFiles,
    content: Content,
    /// Each template file of the site, or why it could not be read.
    templates: BTreeMap<PathBuf, Result<TextFile, Diagnostics>>,
    /// Each file of `i18n/`, or why it could not be read.
    i18n: BTreeMap<PathBuf, Result<TextFile, Diagnostics>>,
    /// The interface in the site's language, made from `annals.yaml`'s
    /// `language` and its `i18n/` file, and what is wrong with that file.
    ui: (Arc<Ui>, Diagnostics),
    /// The template engines of the last build, reused while the
    /// templates and the interface stay as they were.
    engines: Engines,
    /// What the last good build left; `None` after a failure.
    last: Option<LastBuild>,
    /// Content changed since the search index was written: incremental
    /// rebuilds leave the index to [`Session::start_catch_up`], so an edit
    /// shows without waiting for the whole archive to be re-indexed.
    search_stale: bool,
    /// The exports changed since the data package's zips were made:
    /// incremental rebuilds leave them to [`Session::start_catch_up`] too,
    /// so an edit shows without waiting for compression.
    download_stale: bool,
    /// What the catch-up running now brings up to date: `(search,
    /// download)`, lagging again should it fail.
    catching_up: (bool, bool),
    /// The zips of the data package in the output, which `/data/` links.
    downloads: Vec<Download>,
    /// Whether the last build failed writing its output (a full disk), which
    /// trying again may get past with no change to the site.
    write_failed: bool,
    /// What rebuilds replaced, freed off the path from a save to its page.
    retired: output::Retired,
    /// Stages timed so far for the next full build's report.
    timings: Timings,
    /// The stage shown on a terminal while reading, building whole or
    /// checking; cleared when that ends.
    progress: Progress,
}

/// The model and index of the last good build, kept so an edit that cannot
/// move anything in the index (prose, titles, a template) reuses them
/// instead of assembling 10,000 articles again; and the output files it
/// left, so that files no longer generated are removed.
struct LastBuild {
    site: content::Site,
    index: Index,
    files: BTreeSet<String>,
    /// Its redirects, which pages of old addresses and `_redirects` show.
    redirects: Redirects,
    /// What the data package's zips hold.
    download: Contents,
    /// Its pages, sorted, and what resolving its redirects warned of:
    /// what a rebuild that moves no address reuses rather than works out
    /// again over the whole archive.
    pages: Vec<Page>,
    moved: Diagnostics,
}

impl Session {
    /// Reads and parses the site, and checks where it would be written.
    /// Fails only when there is no usable configuration or output; content
    /// errors surface when building.
    pub fn open(options: BuildOptions) -> Result<Session, Diagnostics> {
        let session = Session::read(options)?;
        output::check_output_dir(session.root(), &session.output)?;
        Ok(session)
    }

    /// Reads and parses the site through the loader.
    fn read(options: BuildOptions) -> Result<Session, Diagnostics> {
        let mut timings = Timings::start();
        let mut progress = Progress::new(options.progress);
        progress.stage("listing the site's files", None);
        let root = &options.root;
        let config = load_config(root, &options)?;
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| config.output_dir(root));
        let files = SiteFiles::list(root);
        let parsing = [Area::People, Area::Articles, Area::Pages].map(|a| files.of(a).len());
        let steps = progress.stage("reading and parsing", Some(parsing.iter().sum()));
        let content = parse_all(root, &files, config.markdown.raw_html, &steps);
        let templates = read_area(root, &files, Area::Templates);
        let i18n = read_area(root, &files, Area::I18n);
        let ui = interface(&config, &i18n);
        timings.stage("read and parse");
        Ok(Session {
            retired: output::Retired::beside(&output),
            options,
            output,
            config: Ok(config),
            files,
            content,
            templates,
            i18n,
            ui,
            engines: Engines::default(),
            last: None,
            search_stale: false,
            download_stale: false,
            catching_up: (false, false),
            downloads: Vec::new(),
            write_failed: false,
            timings,
            progress,
        })
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// What the links of the site lead to (resolved): a watcher watches
    /// them too, since an edit there is an edit of the site.
    pub(crate) fn link_targets(&self) -> Vec<PathBuf> {
        self.files.link_targets().map(Path::to_path_buf).collect()
    }

    /// The site's files (relative to the root) that `changed` (resolved)
    /// is or holds through a link.
    pub(crate) fn through_links(&self, changed: &Path) -> Vec<PathBuf> {
        self.files.through_links(changed)
    }

    /// Forgets what the output holds after a failed build, so the next one
    /// renders every page and removes whatever it no longer generates.
    fn fail(&mut self) {
        self.last = None;
    }

    /// Renders every page into a staging directory and moves it in.
    pub fn build_all(&mut self) -> Result<BuildReport, Diagnostics> {
        self.fail();
        self.search_stale = false;
        self.download_stale = false;
        let result = self.try_build_all();
        self.progress.clear();
        self.write_failed = matches!(&result, Err(Failure::Write(_)));
        result.map_err(|failure| self.quoted(failure))
    }

    /// A failure's diagnostics, each with its line quoted where it has one
    /// (those found on the model, after parsing, have none yet), as
    /// `check` quotes them.
    fn quoted(&self, failure: Failure) -> Diagnostics {
        let root = &self.options.root;
        (failure.into_diagnostics())
            .with_snippets(|path| content::read_checked(root, path).ok().map(|file| file.text))
    }

    fn try_build_all(&mut self) -> Result<BuildReport, Failure> {
        let mut timings = std::mem::replace(&mut self.timings, Timings::start());
        self.progress.stage("assembling the record", None);
        let site = self.assemble()?;
        timings.stage("assemble");
        self.progress.stage("indexing", None);
        let index = Index::new(&site);
        timings.stage("index");
        self.progress.stage("preparing templates", None);
        let templates = self.template_files();
        let ui = Arc::clone(&self.ui.0);
        let (renderer, moved) = self.renderer(&site, &index, &templates, &ui)?;
        let pages = renderer.pages();
        let generated = output_paths(&renderer, &pages);
        self.static_conflicts(&generated).into_result()?;
        self.compare_previous(&site, &renderer).into_result()?;
        let mut known_pages = pages.clone();
        known_pages.sort();
        timings.stage("templates");
        if self.options.strict {
            self.progress.stage("checking warnings", None);
            self.strict_warnings(&site, &index, &renderer, moved.clone())?;
            timings.stage("check warnings");
        }
        // Waiting for another build prints a line of its own.
        let _lock = self.progress.suspend(|| output::Lock::take(&self.output))?;
        output::Retired::clear(&self.output);
        let staging = Staging::begin(&self.output).map_err(Failure::Write)?;
        // The exports stream to their files beside the page rendering (they
        // are too big to hold), then the zips of the data package are made
        // from them; the search index is built meanwhile too. `/data/`
        // links the zips with their sizes, so it is rendered after.
        let (pages, exports): (Vec<Page>, Vec<DataFile>) = split_exports(pages);
        let (codebook, pages): (Vec<Page>, Vec<Page>) =
            pages.into_iter().partition(|page| *page == Page::Codebook);
        let parts = all_parts(&renderer, &pages);
        let export_parts = export_parts(&renderer, &exports);
        let steps =
            (self.progress).stage("rendering pages", Some(parts.len() + export_parts.len()));
        let contents = renderer.download_contents();
        let write_failed = AtomicBool::new(false);
        let (rendered, ((search, searching), exported)) = rayon::join(
            || {
                render_pages(&renderer, &parts, |path, html| {
                    steps.advance();
                    noting_failure(&write_failed, staging.write(path, html))
                })
            },
            || {
                rayon::join(
                    || {
                        let started = std::time::Instant::now();
                        let (files, written) = (AtomicUsize::new(0), AtomicUsize::new(0));
                        let emit = |path: &str, bytes: &[u8]| {
                            files.fetch_add(1, Ordering::Relaxed);
                            written.fetch_add(bytes.len(), Ordering::Relaxed);
                            staging.write(path, bytes)
                        };
                        let search = search::write(&site, &ui, &emit);
                        let cost = PageCost {
                            files: files.into_inner(),
                            render: started.elapsed(),
                            bytes: written.into_inner(),
                        };
                        (search, cost)
                    },
                    || {
                        let exported = stream_exports(&renderer, &staging, &export_parts, &steps)?;
                        let zipped = self.write_downloads(&contents, &staging)?;
                        Ok((exported, zipped))
                    },
                )
            },
        );
        timings.stage("render and write pages");
        timings.alongside("  of which search index, alongside", searching.render);
        timings.add_page("search index", searching);
        let Rendered {
            paths: mut rendered,
            costs,
        } = rendered.map_err(|errors| Failure::from_render(errors, &write_failed))?;
        let (exported, (downloads, zipping)) = exported.map_err(Failure::Write)?;
        timings.alongside("  of which data download, alongside", zipping.render);
        timings.add_page("data download", zipping);
        rendered.extend(exported.paths);
        rendered.extend(downloads.iter().map(|zip| zip.path.clone()));
        for (kind, cost) in costs.into_iter().chain(exported.costs) {
            timings.add_page(kind, cost);
        }
        let search =
            search.map_err(|e| Failure::write(&self.output, "write the search index", &e))?;
        let renderer = renderer.with_downloads(downloads.clone());
        let codebook = render_pages(&renderer, &all_parts(&renderer, &codebook), |path, html| {
            noting_failure(&write_failed, staging.write(path, html))
        })
        .map_err(|errors| Failure::from_render(errors, &write_failed))?;
        rendered.extend(codebook.paths);
        for (kind, cost) in codebook.costs {
            timings.add_page(kind, cost);
        }
        let static_files = self.static_outputs();
        let steps = self
            .progress
            .stage("writing static files", Some(static_files.len()));
        for (path, source) in &static_files {
            let bytes = self.static_bytes(source)?;
            staging
                .write(path, &bytes)
                .map_err(|e| Failure::write(&self.output.join(path), "write", &e))?;
            steps.advance();
        }
        timings.stage("write static files");
        self.progress.stage("measuring the output", None);
        let footprint = self.fits_host(&site.config, &staging)?;
        timings.stage("measure the output");
        self.progress.stage("moving the output in", None);
        staging.commit().map_err(Failure::Write)?;
        timings.stage("move the output in");
        let mut files: BTreeSet<String> = rendered.iter().cloned().collect();
        files.extend(search);
        files.extend(static_files.into_keys());
        let redirects = renderer.redirects().clone();
        drop(renderer);
        self.downloads = downloads;
        self.last = Some(LastBuild {
            site,
            index,
            files,
            redirects,
            download: contents,
            pages: known_pages,
            moved,
        });
        Ok(BuildReport {
            output: self.output.clone(),
            pages: rendered.len(),
            written: rendered,
            static_files: self.files.of(Area::Static).len(),
            timings,
            footprint: Some(footprint),
        })
    }

    /// Writes the zips of the data package into `staging`, made from the
    /// exports staged there: each zip, and what making them cost.
    fn write_downloads(
        &self,
        contents: &Contents,
        staging: &Staging,
    ) -> Result<(Vec<Download>, PageCost), Diagnostics> {
        let started = std::time::Instant::now();
        let failed = |e: std::io::Error| {
            let path = self.output.join(download::DIR);
            Diagnostics::from(io_error(&path, "zip the data package", &e))
        };
        let read = |name: &str| staging.read(&format!("{}/{name}", download::DIR));
        let zips = download::zips(contents, self.download_part_limit(), read).map_err(failed)?;
        for (path, bytes) in &zips {
            (staging.write(path, bytes))
                .map_err(|e| io_error(&self.output.join(path), "write", &e))?;
        }
        let downloads = download::listed(&zips);
        let cost = PageCost {
            files: zips.len(),
            render: started.elapsed(),
            bytes: zips.iter().map(|(_, bytes)| bytes.len()).sum(),
        };
        Ok((downloads, cost))
    }

    /// The most one zip of the data package may hold.
    fn download_part_limit(&self) -> u64 {
        (self.options.download_part_limit).unwrap_or(download::PART_LIMIT)
    }

    /// Measures the staged output and fails, before it replaces the last
    /// one, when it would not fit the host the site is published on.
    fn fits_host(&self, config: &Config, staging: &Staging) -> Result<Footprint, Failure> {
        let output::Staged { files, redirects } = (staging.measure())
            .map_err(|e| Failure::write(&self.output, "measure the output", &e))?;
        let rules = redirects.as_deref().map(hosts::RedirectFile::of);
        let footprint = Footprint::of(files, rules.unwrap_or_default());
        let (host, origin) = self.host(config);
        let mut errors = hosts::address_fits(host, &config.base_url, config.base_path(), &origin);
        errors.extend(footprint.check(host, &origin));
        errors.into_result().map_err(Failure::Site)?;
        Ok(footprint)
    }

    /// The host the site is built for, and where that is said: `--host`,
    /// or annals.yaml's `host:` (its line), for errors to point at.
    fn host(&self, config: &Config) -> (hosts::Host, Diagnostic) {
        match self.options.host {
            Some(host) => {
                let name =
                    clap::ValueEnum::to_possible_value(&host).map(|v| v.get_name().to_owned());
                let flag = format!("--host {}", name.unwrap_or_default());
                (host, Diagnostic::error(flag, ""))
            }
            None => {
                let file = Diagnostic::error(self.options.root.join(CONFIG_FILE), "");
                match config.host_line {
                    0 => (config.host, file),
                    line => (config.host, file.at_line(line)),
                }
            }
        }
    }

    /// What `check` can tell of the host before a build: whether it serves
    /// the site where base_url says (the output's size is a build's to
    /// measure).
    pub(super) fn host_address_fits(&self, config: &Config) -> Diagnostics {
        let (host, origin) = self.host(config);
        hosts::address_fits(host, &config.base_url, config.base_path(), &origin)
    }

    /// Applies changed files and rewrites only the output they affect.
    /// Reading the changes always succeeds, so the session mirrors the disk;
    /// if building then fails, the output is forgotten (`Session::fail`)
    /// and the next success renders everything.
    pub fn apply(&mut self, changes: &BTreeSet<Change>) -> Result<BuildReport, Diagnostics> {
        // The output deleted from under the watch (`rm -rf public`): an
        // edit's pages alone would make a site of a few pages, without its
        // marker. It is written whole again.
        if !self.output.join(output::MARKER).is_file() {
            self.last = None;
        }
        let scope = self.read_changes(changes);
        let result = self.rebuild(scope);
        // Unlinked on a thread of its own: nothing waits for it.
        let _ = self.retired.release();
        self.write_failed = matches!(&result, Err(Failure::Write(_)));
        if result.is_err() {
            self.fail();
        }
        result.map_err(|failure| self.quoted(failure))
    }

    /// Whether the last build failed writing the output (say, a full disk):
    /// then `watch` tries again by itself, with no change to the site.
    pub(crate) fn retry_pending(&self) -> bool {
        self.write_failed
    }

    /// Reads every change into the session, and says what it touched.
    fn read_changes(&mut self, changes: &BTreeSet<Change>) -> Scope {
        let mut scope = Scope::default();
        let root = self.options.root.clone();
        // A file may be named by its own event and its folder's: read once,
        // so that what it was before this batch is still known as before.
        let mut files: BTreeMap<PathBuf, FileChange> = BTreeMap::new();
        for change in changes {
            match change {
                Change::Config => self.reread_config(&mut scope),
                Change::Path(path) => {
                    for file in self.files.refresh(&root, path) {
                        files.insert(file.path.clone(), file);
                    }
                }
                Change::All => {
                    self.reread_config(&mut scope);
                    // The empty path holds every area.
                    for file in self.files.refresh(&root, Path::new("")) {
                        files.insert(file.path.clone(), file);
                    }
                }
            }
        }
        // Listing every person's id takes milliseconds in a large archive:
        // only when a person file is among the changes.
        let people_change = files.values().any(|file| file.area == Area::People);
        let people_before = people_change.then(|| self.content.person_ids());
        for file in files.into_values() {
            self.reread(file, &mut scope);
        }
        if scope.everything
            && let Ok(config) = &self.config
        {
            self.ui = interface(config, &self.i18n);
        }
        // Articles are checked against the people there are: when that set
        // changes, all of them again, once for the batch (a restored
        // `content/` brings every person file at once).
        if people_before.is_some_and(|before| self.content.person_ids() != before) {
            let articles = read_files(&root, self.files.of(Area::Articles));
            self.content.reparse_articles(articles);
            scope.everything = true;
        }
        scope
    }

    fn reread_config(&mut self, scope: &mut Scope) {
        let root = &self.options.root;
        let config = load_config(root, &self.options);
        if let Ok(config) = &config
            && config.markdown.raw_html != self.content.raw_html()
        {
            let raw_html = config.markdown.raw_html;
            self.content = parse_all(root, &self.files, raw_html, &Steps::default());
        }
        self.config = config;
        scope.everything = true;
    }

    /// Reads one file that appeared, changed or went.
    fn reread(&mut self, file: FileChange, scope: &mut Scope) {
        let root = &self.options.root;
        let FileChange {
            area,
            path,
            present,
        } = file;
        let read = present.then(|| read_file(root, &path));
        let translation = (matches!(area, Area::Articles | Area::People | Area::Pages)
            && content::is_translation(&path))
        .then(|| (path.clone(), self.content.translation(&path).cloned()));
        self.reread_area(area, path, read, scope);
        if let Some((path, before)) = translation {
            let after = self.content.translation(&path);
            // Whether its original gains or loses a page in its language.
            scope.translations_moved |= before.is_some() != after.is_some();
            scope.translations_listed |= !content::Translated::listed_alike(before.as_ref(), after);
            scope.translations.insert(path);
        }
    }

    /// Applies one file that appeared, changed or went to the content of
    /// its area, noting in `scope` what it touches.
    fn reread_area(
        &mut self,
        area: Area,
        path: PathBuf,
        read: Option<Result<TextFile, Diagnostics>>,
        scope: &mut Scope,
    ) {
        match area {
            Area::Articles => {
                let before = self.content.article(&path).map(Arc::clone);
                self.content.set_article(&path, read);
                let after = self.content.article(&path);
                scope.redirects_changed |=
                    before.as_ref().map(|a| &a.redirect_from) != after.map(|a| &a.redirect_from);
                if let Some(before) = before {
                    scope.articles_before.insert(path.clone(), before);
                }
                scope.article_files.insert(path);
            }
            Area::People => {
                let before = self.content.person(&path).cloned();
                self.content.set_person(&path, read);
                let after = self.content.person(&path);
                let shown_elsewhere = before.as_ref().map(Person::shown_elsewhere)
                    != after.map(Person::shown_elsewhere);
                scope.redirects_changed |=
                    before.as_ref().map(|p| &p.redirect_from) != after.map(|p| &p.redirect_from);
                let id = content::person_id(&path);
                scope.people.push((id, path, shown_elsewhere));
            }
            Area::Pages => {
                if let Some(old) = self.content.page(&path) {
                    scope.pages_before.insert(path.clone(), Arc::clone(old));
                }
                self.content.set_page(&path, read);
                scope.page_files.insert(path);
            }
            Area::Templates => {
                match read {
                    Some(read) => self.templates.insert(path.clone(), read),
                    None => self.templates.remove(&path),
                };
                match page_template_used_alone(&path, &self.template_files()) {
                    Some(name) => scope.templates.push(name),
                    None => scope.everything = true,
                }
            }
            Area::Static => scope.static_files.push(path),
            Area::I18n => {
                match read {
                    Some(read) => self.i18n.insert(path, read),
                    None => self.i18n.remove(&path),
                };
                scope.everything = true;
            }
        }
    }

    /// Builds from what the session holds: after a good build, only the
    /// pages `scope` touched; after a failure (or none yet), everything.
    fn rebuild(&mut self, scope: Scope) -> Result<BuildReport, Failure> {
        let (model, before, redirects_before, known, download_before) = match self.last.take() {
            Some(last) => (
                Some((last.site, last.index)),
                Some(last.files),
                last.redirects,
                Some((last.pages, last.moved)),
                Some(last.download),
            ),
            None => (None, None, Redirects::default(), None, None),
        };
        let years_before: BTreeSet<i16> = model
            .iter()
            .flat_map(|(_, index)| index.years.keys().copied())
            .collect();
        let menu_before = model
            .as_ref()
            .map(|(site, _)| deps::menu(site))
            .unwrap_or_default();
        self.problems().into_result()?;
        let (site, index, reused) = match model.and_then(|m| self.reuse(m, &scope)) {
            Some((site, index, edited)) => (site, index, Some(edited)),
            None => {
                let site = self.assemble()?;
                let index = Index::new(&site);
                (site, index, None)
            }
        };
        let templates = self.template_files();
        let ui = Arc::clone(&self.ui.0);
        // An edit that keeps every page where it was and every redirect as
        // it was leaves the site's addresses as the last build had them.
        let known = known.filter(|_| reused.is_some() && !scope.moves_addresses());
        let (renderer, all_pages, moved, generated) = match known {
            Some((pages, moved)) => {
                let renderer = Renderer::new(&site, &index, &templates, &ui, &self.engines)?;
                let rules = redirects_before.clone();
                (
                    renderer.with_redirects(rules, self.own_rules()?),
                    pages,
                    moved,
                    None,
                )
            }
            None => {
                let (renderer, moved) = self.renderer(&site, &index, &templates, &ui)?;
                let mut pages = renderer.pages();
                pages.sort();
                let generated = output_paths(&renderer, &pages);
                self.static_conflicts(&generated).into_result()?;
                (renderer, pages, moved, Some(generated))
            }
        };
        // The zips as they are: they catch up with the exports later.
        let renderer = renderer.with_downloads(self.downloads.clone());
        self.strict_warnings(&site, &index, &renderer, moved.clone())?;
        let selected: Vec<Page> = match (&before, scope.everything) {
            (Some(_), false) => {
                let previous = deps::Previous {
                    years: &years_before,
                    redirects: &redirects_before,
                    menu: &menu_before,
                    drafts: self.options.drafts,
                };
                let changed = match &reused {
                    Some(edited) => edited.clone(),
                    None => (0..site.articles.len())
                        .filter(|&a| scope.article_files.contains(&site.articles[a].file))
                        .collect(),
                };
                let redirects = renderer.redirects();
                scope.pages(&site, &index, &previous, redirects, &all_pages, &changed)
            }
            _ => all_pages.clone(),
        };
        // With the index as it was and only articles edited, a long list
        // changed only on the parts that show them.
        let only_articles =
            scope.templates.is_empty() && scope.people.is_empty() && scope.page_files.is_empty();
        let edited: Option<Vec<usize>> = reused.filter(|_| !scope.everything && only_articles);
        let targets: Vec<(&Page, usize)> = selected
            .iter()
            .flat_map(|page| {
                let parts = match &edited {
                    Some(articles) => renderer.parts_showing(page, articles),
                    None => (0..renderer.parts(page)).collect(),
                };
                parts.into_iter().map(move |part| (page, part))
            })
            .collect();
        let _lock = output::Lock::take(&self.output)?;
        let output = &self.output;
        let changed = std::sync::Mutex::new(Vec::new());
        let write_failed = AtomicBool::new(false);
        let write = |path: &str, html: &[u8]| {
            let written = output::rewrite_if_changed(output, path, html, &self.retired);
            let wrote = noting_failure(&write_failed, written)?;
            if wrote {
                let mut changed = changed.lock().unwrap_or_else(|e| e.into_inner());
                changed.push(path.to_owned());
            }
            Ok(())
        };
        // An edit's few pages are all rendered before any is written, so a
        // template error leaves the output as the last good build left it.
        // Thousands (a template used by every article) are written as they
        // are rendered, to bound memory; after an error among them, the
        // next good build rewrites them all.
        if targets.len() <= RENDER_FIRST {
            let pages = std::sync::Mutex::new(Vec::with_capacity(targets.len()));
            render_pages(&renderer, &targets, |path, html| {
                let mut pages = pages.lock().unwrap_or_else(|e| e.into_inner());
                pages.push((path.to_owned(), html.to_vec()));
                Ok(())
            })?;
            let pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
            let results: Vec<std::io::Result<()>> = pages
                .par_iter()
                .map(|(path, html)| write(path, html))
                .collect();
            for ((path, _), result) in pages.iter().zip(results) {
                result.map_err(|e| Failure::write(&output.join(path), "write the page", &e))?;
            }
        } else {
            render_pages(&renderer, &targets, write)
                .map_err(|errors| Failure::from_render(errors, &write_failed))?;
        }
        let mut written = changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let redirects = renderer.redirects().clone();
        // What the zips hold changes only with an export (a year's file
        // added or gone rewrites `datapackage.json` too); counting every
        // export's rows again took 23 ms at 100,000 articles.
        let download = match download_before {
            Some(download) if !written.iter().any(|path| is_export(path)) => download,
            _ => renderer.download_contents(),
        };
        let statics = self.static_outputs();
        let had_last = before.is_some();
        let now = match (generated, before) {
            // The same addresses and static files: the same files.
            (None, Some(before)) => before,
            (generated, before) => {
                let generated = generated.unwrap_or_else(|| output_paths(&renderer, &all_pages));
                let (now, gone) = self.files_now(&site.config, generated, &statics, before)?;
                written.extend(gone);
                now
            }
        };
        drop(renderer);
        // After a failure, every static file may differ; else the changed.
        let static_changed: Vec<String> = match had_last {
            true => scope
                .static_files
                .iter()
                .map(|path| static_output(path))
                .collect(),
            false => statics.keys().cloned().collect(),
        };
        written.extend(self.sync_static(&static_changed, &statics)?);
        if !had_last {
            // An output first written by a rebuild (the first full build
            // failed) must still be one annals may replace.
            output::write_if_changed(output, output::MARKER, output::MARKER_TEXT.as_bytes())
                .map_err(|e| Failure::write(output, "write the output marker", &e))?;
        }
        written.sort();
        written.dedup();
        self.search_stale |= scope.changes_content() || !had_last;
        // The zips hold the exports' bytes: they lag once one is written.
        self.download_stale |= written.iter().any(|path| is_export(path)) || !had_last;
        let pages = targets.len();
        self.last = Some(LastBuild {
            site,
            index,
            files: now,
            redirects,
            download,
            pages: all_pages,
            moved,
        });
        Ok(BuildReport {
            output: self.output.clone(),
            pages,
            written,
            static_files: static_changed.len(),
            timings: Timings::default(),
            footprint: None,
        })
    }

    /// The files the output holds once the stale ones are removed, and the
    /// removed: every generated and static file, and the search index's and
    /// zips' files there were (`None`: no good build yet, so as found on
    /// disk), which stay until a `CatchUp` replaces them.
    fn files_now(
        &self,
        config: &Config,
        generated: BTreeSet<String>,
        statics: &BTreeMap<String, StaticSource>,
        before: Option<BTreeSet<String>>,
    ) -> Result<(BTreeSet<String>, Vec<String>), Failure> {
        let output = &self.output;
        let mut now = generated;
        now.extend(statics.keys().cloned());
        now.insert(output::MARKER.to_owned());
        let on_disk = before.unwrap_or_else(|| output::files_under(output, Path::new("")));
        let search = search::Dirs::of(config);
        let lagging = |path: &&String| search.owns(path) || download::owns(path);
        now.extend(on_disk.iter().filter(lagging).cloned());
        let mut gone = Vec::new();
        for path in on_disk.difference(&now) {
            output::remove(output, path)
                .map_err(|e| Failure::write(&output.join(path), "remove the old file", &e))?;
            gone.push(path.clone());
        }
        Ok((now, gone))
    }

    /// The last model with the changed articles swapped in, when the changes
    /// leave every position the index holds as it was: same people, and each
    /// changed article keeps its date, slug, statements, sources, corrections
    /// and terms.
    /// Also the positions of the articles swapped in.
    fn reuse(
        &self,
        model: (content::Site, Index),
        scope: &Scope,
    ) -> Option<(content::Site, Index, Vec<usize>)> {
        let elsewhere = scope.people.iter().any(|(_, _, elsewhere)| *elsewhere);
        if scope.everything || elsewhere {
            return None;
        }
        // Translations are not in the index: they are attached again below.
        let original = |path: &&PathBuf| !scope.translations.contains(*path);
        let (mut site, index) = model;
        for (id, path, _) in scope.people.iter().filter(|(_, path, _)| original(&path)) {
            let person = self.content.clean_person(path)?;
            site.people.insert(id.clone(), person.clone());
        }
        // Keyed by the article as the last model holds it: its slot there.
        let mut replacements: HashMap<*const content::Article, &Arc<content::Article>> =
            HashMap::new();
        for path in scope.article_files.iter().filter(original) {
            let before = scope.articles_before.get(path)?;
            let after = self.content.clean_article(path)?;
            let same_place = (&before.date, &before.slug, before.draft)
                == (&after.date, &after.slug, after.draft)
                && before.statements == after.statements
                && before.sources == after.sources
                && before.corrections == after.corrections
                && (&before.topics, &before.places) == (&after.topics, &after.places);
            if !same_place {
                return None;
            }
            replacements.insert(Arc::as_ptr(before), after);
        }
        // The originals of translations changed where lists show them count
        // as edited: their pages, and the parts of lists showing them, show
        // their new words.
        let translated: HashSet<PathBuf> = (scope.translations.iter())
            .filter(|_| scope.translations_listed)
            .filter_map(|path| content::translation_original(path))
            .collect();
        // One pass comparing pointers, not paths (component by component,
        // a tenth of a second over 100,000 articles), but for translations.
        let mut edited = Vec::with_capacity(replacements.len());
        for (position, slot) in site.articles.iter_mut().enumerate() {
            if let Some(after) = replacements.get(&Arc::as_ptr(slot)) {
                *slot = Arc::clone(after);
                edited.push(position);
            } else if !translated.is_empty() && translated.contains(&slot.file.with_extension("")) {
                edited.push(position);
            }
        }
        // No list of the index holds a page: a handful, taken whole.
        if !scope.page_files.is_empty() {
            site.pages = self.content.site_pages().ok()?;
        }
        // A changed translation, or a page gone or given a new slug (which
        // moves its translations), attaches them again. An article or person
        // reused keeps its slug or id and its statements, and so its
        // translations: the archive's are not looked up on every edit.
        if !scope.page_files.is_empty() || !scope.translations.is_empty() {
            let (translations, problems) =
                (self.content).site_translations(&site.config, self.load_options());
            if problems.has_errors() {
                return None;
            }
            site.translations = translations;
        }
        Some((site, index, edited))
    }

    /// Whether the search index or the data package's zips lag behind
    /// the last good build.
    pub(crate) fn catch_up_pending(&self) -> bool {
        (self.search_stale || self.download_stale) && self.last.is_some()
    }

    /// What lags behind the last good build, to bring up to date off the
    /// watcher's thread; hand its result to [`Session::finish_catch_up`].
    /// `None` while nothing lags, or the last rebuild failed: then it waits
    /// for the fix.
    pub fn start_catch_up(&mut self) -> Option<CatchUp> {
        let last = self.last.as_ref()?;
        let (search, download) = (self.search_stale, self.download_stale);
        if !search && !download {
            return None;
        }
        self.catching_up = (search, download);
        self.search_stale = false;
        self.download_stale = false;
        Some(CatchUp {
            output: self.output.clone(),
            search: search.then(|| (last.site.clone(), Arc::clone(&self.ui.0))),
            download: download.then(|| (last.download.clone(), self.download_part_limit())),
        })
    }

    /// Notes that a [`CatchUp`] failed: what it was to bring up to date
    /// still lags.
    pub(crate) fn catch_up_failed(&mut self) {
        let (search, download) = self.catching_up;
        self.search_stale |= search;
        self.download_stale |= download;
    }

    /// Records what a finished [`CatchUp`] left, and renders `/data/`
    /// again when it made the zips, whose sizes that page gives.
    pub fn finish_catch_up(&mut self, done: CaughtUp) -> Result<BuildReport, Diagnostics> {
        let CaughtUp {
            search,
            downloads,
            mut report,
        } = done;
        if let (Some(last), Some(files)) = (&mut self.last, search) {
            let search = search::Dirs::of(&last.site.config);
            last.files.retain(|p| !search.owns(p));
            last.files.extend(files);
        }
        let Some(downloads) = downloads else {
            return Ok(report);
        };
        if let Some(last) = &mut self.last {
            last.files.retain(|p| !download::owns(p));
            last.files
                .extend(downloads.iter().map(|zip| zip.path.clone()));
        }
        self.downloads = downloads;
        report.written.extend(self.write_codebook()?);
        report.written.sort();
        Ok(report)
    }

    /// Renders `/data/` from the last good build with the zips there are
    /// now; its path, if its bytes changed.
    fn write_codebook(&self) -> Result<Option<String>, Diagnostics> {
        let Some(last) = &self.last else {
            // The next good build renders every page.
            return Ok(None);
        };
        let templates = self.template_files();
        let renderer = Renderer::new(
            &last.site,
            &last.index,
            &templates,
            &self.ui.0,
            &self.engines,
        )?
        .with_downloads(self.downloads.clone());
        let path = renderer.output_path(&Page::Codebook, 0);
        let html = renderer.render(&Page::Codebook, 0)?;
        let _lock = output::Lock::take(&self.output)?;
        let wrote = output::write_if_changed(&self.output, &path, html.as_bytes())
            .map_err(|e| io_error(&self.output.join(&path), "write the page", &e))?;
        Ok(wrote.then_some(path))
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.options.drafts,
        }
    }

    /// Every error that stops a build before its model is assembled: the
    /// settings, entries refused while listing, unreadable templates.
    fn problems(&self) -> Diagnostics {
        let mut problems = Diagnostics::default();
        if let Err(errors) = &self.config {
            problems.extend(errors.clone());
        }
        problems.extend(self.files.refused());
        for read in self.templates.values().chain(self.i18n.values()) {
            if let Err(errors) = read {
                problems.extend(errors.clone());
            }
        }
        problems.extend(self.ui.1.clone().split().0);
        problems
    }

    /// The site as its files now say, or every error in them.
    fn assemble(&self) -> Result<content::Site, Diagnostics> {
        self.problems().into_result()?;
        let config = self.config.clone()?;
        let site = self.content.site(config, self.load_options())?;
        // Here, where every build, rebuild and check passes, so that
        // `require_archive: error` stops them all, not only `--strict` ones.
        crate::audit::errors(&site).into_result()?;
        Ok(site)
    }

    /// With `--strict`, the site's warnings as errors: a rebuild in `watch`
    /// refuses what `build --strict` would.
    fn strict_warnings(
        &self,
        site: &content::Site,
        index: &Index,
        renderer: &Renderer,
        mut moved: Diagnostics,
    ) -> Result<(), Diagnostics> {
        if !self.options.strict {
            return Ok(());
        }
        moved.extend(check::warnings(&self.files, site, index, renderer));
        moved.extend(self.setup_warnings());
        moved.strict().into_result()
    }

    /// The renderer of `site`, with its redirects checked against every
    /// page and static file the build writes (chains of redirects come back
    /// as warnings), and the site's own `static/_redirects`.
    fn renderer<'s>(
        &self,
        site: &'s content::Site,
        index: &'s Index,
        templates: &'s [TextFile],
        ui: &'s Arc<Ui>,
    ) -> Result<(Renderer<'s>, Diagnostics), Diagnostics> {
        let renderer = Renderer::new(site, index, templates, ui, &self.engines)?;
        let pages = renderer.pages();
        // Withdrawn pages are not live: they are what `resolve` checks.
        let (own, others): (Vec<&Page>, Vec<&Page>) = pages
            .iter()
            .filter(|page| !matches!(page, Page::Withdrawn(_)))
            .partition(|page| matches!(page, Page::Standalone(_)));
        let mut live = self.addresses(site, &renderer, others.into_iter());
        // Before redirects are resolved: a page at a redirected address is
        // the page's error, not the redirect's.
        let statics = self.static_outputs();
        reserved::page_collisions(site, &renderer, &live, &statics).into_result()?;
        live.extend(page_addresses(site, &renderer, own.into_iter()));
        let (redirects, found) = addresses::resolve(site, &live);
        let (errors, warnings) = found.split();
        errors.into_result()?;
        Ok((
            renderer.with_redirects(redirects, self.own_rules()?),
            warnings,
        ))
    }

    /// The site's own `static/_redirects`, which the built one starts with.
    fn own_rules(&self) -> Result<Option<String>, Diagnostics> {
        let files = self.files.of(Area::Static).iter();
        files
            .filter(|path| static_output(path) == OWN_RULES)
            .map(|path| read_file(self.root(), path).map(|file| file.text))
            .next()
            .transpose()
    }

    /// Every address from the site root at which the output has a file:
    /// each part of `pages`, each static file and built-in asset.
    fn addresses<'p>(
        &self,
        site: &content::Site,
        renderer: &Renderer,
        pages: impl Iterator<Item = &'p Page>,
    ) -> BTreeSet<String> {
        let mut addresses = page_addresses(site, renderer, pages);
        addresses.extend(
            self.static_outputs()
                .into_keys()
                .map(|out| format!("/{out}")),
        );
        addresses
    }

    /// The site's own templates that could be read.
    /// What `check` reports of the interface strings (English shown where
    /// the language's file lacks a string, keys it does not know) and of
    /// files annals does not read: Markdown outside the content folders, a
    /// template no name or include reaches.
    fn setup_warnings(&self) -> Diagnostics {
        let mut found = self.ui.1.clone().split().1;
        found.extend(content::unread(self.root(), &self.files));
        found.extend(crate::render::unused_templates(&self.template_files()));
        found
    }

    fn template_files(&self) -> Vec<TextFile> {
        self.templates
            .values()
            .filter_map(|read| read.as_ref().ok().cloned())
            .collect()
    }

    /// What the output gets besides pages: each static file by its output
    /// path, and the built-in assets a static file does not replace.
    fn static_outputs(&self) -> BTreeMap<String, StaticSource> {
        let mut outputs: BTreeMap<String, StaticSource> = ASSETS
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), StaticSource::BuiltIn(bytes)))
            .collect();
        let files = self.files.of(Area::Static).iter();
        // The site's own `_redirects` is the start of the generated one.
        for path in files.filter(|path| static_output(path) != OWN_RULES) {
            outputs.insert(static_output(path), StaticSource::File(path.clone()));
        }
        outputs
    }

    fn static_bytes(&self, source: &StaticSource) -> Result<Vec<u8>, Diagnostics> {
        match source {
            StaticSource::BuiltIn(bytes) => Ok(bytes.to_vec()),
            StaticSource::File(path) => std::fs::read(self.root().join(path))
                .map_err(|e| io_error(path, "read the static file", &e).into()),
        }
    }

    /// Static files that would land where annals writes a file of its own:
    /// a page, feed or export, the output marker, or inside a folder annals
    /// fills and prunes (`search-index/`, `data/`, a language's
    /// `<code>/search-index/`).
    fn static_conflicts(&self, generated: &BTreeSet<String>) -> Diagnostics {
        let mut conflicts = Diagnostics::default();
        let indexes = (self.config.as_ref().ok()).map(search::Dirs::of);
        let indexes = indexes.iter().flat_map(search::Dirs::iter);
        let reserved: Vec<&str> = RESERVED_DIRS.iter().copied().chain(indexes).collect();
        for path in self.files.of(Area::Static) {
            let out = static_output(path);
            if out == OWN_RULES {
                continue;
            }
            if generated.contains(&out) || out == output::MARKER {
                conflicts.push(output::static_replaces_page(path, &out));
            } else if let Some(dir) =
                (reserved.iter()).find(|dir| out.starts_with(&format!("{dir}/")))
            {
                conflicts.push(output::static_in_generated_dir(path, dir));
            } else if let Some(what) = in_the_way(&out, generated) {
                conflicts.push(output::static_in_the_way(path, &what));
            }
        }
        conflicts
    }

    /// Brings the output files at `paths` in line with `statics`: copied
    /// where changed, removed where no longer there.
    fn sync_static(
        &self,
        paths: &[String],
        statics: &BTreeMap<String, StaticSource>,
    ) -> Result<Vec<String>, Failure> {
        let output = &self.output;
        let mut written = Vec::new();
        for path in paths {
            let failed = |e: std::io::Error| Failure::write(&output.join(path), "update", &e);
            match statics.get(path) {
                Some(source) => {
                    let bytes = self.static_bytes(source)?;
                    if output::write_if_changed(output, path, &bytes).map_err(failed)? {
                        written.push(path.clone());
                    }
                }
                None if output.join(path).exists() => {
                    output::remove(output, path).map_err(failed)?;
                    written.push(path.clone());
                }
                None => {}
            }
        }
        Ok(written)
    }
}

/// A site's own redirect rules for static hosts, in `static/`, which the
/// generated `_redirects` begins with.
const OWN_RULES: &str = "_redirects";

/// How many page files a rebuild renders in memory before writing any.
const RENDER_FIRST: usize = 2_000;

/// Output folders annals generates whole, removing what it did not write.
const RESERVED_DIRS: &[&str] = &[search::DIR, "data"];

/// Where a static file's bytes come from.
enum StaticSource {
    /// A file of the site's `static/`, relative to the root.
    File(PathBuf),
    /// Built into annals (`style.css`, `search.js`, the output marker).
    BuiltIn(&'static [u8]),
}

/// What among the generated files `out` cannot share the output with, a
/// file and a folder of one name: pages inside `out/` (a static file
/// `people` where the people pages go), or a page at a folder of `out`
/// (`atom.xml/x`).
fn in_the_way(out: &str, generated: &BTreeSet<String>) -> Option<String> {
    let folder = format!("{out}/");
    let inside = generated.range(folder.clone()..).next();
    if inside.is_some_and(|page| page.starts_with(&folder)) {
        return Some(format!("the generated pages under /{folder}"));
    }
    let above = out
        .match_indices('/')
        .find_map(|(at, _)| generated.get(&out[..at]));
    above.map(|page| format!("the generated page /{page}"))
}

/// The output path of a static file: its path inside `static/`.
fn static_output(path: &Path) -> String {
    content::slash_path(path.strip_prefix(content::STATIC_DIR).unwrap_or(path))
}

/// Why a build failed.
enum Failure {
    /// Errors in the site: they stand until a file changes.
    Site(Diagnostics),
    /// Writing the output failed (a full disk): trying again may succeed.
    Write(Diagnostics),
}

impl Failure {
    /// Writing `path` failed doing `action`.
    fn write(path: &Path, action: &str, error: &std::io::Error) -> Failure {
        Failure::Write(io_error(path, action, error).into())
    }

    /// A rendering failure: a write error if any write failed.
    fn from_render(errors: Diagnostics, write_failed: &AtomicBool) -> Failure {
        match write_failed.load(Ordering::Relaxed) {
            true => Failure::Write(errors),
            false => Failure::Site(errors),
        }
    }

    fn into_diagnostics(self) -> Diagnostics {
        match self {
            Failure::Site(errors) | Failure::Write(errors) => errors,
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(errors: Diagnostics) -> Self {
        Failure::Site(errors)
    }
}

/// `result`, noting in `failed` that a write failed.
fn noting_failure<T>(failed: &AtomicBool, result: std::io::Result<T>) -> std::io::Result<T> {
    if result.is_err() {
        failed.store(true, Ordering::Relaxed);
    }
    result
}

/// Parses every person, article and page file the listing found, a step
/// of `steps` each.
fn parse_all(
    root: &Path,
    files: &SiteFiles,
    raw_html: crate::markdown::RawHtml,
    steps: &Steps,
) -> Content {
    let read = |area| read_files(root, files.of(area)).inspect(|_| steps.advance());
    Content::parse(
        read(Area::People),
        read(Area::Articles),
        read(Area::Pages),
        raw_html,
    )
}

/// The address from the site root of each part of `pages`.
fn page_addresses<'p>(
    site: &content::Site,
    renderer: &Renderer,
    pages: impl Iterator<Item = &'p Page>,
) -> BTreeSet<String> {
    let base = site.config.base_path();
    pages
        .flat_map(|page| renderer.parts_of(page))
        .map(|(page, part)| site_root_path(base, &renderer.part_url(page, part)))
        .collect()
}

/// `url` (starting with the root path `base`) from the site root.
fn site_root_path(base: &str, url: &str) -> String {
    format!("/{}", url.strip_prefix(base).unwrap_or(url))
}

/// The output path of every part of every page.
fn output_paths(renderer: &Renderer, pages: &[Page]) -> BTreeSet<String> {
    pages
        .iter()
        .flat_map(|page| renderer.parts_of(page))
        .map(|(page, part)| renderer.output_path(page, part))
        .collect()
}

/// Every part of every page.
fn all_parts<'p>(renderer: &Renderer, pages: &'p [Page]) -> Vec<(&'p Page, usize)> {
    // Pages over the whole archive (the exports above all: 100 ms each at
    // 10,000 articles) go first, so that no core is left rendering one of
    // them alone at the end while the other idles.
    let (whole, rest): (Vec<&Page>, Vec<&Page>) = pages.iter().partition(|p| p.spans_site());
    let pages = whole.into_iter().chain(rest);
    pages.flat_map(|p| renderer.parts_of(p)).collect()
}

/// Renders `pages` in parallel, handing each to `write`; returns their output
/// paths, or every render and write error together.
fn render_pages(
    renderer: &Renderer,
    targets: &[(&Page, usize)],
    write: impl Fn(&str, &[u8]) -> std::io::Result<()> + Sync,
) -> Result<Rendered, Diagnostics> {
    let results = targets
        .par_iter()
        .map(|&(page, part)| {
            let path = renderer.output_path(page, part);
            let started = std::time::Instant::now();
            let html = renderer.render(page, part)?;
            let cost = PageCost {
                files: 1,
                render: started.elapsed(),
                bytes: html.len(),
            };
            write(&path, html.as_bytes())
                .map_err(|e| io_error(Path::new(&path), "write the page", &e))?;
            Ok((path, page.kind(), cost))
        })
        .collect();
    Rendered::gather(results)
}

/// Whether `path` is one of the `/data/` exports the zips hold.
fn is_export(path: &str) -> bool {
    path.starts_with(download::DIR) && !download::owns(path)
}

/// `pages` without the `/data/` exports, and the exports.
fn split_exports(pages: Vec<Page>) -> (Vec<Page>, Vec<DataFile>) {
    let mut exports = Vec::new();
    let pages = pages
        .into_iter()
        .filter(|page| match page {
            Page::Data(file) => {
                exports.push(*file);
                false
            }
            _ => true,
        })
        .collect();
    (pages, exports)
}

/// Every part of the `/data/` exports: the yearly statements and the tables
/// come in parts of a bounded number of rows.
fn export_parts(renderer: &Renderer, exports: &[DataFile]) -> Vec<(DataFile, usize)> {
    (exports.iter())
        .flat_map(|&file| (0..renderer.parts(&Page::Data(file))).map(move |part| (file, part)))
        .collect()
}

/// Writes the `/data/` exports straight into their files, in parallel, a
/// step of `steps` each.
fn stream_exports(
    renderer: &Renderer,
    staging: &Staging,
    parts: &[(DataFile, usize)],
    steps: &Steps,
) -> Result<Rendered, Diagnostics> {
    let results = parts
        .par_iter()
        .map(|&(file, part)| {
            let page = Page::Data(file);
            let path = renderer.output_path(&page, part);
            let started = std::time::Instant::now();
            let bytes = staging
                .stream(&path, |out| renderer.write_data(file, part, out))
                .map_err(|e| io_error(Path::new(&path), "write the export", &e))?;
            let cost = PageCost {
                files: 1,
                render: started.elapsed(),
                bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
            };
            steps.advance();
            Ok((path, page.kind(), cost))
        })
        .collect();
    Rendered::gather(results)
}

/// What [`render_pages`] did.
#[derive(Default)]
struct Rendered {
    /// Output paths, in the order of the targets.
    paths: Vec<String>,
    /// Each file's kind and cost, in the same order.
    costs: Vec<(&'static str, PageCost)>,
}

impl Rendered {
    /// Each file's output path, kind and cost, or every error together.
    fn gather(
        results: Vec<Result<(String, &'static str, PageCost), Diagnostics>>,
    ) -> Result<Rendered, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut rendered = Rendered::default();
        for result in results {
            match result {
                Ok((path, kind, cost)) => {
                    rendered.paths.push(path);
                    rendered.costs.push((kind, cost));
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        diagnostics.into_result()?;
        Ok(rendered)
    }
}

/// Reads every file of `area`: its text, or why it could not be read.
fn read_area(
    root: &Path,
    files: &SiteFiles,
    area: Area,
) -> BTreeMap<PathBuf, Result<TextFile, Diagnostics>> {
    (files.of(area).iter())
        .map(|path| (path.clone(), read_file(root, path)))
        .collect()
}

/// The interface in `config`'s language, with the site's file for it from
/// `i18n/` if there is one, and what is wrong with that file.
fn interface(
    config: &Config,
    i18n: &BTreeMap<PathBuf, Result<TextFile, Diagnostics>>,
) -> (Arc<Ui>, Diagnostics) {
    let file_of = |path: &PathBuf| match i18n.get(path) {
        Some(Ok(file)) => Some((file.path.as_path(), file.text.as_str())),
        _ => None,
    };
    let path = crate::i18n::site_path(&config.language);
    let (ui, mut found) = Ui::new(&config.language, file_of(&path));
    let mut used = vec![path.clone()];
    let mut others = BTreeMap::new();
    for code in config.languages.keys() {
        let path = crate::i18n::site_path(code);
        let (other, problems) = Ui::new(code, file_of(&path));
        found.extend(problems);
        others.insert(code.clone(), Arc::new(other));
        used.push(path);
    }
    let ui = ui.with_others(others);
    // A file of a language the site does not have is unused: most likely
    // a tag spelt otherwise than in annals.yaml (`pt-br`, `pt-BR`).
    for unused in i18n.keys().filter(|other| !used.contains(other)) {
        found.push(
            Diagnostic::warning(
                unused,
                format!("not used: the site's language is `{}`", config.language),
            )
            .with_hint(format!(
                "the strings of the site's language are read from {}",
                path.display()
            )),
        );
    }
    (Arc::new(ui), found)
}

/// Reads `annals.yaml` through the loader, applying the `--base-url` and
/// `--host` overrides.
fn load_config(root: &Path, options: &BuildOptions) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    if path
        .symlink_metadata()
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        // `annals.yml` is what many tools would take.
        let hint = match root.join("annals.yml").is_file() {
            true => format!("rename annals.yml to {CONFIG_FILE}: annals reads that name only"),
            false => "run annals in a site directory, pass --root DIR, or create a site with `annals init DIR`".to_owned(),
        };
        return Err(
            Diagnostic::error(&path, format!("{} has no {CONFIG_FILE}", root.display()))
                .with_hint(hint)
                .into(),
        );
    }
    let file = content::read_checked(root, Path::new(CONFIG_FILE))?;
    let mut config = Config::parse(&file.text)?;
    if let Some(host) = options.host {
        config.host = host;
    }
    match options.base_url.as_deref() {
        Some(url) => config.with_base_url(url),
        None => Ok(config),
    }
}
