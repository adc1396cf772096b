//! The main job end to end: `stimmung analyze` on the real seed pages into a temporary folder.

mod common;

use std::path::{Path, PathBuf};

use common::stimmung;

fn seeds() -> PathBuf {
    common::root().join("seeds")
}

fn analyze_into(out: &Path, extra: &[&str]) -> std::process::Output {
    let output = stimmung()
        .arg("analyze")
        .arg(seeds())
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run stimmung");
    assert!(
        output.status.success(),
        "analyze failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn read_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("open csv");
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let idx = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[idx].as_str()).collect()
}

#[test]
fn analyze_writes_tables_charts_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = analyze_into(&out, &[]);
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        summary.contains("analysed 5 pages (1 with comments): 13 comments"),
        "{summary}"
    );

    let (h, articles) = read_table(&out.join("articles.csv"));
    assert_eq!(articles.len(), 5);
    assert_eq!(
        column(&h, &articles, "article_id"),
        [
            "000_ba950a74c250b361",
            "001_5c7e416d52d9e0fc",
            "002_5bb31df7a3a004c8",
            "003_37f2beed3ee40e28",
            "004_d2672421a8a95d02"
        ]
    );
    assert_eq!(column(&h, &articles, "declared_comments")[3], "13");
    assert_eq!(column(&h, &articles, "threads"), ["0", "0", "0", "5", "0"]);
    assert_eq!(
        column(&h, &articles, "parsed_comments"),
        ["0", "0", "0", "13", "0"]
    );
    assert_eq!(column(&h, &articles, "published")[3], "2024-12-03T18:57");
    assert_eq!(
        column(&h, &articles, "byline")[3],
        "APA/Reuters/Ukrinform/dpa/TASS"
    );
    assert_eq!(column(&h, &articles, "encoding")[3], "UTF-8");
    // Ordinary news articles of 350-800 words score moderately: long texts do not saturate.
    for tone in column(&h, &articles, "body_tone") {
        let tone: f64 = tone.parse().unwrap();
        assert!(tone.abs() < 0.5, "body tone {tone}");
    }

    let (h, comments) = read_table(&out.join("comments.csv"));
    assert_eq!(comments.len(), 13);
    let ids: Vec<usize> = column(&h, &comments, "comment_id")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let authors = column(&h, &comments, "author");
    let author_of = |id: usize| authors[ids.iter().position(|&i| i == id).unwrap()];
    assert_eq!(author_of(1), "Speedy Gonzales");
    assert_eq!(author_of(13), "schlaumaier");
    let threads_col = column(&h, &comments, "thread_id");
    let thread_of = |id: usize| threads_col[ids.iter().position(|&i| i == id).unwrap()];
    for id in 4..=8 {
        assert_eq!(thread_of(id), "3", "comment {id} belongs to thread 3");
    }
    let labels = column(&h, &comments, "dialect_label");
    for id in [2, 6, 9, 13] {
        let label = labels[ids.iter().position(|&i| i == id).unwrap()];
        assert!(
            label == "dialect" || label == "mixed",
            "comment {id}: {label}"
        );
    }
    let truncated = column(&h, &comments, "truncated");
    assert_eq!(truncated[ids.iter().position(|&i| i == 5).unwrap()], "TRUE");
    assert_eq!(
        truncated[ids.iter().position(|&i| i == 4).unwrap()],
        "FALSE"
    );
    let positions: Vec<&str> = column(&h, &comments, "position");
    assert_eq!(positions.first(), Some(&"1"));
    assert_eq!(positions.last(), Some(&"13"));
    let hundeseele = ids.iter().position(|&i| i == 12).unwrap();
    assert_eq!(column(&h, &comments, "tone_label")[hundeseele], "negative");

    // Comment 5 pastes article sentences, partly without quotation marks: every term of the
    // pasted passage is quoted (`q:`); what stays is the sentence the scraped article does not
    // contain ("… die Allianz … Mitgliedschaft …") and the commenter's own "glaubt". Comment 9's
    // quotation in marks stays quoted.
    let matched = column(&h, &comments, "matched_terms");
    let quoted_tone = column(&h, &comments, "quoted_tone");
    let row = |id: usize| ids.iter().position(|&i| i == id).unwrap();
    let own: Vec<&str> = matched[row(5)]
        .split('|')
        .filter(|t| !t.starts_with("q:"))
        .collect();
    assert_eq!(
        own,
        ["allianz(+0.24)", "mitgliedschaft(+0.00)", "glaubt(+0.00)"],
        "{}",
        matched[row(5)]
    );
    assert!(matched[row(5)].contains("q:kein interesse(-0.40)"));
    assert!(!quoted_tone[row(5)].is_empty());
    assert!(matched[row(9)].contains("q:bedrohung(-0.50)"));
    assert!(quoted_tone[row(9)].starts_with('-'));

    let (h, threads) = read_table(&out.join("threads.csv"));
    let thread_ids: Vec<&str> = column(&h, &threads, "thread_id");
    // Roots 1, 3, 9, 11 and 12: see tests/parse.rs for the reply evidence behind each.
    assert_eq!(thread_ids, ["1", "3", "9", "11", "12"]);
    let distinct: std::collections::BTreeSet<&&str> = threads_col.iter().collect();
    assert_eq!(thread_ids.len(), distinct.len());
    let t3 = thread_ids.iter().position(|&t| t == "3").unwrap();
    assert_eq!(column(&h, &threads, "comments")[t3], "6");
    assert_eq!(column(&h, &threads, "root_author")[t3], "N. G.");

    let (_, errors) = read_table(&out.join("errors.csv"));
    assert!(errors.is_empty());

    let png = std::fs::read(out.join("charts/003_37f2beed3ee40e28.png")).unwrap();
    let info = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap()
        .info()
        .clone();
    assert_eq!((info.width, info.height), (1200, 600));
    assert!(out.join("charts/overview.png").is_file());
    assert!(!out.join("charts/000_ba950a74c250b361.png").exists());
}

#[test]
fn second_run_gives_byte_identical_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    analyze_into(&a, &["--threads", "1"]);
    analyze_into(&b, &["--threads", "2", "--jsonl"]);
    for table in [
        "articles.csv",
        "paragraphs.csv",
        "comments.csv",
        "threads.csv",
        "errors.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(table)).unwrap(),
            std::fs::read(b.join(table)).unwrap(),
            "{table} differs between runs"
        );
    }
    assert!(b.join("comments.jsonl").is_file());
}

#[test]
fn svg_charts_and_chart_redraw_from_filtered_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze_into(&out, &["--format", "svg"]);
    let svg = std::fs::read_to_string(out.join("charts/003_37f2beed3ee40e28.svg")).unwrap();
    assert!(svg.contains("Generalsekretär"));

    let (h, rows) = read_table(&out.join("comments.csv"));
    let thread = column(&h, &rows, "thread_id");
    let filtered = dir.path().join("filtered");
    std::fs::create_dir(&filtered).unwrap();
    let mut w = csv::Writer::from_path(filtered.join("comments.csv")).unwrap();
    w.write_record(&h).unwrap();
    for (row, t) in rows.iter().zip(thread) {
        if t == "3" {
            w.write_record(row).unwrap();
        }
    }
    w.flush().unwrap();
    drop(w);
    std::fs::copy(out.join("articles.csv"), filtered.join("articles.csv")).unwrap();
    let status = stimmung()
        .arg("chart")
        .arg(filtered.join("comments.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(filtered.join("charts/003_37f2beed3ee40e28.png").is_file());
}

#[test]
fn crawled_at_fills_posted_at_and_bad_time_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze_into(&out, &["--crawled-at", "2024-12-04T08:00", "--no-charts"]);
    let (h, rows) = read_table(&out.join("comments.csv"));
    let ids = column(&h, &rows, "comment_id");
    let first = ids.iter().position(|&i| i == "1").unwrap();
    // Comment 1 is 9 h 51 min old at crawl time.
    assert_eq!(
        column(&h, &rows, "posted_at")[first],
        "2024-12-03T22:09:00Z"
    );

    let status = stimmung()
        .args(["analyze", "--crawled-at", "gestern", "--out"])
        .arg(dir.path().join("x"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn unreadable_input_is_reported_and_the_rest_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        seeds().join("003_37f2beed3ee40e28.txt"),
        input.join("003.txt"),
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    let out = dir.path().join("out");
    let output = stimmung()
        .arg("analyze")
        .arg(&input)
        .arg(dir.path().join("does-not-exist"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let (h, errors) = read_table(&out.join("errors.csv"));
    let files = column(&h, &errors, "file");
    assert_eq!(errors.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("empty.txt")));
    let (_, comments) = read_table(&out.join("comments.csv"));
    assert_eq!(comments.len(), 13);
}
