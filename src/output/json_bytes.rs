//! JSON strings and rounded numbers appended to a byte buffer, byte for byte as `serde_json`
//! writes them, for JSON lines written without building a `serde_json::Value` per line.

use crate::output::find_byte;
use crate::output::fixed::{prepend, prepend_fixed};

/// Appends `s` as a JSON string: quotes, backslashes and control characters escaped the way
/// `serde_json` escapes them, everything else (non-ASCII included) as it is.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    let mut rest = s.as_bytes();
    out.push(b'"');
    while let Some(k) = find_byte(rest, |b| (b < 0x20) | (b == b'"') | (b == b'\\')) {
        out.extend_from_slice(&rest[..k]);
        push_escape(out, rest[k]);
        rest = &rest[k + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Appends the escape of a quote, a backslash or a control character.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0C => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// Appends `x` rounded to four decimals, `(x * 10⁴).round() / 10⁴`, as `serde_json` writes that
/// float: the shortest digits that read back as it, at least one after the point, `null` when
/// it is not finite.
pub fn push_round4(out: &mut Vec<u8>, x: f64) {
    let scaled = x * 10_000.0;
    // `round` without the library call: the fraction of a float is exact, and so is the
    // integer part below 2^53.
    if scaled.is_nan() || scaled.abs() >= 9_999_999_999.5 {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, &(scaled.round() / 10_000.0));
        return;
    }
    let whole = scaled as i64;
    let fraction = scaled - whole as f64;
    let k = (whole + i64::from(fraction >= 0.5) - i64::from(fraction <= -0.5)).unsigned_abs();
    if k == 0 {
        // Negative zero keeps its sign.
        out.extend_from_slice(if scaled.is_sign_negative() {
            b"-0.0"
        } else {
            b"0.0"
        });
        return;
    }
    // Below 10⁶ two floats are less than 10⁻⁴ apart, so the shortest digits of k / 10⁴ are
    // those of k with the point four places from the right, less trailing zeros.
    let mut text = [0u8; 24];
    let mut at = prepend_fixed(&mut text, k, 4);
    let mut end = text.len();
    while text[end - 1] == b'0' && text[end - 2] != b'.' {
        end -= 1;
    }
    // Negative zero keeps its sign, as in `-0.0`.
    if scaled.is_sign_negative() {
        at = prepend(&mut text, at, b'-');
    }
    out.extend_from_slice(&text[at..end]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_str(s: &str) {
        let mut out = b"[".to_vec();
        push_str(&mut out, s);
        let want = serde_json::to_string(s).expect("a string serialises");
        assert_eq!(
            String::from_utf8_lossy(&out[1..]),
            want,
            "{s:?} (as serde_json)"
        );
    }

    #[test]
    fn every_ascii_character_is_escaped_as_serde_json_does() {
        for c in (0u8..=127).map(char::from) {
            check_str(&c.to_string());
            check_str(&format!("a{c}b{c}{c}"));
        }
        for s in [
            "",
            "plain",
            "Grüß Gott 😉",
            "\u{7f}\u{80}\u{2028}\u{feff}",
            "say \"hi\"\\n\r\n",
        ] {
            check_str(s);
        }
    }

    fn check_round4(x: f64) {
        let mut out = Vec::new();
        push_round4(&mut out, x);
        let want = serde_json::to_string(&((x * 10_000.0).round() / 10_000.0)).expect("a number");
        assert_eq!(String::from_utf8_lossy(&out), want, "{x:e}");
    }

    #[test]
    fn rounded_numbers_are_written_as_serde_json_writes_them() {
        for x in [
            0.0,
            -0.0,
            -0.00004,
            0.00005,
            -0.00005,
            1.0,
            -1.0,
            0.5,
            0.1,
            0.12345,
            2.675,
            999_999.999_94,
            999_999.999_96,
            1e6,
            -1e6,
            1e7,
            1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            999_999.999_949_999,
            999_999.999_95,
            -999_999.999_95,
            0.499_99,
            -0.000_049_999,
            -0.000_05,
            1.000_05,
            2.5e-5,
            0.000_150_000_000_000_01,
        ] {
            check_round4(x);
        }
        // Every four-decimal value between -3 and 3 and the halves between them, and values
        // spread out up to the 10⁶ boundary.
        for k in -30_000..=30_000 {
            check_round4(f64::from(k) / 10_000.0);
            check_round4((f64::from(k) + 0.5) / 10_000.0);
        }
        let mut k = 1i64;
        while k < 20_000_000_000 {
            check_round4(k as f64 / 10_000.0);
            check_round4(-(k as f64) / 10_000.0);
            k += k / 7 + 1;
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_does(s in "(?s:.*)") {
            check_str(&s);
        }

        #[test]
        fn any_float_is_rounded_and_written_as_serde_json_does(
            x in prop_oneof![-2.0..2.0f64, -2e6..2e6f64, any::<f64>()],
        ) {
            check_round4(x);
        }
    }
}
