//! stimmung: reader-comment and discourse analysis of German-language news pages.
//!
//! The data flow, one module per stage:
//! [`page`] splits a scraped page into article and comment threads →
//! [`text`] normalises and tokenises →
//! [`dialect`] detects South Tyrolean / Bavarian and maps it to standard German →
//! [`tone`] scores with the editable [`lexicon`]s and explains every score →
//! [`output`] writes CSV tables and charts. [`cmd`] holds one module per subcommand.
//!
//! ```
//! use stimmung::cmd::LexiconArgs;
//! use stimmung::tone::{Analyzer, ToneLabel};
//!
//! // The bundled lexicons; `LexiconArgs { lexicons: Some(dir), .. }` selects another folder.
//! let analyzer = Analyzer::load(&LexiconArgs::default())?;
//! let dialect = analyzer.score("Des isch net guat");
//! assert_eq!(dialect.text_normalized, "Das ist nicht gut");
//! assert_eq!(dialect.tone_label, ToneLabel::Negative);
//! assert!(analyzer.score("Das ist sehr gut").tone > analyzer.score("Das ist gut").tone);
//!
//! let site = stimmung::page::SiteConventions::load(&stimmung::lexicon::default_dir())?;
//! let page = stimmung::page::parse_text("demo", "demo.txt", "Titel\n\nErster Absatz.\n", &site);
//! assert_eq!(page.title, "Titel");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cmd;
pub mod dialect;
pub mod error;
pub mod lexicon;
pub mod output;
pub mod page;
pub mod parallel;
pub mod text;
pub mod tone;

pub use error::Error;
