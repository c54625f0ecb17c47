//! The bytes of a file to import as text. UTF-8 is the rule; UTF-16 is
//! accepted too because Windows tools write it (a Threat Modeling Tool model
//! saved by some versions, a PowerShell `Out-File`), marked by a byte order
//! mark or, for XML without one, by the NUL byte next to its first `<`.

/// Why the bytes are no text: where (line, byte offset) and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    pub line: usize,
    pub byte: usize,
    pub reason: String,
}

/// Decodes a file's bytes: UTF-8 (a byte order mark kept for the readers
/// that skip it) or UTF-16 little/big endian, returned without its mark.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, NotText> {
    match utf16_order(&bytes) {
        Some((little_endian, skip)) => decode_utf16(&bytes[skip..], skip, little_endian),
        None => String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            NotText {
                line: bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1,
                byte: at,
                reason: format!(
                    "the file is not UTF-8 text (byte {at} is 0x{:02X}); save it as UTF-8 and import it again",
                    bytes.get(at).copied().unwrap_or_default()
                ),
            }
        }),
    }
}

/// Whether the bytes are UTF-16 (little endian?) and how many bytes of mark
/// to skip.
fn utf16_order(bytes: &[u8]) -> Option<(bool, usize)> {
    match bytes {
        [0xFF, 0xFE, ..] => Some((true, 2)),
        [0xFE, 0xFF, ..] => Some((false, 2)),
        // No mark: an XML document starts with '<', one byte of it NUL.
        [b'<', 0, ..] => Some((true, 0)),
        [0, b'<', ..] => Some((false, 0)),
        _ => None,
    }
}

fn decode_utf16(body: &[u8], offset: usize, little_endian: bool) -> Result<String, NotText> {
    let units = body.chunks_exact(2).map(|pair| {
        if little_endian {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut line = 1;
    for (i, unit) in char::decode_utf16(units).enumerate() {
        match unit {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                text.push(c);
            }
            Err(e) => {
                return Err(NotText {
                    line,
                    byte: offset + 2 * i,
                    reason: format!(
                        "the file is UTF-16 with a broken character (unpaired surrogate 0x{:04X}); save it as UTF-8 and import it again",
                        e.unpaired_surrogate()
                    ),
                })
            }
        }
    }
    if body.len() % 2 == 1 {
        return Err(NotText {
            line,
            byte: offset + body.len() - 1,
            reason: "the file is UTF-16 but ends in half a character (an odd number of bytes: cut short?); save it as UTF-8 and import it again".into(),
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool, mark: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        if mark {
            bytes.extend(if little_endian {
                [0xFF, 0xFE]
            } else {
                [0xFE, 0xFF]
            });
        }
        for unit in text.encode_utf16() {
            bytes.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    }

    const XML: &str =
        "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<ThreatModel>Zoë ✓ 𝄞</ThreatModel>";

    #[test]
    fn utf16_with_or_without_a_mark_in_either_order_is_the_same_text() {
        for little_endian in [true, false] {
            for mark in [true, false] {
                let decoded = decode_text(utf16(XML, little_endian, mark));
                assert_eq!(
                    decoded.as_deref(),
                    Ok(XML),
                    "le {little_endian} mark {mark}"
                );
            }
        }
    }

    #[test]
    fn utf8_stays_as_it_is_with_its_mark() {
        let with_mark = format!("\u{feff}{XML}");
        assert_eq!(decode_text(with_mark.clone().into_bytes()), Ok(with_mark));
        assert_eq!(decode_text(b"{}".to_vec()), Ok("{}".into()));
        assert_eq!(decode_text(Vec::new()), Ok(String::new()));
    }

    #[test]
    fn a_broken_file_says_where_and_why() {
        let e = decode_text(b"a\nb\n\xE9t\xE9".to_vec()).unwrap_err();
        assert_eq!((e.line, e.byte), (3, 4));
        assert!(
            e.reason.contains("not UTF-8") && e.reason.contains("0xE9"),
            "{e:?}"
        );

        // Cut after an odd byte: the last half character is named.
        let mut cut = utf16("<a>\n</a>", true, true);
        cut.pop();
        let e = decode_text(cut).unwrap_err();
        assert_eq!((e.line, e.byte), (2, 16));
        assert!(e.reason.contains("odd number of bytes"), "{e:?}");

        // A lone high surrogate in the second line.
        let mut lone = utf16("<a>\n", true, true);
        lone.extend([0x00, 0xD8, b'x', 0]);
        let e = decode_text(lone).unwrap_err();
        assert_eq!((e.line, e.byte), (2, 10));
        assert!(e.reason.contains("0xD800"), "{e:?}");
    }
}
