//! Fixed-point text of floats, byte for byte as `format!("{x:.N}")` / `format!("{x:+.N}")`
//! writes it, without the standard formatter's general machinery: a score row has six of these
//! numbers, and with the formatter they cost more than scoring short texts. The float times
//! 10^N is rounded exactly, in integers, with ties to even as the formatter rounds them.

use std::fmt::Write as _;

/// Where fixed-point text goes: a `String`, or the byte buffer of output bound for a writer.
pub trait FixedOut {
    /// Appends ASCII text.
    fn push_ascii(&mut self, ascii: &[u8]);
    /// Appends the standard formatter's text.
    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>);
    /// Appends the first `len` (at most 16) bytes of `ascii`.
    fn push_short(&mut self, ascii: &[u8; 16], len: usize) {
        self.push_ascii(&ascii[..len]);
    }
}

impl FixedOut for String {
    fn push_ascii(&mut self, ascii: &[u8]) {
        // A few bytes at a time: pushing them one by one is cheaper than validating them as
        // UTF-8 first.
        self.extend(ascii.iter().map(|&b| char::from(b)));
    }

    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.write_fmt(args);
    }
}

impl FixedOut for Vec<u8> {
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }

    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        // Writing into memory cannot fail.
        let _ = std::io::Write::write_fmt(self, args);
    }

    fn push_short(&mut self, ascii: &[u8; 16], len: usize) {
        debug_assert!(len <= ascii.len());
        // All 16 bytes, then the surplus cut: a copy of fixed length is a few instructions
        // where one of `len` bytes is a call.
        let end = self.len() + len;
        self.extend_from_slice(ascii);
        self.truncate(end);
    }
}

/// Powers of ten, for the digits after the point.
const UNIT: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Appends `x` with `decimals` (at most 6) digits after the point, with a leading '+' for
/// values that are not negative when `plus` is set.
// Inlined, so that callers with constant `decimals` get divisions by constants.
#[inline(always)]
pub fn push_fixed<O: FixedOut>(out: &mut O, x: f64, decimals: usize, plus: bool) {
    let d = decimals.min(UNIT.len() - 1);
    if x == 0.0 {
        // Almost half the numbers of a score row: written at once.
        if x.is_sign_negative() {
            out.push_ascii(b"-");
        } else if plus {
            out.push_ascii(b"+");
        }
        out.push_ascii(if d == 0 { b"0" } else { &b"0.000000"[..2 + d] });
        return;
    }
    let Some(n) = scaled_round(x, UNIT[d]) else {
        if plus {
            out.push_fmt(format_args!("{x:+.d$}"));
        } else {
            out.push_fmt(format_args!("{x:.d$}"));
        }
        return;
    };
    if n < 10 * UNIT[d] {
        // One digit before the point, as for nearly every score: written front to back.
        let mut text = [0u8; 16];
        let mut len = 0;
        if x.is_sign_negative() {
            text[0] = b'-';
            len = 1;
        } else if plus {
            text[0] = b'+';
            len = 1;
        }
        len += put_digits(&mut text, len, n, d);
        out.push_short(&text, len);
        return;
    }
    let mut text = [0u8; 24];
    let at = prepend_fixed(&mut text, n, d);
    let at = if x.is_sign_negative() {
        prepend(&mut text, at, b'-')
    } else if plus {
        prepend(&mut text, at, b'+')
    } else {
        at
    };
    out.push_ascii(&text[at..]);
}

/// "00" to "99": two digits per division.
const PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0u8; 2]; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    pairs
};

/// Writes `n / 10^d`, which is below 10, with `d` (at most 6) digits after the point into
/// `text` from `at` on, and returns how many bytes that took (at most 8).
#[inline(always)]
fn put_digits(text: &mut [u8; 16], at: usize, n: u64, d: usize) -> usize {
    let (int, mut fraction) = (n / UNIT[d], n % UNIT[d]);
    debug_assert!(int < 10 && at <= 8);
    text[at] = b'0' + int as u8;
    if d == 0 {
        return 1;
    }
    text[at + 1] = b'.';
    let mut end = at + 2 + d;
    let mut left = d;
    while left >= 2 {
        end -= 2;
        text[end..end + 2].copy_from_slice(&PAIRS[(fraction % 100) as usize]);
        fraction /= 100;
        left -= 2;
    }
    if left == 1 {
        text[end - 1] = b'0' + fraction as u8;
    }
    2 + d
}

/// Writes `n / 10^d` with `d` (at most 6) digits after the point at the end of `text`, and
/// returns where the text starts. For `n` up to 10^16 that is at most 18 bytes, which leaves
/// room for a sign.
#[inline(always)]
pub(crate) fn prepend_fixed(text: &mut [u8; 24], n: u64, d: usize) -> usize {
    let d = d.min(UNIT.len() - 1);
    let (mut int, mut fraction) = (n / UNIT[d], n % UNIT[d]);
    let mut at = text.len();
    let mut left = d;
    while left >= 2 {
        at -= 2;
        text[at..at + 2].copy_from_slice(&PAIRS[(fraction % 100) as usize]);
        fraction /= 100;
        left -= 2;
    }
    if left == 1 {
        at -= 1;
        text[at] = b'0' + fraction as u8;
    }
    if d > 0 {
        at -= 1;
        text[at] = b'.';
    }
    while at > 0 {
        at -= 1;
        text[at] = b'0' + (int % 10) as u8;
        int /= 10;
        if int == 0 {
            break;
        }
    }
    at
}

/// Puts `b` in front of the text at `at` if there is room, and returns where the text starts.
pub(crate) fn prepend(text: &mut [u8; 24], at: usize, b: u8) -> usize {
    match at.checked_sub(1) {
        Some(before) => {
            text[before] = b;
            before
        }
        None => at,
    }
}

/// `|x| * unit` rounded to an integer, ties to even; `None` for values from 10^16 on (and
/// infinities and NaN), which are left to the standard formatter.
fn scaled_round(x: f64, unit: u64) -> Option<u64> {
    let y = x.abs() * unit as f64;
    if y.is_nan() || y >= 1e16 {
        return None;
    }
    // Truncation is floor for y ≥ 0, exact below 2^53, and so is the fraction. (Through
    // `i64` both ways, whose conversions are cheaper, and which holds y here.)
    let whole = y as i64;
    let frac = y - whole as f64;
    let whole = whole as u64;
    // `y` is off the exact product by at most half a unit in its last place; only when the
    // fraction is that close to one half could the exact product round the other way.
    if (frac - 0.5).abs() > y * (4.0 * f64::EPSILON) + f64::MIN_POSITIVE {
        return Some(whole + u64::from(frac > 0.5));
    }
    // |x| = m · 2^e exactly, and m · unit < 2^53 · 2^20 fits in 128 bits.
    let bits = x.abs().to_bits();
    let exponent = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = match exponent {
        0 => (fraction, -1074),
        _ => (fraction | (1 << 52), exponent - 1075),
    };
    let scaled = u128::from(m) * u128::from(unit);
    let n = match e {
        // Integers: below 2^53 here, so y itself is exact.
        0.. => return Some(whole),
        // Below 2^-75 · 10^6: far from any half.
        ..=-128 => 0,
        _ => {
            let shift = e.unsigned_abs();
            let int = scaled >> shift;
            let rest = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            int + u128::from(rest > half || (rest == half && int & 1 == 1))
        }
    };
    u64::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64) {
        for d in [0, 1, 2, 4, 6] {
            for plus in [false, true] {
                let mut s = String::new();
                push_fixed(&mut s, x, d, plus);
                let want = if plus {
                    format!("{x:+.d$}")
                } else {
                    format!("{x:.d$}")
                };
                assert_eq!(s, want, "{x:e} .{d} plus={plus}");
                let mut bytes = b"x".to_vec();
                push_fixed(&mut bytes, x, d, plus);
                assert_eq!(
                    bytes[1..],
                    *want.as_bytes(),
                    "{x:e} .{d} plus={plus} (bytes)"
                );
            }
        }
    }

    #[test]
    fn equals_the_standard_formatter() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.00005,
            -0.00005,
            0.00015,
            0.125,
            0.005,
            -0.00001,
            2.675,
            1e-300,
            -1e-300,
            123456.789,
            12_345_678_901.234_5,
            99_999_999_999.999_9,
            -99_999.999_95,
            0.125,
            0.375,
            -0.625,
            2.5,
            3.5,
            1e15,
            9.999_999_999_999_99e15,
            1e16,
            123_456_789_012.345_68,
            5e-324,
            -5e-324,
            1e-310,
            f64::MIN_POSITIVE * 0.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9.99995,
            0.99995,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e20,
            f64::MAX,
        ] {
            check(x);
        }
        // Pseudo-random values across magnitudes, and values at and next to every tie.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = [1.0, 0.01, 10.0, 1000.0, 1e6, 1e12, 1e15, 2e16][(state & 7) as usize];
            check((unit - 0.5) * 2.0 * magnitude);
            check(f64::from_bits(state));
        }
        // Exact binary fractions: ties at every number of decimals.
        for k in -5_000..5_000 {
            for scale in [2.0, 8.0, 64.0, 1024.0, 65_536.0] {
                check(f64::from(k) / scale);
            }
        }
        for k in -20_000..20_000 {
            for d in [100.0, 10_000.0] {
                let tie = (k as f64 + 0.5) / d;
                check(tie);
                check(f64::from_bits(tie.to_bits() + 1));
                check(f64::from_bits(tie.to_bits().saturating_sub(1)));
            }
        }
    }
}
