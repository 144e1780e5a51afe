//! The addresses a page of `content/pages/` may not take. A page sits at
//! the top of the site (`/about/`), where annals writes its own sections,
//! feeds and index, where `static/` puts its folders, and where old
//! addresses are redirected or withdrawn. What annals writes is read from
//! the addresses of the renderer's own pages, so a section added to annals
//! is reserved the day it is added, with no list to keep.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{RESERVED_DIRS, StaticSource, site_root_path};
use crate::addresses;
use crate::config::{CONFIG_FILE, Withdrawn};
use crate::content::{Site, SitePage};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Page, Renderer};

/// An error for each page whose address annals, `static/`, a redirect or
/// a withdrawal already uses. `live` holds the address from the site root
/// of every page and file the build writes but the pages of
/// `content/pages/`, redirects and withdrawal notices.
pub(super) fn page_collisions(
    site: &Site,
    renderer: &Renderer,
    live: &BTreeSet<String>,
    statics: &BTreeMap<String, StaticSource>,
) -> Diagnostics {
    let mut found = Diagnostics::default();
    if site.pages.is_empty() {
        return found;
    }
    // The home page lists every article: as the archive grows, its list
    // goes on at `/page/2/`, which this build may not write yet.
    let base = site.config.base_path();
    let home_goes_on = site_root_path(base, &renderer.part_url(&Page::Home, 1));
    let old = old_addresses(site);
    for page in &site.pages {
        let slug = page.slug.as_str();
        let address = format!("/{slug}/");
        let problem = if let Some(what) = static_holding(statics, slug) {
            (
                format!("page address `{address}` is taken by {what}"),
                format!("give the page another file name or `slug:`, or move {what}"),
            )
        } else if let Some(what) = generated_under(live, &home_goes_on, slug) {
            (
                format!("page address `{address}` is taken by {what}"),
                "give the page another file name or `slug:`: annals keeps the top-level addresses of its own sections, feeds and index".to_owned(),
            )
        } else if let Some(declared) = old.get(addresses::key(&address)) {
            declared.problem(&address)
        } else {
            continue;
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

/// The file or folder of `static/` that takes the top-level name `slug`.
fn static_holding(statics: &BTreeMap<String, StaticSource>, slug: &str) -> Option<String> {
    let folder = format!("{slug}/");
    let inside = statics.range(folder.clone()..).next();
    let inside = inside.filter(|(out, _)| out.starts_with(&folder));
    match statics.get(slug).or(inside.map(|(_, source)| source))? {
        StaticSource::File(_) => Some(format!("static/{slug}")),
        StaticSource::BuiltIn(_) => None,
    }
}

/// What annals writes at or under `/<slug>/`, named for a message: one of
/// the folders it writes whole, or any address in `live`, or where the
/// home page goes on (`home_goes_on`).
fn generated_under(live: &BTreeSet<String>, home_goes_on: &str, slug: &str) -> Option<String> {
    if RESERVED_DIRS.contains(&slug) {
        return Some(format!("the folder /{slug}/, which annals writes whole"));
    }
    let (file, folder) = (format!("/{slug}"), format!("/{slug}/"));
    let under = |address: &str| address == file || address.starts_with(&folder);
    // Addresses under the folder sort together, from the folder's own on.
    let first_inside = live.range(folder.clone()..).next();
    let taken =
        live.contains(&file) || first_inside.is_some_and(|a| under(a)) || under(home_goes_on);
    taken.then(|| format!("annals' own pages under /{slug}/"))
}

/// An old address the site declares, and where.
struct Declared {
    redirected: bool,
    file: PathBuf,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(addresses: &[&str]) -> BTreeSet<String> {
        addresses.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn a_name_is_taken_by_what_annals_writes_at_or_under_it() {
        let live = set(&[
            "/",
            "/atom.xml",
            "/people/",
            "/people/ada/",
            "/people-x/",
            "/peoples/",
        ]);
        let taken = |slug: &str| generated_under(&live, "/page/2/", slug);
        assert_eq!(
            taken("people").as_deref(),
            Some("annals' own pages under /people/")
        );
        assert_eq!(
            taken("page").as_deref(),
            Some("annals' own pages under /page/")
        );
        assert_eq!(
            taken("search-index").as_deref(),
            Some("the folder /search-index/, which annals writes whole")
        );
        for free in ["about", "peopl", "people-y", "atom"] {
            assert_eq!(taken(free), None, "{free}");
        }
    }

    #[test]
    fn a_name_is_taken_by_a_static_file_or_folder_but_not_a_built_in_asset() {
        let statics: BTreeMap<String, StaticSource> = [
            ("docs/a.txt", StaticSource::File("static/docs/a.txt".into())),
            (
                "docs-old/b.txt",
                StaticSource::File("static/docs-old/b.txt".into()),
            ),
            ("CNAME", StaticSource::File("static/CNAME".into())),
            ("notes", StaticSource::File("static/notes".into())),
            ("style", StaticSource::BuiltIn(b"")),
        ]
        .into_iter()
        .map(|(out, source)| (out.to_owned(), source))
        .collect();
        let held = |slug: &str| static_holding(&statics, slug);
        assert_eq!(held("docs").as_deref(), Some("static/docs"));
        assert_eq!(held("notes").as_deref(), Some("static/notes"));
        assert_eq!(held("doc"), None);
        assert_eq!(held("style"), None);
    }
}
