//! Turning the bytes of a scraped page into clean text: encoding detection, line endings,
//! stray control bytes, and the refusal of files that are not text pages at all.

use std::borrow::Cow;

/// Decoded page text and what was done to get it.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Name of the encoding that was assumed ("UTF-8", "UTF-16LE", "windows-1252").
    pub encoding: String,
    pub warnings: Vec<String>,
}

/// Share of control bytes above which a file is treated as binary: text pages have none,
/// while images, archives and office files are full of them.
const MAX_CONTROL_SHARE: f64 = 0.05;

/// Leading bytes of binary formats that can hold long runs of text-like bytes (PDF, ZIP-based
/// office files) and so might slip under the control-byte share.
const BINARY_MAGIC: [(&[u8], &str); 6] = [
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or office file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
];

fn is_control_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)
}

/// UTF-16 without a BOM: German text is nearly all Latin-1, so every other byte is NUL.
/// Returns the encoding when one byte position of most pairs is NUL and the other almost never.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let pairs = bytes.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        nul_even += usize::from(pair[0] == 0);
        nul_odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 10 >= pairs * 6;
    let rarely = |n: usize| n * 100 <= pairs;
    if mostly(nul_odd) && rarely(nul_even) {
        Some(encoding_rs::UTF_16LE)
    } else if mostly(nul_even) && rarely(nul_odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Bytes without a BOM that are not valid UTF-8: a UTF-8 page with a few broken sequences (a
/// download cut inside a character) keeps UTF-8, replacing the broken bytes; a page whose
/// invalid sequences outnumber its valid multi-byte characters is an old Windows-1252 or
/// Latin-1 export (read as Windows-1252, its superset, as browsers do).
fn decode_not_utf8(bytes: &[u8], first_bad: usize, warnings: &mut Vec<String>) -> (String, String) {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if multibyte > invalid {
        warnings.push(format!(
            "{invalid} invalid UTF-8 sequence(s) replaced by U+FFFD (first at byte {first_bad})"
        ));
        (String::from_utf8_lossy(bytes).into_owned(), "UTF-8".into())
    } else {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        warnings.push(format!(
            "not valid UTF-8 (first bad byte at offset {first_bad}): decoded as windows-1252"
        ));
        (text.into_owned(), "windows-1252".into())
    }
}

/// Decodes page bytes. `Err` carries the reason a file cannot be a page. Owned bytes that are
/// valid UTF-8 become the text without a copy, which matters for pages of hundreds of MB.
pub fn decode(bytes: Cow<'_, [u8]>) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let mut warnings = Vec::new();
    let (text, encoding) = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        // A BOM is explicit: trust it (UTF-16 files would otherwise look binary).
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!(
                "invalid {} sequences replaced by U+FFFD",
                enc.name()
            ));
        }
        (text.into_owned(), enc.name().to_string())
    } else if let Some((_, kind)) = BINARY_MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(format!("binary file ({kind})"));
    } else if let Some(enc) = sniff_utf16(&bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes);
        warnings.push(format!("no byte order mark: assumed {}", enc.name()));
        (text.into_owned(), enc.name().to_string())
    } else {
        // A download or copy cut short by a crash often leaves a zero-filled tail.
        let nul_tail = bytes.iter().rev().take_while(|&&b| b == 0).count();
        if nul_tail == bytes.len() {
            return Err("only NUL bytes".into());
        }
        let mut bytes = bytes;
        if nul_tail > 0 {
            warnings.push(format!("dropped {nul_tail} trailing NUL bytes"));
            match &mut bytes {
                Cow::Owned(v) => v.truncate(v.len() - nul_tail),
                Cow::Borrowed(b) => *b = &b[..b.len() - nul_tail],
            }
        }
        let controls = bytes.iter().filter(|&&b| is_control_byte(b)).count();
        if controls as f64 > bytes.len() as f64 * MAX_CONTROL_SHARE {
            return Err(format!(
                "binary file ({controls} of {} bytes are control bytes)",
                bytes.len()
            ));
        }
        match std::str::from_utf8(&bytes) {
            Ok(_) => {
                let text = match bytes {
                    Cow::Owned(v) => String::from_utf8(v).map_err(|e| e.to_string())?,
                    Cow::Borrowed(b) => String::from_utf8_lossy(b).into_owned(),
                };
                (text, "UTF-8".to_string())
            }
            Err(e) => decode_not_utf8(&bytes, e.valid_up_to(), &mut warnings),
        }
    };
    let (text, dropped) = clean(text);
    if dropped > 0 {
        warnings.push(format!(
            "dropped {dropped} control characters (NUL and the like)"
        ));
    }
    if text.trim().is_empty() {
        return Err("no text (only blank lines)".into());
    }
    Ok(Decoded {
        text,
        encoding,
        warnings,
    })
}

fn is_dropped(c: char) -> bool {
    (c < ' ' && !matches!(c, '\n' | '\t' | '\r'))
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || c == '\u{feff}'
}

/// Unifies line ends to `\n` (CRLF, CR alone, and the CR CR LF of a doubly converted file) and
/// drops control characters and stray BOMs. Returns the text unchanged when there is nothing
/// to do, and how many control characters were dropped (stray BOMs are not counted).
fn clean(text: String) -> (String, usize) {
    if !text.chars().any(|c| c == '\r' || is_dropped(c)) {
        return (text, 0);
    }
    let mut dropped = 0usize;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                let mut run = 1;
                while chars.next_if_eq(&'\r').is_some() {
                    run += 1;
                }
                if chars.next_if_eq(&'\n').is_some() {
                    run = 1;
                }
                out.extend(std::iter::repeat_n('\n', run));
            }
            '\u{feff}' => {}
            c if is_dropped(c) => dropped += 1,
            c => out.push(c),
        }
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<Decoded, String> {
        decode(Cow::Borrowed(bytes))
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = dec(b"\xEF\xBB\xBFTitel\r\n\r\nText\rmehr\n").unwrap();
        assert_eq!(d.text, "Titel\n\nText\nmehr\n");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn cr_only_and_doubly_converted_line_ends() {
        assert_eq!(dec(b"Titel\r\rText\r").unwrap().text, "Titel\n\nText\n");
        assert_eq!(dec(b"Titel\r\r\nText\r\r\n").unwrap().text, "Titel\nText\n");
    }

    #[test]
    fn clean_utf8_is_taken_over_without_a_copy() {
        let bytes = b"Titel\n\nText mit \xc3\xbc\n".to_vec();
        let ptr = bytes.as_ptr();
        let d = decode(Cow::Owned(bytes)).unwrap();
        assert_eq!(d.text.as_ptr(), ptr);
        assert_eq!(d.text, "Titel\n\nText mit ü\n");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let d = dec(b"Gr\xfc\xdfe aus \x80-Land").unwrap();
        assert_eq!(d.text, "Grüße aus €-Land");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn latin1_c1_gaps_are_dropped() {
        // 0x81 is unassigned in Windows-1252 and decodes to a C1 control.
        let d = dec(b"F\xfcr\x81 alle").unwrap();
        assert_eq!(d.text, "Für alle");
        assert_eq!(d.encoding, "windows-1252");
    }

    /// Regression: a UTF-8 page cut inside its last "ü" was decoded whole as Windows-1252,
    /// turning every umlaut into mojibake ("Ã¼").
    #[test]
    fn utf8_cut_inside_a_character_stays_utf8() {
        let d = dec(b"Gr\xc3\xbc\xc3\x9fe an alle, sch\xc3").unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "Grüße an alle, sch\u{fffd}");
        assert!(
            d.warnings[0].starts_with("1 invalid UTF-8"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Tschüss\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = dec(&bytes).unwrap();
        assert_eq!(d.text, "Tschüss\n");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let text = "Grüß Gott\r\nmitanand\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = dec(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("Grüß Gott\nmitanand\n", "UTF-16LE")
        );
        let d = dec(&be).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("Grüß Gott\nmitanand\n", "UTF-16BE")
        );
    }

    #[test]
    fn stray_nul_bytes_are_dropped() {
        let mut bytes = b"Ein langer Titel mit Text\n".repeat(3);
        bytes.insert(4, 0);
        let d = dec(&bytes).unwrap();
        assert!(d.text.starts_with("Ein langer"));
        assert!(d.warnings[0].contains("dropped 1"));
    }

    #[test]
    fn zero_filled_tail_is_cut_not_called_binary() {
        let mut bytes = b"Titel\n\nText\n".to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 4096));
        let d = dec(&bytes).unwrap();
        assert_eq!(d.text, "Titel\n\nText\n");
        assert_eq!(d.warnings, ["dropped 4096 trailing NUL bytes"]);
        assert_eq!(dec(&[0; 100]).unwrap_err(), "only NUL bytes");
    }

    #[test]
    fn rejects_empty_blank_and_binary() {
        assert_eq!(dec(b"").unwrap_err(), "empty file");
        assert!(dec(b" \n\r\n\t").unwrap_err().contains("no text"));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
        assert_eq!(dec(png).unwrap_err(), "binary file (PNG image)");
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
        assert_eq!(dec(pdf).unwrap_err(), "binary file (PDF document)");
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(dec(&noise).unwrap_err().contains("control bytes"));
    }
}
