//! File names derived from titles. They must be safe on every file system and
//! never escape the folder they are written to.

/// Lower-case ASCII words joined by `-`; at most 60 bytes; never empty.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_dash = false;
    let mut push = |m: char, out: &mut String| {
        if m.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(m.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in title.chars() {
        match fold_to_ascii(c) {
            Some(folded) => folded.chars().for_each(|m| push(m, &mut out)),
            None => push(c, &mut out),
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.truncate(60);
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "untitled".to_string()
    } else {
        out
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
    use super::slugify;

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
}
