//! `stimmung chart comments.csv`: redraws the per-article charts from a (possibly edited)
//! comments table, so researchers can filter rows in R or a spreadsheet and plot the rest.
//!
//! Rows are drawn in the order they appear in the file. Titles and article tones come from the
//! `articles.csv` beside the comments table when it is there.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cmd::analyze::{is_chart_file, safe_file_stem};
use crate::cmd::Exit;
use crate::output::atomic::{sweep_stale, write_atomic};
use crate::output::charts::{self, ChartFormat, CommentBar, ThreadChart};
use crate::tone::ToneLabel;
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct ChartArgs {
    /// A comments.csv written by `stimmung analyze` (rows may be filtered or reordered)
    #[arg(value_name = "COMMENTS_CSV")]
    pub comments: PathBuf,
    /// The matching articles.csv [default: articles.csv beside COMMENTS_CSV, if present]
    #[arg(long, value_name = "CSV")]
    pub articles: Option<PathBuf>,
    /// Output folder; charts go to DIR/charts/ [default: the folder of COMMENTS_CSV]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "png")]
    pub format: ChartFormat,
}

#[derive(Debug, Deserialize)]
struct CommentIn {
    article_id: String,
    comment_id: usize,
    thread_id: usize,
    author: String,
    tone: f64,
    tone_label: String,
    #[serde(default)]
    dialect_label: String,
}

#[derive(Debug, Deserialize)]
struct ArticleIn {
    article_id: String,
    title: String,
    body_tone: Option<f64>,
}

fn read_csv<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, Error> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize().enumerate() {
        // Line numbers for the user: the header is line 1.
        let row = row.map_err(|e| Error::Usage(format!("{}:{}: {e}", path.display(), i + 2)))?;
        rows.push(row);
    }
    Ok(rows)
}

pub fn run(args: &ChartArgs) -> Result<Exit, Error> {
    let comments: Vec<CommentIn> = read_csv(&args.comments)?;
    let folder = args
        .comments
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let articles_path = args
        .articles
        .clone()
        .unwrap_or_else(|| folder.join("articles.csv"));
    let articles: HashMap<String, ArticleIn> = if articles_path.is_file() {
        read_csv::<ArticleIn>(&articles_path)?
            .into_iter()
            .map(|a| (a.article_id.clone(), a))
            .collect()
    } else {
        HashMap::new()
    };
    let out = args.out.clone().unwrap_or(folder).join("charts");
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    sweep_stale(&out, is_chart_file);

    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<CommentBar>> = HashMap::new();
    for (row, c) in comments.into_iter().enumerate() {
        let label = ToneLabel::parse(&c.tone_label).ok_or_else(|| {
            Error::Usage(format!(
                "{}:{}: tone_label '{}' is not negative, neutral or positive",
                args.comments.display(),
                row + 2,
                c.tone_label
            ))
        })?;
        if !groups.contains_key(&c.article_id) {
            order.push(c.article_id.clone());
        }
        groups.entry(c.article_id).or_default().push(CommentBar {
            comment_id: c.comment_id,
            thread_id: c.thread_id,
            author: c.author,
            tone: c.tone,
            label,
            dialect: !c.dialect_label.is_empty() && c.dialect_label != "standard",
        });
    }
    let mut written = 0;
    for id in &order {
        let bars = groups.remove(id).unwrap_or_default();
        let article = articles.get(id);
        let chart = ThreadChart {
            title: article.map_or_else(|| id.clone(), |a| a.title.clone()),
            article_tone: article.and_then(|a| a.body_tone),
            bars,
        };
        let path = out.join(format!(
            "{}.{}",
            safe_file_stem(id),
            args.format.extension()
        ));
        let bytes = charts::thread_chart(&chart, args.format, (1200, 600))
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        write_atomic(&path, &bytes)?;
        written += 1;
    }
    writeln!(
        std::io::stdout(),
        "wrote {written} charts to {}",
        out.display()
    )
    .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Exit::Success)
}
