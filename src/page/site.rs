//! Loading a site's conventions (furniture, rank badges, age words, month names) from the
//! editable TSV files under `lexicons/site/`.
//!
//! Each kind may be spread over several files whose names start with the kind
//! (`furniture.tsv`, `furniture-mysite.tsv`, …), read in name order, so that a new site can be
//! added as a file of its own. Any other `.tsv` file in the folder is an error rather than being
//! silently ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;

use super::age::AgeWord;
use super::furniture::{Action, FurnitureRule, Matcher, Scope};
use crate::lexicon::{LexiconError, TsvFile};

/// Everything the parser knows about how news sites lay out their pages.
#[derive(Debug, Clone)]
pub struct SiteConventions {
    pub(crate) furniture: Vec<FurnitureRule>,
    pub(crate) ranks: Vec<String>,
    pub(crate) age_words: rustc_hash::FxHashMap<String, AgeWord>,
    pub(crate) months: HashMap<String, u32>,
}

const KINDS: [&str; 4] = ["furniture", "ranks", "age_units", "months"];

impl SiteConventions {
    /// Reads `lexicon_dir/site/*.tsv`.
    pub fn load(lexicon_dir: &Path) -> Result<SiteConventions, LexiconError> {
        let dir = lexicon_dir.join("site");
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| LexiconError::new(&dir, 0, format!("cannot read folder: {e}")))?;
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry
                .map_err(|e| LexiconError::new(&dir, 0, format!("cannot read folder: {e}")))?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tsv") {
                files.push(path);
            }
        }
        files.sort();
        let mut site = SiteConventions {
            furniture: Vec::new(),
            ranks: Vec::new(),
            age_words: rustc_hash::FxHashMap::default(),
            months: HashMap::new(),
        };
        let mut seen = [false; KINDS.len()];
        for path in &files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kind = KINDS
                .iter()
                .position(|k| name.starts_with(k))
                .ok_or_else(|| {
                    LexiconError::new(
                        path,
                        0,
                        format!(
                            "unknown site file: its name must start with one of {}",
                            KINDS.join(", ")
                        ),
                    )
                })?;
            seen[kind] = true;
            match kind {
                0 => site.read_furniture(path)?,
                1 => site.read_ranks(path)?,
                2 => site.read_age_words(path)?,
                _ => site.read_months(path)?,
            }
        }
        if let Some(missing) = KINDS.iter().zip(seen).find(|(_, s)| !s) {
            return Err(LexiconError::new(
                &dir,
                0,
                format!("no {}*.tsv file in the folder", missing.0),
            ));
        }
        Ok(site)
    }

    fn read_furniture(&mut self, path: &Path) -> Result<(), LexiconError> {
        let file = TsvFile::read(path, &["match", "pattern", "action", "scope"])?;
        for rec in &file.records {
            let pattern = file.text(rec, "pattern")?;
            let kind = file.text(rec, "match")?;
            let matcher = match kind {
                "exact" => Matcher::Exact(pattern.to_string()),
                "prefix" => Matcher::Prefix(pattern.to_string()),
                "suffix" => Matcher::Suffix(pattern.to_string()),
                "regex" => Matcher::Regex(Regex::new(pattern).map_err(|e| {
                    file.error(rec, format!("column 'pattern': invalid regex: {e}"))
                })?),
                other => {
                    return Err(file.error(
                        rec,
                        format!(
                            "column 'match': '{other}' is not one of exact, prefix, suffix, regex"
                        ),
                    ))
                }
            };
            let action_name = file.text(rec, "action")?;
            let action = Action::parse(action_name).ok_or_else(|| {
                file.error(
                    rec,
                    format!(
                        "column 'action': '{action_name}' is not one of drop-line, drop-block, \
                         end-of-body, end-of-comments, byline, comment-count, truncated"
                    ),
                )
            })?;
            let scope_name = file.text(rec, "scope")?;
            let scope = Scope::parse(scope_name).ok_or_else(|| {
                file.error(
                    rec,
                    format!("column 'scope': '{scope_name}' is not one of article, comments, both"),
                )
            })?;
            check_rule(&matcher, action).map_err(|msg| file.error(rec, msg))?;
            self.furniture.push(FurnitureRule {
                matcher,
                action,
                scope,
                origin: format!("{}:{}", path.display(), rec.line),
            });
        }
        Ok(())
    }

    fn read_ranks(&mut self, path: &Path) -> Result<(), LexiconError> {
        let file = TsvFile::read(path, &["badge"])?;
        for rec in &file.records {
            let badge = file.text(rec, "badge")?;
            if !self.ranks.iter().any(|b| b == badge) {
                self.ranks.push(badge.to_string());
            }
        }
        Ok(())
    }

    fn read_age_words(&mut self, path: &Path) -> Result<(), LexiconError> {
        let file = TsvFile::read(path, &["word", "kind"])?;
        for rec in &file.records {
            let word = file.text(rec, "word")?.to_lowercase();
            let value = || -> Result<u64, LexiconError> {
                // Ages are whole seconds; 1e12 s (~31,700 years) is far beyond any real unit.
                Ok(file.number(rec, "value", 1.0..=1e12)? as u64)
            };
            let entry = match file.text(rec, "kind")? {
                "unit" => AgeWord::Unit(value()?),
                "number" => AgeWord::Number(value()?),
                "ignore" => AgeWord::Ignore,
                other => {
                    return Err(file.error(
                        rec,
                        format!("column 'kind': '{other}' is not one of unit, number, ignore"),
                    ))
                }
            };
            if let Some(previous) = self.age_words.insert(word.clone(), entry) {
                if previous != entry {
                    return Err(file.error(rec, format!("'{word}' is defined twice, differently")));
                }
            }
        }
        Ok(())
    }

    fn read_months(&mut self, path: &Path) -> Result<(), LexiconError> {
        let file = TsvFile::read(path, &["name", "month"])?;
        for rec in &file.records {
            let name = file.text(rec, "name")?.to_lowercase();
            let month = file.number(rec, "month", 1.0..=12.0)?;
            if month.fract() != 0.0 {
                return Err(file.error(rec, "column 'month': not a whole number"));
            }
            let month = month as u32;
            if let Some(previous) = self.months.insert(name.clone(), month) {
                if previous != month {
                    return Err(file.error(
                        rec,
                        format!("'{name}' is month {previous} elsewhere and {month} here"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether `line` is a rank badge listed in the site files.
    pub(crate) fn is_rank(&self, line: &str) -> bool {
        self.ranks.iter().any(|b| b == line.trim())
    }
}

/// Actions that read a value from the line need a matcher that can deliver one.
fn check_rule(matcher: &Matcher, action: Action) -> Result<(), String> {
    match (action, matcher) {
        (Action::CommentCount, Matcher::Regex(re)) if re.captures_len() > 1 => Ok(()),
        (Action::CommentCount, _) => {
            Err("comment-count needs a regex with a capture group for the number".into())
        }
        (Action::Byline, Matcher::Prefix(_)) => Ok(()),
        (Action::Byline, Matcher::Regex(re)) if re.captures_len() > 1 => Ok(()),
        (Action::Byline, _) => Err("byline needs a prefix or a regex with a capture group".into()),
        (Action::Truncated, Matcher::Suffix(_)) => Ok(()),
        (Action::Truncated, _) => Err("truncated needs match type suffix".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_site(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir.join("site")).unwrap();
        std::fs::write(dir.join("site").join(name), text).unwrap();
    }

    fn bundled_copy() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/site");
        for entry in std::fs::read_dir(src).unwrap() {
            let entry = entry.unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            write_site(tmp.path(), &entry.file_name().to_string_lossy(), &text);
        }
        tmp
    }

    #[test]
    fn bundled_site_files_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons");
        let site = SiteConventions::load(&dir).unwrap();
        assert!(site.is_rank("Kinig"));
        assert!(!site.is_rank("Kaiser"));
        assert_eq!(site.months.get("dezember"), Some(&12));
    }

    #[test]
    fn bad_rules_name_file_and_line() {
        let tmp = bundled_copy();
        write_site(
            tmp.path(),
            "furniture-extra.tsv",
            "match\tpattern\taction\tscope\n# c\nexact\tX\tdrop-line\tarticle\nregex\t^(\tdrop-line\tboth\n",
        );
        let e = SiteConventions::load(tmp.path()).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.to_string().contains("invalid regex"), "{e}");

        write_site(
            tmp.path(),
            "furniture-extra.tsv",
            "match\tpattern\taction\tscope\nexact\tX\tcomment-count\tboth\n",
        );
        let e = SiteConventions::load(tmp.path()).unwrap_err();
        assert!(e.to_string().contains("furniture-extra.tsv:2:"), "{e}");

        write_site(
            tmp.path(),
            "furniture-extra.tsv",
            "match\tpattern\taction\tscope\nexact\tX\tvanish\tboth\n",
        );
        assert!(SiteConventions::load(tmp.path()).is_err());
    }

    #[test]
    fn unknown_file_and_missing_kind_are_errors() {
        let tmp = bundled_copy();
        write_site(tmp.path(), "badges.tsv", "badge\nKaiser\n");
        let e = SiteConventions::load(tmp.path()).unwrap_err();
        assert!(e.to_string().contains("unknown site file"), "{e}");

        let tmp = bundled_copy();
        std::fs::remove_file(tmp.path().join("site/months.tsv")).unwrap();
        let e = SiteConventions::load(tmp.path()).unwrap_err();
        assert!(e.to_string().contains("no months*.tsv"), "{e}");
    }
}
