//! Unit tests of the scoring rules on the bundled lexicons.

use super::*;
