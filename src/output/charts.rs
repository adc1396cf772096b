//! Per-thread sentiment charts and the corpus overview, as PNG or SVG.
//!
//! Charts are drawn into memory and written atomically by the caller. Text is rendered with the
//! embedded DejaVu Sans font (registered once before the first drawing), so charts look the
//! same on a bare machine without system fonts. Colours are from the Okabe–Ito palette, which
//! stays distinguishable for the common forms of colour blindness.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::tone::ToneLabel;

const FONT: &str = "sans-serif";
const POSITIVE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const NEGATIVE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const NEUTRAL: RGBColor = RGBColor(0x99, 0x99, 0x99);
const REFERENCE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const DIALECT: RGBColor = RGBColor(0x00, 0x00, 0x00);
const SEPARATOR: RGBColor = RGBColor(0x60, 0x60, 0x60);

/// Above this many articles the overview shows only the first ones (in input order): a taller
/// image would no longer be readable.
pub const OVERVIEW_MAX_ROWS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// One comment's bar.
#[derive(Debug, Clone)]
pub struct CommentBar {
    pub comment_id: usize,
    pub thread_id: usize,
    pub author: String,
    pub tone: f64,
    /// The comment's label, which decides the colour, so the chart and the tables agree.
    pub label: ToneLabel,
    pub dialect: bool,
}

/// Everything one article's chart shows; bars must already be in thread order.
#[derive(Debug, Clone)]
pub struct ThreadChart {
    pub title: String,
    pub article_tone: Option<f64>,
    pub bars: Vec<CommentBar>,
}

/// One row of the overview chart.
#[derive(Debug, Clone)]
pub struct OverviewRow {
    pub label: String,
    pub article_tone: Option<f64>,
    pub mean_comment_tone: Option<f64>,
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in and known to be valid, so registration cannot fail at run
        // time in a way a user could fix; ignoring the result keeps drawing panic-free.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Shortens `text` to at most `max_chars` characters, marking the cut with an ellipsis.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut out: String = text.chars().take(keep).collect();
    out.push('…');
    out
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Renders into memory with the backend `format` asks for. Plotters' backends are different
/// types, so the caller hands over the same drawing code once per backend.
fn render(
    format: ChartFormat,
    size: (u32, u32),
    draw_png: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
    draw_svg: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_fonts();
    let (w, h) = size;
    match format {
        ChartFormat::Png => {
            let mut buf = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
                draw_png(&root)?;
                root.present().map_err(|e| e.to_string())?;
            }
            encode_png(&buf, w, h)
        }
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw_svg(&root)?;
                root.present().map_err(|e| e.to_string())?;
            }
            Ok(svg.into_bytes())
        }
    }
}

/// Draws one article's comments, grouped by thread.
pub fn thread_chart(
    chart: &ThreadChart,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, String> {
    render(
        format,
        size,
        |root| draw_thread_chart(root, chart),
        |root| draw_thread_chart(root, chart),
    )
}

/// Draws mean comment tone against article tone, one row per article.
/// `rows` may hold only the first articles of a larger run; `total` is the number of articles
/// in the run, so the caption can say how many are left out.
pub fn overview_chart(
    rows: &[OverviewRow],
    total: usize,
    format: ChartFormat,
    width: u32,
) -> Result<Vec<u8>, String> {
    let shown = rows.len().min(OVERVIEW_MAX_ROWS);
    let height = (140 + 34 * shown as u32).max(320);
    render(
        format,
        (width, height),
        |root| draw_overview(root, rows, total),
        |root| draw_overview(root, rows, total),
    )
}

fn draw_thread_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ThreadChart,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (full_width, _) = root.dim_in_pixel();
    let title_chars = ((full_width as usize).saturating_sub(60)) / 12;
    let root = root
        .margin(10, 0, 0, 0)
        .titled(
            &truncate_chars(&chart.title, title_chars.max(10)),
            (FONT, 22, FontStyle::Bold),
        )
        .map_err(err)?;
    let (plot_area, legend_area) = root.split_horizontally(full_width.saturating_sub(LEGEND_WIDTH));
    let (width, _) = plot_area.dim_in_pixel();
    let n = chart.bars.len().max(1);
    let mut legend = vec![
        LegendEntry::Box(POSITIVE, "positive comment".to_string()),
        LegendEntry::Box(NEGATIVE, "negative comment".to_string()),
        LegendEntry::Box(NEUTRAL, "neutral comment".to_string()),
        LegendEntry::Triangle(DIALECT, "dialect or mixed".to_string()),
    ];
    if let Some(article) = chart.article_tone {
        legend.push(LegendEntry::Dash(
            REFERENCE,
            format!("article body tone ({article:+.2})"),
        ));
    }
    draw_legend(&legend_area, &legend).map_err(err)?;
    let mut builder = ChartBuilder::on(&plot_area);
    builder
        .margin(16)
        .margin_right(24)
        .x_label_area_size(56)
        .y_label_area_size(64);
    let mut ctx = builder
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), -1.0f64..1.3f64)
        .map_err(err)?;

    let ids: Vec<usize> = chart.bars.iter().map(|b| b.comment_id).collect();
    let label_step = n.div_ceil(40).max(1);
    let x_formatter = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 0.01 || i < 0.0 {
            return String::new();
        }
        let i = i as usize;
        if !i.is_multiple_of(label_step) {
            return String::new();
        }
        ids.get(i).map(|id| format!("#{id}")).unwrap_or_default()
    };
    let y_formatter = |y: &f64| {
        if *y > 1.0 + 1e-9 {
            String::new()
        } else if y.abs() < 1e-9 {
            "0".to_string()
        } else {
            format!("{y:+.1}")
        }
    };
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(40) * 2 + 1)
        .x_label_formatter(&x_formatter)
        .y_labels(11)
        .y_label_formatter(&y_formatter)
        .x_desc("Comments in thread order (page id)")
        .y_desc("Tone (−1 negative … +1 positive)")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
        .draw()
        .map_err(err)?;

    ctx.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
        BLACK.stroke_width(1),
    )))
    .map_err(err)?;

    for (colour, label) in [
        (POSITIVE, ToneLabel::Positive),
        (NEGATIVE, ToneLabel::Negative),
        (NEUTRAL, ToneLabel::Neutral),
    ] {
        let bars = chart
            .bars
            .iter()
            .enumerate()
            .filter(|(_, b)| b.label == label)
            .map(|(i, b)| {
                // A near-zero bar would vanish; a minimum height keeps every comment visible.
                let top = if b.tone.abs() < 0.02 {
                    0.02
                } else {
                    b.tone.clamp(-1.0, 1.0)
                };
                Rectangle::new(
                    [(i as f64 - 0.35, 0.0), (i as f64 + 0.35, top)],
                    colour.filled(),
                )
            });
        ctx.draw_series(bars).map_err(err)?;
    }

    ctx.draw_series(
        chart
            .bars
            .iter()
            .enumerate()
            .filter(|(_, b)| b.dialect)
            .map(|(i, b)| {
                let y = if b.tone >= 0.0 {
                    b.tone.min(1.0) + 0.08
                } else {
                    b.tone.max(-1.0) - 0.08
                };
                TriangleMarker::new((i as f64, y), 7, DIALECT.filled())
            }),
    )
    .map_err(err)?;

    if let Some(article) = chart.article_tone {
        ctx.draw_series(DashedLineSeries::new(
            vec![(-0.5, article), (n as f64 - 0.5, article)],
            8,
            5,
            REFERENCE.stroke_width(2),
        ))
        .map_err(err)?;
    }

    let px_per_comment = (width as f64 - 110.0) / n as f64;
    let mut start = 0;
    while start < chart.bars.len() {
        let thread = chart.bars[start].thread_id;
        let len = chart.bars[start..]
            .iter()
            .take_while(|b| b.thread_id == thread)
            .count();
        if start > 0 {
            ctx.draw_series(DashedLineSeries::new(
                vec![(start as f64 - 0.5, -1.0), (start as f64 - 0.5, 1.3)],
                4,
                4,
                SEPARATOR.stroke_width(1),
            ))
            .map_err(err)?;
        }
        let room_chars = ((len as f64 * px_per_comment - 8.0) / 6.8).max(0.0) as usize;
        let full = format!("T{thread} {}", chart.bars[start].author);
        let label = if room_chars >= full.chars().count() {
            full
        } else if room_chars >= 6 {
            truncate_chars(&full, room_chars)
        } else if room_chars >= 2 {
            format!("T{thread}")
        } else {
            String::new()
        };
        if !label.is_empty() {
            ctx.draw_series(std::iter::once(Text::new(
                label,
                (start as f64 - 0.4, 1.22),
                (FONT, 13).into_font().color(&SEPARATOR),
            )))
            .map_err(err)?;
        }
        start += len;
    }
    Ok(())
}

const LEGEND_WIDTH: u32 = 230;

enum LegendEntry {
    Box(RGBColor, String),
    Triangle(RGBColor, String),
    Dash(RGBColor, String),
}

/// Draws the legend in its own panel so that it can never cover a bar or a marker.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let x = 12;
    let mut y = 40;
    for entry in entries {
        let label = match entry {
            LegendEntry::Box(c, l) => {
                area.draw(&Rectangle::new([(x, y - 7), (x + 14, y + 7)], c.filled()))?;
                l
            }
            LegendEntry::Triangle(c, l) => {
                area.draw(&TriangleMarker::new((x + 7, y), 7, c.filled()))?;
                l
            }
            LegendEntry::Dash(c, l) => {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + 6, y)],
                    c.stroke_width(3),
                ))?;
                area.draw(&PathElement::new(
                    vec![(x + 10, y), (x + 16, y)],
                    c.stroke_width(3),
                ))?;
                l
            }
        };
        area.draw(&Text::new(
            label.clone(),
            (x + 24, y - 8),
            (FONT, 14).into_font().color(&BLACK),
        ))?;
        y += 26;
    }
    Ok(())
}

fn draw_overview<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[OverviewRow],
    total: usize,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let shown = &rows[..rows.len().min(OVERVIEW_MAX_ROWS)];
    let total = total.max(rows.len());
    let caption = if shown.len() < total {
        format!(
            "Comment tone vs. article tone (first {} of {total} articles)",
            shown.len()
        )
    } else {
        "Comment tone vs. article tone".to_string()
    };
    let n = shown.len().max(1);
    let root = root
        .margin(10, 0, 0, 0)
        .titled(&caption, (FONT, 22, FontStyle::Bold))
        .map_err(err)?;
    let (full_width, _) = root.dim_in_pixel();
    let (plot_area, legend_area) = root.split_horizontally(full_width.saturating_sub(LEGEND_WIDTH));
    draw_legend(
        &legend_area,
        &[
            LegendEntry::Box(REFERENCE, "article body tone".to_string()),
            LegendEntry::Triangle(POSITIVE, "mean comment tone".to_string()),
        ],
    )
    .map_err(err)?;
    let mut ctx = ChartBuilder::on(&plot_area)
        .margin(16)
        .margin_right(24)
        .x_label_area_size(50)
        .y_label_area_size(380)
        .build_cartesian_2d(-1.0f64..1.0f64, -0.5f64..(n as f64 - 0.5))
        .map_err(err)?;
    let labels: Vec<String> = shown.iter().map(|r| truncate_chars(&r.label, 48)).collect();
    let y_formatter = |y: &f64| {
        let i = y.round();
        if (y - i).abs() > 0.01 || i < 0.0 {
            return String::new();
        }
        // Row 0 is drawn at the top so the chart reads in input order.
        let idx = n as isize - 1 - i as isize;
        usize::try_from(idx)
            .ok()
            .and_then(|k| labels.get(k))
            .cloned()
            .unwrap_or_default()
    };
    ctx.configure_mesh()
        .y_labels(n * 2 + 1)
        .y_label_formatter(&y_formatter)
        .x_labels(11)
        .x_label_formatter(&|x| format!("{x:+.1}"))
        .x_desc("Tone (−1 negative … +1 positive)")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
        .draw()
        .map_err(err)?;
    let row_y = |i: usize| (n - 1 - i) as f64;
    ctx.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
        BLACK.stroke_width(1),
    )))
    .map_err(err)?;
    ctx.draw_series(shown.iter().enumerate().filter_map(|(i, r)| {
        let (a, c) = (r.article_tone?, r.mean_comment_tone?);
        Some(PathElement::new(
            vec![(a, row_y(i)), (c, row_y(i))],
            SEPARATOR.stroke_width(1),
        ))
    }))
    .map_err(err)?;
    ctx.draw_series(shown.iter().enumerate().filter_map(|(i, r)| {
        r.article_tone.map(|a| {
            Rectangle::new(
                [(a - 0.012, row_y(i) - 0.18), (a + 0.012, row_y(i) + 0.18)],
                REFERENCE.filled(),
            )
        })
    }))
    .map_err(err)?;
    ctx.draw_series(shown.iter().enumerate().filter_map(|(i, r)| {
        r.mean_comment_tone
            .map(|c| TriangleMarker::new((c, row_y(i)), 8, POSITIVE.filled()))
    }))
    .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ThreadChart {
        let bars = (1..=13)
            .map(|i| CommentBar {
                comment_id: i,
                thread_id: if i < 3 {
                    i
                } else if i <= 8 {
                    3
                } else {
                    i
                },
                author: format!("Autor {i} „Ärger“"),
                tone: ((i as f64) * 0.37).sin(),
                label: ToneLabel::parse(["negative", "neutral", "positive"][i % 3]).unwrap(),
                dialect: i % 4 == 2,
            })
            .collect();
        ThreadChart {
            title: "NATO-Generalsekretär Rutte fordert „mehr Hilfe“ für die Ukraine".into(),
            article_tone: Some(-0.12),
            bars,
        }
    }

    #[test]
    fn png_has_the_requested_size() {
        let png_bytes = thread_chart(&sample(), ChartFormat::Png, (1200, 600)).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (1200, 600));
    }

    #[test]
    fn svg_contains_the_title_with_umlauts() {
        let svg = thread_chart(&sample(), ChartFormat::Svg, (1200, 600)).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("Generalsekretär"));
        assert!(
            svg.contains("T3 Autor 3"),
            "threads are labelled by their root id"
        );
    }

    #[test]
    fn empty_and_extreme_inputs_do_not_fail() {
        let empty = ThreadChart {
            title: String::new(),
            article_tone: None,
            bars: vec![],
        };
        thread_chart(&empty, ChartFormat::Png, (1200, 600)).unwrap();
        let rows: Vec<OverviewRow> = (0..100)
            .map(|i| OverviewRow {
                label: format!("article {i}"),
                article_tone: Some(1.0),
                mean_comment_tone: if i % 2 == 0 { Some(-1.0) } else { None },
            })
            .collect();
        overview_chart(&rows, 1000, ChartFormat::Png, 1200).unwrap();
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(truncate_chars("Ärger über Übel", 6), "Ärger…");
        assert_eq!(truncate_chars("kurz", 10), "kurz");
    }
}
