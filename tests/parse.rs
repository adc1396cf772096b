//! `stimmung parse` on the real seeds and on pages written for these tests, through the binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{append, root};
use serde_json::Value;

fn seed(name: &str) -> PathBuf {
    let dir = root().join("seeds");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("no seed {name}"))
}

fn stimmung(args: &[&str]) -> Output {
    common::stimmung().args(args).output().unwrap()
}

/// Parses `file` with `--json` (and optional extra arguments), asserting success.
fn parse_json(file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["parse", file.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = stimmung(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn comments(page: &Value) -> &Vec<Value> {
    page["comments"].as_array().unwrap()
}

fn field<'a>(page: &'a Value, name: &str) -> Vec<&'a Value> {
    comments(page).iter().map(|c| &c[name]).collect()
}

fn body_texts(page: &Value) -> Vec<String> {
    page["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect()
}

fn warnings(page: &Value) -> Vec<String> {
    page["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

/// Every kind of furniture the issue lists; none may reach a title, lead or body.
const FURNITURE: [&str; 12] = [
    "Startseite",
    "Shutterstock",
    "Gerade lesen andere",
    "Lesen Sie auch",
    "Mehr zum Thema",
    "Schlagwort aus diesem Artikel",
    "mal gelesen",
    "Schreibe einen Kommentar",
    "Hinterlasse einen Kommentar",
    "Sortiert nach",
    "wpDiscuz",
    "Kommentare",
];

#[test]
fn seed_003_has_the_13_announced_comments_with_authors_ranks_and_ages() {
    let page = parse_json(&seed("003"), &[]);
    assert_eq!(page["declared_comment_count"], 13);
    assert_eq!(comments(&page).len(), 13);
    let authors: Vec<&str> = field(&page, "author")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        [
            "Speedy Gonzales",
            "Goennenihrwichtigtuer",
            "N. G.",
            "Blitz",
            "Sosonadann",
            "Goennenihrwichtigtuer",
            "N. G.",
            "N. G.",
            "Goennenihrwichtigtuer",
            "Blitz",
            "Look_at_Yourself",
            "hundeseele",
            "schlaumaier"
        ]
    );
    let ranks: Vec<&str> = field(&page, "rank")
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let (s, u, k, g) = ("Superredner", "Universalgelehrter", "Kinig", "Grünschnabel");
    assert_eq!(ranks, [s, u, k, k, u, u, k, k, u, k, u, u, g]);
    let ages: Vec<u64> = field(&page, "age_seconds")
        .iter()
        .map(|a| a.as_u64().unwrap())
        .collect();
    assert_eq!(
        ages,
        [35460, 30360, 35460, 30600, 28680, 25020, 258, 138, 40440, 30480, 34740, 45900, 5220]
    );
    assert_eq!(comments(&page)[0]["age_raw"], "9 h 51 Min");
    assert_eq!(comments(&page)[6]["age_raw"], "4 Min 18 Sek");
    let ids: Vec<u64> = field(&page, "id")
        .iter()
        .map(|a| a.as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=13).collect::<Vec<u64>>());
    assert!(warnings(&page).is_empty(), "{:?}", warnings(&page));
}

#[test]
fn seed_003_threads_follow_what_a_reader_sees() {
    let page = parse_json(&seed("003"), &[]);
    let parents: Vec<Option<u64>> = field(&page, "parent").iter().map(|p| p.as_u64()).collect();
    assert_eq!(
        parents,
        [
            None,
            Some(1),
            None,
            Some(3),
            Some(3),
            Some(5),
            Some(5),
            Some(5),
            None,
            Some(9),
            None,
            None,
            Some(12)
        ]
    );
    let threads: Vec<u64> = field(&page, "thread")
        .iter()
        .map(|t| t.as_u64().unwrap())
        .collect();
    assert_eq!(threads, [1, 1, 3, 3, 3, 3, 3, 3, 9, 9, 11, 12, 12]);
    let evidence: Vec<&str> = field(&page, "reply_evidence")
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let (n, c, m) = ("none", "chronology", "mention");
    assert_eq!(evidence, [n, c, n, c, m, c, m, m, n, c, n, n, c]);
}

#[test]
fn seed_003_bodies_truncation_and_mentions() {
    let page = parse_json(&seed("003"), &[]);
    let c = comments(&page);
    let truncated: Vec<bool> = c
        .iter()
        .map(|c| c["truncated"].as_bool().unwrap())
        .collect();
    assert_eq!(truncated.iter().filter(|&&t| t).count(), 1);
    assert!(truncated[4]);
    let text = |i: usize| c[i]["text"].as_str().unwrap();
    assert!(text(4).starts_with("@N.G. Na, wieder nur das"));
    assert!(text(4).ends_with("Er glaubt, dass…"), "{}", text(4));
    // The author line that follows "Weiterlesen »" without a blank line is not body text.
    assert!(text(5).starts_with("Herrlich, frei mi schun"));
    assert!(!text(4).contains("Goennenihrwichtigtuer"));
    // Multi-line bodies keep their lines; the footer is not part of the last comment.
    assert_eq!(text(2).lines().count(), 7);
    assert_eq!(
        text(12),
        "Kuane Seite wert net moll unnähernd ihre gesteckten Ziele erreichen. Ober sell spielt a \
         kuane rolle . Im endefekt isch lei wichtig, es dem VolK als Sieg zu verkafen."
    );
    let mentions: Vec<Vec<&str>> = c
        .iter()
        .map(|c| {
            c["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect()
        })
        .collect();
    for (i, m) in mentions.iter().enumerate() {
        let want: &[&str] = match i {
            4 => &["@N.G."],
            6 | 7 => &["@Sosonadann"],
            _ => &[],
        };
        assert_eq!(m, want, "comment {}", i + 1);
    }
}

#[test]
fn seed_003_head_and_body_end_before_the_comment_section() {
    let page = parse_json(&seed("003"), &[]);
    assert_eq!(
        page["title"],
        "NATO-Generalsekretär Rutte fordert mehr Hilfe für die Ukraine"
    );
    assert_eq!(
        page["subtitle"],
        "Rutte sieht Zukunft der Ukraine in der NATO – Schritt für Schritt"
    );
    assert_eq!(page["published"], "2024-12-03T18:57");
    assert_eq!(page["byline"], "APA/Reuters/Ukrinform/dpa/TASS");
    assert_eq!(page["encoding"], "UTF-8");
    assert_eq!(page["article_id"], "003_37f2beed3ee40e28");
    let body = page["body"].as_array().unwrap();
    let last = body.last().unwrap()["text"].as_str().unwrap();
    assert!(
        last.starts_with("Die russischen Streitkräfte brachten"),
        "{last}"
    );
    let headings: Vec<&str> = body
        .iter()
        .filter(|b| b["kind"] == "heading")
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        headings,
        [
            "Ukraine bittet NATO um 19 Flugabwehrsysteme",
            "Rutte: Putin hat kein Interesse an Frieden",
            "Kiew erinnert an Budapester Memorandum",
            "Kreml erachtet NATO-Mitgliedschaft als “Bedrohung”",
            "Russland erobert weitere Siedlungen"
        ]
    );
}

#[test]
fn seeds_without_comments_have_titles_and_no_furniture() {
    let cases = [
        (
            "000",
            "NATO-Chef schießt gegen Putin: „Warum sollten wir uns darum kümmern, was Russland denkt?“",
        ),
        (
            "001",
            "Rutte setzt nach Gesprächen über Ukraine weiterhin auf Druck gegenüber Russland",
        ),
        (
            "002",
            "Putin warnt: NATO-Truppen in der Ukraine sind sofortige Zielscheiben für russische Angriffe",
        ),
        (
            "004",
            "Ruttes explosive Aussage: NATO-Truppen sollen nach Friedensschluss in der Ukraine stationiert werden",
        ),
    ];
    for (name, title) in cases {
        let page = parse_json(&seed(name), &[]);
        assert_eq!(page["title"], title, "seed {name}");
        assert_eq!(page["comments"], Value::Array(vec![]), "seed {name}");
        assert_eq!(page["declared_comment_count"], Value::Null, "seed {name}");
        assert!(
            warnings(&page).is_empty(),
            "seed {name}: {:?}",
            warnings(&page)
        );
        let body = body_texts(&page);
        assert!(body.len() >= 2, "seed {name}");
        for text in body
            .iter()
            .chain(page["subtitle"].as_str().map(String::from).iter())
        {
            for marker in FURNITURE {
                assert!(
                    !text.contains(marker),
                    "seed {name}: '{marker}' in {text:?}"
                );
            }
        }
    }
}

#[test]
fn furniture_is_absent_from_seed_003_too() {
    let page = parse_json(&seed("003"), &[]);
    for text in body_texts(&page) {
        for marker in FURNITURE {
            assert!(!text.contains(marker), "'{marker}' in {text:?}");
        }
    }
}

#[test]
fn seed_000_keeps_the_repeated_teaser_once_and_drops_the_image_caption() {
    let page = parse_json(&seed("000"), &[]);
    let teaser =
        "Es war eine direkte Botschaft, die Putins wiederholten Warnungen entgegentreten sollte.";
    assert_eq!(page["subtitle"], teaser);
    let body = body_texts(&page);
    assert!(!body.iter().any(|t| t.contains(teaser)));
    assert!(!body.iter().any(|t| t.contains("Mark Rutte Putin")));
    assert_eq!(
        body.last().unwrap(),
        "Für Kiew könnten solche Maßnahmen für einen langfristigen Frieden entscheidend sein."
    );
}

#[test]
fn seeds_001_002_004_leads() {
    let page = parse_json(&seed("001"), &[]);
    assert!(page["subtitle"]
        .as_str()
        .unwrap()
        .starts_with("Nach Verhandlungen in Moskau"));
    assert_eq!(body_texts(&page).len(), 2);
    for name in ["002", "004"] {
        let page = parse_json(&seed(name), &[]);
        assert_eq!(page["subtitle"], Value::Null, "seed {name}");
    }
}

#[test]
fn declared_and_parsed_count_mismatch_is_a_warning() {
    let text = std::fs::read_to_string(seed("003")).unwrap();
    let cut = text.find("schlaumaier\nschlaumaier").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cut.txt");
    std::fs::write(&file, format!("{}wpDiscuz\n", &text[..cut])).unwrap();
    let page = parse_json(&file, &[]);
    assert_eq!(comments(&page).len(), 12);
    assert_eq!(page["declared_comment_count"], 13);
    assert_eq!(
        warnings(&page),
        ["the page announces 13 comments but 12 were parsed"]
    );
}

#[test]
fn summary_without_json_shows_the_tree() {
    let out = stimmung(&["parse", seed("003").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("published: 2024-12-03T18:57"), "{text}");
    assert!(
        text.contains("comments:  13 parsed, 13 announced, 5 threads"),
        "{text}"
    );
    assert!(
        text.contains("      #7 N. G. [Kinig] 4 Min 18 Sek ← 5 (mention)"),
        "{text}"
    );
}

#[test]
fn unusable_inputs_exit_2_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = tmp.path().join("image.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 1, 2, 3, 0, 0]).unwrap();
    let furniture_only = tmp.path().join("furniture.txt");
    std::fs::write(&furniture_only, "Lesen Sie auch\n\nShutterstock\n").unwrap();
    for (file, reason) in [
        (&empty, "empty file"),
        (&binary, "binary file"),
        (&furniture_only, "no title"),
        (&tmp.path().join("missing.txt"), "cannot read"),
    ] {
        let out = stimmung(&["parse", file.to_str().unwrap(), "--json"]);
        assert_eq!(out.status.code(), Some(2), "{file:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("stimmung: "), "{err}");
        assert!(err.contains(reason), "{file:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn windows_1252_and_crlf_pages_parse() {
    let text = std::fs::read_to_string(seed("001"))
        .unwrap()
        .replace('\n', "\r\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("latin.txt");
    std::fs::write(&file, &bytes).unwrap();
    let page = parse_json(&file, &[]);
    assert_eq!(page["encoding"], "windows-1252");
    assert_eq!(
        page["title"],
        "Rutte setzt nach Gesprächen über Ukraine weiterhin auf Druck gegenüber Russland"
    );
    assert!(!body_texts(&page).iter().any(|t| t.contains('\r')));
}

#[test]
fn help_documents_exit_codes() {
    for args in [&["--help"][..], &["parse", "--help"][..]] {
        let out = stimmung(args);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Exit codes:"), "{text}");
        assert!(text.contains("2  usage or fatal error"), "{text}");
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    // Large enough to overflow any pipe buffer, so the write really hits the closed pipe.
    let mut page = String::from("Titel\n\nText.\n\nKommentare\n\n");
    for i in 0..3000 {
        page.push_str(&format!(
            "user{i}\nuser{i}\n5 Min\n\n{}\n\n",
            "Wort ".repeat(20)
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("big.txt");
    std::fs::write(&file, page).unwrap();
    let mut child = common::stimmung()
        .args(["parse", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn malformed_site_file_is_a_fatal_error_naming_file_and_line() {
    let tmp = copy_site_lexicons();
    append(
        &tmp.path().join("site/furniture.tsv"),
        "regex\t^(unclosed\tdrop-line\tboth\tbroken\n",
    );
    let out = stimmung(&[
        "parse",
        seed("003").to_str().unwrap(),
        "--lexicons",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("furniture.tsv:"), "{err}");
    assert!(err.contains("invalid regex"), "{err}");
}

fn copy_site_lexicons() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("lexicons/site"), &tmp.path().join("site"));
    tmp
}

/// A page from another (invented) forum software: other badges, other furniture, other count
/// line, a reply link under each comment and a different footer.
const OTHER_SITE: &str = "\
Sie sind hier: Politik / Gemeinde

Gemeinderat beschließt neues Parkkonzept

Anrainer sollen künftig weniger zahlen.

12.03.2025, 09:15

Autorin: Maria Huber

Der Gemeinderat hat am Montag ein neues Parkkonzept beschlossen.

Das Rathaus von Musterdorf
© Gemeinde Musterdorf

Kosten und Fristen

Die Gebühren sinken ab April um ein Drittel.

Jetzt Newsletter abonnieren!

Deine Meinung zählt

3 Gedanken zu „Gemeinderat beschließt neues Parkkonzept“

Anna K.
Anna K.
Stammgast
vor 2 Tagen

Endlich eine vernünftige Lösung.
Antworten

Bernd
Bernd
Neuling
vor 1 Tag

@Anna K. Vernünftig? Das glaubst du doch selbst nicht.
Antworten

Carla
Carla
Stammgast
vor 3 Tagen

Wer zahlt das am Ende?
Antworten

Powered by Forumbox
";

#[test]
fn another_site_parses_after_adding_its_conventions_to_the_data_files() {
    let tmp = copy_site_lexicons();
    let page_file = tmp.path().join("dorf.txt");
    std::fs::write(&page_file, OTHER_SITE).unwrap();
    let lexicons = tmp.path().to_str().unwrap().to_string();

    // With only the bundled conventions the page is misread: proof that the data files matter.
    let before = parse_json(&page_file, &["--lexicons", &lexicons]);
    assert_eq!(before["title"], "Sie sind hier: Politik / Gemeinde");
    assert_eq!(before["declared_comment_count"], Value::Null);
    assert!(warnings(&before)
        .iter()
        .any(|w| w.contains("unknown rank badge 'Stammgast'")));
    assert!(comments(&before)[0]["text"]
        .as_str()
        .unwrap()
        .contains("Antworten"));

    append(
        &tmp.path().join("site/furniture.tsv"),
        "regex\t^Sie sind hier:\\s\tdrop-line\tarticle\tbreadcrumb (Forumbox)\n\
         regex\t^Autor(?:in)?:\\s*(.+)$\tbyline\tarticle\tbyline (Forumbox)\n\
         regex\t^©\\s\tdrop-block\tarticle\timage credit with caption (Forumbox)\n\
         exact\tJetzt Newsletter abonnieren!\tdrop-line\tarticle\tnewsletter box (Forumbox)\n\
         exact\tDeine Meinung zählt\tend-of-body\tboth\tcomment prompt (Forumbox)\n\
         regex\t^(\\d+) Gedanken zu\\s\tcomment-count\tboth\tcount line (Forumbox)\n\
         exact\tAntworten\tdrop-line\tcomments\treply link (Forumbox)\n\
         exact\tPowered by Forumbox\tend-of-comments\tcomments\tfooter (Forumbox)\n",
    );
    append(
        &tmp.path().join("site/ranks.tsv"),
        "Stammgast\tForumbox\nNeuling\tForumbox\n",
    );
    let page = parse_json(&page_file, &["--lexicons", &lexicons]);
    assert_eq!(page["title"], "Gemeinderat beschließt neues Parkkonzept");
    assert_eq!(page["subtitle"], "Anrainer sollen künftig weniger zahlen.");
    assert_eq!(page["published"], "2025-03-12T09:15");
    assert_eq!(page["byline"], "Maria Huber");
    assert_eq!(
        body_texts(&page),
        [
            "Der Gemeinderat hat am Montag ein neues Parkkonzept beschlossen.",
            "Kosten und Fristen",
            "Die Gebühren sinken ab April um ein Drittel."
        ]
    );
    assert_eq!(page["body"][1]["kind"], "heading");
    assert_eq!(page["declared_comment_count"], 3);
    assert!(warnings(&page).is_empty(), "{:?}", warnings(&page));
    let c = comments(&page);
    assert_eq!(c.len(), 3);
    let authors: Vec<&str> = field(&page, "author")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(authors, ["Anna K.", "Bernd", "Carla"]);
    let ranks: Vec<&str> = field(&page, "rank")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(ranks, ["Stammgast", "Neuling", "Stammgast"]);
    let ages: Vec<u64> = field(&page, "age_seconds")
        .iter()
        .map(|a| a.as_u64().unwrap())
        .collect();
    assert_eq!(ages, [172800, 86400, 259200]);
    assert_eq!(c[0]["text"], "Endlich eine vernünftige Lösung.");
    assert_eq!(c[2]["text"], "Wer zahlt das am Ende?");
    assert_eq!(c[1]["mentions"], serde_json::json!(["@Anna K."]));
    assert_eq!(c[1]["parent"], 1);
    assert_eq!(c[1]["reply_evidence"], "mention");
    assert_eq!(c[2]["parent"], Value::Null);
    assert_eq!(c[2]["thread"], 3);
}
