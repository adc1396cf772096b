//! `stimmung analyze`: the main job. Parses every page, scores article and comments, writes the
//! research tables and the charts, and prints a summary.
//!
//! Pages are parsed, scored and serialised to CSV bytes by long-lived workers (each with its
//! own scorer); the calling thread appends each page's bytes in input order as soon as it is
//! next, so the output is byte-identical whatever the thread count, nothing waits for the
//! slowest page of a batch, and memory stays bounded by the pages under way, not the corpus.

use std::collections::{BTreeSet, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::cmd::{Exit, LexiconArgs};
use crate::output::atomic::{sweep_stale, write_atomic, AtomicFile};
use crate::output::charts::{self, ChartFormat, CommentBar, OverviewRow, ThreadChart};
use crate::output::tables::{self, ErrorRow, PageRows, ScoredPage};
use crate::page::{self, SiteConventions};
use crate::tone::{Analyzer, Scorer, ToneResult};
use crate::Error;

/// Pages between reading and writing at most.
const WINDOW: usize = 64;

/// The tables `analyze` writes into `--out`, each as `.csv` and with `--jsonl` also `.jsonl`.
const TABLES: [&str; 5] = ["articles", "paragraphs", "comments", "threads", "errors"];

/// Whether `name` is a file analyze writes into `--out`: the sweep of temporary files left by
/// an interrupted run must not touch other files a user keeps there.
fn is_table_file(name: &str) -> bool {
    let stem = name
        .strip_suffix(".csv")
        .or_else(|| name.strip_suffix(".jsonl"));
    stem.is_some_and(|s| TABLES.contains(&s))
}

/// Whether `name` is a chart file; the charts folder is analyze's own.
pub fn is_chart_file(name: &str) -> bool {
    name.ends_with(".png") || name.ends_with(".svg")
}

#[derive(clap::Args, Debug, Clone)]
pub struct AnalyzeArgs {
    /// Page files or folders of pages (folders are read recursively, in name order)
    #[arg(value_name = "PATH", default_value = "seeds")]
    pub paths: Vec<PathBuf>,
    /// Output folder for the tables and charts/
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub lexicons: LexiconArgs,
    /// Chart file format
    #[arg(long, value_enum, default_value = "png")]
    pub format: ChartFormat,
    /// Chart size in pixels, WIDTHxHEIGHT
    #[arg(long, value_name = "WxH", default_value = "1200x600", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Do not draw charts
    #[arg(long)]
    pub no_charts: bool,
    /// Also write the records as JSON lines (articles.jsonl, comments.jsonl, threads.jsonl)
    #[arg(long)]
    pub jsonl: bool,
    /// Time the pages were crawled (ISO 8601, UTC); fills posted_at = crawled_at − age
    #[arg(long, value_name = "TIME")]
    pub crawled_at: Option<String>,
    /// Prefix cells starting with = + - @ with an apostrophe so spreadsheets do not run them
    #[arg(long)]
    pub excel_safe: bool,
    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress display and no summary
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{s}' is not WIDTHxHEIGHT"))?;
    let w: u32 = w.parse().map_err(|_| format!("bad width in '{s}'"))?;
    let h: u32 = h.parse().map_err(|_| format!("bad height in '{s}'"))?;
    if !(300..=8000).contains(&w) || !(200..=8000).contains(&h) {
        return Err(format!(
            "chart size {w}x{h} must be within 300x200 … 8000x8000"
        ));
    }
    Ok((w, h))
}

/// A file name derived from untrusted text (an article id comes from a file name, and pages
/// are scraped): only a safe character set, no leading dot, bounded length and no reserved
/// device names, so that the result always stays inside the output folder.
pub fn safe_file_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem = stem.trim_start_matches('.').to_string();
    stem.truncate(100);
    if stem.is_empty() {
        stem = "article".to_string();
    }
    let upper = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        stem.insert(0, '_');
    }
    stem
}

/// Collects the page files under `paths` in a stable order. Problems (missing paths,
/// unreadable folders, symlink loops) become error rows; the run goes on.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ErrorRow>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut visited = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut visited, &mut files, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push(ErrorRow {
                file: path.display().to_string(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    (files, errors)
}

fn walk(
    dir: &Path,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<ErrorRow>,
) {
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(key) {
        errors.push(ErrorRow {
            file: dir.display().to_string(),
            reason: "folder already visited (symlink loop); skipped".to_string(),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(ErrorRow {
                file: dir.display().to_string(),
                reason: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        let readme = path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"));
        if hidden || readme {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, visited, files, errors),
            Ok(_) => files.push(path),
            Err(e) => errors.push(ErrorRow {
                file: path.display().to_string(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
}

/// What a page is called in the tables and on disk.
struct ArticleName {
    /// The file stem, made unique within the run ("a", "a_2", …).
    id: String,
    /// The chart file stem: [`safe_file_stem`] of the id, made unique within the run without
    /// regard to case (macOS and Windows file systems ignore it) and never `overview`, so no
    /// chart can overwrite another.
    chart_stem: String,
}

fn unique(base: &str, taken: &mut HashSet<String>, key: impl Fn(&str) -> String) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while !taken.insert(key(&name)) {
        n += 1;
        name = format!("{base}_{n}");
    }
    name
}

fn article_names(files: &[PathBuf]) -> Vec<ArticleName> {
    let mut ids = HashSet::new();
    let mut stems = HashSet::from(["overview".to_string()]);
    files
        .iter()
        .map(|f| {
            let stem = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "article".to_string());
            let id = unique(&stem, &mut ids, str::to_string);
            let chart_stem = unique(&safe_file_stem(&id), &mut stems, str::to_lowercase);
            ArticleName { id, chart_stem }
        })
        .collect()
}

/// Scores one parsed page. A comment's words that it shares with the article body or an
/// earlier comment of the page (runs of `quote_shingle_words` words) count as quoted, so the
/// commenter is not credited with the quoted tone.
pub fn score_page(page: crate::page::Page, scorer: &mut Scorer) -> ScoredPage {
    let blocks: Vec<&str> = page.body.iter().map(|b| b.text.as_str()).collect();
    let (block_tones, body_tone) = scorer.score_blocks(&blocks);
    // Memory stays bounded by the comments: an article longer than all of them together only
    // contributes the shingles they contain (which costs a pass over the comments).
    let comment_bytes: usize = page.comments.iter().map(|c| c.text.len()).sum();
    let body_bytes: usize = blocks.iter().map(|b| b.len()).sum();
    let comment_texts = || page.comments.iter().map(|c| c.text.as_str());
    let mut sources = scorer
        .analyzer()
        .quote_sources((body_bytes > comment_bytes).then(comment_texts));
    if !page.comments.is_empty() {
        blocks.iter().for_each(|b| sources.add(b));
    }
    let texts: Vec<&str> = comment_texts().collect();
    let mut comment_tones = vec![ToneResult::default(); texts.len()];
    scorer.score_batch_quoting(&texts, &mut sources, &mut comment_tones);
    ScoredPage {
        page,
        body_tone,
        block_tones,
        comment_tones,
    }
}

fn chart_for(scored: &ScoredPage) -> ThreadChart {
    let page = &scored.page;
    let bars = tables::thread_order(page)
        .into_iter()
        .map(|i| {
            let c = &page.comments[i];
            let t = &scored.comment_tones[i];
            CommentBar {
                comment_id: c.id,
                thread_id: c.thread,
                author: c.author.clone(),
                tone: t.tone,
                label: t.tone_label,
                dialect: t.dialect_label != crate::dialect::DialectLabel::Standard,
            }
        })
        .collect();
    ThreadChart {
        title: page.title.clone(),
        article_tone: Some(scored.body_tone.tone),
        bars,
    }
}

/// A CSV table (and optionally its JSON-lines twin) being written.
struct Table {
    path: PathBuf,
    csv: std::io::BufWriter<AtomicFile>,
    jsonl: Option<(PathBuf, std::io::BufWriter<AtomicFile>)>,
    rows: usize,
}

impl Table {
    fn create<T: Serialize + Default>(out: &Path, name: &str, jsonl: bool) -> Result<Table, Error> {
        let path = out.join(format!("{name}.csv"));
        let mut csv = std::io::BufWriter::with_capacity(1 << 16, AtomicFile::create(&path)?);
        csv.write_all(&header_line::<T>(&path)?)
            .map_err(|e| Error::io(&path, e))?;
        let jsonl = if jsonl {
            let p = out.join(format!("{name}.jsonl"));
            Some((p.clone(), std::io::BufWriter::new(AtomicFile::create(&p)?)))
        } else {
            None
        };
        Ok(Table {
            path,
            csv,
            jsonl,
            rows: 0,
        })
    }

    /// Appends rows serialised by [`TableBytes`].
    fn append(&mut self, bytes: &TableBytes) -> Result<(), Error> {
        self.csv
            .write_all(&bytes.csv)
            .map_err(|e| Error::io(&self.path, e))?;
        if let Some((p, w)) = self.jsonl.as_mut() {
            w.write_all(&bytes.jsonl).map_err(|e| Error::io(&*p, e))?;
        }
        self.rows += bytes.rows;
        Ok(())
    }

    fn write<T: Serialize>(&mut self, row: &T) -> Result<(), Error> {
        let bytes = TableBytes::of([row], self.jsonl.is_some())
            .map_err(|e| Error::io(&self.path, std::io::Error::other(e)))?;
        self.append(&bytes)
    }

    fn commit(self) -> Result<usize, Error> {
        self.csv
            .into_inner()
            .map_err(|e| Error::io(&self.path, std::io::Error::other(e.to_string())))?
            .commit()?;
        if let Some((p, w)) = self.jsonl {
            w.into_inner()
                .map_err(|e| Error::io(&p, std::io::Error::other(e.to_string())))?
                .commit()?;
        }
        Ok(self.rows)
    }
}

/// The header line of `T`'s table. The csv crate derives headers from field names only when it
/// writes a first row, but an empty table must still have its header: serialise a default row
/// and keep its first line (field names never contain line breaks).
fn header_line<T: Serialize + Default>(path: &Path) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default()).map_err(|e| csv_error(path, e))?;
    let bytes = w
        .into_inner()
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    Ok(bytes[..end].to_vec())
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

/// Rows of one table serialised on a worker exactly as [`Table::write`] would write them.
#[derive(Default)]
struct TableBytes {
    csv: Vec<u8>,
    jsonl: Vec<u8>,
    rows: usize,
}

impl TableBytes {
    fn of<'r, T: Serialize + 'r>(
        rows: impl IntoIterator<Item = &'r T>,
        jsonl: bool,
    ) -> Result<TableBytes, String> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let mut out = TableBytes::default();
        for row in rows {
            csv.serialize(row).map_err(|e| e.to_string())?;
            if jsonl {
                serde_json::to_writer(&mut out.jsonl, row).map_err(|e| e.to_string())?;
                out.jsonl.push(b'\n');
            }
            out.rows += 1;
        }
        out.csv = csv.into_inner().map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// One page's rows, serialised for the four tables.
struct PageBytes {
    articles: TableBytes,
    paragraphs: TableBytes,
    comments: TableBytes,
    threads: TableBytes,
    warning: bool,
    has_comments: bool,
}

impl PageBytes {
    /// On failure, the table that could not be written and why.
    fn of(mut rows: PageRows, args: &AnalyzeArgs) -> Result<PageBytes, (&'static str, String)> {
        if args.excel_safe {
            rows.make_excel_safe();
        }
        let table = |name: &'static str| move |e: String| (name, e);
        Ok(PageBytes {
            articles: TableBytes::of([&rows.article], args.jsonl).map_err(table("articles"))?,
            paragraphs: TableBytes::of(&rows.paragraphs, args.jsonl)
                .map_err(table("paragraphs"))?,
            comments: TableBytes::of(&rows.comments, args.jsonl).map_err(table("comments"))?,
            threads: TableBytes::of(&rows.threads, args.jsonl).map_err(table("threads"))?,
            warning: !rows.article.warnings.is_empty(),
            has_comments: !rows.comments.is_empty(),
        })
    }
}

struct BatchResult {
    rows: Result<Result<PageBytes, (&'static str, String)>, ErrorRow>,
    overview: Option<OverviewRow>,
    chart: Option<Result<PathBuf, ErrorRow>>,
}

pub fn run(args: &AnalyzeArgs) -> Result<Exit, Error> {
    let started = Instant::now();
    let crawled_at = match &args.crawled_at {
        Some(t) => Some(crate::output::time::parse_iso(t).ok_or_else(|| {
            Error::Usage(format!(
                "--crawled-at '{t}' is not an ISO 8601 time such as 2024-12-04T08:00"
            ))
        })?),
        None => None,
    };
    let analyzer = Analyzer::load(&args.lexicons)?;
    let lexicon_dir = args
        .lexicons
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let site = SiteConventions::load(&lexicon_dir)?;

    let (files, mut errors) = collect_inputs(&args.paths);
    let names = article_names(&files);
    let charts_dir = args.out.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| Error::io(&charts_dir, e))?;
    let swept = sweep_stale(&args.out, is_table_file) + sweep_stale(&charts_dir, is_chart_file);

    let n_threads = match args.threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };

    let mut articles = Table::create::<tables::ArticleRow>(&args.out, "articles", args.jsonl)?;
    let mut paragraphs =
        Table::create::<tables::ParagraphRow>(&args.out, "paragraphs", args.jsonl)?;
    let mut comments = Table::create::<tables::CommentRow>(&args.out, "comments", args.jsonl)?;
    let mut threads = Table::create::<tables::ThreadRow>(&args.out, "threads", args.jsonl)?;

    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let mut overview = Vec::new();
    let mut overview_total = 0usize;
    let mut charts_written = BTreeSet::new();
    let mut pages_with_comments = 0usize;
    let mut warnings = 0usize;
    let mut done = 0usize;

    crate::parallel::ordered_map(
        n_threads,
        WINDOW,
        files.iter().zip(&names),
        || analyzer.scorer(),
        |scorer, (file, name)| {
            process_file(file, name, &site, scorer, args, crawled_at, &charts_dir)
        },
        |result| {
            match result.rows {
                Ok(Ok(rows)) => {
                    warnings += usize::from(rows.warning);
                    pages_with_comments += usize::from(rows.has_comments);
                    articles.append(&rows.articles)?;
                    paragraphs.append(&rows.paragraphs)?;
                    comments.append(&rows.comments)?;
                    threads.append(&rows.threads)?;
                }
                Ok(Err((table, e))) => {
                    let path = args.out.join(format!("{table}.csv"));
                    return Err(Error::io(path, std::io::Error::other(e)));
                }
                Err(e) => errors.push(e),
            }
            if let Some(row) = result.overview {
                overview_total += 1;
                if overview.len() < charts::OVERVIEW_MAX_ROWS {
                    overview.push(row);
                }
            }
            match result.chart {
                Some(Ok(path)) => {
                    charts_written.insert(path);
                }
                Some(Err(e)) => errors.push(e),
                None => {}
            }
            done += 1;
            if show_progress && done.is_multiple_of(64) && started.elapsed().as_secs_f64() > 1.0 {
                eprint!("\ranalysing: {done}/{} pages", files.len());
            }
            Ok(())
        },
    )?;
    if show_progress && started.elapsed().as_secs_f64() > 1.0 {
        eprintln!();
    }

    if !args.no_charts && overview_total > 0 {
        let path = charts_dir.join(format!("overview.{}", args.format.extension()));
        let bytes = charts::overview_chart(&overview, overview_total, args.format, args.size.0)
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        write_atomic(&path, &bytes)?;
        charts_written.insert(path);
    }
    let stale = remove_stale_charts(&charts_dir, &charts_written);

    let mut errors_table = Table::create::<ErrorRow>(&args.out, "errors", false)?;
    for e in &errors {
        errors_table.write(e)?;
    }
    let n_articles = articles.commit()?;
    paragraphs.commit()?;
    let n_comments = comments.commit()?;
    let n_threads = threads.commit()?;
    errors_table.commit()?;

    for e in &errors {
        eprintln!("stimmung: skipped {}: {}", e.file, e.reason);
    }
    if !args.quiet {
        let file = |name: &str| args.out.join(name).display().to_string();
        let summary = format!(
            "analysed {n_articles} pages ({pages_with_comments} with comments): {n_comments} comments in {n_threads} threads; {} skipped; {warnings} pages with warnings\n\
             wrote {}, {}, {}, {}, {}{}\n\
             charts: {} in {}{}\n\
             {}time: {:.2} s\n",
            errors.len(),
            file("articles.csv"),
            file("paragraphs.csv"),
            file("comments.csv"),
            file("threads.csv"),
            file("errors.csv"),
            if args.jsonl { " (+ .jsonl)" } else { "" },
            charts_written.len(),
            charts_dir.display(),
            if stale > 0 {
                format!(" ({stale} stale charts from an earlier run removed)")
            } else {
                String::new()
            },
            if swept > 0 {
                format!("removed {swept} temporary files left by an interrupted run\n")
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64()
        );
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(summary.as_bytes())
            .map_err(|e| Error::io("<stdout>", e))?;
    }
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::SomeInputsSkipped
    })
}

fn process_file(
    file: &Path,
    name: &ArticleName,
    site: &SiteConventions,
    scorer: &mut Scorer,
    args: &AnalyzeArgs,
    crawled_at: Option<i64>,
    charts_dir: &Path,
) -> BatchResult {
    let page = match page::parse_file(file, site) {
        Ok(mut p) => {
            p.article_id = name.id.clone();
            p
        }
        Err(e) => {
            return BatchResult {
                rows: Err(ErrorRow {
                    file: file.display().to_string(),
                    reason: e.reason,
                }),
                overview: None,
                chart: None,
            }
        }
    };
    let scored = score_page(page, scorer);
    let rows = tables::build_rows(&scored, crawled_at);
    let overview = Some(OverviewRow {
        // Rows follow articles.csv order; the title alone reads better than a hash-like id.
        label: if scored.page.title.trim().is_empty() {
            scored.page.article_id.clone()
        } else {
            scored.page.title.clone()
        },
        article_tone: Some(scored.body_tone.tone),
        mean_comment_tone: rows.article.mean_comment_tone.map(|d| d.0),
    });
    let chart = if args.no_charts || scored.page.comments.is_empty() {
        None
    } else {
        let path = charts_dir.join(format!("{}.{}", name.chart_stem, args.format.extension()));
        Some(
            charts::thread_chart(&chart_for(&scored), args.format, args.size)
                .map_err(|e| e.to_string())
                .and_then(|bytes| write_atomic(&path, &bytes).map_err(|e| e.to_string()))
                .map(|()| path)
                .map_err(|reason| ErrorRow {
                    file: file.display().to_string(),
                    reason: format!("chart not written: {reason}"),
                }),
        )
    };
    BatchResult {
        rows: Ok(PageBytes::of(rows, args)),
        overview,
        chart,
    }
}

/// Deletes chart files in `charts_dir` that this run did not write, so a rerun on fewer pages
/// does not leave charts that look current. Only `.png` and `.svg` files are touched.
fn remove_stale_charts(charts_dir: &Path, written: &BTreeSet<PathBuf>) -> usize {
    let Ok(entries) = std::fs::read_dir(charts_dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_chart = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_chart_file);
        if is_chart && !written.contains(&path) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_cannot_escape_the_output_folder() {
        assert_eq!(safe_file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("/abs/path"), "_abs_path");
        assert_eq!(safe_file_stem(".."), "article");
        assert_eq!(safe_file_stem("CON"), "_CON");
        assert_eq!(safe_file_stem("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_stem("Übel „x“"), "_bel__x_");
        assert_eq!(safe_file_stem(&"a".repeat(500)).len(), 100);
        assert_eq!(
            safe_file_stem("003_37f2beed3ee40e28"),
            "003_37f2beed3ee40e28"
        );
    }

    #[test]
    fn duplicate_stems_get_distinct_ids() {
        let files = vec![
            PathBuf::from("a/x.txt"),
            PathBuf::from("b/x.txt"),
            PathBuf::from("c/x.html"),
        ];
        let names = article_names(&files);
        let ids: Vec<&str> = names.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["x", "x_2", "x_3"]);
    }

    #[test]
    fn chart_stems_never_collide_or_take_the_overview_name() {
        let files: Vec<PathBuf> = [
            "a b.txt",
            "a_b.txt",
            "A?B.txt",
            "overview.txt",
            "Overview.html",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let stems: Vec<String> = article_names(&files)
            .into_iter()
            .map(|n| n.chart_stem)
            .collect();
        assert_eq!(stems, ["a_b", "a_b_2", "A_B_3", "overview_2", "Overview_3"]);
    }

    #[test]
    fn size_parser_rejects_nonsense() {
        assert_eq!(parse_size("1200x600"), Ok((1200, 600)));
        assert!(parse_size("0x0").is_err());
        assert!(parse_size("big").is_err());
    }
}
