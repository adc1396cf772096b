//! Site furniture rules: deciding, line by line, whether a line of a scraped page is navigation,
//! credits, prompts or footers rather than article or comment text, and what it means.
//!
//! The rules themselves are data (`lexicons/site/furniture*.tsv`, loaded by
//! [`super::SiteConventions`]); this module only knows how to match them.

use regex::Regex;

/// How a rule's pattern is compared with a trimmed line.
#[derive(Debug, Clone)]
pub enum Matcher {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Regex(Regex),
}

/// What a matching line means for the page structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Remove the line.
    DropLine,
    /// Remove the run of non-blank lines that holds the line (caption + credit).
    DropBlock,
    /// The article ends before this line.
    EndOfBody,
    /// The comment section ends at this line.
    EndOfComments,
    /// The line carries the byline.
    Byline,
    /// The line announces the number of comments (first capture group).
    CommentCount,
    /// A comment body ending with this suffix was cut off by the dump.
    Truncated,
}

impl Action {
    pub(crate) fn parse(name: &str) -> Option<Action> {
        Some(match name {
            "drop-line" => Action::DropLine,
            "drop-block" => Action::DropBlock,
            "end-of-body" => Action::EndOfBody,
            "end-of-comments" => Action::EndOfComments,
            "byline" => Action::Byline,
            "comment-count" => Action::CommentCount,
            "truncated" => Action::Truncated,
            _ => return None,
        })
    }
}

/// The part of a page where a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Article,
    Comments,
    Both,
}

impl Scope {
    pub(crate) fn parse(name: &str) -> Option<Scope> {
        Some(match name {
            "article" => Scope::Article,
            "comments" => Scope::Comments,
            "both" => Scope::Both,
            _ => return None,
        })
    }

    fn covers(self, region: Region) -> bool {
        matches!(
            (self, region),
            (Scope::Both, _)
                | (Scope::Article, Region::Article)
                | (Scope::Comments, Region::Comments)
        )
    }
}

/// The part of the page a line was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Article,
    Comments,
}

/// One line of a furniture file.
#[derive(Debug, Clone)]
pub struct FurnitureRule {
    pub matcher: Matcher,
    pub action: Action,
    pub scope: Scope,
    /// `file:line` of the rule, so that a surprising decision can be traced to its data.
    pub origin: String,
}

impl FurnitureRule {
    /// Whether the rule matches `line` (compared trimmed).
    pub fn matches(&self, line: &str) -> bool {
        let line = line.trim();
        match &self.matcher {
            Matcher::Exact(p) => line == p,
            Matcher::Prefix(p) => line.starts_with(p.as_str()),
            Matcher::Suffix(p) => line.ends_with(p.as_str()),
            Matcher::Regex(re) => re.is_match(line),
        }
    }

    /// The value a matching line carries: the rest after a prefix, or the first capture group
    /// of a regex. `None` when the rule does not match or the value is empty.
    pub fn value<'l>(&self, line: &'l str) -> Option<&'l str> {
        let line = line.trim();
        let value = match &self.matcher {
            Matcher::Prefix(p) => line.strip_prefix(p.as_str())?,
            Matcher::Regex(re) => re.captures(line)?.get(1)?.as_str(),
            Matcher::Exact(_) | Matcher::Suffix(_) => return None,
        };
        Some(value.trim()).filter(|v| !v.is_empty())
    }
}

/// The first rule (in file order) that applies to `line` in `region`, ignoring `truncated`
/// rules, which only concern the end of a comment body.
pub fn classify<'r>(
    rules: &'r [FurnitureRule],
    line: &str,
    region: Region,
) -> Option<&'r FurnitureRule> {
    rules
        .iter()
        .find(|r| r.action != Action::Truncated && r.scope.covers(region) && r.matches(line))
}

/// Removes a truncation marker from the end of a comment body. Returns the shortened text when a
/// `truncated` rule matched its last line.
pub fn strip_truncation(rules: &[FurnitureRule], text: &str) -> Option<String> {
    let trimmed = text.trim_end();
    rules
        .iter()
        .filter(|r| r.action == Action::Truncated && r.scope.covers(Region::Comments))
        .find_map(|r| match &r.matcher {
            Matcher::Suffix(s) => trimmed.strip_suffix(s.as_str()),
            _ => None,
        })
        .map(|rest| {
            rest.trim_end_matches(|c: char| c.is_whitespace())
                .to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(matcher: Matcher, action: Action, scope: Scope) -> FurnitureRule {
        FurnitureRule {
            matcher,
            action,
            scope,
            origin: "test".into(),
        }
    }

    fn rules() -> Vec<FurnitureRule> {
        vec![
            rule(
                Matcher::Exact("Lesen Sie auch".into()),
                Action::DropLine,
                Scope::Article,
            ),
            rule(
                Matcher::Prefix("Von:".into()),
                Action::Byline,
                Scope::Article,
            ),
            rule(
                Matcher::Regex(Regex::new(r"^(\d+) Kommentare? auf\s").unwrap()),
                Action::CommentCount,
                Scope::Both,
            ),
            rule(
                Matcher::Exact("wpDiscuz".into()),
                Action::EndOfComments,
                Scope::Comments,
            ),
            rule(
                Matcher::Suffix("Weiterlesen »".into()),
                Action::Truncated,
                Scope::Comments,
            ),
        ]
    }

    #[test]
    fn exact_rules_match_whole_trimmed_lines_only() {
        let r = rules();
        let hit = classify(&r, "  Lesen Sie auch ", Region::Article).unwrap();
        assert_eq!(hit.action, Action::DropLine);
        assert!(classify(&r, "Lesen Sie auch das Interview", Region::Article).is_none());
        assert!(classify(&r, "lesen sie auch", Region::Article).is_none());
    }

    #[test]
    fn scope_limits_where_a_rule_applies() {
        let r = rules();
        assert!(classify(&r, "Lesen Sie auch", Region::Comments).is_none());
        assert!(classify(&r, "wpDiscuz", Region::Article).is_none());
        assert_eq!(
            classify(&r, "wpDiscuz", Region::Comments).unwrap().action,
            Action::EndOfComments
        );
    }

    #[test]
    fn values_come_from_prefix_rest_or_capture_group() {
        let r = rules();
        let by = classify(&r, "Von: APA/dpa", Region::Article).unwrap();
        assert_eq!(by.value("Von: APA/dpa"), Some("APA/dpa"));
        assert_eq!(by.value("Von:   "), None);
        let line = "13 Kommentare auf \"Titel\"";
        let count = classify(&r, line, Region::Comments).unwrap();
        assert_eq!(count.value(line), Some("13"));
        assert!(classify(&r, "Kommentare auf Titel", Region::Comments).is_none());
    }

    #[test]
    fn truncation_marker_is_stripped_only_at_the_end() {
        let r = rules();
        assert_eq!(
            strip_truncation(&r, "Er glaubt, dass…\u{a0}Weiterlesen »\n").as_deref(),
            Some("Er glaubt, dass…")
        );
        assert_eq!(strip_truncation(&r, "Weiterlesen » lohnt sich"), None);
        assert_eq!(strip_truncation(&r, "ganz normal"), None);
    }
}
