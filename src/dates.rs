//! How dates read: the one place a date becomes words. English for now;
//! every page, feed and citation asks here, so a later language asks here
//! too. Nothing reads the build machine's clock or time zone: a date-time
//! shows the time and offset its editor wrote.

use jiff::civil::Date;

use crate::content::{Moment, Precision};

/// `2021`, `May 2021`, `17 May 2021`, or `17 May 2021, 18:30 UTC−04:00`.
pub(crate) fn long(moment: &Moment) -> String {
    match moment.precision {
        Precision::Year => moment.year().to_string(),
        Precision::Month => month(moment.date),
        Precision::Day => day(moment.date),
        Precision::Time => match moment.time_as_written().and_then(time) {
            Some(time) => format!("{}, {time}", day(moment.date)),
            None => day(moment.date),
        },
    }
}

/// `May 2021`: the month of `date`.
pub(crate) fn month(date: Date) -> String {
    month_of_year(date.year(), date.month())
}

/// `May 2021`: month `month` (1–12) of `year`.
pub(crate) fn month_of_year(year: i16, month: i8) -> String {
    format!("{} {year}", MONTHS[month_position(month)])
}

/// `May`, `Sep`: month `month` (1–12) in three letters, where a chart has
/// room for little more.
pub(crate) fn month_short(month: i8) -> &'static str {
    let name = MONTHS[month_position(month)];
    name.get(..3).unwrap_or(name)
}

/// `17 May 2021`.
pub(crate) fn day(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[month_index(date)],
        date.year()
    )
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_index(date: Date) -> usize {
    month_position(date.month())
}

fn month_position(month: i8) -> usize {
    usize::try_from(month - 1).unwrap_or(0).min(11)
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

    fn at(text: &str) -> String {
        long(&Moment::parse_partial(text).expect("a date"))
    }

    #[test]
    fn each_precision_reads_as_written() {
        assert_eq!(at("2021"), "2021");
        assert_eq!(at("2021-05"), "May 2021");
        assert_eq!(at("2021-05-07"), "7 May 2021");
        assert_eq!(
            at("2021-05-17T23:30:00-04:00"),
            "17 May 2021, 23:30 UTC\u{2212}04:00"
        );
        assert_eq!(at("2021-05-17T09:05:30Z"), "17 May 2021, 09:05:30 UTC");
        assert_eq!(month_of_year(2021, 9), "September 2021");
        assert_eq!(month_short(9), "Sep");
        assert_eq!(
            at("2021-05-17T09:05:00.250+05:30"),
            "17 May 2021, 09:05 UTC+05:30"
        );
    }
}
