//! Runs the real `stimmung` binary: `score` (CSV, JSON lines, explanations) and `eval`, plus
//! lexicon errors that must stop the run before any output.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::{copy_dir, csv_rows, root, stdout};

/// Runs stimmung with `args` and `stdin`, using the bundled lexicons unless `args` say otherwise.
/// Stdin is written on its own thread, so that large inputs and outputs cannot block each other.
fn run(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = common::stimmung()
        .args(args)
        .env("STIMMUNG_LEXICONS", root().join("lexicons"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.as_ref().to_vec();
    // A run that stops early closes its stdin; the writer's broken pipe is no failure.
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

#[test]
fn score_stdin_lines_gives_one_csv_row_each() {
    let input = "Das ist gut\nDas ist nicht gut\nDes isch net guat\nDes isch nit schlecht\n";
    let o = run(&["score"], input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.starts_with(
        "tone,tone_label,pos,neg,neu,incivility,dialect_share,dialect_label,text_normalized,matched_terms\n"
    ));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 4);
    let tone = |i: usize| rows[i]["tone"].parse::<f64>().unwrap();
    assert!(tone(0) > 0.0 && tone(1) < 0.0);
    assert!(tone(2) < 0.0 && tone(3) > 0.0, "{rows:?}");
    assert_eq!(rows[0]["tone_label"], "positive");
    assert_eq!(rows[1]["matched_terms"], "nicht>gut(-0.42)");
    assert_eq!(rows[2]["text_normalized"], "Das ist nicht gut");
    assert_ne!(rows[2]["dialect_label"], "standard");
}

#[test]
fn score_text_argument() {
    let o = run(&["score", "Das ist sehr gut"], "");
    let rows = csv_rows(&stdout(&o));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["matched_terms"], "sehr>gut(+0.78)");
}

#[test]
fn jsonl_keeps_order_and_passes_fields_through() {
    let input = "{\"id\": 7, \"text\": \"Kriegstreiber allesamt!\", \"thread\": \"a\"}\n\
                 not json\n\
                 {\"id\": \"x\", \"text\": \"Das ist kein Problem\"}\n";
    let o = run(&["score", "--jsonl"], input);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a skipped line is reported with exit 1"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("<stdin>:2:"));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 7);
    assert_eq!(lines[0]["thread"], "a");
    assert!(lines[0].get("text").is_none());
    assert_eq!(lines[0]["tone_label"], "negative");
    assert!(lines[0]["tone"].as_f64().unwrap() < 0.0);
    assert_eq!(lines[1]["id"], "x");
    assert!(lines[1]["tone"].as_f64().unwrap() >= 0.0);
    for key in [
        "pos",
        "neg",
        "neu",
        "incivility",
        "dialect_share",
        "dialect_label",
        "text_normalized",
        "matched_terms",
    ] {
        assert!(lines[1].get(key).is_some(), "{key}");
    }
}

#[test]
fn a_line_that_is_not_utf8_stops_the_run_after_the_lines_before_it() {
    let good = run(&["score", "--threads", "1"], "Das ist gut\n");
    // Small, and with the bad line in a later block of the input than the first.
    let long_prefix = "Das ist gut\n".repeat(20_000);
    for (prefix, threads) in [
        ("Das ist gut\n", "1"),
        ("Das ist gut\n", "2"),
        (&long_prefix[..], "2"),
    ] {
        let mut input = prefix.as_bytes().to_vec();
        input.extend_from_slice(b"nicht \xff gut\nschlecht\n");
        let o = run(&["score", "--threads", threads], &input);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            common::stderr(&o),
            "stimmung: <stdin>: stream did not contain valid UTF-8\n"
        );
        let rows = stdout(&o);
        let row = stdout(&good).lines().nth(1).unwrap().to_string();
        assert_eq!(rows.lines().count(), prefix.lines().count() + 1);
        assert!(rows.lines().skip(1).all(|l| l == row), "{threads}");
    }
}

#[test]
fn crlf_and_cr_line_ends_score_as_lf() {
    let lines = [
        "Das ist gut",
        "Des isch net guat",
        "",
        "sehr \"gut\", nicht schlecht",
    ];
    let lf = run(&["score"], format!("{}\n", lines.join("\n")));
    assert!(lf.status.success());
    for end in ["\r\n", "\r\r\n"] {
        let o = run(&["score"], format!("{}{end}", lines.join(end)));
        assert_eq!(stdout(&o), stdout(&lf), "{end:?}");
    }
    // The last line may lack its line end, and one "\r" before the end of the input goes too.
    assert_eq!(
        stdout(&run(&["score"], format!("{}\r", lines.join("\n")))),
        stdout(&lf)
    );
}

#[test]
fn jsonl_skips_are_numbered_by_input_line_across_blocks_and_threads() {
    let mut input = String::new();
    for n in 1..=4000 {
        let line = match n {
            1 | 1500 | 3999 => "{\"id\": broken".to_string(),
            2 | 2500 => "   ".to_string(),
            3000 => "[\"not an object\"]".to_string(),
            _ => serde_json::json!({"id": n, "text": format!("Kommentar {n}: das ist gut, nicht schlecht")})
                .to_string(),
        };
        input.push_str(&line);
        input.push('\n');
    }
    assert!(input.len() > 200_000);
    let one = run(&["score", "--jsonl", "--threads", "1"], &input);
    let two = run(&["score", "--jsonl", "--threads", "2"], &input);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(common::stderr(&one), common::stderr(&two));
    let err = common::stderr(&one);
    let numbers: Vec<&str> = err
        .lines()
        .map(|l| l.split(':').nth(2).unwrap_or(l))
        .collect();
    assert_eq!(numbers, ["1", "1500", "3000", "3999"], "{err}");
    assert!(err.contains("<stdin>:3000: not a JSON object; skipped"));
    let out = stdout(&one);
    assert_eq!(out.lines().count(), 4000 - 6);
    let ids: Vec<u64> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]) && ids[0] == 3 && ids[ids.len() - 1] == 4000);
}

#[test]
fn explain_names_entries_offsets_and_compound_heads() {
    let o = run(&["score", "--explain", "Kriegstreiber, nicht gut"], "");
    let out = stdout(&o);
    assert!(o.status.success());
    assert!(out.contains("0..13"), "{out}");
    assert!(
        out.contains("'-treiber' compound_head via -treiber"),
        "{out}"
    );
    assert!(out.contains("negator (negators.tsv:"), "{out}");
    assert!(out.contains("×-0.70 negation 'nicht'"), "{out}");
    assert!(out.contains("tone "), "{out}");
}

/// A word that only a spelling pattern of `dialect/spelling.tsv` marks is dialect evidence,
/// named by file and line, and kept as written; standard words that share such spellings
/// ("Koalition", "Köln", "Situationen") are not evidence.
#[test]
fn spelling_patterns_count_as_dialect_but_keep_the_word() {
    let o = run(&["score", "--explain", "I hob des ned gwollt"], "");
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("gwollt           dialect spelling.tsv:"),
        "{out}"
    );
    assert!(out.contains("gwollt ~ ge- reduced to g-"), "{out}");
    assert!(
        out.contains("normalised: Ich habe das nicht gwollt"),
        "{out}"
    );
    let input = "I hob des ned gwollt\n\
                 Die Koalition hat gestern in Köln über Situationen diskutiert.\n";
    let rows = csv_rows(&stdout(&run(&["score"], input)));
    assert_eq!(rows[0]["text_normalized"], "Ich habe das nicht gwollt");
    assert_eq!(rows[0]["dialect_label"], "dialect");
    assert_eq!(rows[1]["dialect_label"], "standard");
    assert_eq!(rows[1]["dialect_share"], "0.0000");
}

#[test]
fn seed_003_quotations_are_not_credited_to_the_commenter() {
    let seed = std::fs::read_to_string(root().join("seeds/003_37f2beed3ee40e28.txt")).unwrap();
    let comment9: String = seed
        .lines()
        .skip_while(|l| !l.starts_with("\u{201C}Moskau betrachte"))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(comment9.contains("Präventivkrieg"));
    let o = run(
        &["score", "--jsonl"],
        format!("{}\n", serde_json::json!({"id": 9, "text": comment9})),
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(v["quoted_tone"].as_f64().unwrap() < 0.0, "{v}");
    assert!(
        v["matched_terms"].as_str().unwrap().contains("q:bedrohung"),
        "{v}"
    );
    assert!(v["irony"].is_string(), "{v}");
}

#[test]
fn malformed_lexicon_fails_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("lexicons"), dir.path());
    let path = dir.path().join("intensifiers.tsv");
    let line = common::append(&path, "sehr\tviel\n");
    let lex = dir.path().to_str().unwrap();
    let o = run(&["score", "--lexicons", lex], "Das ist gut\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("stimmung: ")
            && err.contains(&format!(
                "intensifiers.tsv:{line}: column 'factor': 'viel' is not a number"
            )),
        "{err}"
    );
}

#[test]
fn eval_reports_metrics_on_the_seed_gold_file() {
    let gold = root().join("gold/seed003.tsv");
    let o = run(&["eval", gold.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("texts     13"), "{out}");
    let acc: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("accuracy"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(acc >= 0.6, "{out}");
    assert!(out.contains("confusion (rows: gold, columns: predicted)"));
}
