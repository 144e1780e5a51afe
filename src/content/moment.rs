//! [`Moment`]: a date as editors write it — a day, or an RFC 3339 instant.

use std::cmp::Ordering;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

/// A day (`2021-05-17`) or an exact instant (`2021-05-17T18:30:00-04:00`).
///
/// Ordering is by the day as written, then by instant, so a timed statement
/// sorts within its day and an untimed one sorts first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Moment {
    pub date: Date,
    pub instant: Option<Timestamp>,
    /// The text as written (trimmed), kept for `<time datetime>`.
    text: String,
}

impl Moment {
    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time (which must carry an offset).
    pub(crate) fn parse(text: &str) -> Result<Moment, String> {
        let text = text.trim();
        if text.len() <= 10 {
            let date: Date = text
                .parse()
                .map_err(|_| format!("`{text}` is not a valid date"))?;
            return Ok(Moment {
                date,
                instant: None,
                text: date.to_string(),
            });
        }
        let instant: Timestamp = text
            .parse()
            .map_err(|_| format!("`{text}` is not a valid RFC 3339 date-time"))?;
        // The day as written, in the writer's own offset, not in UTC.
        let date: Date = text
            .get(..10)
            .and_then(|day| day.parse().ok())
            .ok_or_else(|| format!("`{text}` does not start with a YYYY-MM-DD date"))?;
        Ok(Moment {
            date,
            instant: Some(instant),
            text: text.to_owned(),
        })
    }

    /// For `<time datetime="…">` and machine-readable exports.
    pub(crate) fn iso(&self) -> &str {
        &self.text
    }

    /// Human form, e.g. `17 May 2021`.
    pub(crate) fn display(&self) -> String {
        self.date.strftime("%-d %B %Y").to_string()
    }

    pub(crate) fn year(&self) -> i16 {
        self.date.year()
    }

    pub(crate) fn month(&self) -> i8 {
        self.date.month()
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.date, self.instant).cmp(&(other.date, other.instant))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_instants() {
        let day = Moment::parse("2021-05-17").unwrap();
        assert_eq!(day.display(), "17 May 2021");
        let instant = Moment::parse("2021-05-17T23:30:00-04:00").unwrap();
        // The day stays the one written, although it is already the 18th in UTC.
        assert_eq!(instant.date, day.date);
        assert!(day < instant);
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2021-02-30",
            "17/05/2021",
            "2021-05-17T10:00:00",
            "yesterday",
            "",
        ] {
            assert!(Moment::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
