//! Output: CSV tables and charts, written atomically.

pub mod atomic;
pub mod charts;
pub mod tables;
pub mod time;
