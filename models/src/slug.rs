//! File names derived from titles. They must be safe on every file system and
//! never escape the folder they are written to.

/// Lower-case ASCII words joined by `-`; at most 60 bytes; never empty.
/// For identifiers that travel in URLs and branch names.
pub fn slugify(title: &str) -> String {
    slug_of(title, |c| c.is_ascii_alphanumeric(), 60)
}

/// Like [`slugify`], but letters and digits of every script stay, so a title
/// in Chinese or Russian names its file instead of `untitled`. For file names
/// only: at most 60 characters (a file name stays well under 255 bytes), full-width
/// Latin letters and digits become ASCII, and combining accents are dropped,
/// so a decomposed "é" gives the same name as a composed one.
pub fn file_slug(title: &str) -> String {
    slug_of(title, char::is_alphanumeric, 60)
}

fn slug_of(title: &str, keep: fn(char) -> bool, max_chars: usize) -> String {
    let mut out = String::with_capacity(title.len());
    let mut chars = 0;
    let mut pending_dash = false;
    let mut push = |m: char, out: &mut String, chars: &mut usize| {
        if keep(m) {
            if pending_dash && !out.is_empty() {
                out.push('-');
                *chars += 1;
            }
            pending_dash = false;
            out.extend(m.to_lowercase());
            *chars += 1;
        } else {
            pending_dash = true;
        }
    };
    for c in title.chars() {
        if is_combining_accent(c) {
            continue;
        }
        let c = from_full_width(c);
        match fold_to_ascii(c) {
            Some(folded) => folded.chars().for_each(|m| push(m, &mut out, &mut chars)),
            None => push(c, &mut out, &mut chars),
        }
        if chars >= max_chars {
            break;
        }
    }
    if chars > max_chars {
        let cut = out
            .char_indices()
            .nth(max_chars)
            .map_or(out.len(), |(i, _)| i);
        out.truncate(cut);
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "untitled".to_string()
    } else {
        out
    }
}

/// U+0300..U+036F, the accents a decomposed (NFD) title carries after its letter.
fn is_combining_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// `Ａ`..`ｚ` and `０`..`９` (typed with a CJK input method) as ASCII.
fn from_full_width(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
            char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
        }
        _ => c,
    }
}

/// The common Latin letters with diacritics, so "Décision" becomes "decision";
/// `None` for a character that stays as it is.
fn fold_to_ascii(c: char) -> Option<&'static str> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        '+' => "plus",
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::{file_slug, slugify};

    #[test]
    fn slugs_are_safe_file_names() {
        let cases = [
            ("Use PostgreSQL for storage", "use-postgresql-for-storage"),
            ("../../etc/passwd", "etc-passwd"),
            (
                "  Décision: ÜBER C++ / Rust?  ",
                "decision-uber-cplusplus-rust",
            ),
            ("<script>alert(1)</script>", "script-alert-1-script"),
            ("", "untitled"),
            ("///", "untitled"),
            ("CON", "con"),
        ];
        for (title, want) in cases {
            assert_eq!(slugify(title), want, "title {title:?}");
        }
        let long = "word ".repeat(40);
        let s = slugify(&long);
        assert!(s.len() <= 60 && !s.ends_with('-'), "{s}");
    }

    #[test]
    fn file_slugs_keep_every_script() {
        let cases = [
            ("Use PostgreSQL for storage", "use-postgresql-for-storage"),
            ("采用 PostgreSQL 作为存储", "采用-postgresql-作为存储"),
            ("Использовать Kafka", "использовать-kafka"),
            ("ＡＤＲ：使用Ｒｕｓｔ", "adr-使用rust"),
            ("De\u{301}cision", "decision"),
            ("Décision", "decision"),
            ("../../etc/passwd", "etc-passwd"),
            ("a\u{202e}txt.exe", "a-txt-exe"),
            ("「」：？", "untitled"),
        ];
        for (title, want) in cases {
            assert_eq!(file_slug(title), want, "title {title:?}");
        }
        // Cut at a character, never inside one.
        let long = "決定".repeat(50);
        let s = file_slug(&long);
        assert_eq!(s.chars().count(), 60, "{s}");
        assert_eq!(slugify("采用 PostgreSQL"), "postgresql");
    }
}
