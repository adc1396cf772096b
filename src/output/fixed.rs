//! Fixed-point text of floats, byte for byte as `format!("{x:.N}")` / `format!("{x:+.N}")`
//! writes it, without the exact big-number decimal conversion that the standard formatter
//! falls back to for most values: a score row has six of these numbers, and they cost more
//! than scoring short texts.

use std::fmt::Write as _;

const SCALE: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];

/// Where fixed-point text goes: a `String`, or the byte buffer of output bound for a writer.
pub trait FixedOut {
    /// Appends ASCII text.
    fn push_ascii(&mut self, ascii: &[u8]);
    /// Appends the standard formatter's text.
    fn push_fmt(&mut self, args: std::fmt::Arguments<'_>);
}

impl FixedOut for String {
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.reserve(ascii.len());
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
}

/// Powers of ten as integers, for the digits after the point.
const UNIT: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

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

/// Appends `x` with `decimals` (at most 6) digits after the point, with a leading '+' for
/// values that are not negative when `plus` is set.
#[inline]
pub fn push_fixed<O: FixedOut>(out: &mut O, x: f64, decimals: usize, plus: bool) {
    let d = decimals.min(SCALE.len() - 1);
    let y = x.abs() * SCALE[d];
    // Below 10^15 the integer part is exact, and truncation is floor for `y` ≥ 0.
    let whole = y as u64;
    let frac = y - whole as f64;
    // `y` is off the exact product by at most half a unit in its last place. Only when the
    // fraction is that close to one half could the exact value round the other way; such
    // values (and huge or non-finite ones) go to the standard formatter.
    if y.is_nan() || y >= 1e15 || (frac - 0.5).abs() <= y * (4.0 * f64::EPSILON) + f64::MIN_POSITIVE
    {
        if plus {
            out.push_fmt(format_args!("{x:+.d$}"));
        } else {
            out.push_fmt(format_args!("{x:.d$}"));
        }
        return;
    }
    let n = whole + u64::from(frac > 0.5);
    let (mut int, mut fraction) = (n / UNIT[d], n % UNIT[d]);
    // Built from the right: at most 16 digits below 10^15, the point and the sign.
    let mut text = [0u8; 24];
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
    loop {
        at -= 1;
        text[at] = b'0' + (int % 10) as u8;
        int /= 10;
        if int == 0 {
            break;
        }
    }
    if x.is_sign_negative() {
        at -= 1;
        text[at] = b'-';
    } else if plus {
        at -= 1;
        text[at] = b'+';
    }
    out.push_ascii(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64) {
        for d in [0, 1, 2, 3, 4, 5, 6] {
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
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = [1.0, 0.01, 10.0, 1000.0][(state & 3) as usize];
            check((unit - 0.5) * 2.0 * magnitude);
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
