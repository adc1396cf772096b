//! Unit tests of the scoring rules on the bundled lexicons (and on edited temporary copies).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::*;
use crate::text::tokenize;

fn bundled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")
}

pub(super) fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        Analyzer::load(&LexiconArgs {
            lexicons: Some(bundled_dir()),
            overlay: Vec::new(),
        })
        .expect("bundled lexicons load")
    })
}

fn tone(text: &str) -> f64 {
    analyzer().score(text).tone
}

fn copy_dir(from: &Path, to: &Path) {
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

#[test]
fn analyzer_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Analyzer>();
}

#[test]
fn must_show_orderings_and_signs() {
    let gut = tone("Das ist gut");
    assert!(gut > 0.0);
    assert!(gut < tone("Das ist sehr gut"));
    assert!(tone("Das ist nicht gut") < 0.0);
    assert!(tone("Das gefällt mir nicht") < 0.0);
    assert!(tone("Das ist gut, aber teuer") < gut);
    assert!(tone("Das ist kein Problem") >= 0.0);
}

#[test]
fn dialect_negation_flips_like_standard_german() {
    let net_guat = analyzer().score("Des isch net guat");
    let nit_schlecht = analyzer().score("Des isch nit schlecht");
    assert!(net_guat.tone < 0.0, "{net_guat:?}");
    assert!(nit_schlecht.tone > 0.0, "{nit_schlecht:?}");
    assert_ne!(net_guat.dialect_label, DialectLabel::Standard);
    assert_eq!(net_guat.text_normalized, "Das ist nicht gut");
}

#[test]
fn negation_reaches_right_and_back_left_within_the_clause() {
    assert!(tone("Ich finde das nicht besonders gut") < 0.0);
    assert!(tone("Gut ist das nicht") < 0.0);
    // The comma ends the clause: "nicht" cannot reach back over it.
    assert!(tone("Gut, das weiß ich nicht") > 0.0);
    // The kein-family negates too.
    assert!(tone("Das sind keine guten Ideen") < 0.0);
    // "nicht nur" is a listed expression that does not negate.
    assert!(tone("Das ist nicht nur gut") > 0.0);
    // A negated negative noun denies a bad thing without praising; the negator then reaches
    // back to the verb it really negates.
    assert!(tone("Mit Waffen gewinnt man keinen Krieg") < 0.0);
    assert!(tone("Das bringt keinen Krieg") <= 0.0);
}

#[test]
fn downtoners_weaken_and_contrast_shifts_weight() {
    assert!(tone("Das ist etwas schlecht") > tone("Das ist schlecht"));
    // After "aber" the second clause dominates; a concessive clause counts less.
    assert!(tone("Das ist teuer, aber gut") > 0.0);
    assert!(tone("Obwohl es teuer ist, ist es gut") > tone("Es ist teuer und es ist gut"));
    // A sentence-initial "Aber" weakens the previous sentence.
    assert!(tone("Das ist gut. Aber teuer.") < tone("Das ist gut. Und teuer."));
}

/// Each term takes the weight of its nearest governing marker: repeated markers do not
/// compound, a marker governs what follows it up to the next one, and a concessive clause that
/// has closed governs the main clause after it.
#[test]
fn the_nearest_contrast_marker_governs() {
    let contrast = |text: &str| -> Vec<(String, f64)> {
        let e = analyzer().explain(text);
        e.tokens
            .iter()
            .filter(|t| t.contribution.is_some())
            .map(|t| {
                let f = t
                    .modifiers
                    .iter()
                    .filter(|m| m.rule == "contrast")
                    .map(|m| m.factor)
                    .product();
                (t.norm.clone(), f)
            })
            .collect()
    };
    let once = contrast("Das ist gut, aber teuer");
    assert_eq!(once, [("gut".into(), 0.5), ("teuer".into(), 1.5)]);
    assert_eq!(contrast("Das ist gut, aber aber aber teuer"), once);
    assert_eq!(
        contrast("Gut, aber teuer, jedoch schön"),
        [
            ("gut".into(), 0.5),
            ("teuer".into(), 1.5),
            ("schön".into(), 1.5)
        ]
    );
    assert_eq!(
        contrast("Obwohl es teuer ist, ist es gut"),
        [("teuer".into(), 0.5), ("gut".into(), 1.2)]
    );
    assert_eq!(
        contrast("Das ist gut. Aber teuer."),
        [("gut".into(), 0.5), ("teuer".into(), 1.5)]
    );
}

#[test]
fn exclamation_and_capitals_emphasise_questions_damp() {
    assert!(tone("Das ist gut!") > tone("Das ist gut"));
    assert!(tone("Das ist GUT, wirklich") > tone("Das ist gut, wirklich"));
    assert!(tone("Das ist gut?") < tone("Das ist gut"));
    // Praise in a question is damped more than criticism: it is mostly irony or hope.
    let question = |text: &str| -> f64 {
        let e = analyzer().explain(text);
        let m = e.tokens[2]
            .modifiers
            .iter()
            .find(|m| m.rule == "question")
            .unwrap();
        m.factor
    };
    let (praise, criticism) = (question("Ist das gut?"), question("Ist das schlecht?"));
    assert!(praise < criticism, "{praise} {criticism}");
    assert_eq!(criticism, analyzer().lex.rules.question_factor);
}

/// A question with a cue of `rhetoric.tsv` criticises without a tone word; the cue's position
/// must fit and praise in the sentence keeps it from counting.
#[test]
fn rhetorical_questions_carry_their_cues_weight() {
    let r = analyzer().score("Wozu das alles?");
    assert!(r.tone < 0.0, "{r:?}");
    assert_eq!(r.tone_label, ToneLabel::Negative);
    assert_eq!(r.matched_terms, "wozu>?(-0.20)");
    // A question without a cue is a question, and "oder" counts only as the tag at the end.
    assert_eq!(tone("Wann beginnt das Spiel?"), 0.0);
    assert_eq!(tone("Oder wollen Sie das?"), 0.0);
    assert!(tone("Das war es dann, oder?") < 0.0);
    // A cue inside a multi-word expression belongs to it: "Warum nicht?" agrees.
    assert_eq!(tone("Warum nicht?"), 0.0);
    assert!(tone("Warum geht das nicht?") < 0.0);
    // Praise stays praise; a quoted question is not the commenter's.
    assert!(tone("Das ist wirklich großartig, oder?") > 0.0);
    assert_eq!(tone("Er fragte: „Wozu brauchen wir das alles?“"), 0.0);

    let e = analyzer().explain("Und wer glaubt das noch?");
    let mark = e.tokens.iter().find(|t| t.token == "?").unwrap();
    assert_eq!(mark.matched_by, Some("rhetorical_question"));
    assert_eq!(mark.entry_term.as_deref(), Some("noch"));
    assert_eq!(mark.cue.as_deref(), Some("noch"));
    assert_eq!(mark.cue_start, Some(19));
    assert!(mark
        .entry
        .as_deref()
        .is_some_and(|e| e.starts_with("rhetoric.tsv:")));
    assert!(e.to_string().contains("rhetorical_question cue 'noch'"));

    // Cues are data: an overlay reweights one, adds one, and moves one to the end.
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("mine.tsv");
    std::fs::write(
        &overlay,
        "action\tlexicon\tterm\tvalue\tposition\n\
         set\trhetoric\twozu\t-0.6\tany\n\
         add\trhetoric\twann\t-0.3\tany\n\
         set\trhetoric\tnoch\t-0.2\tlast\n",
    )
    .unwrap();
    let a = Analyzer::load(&LexiconArgs {
        lexicons: Some(bundled_dir()),
        overlay: vec![overlay],
    })
    .unwrap();
    assert_eq!(a.score("Wozu das alles?").matched_terms, "wozu>?(-0.60)");
    assert!(a.score("Wann beginnt das Spiel?").tone < 0.0);
    assert_eq!(a.score("Wer glaubt das noch heute?").tone, 0.0);
    assert!(a.score("Wer glaubt das heute noch?").tone < 0.0);
}

/// Repeated closing marks ("!!", "?!") without praise are indignation; one "!" is not.
#[test]
fn emphatic_endings_without_praise_are_negative() {
    assert_eq!(tone("Pro Tag!"), 0.0);
    let r = analyzer().score("Pro Tag!!");
    assert!(r.tone < 0.0);
    assert_eq!(r.matched_terms, "!!(-0.10)");
    assert!(tone("Und das soll ich glauben?!") < 0.0);
    assert!(tone("Danke!!") > 0.0);
    // "???" without a "!" is not an exclamation.
    assert_eq!(tone("Wann kommt der Zug???"), 0.0);
    let e = analyzer().explain("Pro Tag!!");
    assert_eq!(e.tokens[2].matched_by, Some("exclamation"));
    assert!(e.tokens[2]
        .entry
        .as_deref()
        .is_some_and(|e| e.starts_with("rules.tsv:")));
}

#[test]
fn spelling_rules_compounds_and_inflection() {
    // ae/oe/ue spelling, but "schon" never becomes "schön".
    assert!(tone("Das ist schoen") > 0.0);
    assert_eq!(tone("Das ist schon so"), 0.0);
    let e = analyzer().explain("Kriegstreiber allesamt");
    let t = &e.tokens[0];
    assert_eq!(t.matched_by, Some("compound_head"));
    assert_eq!(t.head.as_deref(), Some("treiber"));
    assert_eq!(t.entry_term.as_deref(), Some("-treiber"));
    assert!(t
        .entry
        .as_deref()
        .is_some_and(|e| e.starts_with("polarity.tsv:")));
    assert!(e.to_string().contains("via -treiber"));
    let guten = analyzer().explain("die guten");
    assert_eq!(guten.tokens[1].matched_by, Some("inflection"));
    // Forms that only look inflected have entries of their own: "Hetzer" is no "Hetz" (fun)
    // + "-er", "raus" no "rau" + "-s".
    assert!(tone("Diese Hetzer") < 0.0);
    assert_eq!(tone("Raus mit der Maus"), 0.0);
}

#[test]
fn tone_words_that_also_boost_boost_only_before_a_tone_word() {
    // "schön blöd" is "pretty stupid": the uninflected adjective boosts the next tone word.
    assert!(tone("Die Nato wäre schön blöd") < tone("Die Nato wäre blöd"));
    assert!(tone("Das ist ganz schön teuer") < tone("Das ist teuer"));
    assert!(tone("Das ist schön") > 0.0);
    assert!(tone("Das ist super gut") > tone("Das ist gut"));
    assert!(tone("Die Idee ist super") > 0.0);
}

#[test]
fn multi_word_expressions_win_over_single_words() {
    let r = analyzer().score("Die Ukraine sitzt zur Zeit in der Klemme.");
    assert!(r.tone < 0.0);
    assert!(
        r.matched_terms.contains("in der klemme("),
        "{}",
        r.matched_terms
    );
    assert!(tone("Er hat uns an der Nase herumgeführt") < 0.0);
    // "Na" before praise is dismay, whichever praise word follows.
    for praise in ["toll", "super", "prima", "großartig"] {
        assert!(
            tone(&format!("Na {praise}, wieder Stau.")) < 0.0,
            "{praise}"
        );
        assert!(tone(&format!("Das ist {praise}.")) > 0.0, "{praise}");
    }
    // Ironic idioms built from praise words.
    assert!(tone("Das fängt ja gut an.") < 0.0);
    assert!(tone("Das kann ja heiter werden.") < 0.0);
}

#[test]
fn irony_cues_are_flagged() {
    let r = analyzer().score("Das ist ja wirklich toll 😉");
    assert_eq!(r.irony.as_deref(), Some("😉"));
    assert!(r.tone < 0.0);
    assert!(r.matched_terms.contains("😉(irony)"));
    let r = analyzer().score("Herrlich, wieder eine Steuererhöhung");
    assert_eq!(r.irony.as_deref(), Some("Herrlich"));
    let r = analyzer().score("Die „tollen“ Ideen der Regierung");
    assert_eq!(r.irony.as_deref(), Some("„"));
    assert!(r.tone < 0.0);
    let r = analyzer().score("Schau deine eigenen Posten an, du „Demokrat“.");
    assert_eq!(r.irony.as_deref(), Some("„"));
    assert!(r.tone < 0.0, "{r:?}");
    assert!(analyzer().score("Das ist toll").irony.is_none());
}

#[test]
fn quotations_are_scored_apart() {
    let quoted = "„Das ist eine Katastrophe und ein Skandal“, schreibt er. Stimmt.";
    let r = analyzer().score(quoted);
    assert!(r.quoted_tone.is_some_and(|q| q < 0.0), "{r:?}");
    assert!(r.tone >= 0.0, "{r:?}");
    assert!(analyzer().score("Das ist gut").quoted_tone.is_none());
}

#[test]
fn incivility_is_its_own_score() {
    let r = analyzer().score("Was für ein Vollidiot, so eine Scheiße");
    assert!(r.incivility > 0.5);
    assert_eq!(r.incivility_categories, ["insult", "profanity"]);
    assert!(r.tone < 0.0);
    assert_eq!(analyzer().score("Das ist gut").incivility, 0.0);
}

#[test]
fn proportions_sum_to_one_and_labels_follow_thresholds() {
    for text in [
        "",
        "Das ist gut",
        "Das ist nicht gut, aber sehr teuer!",
        "🙂",
    ] {
        let r = analyzer().score(text);
        assert!((r.pos + r.neg + r.neu - 1.0).abs() < 1e-9, "{text}: {r:?}");
        assert!((-1.0..=1.0).contains(&r.tone));
    }
    assert_eq!(analyzer().score("").tone_label, ToneLabel::Neutral);
    assert_eq!(
        analyzer()
            .score("Das ist wirklich ganz schlecht")
            .tone_label,
        ToneLabel::Negative
    );
    assert_eq!(
        analyzer()
            .score("Vielen Dank, ein sehr gelungener Artikel.")
            .tone_label,
        ToneLabel::Positive
    );
}

#[test]
fn long_texts_do_not_saturate() {
    // Tone measures how densely a text evaluates: forty copies of a mildly negative sentence
    // score like the `length_free_sentences` copies a short comment could hold, far from a
    // short, strongly negative comment, while `raw` keeps the whole sum.
    let mild = "Die Lage ist leider etwas schwierig. ";
    let one = analyzer().score(mild);
    let free = analyzer().lex.rules.length_free_sentences.round() as usize;
    let few = analyzer().score(&mild.repeat(free));
    let many = analyzer().score(&mild.repeat(40));
    let strong = tone("Das ist eine widerliche Katastrophe!");
    assert!(one.tone < 0.0, "{one:?}");
    assert!((many.raw - 40.0 * one.raw).abs() < 1e-9, "{many:?}");
    assert!(
        (many.tone - few.tone).abs() < 1e-9,
        "{} {}",
        many.tone,
        few.tone
    );
    assert!((tone(&mild.repeat(10)) - many.tone).abs() < 1e-9);
    assert!(strong < -0.8, "{strong}");
    assert!(many.tone > strong + 0.15, "{} {strong}", many.tone);
    // Short texts are not scaled.
    let r = analyzer().score("Das ist schlecht und teuer.");
    let alpha = analyzer().lex.rules.alpha;
    assert!((r.tone - r.raw / (r.raw * r.raw + alpha).sqrt()).abs() < 1e-9);
}

#[test]
fn editing_one_lexicon_line_changes_the_score() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&bundled_dir(), dir.path());
    let path = dir.path().join("polarity.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "\nteuer\t-0.3\tADJ\teconomy\tstimmung\n",
        "\nteuer\t0.8\tADJ\teconomy\tstimmung\n",
        1,
    );
    assert_ne!(
        text, edited,
        "the bundled line for 'teuer' changed; update this test"
    );
    std::fs::write(&path, edited).unwrap();
    let args = LexiconArgs {
        lexicons: Some(dir.path().to_path_buf()),
        overlay: Vec::new(),
    };
    let edited = Analyzer::load(&args).unwrap();
    assert!(tone("Das ist teuer") < 0.0);
    assert!(edited.score("Das ist teuer").tone > 0.0);
}

#[test]
fn overlays_add_reweight_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("mine.tsv");
    std::fs::write(
        &overlay,
        "action\tlexicon\tterm\tvalue\tcategory\n\
         add\tpolarity\tschwurbelig\t-0.7\t\n\
         set\tpolarity\tteuer\t0.5\t\n\
         remove\tpolarity\tgut\t\t\n\
         set\tincivility\tdepp*\t0.9\tinsult\n\
         set\trules\tquestion_factor\t1\t\n",
    )
    .unwrap();
    let args = LexiconArgs {
        lexicons: Some(bundled_dir()),
        overlay: vec![overlay.clone()],
    };
    let a = Analyzer::load(&args).unwrap();
    assert!(a.score("Das ist schwurbelig").tone < 0.0);
    assert!(a.score("Das ist teuer").tone > 0.0);
    assert_eq!(a.score("Das ist gut").tone, 0.0);
    let e = a.explain("Das ist schwurbelig");
    assert_eq!(e.tokens[2].entry.as_deref(), Some("mine.tsv:2"));

    std::fs::write(
        &overlay,
        "action\tlexicon\tterm\tvalue\nadd\tpolarity\tgut\t0.1\n",
    )
    .unwrap();
    let err = Analyzer::load(&args).unwrap_err().to_string();
    assert!(
        err.contains("mine.tsv:2: cannot add 'gut': already at polarity.tsv:"),
        "{err}"
    );
    std::fs::write(
        &overlay,
        "action\tlexicon\tterm\tvalue\nremove\tpolarity\tgibtsnicht\t\n",
    )
    .unwrap();
    let err = Analyzer::load(&args).unwrap_err().to_string();
    assert!(err.contains("mine.tsv:2: cannot remove"), "{err}");
}

#[test]
fn malformed_lexicon_lines_name_file_and_line() {
    let cases = [
        (
            "polarity.tsv",
            "term\tweight\ngut\n",
            "polarity.tsv:2: missing value in column 'weight'",
        ),
        (
            "polarity.tsv",
            "term\tweight\ngut\tsehr\n",
            "polarity.tsv:2: column 'weight': 'sehr' is not a number",
        ),
        (
            "polarity.tsv",
            "term\tweight\ngut\t0.5\n# x\ngut\t-0.5\n",
            "polarity.tsv:4: conflicting duplicate: 'gut' is already on line 2",
        ),
        (
            "negators.tsv",
            "term\nkata*strophe\n",
            "negators.tsv:2: '*' may only end",
        ),
        (
            "contrast.tsv",
            "term\tscope\tposition\tweight_rest\tweight_marked\naber\tsatz\tany\t1\t1\n",
            "contrast.tsv:2: column 'scope'",
        ),
        (
            "rules.tsv",
            "name\tvalue\nalpha\t1\n",
            "missing rule constants",
        ),
    ];
    for (file, content, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&bundled_dir(), dir.path());
        std::fs::write(dir.path().join(file), content).unwrap();
        let err = Analyzer::load(&LexiconArgs {
            lexicons: Some(dir.path().to_path_buf()),
            overlay: Vec::new(),
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains(expected), "{file}: {err}");
    }
}

#[test]
fn explanation_lists_every_token_with_offsets_and_modifiers() {
    let text = "Das ist nicht sehr gut";
    let e = analyzer().explain(text);
    assert_eq!(e.tokens.len(), 5);
    for t in &e.tokens {
        assert_eq!(&text[t.start..t.end], t.token);
    }
    assert_eq!(e.tokens[2].role, Some("negator"));
    assert!(e.tokens[2]
        .entry
        .as_deref()
        .is_some_and(|s| s.starts_with("negators.tsv:")));
    let gut = &e.tokens[4];
    let rules: Vec<_> = gut.modifiers.iter().map(|m| m.rule).collect();
    assert_eq!(rules, ["negation", "intensifier"]);
    assert!(gut.contribution.unwrap() < 0.0);
    assert_eq!(e.result.matched_terms, "nicht>sehr>gut(-0.55)");
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "",
        " ",
        "„",
        "“ unclosed",
        "\"",
        "'",
        "!!!",
        "???",
        "😉",
        "a\u{0308}",
        "@",
        "Ü-",
        "-",
    ] {
        let _ = analyzer().explain(text);
    }
}

#[test]
fn reused_scorer_and_result_equal_fresh_ones() {
    let a = analyzer();
    let texts = [
        "Des isch net guat, ober sell isch a kuane rolle!",
        "Herrlich, wieder so ein „tolles“ Ergebnis 🙄",
        "Das ist nicht schlecht. Aber \"Idioten\" sagen: \"alles super\".",
        "",
        "Kuane Seite wert net moll unnähernd ihre Ziele erreichen. GRINS",
    ];
    let mut scorer = a.scorer();
    let mut reused = ToneResult::default();
    for text in texts.iter().chain(&texts) {
        scorer.score_into(text, &mut reused);
        let fresh = a.score(text);
        assert_eq!(
            serde_json::to_string(&reused).unwrap(),
            serde_json::to_string(&fresh).unwrap(),
            "{text}"
        );
        assert_eq!(
            serde_json::to_string(&scorer.explain(text)).unwrap(),
            serde_json::to_string(&a.explain(text)).unwrap()
        );
    }
}

/// A document scored block by block equals the blocks joined by blank lines, on every seed
/// article (no rule reaches across their paragraphs), and its blocks equal the blocks alone.
#[test]
fn blocks_score_like_the_joined_document() {
    let a = analyzer();
    let site = crate::page::SiteConventions::load(&bundled_dir()).expect("site conventions");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let mut scorer = a.scorer();
    for f in files {
        let page = crate::page::parse_file(&f, &site).expect("seed parses");
        let blocks: Vec<&str> = page.body.iter().map(|b| b.text.as_str()).collect();
        assert!(blocks.len() > 1, "{f:?}");
        let (parts, doc) = scorer.score_blocks(&blocks);
        let joined = a.score(&blocks.join("\n\n"));
        assert!((doc.tone - joined.tone).abs() < 1e-12, "{f:?}");
        assert!((doc.raw - joined.raw).abs() < 1e-9, "{f:?}");
        for (x, y) in [
            (doc.pos, joined.pos),
            (doc.neg, joined.neg),
            (doc.neu, joined.neu),
        ] {
            assert!((x - y).abs() < 1e-12, "{f:?}");
        }
        assert_eq!(doc.tone_label, joined.tone_label);
        assert_eq!(doc.incivility_categories, joined.incivility_categories);
        assert_eq!(doc.dialect_label, joined.dialect_label);
        assert_eq!(doc.text_normalized, joined.text_normalized);
        // The same entries; scare quotes come last in each text's list, so per block here.
        let entries = |m: &str| {
            let mut v: Vec<String> = m.split('|').map(String::from).collect();
            v.sort();
            v
        };
        assert_eq!(
            entries(&doc.matched_terms),
            entries(&joined.matched_terms),
            "{f:?}"
        );
        for (part, block) in parts.iter().zip(&blocks) {
            assert_eq!(part.tone, a.score(block).tone);
        }
    }
}

#[test]
fn document_matched_terms_are_capped_between_entries() {
    let block = "Das ist gut, sehr schlecht und schön. ".repeat(200);
    let blocks: Vec<&str> = std::iter::repeat_n(block.as_str(), 20).collect();
    let (parts, doc) = analyzer().scorer().score_blocks(&blocks);
    assert!(parts[0].matched_terms.len() > 1000);
    assert!(doc.matched_terms.len() <= DOCUMENT_MATCHED_TERMS_MAX + '…'.len_utf8());
    assert!(
        doc.matched_terms.ends_with("|…"),
        "{}",
        &doc.matched_terms[..50]
    );
    assert!(doc.matched_terms.starts_with(&parts[0].matched_terms));
    assert!(doc.tone > 0.0 && doc.text_normalized.len() == 20 * block.len() + 19 * 2);
}

fn seed003() -> crate::page::Page {
    let site = crate::page::SiteConventions::load(&bundled_dir()).expect("site conventions");
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/003_37f2beed3ee40e28.txt");
    crate::page::parse_file(&f, &site).expect("seed 003 parses")
}

fn article_sources(page: &crate::page::Page) -> QuoteSources {
    let mut sources = analyzer().quote_sources(None::<[&str; 0]>);
    for b in &page.body {
        sources.add(&b.text);
    }
    sources
}

/// Seed 003, comment 5 pastes article sentences without (or with broken) quotation marks:
/// the whole pasted passage is found, the commenter's own words around it are not.
#[test]
fn unmarked_article_sentences_are_quoted() {
    let page = seed003();
    let sources = article_sources(&page);
    assert!(sources.len() > 300);
    let c5 = &page.comments[4];
    assert_eq!(c5.id, 5);
    let text = nfc(&c5.text);
    let tokens = tokenize(&text);
    let ranges = quotes::sourced(&tokens, &sources);
    assert_eq!(ranges.len(), 1, "{ranges:?}");
    let (s, e) = ranges[0];
    let quoted = &text[tokens[s].start..tokens[e - 1].end];
    assert!(quoted.starts_with("Das Wichtigste ist jetzt, sicherzustellen"));
    assert!(quoted.contains("sagte Rutte Der russische Präsident Wladimir"));
    assert!(quoted.contains("ergänzte der NATO-Chef."));
    assert!(!text[..tokens[s].start].contains("Wichtigste"));
    assert!(!quoted.contains("Hier einige Zitate") && !quoted.contains("glaubt"));

    // An article sentence pasted without marks leaves the comment's tone to its own words.
    let sentence = "Rutte betonte, dass die NATO-Verbündeten ihre militärische Unterstützung \
                    für die Ukraine aufstocken müssten.";
    assert!(page.body.iter().any(|b| b.text.contains(sentence)));
    let comment = format!("Genau so: {sentence} Das ist schlecht.");
    let mut scorer = analyzer().scorer();
    let plain = scorer.score(&comment);
    let with = scorer.score_with_sources(&comment, &sources);
    assert!(
        plain.matched_terms.contains("|unterstützung("),
        "{}",
        plain.matched_terms
    );
    assert!(
        with.matched_terms.contains("q:unterstützung("),
        "{}",
        with.matched_terms
    );
    assert!(with.quoted_tone.is_some_and(|q| q > 0.0));
    assert!(with.tone < plain.tone && with.tone < 0.0);
    assert_eq!(with.tone, scorer.score("Genau so: Das ist schlecht.").tone);
}

/// Sharing a few words with the article ("die Zukunft der Ukraine") is no quotation; a
/// comment's marked quotation (seed 003, comment 9) still is.
#[test]
fn shared_phrases_are_not_quotes_but_marked_quotations_stay() {
    let page = seed003();
    let sources = article_sources(&page);
    let mut scorer = analyzer().scorer();
    for text in [
        "Die Zukunft der Ukraine ist gut.",
        "Schritt für Schritt wird das gut.",
        "Wie die Zukunft der Ukraine aussieht, weiß niemand, aber gut.",
    ] {
        let r = scorer.score_with_sources(text, &sources);
        assert_eq!(r.quoted_tone, None, "{text}");
        assert_eq!(r.tone, scorer.score(text).tone, "{text}");
    }
    let c9 = &page.comments[8];
    assert_eq!(c9.id, 9);
    let r = scorer.score_with_sources(&c9.text, &sources);
    assert!(
        r.matched_terms.contains("q:bedrohung("),
        "{}",
        r.matched_terms
    );
    assert!(r.quoted_tone.is_some_and(|q| q < 0.0));
}

/// Sources remember only shingles of the texts that may quote, so a huge article costs no
/// memory beyond them; what they find is the same.
#[test]
fn quote_sources_restricted_to_the_quoting_texts_find_the_same() {
    let page = seed003();
    let comments: Vec<&str> = page.comments.iter().map(|c| c.text.as_str()).collect();
    let mut all = article_sources(&page);
    let mut some = analyzer().quote_sources(Some(comments.iter().copied()));
    for b in &page.body {
        some.add(&b.text);
    }
    assert!(some.len() < all.len() / 10, "{} {}", some.len(), all.len());
    for c in &comments {
        let tokens = tokenize(c);
        assert_eq!(
            quotes::sourced(&tokens, &all),
            quotes::sourced(&tokens, &some)
        );
        all.add(c);
        some.add(c);
    }
}

/// Scoring a page's comments in batches, each added to the sources once scored, gives what
/// scoring them one by one and adding each gives: across batch boundaries, with comments that
/// quote earlier ones and the article.
#[test]
fn batches_that_add_to_the_sources_score_as_one_by_one() {
    let page = seed003();
    let mut texts: Vec<String> = page.comments.iter().map(|c| c.text.clone()).collect();
    let pasted = page.body[1].text.clone();
    for k in 0..30 {
        let earlier = texts[k % 13].clone();
        texts.push(match k % 3 {
            0 => format!("Ihr schreibt: {earlier} Das ist doch schlecht."),
            1 => format!("Super! {pasted}"),
            _ => format!("Nein {k}, gar nicht gut."),
        });
    }
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut one_by_one = article_sources(&page);
    let mut scorer = analyzer().scorer();
    let want: Vec<String> = texts
        .iter()
        .map(|t| {
            let r = scorer.score_with_sources(t, &one_by_one);
            one_by_one.add(t);
            format!("{r:?}")
        })
        .collect();
    assert!(want.iter().filter(|r| r.contains("q:")).count() >= 15);
    let mut batched = article_sources(&page);
    let mut got = vec![ToneResult::default(); texts.len()];
    analyzer()
        .scorer()
        .score_batch_quoting(&texts, &mut batched, &mut got);
    let got: Vec<String> = got.iter().map(|r| format!("{r:?}")).collect();
    assert_eq!(got, want);
    assert_eq!(batched.len(), one_by_one.len());
}

proptest::proptest! {
    #[test]
    fn cues_are_ordered_as_sort_unstable_orders_them(
        cues in proptest::array::uniform3(proptest::option::of(0usize..4)),
    ) {
        let mut sorted = cues;
        sorted.sort_unstable();
        proptest::prop_assert_eq!(in_order(cues), sorted);
    }
}

/// Dialect forms, spellings, English look-alikes and their neighbours, abbreviations,
/// hashtags and standard words, cased and separated in the ways the mapping looks at.
fn dialect_mix() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    const WORDS: [&str; 18] = [
        "isch", "des", "net", "guat", "I", "is", "do", "the", "you", "fahrn", "hoamweg", "in", "d",
        "#isch", "gut", "Größe", "42", "ischs",
    ];
    const SEPARATORS: [&str; 5] = [" ", ". ", ".", ", ", "\n"];
    let word = (0..WORDS.len(), 0..SEPARATORS.len())
        .prop_map(|(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s]));
    proptest::collection::vec(word, 0..20).prop_map(|w| w.concat())
}

proptest::proptest! {
    /// The scorer collects the dialect candidates while it resolves the words: its dialect
    /// answer is the one the mapping finds walking the tokens itself.
    #[test]
    fn scorer_dialect_agrees_with_the_mapping_alone(text in dialect_mix()) {
        let a = analyzer();
        let got = a.scorer().score(&text);
        let mut tokens = tokenize(&text);
        let report = a.dialect.apply(&mut tokens);
        proptest::prop_assert_eq!(got.dialect_share, report.share);
        proptest::prop_assert_eq!(got.dialect_label, report.label);
        let rendered = crate::dialect::render_normalized(&text, &tokens);
        proptest::prop_assert_eq!(got.text_normalized, rendered);
    }
}

proptest::proptest! {
    /// Texts scored in batches, stage by stage, get the rows they get one by one, whichever
    /// text a batch starts with and however full the word cache is.
    #[test]
    fn batches_score_as_single_texts(
        texts in proptest::collection::vec(dialect_mix(), 0..3 * BATCH),
        limit in 1usize..60,
    ) {
        let a = analyzer();
        let row = |s: &Scored| {
            let mut row = Vec::new();
            crate::cmd::score::write_scored_row(&mut row, s);
            row
        };
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut single = a.scorer();
        single.words.limit = limit;
        let expected: Vec<Vec<u8>> = texts.iter().map(|t| single.score_with(t, row)).collect();
        let mut batched = a.scorer();
        batched.words.limit = limit;
        let mut got = Vec::new();
        batched.score_batch_with(&texts, |k, s| got.push((k, row(s))));
        proptest::prop_assert_eq!(got.len(), texts.len());
        for (n, (k, r)) in got.into_iter().enumerate() {
            proptest::prop_assert_eq!(k, n);
            proptest::prop_assert_eq!(&r, &expected[n], "{}", texts[n]);
        }
    }
}
