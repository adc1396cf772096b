//! `stimmung kwic TERM PATH…`: keyword in context. Lists every occurrence of a word in the
//! comments and article bodies with its left and right context.
//!
//! Matching uses normalised forms on both sides of the dialect mapping: the query and every
//! word are lower-cased, and a word matches when its written form or its standard rendering
//! equals the query or the query's own standard rendering. So "net" finds "nicht" and the
//! dialect forms mapped to it ("ned", "nit"), and "nicht" finds them too. A trailing `*` matches
//! every word starting with the stem, as in the lexicons.

use std::io::Write;

use crate::cmd::corpus::{self, CorpusArgs};
use crate::cmd::{Exit, LexiconArgs};
use crate::dialect::DialectLexicon;
use crate::output::tables::excel_safe;
use crate::text::{nfc, normalise_word, tokenize, TokenKind};
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct KwicArgs {
    /// The word to look for (lower-cased; a trailing * matches every word with that stem)
    pub term: String,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// Characters of context on each side
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub width: usize,
    /// Write CSV (article, comment, left, match, right, standard) instead of aligned lines
    #[arg(long)]
    pub csv: bool,
    /// With --csv: prefix cells starting with = + - @ with an apostrophe for spreadsheets
    #[arg(long)]
    pub excel_safe: bool,
}

/// One occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub article: String,
    /// Comment id, `body`, or the line of a `--text` file.
    pub place: String,
    pub left: String,
    pub matched: String,
    pub right: String,
    /// The standard rendering, when the dialect mapping rewrote the word.
    pub standard: Option<String>,
}

/// The query: its forms (as written and as the dialect mapping renders it) and whether it is a
/// stem.
struct Query {
    forms: Vec<String>,
    stem: bool,
}

impl Query {
    fn new(term: &str, dialect: &DialectLexicon) -> Result<Query, Error> {
        let term = normalise_word(term.trim());
        let (word, stem) = match term.strip_suffix('*') {
            Some(w) => (w, true),
            None => (term.as_ref(), false),
        };
        if word.is_empty() || word.contains(char::is_whitespace) || word.contains('*') {
            return Err(Error::Usage(format!(
                "'{term}': give one word, optionally ending in *"
            )));
        }
        let mut forms = vec![word.to_string()];
        if let Some((standard, _)) = dialect.lookup(word) {
            if !stem && !forms.iter().any(|f| f == standard) {
                forms.push(standard.to_string());
            }
        }
        Ok(Query { forms, stem })
    }

    fn matches(&self, word: &str) -> bool {
        self.forms.iter().any(|f| {
            if self.stem {
                word.starts_with(f.as_str())
            } else {
                word == f
            }
        })
    }
}

/// Every occurrence of `term` in `texts`, in corpus order.
pub fn find(
    term: &str,
    texts: &[corpus::CorpusText],
    dialect: &DialectLexicon,
    width: usize,
) -> Result<Vec<Hit>, Error> {
    let query = Query::new(term, dialect)?;
    let mut hits = Vec::new();
    for item in texts {
        let text = nfc(&item.text);
        let mut tokens = tokenize(&text);
        let written: Vec<String> = tokens.iter().map(|t| t.norm.to_string()).collect();
        dialect.apply(&mut tokens);
        for (t, w) in tokens.iter().zip(&written) {
            if t.kind != TokenKind::Word {
                continue;
            }
            let mapped = t.norm.as_ref() != w.as_str();
            let hit = query.matches(w) || (mapped && t.norm.split(' ').any(|n| query.matches(n)));
            if !hit {
                continue;
            }
            let (left, right) = corpus::context(&text, t.start, t.end, width);
            hits.push(Hit {
                article: item.article.clone(),
                place: item.place.clone(),
                left,
                matched: t.surface.to_string(),
                right,
                standard: mapped.then(|| t.norm.to_string()),
            });
        }
    }
    Ok(hits)
}

pub fn run(args: &KwicArgs) -> Result<Exit, Error> {
    let dir = args
        .lexicon
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let dialect = DialectLexicon::load(&dir)?;
    let corpus = corpus::read(&args.corpus, &dir)?;
    let hits = find(&args.term, &corpus.texts, &dialect, args.width)?;
    let out = std::io::stdout().lock();
    let io_err = |e: std::io::Error| Error::io("<stdout>", e);
    if args.csv {
        let mut w = csv::Writer::from_writer(out);
        let csv_err = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io("<stdout>", io),
            other => Error::Usage(format!("writing CSV: {other:?}")),
        };
        w.write_record(["article", "comment", "left", "match", "right", "standard"])
            .map_err(csv_err)?;
        for h in &hits {
            let row = [
                h.article.as_str(),
                h.place.as_str(),
                h.left.as_str(),
                h.matched.as_str(),
                h.right.as_str(),
                h.standard.as_deref().unwrap_or(""),
            ];
            if args.excel_safe {
                w.write_record(row.map(|c| excel_safe(c).into_owned()))
                    .map_err(csv_err)?;
            } else {
                w.write_record(row).map_err(csv_err)?;
            }
        }
        w.flush().map_err(io_err)?;
    } else {
        let mut out = std::io::BufWriter::new(out);
        for h in &hits {
            let standard = h
                .standard
                .as_ref()
                .map(|s| format!("  (= {s})"))
                .unwrap_or_default();
            writeln!(
                out,
                "{:<24} {:>5}  {:>w$}[{}]{}{standard}",
                h.article,
                h.place,
                h.left,
                h.matched,
                h.right,
                w = args.width + 1
            )
            .map_err(io_err)?;
        }
        out.flush().map_err(io_err)?;
    }
    eprintln!("{} occurrence(s) of '{}'", hits.len(), args.term);
    Ok(if corpus.skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
