//! `stimmung lexicon coverage PATH…`: the most frequent words of a corpus that no tone lexicon
//! knows and that are not stop words, written to `lexicon_candidates.csv` for a linguist to fill
//! in a weight, plus the share of tokens and of comments the lexicons cover.
//!
//! A word is *known* when scoring gives it a role (tone term, negator, intensifier, contrast
//! marker, part of a multi-word term) or an incivility entry, exactly as `score --explain` shows
//! it, or when it is an irony cue; dialect forms count under their standard rendering, so
//! "guat" is known through "gut".

use crate::cmd::stdout_error;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use crate::cmd::corpus::{self, CorpusArgs};
use crate::cmd::{Exit, LexiconArgs};
use crate::dialect::DialectLexicon;
use crate::lexicon::check::{read_spelling, read_stopwords, SPELLING_FILE, STOPWORDS_FILE};
use crate::lexicon::ToneLexicons;
use crate::output::atomic::{sweep_stale_of, AtomicFile};
use crate::output::tables::excel_safe;
use crate::text::{normalise_word, TokenKind};
use crate::tone::Analyzer;
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// Output folder for lexicon_candidates.csv
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// How many candidates to list
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub top: usize,
    /// Characters of context on each side of an example
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub width: usize,
    /// Prefix cells starting with = + - @ with an apostrophe so spreadsheets do not run them
    #[arg(long)]
    pub excel_safe: bool,
}

/// One unknown word and what the corpus says about it.
#[derive(Debug, Default)]
struct Candidate {
    count: usize,
    documents: HashSet<usize>,
    standard: Option<String>,
    examples: Vec<String>,
}

/// Counts over the whole corpus.
#[derive(Debug, Default)]
pub struct CoverageStats {
    pub word_tokens: usize,
    pub known_tokens: usize,
    pub stop_tokens: usize,
    pub comments: usize,
    pub comments_with_term: usize,
}

pub fn run(args: &CoverageArgs) -> Result<Exit, Error> {
    let dir = args
        .lexicon
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let analyzer = Analyzer::load(&args.lexicon)?;
    let dialect = DialectLexicon::load(&dir)?;
    // Irony cues have no role in explanations but are lexicon words all the same.
    let lex = ToneLexicons::load(&dir, &args.lexicon.overlay)?;
    let stopwords = read_stopwords(&dir.join(STOPWORDS_FILE))?;
    let spelling = read_spelling(&dir.join(SPELLING_FILE))?;
    let corpus = corpus::read(&args.corpus, &dir)?;

    let mut stats = CoverageStats::default();
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut scorer = analyzer.scorer();
    for (doc, item) in corpus.texts.iter().enumerate() {
        let ex = scorer.explain(&item.text);
        let is_comment = item.place != "body";
        let mut has_term = false;
        for t in ex.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            stats.word_tokens += 1;
            let irony = lex.irony.lookup_simple(&t.norm).is_some();
            if t.role.is_some() || t.incivility.is_some() || irony {
                stats.known_tokens += 1;
                has_term |= t.role.is_some_and(|r| r.starts_with("term"));
                continue;
            }
            let written = normalise_word(&t.token).into_owned();
            if stopwords.contains(&written)
                || t.norm.split(' ').all(|w| stopwords.contains(w))
                || written.chars().count() < 2
            {
                stats.stop_tokens += 1;
                continue;
            }
            let c = candidates.entry(written).or_default();
            c.count += 1;
            if t.dialect.is_some() {
                c.standard = Some(t.norm.clone());
            }
            if c.documents.insert(doc) && c.examples.len() < 2 {
                let (l, r) = corpus::context(&ex.text, t.start, t.end, args.width);
                c.examples.push(format!(
                    "{}#{}: {l}[{}]{r}",
                    item.article, item.place, t.token
                ));
            }
        }
        if is_comment {
            stats.comments += 1;
            stats.comments_with_term += usize::from(has_term);
        }
    }

    let mut ranked: Vec<(&String, &Candidate)> = candidates.iter().collect();
    ranked.sort_by(|a, b| {
        (b.1.count, b.1.documents.len())
            .cmp(&(a.1.count, a.1.documents.len()))
            .then_with(|| a.0.cmp(b.0))
    });
    ranked.truncate(args.top);

    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let path = args.out.join("lexicon_candidates.csv");
    sweep_stale_of(&path);
    let file = AtomicFile::create(&path)?;
    let mut w = csv::Writer::from_writer(file);
    let csv_err = |e: csv::Error| Error::Usage(format!("{}: {e}", path.display()));
    w.write_record([
        "term",
        "count",
        "documents",
        "looks_dialect",
        "standard",
        "example_1",
        "example_2",
        "suggested_file",
        "weight",
    ])
    .map_err(csv_err)?;
    let safe = |s: &str| -> String {
        if args.excel_safe {
            excel_safe(s).into_owned()
        } else {
            s.to_string()
        }
    };
    for (term, c) in &ranked {
        let mapped = dialect.lookup(term).is_some();
        let looks = mapped || spelling.iter().any(|re| re.is_match(term));
        // A dialect form without a mapping needs one before it can get a weight.
        let suggested = if looks && !mapped {
            "dialect/"
        } else {
            "polarity.tsv"
        };
        w.write_record([
            safe(term),
            c.count.to_string(),
            c.documents.len().to_string(),
            if looks { "yes" } else { "no" }.to_string(),
            safe(c.standard.as_deref().unwrap_or("")),
            safe(c.examples.first().map_or("", String::as_str)),
            safe(c.examples.get(1).map_or("", String::as_str)),
            suggested.to_string(),
            String::new(),
        ])
        .map_err(csv_err)?;
    }
    let file = w
        .into_inner()
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    file.commit()?;

    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "texts {} ({} comments); word tokens {}",
        corpus.texts.len(),
        stats.comments,
        stats.word_tokens
    )
    .map_err(stdout_error)?;
    writeln!(
        out,
        "tokens known to a lexicon {} ({:.1} %), stop words {} ({:.1} %), unknown {} ({:.1} %)",
        stats.known_tokens,
        pct(stats.known_tokens, stats.word_tokens),
        stats.stop_tokens,
        pct(stats.stop_tokens, stats.word_tokens),
        stats.word_tokens - stats.known_tokens - stats.stop_tokens,
        pct(
            stats.word_tokens - stats.known_tokens - stats.stop_tokens,
            stats.word_tokens
        )
    )
    .map_err(stdout_error)?;
    writeln!(
        out,
        "comments with at least one tone term {} of {} ({:.1} %)",
        stats.comments_with_term,
        stats.comments,
        pct(stats.comments_with_term, stats.comments)
    )
    .map_err(stdout_error)?;
    writeln!(
        out,
        "{} distinct unknown words; top {} written to {}",
        candidates.len(),
        ranked.len(),
        path.display()
    )
    .map_err(stdout_error)?;
    Ok(if corpus.skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
