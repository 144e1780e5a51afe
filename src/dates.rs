//! How dates read: the one place a date becomes words, in the site's
//! language. Month names, the order of day, month and year, and digits come
//! from CLDR through ICU4X (compiled data, Gregorian calendar: the record's
//! dates are Gregorian as written, whatever a locale's default calendar).
//! Nothing reads the build machine's clock or time zone: a date-time shows
//! the time and offset its editor wrote, on a 24-hour clock.

use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{M, YM, YMD};
use icu_locale_core::Locale;
use jiff::civil::Date;

use crate::content::{Moment, Precision};

/// `2021`, `May 2021`, `17 May 2021`, or `17 May 2021, 18:30 UTC−04:00`,
/// in English: for messages and the research exports, which are English
/// whatever the site's language.
pub(crate) fn long(moment: &Moment) -> String {
    crate::i18n::Ui::english().dates().long(moment)
}

/// Dates in one language. Made once per build with its interface.
pub(crate) struct Dates {
    /// `None` where ICU4X has no data for the locale even by fallback.
    formatters: Option<Formatters>,
    /// How a date and a time join: `{date}, {time}`.
    joined: String,
    /// The language's digits, `0`…`9`.
    digits: [String; 10],
}

struct Formatters {
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    short: FixedCalendarDateTimeFormatter<Gregorian, M>,
}

impl Formatters {
    fn new(locale: &Locale) -> Option<Formatters> {
        // British and international English abbreviate September `Sept`;
        // a chart's labels keep to three letters in every English.
        let english = Locale::from(icu_locale_core::langid!("en"));
        let short = match locale.id.language.as_str() {
            "en" => &english,
            _ => locale,
        };
        Some(Formatters {
            day: FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), YMD::long())
                .ok()?,
            month: FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), YM::long())
                .ok()?,
            short: FixedCalendarDateTimeFormatter::try_new(short.clone().into(), M::medium())
                .ok()?,
        })
    }
}

impl Dates {
    pub(crate) fn new(locale: &Locale, joined: String, digits: [String; 10]) -> Dates {
        let formatters = Formatters::new(locale).or_else(|| Formatters::new(&Locale::UNKNOWN));
        Dates {
            formatters,
            joined,
            digits,
        }
    }

    /// `2021`, `May 2021`, `17 May 2021`, or `17 May 2021, 18:30 UTC−04:00`.
    pub(crate) fn long(&self, moment: &Moment) -> String {
        match moment.precision {
            Precision::Year => self.digits(&moment.year().to_string()),
            Precision::Month => self.month(moment.date),
            Precision::Day => self.day(moment.date),
            Precision::Time => match moment.time_as_written().and_then(time) {
                Some(time) => self
                    .joined
                    .replace("{date}", &self.day(moment.date))
                    .replace("{time}", &self.digits(&time)),
                None => self.day(moment.date),
            },
        }
    }

    /// `May 2021`: the month of `date`.
    pub(crate) fn month(&self, date: Date) -> String {
        match &self.formatters {
            Some(f) => written(date, |d| f.month.format(d).to_string()),
            None => iso(date).get(..7).unwrap_or_default().to_owned(),
        }
    }

    /// `May 2021`: month `month` (1–12) of `year`.
    pub(crate) fn month_of_year(&self, year: i16, month: i8) -> String {
        self.month(first_of(year, month))
    }

    /// `May`, `Sep`: month `month` (1–12) abbreviated, where a chart has
    /// room for little more.
    pub(crate) fn month_short(&self, month: i8) -> String {
        match &self.formatters {
            Some(f) => written(first_of(2000, month), |d| f.short.format(d).to_string()),
            None => self.digits(&month.to_string()),
        }
    }

    /// `17 May 2021`.
    pub(crate) fn day(&self, date: Date) -> String {
        match &self.formatters {
            Some(f) => written(date, |d| f.day.format(d).to_string()),
            None => iso(date),
        }
    }

    fn digits(&self, text: &str) -> String {
        crate::i18n::localize_digits(text, &self.digits)
    }
}

fn first_of(year: i16, month: i8) -> Date {
    Date::new(year, month.clamp(1, 12), 1).unwrap_or_default()
}

/// `date` as `format` writes it, or as ISO 8601 should ICU4X refuse it
/// (years beyond its range, which jiff does not make).
fn written(date: Date, format: impl Fn(&icu_calendar::Date<Gregorian>) -> String) -> String {
    let year = i32::from(date.year());
    let (month, day) = (date.month().unsigned_abs(), date.day().unsigned_abs());
    match icu_calendar::Date::try_new_gregorian(year, month, day) {
        Ok(gregorian) => format(&gregorian),
        Err(_) => iso(date),
    }
}

fn iso(date: Date) -> String {
    date.to_string()
}

/// `18:30 UTC−04:00` from `18:30:00-04:00` as written; seconds only when
/// there are some, `Z` as plain UTC. `None` if it is not of that shape.
fn time(written: &str) -> Option<String> {
    let clock = written.get(..8)?;
    let mut offset = &written[8..];
    // Fractions of a second do not reach a reader.
    if let Some(rest) = offset.strip_prefix('.') {
        offset = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let shown = match clock.strip_suffix(":00") {
        Some(minutes) => minutes,
        None => clock,
    };
    let zone = match offset {
        "Z" | "z" | "+00:00" => "UTC".to_owned(),
        // U+2212, the minus sign, as typography writes an offset.
        _ if offset.starts_with('-') => format!("UTC\u{2212}{}", &offset[1..]),
        _ => format!("UTC{offset}"),
    };
    Some(format!("{shown} {zone}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Ui;

    fn at(text: &str) -> String {
        long(&Moment::parse_partial(text).expect("a date"))
    }

    fn in_language(tag: &str, text: &str) -> String {
        let (ui, _) = Ui::new(tag, None);
        ui.dates()
            .long(&Moment::parse_partial(text).expect("a date"))
    }

    #[test]
    fn each_precision_reads_as_written() {
        let english = Ui::english();
        let dates = english.dates();
        assert_eq!(at("2021"), "2021");
        assert_eq!(at("2021-05"), "May 2021");
        assert_eq!(at("2021-05-07"), "7 May 2021");
        assert_eq!(
            at("2021-05-17T23:30:00-04:00"),
            "17 May 2021, 23:30 UTC\u{2212}04:00"
        );
        assert_eq!(at("2021-05-17T09:05:30Z"), "17 May 2021, 09:05:30 UTC");
        assert_eq!(dates.month_of_year(2021, 9), "September 2021");
        assert_eq!(dates.month_short(9), "Sep");
        assert_eq!(
            at("2021-05-17T09:05:00.250+05:30"),
            "17 May 2021, 09:05 UTC+05:30"
        );
    }

    #[test]
    fn other_languages_write_dates_their_way() {
        assert_eq!(in_language("de", "2021-05-17"), "17. Mai 2021");
        assert_eq!(in_language("de", "2021-05"), "Mai 2021");
        assert_eq!(
            in_language("de", "2021-05-17T18:30:00-04:00"),
            "17. Mai 2021, 18:30 UTC\u{2212}04:00"
        );
        assert_eq!(in_language("uk", "2021-05-17"), "17 травня 2021\u{202f}р.");
        assert_eq!(in_language("uk", "2021-05"), "травень 2021\u{202f}р.");
        // CLDR writes `ar` with Latin digits, Egyptian Arabic (and others
        // of the Mashriq) with Arabic-Indic ones.
        assert_eq!(in_language("ar", "2021-05-17"), "17 مايو 2021");
        assert_eq!(
            in_language("ar", "2021-05-17T18:30:00Z"),
            "17 مايو 2021، 18:30 UTC"
        );
        assert_eq!(in_language("ar-EG", "2021"), "٢٠٢١");
        assert_eq!(in_language("ar-EG", "2021-05-17"), "١٧ مايو ٢٠٢١");
        assert_eq!(
            in_language("ar-EG", "2021-05-17T18:30:00Z"),
            "١٧ مايو ٢٠٢١، ١٨:٣٠ UTC"
        );
        assert_eq!(in_language("en-US", "2021-05-17"), "May 17, 2021");
    }
}
