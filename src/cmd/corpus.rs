//! The texts a workbench command reads: the article bodies and reader comments of page files and
//! folders (as `analyze` finds them), or one text per line of a plain file (`--text FILE`).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::cmd::analyze::collect_inputs;
use crate::page::{parse_file, SiteConventions};
use crate::Error;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct CorpusArgs {
    /// Page files or folders of pages (folders are read recursively, in name order)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also read this plain-text file, one text per line
    #[arg(long = "text", value_name = "FILE")]
    pub text: Vec<PathBuf>,
}

/// One text of the corpus and where it came from.
#[derive(Debug, Clone)]
pub struct CorpusText {
    /// The article id (page file stem) or the name of the text file.
    pub article: String,
    /// The comment id, `body` for the article body, or the line number in a text file.
    pub place: String,
    pub text: String,
}

/// The corpus and how many inputs had to be skipped (each reported on stderr).
pub struct Corpus {
    pub texts: Vec<CorpusText>,
    pub skipped: usize,
}

/// Reads every text; pages are parsed with the site conventions of `lexicon_dir`.
pub fn read(args: &CorpusArgs, lexicon_dir: &Path) -> Result<Corpus, Error> {
    if args.paths.is_empty() && args.text.is_empty() {
        return Err(Error::Usage(
            "give page files or folders (PATH…) or --text FILE".into(),
        ));
    }
    let mut texts = Vec::new();
    let mut skipped = 0;
    if !args.paths.is_empty() {
        let site = SiteConventions::load(lexicon_dir)?;
        let (files, errors) = collect_inputs(&args.paths);
        for e in &errors {
            eprintln!("stimmung: {}: {}; skipped", e.file, e.reason);
        }
        skipped += errors.len();
        for path in files {
            let page = match parse_file(&path, &site) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("stimmung: {e}; skipped");
                    skipped += 1;
                    continue;
                }
            };
            let body: Vec<&str> = page.body.iter().map(|b| b.text.as_str()).collect();
            if !body.is_empty() {
                texts.push(CorpusText {
                    article: page.article_id.clone(),
                    place: "body".into(),
                    text: body.join("\n"),
                });
            }
            for c in &page.comments {
                texts.push(CorpusText {
                    article: page.article_id.clone(),
                    place: c.id.to_string(),
                    text: c.text.clone(),
                });
            }
        }
    }
    for path in &args.text {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            texts.push(CorpusText {
                article: name.clone(),
                place: (n + 1).to_string(),
                text: line.trim_end_matches('\r').to_string(),
            });
        }
    }
    Ok(Corpus { texts, skipped })
}

/// Up to `width` characters of `text` before `start` and after `end` (byte offsets), with runs
/// of whitespace (line breaks too) as single spaces; cut contexts are marked with "…". The
/// sides keep the space next to the match, so `left + match + right` reads as the text did.
pub fn context(text: &str, start: usize, end: usize, width: usize) -> (String, String) {
    let flat = |s: &str| {
        let mut out = String::with_capacity(s.len());
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
        if space {
            out.push(' ');
        }
        out
    };
    let before = flat(text.get(..start).unwrap_or(""));
    let before = before.trim_start();
    let after = flat(text.get(end..).unwrap_or(""));
    let after = after.trim_end();
    let n = before.chars().count();
    let left = if n > width {
        format!("…{}", before.chars().skip(n - width).collect::<String>())
    } else {
        before.to_string()
    };
    let right = if after.chars().count() > width {
        format!("{}…", after.chars().take(width).collect::<String>())
    } else {
        after.to_string()
    };
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_cut_at_characters_and_flattened() {
        let text = "Das Wetter ist\nschön und die Sonne scheint";
        let start = text.find("schön").unwrap();
        let (l, r) = context(text, start, start + "schön".len(), 6);
        assert_eq!((l.as_str(), r.as_str()), ("…r ist ", " und d…"));
        let (l, r) = context("ä", 0, 2, 5);
        assert_eq!((l.as_str(), r.as_str()), ("", ""));
    }
}
