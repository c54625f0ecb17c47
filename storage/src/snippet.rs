//! Search snippets made in Rust from the indexed text of the hits shown.
//!
//! FTS5's `snippet()` re-tokenizes every column of a row and re-runs the
//! query's prefix expansion for it: about 0.2 ms per row, so 50 snippets cost
//! more than ranking 10,000 records. The index has already decided *which*
//! records match; this only picks the words to show and marks them, the way
//! `snippet(table, -1, '«', '»', '…', 16)` does: the column with the most
//! query terms, the run of 16 words with the most hits, `…` where it is cut.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words shown around the best match.
const WINDOW: usize = 16;

/// Lower case without accents, as the index's `remove_diacritics 2` folds.
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The query's words, folded, as [`crate::codec::fts_query`] splits them.
pub(crate) fn query_terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// A light English stem for highlighting only: the index stems with Porter,
/// so "policies" finds "policy"; cutting plural and verb endings lets the
/// prefix match see that too.
fn stem(term: &str) -> &str {
    for suffix in ["ies", "es", "s", "ing", "ed", "y", "e"] {
        if let Some(stem) = term.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                return stem;
            }
        }
    }
    term
}

/// Whether `word`, folded, starts with `prefix` (already folded). ASCII
/// words, nearly all of them, are compared in place without folding.
fn starts_with_folded(word: &str, prefix: &str) -> bool {
    if word.is_ascii() {
        word.len() >= prefix.len()
            && word.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        fold(word).starts_with(prefix)
    }
}

/// Which query term (by index) `word` matches, if any; `stems[i]` is
/// `stem(&terms[i])`.
fn matching_term(word: &str, terms: &[String], stems: &[&str]) -> Option<usize> {
    terms
        .iter()
        .zip(stems)
        .position(|(t, stem)| starts_with_folded(word, t) || starts_with_folded(word, stem))
}

/// Byte ranges of the words of `text` (runs of letters and digits).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The start of the window of `WINDOW` words (or all, when fewer) with the
/// most distinct terms, then the most hits; the earliest such window wins.
/// `hits` is the matched term per word. The window slides one word at a
/// time, keeping its hits per term.
fn best_window(hits: &[Option<usize>], terms: usize) -> usize {
    let count = hits.len().min(WINDOW);
    let mut per_term = vec![0usize; terms];
    let (mut distinct, mut total) = (0usize, 0usize);
    let mut step = |t: Option<usize>, enter: bool, distinct: &mut usize, total: &mut usize| {
        let Some(t) = t else { return };
        if enter {
            per_term[t] += 1;
            *total += 1;
            if per_term[t] == 1 {
                *distinct += 1;
            }
        } else {
            per_term[t] -= 1;
            *total -= 1;
            if per_term[t] == 0 {
                *distinct -= 1;
            }
        }
    };
    for &t in &hits[..count] {
        step(t, true, &mut distinct, &mut total);
    }
    let mut start = 0;
    let mut best = (distinct, total);
    for s in 1..=hits.len() - count {
        step(hits[s - 1], false, &mut distinct, &mut total);
        step(hits[s + count - 1], true, &mut distinct, &mut total);
        if (distinct, total) > best {
            best = (distinct, total);
            start = s;
        }
    }
    start
}

/// The stems of `terms`, as [`matching_term`] takes them.
fn stems(terms: &[String]) -> Vec<&str> {
    terms.iter().map(|t| stem(t)).collect()
}

/// One column's words and the query term each matches, and how many
/// distinct terms it holds.
struct Column<'a> {
    text: &'a str,
    spans: Vec<(usize, usize)>,
    hits: Vec<Option<usize>>,
    distinct: usize,
}

impl<'a> Column<'a> {
    fn new(text: &'a str, terms: &[String], stems: &[&str]) -> Self {
        let spans = words(text);
        let hits: Vec<Option<usize>> = spans
            .iter()
            .map(|&(s, e)| matching_term(&text[s..e], terms, stems))
            .collect();
        let mut seen = vec![false; terms.len()];
        for t in hits.iter().flatten() {
            seen[*t] = true;
        }
        let distinct = seen.iter().filter(|s| **s).count();
        Column {
            text,
            spans,
            hits,
            distinct,
        }
    }

    /// The best window of this column, marked (see the module doc).
    fn render(&self, terms: usize) -> String {
        let (text, spans, hits) = (self.text, &self.spans, &self.hits);
        if spans.is_empty() {
            return text.trim().to_string();
        }
        // The window of WINDOW words with the most distinct terms, then the
        // most hits; the earliest such window wins.
        let count = spans.len().min(WINDOW);
        let start = best_window(hits, terms);
        let end = start + count;
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        let mut at = spans[start].0;
        for i in start..end {
            let (s, e) = spans[i];
            out.push_str(&text[at..s]);
            if hits[i].is_some() {
                out.push('«');
                out.push_str(&text[s..e]);
                out.push('»');
            } else {
                out.push_str(&text[s..e]);
            }
            at = e;
        }
        if end < spans.len() {
            out.push('…');
        } else {
            out.push_str(text[at..].trim_end());
        }
        out
    }
}

/// The snippet of the best of `columns` for `terms` (see the module doc).
/// Without any match it shows the start of the first non-empty column.
pub(crate) fn snippet(columns: &[&str], terms: &[String]) -> String {
    let stems = stems(terms);
    let mut best: Option<Column> = None;
    for text in columns.iter().copied().filter(|t| !t.trim().is_empty()) {
        let column = Column::new(text, terms, &stems);
        if best.as_ref().is_none_or(|b| column.distinct > b.distinct) {
            best = Some(column);
        }
    }
    best.map_or_else(String::new, |b| b.render(terms.len()))
}

/// The snippet [`snippet`] makes of `first` followed by any other columns,
/// when `first` alone decides it: it holds every term, so no later column
/// can hold more (a search hit's title, before its other text is decoded).
pub(crate) fn snippet_of_first(first: &str, terms: &[String]) -> Option<String> {
    if first.trim().is_empty() {
        return None;
    }
    let column = Column::new(first, terms, &stems(terms));
    (column.distinct == terms.len()).then(|| column.render(terms.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<String> {
        query_terms(q)
    }

    #[test]
    fn marks_prefix_accent_and_plural_matches_in_the_best_window() {
        let body = "One two three four five six seven eight nine ten eleven twelve \
                    thirteen fourteen. We pick the Café policy for Kubernetes deployments, \
                    and nothing else here matters at all for the search.";
        let s = snippet(&["Use a cluster", body], &terms("cafe policies kube"));
        assert!(s.starts_with('…'), "{s}");
        assert!(s.ends_with('…'), "{s}");
        assert!(s.contains("«Café» «policy» for «Kubernetes»"), "{s}");
        assert_eq!(s.matches('«').count(), 3, "{s}");
    }

    #[test]
    fn picks_the_column_with_the_most_terms_and_keeps_short_text_whole() {
        let s = snippet(
            &["Adopt Kafka", "streams are durable; Kafka keeps streams."],
            &terms("kafka stream"),
        );
        assert_eq!(s, "«streams» are durable; «Kafka» keeps «streams».");
        assert_eq!(snippet(&["Adopt Kafka"], &terms("kaf")), "Adopt «Kafka»");
    }

    /// The window as first written: every window scored on its own.
    fn best_window_by_rescoring(hits: &[Option<usize>], terms: usize) -> usize {
        let count = hits.len().min(WINDOW);
        let mut start = 0;
        let mut best_score = (0, 0);
        for s in 0..=hits.len() - count {
            let mut seen = vec![false; terms];
            let mut total = 0;
            for t in hits[s..s + count].iter().flatten() {
                seen[*t] = true;
                total += 1;
            }
            let score = (seen.iter().filter(|x| **x).count(), total);
            if score > best_score {
                best_score = score;
                start = s;
            }
        }
        start
    }

    #[test]
    fn the_sliding_window_picks_the_window_rescoring_picks() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for _ in 0..20_000 {
            let terms = 1 + next(4);
            let hits: Vec<Option<usize>> = (0..next(70))
                .map(|_| (next(3) == 0).then(|| next(terms)))
                .collect();
            assert_eq!(
                best_window(&hits, terms),
                best_window_by_rescoring(&hits, terms),
                "{hits:?}"
            );
        }
    }

    /// Whenever the first column alone is said to decide the snippet, it
    /// is the snippet of all the columns, whatever follows it.
    #[test]
    fn a_first_column_with_every_term_is_the_whole_snippet() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        let vocab = [
            "decision",
            "Decisions",
            "kafka",
            "Kübernetes",
            "queue",
            "queues",
            "policy",
            "policies",
            "the",
            "and",
            "9999",
            "99",
            " ",
            "—",
            "ÉCOLE",
            "ecole",
        ];
        let queries = [
            "decision",
            "decision 9999",
            "kafka queue",
            "polic",
            "ecole",
            "zzz",
        ];
        let mut decided = 0;
        for _ in 0..20_000 {
            let columns: Vec<String> = [6, 4, 60]
                .map(|most| {
                    let n = next(most);
                    (0..n)
                        .map(|_| vocab[next(vocab.len())])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .to_vec();
            let terms = terms(queries[next(queries.len())]);
            let all: Vec<&str> = columns.iter().map(String::as_str).collect();
            if let Some(first) = snippet_of_first(&columns[0], &terms) {
                decided += 1;
                assert_eq!(first, snippet(&all, &terms), "{columns:?} {terms:?}");
            }
        }
        assert!(decided > 1_000, "{decided}");
    }

    #[test]
    fn without_a_match_shows_the_start_and_never_panics_on_odd_text() {
        let long = (1..40)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let s = snippet(&["", &long], &terms("zzz"));
        assert!(s.starts_with("w1 w2"), "{s}");
        assert!(s.ends_with("w16…"), "{s}");
        assert_eq!(snippet(&["", "  "], &terms("x")), "");
        assert_eq!(snippet(&["— … —"], &terms("x")), "— … —");
        assert_eq!(snippet(&["ÉCOLE été"], &terms("ecole")), "«ÉCOLE» été");
    }
}
