//! The error type shared by the library and the exit-code mapping in `main`.

use std::fmt;
use std::path::PathBuf;

use crate::lexicon::LexiconError;

#[derive(Debug)]
pub enum Error {
    /// A lexicon or site data file is malformed: `file:line: reason`.
    Lexicon(LexiconError),
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The command line or an input given on it is unusable.
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Lexicon(e) => write!(f, "{e}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<LexiconError> for Error {
    fn from(e: LexiconError) -> Self {
        Error::Lexicon(e)
    }
}
