//! Loads the tone lexicons of one folder (polarity, negators, intensifiers, contrast, emoji,
//! incivility, irony, rhetoric, rules) and layers override files on top.
//!
//! Within one file a term may appear once; a second line with a different value is a
//! conflicting duplicate and fails with `file:line`, because silently keeping either line would
//! hide an editing mistake. Overlays are where a term is meant to change: each overlay line
//! adds, reweights (`set`) or removes one entry of one lexicon.

use std::path::Path;
use std::sync::Arc;

use super::rules::Rules;
use super::table::{Entry, Key, Origin, TermTable};
use super::{display_name, LexiconError, TsvFile, TsvRecord};

/// A polarity entry: weight on the scale -1 … +1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Polarity {
    pub weight: f64,
    /// Nouns pass their weight on to compounds ending in them.
    pub noun: bool,
}

/// How far a contrast marker's weighting reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContrastScope {
    /// "aber": the rest of the sentence after the marker is the marked part; the sentence
    /// before it (or the previous sentence, when the marker opens a sentence) is the rest.
    Sentence,
    /// "obwohl": the marker opens a subordinate clause, which ends at the next clause boundary;
    /// the rest of the sentence is the main clause.
    Clause,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contrast {
    pub scope: ContrastScope,
    /// Only counts as a marker at the start of a clause ("Doch …", not "das ist doch gut").
    pub clause_start_only: bool,
    pub weight_rest: f64,
    pub weight_marked: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Emoji {
    pub weight: f64,
    /// A mocking emoji (😉 😁 🤗): next to a positive term it flags irony.
    pub mocking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncivilityCategory {
    Insult,
    Profanity,
    Dehumanising,
}

impl IncivilityCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            IncivilityCategory::Insult => "insult",
            IncivilityCategory::Profanity => "profanity",
            IncivilityCategory::Dehumanising => "dehumanising",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "insult" => Some(Self::Insult),
            "profanity" => Some(Self::Profanity),
            "dehumanising" => Some(Self::Dehumanising),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Incivility {
    pub category: IncivilityCategory,
    /// Severity, 0 … 1.
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IronyCue {
    /// A positive exclamation that opens a comment ("Herrlich, …", "Bravo!").
    Opener,
    /// A token that marks irony wherever it stands ("grins", "/s").
    Marker,
}

/// Where a rhetoric cue must stand in a sentence closed by "?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RhetoricPosition {
    /// Anywhere in the question ("Wozu …?", "Wer glaubt das noch?").
    Any,
    /// Its last word, right before the question mark ("…, oder?").
    Last,
}

/// A word that makes a question rhetorical: the question then carries `weight` as a term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RhetoricCue {
    pub position: RhetoricPosition,
    /// Tone of the question it marks, -1 … +1.
    pub weight: f64,
}

/// Every tone lexicon of one folder, with overlays applied.
#[derive(Debug, Clone)]
pub struct ToneLexicons {
    pub polarity: TermTable<Polarity>,
    pub negators: TermTable<()>,
    pub intensifiers: TermTable<f64>,
    pub contrast: TermTable<Contrast>,
    pub emoji: TermTable<Emoji>,
    pub incivility: TermTable<Incivility>,
    pub irony: TermTable<IronyCue>,
    pub rhetoric: TermTable<RhetoricCue>,
    /// Inflection endings and their replacements, in the order they are tried.
    pub inflections: Vec<(String, String)>,
    pub rules: Rules,
}

/// Reads `inflection.tsv`: columns `suffix` and optional `replacement`.
fn load_inflections(path: &Path) -> Result<Vec<(String, String)>, LexiconError> {
    let file = TsvFile::read(path, &["suffix"])?;
    let mut out: Vec<(String, String)> = Vec::new();
    for rec in &file.records {
        let suffix = file.text(rec, "suffix")?.to_lowercase();
        let replacement = file.get(rec, "replacement").unwrap_or("").to_lowercase();
        if let Some(prev) = out.iter().position(|(s, _)| *s == suffix) {
            return Err(file.error(
                rec,
                format!(
                    "conflicting duplicate: suffix '{suffix}' is already entry {}",
                    prev + 1
                ),
            ));
        }
        out.push((suffix, replacement));
    }
    Ok(out)
}

fn parse_key(file: &TsvFile, rec: &TsvRecord, col: &str) -> Result<Key, LexiconError> {
    Key::parse(file.text(rec, col)?).map_err(|m| file.error(rec, m))
}

/// Reads one lexicon file into a table; `value` turns a line into an entry value.
fn load_table<V: PartialEq + std::fmt::Debug>(
    path: &Path,
    required: &[&str],
    value: impl Fn(&TsvFile, &TsvRecord) -> Result<V, LexiconError>,
) -> Result<TermTable<V>, LexiconError> {
    let file = TsvFile::read(path, required)?;
    let name: Arc<str> = display_name(path).into();
    let mut table = TermTable::with_capacity(file.records.len());
    for rec in &file.records {
        let term = file.text(rec, "term")?;
        let key = Key::parse(term).map_err(|m| file.error(rec, m))?;
        let v = value(&file, rec)?;
        if let Some(prev) = table.get(&key) {
            if prev.value != v {
                return Err(file.error(
                    rec,
                    format!(
                        "conflicting duplicate: '{}' is already on line {} with a different value",
                        prev.term, prev.origin.line
                    ),
                ));
            }
            continue;
        }
        let entry = Entry {
            value: v,
            term: term.to_string(),
            origin: Origin {
                file: name.clone(),
                line: rec.line,
            },
        };
        table.insert(key, entry);
    }
    Ok(table)
}

pub(super) fn polarity_value(
    file: &TsvFile,
    rec: &TsvRecord,
    col: &str,
) -> Result<Polarity, LexiconError> {
    let weight = file.number(rec, col, -1.0..=1.0)?;
    let noun = match file.get(rec, "pos") {
        None => false,
        Some(p) => p.eq_ignore_ascii_case("nn") || p.eq_ignore_ascii_case("noun"),
    };
    Ok(Polarity { weight, noun })
}

pub(super) fn yes_no(file: &TsvFile, rec: &TsvRecord, col: &str) -> Result<bool, LexiconError> {
    match file.get(rec, col) {
        None | Some("no") | Some("0") => Ok(false),
        Some("yes") | Some("1") => Ok(true),
        Some(other) => Err(file.error(
            rec,
            format!("column '{col}': '{other}' is neither yes nor no"),
        )),
    }
}

pub(super) fn contrast_value(file: &TsvFile, rec: &TsvRecord) -> Result<Contrast, LexiconError> {
    let scope = match file.text(rec, "scope")? {
        "sentence" => ContrastScope::Sentence,
        "clause" => ContrastScope::Clause,
        other => {
            return Err(file.error(
                rec,
                format!("column 'scope': '{other}' is neither sentence nor clause"),
            ))
        }
    };
    let clause_start_only = match file.text(rec, "position")? {
        "any" => false,
        "clause_start" => true,
        other => {
            return Err(file.error(
                rec,
                format!("column 'position': '{other}' is neither any nor clause_start"),
            ))
        }
    };
    Ok(Contrast {
        scope,
        clause_start_only,
        weight_rest: file.number(rec, "weight_rest", 0.0..=5.0)?,
        weight_marked: file.number(rec, "weight_marked", 0.0..=5.0)?,
    })
}

pub(super) fn incivility_value(
    file: &TsvFile,
    rec: &TsvRecord,
    weight_col: &str,
) -> Result<Incivility, LexiconError> {
    let raw = file.text(rec, "category")?;
    let category = IncivilityCategory::parse(raw).ok_or_else(|| {
        file.error(
            rec,
            format!("column 'category': '{raw}' is not insult, profanity or dehumanising"),
        )
    })?;
    Ok(Incivility {
        category,
        weight: file.number(rec, weight_col, 0.0..=1.0)?,
    })
}

pub(super) fn irony_value(file: &TsvFile, rec: &TsvRecord) -> Result<IronyCue, LexiconError> {
    match file.text(rec, "kind")? {
        "opener" => Ok(IronyCue::Opener),
        "marker" => Ok(IronyCue::Marker),
        other => Err(file.error(
            rec,
            format!("column 'kind': '{other}' is neither opener nor marker"),
        )),
    }
}

pub(super) fn rhetoric_value(
    file: &TsvFile,
    rec: &TsvRecord,
    weight_col: &str,
) -> Result<RhetoricCue, LexiconError> {
    let position = match file.text(rec, "position")? {
        "any" => RhetoricPosition::Any,
        "last" => RhetoricPosition::Last,
        other => {
            return Err(file.error(
                rec,
                format!("column 'position': '{other}' is neither any nor last"),
            ))
        }
    };
    Ok(RhetoricCue {
        position,
        weight: file.number(rec, weight_col, -1.0..=1.0)?,
    })
}

impl ToneLexicons {
    /// Loads every tone lexicon from `dir`, then applies `overlays` in order.
    pub fn load(dir: &Path, overlays: &[impl AsRef<Path>]) -> Result<ToneLexicons, LexiconError> {
        let mut lex = ToneLexicons {
            polarity: load_table(&dir.join("polarity.tsv"), &["term", "weight"], |f, r| {
                polarity_value(f, r, "weight")
            })?,
            negators: load_table(&dir.join("negators.tsv"), &["term"], |_, _| Ok(()))?,
            intensifiers: load_table(
                &dir.join("intensifiers.tsv"),
                &["term", "factor"],
                |f, r| f.number(r, "factor", 0.0..=5.0),
            )?,
            contrast: load_table(
                &dir.join("contrast.tsv"),
                &["term", "scope", "position", "weight_rest", "weight_marked"],
                contrast_value,
            )?,
            emoji: load_table(&dir.join("emoji.tsv"), &["term", "weight"], |f, r| {
                Ok(Emoji {
                    weight: f.number(r, "weight", -1.0..=1.0)?,
                    mocking: yes_no(f, r, "mocking")?,
                })
            })?,
            incivility: load_table(
                &dir.join("incivility.tsv"),
                &["term", "category", "weight"],
                |f, r| incivility_value(f, r, "weight"),
            )?,
            irony: load_table(&dir.join("irony.tsv"), &["term", "kind"], irony_value)?,
            rhetoric: load_table(
                &dir.join("rhetoric.tsv"),
                &["term", "position", "weight"],
                |f, r| rhetoric_value(f, r, "weight"),
            )?,
            inflections: load_inflections(&dir.join("inflection.tsv"))?,
            rules: Rules::load(&dir.join("rules.tsv"))?,
        };
        for overlay in overlays {
            lex.apply_overlay(overlay.as_ref())?;
        }
        Ok(lex)
    }

    /// Applies one override file: columns `action` (add / set / remove), `lexicon` (polarity,
    /// negators, intensifiers, emoji, incivility, irony, rhetoric, rules), `term`, `value`, and
    /// the optional `category`, `pos`, `mocking`, `kind`, `position` where that lexicon needs
    /// them.
    pub fn apply_overlay(&mut self, path: &Path) -> Result<(), LexiconError> {
        let file = TsvFile::read(path, OVERLAY_COLUMNS)?;
        let name: Arc<str> = display_name(path).into();
        for rec in &file.records {
            self.apply_overlay_line(&file, rec, &name)?;
        }
        Ok(())
    }

    /// Applies one line of an override file; `name` is the file's display name for origins.
    pub(crate) fn apply_overlay_line(
        &mut self,
        file: &TsvFile,
        rec: &TsvRecord,
        name: &Arc<str>,
    ) -> Result<OverlayEffect, LexiconError> {
        let origin = Origin {
            file: name.clone(),
            line: rec.line,
        };
        let action = file.text(rec, "action")?;
        if !matches!(action, "add" | "set" | "remove") {
            return Err(file.error(
                rec,
                format!("column 'action': '{action}' is not add, set or remove"),
            ));
        }
        let lexicon = file.text(rec, "lexicon")?;
        match lexicon {
            "polarity" => edit(&mut self.polarity, file, rec, action, origin, |f, r| {
                polarity_value(f, r, "value")
            }),
            "negators" => edit(&mut self.negators, file, rec, action, origin, |_, _| Ok(())),
            "intensifiers" => edit(&mut self.intensifiers, file, rec, action, origin, |f, r| {
                f.number(r, "value", 0.0..=5.0)
            }),
            "emoji" => edit(&mut self.emoji, file, rec, action, origin, |f, r| {
                Ok(Emoji {
                    weight: f.number(r, "value", -1.0..=1.0)?,
                    mocking: yes_no(f, r, "mocking")?,
                })
            }),
            "incivility" => edit(&mut self.incivility, file, rec, action, origin, |f, r| {
                incivility_value(f, r, "value")
            }),
            "irony" => edit(&mut self.irony, file, rec, action, origin, irony_value),
            "rhetoric" => edit(&mut self.rhetoric, file, rec, action, origin, |f, r| {
                rhetoric_value(f, r, "value")
            }),
            "rules" => {
                if action != "set" {
                    return Err(file.error(rec, "rule constants can only be set"));
                }
                let term = file.text(rec, "term")?;
                let before = self.rules.get(term);
                let previous = self.rules.origin(term).cloned();
                self.rules.set(term, file, rec, origin)?;
                Ok(match previous {
                    Some(previous) => OverlayEffect::Set {
                        previous,
                        same: before.is_some() && before == self.rules.get(term),
                    },
                    None => OverlayEffect::Added,
                })
            }
            other => Err(file.error(
                rec,
                format!(
                    "column 'lexicon': '{other}' is not one of polarity, negators, \
                     intensifiers, emoji, incivility, irony, rhetoric, rules"
                ),
            )),
        }
    }
}

/// The columns every override file must have.
pub(crate) const OVERLAY_COLUMNS: &[&str] = &["action", "lexicon", "term"];

/// What one overlay line did to the lexicons, for the linter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OverlayEffect {
    /// A new entry.
    Added,
    /// An existing entry (written at `previous`) got the line's value; `same` when it already
    /// had it.
    Set {
        previous: Origin,
        same: bool,
    },
    Removed,
}

fn edit<V: PartialEq>(
    table: &mut TermTable<V>,
    file: &TsvFile,
    rec: &TsvRecord,
    action: &str,
    origin: Origin,
    value: impl Fn(&TsvFile, &TsvRecord) -> Result<V, LexiconError>,
) -> Result<OverlayEffect, LexiconError> {
    let key = parse_key(file, rec, "term")?;
    let term = file.text(rec, "term")?;
    if action == "remove" {
        return match table.remove(&key) {
            Some(_) => Ok(OverlayEffect::Removed),
            None => Err(file.error(rec, format!("cannot remove '{term}': no such entry"))),
        };
    }
    if action == "add" {
        if let Some(prev) = table.get(&key) {
            return Err(file.error(
                rec,
                format!("cannot add '{term}': already at {} (use set)", prev.origin),
            ));
        }
    }
    let entry = Entry {
        value: value(file, rec)?,
        term: term.to_string(),
        origin,
    };
    let effect = match table.get(&key) {
        Some(prev) => OverlayEffect::Set {
            previous: prev.origin.clone(),
            same: prev.value == entry.value,
        },
        None => OverlayEffect::Added,
    };
    table.insert(key, entry);
    Ok(effect)
}
