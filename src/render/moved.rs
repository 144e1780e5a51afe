//! What old addresses serve: a page that sends readers on at once, and
//! `_redirects`, the same as rules for static hosts that read them
//! (Netlify, Cloudflare Pages); or, for what was withdrawn, a notice of
//! what went, when and why.

use serde::Serialize;
use tera::Context;

use super::view::DateView;
use super::{Renderer, templates};
use crate::config::{Withdrawal, Withdrawn};
use crate::diagnostic::Diagnostics;

/// A withdrawal, as notices show it.
#[derive(Serialize)]
pub(crate) struct WithdrawalView<'a> {
    /// The page's path, or the statement's id (also its anchor).
    what: &'a str,
    /// A statement's former ids: anchors too, published before.
    former_ids: &'a [String],
    date: DateView<'a>,
    reason: &'a str,
    /// The reason's language, on another language's page.
    reason_lang: Option<&'a str>,
}

impl<'a> Renderer<'a> {
    /// The page at old address `old`: a refresh to its target, which is also
    /// its canonical address, with a link for readers whose browser does
    /// not follow it, and out of search engines' indexes. A script goes
    /// first, carrying the `#…` a refresh drops: a statement's permalink on
    /// a renamed article still opens at the statement.
    pub(super) fn redirect_page(&self, old: &str) -> Result<String, Diagnostics> {
        let target = self.redirects.rules.get(old).map_or("/", String::as_str);
        let path = self.site_url(target);
        // `target` is the canonical address, always whole; `link` what a
        // reader is sent to, relative under `relative_urls`, so that a copy
        // opened from disk stays on the disk.
        let link = match self.site.config.relative_urls {
            true => super::relative::link(&self.home.root, &self.site_url(old), &path),
            false => self.absolute(&path),
        };
        let quoted = serde_json::to_string(&link).unwrap_or_default();
        let mut context = Context::new();
        context.insert("target", &self.absolute(&path));
        context.insert("link", &link);
        context.insert("target_json", &super::structured::script_safe(&quoted));
        // An old address of a language's page (`/ar/…`) says so in it.
        let speaking = self.speaking(old).map_or(self, |(version, _)| version);
        speaking
            .tera
            .render("redirect.html", &context)
            .map_err(|error| templates::diagnostic(&error, self.site_templates).into())
    }

    /// `_redirects`: the site's own rules first (`static/_redirects`), then
    /// one `old new 301` line per redirect, both under the base_url's path.
    /// On Netlify a rule gives way to a file at its address, and each old
    /// address has its page: `301!` makes the rule go first there.
    pub(super) fn redirect_rules(&self) -> String {
        let mut rules = self.own_rules.clone().unwrap_or_default();
        if !rules.is_empty() && !rules.ends_with('\n') {
            rules.push('\n');
        }
        let status = match self.site.config.host {
            crate::hosts::Host::Netlify => "301!",
            _ => "301",
        };
        for (old, target) in &self.redirects.rules {
            rules.push_str(&format!(
                "{} {} {status}\n",
                self.site_url(old),
                self.site_url(target)
            ));
        }
        rules
    }

    /// The withdrawal of the page at `path`, from the site root (of this
    /// language: `/ar/` and `path` as `withdrawn:` names it).
    pub(super) fn withdrawal(&self, path: &str) -> Option<WithdrawalView<'_>> {
        let listed = match &self.language {
            Some(_) => format!("/{}{path}", self.code()),
            None => path.to_owned(),
        };
        let mut withdrawals = self.site.config.withdrawn.iter();
        withdrawals.find_map(|w| match &w.what {
            Withdrawn::Page(page) if *page == listed => Some(self.withdrawal_view(w, page)),
            _ => None,
        })
    }

    /// The renderer of the language whose pages `old` (a path from the
    /// site root) is under, and `old` without its `/<code>`.
    pub(super) fn speaking<'o>(&self, old: &'o str) -> Option<(&Renderer<'a>, &'o str)> {
        self.languages.iter().find_map(|version| {
            let inner = old.strip_prefix(&format!("/{}", version.code()))?;
            inner.starts_with('/').then_some((version, inner))
        })
    }

    /// The statements withdrawn from the page at `path` (from the site
    /// root), whose notices that page lists: each entry names the article
    /// as it was, so its address is followed through any redirect.
    pub(super) fn withdrawn_from(&self, path: &str) -> Vec<WithdrawalView<'_>> {
        let here = crate::addresses::same_address;
        let rules = &self.redirects.rules;
        let withdrawals = self.site.config.withdrawn.iter();
        withdrawals
            .filter_map(|w| match &w.what {
                Withdrawn::Statement {
                    id,
                    article,
                    former_ids,
                } => {
                    let now = rules.get(article).unwrap_or(article);
                    let view = || WithdrawalView {
                        former_ids,
                        // One entry for every language's page: written, as
                        // annals.yaml is, in the site's language.
                        reason_lang: (self.language.is_some())
                            .then_some(self.site.config.language.as_str()),
                        ..self.withdrawal_view(w, id)
                    };
                    here(now, path).then(view)
                }
                Withdrawn::Page(_) => None,
            })
            .collect()
    }

    /// A path from the site root (`/articles/x/`) under the base_url's
    /// path (`/archive/articles/x/`).
    fn site_url(&self, path: &str) -> String {
        format!("{}{}", self.urls.root, path.trim_start_matches('/'))
    }
}

impl<'a> Renderer<'a> {
    /// A withdrawal's notice. A page's is for its address, in that
    /// address's language.
    fn withdrawal_view(&self, withdrawal: &'a Withdrawal, what: &'a str) -> WithdrawalView<'a> {
        WithdrawalView {
            what,
            former_ids: &[],
            date: DateView::new(&withdrawal.date, self.ui.dates()),
            reason: &withdrawal.reason,
            reason_lang: None,
        }
    }
}
