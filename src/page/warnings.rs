//! A page's warnings, capped per kind, so that a hostile or badly broken page (a million lines
//! of junk in its comment section, a million misplaced mentions) yields a bounded list in
//! `articles.csv` and on the terminal instead of one warning per line, and costs no memory or
//! formatting for the warnings beyond the cap.

/// Warnings of one kind listed per page; the rest are counted in one closing warning. Enough to
/// show the pattern and to find the first places in the page, few enough for a table cell.
pub const MAX_PER_KIND: usize = 10;

/// Collects warnings in the order they are raised. The closing "… and N more" warnings follow
/// the listed ones, in the order their kinds first appeared, so the result is deterministic.
#[derive(Debug, Default)]
pub struct Warnings {
    listed: Vec<String>,
    /// Each kind's description (see [`Warnings::add`]) and how many warnings it raised.
    raised: Vec<(&'static str, usize)>,
}

impl Warnings {
    /// Records a warning of `kind`, a short plural description of what is being warned about
    /// ("lines ignored in the comment section") that also names it in the closing warning.
    /// `message` is only called while the kind is under the cap.
    pub fn add(&mut self, kind: &'static str, message: impl FnOnce() -> String) {
        let index = match self.raised.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                self.raised.push((kind, 0));
                self.raised.len() - 1
            }
        };
        let count = &mut self.raised[index].1;
        *count += 1;
        if *count <= MAX_PER_KIND {
            self.listed.push(message());
        }
    }

    /// The listed warnings, then one per kind over the cap saying how many were left out.
    pub fn into_vec(self) -> Vec<String> {
        let mut out = self.listed;
        for (kind, count) in self.raised {
            if count > MAX_PER_KIND {
                out.push(format!(
                    "… and {} more warnings of this kind ({kind})",
                    count - MAX_PER_KIND
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_capped_and_summarised_once() {
        let mut w = Warnings::default();
        let mut built = 0;
        for i in 0..1000usize {
            w.add("junk lines", || {
                built += 1;
                format!("line {i}: junk")
            });
            if i.is_multiple_of(100) {
                w.add("odd mentions", || format!("mention {i}"));
            }
        }
        w.add("a single one", || "only once".to_string());
        let out = w.into_vec();
        assert_eq!(built, MAX_PER_KIND);
        assert_eq!(out.len(), MAX_PER_KIND + 10 + 1 + 1);
        assert_eq!(out[0], "line 0: junk");
        assert_eq!(out[1], "mention 0");
        assert!(out.contains(&format!("line {}: junk", MAX_PER_KIND - 1)));
        assert!(!out.contains(&format!("line {MAX_PER_KIND}: junk")));
        assert_eq!(
            out.last().map(String::as_str),
            Some("… and 990 more warnings of this kind (junk lines)")
        );
        assert_eq!(out.iter().filter(|s| s.starts_with("… and")).count(), 1);
    }

    #[test]
    fn at_the_cap_nothing_is_summarised() {
        let mut w = Warnings::default();
        for i in 0..MAX_PER_KIND {
            w.add("k", || i.to_string());
        }
        assert_eq!(w.into_vec().len(), MAX_PER_KIND);
    }
}
