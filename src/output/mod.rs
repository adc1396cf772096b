//! Output: CSV tables and charts, written atomically, and the byte-level writers that stream
//! rows of CSV and JSON lines.

pub mod atomic;
pub mod charts;
pub mod csv_bytes;
pub mod fixed;
pub mod json_bytes;
pub mod tables;
pub mod time;

/// The position of the first byte of `bytes` that `hit` picks. The bytes are tested 32 at a
/// time with no early exit inside a block, which the compiler turns into a few vector
/// instructions per block: a scan for bytes that are rare costs about one instruction per byte.
// Always inlined, so that `hit` is compiled into the vector compares.
#[inline(always)]
pub(crate) fn find_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> Option<usize> {
    let block_hits =
        |block: &[u8; 32]| block.iter().fold(0u8, |acc, &b| acc | u8::from(hit(b))) != 0;
    let mut at = 0;
    while let Some(block) = bytes[at..].first_chunk::<32>() {
        if block_hits(block) {
            break;
        }
        at += 32;
    }
    // Fewer than 32 bytes are left, after clean blocks: the last 32 bytes of the whole slice
    // (clean ones and the rest) tell at once whether the rest holds a hit.
    if at > 0 && bytes.len() - at < 32 && bytes.last_chunk::<32>().is_some_and(|b| !block_hits(b)) {
        return None;
    }
    // Narrowed down 8 bytes at a time, which costs about as much as one byte tested alone.
    let part_hits = |part: &[u8; 8]| part.iter().fold(0u8, |acc, &b| acc | u8::from(hit(b))) != 0;
    while let Some(part) = bytes[at..].first_chunk::<8>() {
        if part_hits(part) {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| hit(b)).map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_byte_finds_the_first_hit_at_every_position_and_length() {
        for len in 0..100 {
            let clean = vec![b'a'; len];
            assert_eq!(find_byte(&clean, |b| b == b'x'), None, "{len}");
            for at in 0..len {
                let mut bytes = clean.clone();
                bytes[at] = b'x';
                if at + 3 < len {
                    bytes[at + 3] = b'x';
                }
                assert_eq!(find_byte(&bytes, |b| b == b'x'), Some(at), "{len} {at}");
            }
        }
    }
}
