//! `stimmung parse FILE [--json]`: shows how one page splits into article and comment threads.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::{Exit, LexiconArgs};
use crate::page::{parse_file, Page, SiteConventions};
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct ParseArgs {
    /// Page to parse (plain-text dump of a news page)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the full page as JSON instead of a readable summary
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

pub fn run(args: &ParseArgs) -> Result<Exit, Error> {
    if !args.lexicon.overlay.is_empty() {
        return Err(Error::Usage(
            "parse reads only the site conventions; --overlay does not apply to it".into(),
        ));
    }
    let dir = args
        .lexicon
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let site = SiteConventions::load(&dir)?;
    let page = parse_file(&args.file, &site).map_err(|e| Error::Usage(e.to_string()))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &page)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        write_summary(&mut out, &page)
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Exit::Success)
}

fn short(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut s: String = flat.chars().take(max).collect();
    s.push('…');
    s
}

/// Nesting depth of every comment (parents always come first on the page).
fn depths(page: &Page) -> Vec<usize> {
    let mut depths: Vec<usize> = Vec::with_capacity(page.comments.len());
    for c in &page.comments {
        let d = c
            .parent
            .and_then(|p| depths.get(p.wrapping_sub(1)))
            .map_or(0, |d| d + 1);
        depths.push(d);
    }
    depths
}

/// Deeper replies are drawn at this depth, so that long chains stay readable.
const MAX_INDENT: usize = 8;

fn write_summary(out: &mut impl Write, page: &Page) -> std::io::Result<()> {
    let none = || "-".to_string();
    writeln!(out, "title:     {}", page.title)?;
    writeln!(
        out,
        "subtitle:  {}",
        page.subtitle.clone().unwrap_or_else(none)
    )?;
    writeln!(
        out,
        "published: {}",
        page.published.clone().unwrap_or_else(none)
    )?;
    writeln!(
        out,
        "byline:    {}",
        page.byline.clone().unwrap_or_else(none)
    )?;
    writeln!(out, "encoding:  {}", page.encoding)?;
    writeln!(out, "body:      {} blocks", page.body.len())?;
    for block in &page.body {
        let tag = match block.kind {
            crate::page::BlockKind::Heading => "##",
            crate::page::BlockKind::Paragraph => "  ",
        };
        writeln!(out, "  {tag} {}", short(&block.text, 90))?;
    }
    let declared = page
        .declared_comment_count
        .map_or_else(none, |n| n.to_string());
    writeln!(
        out,
        "comments:  {} parsed, {declared} announced, {} threads",
        page.comments.len(),
        page.thread_ids().len()
    )?;
    for (c, depth) in page.comments.iter().zip(depths(page)) {
        let indent = "  ".repeat(depth.min(MAX_INDENT) + 1);
        let link = match c.parent {
            Some(p) => format!(" ← {p} ({})", c.reply_evidence.as_str()),
            None => String::new(),
        };
        writeln!(
            out,
            "{indent}#{} {} [{}] {}{}{}",
            c.id,
            c.author,
            c.rank.as_deref().unwrap_or("-"),
            c.age_raw.as_deref().unwrap_or("?"),
            link,
            if c.truncated { " (truncated)" } else { "" }
        )?;
        writeln!(out, "{indent}   {}", short(&c.text, 80))?;
    }
    for w in &page.warnings {
        writeln!(out, "warning:   {w}")?;
    }
    Ok(())
}
