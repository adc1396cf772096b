//! Term-by-term explanations: for every token its normalised form, byte offsets, the lexicon
//! entry that fired (`file:line`), every modifier and the resulting contribution.

use std::fmt;

use serde::Serialize;

use crate::dialect::DialectReport;
use crate::lexicon::MatchKind;
use crate::text::{Token, TokenKind};

use super::engine::{Analysis, Role, TermSource};
use super::ToneResult;

/// One applied modifier.
#[derive(Debug, Clone, Serialize)]
pub struct ModifierExplanation {
    pub rule: &'static str,
    pub factor: f64,
    /// The token that caused it, as written.
    pub cue: Option<String>,
    /// Byte offset of the cue.
    pub cue_start: Option<usize>,
    /// The lexicon line or rule constant that supplied it (`file:line`).
    pub entry: Option<String>,
}

/// One token and what scoring made of it.
#[derive(Debug, Clone, Serialize)]
pub struct TokenExplanation {
    pub token: String,
    pub norm: String,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// negator, intensifier, contrast, term, term-continued (later words of a phrase).
    pub role: Option<&'static str>,
    /// The lexicon entry that fired (`file:line`) and the term as written there.
    pub entry: Option<String>,
    pub entry_term: Option<String>,
    /// How the entry matched: exact, prefix, compound_head, umlaut_spelling, phrase, emoji,
    /// incivility, scare_quote, rhetorical_question (the question's cue word is in `cue`),
    /// exclamation.
    pub matched_by: Option<&'static str>,
    /// For compounds: the head the word inherited from ("treiber").
    pub head: Option<String>,
    /// For a rhetorical question: the word that made it one, as written, and its byte offset.
    pub cue: Option<String>,
    pub cue_start: Option<usize>,
    /// The dialect mapping that rewrote the token (`file:line from→to`).
    pub dialect: Option<String>,
    pub base: Option<f64>,
    pub modifiers: Vec<ModifierExplanation>,
    pub contribution: Option<f64>,
    /// Inside a quotation scored apart.
    pub quoted: bool,
    /// Incivility category and entry, when the token is uncivil.
    pub incivility: Option<String>,
}

/// The explanation of one text: every token, then the result.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub text: String,
    pub tokens: Vec<TokenExplanation>,
    pub result: ToneResult,
}

pub(super) fn build(
    text: &str,
    tokens: &[Token],
    report: &DialectReport,
    a: &Analysis,
    result: ToneResult,
) -> Explanation {
    let mut out: Vec<TokenExplanation> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| TokenExplanation {
            token: t.surface.to_string(),
            norm: t.norm.to_string(),
            start: t.start,
            end: t.end,
            kind: t.kind,
            role: None,
            entry: None,
            entry_term: None,
            matched_by: None,
            head: None,
            cue: None,
            cue_start: None,
            dialect: None,
            base: None,
            modifiers: Vec::new(),
            contribution: None,
            quoted: a.quoted[i],
            incivility: None,
        })
        .collect();
    for m in &report.mappings {
        if let Some(t) = out.get_mut(m.token_index) {
            t.dialect = Some(format!("{}:{} {}→{}", m.file, m.line, m.from, m.to));
        }
    }
    for (i, role) in a.roles.iter().enumerate() {
        let (name, origin) = match role {
            Role::None | Role::Term(_) => continue,
            Role::Negator(o) => ("negator", *o),
            Role::Intensifier(_, o) => ("intensifier", *o),
            Role::Contrast(_, o) => ("contrast", *o),
        };
        out[i].role = Some(name);
        out[i].entry = Some(origin.to_string());
    }
    for term in &a.terms {
        for (k, t) in out[term.first..=term.last].iter_mut().enumerate() {
            t.role = Some(if k == 0 { "term" } else { "term-continued" });
        }
        let t = &mut out[term.first];
        t.entry = Some(term.origin.to_string());
        t.entry_term = Some(term.entry_term.to_string());
        t.matched_by = Some(match term.source {
            TermSource::Emoji => "emoji",
            TermSource::Incivility => "incivility",
            TermSource::ScareQuote => "scare_quote",
            TermSource::RhetoricalQuestion => "rhetorical_question",
            TermSource::Exclamation => "exclamation",
            TermSource::Polarity(kind) => match kind {
                MatchKind::Exact => "exact",
                MatchKind::Prefix => "prefix",
                MatchKind::CompoundHead => "compound_head",
                MatchKind::UmlautSpelling => "umlaut_spelling",
                MatchKind::Inflection => "inflection",
                MatchKind::Phrase => "phrase",
            },
        });
        t.head = term
            .head_at
            .and_then(|h| tokens[term.first].norm.get(h..))
            .map(str::to_string);
        if let Some(c) = term.cued_by.and_then(|c| tokens.get(c)) {
            t.cue = Some(c.surface.to_string());
            t.cue_start = Some(c.start);
        }
        t.base = Some(term.base);
        t.contribution = Some(term.contribution);
        t.modifiers = term
            .modifiers
            .iter()
            .map(|m| {
                let cue = m.cue.and_then(|c| tokens.get(c));
                ModifierExplanation {
                    rule: m.kind.as_str(),
                    factor: m.factor,
                    cue: cue.map(|c| c.surface.to_string()),
                    cue_start: cue.map(|c| c.start),
                    entry: m.origin.map(ToString::to_string),
                }
            })
            .collect();
    }
    for u in &a.uncivil {
        out[u.token].incivility = Some(format!(
            "{} {:.2} {}",
            u.category.as_str(),
            u.weight,
            u.origin
        ));
    }
    Explanation {
        text: text.to_string(),
        tokens: out,
        result,
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "text: {}", self.text)?;
        for t in &self.tokens {
            if t.kind == TokenKind::LineBreak {
                writeln!(f, "  {:>4}..{:<4} ⏎", t.start, t.end)?;
                continue;
            }
            write!(
                f,
                "  {:>4}..{:<4} {:<16} {:<16}",
                t.start, t.end, t.token, t.norm
            )?;
            if t.quoted {
                write!(f, " [quoted]")?;
            }
            if let Some(d) = &t.dialect {
                write!(f, " dialect {d}")?;
            }
            if let Some(role) = t.role.filter(|r| *r != "term" && *r != "term-continued") {
                write!(f, " {role}")?;
                if let Some(e) = &t.entry {
                    write!(f, " ({e})")?;
                }
            }
            if let (Some(base), Some(entry)) = (t.base, &t.entry) {
                write!(
                    f,
                    " {} '{}' {}",
                    entry,
                    t.entry_term.as_deref().unwrap_or(""),
                    t.matched_by.unwrap_or("")
                )?;
                if let Some(h) = &t.head {
                    write!(f, " via -{h}")?;
                }
                if let Some(c) = &t.cue {
                    write!(f, " cue '{c}'")?;
                }
                write!(f, " base {base:+.3}")?;
                for m in &t.modifiers {
                    write!(f, " ×{:.2} {}", m.factor, m.rule)?;
                    if let Some(c) = &m.cue {
                        write!(f, " '{c}'")?;
                    }
                    if let Some(e) = &m.entry {
                        write!(f, " ({e})")?;
                    }
                }
                write!(f, " = {:+.3}", t.contribution.unwrap_or(0.0))?;
            }
            if let Some(u) = &t.incivility {
                write!(f, " incivility {u}")?;
            }
            writeln!(f)?;
        }
        let r = &self.result;
        writeln!(
            f,
            "tone {:+.4} ({}) raw {:+.4} pos {:.3} neg {:.3} neu {:.3} incivility {:.3}{}",
            r.tone,
            r.tone_label.as_str(),
            r.raw,
            r.pos,
            r.neg,
            r.neu,
            r.incivility,
            if r.incivility_categories.is_empty() {
                String::new()
            } else {
                format!(" [{}]", r.incivility_categories.join(", "))
            }
        )?;
        if let Some(irony) = &r.irony {
            writeln!(f, "irony: flagged by '{irony}'")?;
        }
        if let Some(q) = r.quoted_tone {
            writeln!(f, "quoted material (not counted): tone {q:+.4}")?;
        }
        writeln!(
            f,
            "dialect: {} (share {:.3}); normalised: {}",
            r.dialect_label.as_str(),
            r.dialect_share,
            r.text_normalized
        )
    }
}
