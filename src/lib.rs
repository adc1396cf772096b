//! stimmung: reader-comment and discourse analysis of German-language news pages.
//!
//! The data flow, one module per stage:
//! [`page`] splits a scraped page into article and comment threads →
//! [`text`] normalises and tokenises →
//! [`dialect`] detects South Tyrolean / Bavarian and maps it to standard German →
//! [`tone`] scores with the editable [`lexicon`]s and explains every score →
//! [`output`] writes CSV tables and charts. [`cmd`] holds one module per subcommand.

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
