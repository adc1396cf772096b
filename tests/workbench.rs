//! Runs the real `stimmung` binary for the lexicon workbench: `lexicon check` (shipped and
//! deliberately broken lexicons), `lexicon coverage`, `kwic`, `eval`'s entry table, `diff` and
//! `lexicon import`, on the seeds and the shipped gold file.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{append, copy_dir, root, stderr, stdout};

/// Runs stimmung with the bundled lexicons unless `args` say otherwise.
fn run(args: &[&str]) -> Output {
    common::stimmung()
        .args(args)
        .env("STIMMUNG_LEXICONS", root().join("lexicons"))
        .output()
        .expect("binary runs")
}

/// The 1-based line of `polarity.tsv` whose term column is `term`.
fn polarity_line(dir: &Path, term: &str) -> usize {
    let text = std::fs::read_to_string(dir.join("polarity.tsv")).unwrap();
    text.lines()
        .position(|l| l.split('\t').next() == Some(term))
        .expect("term listed")
        + 1
}

fn lexicon_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lexicons");
    copy_dir(&root().join("lexicons"), &dir);
    (tmp, dir)
}

#[test]
fn check_passes_the_shipped_lexicons() {
    let o = run(&["lexicon", "check", "--lexicons", "lexicons"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("lexicons: clean"));
}

#[test]
fn check_reports_a_broken_lexicon_line_by_line() {
    let (_tmp, dir) = lexicon_copy();
    let gut = polarity_line(&dir, "gut");
    let pol = dir.join("polarity.tsv");
    let first_new = append(&pol, "gut\t-0.5\tADJ\n z.B. \t0.3\n");

    let o = run(&["lexicon", "check", "--lexicons", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let d = dir.display();
    assert_eq!(
        stdout(&o),
        format!(
            "{d}/polarity.tsv:{first_new}: conflicting duplicate: 'gut' is already on line {gut} with a different value\n\
             {d}/polarity.tsv:{}: 'z.B.' can never match: the tokenizer splits 'z.b.' into z | . | b | .\n",
            first_new + 1
        )
    );
    assert!(stderr(&o).contains("cross-file checks"), "{}", stderr(&o));
}

#[test]
fn check_finds_shadowed_entries_and_unknown_dialect_targets() {
    let (_tmp, dir) = lexicon_copy();
    let neg = dir.join("negators.tsv");
    let neg_line = append(&neg, "net\tdialect\n");
    let mapping = dir.join("dialect/south_tyrolean.tsv");
    let map_line = append(&mapping, "guatt\tgutt\tunambiguous\tst\t\n");

    let o = run(&["lexicon", "check", "--lexicons", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let d = dir.display();
    assert_eq!(
        stdout(&o),
        format!(
            "{d}/dialect/south_tyrolean.tsv:{map_line}: 'guatt' maps to unknown standard word(s) 'gutt': not in stopwords.tsv or any tone lexicon (a typo, or add the word to stopwords.tsv)\n\
             {d}/negators.tsv:{neg_line}: 'net' never applies: the dialect mapping rewrites it to 'nicht' before look-up\n"
        )
    );
}

#[test]
fn check_reports_format_errors_of_every_file_at_once() {
    let (_tmp, dir) = lexicon_copy();
    let pol = dir.join("polarity.tsv");
    let line = append(&pol, "wunderbar\t7\n");
    let emoji = dir.join("emoji.tsv");
    let eline = append(&emoji, ":-*\t0.4\tno\t\n");
    let o = run(&["lexicon", "check", "--lexicons", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let d = dir.display();
    assert!(
        out.contains(&format!(
            "{d}/polarity.tsv:{line}: column 'weight': 7 is outside the allowed range -1 … 1"
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "{d}/emoji.tsv:{eline}: ':-*' is read as a wildcard: every emoji or emoticon starting with ':-' gets this weight"
    )), "{out}");
}

/// `check --overlay`: the README's example overlay is clean; a broken one gets every problem at
/// once, each at its own line, against the shipped lexicons it is layered on.
#[test]
fn check_lints_overlay_files_against_the_lexicons() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.tsv");
    std::fs::write(
        &clean,
        "action\tlexicon\tterm\tvalue\tcategory\n\
         set\tpolarity\tteuer\t-0.5\n\
         add\tpolarity\tschwurbelig\t-0.6\n\
         remove\tpolarity\teinfach\n\
         set\tincivility\tdepp*\t0.8\tinsult\n\
         set\trules\tquestion_factor\t0.8\n",
    )
    .unwrap();
    let o = run(&["lexicon", "check", "--overlay", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");

    let lex = root().join("lexicons");
    let gut = polarity_line(&lex, "gut");
    let schlecht = polarity_line(&lex, "schlecht");
    let broken = tmp.path().join("broken.tsv");
    std::fs::write(
        &broken,
        "action\tlexicon\tterm\tvalue\tcategory\tpos\n\
         # line 2 is a comment\n\
         set\tpolarity\tgut\t0.6\t\tADJ\n\
         remove\tpolarity\tgibtsnicht\n\
         add\tpolarity\tschlecht\t-0.7\n\
         set\tpolarity\tschwurbelig\t-0.6\n\
         set\tpolarity\tschwurbelig\t-0.4\n\
         add\tpolarity\tnicht\t-0.3\n\
         add\tpolarity\tguat\t0.5\n\
         set\tpolarity\tböse*\t0.4\n\
         set\tpolarity\tz.B.\t0.2\n\
         set\tpolarity\tfein\t7\n\
         set\trules\tquestion_factor\t0.8\n\
         renove\tpolarity\tx\n\
         set\tcontrast\taber\t1\n",
    )
    .unwrap();
    let boese = polarity_line(&lex, "böse");
    let nicht = std::fs::read_to_string(lex.join("negators.tsv"))
        .unwrap()
        .lines()
        .position(|l| l.split('\t').next() == Some("nicht"))
        .unwrap()
        + 1;
    let o = run(&[
        "lexicon",
        "check",
        "--overlay",
        clean.to_str().unwrap(),
        "--overlay",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let b = broken.display();
    let expected = [
        format!("{b}:3: set 'gut' (polarity) changes nothing: the entry at polarity.tsv:{gut} has the same value"),
        format!("{b}:4: cannot remove 'gibtsnicht': no such entry"),
        format!("{b}:5: cannot add 'schlecht': already at polarity.tsv:{schlecht} (use set)"),
        // clean.tsv, layered first, already added it with this weight.
        format!("{b}:6: set 'schwurbelig' (polarity) changes nothing: the entry at clean.tsv:3 has the same value"),
        format!("{b}:7: 'schwurbelig' (polarity) is already changed on line 6 of this overlay; keep one line"),
        format!("{b}:8: 'nicht' never applies: it is a negator (negators.tsv:{nicht}), which is looked up first"),
        format!("{b}:9: 'guat' never applies: the dialect mapping rewrites it to 'gut' before look-up"),
        format!("{b}:10: 'böse*' and 'böse' (polarity.tsv:{boese}) have opposite signs: every inflected form gets the wildcard's"),
        format!("{b}:11: 'z.B.' can never match: the tokenizer splits 'z.b.' into z | . | b | ."),
        format!("{b}:12: column 'value': 7 is outside the allowed range -1 … 1"),
        format!("{b}:13: set 'question_factor' (rules) changes nothing: the entry at clean.tsv:6 has the same value"),
        format!("{b}:14: column 'action': 'renove' is not add, set or remove"),
        format!("{b}:15: column 'lexicon': 'contrast' is not one of polarity, negators, intensifiers, emoji, incivility, irony, rhetoric, rules"),
    ];
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), expected);
    assert!(stderr(&o).contains("13 finding(s)"), "{}", stderr(&o));
}

#[test]
fn coverage_writes_candidates_and_shares_for_the_seeds() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        "lexicon",
        "coverage",
        "seeds",
        "--out",
        tmp.path().to_str().unwrap(),
        "--top",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("texts 18 (13 comments); word tokens 2726"),
        "{out}"
    );
    assert!(
        out.contains("comments with at least one tone term 13 of 13 (100.0 %)"),
        "{out}"
    );
    let csv = std::fs::read_to_string(tmp.path().join("lexicon_candidates.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "term",
            "count",
            "documents",
            "looks_dialect",
            "standard",
            "example_1",
            "example_2",
            "suggested_file",
            "weight"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[0][0], "ukraine");
    assert_eq!(&rows[0][1], "59");
    assert_eq!(&rows[0][2], "10");
    assert!(
        rows[0][5].starts_with("000_ba950a74c250b361#body: "),
        "{:?}",
        &rows[0]
    );
    assert!(rows[0][5].contains("[Ukraine]"));
    assert_eq!(&rows[0][8], "");
}

#[test]
fn kwic_finds_dialect_forms_through_their_standard_rendering() {
    let o = run(&["kwic", "nicht", "seeds", "--csv", "--width", "20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(stderr(&o).contains("16 occurrence(s) of 'nicht'"));
    assert!(
        out.lines()
            .any(|l| l
                == "003_37f2beed3ee40e28,13,Kuane Seite wert ,net, moll unnähernd ihre…,nicht"),
        "{out}"
    );
    let o = run(&["kwic", "net", "seeds", "--width", "20"]);
    assert!(stderr(&o).contains("16 occurrence(s) of 'net'"));
    assert!(stdout(&o).contains("[net] moll unnähernd ihre…  (= nicht)"));
    let o = run(&["kwic", "kriegs*", "seeds"]);
    assert!(stdout(&o).contains("[Kriegstreiber]"), "{}", stdout(&o));
}

#[test]
fn eval_lists_the_entries_behind_wrong_predictions() {
    let o = run(&["eval", "gold/seed003.tsv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("accuracy  0.8462"), "{out}");
    assert!(out.contains("macro-F1  0.6364"), "{out}");
    assert!(out.contains("lexicon entries most often in wrong predictions"));
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("entry "))
        .skip(1)
        .collect();
    assert!(!rows.is_empty() && rows.len() <= 10, "{out}");
    // Every row names a lexicon line and counts at least one wrong prediction.
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains(".tsv:"), "{row}");
        let wrong: usize = cols[cols.len() - 2].parse().unwrap();
        assert!(wrong >= 1, "{row}");
    }
}

#[test]
fn diff_names_the_entry_that_changed_labels() {
    let (tmp, dir) = lexicon_copy();
    let gut = polarity_line(&dir, "gut");
    let pol = dir.join("polarity.tsv");
    let text = std::fs::read_to_string(&pol).unwrap();
    std::fs::write(&pol, text.replacen("\ngut\t0.6\t", "\ngut\t-0.6\t", 1)).unwrap();
    let texts = tmp.path().join("t.txt");
    std::fs::write(&texts, "Das ist gut.\nDer Himmel ist blau.\n").unwrap();
    let o = run(&[
        "diff",
        "--lexicons",
        "lexicons",
        "--lexicons",
        dir.to_str().unwrap(),
        "seeds",
        "--text",
        texts.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("t.txt#1: positive → negative (tone +0.514 → -0.514)"),
        "{out}"
    );
    assert!(out.contains(&format!(
        "    gut a:+0.60 (polarity.tsv:{gut}) → b:-0.60 (polarity.tsv:{gut})"
    )));
    assert!(!out.contains("t.txt#2"));
    // The seed 001 body moves from +0.036 to -0.101 (below the threshold): "guter" is one
    // of many tone words in a long news text.
    assert!(!out.contains("001_5c7e416d52d9e0fc#body"), "{out}");
    assert!(
        stderr(&o).contains("20 texts; 1 changed (1 label changes, threshold 0.2)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_converts_sentiws_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("SentiWS_v2.0_Positive.txt");
    std::fs::write(
        &src,
        "\u{feff}Abmachung|NN\t0.0040\tAbmachungen\r\nbrillant|ADJX\t0.5338\tbrillante,brillanten\r\n",
    )
    .unwrap();
    let out = tmp.path().join("polarity.tsv");
    let o = run(&[
        "lexicon",
        "import",
        "--from",
        "sentiws",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 source lines → 5 entries (5 positive, 0 negative)"));
    let tsv = std::fs::read_to_string(&out).unwrap();
    let body: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        body,
        [
            "term\tweight\tpos\tcategory\tsource\tnote",
            "abmachung\t0.004\tNN\t\tsentiws\t",
            "abmachungen\t0.004\tNN\t\tsentiws\tinflection of Abmachung",
            "brillant\t0.534\tADJ\t\tsentiws\t",
            "brillante\t0.534\tADJ\t\tsentiws\tinflection of brillant",
            "brillanten\t0.534\tADJ\t\tsentiws\tinflection of brillant",
        ]
    );
}

/// Lines copied verbatim (CRLF line ends, no line end after the last line, as in the file) from
/// `vaderSentiment/vader_lexicon.txt` of vaderSentiment 3.3.2, Copyright (c) 2016 C.J. Hutto,
/// MIT licence (https://github.com/cjhutto/vaderSentiment): an emoticon, a chat acronym listed
/// twice with different means (VADER keeps the later line), multi-word entries, and words.
const VADER_LINES: &str = "$:\t-1.5\t0.80623\t[-1, -1, -1, -1, -3, -1, -3, -1, -2, -1]\r\n\
:D\t2.3\t1.1\t[4, 2, 2, 1, 2, 1, 4, 3, 3, 1]\r\n\
lol\t2.9\t0.83066\t[4, 2, 2, 2, 4, 2, 3, 3, 4, 3]\r\n\
wtf\t-2.8\t0.74833\t[-4, -3, -2, -3, -2, -2, -2, -4, -3, -3]\r\n\
bad\t-2.5\t0.67082\t[-3, -2, -4, -3, -2, -2, -3, -2, -2, -2]\r\n\
can't stand\t-2.0\t0.63246\t[-2, -2, -2, -1, -1, -2, -3, -2, -2, -3]\r\n\
fed up\t-1.8\t1.249\t[-2, -2, -3, -4, -2, -2, -1, -2, -1, 1]\r\n\
good\t1.9\t0.9434\t[2, 1, 1, 3, 2, 4, 2, 2, 1, 1]\r\n\
lol\t1.8\t1.46969\t[1, 3, 4, 1, 2, 4, 1, 2, -1, 1]\r\n\
sweet<3\t3.0\t0.44721\t[3, 3, 3, 3, 4, 2, 3, 3, 3, 3]\r\n\
}:-)\t0.3\t1.61555\t[1, 1, -2, 1, -1, -3, 2, 2, 1, 1]";

#[test]
fn import_converts_lines_of_the_real_vader_lexicon() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("vader_lexicon.txt");
    std::fs::write(&src, VADER_LINES).unwrap();
    let out = tmp.path().join("vader.tsv");
    let o = run(&[
        "lexicon",
        "import",
        "--from",
        "vader",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "11 source lines → 6 entries (2 positive, 4 negative); 1 conflicting forms resolved, 4 skipped"
        ),
        "{}",
        stderr(&o)
    );
    let tsv = std::fs::read_to_string(&out).unwrap();
    let body: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        body,
        [
            "term\tweight\tpos\tcategory\tsource\tnote",
            "bad\t-0.625\t\t\tvader\t",
            "can't stand\t-0.5\t\t\tvader\t",
            "fed up\t-0.45\t\t\tvader\t",
            "good\t0.475\t\t\tvader\t",
            "lol\t0.45\t\t\tvader\t",
            "wtf\t-0.7\t\t\tvader\t",
        ]
    );
}
