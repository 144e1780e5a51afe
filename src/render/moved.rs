//! What old addresses serve: a page that sends readers on at once, and
//! `_redirects`, the same as rules for static hosts that read them
//! (Netlify, Cloudflare Pages).

use tera::Context;

use super::{Renderer, templates};
use crate::diagnostic::Diagnostics;

impl Renderer<'_> {
    /// The page at old address `old`: a refresh to its target, which is also
    /// its canonical address, with a link for readers whose browser does
    /// not follow it, and out of search engines' indexes.
    pub(super) fn redirect_page(&self, old: &str) -> Result<String, Diagnostics> {
        let target = self.redirects.rules.get(old).map_or("/", String::as_str);
        let mut context = Context::new();
        context.insert("target", &self.absolute(&self.site_url(target)));
        self.tera
            .render("redirect.html", &context)
            .map_err(|error| templates::diagnostic(&error, self.site_templates).into())
    }

    /// `_redirects`: the site's own rules first (`static/_redirects`), then
    /// one `old new 301` line per redirect, both under the base_url's path.
    pub(super) fn redirect_rules(&self) -> String {
        let mut rules = self.own_rules.clone().unwrap_or_default();
        if !rules.is_empty() && !rules.ends_with('\n') {
            rules.push('\n');
        }
        for (old, target) in &self.redirects.rules {
            rules.push_str(&format!(
                "{} {} 301\n",
                self.site_url(old),
                self.site_url(target)
            ));
        }
        rules
    }

    /// A path from the site root (`/articles/x/`) under the base_url's
    /// path (`/archive/articles/x/`).
    fn site_url(&self, path: &str) -> String {
        format!("{}{}", self.urls.root, path.trim_start_matches('/'))
    }
}
