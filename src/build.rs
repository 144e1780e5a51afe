//! `build`: the whole pipeline, load → parse → index → render → write, as a
//! [`Session`] that can also apply file changes incrementally. `annals build`,
//! `watch` and `serve` all go through it.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, Article, Content, LoadOptions, Person, SiteFiles, TextFile};
use crate::diagnostic::{Diagnostic, Diagnostics, io_error};
use crate::index::Index;
use crate::output::{self, Staging};
use crate::render::{ASSETS, DataFile, Page, Renderer};
use crate::search;
use crate::timings::{PageCost, Timings};

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
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Time and memory by stage and cost by page kind (full builds only).
    pub timings: Timings,
}

/// A file that changed on disk, by what it is to the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    Config,
    /// Paths relative to the site root.
    Article(PathBuf),
    Person(PathBuf),
    Template(PathBuf),
    Static(PathBuf),
}

/// Builds the site once. On any error the previous output is left untouched
/// and every problem found is returned together.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    Session::open(options.clone())?.build_all()
}

/// A site loaded in memory, kept between rebuilds by `watch` and `serve`.
pub struct Session {
    options: BuildOptions,
    config: Config,
    output: PathBuf,
    files: SiteFiles,
    content: Content,
    /// Output paths of the pages of the last good build; `None` after a
    /// failure, so the next build renders everything again.
    last_pages: Option<BTreeSet<String>>,
    /// Content changed since the search index was written: incremental
    /// rebuilds leave the index to [`Session::start_search`], so an edit
    /// shows without waiting for the whole archive to be re-indexed.
    search_stale: bool,
    /// The model and index of the last good build, kept so an edit that
    /// cannot move anything in the index (prose, titles, a template) reuses
    /// them instead of assembling 10,000 articles again.
    model: Option<(content::Site, Index)>,
    /// Stages timed so far for the next full build's report.
    timings: Timings,
}

impl Session {
    /// Reads and parses the site. Fails only when there is no usable
    /// configuration; content errors surface when building.
    pub fn open(options: BuildOptions) -> Result<Session, Diagnostics> {
        let mut timings = Timings::start();
        let root = &options.root;
        let config = load_config(root, options.base_url.as_deref())?;
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| config.output_dir(root));
        output::check_output_dir(root, &output)?;
        let files = content::read_site(root)?;
        let articles = content::read_files(root, &files.articles);
        let content = Content::parse(&files.people, articles, config.markdown.raw_html);
        timings.stage("read and parse");
        Ok(Session {
            options,
            config,
            output,
            files,
            content,
            last_pages: None,
            search_stale: false,
            model: None,
            timings,
        })
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Renders every page into a staging directory and swaps it in.
    pub fn build_all(&mut self) -> Result<BuildReport, Diagnostics> {
        self.last_pages = None;
        self.model = None;
        self.search_stale = false;
        let mut timings = std::mem::replace(&mut self.timings, Timings::start());
        let site = self
            .content
            .site(self.config.clone(), self.load_options())?;
        timings.stage("assemble");
        let index = Index::new(&site);
        timings.stage("index");
        let renderer = Renderer::new(&site, &index, &self.files.templates)?;
        let pages = renderer.pages();
        timings.stage("templates");
        if self.options.strict {
            warnings(&self.options.root, &site, &index, &renderer)
                .strict()
                .into_result()?;
            timings.stage("check warnings");
        }
        let staging = Staging::begin(&self.output)?;
        // The exports stream to their files beside the page rendering (they
        // are too big to hold); the search index is built meanwhile too.
        let (pages, exports): (Vec<Page>, Vec<DataFile>) = split_exports(pages);
        let (rendered, ((search, searching), exported)) = rayon::join(
            || {
                render_pages(&renderer, &all_parts(&renderer, &pages), |path, html| {
                    staging.write(path, html)
                })
            },
            || {
                rayon::join(
                    || {
                        let started = std::time::Instant::now();
                        (search::files(&site), started.elapsed())
                    },
                    || stream_exports(&renderer, &staging, &exports),
                )
            },
        );
        timings.stage("render and write pages");
        timings.alongside("  of which search index, alongside", searching);
        let Rendered {
            paths: mut rendered,
            costs,
        } = rendered?;
        let exported = exported?;
        rendered.extend(exported.paths);
        for (kind, cost) in costs.into_iter().chain(exported.costs) {
            timings.add_page(kind, cost);
        }
        let search_files: Vec<std::io::Result<()>> = search
            .par_iter()
            .map(|(path, bytes)| staging.write(path, bytes))
            .collect();
        for ((path, _), result) in search.iter().zip(search_files) {
            result.map_err(|e| io_error(&self.output.join(path), "write", &e))?;
        }
        let page_paths: HashSet<&str> = rendered.iter().map(String::as_str).collect();
        let root = &self.options.root;
        let static_files =
            staging.copy_tree(root, &root.join("static"), |p| page_paths.contains(p))?;
        for (path, bytes) in ASSETS {
            if !static_files.iter().any(|copied| copied == path) {
                staging
                    .write(path, bytes)
                    .map_err(|e| io_error(&self.output.join(path), "write", &e))?;
            }
        }
        timings.stage("write search index and static files");
        staging.commit()?;
        timings.stage("swap in the output");
        let mut generated: BTreeSet<String> = rendered.iter().cloned().collect();
        generated.extend(search.into_iter().map(|(path, _)| path));
        self.last_pages = Some(generated);
        drop(renderer);
        self.model = Some((site, index));
        Ok(BuildReport {
            output: self.output.clone(),
            pages: rendered.len(),
            written: rendered,
            static_files: static_files.len(),
            warnings: Diagnostics::default(),
            timings,
        })
    }

    /// Applies changed files and rewrites only the output they affect.
    pub fn apply(&mut self, changes: &BTreeSet<Change>) -> Result<BuildReport, Diagnostics> {
        if changes.contains(&Change::Config) {
            let config = load_config(&self.options.root, self.options.base_url.as_deref())?;
            if config.markdown != self.config.markdown {
                let articles = content::read_files(&self.options.root, &self.files.articles);
                self.content =
                    Content::parse(&self.files.people, articles, config.markdown.raw_html);
            }
            self.config = config;
            self.last_pages = None;
        }
        let mut scope = Scope::default();
        for change in changes {
            self.reload(change, &mut scope)?;
        }
        let (site, index, reused) = match self.model.take().and_then(|m| self.reuse(m, &scope)) {
            Some((site, index)) => (site, index, true),
            None => match self.content.site(self.config.clone(), self.load_options()) {
                Ok(site) => {
                    let index = Index::new(&site);
                    (site, index, false)
                }
                Err(diagnostics) => {
                    self.last_pages = None;
                    return Err(diagnostics);
                }
            },
        };
        let renderer = Renderer::new(&site, &index, &self.files.templates)
            .inspect_err(|_| self.last_pages = None)?;
        let all_pages = renderer.pages();
        let selected: Vec<Page> = match (&self.last_pages, scope.everything) {
            (Some(_), false) => scope.pages(&site, &index, &all_pages),
            _ => all_pages.clone(),
        };
        // With the index as it was and only articles edited, a long list
        // changed only on the parts that show them.
        let edited: Option<Vec<usize>> =
            (reused && !scope.everything && scope.templates.is_empty() && scope.people.is_empty())
                .then(|| {
                    (0..site.articles.len())
                        .filter(|&a| scope.article_files.contains(&site.articles[a].file))
                        .collect()
                });
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
        let mut written = Vec::new();
        let output = &self.output;
        let changed = std::sync::Mutex::new(Vec::new());
        render_pages(&renderer, &targets, |path, html| {
            if output::write_if_changed(output, path, html)? {
                changed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(path.to_owned());
            }
            Ok(())
        })
        .inspect_err(|_| self.last_pages = None)?;
        written.extend(changed.into_inner().unwrap_or_else(|e| e.into_inner()));
        let mut now: BTreeSet<String> = all_pages
            .iter()
            .flat_map(|p| renderer.parts_of(p))
            .map(|(page, part)| renderer.output_path(page, part))
            .collect();
        // The index's files stay until a `SearchJob` replaces them.
        now.extend(
            self.last_pages
                .iter()
                .flatten()
                .filter(|p| search::owns(p))
                .cloned(),
        );
        self.search_stale |= scope.changes_content();
        if let Some(before) = &self.last_pages {
            for gone in before.difference(&now) {
                output::remove(output, gone)
                    .map_err(|e| io_error(&output.join(gone), "remove the old page", &e))?;
                written.push(gone.clone());
            }
        }
        written.extend(self.sync_static(&scope.static_files, &now)?);
        written.sort();
        self.last_pages = Some(now);
        let pages = targets.len();
        drop(renderer);
        self.model = Some((site, index));
        Ok(BuildReport {
            output: self.output.clone(),
            pages,
            written,
            static_files: scope.static_files.len(),
            warnings: Diagnostics::default(),
            timings: Timings::default(),
        })
    }

    /// The last model with the changed articles swapped in, when the changes
    /// leave every position the index holds as it was: same people, and each
    /// changed article keeps its date, slug, statements, sources and terms.
    fn reuse(
        &self,
        model: (content::Site, Index),
        scope: &Scope,
    ) -> Option<(content::Site, Index)> {
        if scope.everything || scope.people.iter().any(|(_, _, elsewhere)| *elsewhere) {
            return None;
        }
        let (mut site, index) = model;
        for (id, path, _) in &scope.people {
            let person = self.content.clean_person(path)?;
            site.people.insert(id.clone(), person.clone());
        }
        for path in &scope.article_files {
            let before = scope.articles_before.iter().find(|a| &a.file == path)?;
            let after = self.content.clean_article(path)?;
            let same_place = (&before.date, &before.slug, before.draft)
                == (&after.date, &after.slug, after.draft)
                && before.statements == after.statements
                && before.sources == after.sources
                && (&before.topics, &before.places) == (&after.topics, &after.places);
            if !same_place {
                return None;
            }
            if let Some(slot) = site.articles.iter_mut().find(|a| &a.file == path) {
                *slot = Arc::clone(after);
            }
        }
        Some((site, index))
    }

    /// Whether the search index lags behind the last good build.
    pub fn search_pending(&self) -> bool {
        self.search_stale && self.model.is_some()
    }

    /// A snapshot of the current content to re-index for search, off the
    /// watcher's thread; hand its result to [`Session::finish_search`].
    /// `None` while the last rebuild failed: the index waits for the fix.
    pub fn start_search(&mut self) -> Option<SearchJob> {
        let (site, _) = self.model.as_ref()?;
        self.search_stale = false;
        Some(SearchJob {
            site: site.clone(),
            output: self.output.clone(),
        })
    }

    /// Records the index files a finished [`SearchJob`] left.
    pub fn finish_search(&mut self, update: &SearchUpdate) {
        if let Some(last) = &mut self.last_pages {
            last.retain(|p| !search::owns(p));
            last.extend(update.files.iter().cloned());
        }
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.options.drafts,
        }
    }

    /// Re-reads one changed file into the session and widens `scope`.
    fn reload(&mut self, change: &Change, scope: &mut Scope) -> Result<(), Diagnostics> {
        let root = self.options.root.clone();
        match change {
            Change::Config => scope.everything = true,
            Change::Article(path) => {
                if let Some(old) = self.content.article(path) {
                    scope.articles_before.push(Arc::clone(old));
                }
                let file = read_if_exists(&root, path)?;
                let listed = file.as_ref().map(|_| path.clone());
                replace_sorted(&mut self.files.articles, |p| p, path, listed);
                self.content.set_article(path, file);
                scope.article_files.push(path.clone());
            }
            Change::Person(path) => {
                let before = self.content.person(path).cloned();
                let file = read_if_exists(&root, path)?;
                replace_sorted(&mut self.files.people, |f| &f.path, path, file.clone());
                if self.content.set_person(path, file.as_ref()) {
                    let articles = content::read_files(&root, &self.files.articles);
                    self.content.reparse_articles(articles);
                    scope.everything = true;
                }
                let after = self.content.person(path);
                let shown_elsewhere = before.as_ref().map(Person::shown_elsewhere)
                    != after.map(Person::shown_elsewhere);
                scope
                    .people
                    .push((content::person_id(path), path.clone(), shown_elsewhere));
            }
            Change::Template(path) => {
                let file = read_if_exists(&root, path)?;
                replace_sorted(&mut self.files.templates, |f| &f.path, path, file);
                match page_template_used_alone(path, &self.files.templates) {
                    Some(name) => scope.templates.push(name),
                    None => scope.everything = true,
                }
            }
            Change::Static(path) => scope.static_files.push(path.clone()),
        }
        Ok(())
    }

    /// Copies changed static files (or removes deleted ones) alone.
    fn sync_static(
        &self,
        changed: &[PathBuf],
        pages: &BTreeSet<String>,
    ) -> Result<Vec<String>, Diagnostics> {
        let root = &self.options.root;
        let mut written = Vec::new();
        for path in changed {
            let Ok(inside) = path.strip_prefix("static") else {
                continue;
            };
            let relative = inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if pages.contains(&relative) {
                return Err(output::static_replaces_page(path, &relative).into());
            }
            let built_in = ASSETS
                .iter()
                .find(|(name, _)| *name == relative)
                .map(|(_, bytes)| bytes.to_vec());
            let bytes = match std::fs::read(root.join(path)) {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => built_in,
                Err(e) => return Err(io_error(path, "read the static file", &e).into()),
            };
            let result = match bytes {
                Some(bytes) => output::write_if_changed(&self.output, &relative, &bytes),
                None => output::remove(&self.output, &relative).map(|()| true),
            };
            if result.map_err(|e| io_error(&self.output.join(&relative), "update", &e))? {
                written.push(relative);
            }
        }
        Ok(written)
    }
}

/// Re-indexing a snapshot of the site for search (see [`Session::start_search`]).
pub struct SearchJob {
    site: content::Site,
    output: PathBuf,
}

/// What a [`SearchJob`] did.
pub struct SearchUpdate {
    /// Every file of the index now.
    pub files: BTreeSet<String>,
    pub report: BuildReport,
}

impl SearchJob {
    /// Writes the index's changed files and removes the ones it no longer has.
    pub fn run(self) -> Result<SearchUpdate, Diagnostics> {
        let output = &self.output;
        let index = search::files(&self.site);
        let mut written = Vec::new();
        for (path, bytes) in &index {
            if output::write_if_changed(output, path, bytes)
                .map_err(|e| io_error(&output.join(path), "write", &e))?
            {
                written.push(path.clone());
            }
        }
        let files: BTreeSet<String> = index.into_iter().map(|(path, _)| path).collect();
        // What is on disk, rather than what the session remembers: after a
        // failed rebuild it forgets its files.
        let before: BTreeSet<String> = walkdir::WalkDir::new(output.join(search::DIR))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(output)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        for gone in before.difference(&files) {
            output::remove(output, gone).map_err(|e| io_error(&output.join(gone), "remove", &e))?;
            written.push(gone.clone());
        }
        written.sort();
        Ok(SearchUpdate {
            files,
            report: BuildReport {
                output: self.output,
                pages: 0,
                written,
                static_files: 0,
                warnings: Diagnostics::default(),
                timings: Timings::default(),
            },
        })
    }
}

/// What a set of changes touches, gathered before the new site is assembled.
#[derive(Default)]
struct Scope {
    everything: bool,
    /// Versions of changed articles before the change.
    articles_before: Vec<Arc<Article>>,
    article_files: Vec<PathBuf>,
    /// Changed people (id, file), and whether what other pages show of
    /// them changed (see `Person::shown_elsewhere`).
    people: Vec<(String, PathBuf, bool)>,
    /// Page templates changed, by name (e.g. `person.html`).
    templates: Vec<String>,
    static_files: Vec<PathBuf>,
}

impl Scope {
    /// Whether the changes can alter what the search index holds (a
    /// person's bio is not in it; their name is).
    fn changes_content(&self) -> bool {
        self.everything
            || !self.article_files.is_empty()
            || self
                .people
                .iter()
                .any(|(_, _, shown_elsewhere)| *shown_elsewhere)
    }

    /// The pages that show anything the changes touched (the dependency map).
    fn pages(&self, site: &content::Site, index: &Index, all: &[Page]) -> Vec<Page> {
        let mut pages = BTreeSet::new();
        let changed = site
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| self.article_files.contains(&a.file));
        pages.extend(changed.map(|(position, _)| Page::Article(position)));
        for path in &self.article_files {
            let before = self
                .articles_before
                .iter()
                .find(|a| &a.file == path)
                .map(|a| &**a);
            let after = site.articles.iter().find(|a| &a.file == path).map(|a| &**a);
            pages.extend(pages_showing_changes(before, after));
        }
        for (id, _, shown_elsewhere) in &self.people {
            pages.insert(Page::Person(id.clone()));
            if !shown_elsewhere {
                continue;
            }
            pages.extend([
                Page::People,
                Page::Home,
                Page::PersonFeed(id.clone()),
                Page::Sitemap,
            ]);
            pages.extend(
                [
                    DataFile::StatementsJson,
                    DataFile::StatementsCsv,
                    DataFile::People,
                ]
                .map(Page::Data),
            );
            for reference in index.by_person.get(id).into_iter().flatten() {
                pages.insert(Page::Article(reference.article));
                pages.insert(Page::Year(
                    crate::index::statement(site, *reference).date.year(),
                ));
            }
        }
        if !self.templates.is_empty() {
            pages.extend(
                all.iter()
                    .filter(|p| {
                        self.templates
                            .iter()
                            .any(|t| p.template() == Some(t.as_str()))
                    })
                    .cloned(),
            );
        }
        all.iter()
            .filter(|page| pages.contains(page))
            .cloned()
            .collect()
    }
}

/// The pages, other than the article's own, that show a part of it that
/// differs between two versions (`None`: the article did not exist then).
fn pages_showing_changes(before: Option<&Article>, after: Option<&Article>) -> BTreeSet<Page> {
    use crate::render::Taxonomy::{Places, Topics};
    let versions: Vec<&Article> = before.into_iter().chain(after).collect();
    let same = |f: fn(&Article, &Article) -> bool| matches!((before, after), (Some(b), Some(a)) if f(b, a));
    // What lists show of an article: title, dates, summary.
    let listed = !same(|b, a| {
        (&b.slug, &b.title, &b.date, &b.updated, &b.summary)
            == (&a.slug, &a.title, &a.date, &a.updated, &a.summary)
    });
    let said = !same(|b, a| b.statements == a.statements && b.sources == a.sources);
    let cited = !same(|b, a| b.sources == a.sources);
    let filed = !same(|b, a| b.topics == a.topics && b.places == a.places);

    let mut pages = BTreeSet::new();
    for article in versions {
        let people = || {
            article
                .statements
                .iter()
                .map(|s| Page::Person(s.person.clone()))
        };
        let publishers = || {
            article
                .sources
                .iter()
                .map(|s| Page::Publisher(s.publisher.slug.clone()))
        };
        let terms = || {
            let topics = article
                .topics
                .iter()
                .map(|t| Page::Term(Topics, t.slug.clone()));
            topics.chain(
                article
                    .places
                    .iter()
                    .map(|p| Page::Term(Places, p.slug.clone())),
            )
        };
        if listed || said {
            let exports = [
                DataFile::StatementsJson,
                DataFile::StatementsCsv,
                DataFile::People,
            ];
            pages.extend(exports.map(Page::Data));
            pages.extend(
                article
                    .statements
                    .iter()
                    .map(|s| Page::PersonFeed(s.person.clone())),
            );
        }
        if listed || cited {
            pages.insert(Page::Data(DataFile::Sources));
        }
        if listed {
            pages.extend([Page::Feed, Page::Sitemap]);
            // Person, publisher and source pages name the article too.
            pages.extend([
                Page::Home,
                Page::Timeline,
                Page::Sources,
                Page::Year(article.date.year()),
            ]);
            pages.extend(terms().chain(people()).chain(publishers()));
        }
        if said {
            pages.extend([Page::Home, Page::People]);
            pages.extend(people());
            pages.extend(article.statements.iter().map(|s| Page::Year(s.date.year())));
        }
        if cited {
            pages.extend([Page::Home, Page::Sources]);
            pages.extend(publishers());
        }
        if filed {
            pages.extend([Page::Terms(Topics), Page::Terms(Places)]);
            pages.extend(terms());
        }
    }
    pages
}

/// The page template a changed file is, if no other template includes or
/// extends it (then only the pages using it need rendering).
fn page_template_used_alone(path: &Path, templates: &[TextFile]) -> Option<String> {
    let name = path
        .strip_prefix(content::TEMPLATES_DIR)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    let is_page_template = Page::TEMPLATES.contains(&name.as_str());
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    let referenced = templates
        .iter()
        .any(|t| quoted.iter().any(|q| t.text.contains(q.as_str())))
        || crate::render::built_in_references(&name);
    (is_page_template && !referenced).then_some(name)
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

/// Writes the `/data/` exports straight into their files, in parallel.
fn stream_exports(
    renderer: &Renderer,
    staging: &Staging,
    exports: &[DataFile],
) -> Result<Rendered, Diagnostics> {
    let results = exports
        .par_iter()
        .map(|&file| {
            let page = Page::Data(file);
            let path = renderer.output_path(&page, 0);
            let started = std::time::Instant::now();
            let bytes = staging
                .stream(&path, |out| renderer.write_data(file, out))
                .map_err(|e| io_error(Path::new(&path), "write the export", &e))?;
            let cost = PageCost {
                files: 1,
                render: started.elapsed(),
                bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
            };
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

fn read_if_exists(root: &Path, path: &Path) -> Result<Option<TextFile>, Diagnostics> {
    match std::fs::read(root.join(path)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(TextFile {
                path: path.to_path_buf(),
                text,
            })),
            Err(_) => Err(Diagnostic::error(path, "the file is not valid UTF-8")
                .with_hint("save the file as UTF-8 in your editor")
                .into()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, "read the file", &e).into()),
    }
}

/// Replaces (or inserts, or removes) the item for `path` in `items`, kept
/// sorted by path.
fn replace_sorted<T>(
    items: &mut Vec<T>,
    path_of: impl Fn(&T) -> &PathBuf,
    path: &Path,
    item: Option<T>,
) {
    items.retain(|i| path_of(i) != path);
    if let Some(item) = item {
        let at = items.partition_point(|i| path_of(i).as_path() < path);
        items.insert(at, item);
    }
}

/// `annals check`: every error and warning of the site, without writing
/// anything. Every page is rendered (in memory) so template errors show too.
pub fn check(options: &BuildOptions) -> Diagnostics {
    let root = &options.root;
    let result = (|| {
        let config = load_config(root, options.base_url.as_deref())?;
        // Where `build` would write, checked as `build` checks it.
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| config.output_dir(root));
        let refused = output::check_output_dir(root, &output).err();
        let files = content::read_site(root)?;
        let articles = content::read_files(root, &files.articles);
        let raw_html = config.markdown.raw_html;
        let site = Content::parse(&files.people, articles, raw_html).site(
            config,
            LoadOptions {
                drafts: options.drafts,
            },
        )?;
        let index = Index::new(&site);
        let renderer = Renderer::new(&site, &index, &files.templates)?;
        let pages = renderer.pages();
        let pages: HashSet<String> =
            render_pages(&renderer, &all_parts(&renderer, &pages), |_, _| Ok(()))?
                .paths
                .into_iter()
                .collect();
        let mut found = refused.unwrap_or_default();
        found.extend(refused_static_files(&options.root, &pages));
        found.extend(warnings(&options.root, &site, &index, &renderer));
        Ok::<_, Diagnostics>(found)
    })();
    let diagnostics = result
        .unwrap_or_else(|errors| errors)
        .with_snippets(|path| std::fs::read_to_string(root.join(path)).ok());
    let diagnostics = if options.strict {
        diagnostics.strict()
    } else {
        diagnostics
    };
    diagnostics.sorted()
}

/// Static files `build` refuses while copying (links leaving the site, files
/// at a page's output path), found here for `check`, which copies nothing.
fn refused_static_files(root: &Path, pages: &HashSet<String>) -> Diagnostics {
    let dir = root.join("static");
    let mut found = Diagnostics::default();
    let entries = walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.path_is_symlink() && !output::inside(root, path) {
            found.push(output::static_link_leaves_site(&content::relative(
                root, path,
            )));
            continue;
        }
        let Ok(inside) = path.strip_prefix(&dir) else {
            continue;
        };
        let relative = inside.to_string_lossy().replace('\\', "/");
        if path.is_file() && pages.contains(&relative) {
            found.push(output::static_replaces_page(
                &content::relative(root, path),
                &relative,
            ));
        }
    }
    found
}

/// The site's warnings; links in bodies are checked against every page and
/// every file of `static/`.
fn warnings(root: &Path, site: &content::Site, index: &Index, renderer: &Renderer) -> Diagnostics {
    let base = site.config.base_path();
    let mut targets: HashSet<String> = renderer
        .pages()
        .iter()
        .flat_map(|p| renderer.parts_of(p))
        .map(|(page, part)| renderer.part_url(page, part))
        .collect();
    targets.extend(ASSETS.iter().map(|(path, _)| format!("{base}{path}")));
    let static_dir = root.join("static");
    for entry in walkdir::WalkDir::new(&static_dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if let Ok(inside) = entry.path().strip_prefix(&static_dir) {
            targets.insert(format!(
                "{base}{}",
                inside.to_string_lossy().replace('\\', "/")
            ));
        }
    }
    let is_page = |path: &str| targets.contains(path) || targets.contains(&format!("{path}/"));
    crate::audit::warnings(site, index, &is_page)
}

/// Reads `annals.yaml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        let diagnostic = if error.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::error(&path, format!("{} has no {CONFIG_FILE}", root.display()))
                .with_hint("run annals in a site directory, pass --root DIR, or create a site with `annals init DIR`")
        } else {
            io_error(&path, "read the site configuration", &error)
        };
        Diagnostics::from(diagnostic)
    })?;
    let config = Config::parse(&text)?;
    match base_url {
        Some(url) => config.with_base_url(url),
        None => Ok(config),
    }
}
