//! What pages tell machines about themselves: schema.org JSON-LD (articles
//! with their citations, people, statements as quotations, pages of
//! `content/pages/` as web pages) and the title
//! and description used for `<title>`, Open Graph and Twitter cards.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Page, Renderer};
use crate::content::{Article, Moment, PersonKind, SitePage};
use crate::index::StatementRef;

/// A page's title, description and Open Graph type.
#[derive(Serialize)]
pub(super) struct Meta {
    pub title: String,
    pub description: String,
    /// `website`, `article` or `profile`.
    pub kind: &'static str,
}

impl Renderer<'_> {
    pub(super) fn meta(&self, page: &Page) -> Meta {
        let site = self.titles();
        let titled = |title: &str| format!("{title} · {}", site.title);
        let (title, description, kind) = match page {
            Page::Article(a) => {
                let item = self.article_item(&self.site.articles[*a]);
                (titled(item.title), item.summary.to_owned(), "article")
            }
            Page::Person(id) => {
                let person = self.person_view(&self.site.people[id], self.index);
                let role = person.role.map(|r| format!(", {r}")).unwrap_or_default();
                let described = format!("{}{role}", person.name);
                (
                    titled(person.name),
                    self.ui
                        .fill("meta_person", None, |_| Some(described.clone())),
                    "profile",
                )
            }
            Page::People => (
                titled(self.ui.text("people_title")),
                self.ui.text("meta_people").to_owned(),
                "website",
            ),
            Page::Sources => (
                titled(self.ui.text("sources_title")),
                self.ui.text("meta_sources").to_owned(),
                "website",
            ),
            Page::Publisher(slug) => {
                let name = &self.index.publishers[slug].name;
                (
                    titled(name),
                    self.ui.fill("meta_publisher", None, |_| Some(name.clone())),
                    "website",
                )
            }
            Page::Timeline => (
                titled(self.ui.text("timeline_title")),
                self.ui.text("meta_timeline").to_owned(),
                "website",
            ),
            Page::Year(year) => (
                titled(&format!(
                    "{} · {}",
                    self.year(*year),
                    self.ui.text("timeline_title")
                )),
                self.ui.fill("meta_year", None, |_| Some(self.year(*year))),
                "website",
            ),
            Page::Terms(taxonomy) => (
                titled(self.taxonomy_title(*taxonomy)),
                site.description.to_owned(),
                "website",
            ),
            Page::Term(taxonomy, slug) => {
                let name = &self.terms(*taxonomy)[slug].name;
                let described = self.ui.fill("meta_term", None, |_| Some(name.clone()));
                (titled(name), described, "website")
            }
            Page::Search => (
                titled(self.ui.text("search_title")),
                self.ui
                    .fill("meta_search", None, |_| Some(site.title.to_owned())),
                "website",
            ),
            Page::Standalone(p) => {
                let page = self.site_page_view(&self.site.pages[*p]);
                (titled(page.title), page.summary.to_owned(), "website")
            }
            Page::Corrections => (
                titled(self.ui.text("corrections_title")),
                self.ui
                    .fill("meta_corrections", None, |_| Some(site.title.to_owned())),
                "website",
            ),
            Page::NotFound => (
                titled(self.ui.text("not_found_title")),
                site.description.to_owned(),
                "website",
            ),
            _ => (
                site.title.to_owned(),
                site.description.to_owned(),
                "website",
            ),
        };
        Meta {
            title,
            description,
            kind,
        }
    }

    /// `2021` in the language's digits.
    fn year(&self, year: i16) -> String {
        self.ui.localize_digits(&year.to_string())
    }

    /// The page's JSON-LD, ready to sit inside `<script>` (no `</` in it).
    pub(super) fn json_ld(&self, page: &Page) -> Option<String> {
        let graph = match page {
            Page::Article(a) => {
                let article = &self.site.articles[*a];
                let mut graph = vec![self.news_article(article)];
                let said = (0..article.statements.len()).map(|statement| StatementRef {
                    article: *a,
                    statement,
                });
                graph.extend(said.map(|r| self.quotation(r)));
                graph
            }
            Page::Person(id) => vec![self.person_ld(id)],
            Page::Standalone(p) => vec![self.web_page(&self.site.pages[*p])],
            _ => return None,
        };
        let mut ld = json!({ "@context": "https://schema.org", "@graph": graph });
        drop_nulls(&mut ld);
        let text = serde_json::to_string(&ld).ok()?;
        Some(script_safe(&text))
    }

    fn news_article(&self, article: &Article) -> Value {
        let url = self.absolute(&self.urls.article(&article.slug));
        let citations: Vec<Value> = article
            .sources
            .iter()
            .map(|source| {
                json!({
                    "@type": "CreativeWork",
                    "name": source.title.as_deref().unwrap_or(&source.publisher.name),
                    "url": source.url,
                    "datePublished": source.date.as_ref().map(|d| d.iso()),
                    "inLanguage": source.lang,
                    "archivedAt": source.archive.as_ref().map(|url| json!({
                        "@type": "WebPage",
                        "url": url,
                        "dateCreated": source.archived.as_ref().map(Moment::iso),
                    })),
                    "publisher": { "@type": "Organization", "name": source.publisher.name },
                })
            })
            .collect();
        // On a language's page: the translation, else the original as it is.
        let translation = self.article_translation(article);
        json!({
            "@type": "NewsArticle",
            "@id": url,
            "url": url,
            "headline": translation.map_or(&article.title, |t| &t.title),
            "datePublished": article.date.iso(),
            "dateModified": article.modified().iso(),
            "inLanguage": self.language_of(translation.is_some()),
            "keywords": article.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            "publisher": self.publisher_ld(),
            "citation": citations,
            "correction": (!article.corrections.is_empty()).then(|| {
                let each = article.corrections.iter().enumerate();
                each.map(|(position, correction)| json!({
                    "@type": "CorrectionComment",
                    "url": format!("{url}#{}", article.correction_anchor(position)),
                    "text": correction.text,
                    "datePublished": correction.date.iso(),
                })).collect::<Vec<_>>()
            }),
        })
    }

    /// An about or methodology page: part of the site, by its publisher.
    fn web_page(&self, page: &SitePage) -> Value {
        let url = self.absolute(&self.urls.page(&page.slug));
        let translation = self.page_translation(page);
        json!({
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": translation.map_or(&page.title, |t| &t.title),
            "inLanguage": self.language_of(translation.is_some()),
            "isPartOf": { "@type": "WebSite", "name": self.titles().title, "url": self.absolute(&self.urls.root) },
            "publisher": self.publisher_ld(),
        })
    }

    /// The site as the publisher of its pages, by its title in this language.
    fn publisher_ld(&self) -> Value {
        let url = self.absolute(&self.urls.root);
        json!({ "@type": "Organization", "name": self.titles().title, "url": url })
    }

    /// The language of what a page shows: this language's when it is
    /// `translated` into it, else the site's.
    fn language_of(&self, translated: bool) -> &str {
        match translated {
            true => self.code(),
            false => &self.site.config.language,
        }
    }

    fn quotation(&self, reference: StatementRef) -> Value {
        let view = self.statement_view(reference);
        let statement = crate::index::statement(self.site, reference);
        let person = &self.site.people[&statement.person];
        json!({
            "@type": "Quotation",
            "@id": self.absolute(&view.url),
            "text": view.text,
            // In the page's language, as the page labels it.
            "description": (view.kind == "paraphrase").then(|| self.ui.text("paraphrase_described")),
            "creator": {
                "@type": schema_type(person.kind),
                "name": view.person.name,
                "url": self.absolute(&self.urls.person(&person.id)),
            },
            "dateCreated": view.date.iso,
            // Who relayed the words, and how they were delivered (`as-prepared`…).
            "contributor": statement.via.as_ref().map(|id| json!({
                "@type": schema_type(self.site.people[id].kind),
                "name": self.site.people[id].name,
                "url": self.absolute(&self.urls.person(id)),
            })),
            "genre": statement.delivery.map(crate::content::Delivery::as_str),
            "inLanguage": view.lang.unwrap_or(&self.site.config.language),
            "isBasedOn": view.source.url.map_or_else(
                || json!({ "@type": "CreativeWork", "name": view.source.title.unwrap_or(view.source.publisher.name) }),
                |url| json!(url),
            ),
            // The archive's own translation, in the page's language where
            // there is one into it, else in the site's.
            "workTranslation": view.translation.map(|text| json!({
                "@type": "Quotation",
                "text": text,
                "inLanguage": view.translation_lang.unwrap_or(&self.site.config.language),
            })),
        })
    }

    fn person_ld(&self, id: &str) -> Value {
        let person = &self.site.people[id];
        let view = self.person_view(person, self.index);
        // Translated, the name as written in the person's file is another
        // of theirs.
        let mut names: Vec<&str> = person.aliases.iter().map(String::as_str).collect();
        if *view.name != person.name {
            names.insert(0, &person.name);
        }
        json!({
            "@type": schema_type(person.kind),
            "@id": self.absolute(&self.urls.person(id)),
            "url": self.absolute(&self.urls.person(id)),
            "name": view.name,
            "alternateName": names,
            "jobTitle": view.role,
            "affiliation": view.affiliation.map(|a| json!({ "@type": "Organization", "name": a })),
            "sameAs": person.links,
        })
    }
}

/// JSON that can sit inside `<script>`: `<`, `>` and `&` as `\u003c`,
/// `\u003e` and `\u0026`, so no text (a title holding `</script>` or
/// `<!--`) can end the element or start a comment. Outside strings JSON has
/// none of the three, so the value is unchanged for a JSON parser.
pub(super) fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

fn schema_type(kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Person => "Person",
        PersonKind::Organisation => "Organization",
    }
}

/// Removes absent values (`null`), which say nothing in JSON-LD and which
/// validators flag.
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn json_in_a_script_element_cannot_close_it() {
        let title = "A </script><script>alert(1)</script> & <!-- title";
        let json = serde_json::to_string(&serde_json::json!({ "headline": title })).expect("json");
        let safe = script_safe(&json);
        for raw in ["<", ">", "&"] {
            assert!(!safe.contains(raw), "{safe}");
        }
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still json");
        assert_eq!(back["headline"], title);
    }
}
