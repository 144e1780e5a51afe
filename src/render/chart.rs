//! Small bar charts of how much each period holds (the months of a year, the
//! years of the timeline or of a person's record), laid out at build time as
//! geometry that `partials/chart.html` draws as inline SVG: no script, each
//! bar a link to the entries it counts, and a table with the same counts.

use serde::Serialize;

use crate::i18n::Ui;

/// One period of a chart before layout.
#[derive(Debug)]
pub(crate) struct Slot {
    /// e.g. `Sep 2021`: names the bar and heads its row of the table.
    pub name: String,
    /// Under the bar, e.g. `Sep`: words in the name, since a link's name
    /// should contain what it shows (WCAG 2.5.3, label in name).
    pub label: String,
    pub tally: Tally,
    /// Where the entries it counts are listed; `None` when it has none.
    pub href: Option<String>,
}

/// What a period holds. Articles are counted only where they are listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub articles: Option<usize>,
    pub statements: usize,
}

impl Tally {
    fn total(self) -> usize {
        self.articles.unwrap_or(0).saturating_add(self.statements)
    }

    /// `2 articles, 12 statements`, or `1 statement` where articles are
    /// not counted.
    pub(super) fn words(self, ui: &Ui) -> String {
        let count = |key, n: usize| ui.count(key, n as u64);
        let statements = count("count_statements", self.statements);
        match self.articles {
            Some(articles) => {
                let articles = count("count_articles", articles);
                format!("{articles}{}{statements}", ui.text("count_separator"))
            }
            None => statements,
        }
    }
}

/// `chart` in `partials/chart.html`: every length in SVG user units, which
/// are also CSS pixels until the chart is narrowed to fit its column.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartView {
    pub caption: String,
    /// What a bar counts entries of, heading the table's first column:
    /// `Month`, `Year`.
    pub period: String,
    pub width: u32,
    pub height: u32,
    /// Where bars stand, and the axis is drawn.
    pub baseline: u32,
    /// Where the labels' first row sits (the text's baseline); each bar's
    /// `label_y` says which row its own is in.
    pub label_y: u32,
    /// Whether articles are counted: a column of the table.
    pub articles: bool,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Bar {
    /// e.g. `May 2021`.
    pub name: String,
    /// Under the bar, e.g. `May`.
    pub label: String,
    /// The link's accessible name, e.g. `May 2021: 2 articles, 12 statements`.
    pub title: String,
    pub href: Option<String>,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    /// 0 for an empty period: an empty slot.
    pub height: u32,
    /// The middle of its slot, where its label is centred.
    pub middle: u32,
    /// Where its label sits (the text's baseline): every other label a row
    /// lower when labels are too wide for their slots.
    pub label_y: u32,
    pub articles: Option<usize>,
    pub statements: usize,
}

/// Horizontal room per period, and the bar's share of it.
const SLOT: u32 = 32;
const BAR: u32 = 24;
/// The tallest bar, for the period holding most.
const TALLEST: u32 = 64;
/// Room above the tallest bar and below the axis for the labels.
const TOP: u32 = 2;
const LABELS: u32 = 16;
/// The second row of labels, when they alternate.
const ROW: u32 = 14;
/// A label's width per character, in the labels' 11-pixel sans-serif: a
/// generous guess for Latin letters and digits (about 6), so that four of
/// them (a year, "Sept") fit a slot and five ("Sept.", "févr.") do not.
/// Arabic letters run wider (about 8), but its month names are five and six.
const CHARACTER: u32 = 7;

/// The longest span of years a chart fills in with empty slots. Past it (a
/// stray date centuries off) only years with entries get a slot, so that
/// one typo cannot make a chart of a thousand bars.
const MOST_YEARS: i32 = 60;

/// One slot per year from the first counted year to the last, years
/// without entries as empty slots holding `empty`; `counted` gives each
/// year with entries, in order, with its tally and where they are listed.
pub(crate) fn per_year(
    counted: impl IntoIterator<Item = (i16, Tally, String)>,
    empty: Tally,
    ui: &Ui,
) -> Vec<Slot> {
    let counted: Vec<(i16, Tally, String)> = counted.into_iter().collect();
    let span = match (counted.first(), counted.last()) {
        (Some(first), Some(last)) => i32::from(last.0) - i32::from(first.0) + 1,
        _ => 0,
    };
    let year = |year: i16, tally: Tally, href: Option<String>| {
        let name = ui.localize_digits(&year.to_string());
        Slot {
            label: name.clone(),
            name,
            tally,
            href,
        }
    };
    let mut slots = Vec::with_capacity(counted.len());
    let mut next: Option<i16> = None;
    for (counted_year, tally, href) in counted {
        if let Some(gap) = next.filter(|_| span <= MOST_YEARS) {
            slots.extend((gap..counted_year).map(|y| year(y, empty, None)));
        }
        slots.push(year(counted_year, tally, Some(href)));
        next = counted_year.checked_add(1);
    }
    slots
}

/// What a chart is headed with: its caption, and what a bar counts the
/// entries of (`Year`, `Month`).
pub(crate) struct Heading {
    pub caption: String,
    pub period: String,
}

/// Lays out one bar per slot, in order from the line's start: left to
/// right, or right to left in a right-to-left language, so that time runs
/// the way the page reads and the earliest period sits under the start of
/// the caption, as the table's first row does. Heights scale to the
/// fullest period, so the chart's shape, not its size, shows the counts.
/// `None` when no period holds anything: nothing to chart.
pub(crate) fn layout(heading: Heading, slots: Vec<Slot>, ui: &Ui) -> Option<ChartView> {
    let most = slots.iter().map(|s| s.tally.total()).max()?;
    if most == 0 {
        return None;
    }
    let baseline = TOP + TALLEST;
    let articles = slots.iter().any(|s| s.tally.articles.is_some());
    // Arabic has no short month names: "سبتمبر" under a bar runs into
    // "أكتوبر" beside it unless the two are on different rows.
    let widest = slots
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0);
    let rows = if widest as u32 * CHARACTER > SLOT - 4 {
        2
    } else {
        1
    };
    let mut bars = Vec::with_capacity(slots.len());
    let mut x = 0;
    for (n, slot) in slots.into_iter().enumerate() {
        let height = scaled(slot.tally.total(), most);
        bars.push(Bar {
            title: format!("{}: {}", slot.name, slot.tally.words(ui)),
            name: slot.name,
            label: slot.label,
            href: slot.href.filter(|_| height > 0),
            x: x + (SLOT - BAR) / 2,
            y: baseline - height,
            width: BAR,
            height,
            middle: x + SLOT / 2,
            label_y: baseline + LABELS - 4 + ROW * (n as u32 % rows),
            articles: slot.tally.articles,
            statements: slot.tally.statements,
        });
        x += SLOT;
    }
    if ui.dir() == "rtl" {
        for bar in &mut bars {
            bar.x = x - bar.x - BAR;
            bar.middle = x - bar.middle;
        }
    }
    let Heading { caption, period } = heading;
    Some(ChartView {
        caption,
        period,
        width: x,
        height: baseline + LABELS + ROW * (rows - 1),
        baseline,
        label_y: baseline + LABELS - 4,
        articles,
        bars,
    })
}

/// A bar's height for `count` when the fullest period holds `most`:
/// rounded up, so a period holding anything is never drawn empty.
fn scaled(count: usize, most: usize) -> u32 {
    // Wide enough that no count overflows the product.
    let (count, most) = (count as u128, most.max(1) as u128);
    let height = (count * u128::from(TALLEST)).div_ceil(most);
    u32::try_from(height).map_or(TALLEST, |h| h.min(TALLEST))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(caption: &str, period: &str) -> Heading {
        Heading {
            caption: caption.to_owned(),
            period: period.to_owned(),
        }
    }

    fn english(heading: Heading, slots: Vec<Slot>) -> Option<ChartView> {
        layout(heading, slots, &Ui::english())
    }

    fn slot(name: &str, articles: Option<usize>, statements: usize) -> Slot {
        Slot {
            name: name.to_owned(),
            label: name.to_owned(),
            tally: Tally {
                articles,
                statements,
            },
            href: Some(format!("/{name}/")),
        }
    }

    #[test]
    fn heights_scale_to_the_fullest_period_and_empty_ones_stay_slots() {
        let chart = english(
            heading("Statements per year", "Year"),
            vec![
                slot("2019", None, 3),
                slot("2020", None, 0),
                slot("2021", None, 12),
                slot("2022", None, 1),
            ],
        )
        .expect("a chart");
        let heights: Vec<u32> = chart.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights, [16, 0, TALLEST, 6], "rounded up, never to nothing");
        for bar in &chart.bars {
            assert_eq!(bar.y + bar.height, chart.baseline, "bars stand on the axis");
        }
        let xs: Vec<u32> = chart.bars.iter().map(|b| b.x).collect();
        assert_eq!(xs, [4, 36, 68, 100]);
        assert_eq!(chart.width, 4 * SLOT);
        for bar in &chart.bars {
            assert!(bar.label_y > chart.baseline && bar.label_y < chart.height);
            assert_eq!(bar.label_y, chart.label_y, "short labels in one row");
        }
        assert_eq!(chart.bars[1].href, None, "an empty period links nowhere");
        assert_eq!(chart.bars[2].href.as_deref(), Some("/2021/"));
        assert!(!chart.articles);
    }

    #[test]
    fn each_bar_is_named_by_its_period_and_counts() {
        let chart = english(
            heading("Articles and statements per month", "Month"),
            vec![slot("May 2021", Some(2), 12), slot("June 2021", Some(1), 1)],
        )
        .expect("a chart");
        let titles: Vec<&str> = chart.bars.iter().map(|b| b.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "May 2021: 2 articles, 12 statements",
                "June 2021: 1 article, 1 statement"
            ]
        );
        assert!(chart.articles, "the table has a column of articles");
        let one = english(heading("x", "Year"), vec![slot("2021", None, 1)]).expect("a chart");
        assert_eq!(one.bars[0].title, "2021: 1 statement");
    }

    #[test]
    fn years_without_entries_are_empty_slots_unless_centuries_apart() {
        let count = |statements| Tally {
            articles: None,
            statements,
        };
        let counted = |years: &[i16]| -> Vec<(i16, Tally, String)> {
            (years.iter())
                .map(|&y| (y, count(1), format!("#year-{y}")))
                .collect()
        };
        let names = |slots: Vec<Slot>| -> Vec<(String, Option<String>)> {
            slots.into_iter().map(|s| (s.name, s.href)).collect()
        };
        let slots = per_year(counted(&[2019, 2021]), count(0), &Ui::english());
        assert_eq!(
            names(slots),
            [
                ("2019".to_owned(), Some("#year-2019".to_owned())),
                ("2020".to_owned(), None),
                ("2021".to_owned(), Some("#year-2021".to_owned())),
            ]
        );
        let stray = per_year(counted(&[1021, 2021]), count(0), &Ui::english());
        assert_eq!(stray.len(), 2, "a typo's span is not filled in");
        assert!(per_year(counted(&[]), count(0), &Ui::english()).is_empty());
    }

    #[test]
    fn nothing_to_count_is_no_chart() {
        assert!(english(heading("x", "Year"), Vec::new()).is_none());
        assert!(english(heading("x", "Year"), vec![slot("2021", Some(0), 0)]).is_none());
    }

    #[test]
    fn huge_counts_neither_overflow_nor_outgrow_the_chart() {
        let chart = english(
            heading("x", "Year"),
            vec![slot("a", None, usize::MAX), slot("b", None, 1)],
        )
        .expect("a chart");
        assert_eq!(chart.bars[0].height, TALLEST);
        assert_eq!(chart.bars[1].height, 1);
    }

    #[test]
    fn right_to_left_charts_run_from_the_right() {
        let (ui, _) = Ui::new("ar", None);
        let slots = vec![slot("2020", None, 1), slot("2021", None, 2)];
        let chart = layout(heading("x", "y"), slots, &ui).expect("a chart");
        let xs: Vec<u32> = chart.bars.iter().map(|b| b.x).collect();
        assert_eq!(xs, [36, 4], "the first period at the right");
        assert_eq!(chart.bars[0].middle, 48);
        assert_eq!(chart.bars[1].title, "2021: تصريحان");
    }

    #[test]
    fn labels_too_wide_for_their_slots_alternate_between_two_rows() {
        let (ui, _) = Ui::new("ar", None);
        let months = ["أغسطس", "سبتمبر", "أكتوبر"];
        let slots = months.iter().map(|m| slot(m, None, 1)).collect();
        let chart = layout(heading("x", "y"), slots, &ui).expect("a chart");
        let rows: Vec<u32> = chart.bars.iter().map(|b| b.label_y).collect();
        assert_eq!(rows, [rows[0], rows[0] + ROW, rows[0]]);
        assert!(rows[1] < chart.height, "the second row is inside the chart");
    }
}
