//! Output: CSV tables and charts, written atomically.
