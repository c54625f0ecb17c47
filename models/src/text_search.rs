//! Word-prefix matching for the records that have no full-text index of
//! their own (threat models, controls, initiatives, SLOs: tens to hundreds
//! per workspace), so that one search box finds them beside the ADRs and
//! threats that SQLite's FTS5 indexes. Same rule as the FTS5 queries: every
//! word of the query starts a word of the record, case and accents of ASCII
//! letters aside.

/// The words of `text`, lower-cased: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well `fields` (the title first) match the query's `words`: `None`
/// unless every query word starts some word of some field; otherwise higher
/// is better, a word found in the title counting more than one found later
/// and a whole word more than a prefix.
pub fn rank(query: &[String], fields: &[&str]) -> Option<u32> {
    if query.is_empty() {
        return None;
    }
    let fields: Vec<Vec<String>> = fields.iter().map(|f| words(f)).collect();
    let mut score = 0u32;
    for q in query {
        let best = fields
            .iter()
            .enumerate()
            .filter_map(|(i, ws)| {
                let weight = if i == 0 { 4 } else { 1 };
                ws.iter()
                    .filter(|w| w.starts_with(q.as_str()))
                    .map(|w| if w == q { weight * 2 } else { weight })
                    .max()
            })
            .max()?;
        score += best;
    }
    Some(score)
}

/// Whether some word of `text` starts with some query word.
pub fn mentions(text: &str, query: &[String]) -> bool {
    words(text).iter().any(|w| starts_any(w, query))
}

/// Whether the lower-cased `word` starts with one of the query's words.
fn starts_any(word: &str, query: &[String]) -> bool {
    query.iter().any(|q| word.starts_with(q.as_str()))
}

/// `text` with every word that a query word starts marked `«…»`, as the
/// full-text snippets are, for the search palette to highlight.
pub fn mark(text: &str, query: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if starts_any(&word.to_lowercase(), query) {
            out.push('«');
            out.push_str(word);
            out.push('»');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            // The palette reads «» as markers: the text's own become quotes.
            out.push(match c {
                '«' | '»' => '"',
                c => c,
            });
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_word_must_start_a_word_of_some_field() {
        let q = words("prompt inj");
        assert!(rank(&q, &["Direct prompt injection", ""]).is_some());
        assert!(rank(&q, &["Prompt", "an injection through search"]).is_some());
        assert_eq!(rank(&q, &["Direct prompt", "no such word"]), None);
        // A prefix of the record's word, not a piece inside it.
        assert_eq!(rank(&words("ject"), &["injection"]), None);
        assert_eq!(rank(&[], &["anything"]), None);
    }

    #[test]
    fn the_title_and_whole_words_rank_higher() {
        let q = words("redis");
        let title = rank(&q, &["Redis task queue", ""]).unwrap();
        let later = rank(&q, &["Task queue", "Celery broker on Redis"]).unwrap();
        let prefix = rank(&q, &["Redistribution", ""]).unwrap();
        assert!(title > later && title > prefix, "{title} {later} {prefix}");
        assert!(rank(&words("ÉTAT"), &["état des lieux"]).is_some());
    }

    #[test]
    fn mentions_any_query_word() {
        let q = words("secret zzqx");
        assert!(mentions("The Secrets store", &q));
        assert!(!mentions("a key vault", &q));
    }

    #[test]
    fn marks_the_matching_words_only() {
        let q = words("secret sto");
        assert_eq!(
            mark("Secrets store: «rotated»", &q),
            "«Secrets» «store»: \"rotated\""
        );
    }
}
