//! Turning the bytes of a scraped page into clean text: encoding detection, line endings,
//! stray control bytes, and the refusal of files that are not text pages at all.

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

/// Decodes page bytes. `Err` carries the reason a file cannot be a page.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let mut warnings = Vec::new();
    let (text, encoding) = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        // A BOM is explicit: trust it (UTF-16 files would otherwise look binary).
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!(
                "invalid {} sequences replaced by U+FFFD",
                enc.name()
            ));
        }
        (text.into_owned(), enc.name().to_string())
    } else {
        let controls = bytes
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
            .count();
        if controls as f64 > bytes.len() as f64 * MAX_CONTROL_SHARE {
            return Err(format!(
                "binary file ({controls} of {} bytes are control bytes)",
                bytes.len()
            ));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "UTF-8".to_string()),
            Err(e) => {
                // Older CMS exports are Windows-1252; it decodes every byte, so nothing is lost.
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                warnings.push(format!(
                    "not valid UTF-8 (first bad byte at offset {}): decoded as windows-1252",
                    e.valid_up_to()
                ));
                (text.into_owned(), "windows-1252".to_string())
            }
        }
    };
    let mut dropped = 0usize;
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                clean.push('\n');
            }
            '\n' | '\t' => clean.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => dropped += 1,
            '\u{feff}' => {}
            c => clean.push(c),
        }
    }
    if dropped > 0 {
        warnings.push(format!(
            "dropped {dropped} control characters (NUL and the like)"
        ));
    }
    if clean.trim().is_empty() {
        return Err("no text (only blank lines)".into());
    }
    Ok(Decoded {
        text: clean,
        encoding,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode(b"\xEF\xBB\xBFTitel\r\n\r\nText\rmehr\n").unwrap();
        assert_eq!(d.text, "Titel\n\nText\nmehr\n");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let d = decode(b"Gr\xfc\xdfe aus \x80-Land").unwrap();
        assert_eq!(d.text, "Grüße aus €-Land");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Tschüss\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "Tschüss\n");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn stray_nul_bytes_are_dropped() {
        let mut bytes = b"Ein langer Titel mit Text\n".repeat(3);
        bytes.insert(4, 0);
        let d = decode(&bytes).unwrap();
        assert!(d.text.starts_with("Ein langer"));
        assert!(d.warnings[0].contains("dropped 1"));
    }

    #[test]
    fn rejects_empty_blank_and_binary() {
        assert_eq!(decode(b"").unwrap_err(), "empty file");
        assert!(decode(b" \n\r\n\t").unwrap_err().contains("no text"));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
        assert!(decode(png).unwrap_err().starts_with("binary file"));
    }
}
