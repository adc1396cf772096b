//! `stimmung analyze` on damaged, hostile and oversized input built in temporary folders: every
//! input either becomes an article row (with the encoding that was assumed) or an errors.csv row
//! with a reason, the other pages are still analysed, the exit code says whether anything was
//! skipped, outputs are replaced whole, and nothing is written outside `--out`.
//!
//! Sizes are scaled down to keep the suite fast; docs/reliability.md has the full-size figures.

use std::collections::BTreeSet;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

/// A page with an article and two comments, the second replying to the first.
const PAGE: &str = "Grüße aus dem Dorf

Der Gemeinderat hat am Montag über die neue Straße beraten.

Kommentare

Anna
Anna
5 Min

Das ist eine gute Nachricht.

Bert
Bert
2 Min

@Anna Finde ich nicht.
";

fn analyze(pages: &[&Path], out: &Path, extra: &[&str]) -> Output {
    common::stimmung()
        .arg("analyze")
        .args(pages)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--threads", "2"])
        .args(extra)
        .output()
        .expect("run stimmung")
}

/// A CSV table as maps from column name to cell, one per row.
fn table(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    common::csv_rows(&std::fs::read_to_string(path).expect("open csv"))
}

fn cell<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    key: (&str, &str),
    col: &str,
) -> &'a str {
    let row = rows
        .iter()
        .find(|r| r[key.0] == key.1)
        .unwrap_or_else(|| panic!("no row with {} = {}", key.0, key.1));
    &row[col]
}

/// The error reason for the file whose path ends in `name`.
fn reason<'a>(errors: &'a [std::collections::HashMap<String, String>], name: &str) -> &'a str {
    errors
        .iter()
        .find(|r| r["file"].ends_with(name))
        .map(|r| r["reason"].as_str())
        .unwrap_or_else(|| panic!("{name} not in errors.csv: {errors:?}"))
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Every file below `dir` (not following symlinks), relative to it.
fn files_below(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(path.clone());
            }
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".tmp-"))
        .collect()
}

#[test]
fn each_damaged_input_parses_or_is_listed_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(pages.join(name), bytes).unwrap();

    write("good.txt", PAGE.as_bytes());
    write(
        "cp1252.txt",
        &windows_1252(&PAGE.replace("Dorf", "Dorf „€“")),
    );
    // A UTF-8 page whose download stopped inside a character.
    let mut cut = PAGE.as_bytes().to_vec();
    cut.extend_from_slice("Schöne Grüß".as_bytes());
    cut.pop();
    write("invalid_utf8.txt", &cut);
    write("bom.txt", &[b"\xEF\xBB\xBF", PAGE.as_bytes()].concat());
    write("crlf.txt", PAGE.replace('\n', "\r\n").as_bytes());
    write("cr.txt", PAGE.replace('\n', "\r").as_bytes());
    write("nul.txt", PAGE.replace("Montag", "Mon\0tag").as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(PAGE.encode_utf16().flat_map(u16::to_le_bytes));
    write("utf16.txt", &utf16);
    write("empty.txt", b"");
    write("blank.txt", b"\n \r\n\t\n");
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 64][..]].concat();
    write("picture.png", &png);
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    write("noise.bin", &noise);
    std::os::unix::fs::symlink(pages.join("gone.txt"), pages.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink(pages.join("loop_b.txt"), pages.join("loop_a.txt")).unwrap();
    std::os::unix::fs::symlink(pages.join("loop_a.txt"), pages.join("loop_b.txt")).unwrap();
    std::os::unix::fs::symlink(&pages, pages.join("zz_folder_loop")).unwrap();
    // Unreadable without relying on permissions (the suite may run as root): a FIFO.
    let fifo = Command::new("mkfifo")
        .arg(pages.join("fifo.txt"))
        .status()
        .is_ok_and(|s| s.success());
    // chmod 000 only bites for a non-root user; detect that instead of assuming it.
    let locked = pages.join("locked.txt");
    std::fs::write(&locked, PAGE).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let locked_bites = std::fs::read(&locked).is_err();

    let out = dir.path().join("out");
    let run = analyze(&[&pages], &out, &["--no-charts"]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let articles = table(&out.join("articles.csv"));
    let errors = table(&out.join("errors.csv"));
    let encoding = |id: &str| cell(&articles, ("article_id", id), "encoding");
    let title = |id: &str| cell(&articles, ("article_id", id), "title");
    for id in ["good", "bom", "crlf", "cr", "nul", "invalid_utf8"] {
        assert_eq!(encoding(id), "UTF-8", "{id}");
        assert_eq!(title(id), "Grüße aus dem Dorf", "{id}");
        assert_eq!(
            cell(&articles, ("article_id", id), "parsed_comments"),
            "2",
            "{id}"
        );
    }
    assert_eq!(encoding("cp1252"), "windows-1252");
    assert_eq!(title("cp1252"), "Grüße aus dem Dorf „€“");
    assert_eq!(
        cell(&articles, ("article_id", "cp1252"), "parsed_comments"),
        "2"
    );
    assert_eq!(encoding("utf16"), "UTF-16LE");
    assert_eq!(title("utf16"), "Grüße aus dem Dorf");
    assert!(cell(&articles, ("article_id", "invalid_utf8"), "warnings").contains("invalid UTF-8"));
    assert!(cell(&articles, ("article_id", "nul"), "warnings").contains("dropped 1 control"));
    let paragraphs = table(&out.join("paragraphs.csv"));
    assert!(paragraphs
        .iter()
        .any(|r| r["article_id"] == "nul" && r["text"].contains("Montag")));

    assert_eq!(reason(&errors, "empty.txt"), "empty file");
    assert!(reason(&errors, "blank.txt").starts_with("no text"));
    assert_eq!(reason(&errors, "picture.png"), "binary file (PNG image)");
    assert!(reason(&errors, "noise.bin").starts_with("binary file ("));
    assert!(reason(&errors, "dangling.txt").starts_with("cannot read"));
    assert!(reason(&errors, "loop_a.txt").starts_with("cannot read"));
    assert!(reason(&errors, "zz_folder_loop").contains("symlink loop"));
    if fifo {
        assert!(reason(&errors, "fifo.txt").starts_with("not a regular file"));
    }
    if locked_bites {
        assert!(reason(&errors, "locked.txt").starts_with("cannot read"));
    } else {
        eprintln!("note: running as root, chmod 000 does not make locked.txt unreadable");
        assert_eq!(title("locked"), "Grüße aus dem Dorf");
    }
    let expected_errors = 8 + usize::from(fifo) + usize::from(locked_bites);
    assert_eq!(errors.len(), expected_errors, "{errors:?}");
    assert_eq!(
        articles.len(),
        8 + usize::from(!locked_bites),
        "{articles:?}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("skipped") && stderr.contains("empty.txt"),
        "{stderr}"
    );
}

#[test]
fn large_pages_long_lines_many_comments_and_many_pages() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    // 5 MB of paragraphs.
    let mut big = String::from("Ein sehr großer Artikel\n\n");
    let mut n = 0;
    while big.len() < 5_000_000 {
        n += 1;
        let sentence = format!("Im Absatz {n} hat der Gemeinderat über die Straße beraten. ");
        big.push_str(&sentence.repeat(6));
        big.push_str("\n\n");
    }
    std::fs::write(pages.join("big.txt"), &big).unwrap();
    // One 1 MB line, with multi-byte characters all along it.
    let line = "Straße „Brücke“ – Grüße € ".repeat(1_000_000 / 30);
    std::fs::write(
        pages.join("long_line.txt"),
        format!("Eine lange Zeile\n\n{line}\n"),
    )
    .unwrap();
    // 5,000 comments on one page.
    let mut many = String::from("Viele Kommentare\n\nEin Artikel mit Text.\n\nKommentare\n\n");
    for i in 0..5_000 {
        many.push_str(&format!(
            "Leser{i}\nLeser{i}\n{} Min\n\nKommentar Nummer {i} ist gut.\n\n",
            5_000 - i
        ));
    }
    std::fs::write(pages.join("many_comments.txt"), &many).unwrap();
    // A folder of 500 pages.
    let folder = pages.join("folder");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..500 {
        std::fs::write(folder.join(format!("p{i:04}.txt")), PAGE).unwrap();
    }

    let out = dir.path().join("out");
    let run = analyze(&[&pages], &out, &["--no-charts"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let articles = table(&out.join("articles.csv"));
    assert_eq!(articles.len(), 503);
    assert_eq!(table(&out.join("errors.csv")).len(), 0);
    let comments_of = |id: &str| cell(&articles, ("article_id", id), "parsed_comments").to_string();
    assert_eq!(comments_of("many_comments"), "5000");
    assert_eq!(comments_of("p0499"), "2");
    let big_paragraphs: usize = cell(&articles, ("article_id", "big"), "paragraphs")
        .parse()
        .unwrap();
    assert_eq!(big_paragraphs, n);
    let paragraphs = table(&out.join("paragraphs.csv"));
    let long = paragraphs
        .iter()
        .find(|r| r["article_id"] == "long_line")
        .unwrap();
    assert_eq!(long["text"], line.trim_end());
    let comments = table(&out.join("comments.csv"));
    assert_eq!(comments.len(), 5_000 + 500 * 2);
    assert_eq!(
        cell(
            &comments,
            ("text", "Kommentar Nummer 4999 ist gut."),
            "comment_id"
        ),
        "5000"
    );
}

#[test]
fn a_rerun_replaces_every_table_whole() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A complete table from an earlier run with more rows than this run will write.
    let stale = "article_id,title\nold1,Alt\nold2,Alt\nold3,Alt\n".repeat(50);
    for name in ["articles", "paragraphs", "comments", "threads", "errors"] {
        std::fs::write(out.join(format!("{name}.csv")), &stale).unwrap();
    }
    let run = analyze(&[&page], &out, &["--no-charts"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for name in ["articles", "paragraphs", "comments", "threads", "errors"] {
        let text = std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap();
        assert!(!text.contains("old1"), "{name}.csv kept old rows");
    }
    assert_eq!(table(&out.join("articles.csv")).len(), 1);
    assert_eq!(table(&out.join("comments.csv")).len(), 2);
    assert_eq!(table(&out.join("errors.csv")).len(), 0);
    assert_eq!(temp_files(&out), Vec::<PathBuf>::new());
}

#[test]
fn a_failing_run_leaves_previous_output_and_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();

    // --out is a file.
    let out_file = dir.path().join("out.txt");
    std::fs::write(&out_file, "keep me").unwrap();
    let run = analyze(&[&page], &out_file, &["--no-charts"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "keep me");

    // The charts folder cannot be created because a file has its name.
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("articles.csv"), "article_id\nold\n").unwrap();
    std::fs::write(out.join("charts"), "not a folder").unwrap();
    let run = analyze(&[&page], &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(out.join("articles.csv")).unwrap(),
        "article_id\nold\n"
    );
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
}

/// The final rename fails (a folder holds the table's name): the run must fail with exit 2 and
/// leave no temporary file. Fails today: `AtomicFile::commit` (src/output/atomic.rs) takes the
/// file handle before `sync_all`/`rename`, so `Drop` no longer removes the temporary file when
/// either fails.
#[test]
fn a_failed_commit_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("articles.csv")).unwrap();
    let run = analyze(&[&page], &out, &["--no-charts"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(temp_files(&out), Vec::<PathBuf>::new());
}

/// A comment section of 20,000 junk lines gives the first ten warnings and one that counts the
/// rest, in articles.csv and in `parse`, the same on every run.
#[test]
fn warnings_are_capped_per_kind_with_a_closing_count() {
    let dir = tempfile::tempdir().unwrap();
    let junk: String = (0..20_000).map(|i| format!("Störzeile {i}\n")).collect();
    let page = dir.path().join("junk.txt");
    std::fs::write(
        &page,
        PAGE.replace("Kommentare\n\n", &format!("Kommentare\n\n{junk}\n")),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = analyze(&[&page], &out, &["--no-charts"]);
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
    let articles = table(&out.join("articles.csv"));
    let warnings: Vec<&str> = cell(&articles, ("article_id", "junk"), "warnings")
        .split("; ")
        .collect();
    assert_eq!(warnings.len(), 11, "{warnings:?}");
    assert_eq!(
        warnings[0],
        "line 7: ignored in the comment section (neither a comment nor known furniture): \
         Störzeile 0"
    );
    assert!(warnings[9].ends_with("Störzeile 9"), "{}", warnings[9]);
    assert_eq!(
        warnings[10],
        "… and 19990 more warnings of this kind (lines ignored in the comment section)"
    );
    // The comments after the junk are still parsed.
    assert_eq!(table(&out.join("comments.csv")).len(), 2);

    let parse = || common::stimmung().arg("parse").arg(&page).output().unwrap();
    let first = common::stdout(&parse());
    assert_eq!(
        first.lines().filter(|l| l.starts_with("warning:")).count(),
        11
    );
    assert_eq!(first, common::stdout(&parse()));
}

/// A run killed by Ctrl-C or SIGKILL leaves its hidden temporary files; the next run removes
/// those of the files it writes once they are unlocked and older than the sweep's safety
/// margin, and keeps everything else: a file a live run still holds locked, a fresh one, a
/// user's own files that merely look similar, and temporaries of files analyze does not write.
#[test]
fn a_rerun_sweeps_temporary_files_of_an_interrupted_run_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = dir.path().join("out");
    let charts = out.join("charts");
    std::fs::create_dir_all(&charts).unwrap();
    let plant = |path: PathBuf, age_secs: u64| {
        let file = std::fs::File::create(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(age_secs))
            .unwrap();
        path
    };
    let hour = 3600;
    let stale = [
        plant(out.join(".articles.csv.tmp-4000000000-0"), hour),
        plant(out.join(".comments.jsonl.tmp-4000000000-3"), hour),
        plant(out.join(".errors.csv.tmp-17-12"), hour),
        plant(charts.join(".page.png.tmp-4000000000-7"), hour),
        plant(charts.join(".gone_article.svg.tmp-4000000000-8"), hour),
    ];
    let kept = [
        // Written a moment ago: perhaps a run that has not locked it yet.
        plant(out.join(".threads.csv.tmp-4000000001-0"), 0),
        // Not files analyze writes.
        plant(out.join(".notes.txt.tmp-4000000000-1"), hour),
        plant(out.join(".articles.csv.bak.tmp-4000000000-1"), hour),
        // Other naming patterns.
        plant(out.join(".articles.csv.tmp-4000000000"), hour),
        plant(out.join(".articles.csv.tmp-abc-1"), hour),
        plant(out.join("articles.csv.tmp-4000000000-1"), hour),
        plant(out.join(".articles.csv.tmp-4000000000-1.keep"), hour),
        plant(out.join(".hidden"), hour),
        plant(charts.join("README.txt"), hour),
    ];
    // A folder and a symlink with the pattern's name are not temporary files.
    let folder = out.join(".paragraphs.csv.tmp-4000000000-0");
    std::fs::create_dir(&folder).unwrap();
    let link = out.join(".paragraphs.csv.tmp-4000000000-1");
    std::os::unix::fs::symlink(&page, &link).unwrap();
    // Another run writing into the same folder holds its temporary file locked.
    let live = plant(out.join(".comments.csv.tmp-4000000002-0"), hour);
    let holder = std::fs::File::open(&live).unwrap();
    holder.lock().unwrap();

    let run = common::stimmung()
        .arg("analyze")
        .arg(&page)
        .arg("--out")
        .arg(&out)
        .args(["--threads", "1"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
    assert!(
        common::stdout(&run).contains("removed 5 temporary files left by an interrupted run"),
        "{}",
        common::stdout(&run)
    );
    for path in &stale {
        assert!(!path.exists(), "not swept: {}", path.display());
    }
    for path in kept.iter().chain([&live]) {
        assert!(path.exists(), "removed: {}", path.display());
    }
    assert!(folder.is_dir());
    assert!(link.symlink_metadata().is_ok());
    assert_eq!(std::fs::read_to_string(&page).unwrap(), PAGE);
    assert_eq!(table(&out.join("comments.csv")).len(), 2);
    drop(holder);
}

/// `lexicon import --out FILE` writes into a folder that is not stimmung's: only temporaries of
/// FILE itself are swept there.
#[test]
fn import_sweeps_only_temporaries_of_its_own_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("words.tsv");
    std::fs::write(&source, "term\tweight\ngut\t0.5\n").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let plant = |name: &str| {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        path
    };
    let own = plant(".mine.tsv.tmp-4000000000-0");
    let other = plant(".theirs.tsv.tmp-4000000000-0");
    let run = common::stimmung()
        .args(["lexicon", "import", "--from", "tsv", "--out"])
        .arg(dir.path().join("mine.tsv"))
        .arg(&source)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
    assert!(!own.exists());
    assert!(other.exists());
    assert!(dir.path().join("mine.tsv").is_file());
}

#[test]
fn hostile_file_names_write_nothing_outside_out() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let names: Vec<std::ffi::OsString> = vec![
        "..txt".into(),
        "...txt".into(),
        "..\\..\\escape.txt".into(),
        "CON.txt".into(),
        "com1.txt".into(),
        "-rf.txt".into(),
        " .txt".into(),
        "line\nbreak.txt".into(),
        format!("{}.txt", "x".repeat(250)).into(),
        std::ffi::OsStr::from_bytes(b"latin1_\xfc.txt").to_os_string(),
        "%2e%2e%2fup.txt".into(),
    ];
    // Given one by one: inside a folder, names starting with a dot are skipped as hidden.
    let files: Vec<PathBuf> = names.iter().map(|n| pages.join(n)).collect();
    for file in &files {
        std::fs::write(file, PAGE).unwrap();
    }
    let outside_before = files_below(dir.path());
    let out = dir.path().join("out");
    let args: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let run = analyze(&args, &out, &["--size", "300x200"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let new: Vec<PathBuf> = files_below(dir.path())
        .difference(&outside_before)
        .filter(|p| !p.starts_with("out"))
        .cloned()
        .collect();
    assert_eq!(new, Vec::<PathBuf>::new(), "written outside --out");
    let charts: Vec<PathBuf> = files_below(&out.join("charts")).into_iter().collect();
    for chart in &charts {
        let name = chart.to_string_lossy();
        assert!(chart.components().count() == 1, "{name}");
        assert!(!name.starts_with('.') && name.len() <= 110, "{name}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
            "{name}"
        );
        let stem = name.split('.').next().unwrap().to_ascii_uppercase();
        assert!(
            !["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"].contains(&stem.as_str()),
            "{name}"
        );
    }
    let articles = table(&out.join("articles.csv"));
    assert_eq!(articles.len(), names.len());
    assert!(charts.iter().any(|c| c.to_string_lossy() == "overview.png"));
}

/// Two ids that sanitise to the same chart name ("a b" and "a_b") must not overwrite each other's
/// chart. Fails today: `safe_file_stem` (src/cmd/analyze.rs) maps both to `a_b.png`, the second
/// chart silently replaces the first.
#[test]
fn distinct_articles_get_distinct_charts() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    for name in ["a b.txt", "a_b.txt", "a?b.txt"] {
        std::fs::write(pages.join(name), PAGE).unwrap();
    }
    let out = dir.path().join("out");
    let run = analyze(&[&pages], &out, &["--size", "300x200"]);
    assert_eq!(run.status.code(), Some(0));
    // Three article charts and the overview.
    assert_eq!(files_below(&out.join("charts")).len(), 4);
}
