//! Output: CSV tables and charts, written atomically.

pub mod atomic;
pub mod charts;
pub mod csv_bytes;
pub mod fixed;
pub mod json_bytes;
pub mod tables;
pub mod time;
