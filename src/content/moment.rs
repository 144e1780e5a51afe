//! [`Moment`]: a date as editors write it — a year, a month, a day, or an
//! RFC 3339 instant — and how precise it is.

use std::cmp::Ordering;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

/// A year (`2021`), a month (`2021-05`), a day (`2021-05-17`) or an exact
/// instant (`2021-05-17T18:30:00-04:00`).
///
/// Ordering is by the calendar as written, a partial date before the dates
/// it contains (`2021` before `2021-01`, `2021-05` before `2021-05-01`),
/// then by instant, so a timed statement sorts within its day and an
/// untimed one first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Moment {
    /// The first day the date covers: the 1st of its month, or 1 January.
    pub date: Date,
    pub instant: Option<Timestamp>,
    pub precision: Precision,
    /// The text as written (trimmed), kept for `<time datetime>`.
    text: String,
}

/// What moments sort by: (year, month, day), then the instant.
pub(crate) type SortKey = ((i16, i8, i8), Option<Timestamp>);

/// How much of a date is known, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Precision {
    Year,
    Month,
    Day,
    Time,
}

impl Precision {
    /// Its name in the exports' `date_precision` column.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
            Precision::Time => "time",
        }
    }
}

impl Moment {
    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time (which must carry an
    /// offset): a date that says which day.
    pub(crate) fn parse(text: &str) -> Result<Moment, String> {
        let moment = Moment::parse_partial(text)?;
        match moment.precision {
            Precision::Day | Precision::Time => Ok(moment),
            Precision::Year | Precision::Month => Err(format!(
                "`{}` does not say which day; only the date of a statement or of a source may be a year or a month",
                moment.text
            )),
        }
    }

    /// Parses what [`Moment::parse`] does, or a year (`2021`) or a month
    /// (`2021-05`) alone, for what is known only that precisely.
    pub(crate) fn parse_partial(text: &str) -> Result<Moment, String> {
        let text = text.trim();
        let invalid = || format!("`{text}` is not a valid date");
        let partial = |date: Result<Date, jiff::Error>, precision| {
            let date = date.map_err(|_| invalid())?;
            Ok(Moment {
                date,
                instant: None,
                precision,
                text: text.to_owned(),
            })
        };
        let digits = |part: &str, count: usize| {
            part.len() == count && part.bytes().all(|b| b.is_ascii_digit())
        };
        match text.split('-').collect::<Vec<_>>().as_slice() {
            [year] if digits(year, 4) => {
                let year: i16 = year.parse().map_err(|_| invalid())?;
                return partial(Date::new(year, 1, 1), Precision::Year);
            }
            [year, month] if digits(year, 4) && digits(month, 2) => {
                let year: i16 = year.parse().map_err(|_| invalid())?;
                let month: i8 = month.parse().map_err(|_| invalid())?;
                return partial(Date::new(year, month, 1), Precision::Month);
            }
            _ => {}
        }
        if text.len() <= 10 {
            let date: Date = text.parse().map_err(|_| invalid())?;
            return Ok(Moment {
                date,
                instant: None,
                precision: Precision::Day,
                text: date.to_string(),
            });
        }
        // Only what looks like a date and time is told about RFC 3339.
        let timed = text
            .as_bytes()
            .get(10)
            .is_some_and(|c| matches!(c, b'T' | b't' | b' '))
            && text.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        let instant: Timestamp = text.parse().map_err(|_| match timed {
            true => format!("`{text}` is not a valid RFC 3339 date-time"),
            false => invalid(),
        })?;
        if !rfc3339_offset(text) {
            return Err(format!(
                "`{text}` does not end with an offset from UTC as RFC 3339 writes one: `Z`, or `+HH:MM`/`-HH:MM` up to 23:59"
            ));
        }
        // The day as written, in the writer's own offset, not in UTC.
        let date: Date = text
            .get(..10)
            .and_then(|day| day.parse().ok())
            .ok_or_else(|| format!("`{text}` does not start with a YYYY-MM-DD date"))?;
        Ok(Moment {
            date,
            instant: Some(instant),
            precision: Precision::Time,
            text: text.to_owned(),
        })
    }

    /// For `<time datetime="…">` and machine-readable exports.
    pub(crate) fn iso(&self) -> &str {
        &self.text
    }

    /// The calendar part as written: `2021`, `2021-05` or `2021-05-17`
    /// (an instant's day in its own offset).
    pub(crate) fn calendar(&self) -> &str {
        match self.precision {
            Precision::Time => self.text.get(..10).unwrap_or(&self.text),
            _ => &self.text,
        }
    }

    /// The time of day and offset as written (`18:30:00-04:00`), if any.
    pub(crate) fn time_as_written(&self) -> Option<&str> {
        match self.precision {
            Precision::Time => self.text.get(11..),
            _ => None,
        }
    }

    /// The last day the date covers.
    pub(crate) fn last_day(&self) -> Date {
        match self.precision {
            Precision::Year => self.date.last_of_year(),
            Precision::Month => self.date.last_of_month(),
            Precision::Day | Precision::Time => self.date,
        }
    }

    pub(crate) fn year(&self) -> i16 {
        self.date.year()
    }

    /// The month, when the date says which.
    pub(crate) fn month(&self) -> Option<i8> {
        (self.precision >= Precision::Month).then(|| self.date.month())
    }

    /// What lists sort by: year, month, day (a missing part as 0, so a
    /// partial date comes before the dates it contains), then instant.
    pub(crate) fn sort_key(&self) -> SortKey {
        (self.calendar_key(), self.instant)
    }

    /// The calendar part of [`Moment::sort_key`]: year, month, day.
    pub(crate) fn calendar_key(&self) -> (i16, i8, i8) {
        let day = match self.precision {
            Precision::Year | Precision::Month => 0,
            Precision::Day | Precision::Time => self.date.day(),
        };
        (self.year(), self.month().unwrap_or(0), day)
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether `text` ends with `Z` or `±HH:MM` within a day. Feeds and
/// sitemaps take no other offset, and jiff also reads `+25:59` or `+05`.
fn rfc3339_offset(text: &str) -> bool {
    if text.ends_with(['Z', 'z']) {
        return true;
    }
    let offset = text.len().checked_sub(6).and_then(|at| text.get(at..));
    let Some([sign, h1, h2, b':', m1, m2]) = offset.map(str::as_bytes) else {
        return false;
    };
    if !matches!(sign, b'+' | b'-') || ![h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number = |tens: u8, units: u8| (tens - b'0') * 10 + (units - b'0');
    number(*h1, *h2) <= 23 && number(*m1, *m2) <= 59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_instants() {
        let day = Moment::parse("2021-05-17").unwrap();
        let instant = Moment::parse("2021-05-17T23:30:00-04:00").unwrap();
        for offset in ["Z", "z", "+23:59", "-00:00", "+05:30"] {
            assert!(Moment::parse(&format!("2021-05-17T23:30:00{offset}")).is_ok());
        }
        // The day stays the one written, although it is already the 18th in UTC.
        assert_eq!(instant.date, day.date);
        assert!(day < instant);
    }

    #[test]
    fn only_a_date_and_time_is_told_about_rfc_3339() {
        let error = |text| Moment::parse(text).unwrap_err();
        assert_eq!(error("May 17 2021"), "`May 17 2021` is not a valid date");
        assert_eq!(
            error("2021-05-17T25:00:00Z"),
            "`2021-05-17T25:00:00Z` is not a valid RFC 3339 date-time"
        );
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2021-02-30",
            "17/05/2021",
            "2021-05-17T10:00:00",
            "2021-05-17T18:30:00+25:00",
            "2021-05-17T18:30:00-24:00",
            "2021-05-17T18:30:00+05:60",
            "2021-05-17T18:30:00+0530",
            "2021-05-17T18:30:00+05",
            "2021-05-17T18:30:00 5:30",
            "yesterday",
            "",
        ] {
            assert!(Moment::parse(bad).is_err(), "{bad} should be refused");
        }
        for partial in ["2021", "2021-05"] {
            assert!(Moment::parse(partial).is_err(), "{partial} says no day");
            assert!(Moment::parse_partial(partial).is_ok(), "{partial}");
        }
        for bad in ["2021-13", "21", "2021-5", "202105", "2021-00"] {
            assert!(
                Moment::parse_partial(bad).is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn a_partial_date_sorts_before_the_dates_it_contains() {
        let at = |text| Moment::parse_partial(text).unwrap();
        let written = [
            "2021-05-17T09:00:00Z",
            "2021-05-17",
            "2021-05",
            "2021-01-01",
            "2021",
            "2020-12-31",
            "2021-06",
        ];
        let mut sorted: Vec<Moment> = written.iter().map(|t| at(t)).collect();
        sorted.sort();
        let order: Vec<&str> = sorted.iter().map(Moment::iso).collect();
        assert_eq!(
            order,
            [
                "2020-12-31",
                "2021",
                "2021-01-01",
                "2021-05",
                "2021-05-17",
                "2021-05-17T09:00:00Z",
                "2021-06"
            ]
        );
        assert_eq!(at("2021").month(), None);
        assert_eq!(at("2021-02").last_day().to_string(), "2021-02-28");
        assert_eq!(at("2021-05-17T23:30:00-04:00").calendar(), "2021-05-17");
    }
}
