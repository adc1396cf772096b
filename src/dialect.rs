//! South Tyrolean / Bavarian dialect detection and mapping to standard German.
