//! Setup shared by the integration tests: the `stimmung` binary run from the crate root with
//! a known lexicon environment, copies of the bundled lexicons to edit, and CSV output read
//! into rows.

// Each test crate compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary run from the crate root, so relative paths such as `seeds` resolve; a
/// `STIMMUNG_LEXICONS` set in the developer's shell must not change what the tests see.
pub fn stimmung() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stimmung"));
    cmd.current_dir(root()).env_remove("STIMMUNG_LEXICONS");
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Copies the folder `from` with everything below it to `to`, so a test can edit lexicon
/// files without touching the bundled ones.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Appends `lines` to the file at `path` and returns the 1-based line number the first of them
/// gets, which the error messages under test name.
pub fn append(path: &Path, lines: &str) -> usize {
    let mut text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().count() + 1;
    text.push_str(lines);
    std::fs::write(path, text).unwrap();
    first
}

/// CSV text as maps from column name to cell, one per row.
pub fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
