//! The addresses a page of `content/pages/` may not take. A page sits at
//! the top of the site (`/about/`), where annals writes its own sections,
//! feeds and index, where `static/` puts its folders, and where old
//! addresses are redirected or withdrawn. What annals writes is read from
//! the renderer's own pages, so a section added to annals is reserved the
//! day it is added, with no list to keep.

use std::collections::BTreeMap;

use super::{RESERVED_DIRS, StaticSource};
use crate::addresses;
use crate::config::{CONFIG_FILE, Withdrawn};
use crate::content::{Site, SitePage};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Page, Renderer};

/// Why a top-level name is taken, for a message.
enum Taken {
    /// By the pages or files annals writes there (`/people/`, `/atom.xml`).
    Generated(String),
    /// By a file or folder of `static/`.
    Static(String),
}

/// An error for each page whose address annals, `static/`, a redirect or
/// a withdrawal already uses. `pages` are the renderer's, before redirects.
pub(super) fn page_collisions(
    site: &Site,
    renderer: &Renderer,
    pages: &[Page],
    statics: &BTreeMap<String, StaticSource>,
) -> Diagnostics {
    let mut found = Diagnostics::default();
    if site.pages.is_empty() {
        return found;
    }
    let taken = top_level_names(renderer, pages, statics);
    let old = old_addresses(site);
    for page in &site.pages {
        let address = format!("/{}/", page.slug);
        let problem = match (taken.get(page.slug.as_str()), old.get(addresses::key(&address))) {
            (Some(Taken::Generated(what)), _) => (
                format!("page address `{address}` is taken by {what}"),
                "give the page another file name or `slug:`; annals keeps the top-level addresses of its own sections, feeds and index".to_owned(),
            ),
            (Some(Taken::Static(what)), _) => (
                format!("page address `{address}` is taken by {what}"),
                format!("give the page another file name or `slug:`, or move {what}"),
            ),
            (None, Some(declared)) => declared.problem(&address),
            (None, None) => continue,
        };
        found.push(at_slug(page, problem));
    }
    found
}

/// The diagnostic on `page`, at its `slug:` line when it has one (else its
/// file's name is the address).
fn at_slug(page: &SitePage, (message, hint): (String, String)) -> Diagnostic {
    let diagnostic = Diagnostic::error(&page.file, message).with_hint(hint);
    match page.slug_line {
        0 => diagnostic,
        line => diagnostic.at_line(line),
    }
}

/// The first segment of every path annals writes but the pages of
/// `content/pages/`, old addresses and withdrawal notices (which hold only
/// their own address: see [`old_addresses`]), with what holds it.
fn top_level_names(
    renderer: &Renderer,
    pages: &[Page],
    statics: &BTreeMap<String, StaticSource>,
) -> BTreeMap<String, Taken> {
    let mut taken = BTreeMap::new();
    for dir in RESERVED_DIRS {
        let what = format!("the folder /{dir}/, which annals writes whole");
        taken.insert((*dir).to_owned(), Taken::Generated(what));
    }
    let generated = pages
        .iter()
        .filter(|page| {
            !matches!(
                page,
                Page::Standalone(_) | Page::Redirect(_) | Page::Withdrawn(_)
            )
        })
        .flat_map(|page| written_paths(renderer, page));
    for path in generated {
        let (name, what) = match path.split_once('/') {
            Some((name, _)) => (name.to_owned(), format!("annals' own pages under /{name}/")),
            None => (path.clone(), format!("annals' own file /{path}")),
        };
        taken.entry(name).or_insert(Taken::Generated(what));
    }
    for (out, source) in statics {
        let name = out.split('/').next().unwrap_or(out).to_owned();
        let what = match source {
            StaticSource::File(_) => Taken::Static(format!("static/{name}")),
            StaticSource::BuiltIn(_) => Taken::Generated(format!("annals' own file /{out}")),
        };
        taken.entry(name).or_insert(what);
    }
    taken
}

/// Where `page` writes: its first part, and its second as a list would
/// continue (`/page/2/` after the home page), which a short list does not
/// write yet but a longer one will.
fn written_paths(renderer: &Renderer, page: &Page) -> Vec<String> {
    let mut paths = vec![renderer.output_path(page, 0)];
    if page.is_html() && renderer.url_of(page).ends_with('/') {
        paths.push(renderer.output_path(page, 1));
    }
    paths
}

/// An old address the site declares, and where.
struct Declared {
    redirected: bool,
    file: std::path::PathBuf,
    line: usize,
}

impl Declared {
    fn problem(&self, address: &str) -> (String, String) {
        let at = match self.line {
            0 => self.file.display().to_string(),
            line => format!("{}:{line}", self.file.display()),
        };
        match self.redirected {
            true => (
                format!("page address `{address}` is an old address, redirected at {at}"),
                "if this page replaces what was there, remove the redirect; else give the page another file name or `slug:`".to_owned(),
            ),
            false => (
                format!("page address `{address}` was withdrawn, at {at}"),
                "if this page brings it back, remove the `withdrawn:` entry; else give the page another file name or `slug:`".to_owned(),
            ),
        }
    }
}

/// Every redirected or withdrawn address of the site, by its
/// [`addresses::key`].
fn old_addresses(site: &Site) -> BTreeMap<String, Declared> {
    let mut old = BTreeMap::new();
    for (path, file, line) in addresses::old_paths(site) {
        let declared = Declared {
            redirected: true,
            file,
            line,
        };
        old.entry(addresses::key(&path).to_owned())
            .or_insert(declared);
    }
    for withdrawal in &site.config.withdrawn {
        if let Withdrawn::Page(path) = &withdrawal.what {
            let declared = Declared {
                redirected: false,
                file: CONFIG_FILE.into(),
                line: withdrawal.line,
            };
            old.entry(addresses::key(path).to_owned())
                .or_insert(declared);
        }
    }
    old
}
