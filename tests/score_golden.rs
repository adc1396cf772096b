//! `stimmung score` output pinned byte for byte on every non-blank line of the seed pages
//! (articles, headers and comments, standard and dialect), so that speed work cannot change a
//! single score. After a deliberate change to the lexicons or the rules, regenerate the file
//! with `STIMMUNG_BLESS=1 cargo test --test score_golden` and review the diff.

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

mod common;

fn seed_lines() -> String {
    let dir = common::root().join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds/ exists")
        .map(|e| e.expect("seed entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut lines = String::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("seed is UTF-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    lines
}

fn score(input: &str, extra: &[&str]) -> Vec<u8> {
    let mut child = common::stimmung()
        .arg("score")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("stimmung runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("stimmung finishes");
    writer.join().expect("writer").expect("stdin written");
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

#[test]
fn seed_lines_score_exactly_as_pinned() {
    let input = seed_lines();
    assert!(input.lines().count() >= 150);
    let got = score(&input, &["--threads", "1"]);
    let golden = common::root().join("tests/golden/score_seed_lines.csv");
    if std::env::var_os("STIMMUNG_BLESS").is_some() {
        std::fs::write(&golden, &got).expect("golden written");
    }
    let want = std::fs::read(&golden).expect("tests/golden/score_seed_lines.csv exists");
    if got != want {
        let got = String::from_utf8_lossy(&got);
        let want = String::from_utf8_lossy(&want);
        let (n, (g, w)) = got
            .lines()
            .zip(want.lines())
            .enumerate()
            .find(|(_, (g, w))| g != w)
            .unwrap_or((0, ("(length differs)", "")));
        panic!("score output differs from the golden file at row {n}:\n got: {g}\nwant: {w}");
    }
}

/// Threads change the speed, never the bytes or their order: a batch larger than one worker's
/// share is scored on two threads.
#[test]
fn threads_keep_input_order() {
    let seed = seed_lines();
    let input = seed.repeat(8);
    let one = score(&input, &["--threads", "1"]);
    assert_eq!(one, score(&input, &["--threads", "2"]));
    assert_eq!(
        String::from_utf8_lossy(&one).lines().count(),
        input.lines().count() + 1
    );
}
