//! `annals check`: every error and warning of a site, found by the same
//! session a build uses, without writing anything.

use std::collections::HashSet;

use super::{BuildOptions, Session, all_parts, output_paths, render_pages};
use crate::content::{self, Area, SiteFiles};
use crate::diagnostic::Diagnostics;
use crate::index::Index;
use crate::output;
use crate::previous;
use crate::render::{ASSETS, Renderer};

/// Every error and warning of the site. Every page is rendered (in memory)
/// so template errors show too.
pub fn check(options: &BuildOptions) -> Diagnostics {
    let root = &options.root;
    let found = match Session::read(options.clone()) {
        Ok(session) => session.check(),
        Err(errors) => errors,
    };
    let diagnostics =
        found.with_snippets(|path| content::read_checked(root, path).ok().map(|file| file.text));
    let diagnostics = if options.strict {
        diagnostics.strict()
    } else {
        diagnostics
    };
    diagnostics.sorted()
}

impl Session {
    fn check(&self) -> Diagnostics {
        // Where `build` would write, checked as `build` checks it.
        let mut found = output::check_output_dir(self.root(), &self.output)
            .err()
            .unwrap_or_default();
        let result = (|| {
            let site = self.assemble()?;
            let index = Index::new(&site);
            let templates = self.template_files();
            let (renderer, mut found) = self.renderer(&site, &index, &templates)?;
            let pages = renderer.pages();
            render_pages(&renderer, &all_parts(&renderer, &pages), |_, _| Ok(()))?;
            found.extend(self.static_conflicts(&output_paths(&renderer, &pages)));
            found.extend(self.compare_previous(&site, &renderer));
            found.extend(warnings(&self.files, &site, &index, &renderer));
            Ok::<_, Diagnostics>(found)
        })();
        found.extend(result.unwrap_or_else(|errors| errors));
        found
    }
}

impl Session {
    /// With `--previous DIR`: an error for each address and statement id
    /// the build in DIR served that this one does not.
    pub(super) fn compare_previous(
        &self,
        site: &content::Site,
        renderer: &Renderer,
    ) -> Diagnostics {
        let Some(dir) = &self.options.previous else {
            return Diagnostics::default();
        };
        let published = match previous::read(dir) {
            Ok(published) => published,
            Err(errors) => return errors,
        };
        let rules = &renderer.redirects().rules;
        let mut serves = self.addresses(site, renderer, renderer.pages().iter());
        serves.extend(rules.keys().cloned());
        previous::compare(
            &published,
            &previous::Current {
                site,
                serves,
                redirects: rules,
            },
        )
    }
}

/// The site's warnings; links in bodies are checked against every page and
/// every file of `static/`.
pub(super) fn warnings(
    files: &SiteFiles,
    site: &content::Site,
    index: &Index,
    renderer: &Renderer,
) -> Diagnostics {
    let base = site.config.base_path();
    let mut targets: HashSet<String> = renderer
        .pages()
        .iter()
        .flat_map(|p| renderer.parts_of(p))
        .map(|(page, part)| renderer.part_url(page, part))
        .collect();
    targets.extend(ASSETS.iter().map(|(path, _)| format!("{base}{path}")));
    let statics = files.of(Area::Static).iter().map(|path| {
        let inside = path.strip_prefix(content::STATIC_DIR).unwrap_or(path);
        format!("{base}{}", content::slash_path(inside))
    });
    targets.extend(statics);
    let is_page = |path: &str| targets.contains(path) || targets.contains(&format!("{path}/"));
    crate::audit::warnings(site, index, &is_page)
}
