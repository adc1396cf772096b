//! Calendar arithmetic for absolute comment times (`posted_at` = crawl time − age).
//!
//! Only UTC and the proleptic Gregorian calendar are needed, which a few lines of Howard
//! Hinnant's well-known civil-date algorithms cover without a date-time dependency.

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`; `None` outside years 0–9999.
pub fn format_unix(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, optionally ending in `Z`
/// (a space may replace the `T`). The time is taken as UTC.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = 0;
    if let Some(time) = time {
        let fields: Vec<&str> = time.split(':').collect();
        if !(2..=3).contains(&fields.len()) {
            return None;
        }
        let h: i64 = fields[0].parse().ok()?;
        let min: i64 = fields[1].parse().ok()?;
        let s: i64 = fields.get(2).map_or(Some(0), |s| s.parse().ok())?;
        if h > 23 || min > 59 || s > 60 {
            return None;
        }
        secs = h * 3600 + min * 60 + s;
    }
    Some(days_from_civil(y, m, d) * 86_400 + secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = parse_iso("2024-12-03T18:57").unwrap();
        assert_eq!(format_unix(t).unwrap(), "2024-12-03T18:57:00Z");
        assert_eq!(parse_iso("1970-01-01"), Some(0));
        assert_eq!(format_unix(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2024",
            "2024-13-01",
            "2024-12-03T25:00",
            "2024-12-03T18",
            "heute",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
