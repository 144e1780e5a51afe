//! The data package as one download: `data/annals-data.zip` holds
//! `datapackage.json` and every file it lists, at the same paths, so that
//! the folder it unzips to validates as the package does. Past a host's
//! limit on one file it is split into `annals-data-1.zip`, `-2.zip`…, each
//! holding whole files. Pure: the bytes of the files in, the zips out,
//! dated by the record, never by the clock.

use std::io::{self, Cursor};

use jiff::civil::Date;
use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, PreparedZipFile, ZipWriter};

/// The output folder of the data package, and of its zips.
pub(crate) const DIR: &str = "data";

/// The zips' output path without its extension (and part number).
const STEM: &str = "data/annals-data";

/// The most a zip may hold: the smallest limit on one file of the hosts
/// annals knows (docs/DEPLOY.md).
pub(crate) const PART_LIMIT: u64 = crate::hosts::SMALLEST_FILE_LIMIT;

/// Deflate's fastest level: every build pays for the zips, a reader
/// downloads them now and then. On the 32.6 MB of CSV of the 10,000-article
/// benchmark, level 1 gives 7.0 MB in 130 ms on one core, level 2 5.5 MB
/// in 200 ms, and level 6 (zlib's default) 4.5 MB in 640 ms.
const LEVEL: i64 = 1;

/// What goes in the download, as the package describes it.
#[derive(Debug, Clone)]
pub(crate) struct Contents {
    /// Paths below `/data/`, `datapackage.json` first, then every file it
    /// lists in its order.
    pub files: Vec<String>,
    /// The day the record last changed (the package's `version`), which
    /// dates every file in the zips; `None` for a record without articles.
    pub day: Option<Date>,
}

/// One zip of the download, as the codebook page links it.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    /// Its path in the output (`data/annals-data.zip`).
    pub path: String,
    pub bytes: u64,
}

/// Whether the output file at `path` is a zip of the download, of any
/// number of parts: what the download writes, and removes when it no
/// longer does.
pub(crate) fn owns(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(STEM) else {
        return false;
    };
    let Some(part) = rest.strip_suffix(".zip") else {
        return false;
    };
    part.is_empty()
        || part
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Zips `contents`, each file's bytes given by `read` (a path below
/// `/data/`), compressed in parallel, into parts of at most `limit` bytes
/// (a file larger than that alone gets a part of its own: the host check
/// then names it). Returns each part's output path and bytes, in order.
pub(crate) fn zips(
    contents: &Contents,
    limit: u64,
    read: impl Fn(&str) -> io::Result<Vec<u8>> + Sync,
) -> io::Result<Vec<(String, Vec<u8>)>> {
    let options = options(contents.day);
    let prepared: Vec<PreparedZipFile> = (contents.files.par_iter())
        .map(|name| {
            let bytes = read(name)?;
            PreparedZipFile::from_data(name, options, &bytes).map_err(io::Error::other)
        })
        .collect::<io::Result<_>>()?;
    let parts = pack(&prepared, limit);
    let count = parts.len();
    let mut prepared = prepared.into_iter();
    let mut zips = Vec::with_capacity(count);
    for (number, files) in parts.into_iter().enumerate() {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for file in prepared.by_ref().take(files) {
            writer.add_prepared_file(file).map_err(io::Error::other)?;
        }
        let bytes = writer.finish().map_err(io::Error::other)?.into_inner();
        zips.push((path(number, count), bytes));
    }
    Ok(zips)
}

/// Each zip of `zips` as the codebook page links it.
pub(crate) fn listed(zips: &[(String, Vec<u8>)]) -> Vec<Download> {
    (zips.iter())
        .map(|(path, bytes)| Download {
            path: path.clone(),
            bytes: bytes.len() as u64,
        })
        .collect()
}

/// How many files, in order, each part holds: as many as fit in `limit`.
fn pack(files: &[PreparedZipFile], limit: u64) -> Vec<usize> {
    let mut parts: Vec<usize> = Vec::new();
    let mut size = END_RECORD;
    for file in files {
        let name = file.file_name_raw().len() as u64;
        let entry = LOCAL_HEADER + CENTRAL_HEADER + 2 * name + file.compressed_size();
        match parts.last_mut() {
            Some(count) if size + entry <= limit => {
                *count += 1;
                size += entry;
            }
            _ => {
                parts.push(1);
                size = END_RECORD + entry;
            }
        }
    }
    parts
}

/// What a zip spends besides the files' data (the name counted apart):
/// each file's local header and its entry in the central directory, and
/// the end record (no comment, no extra fields: see [`options`]).
const LOCAL_HEADER: u64 = 30;
const CENTRAL_HEADER: u64 = 46;
const END_RECORD: u64 = 22;

/// Part `number` (from 0) of `count`: one zip is `annals-data.zip`; more
/// are numbered from 1.
fn path(number: usize, count: usize) -> String {
    match count {
        1 => format!("{STEM}.zip"),
        _ => format!("{STEM}-{}.zip", number + 1),
    }
}

/// The same options for every file, whatever the machine: its date is the
/// record's, read-write for its owner and readable by all as on Unix.
fn options(day: Option<Date>) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
        .last_modified_time(zip_time(day))
        .system(zip::System::Unix)
        .unix_permissions(0o644)
}

/// `day` at midnight as a zip dates a file: within the years it can say
/// (1980 to 2107), else the nearest end; a record without a date, 1980.
fn zip_time(day: Option<Date>) -> DateTime {
    let Some(day) = day else {
        return DateTime::default();
    };
    let year = day.year().clamp(1980, 2107);
    let (month, date) = match day.year() {
        1980..=2107 => (day.month(), day.day()),
        ..1980 => (1, 1),
        _ => (12, 31),
    };
    let (month, date) = (month.unsigned_abs(), date.unsigned_abs());
    DateTime::from_date_and_time(year.unsigned_abs(), month, date, 0, 0, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn contents(files: &[&str]) -> Contents {
        Contents {
            files: files.iter().map(|f| (*f).to_owned()).collect(),
            day: Some(jiff::civil::date(2021, 5, 17)),
        }
    }

    /// Text that deflate cannot shrink much: `n` bytes of a simple
    /// pseudo-random sequence.
    fn noise(n: usize, seed: u32) -> Vec<u8> {
        let mut state = seed.wrapping_mul(2_654_435_761) | 1;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                b'a' + (state % 26) as u8
            })
            .collect()
    }

    fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>, DateTime)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                let time = file.last_modified().unwrap();
                (file.name().unwrap().into_owned(), data, time)
            })
            .collect()
    }

    #[test]
    fn one_zip_holds_every_file_in_order_dated_by_the_record() {
        let files = ["datapackage.json", "statements/2021.csv", "people.csv"];
        let read = |name: &str| Ok(format!("{name}\n").repeat(100).into_bytes());
        let zips = zips(&contents(&files), PART_LIMIT, read).unwrap();
        assert_eq!(zips.len(), 1);
        assert_eq!(zips[0].0, "data/annals-data.zip");
        let inside = unzip(&zips[0].1);
        let names: Vec<&str> = inside.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(names, files);
        for (name, data, time) in &inside {
            assert_eq!(data, &read(name).unwrap());
            let day = (time.year(), time.month(), time.day(), time.hour());
            assert_eq!(day, (2021, 5, 17, 0));
        }
        let again = super::zips(&contents(&files), PART_LIMIT, read).unwrap();
        assert_eq!(again, zips, "the same bytes every time");
    }

    #[test]
    fn past_the_limit_whole_files_go_in_numbered_parts_each_under_it() {
        let files = ["datapackage.json", "a.csv", "b.csv", "c.csv"];
        let read = |name: &str| Ok(noise(4_000, name.len() as u32 + name.as_bytes()[0] as u32));
        let zips = zips(&contents(&files), 9_000, read).unwrap();
        let names: Vec<&str> = zips.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(names, ["data/annals-data-1.zip", "data/annals-data-2.zip"]);
        let mut inside = Vec::new();
        for (_, bytes) in &zips {
            assert!(bytes.len() <= 9_000, "{}", bytes.len());
            inside.extend(unzip(bytes).into_iter().map(|(name, ..)| name));
        }
        assert_eq!(inside, files);
    }

    #[test]
    fn a_file_larger_than_the_limit_gets_a_part_of_its_own() {
        let files = ["datapackage.json", "big.csv", "small.csv"];
        let read = |name: &str| match name {
            "big.csv" => Ok(noise(20_000, 7)),
            _ => Ok(b"x".to_vec()),
        };
        let zips = zips(&contents(&files), 10_000, read).unwrap();
        let counts: Vec<usize> = zips.iter().map(|(_, bytes)| unzip(bytes).len()).collect();
        assert_eq!(counts, [1, 1, 1]);
    }

    #[test]
    fn the_zips_are_told_from_other_files() {
        for owned in [
            "data/annals-data.zip",
            "data/annals-data-1.zip",
            "data/annals-data-12.zip",
        ] {
            assert!(owns(owned), "{owned}");
        }
        for other in [
            "data/annals-data-.zip",
            "data/annals-data-x.zip",
            "data/annals-data.csv",
            "data/people.csv",
            "annals-data.zip",
        ] {
            assert!(!owns(other), "{other}");
        }
    }

    #[test]
    fn dates_outside_what_a_zip_can_say_are_kept_to_its_ends() {
        let day = |y, m, d| zip_time(Some(jiff::civil::date(y, m, d)));
        let ymd = |t: DateTime| (t.year(), t.month(), t.day());
        assert_eq!(ymd(day(2021, 5, 17)), (2021, 5, 17));
        assert_eq!(ymd(day(1975, 5, 17)), (1980, 1, 1));
        assert_eq!(ymd(day(2200, 5, 17)), (2107, 12, 31));
        assert_eq!(ymd(zip_time(None)), (1980, 1, 1));
    }
}
