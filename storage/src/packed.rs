//! Many rows as one text value.
//!
//! sqlx runs SQLite on a worker thread and hands every result row to the
//! caller separately (a channel send and a wake-up each): listing 1,000
//! records made about 3,600 futex calls and cost more wall time than
//! decoding them. A query that aggregates its rows with `group_concat` into
//! one value crosses once. Each field is written so that any content parses
//! back exactly: an integer as its digits and `:`, a text as its length in
//! bytes, `:` and the bytes (see [`text`] and [`int`]).

use crate::{Result, StoreError};

/// SQL for a text field inside a packed row (`expr` must not be NULL).
pub(crate) fn text(expr: &str) -> String {
    format!("octet_length({expr}) || ':' || {expr}")
}

/// SQL for an integer field inside a packed row (`expr` must not be NULL).
pub(crate) fn int(expr: &str) -> String {
    format!("{expr} || ':'")
}

/// SQL for a REAL field: 17 significant digits, which read back to the same
/// double (tested).
pub(crate) fn real(expr: &str) -> String {
    format!("printf('%!.17g', {expr}) || ':'")
}

/// Reads the fields of a packed value in the order they were written.
pub(crate) struct Unpacker<'a> {
    rest: &'a str,
    what: &'static str,
}

impl<'a> Unpacker<'a> {
    pub(crate) fn new(packed: &'a str, what: &'static str) -> Self {
        Unpacker { rest: packed, what }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn corrupt(&self) -> StoreError {
        StoreError::corrupt(self.what, "a packed row is damaged")
    }

    fn field(&mut self) -> Result<&'a str> {
        let (field, rest) = self.rest.split_once(':').ok_or_else(|| self.corrupt())?;
        self.rest = rest;
        Ok(field)
    }

    pub(crate) fn int(&mut self) -> Result<i64> {
        self.field()?.parse().map_err(|_| self.corrupt())
    }

    pub(crate) fn real(&mut self) -> Result<f64> {
        self.field()?.parse().map_err(|_| self.corrupt())
    }

    /// `+` (true) or `-` (false), as a query writes for an optional part.
    pub(crate) fn marker(&mut self) -> Result<bool> {
        let present = match self.rest.as_bytes().first() {
            Some(b'+') => true,
            Some(b'-') => false,
            _ => return Err(self.corrupt()),
        };
        self.rest = &self.rest[1..];
        Ok(present)
    }

    pub(crate) fn text(&mut self) -> Result<&'a str> {
        let len: usize = self.field()?.parse().map_err(|_| self.corrupt())?;
        let text = self.rest.get(..len).ok_or_else(|| self.corrupt())?;
        self.rest = &self.rest[len..];
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    #[tokio::test]
    async fn packed_fields_read_back_exactly() {
        let pool = SqlitePoolOptions::new()
            .connect("sqlite::memory:")
            .await
            .expect("memory db");
        let texts = [
            "",
            "a:b",
            "12:x",
            "é ü ß 漢字 😀",
            "line\nbreak,\u{1e}",
            "::",
        ];
        let sql = format!(
            "SELECT group_concat({}, '') FROM (SELECT ?1 AS n, ?2 AS t, ?3 AS r)",
            [int("n"), text("t"), real("r")].join(" || ")
        );
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..4000_i64 {
            // xorshift: doubles of every magnitude and sign, and bm25-like ones.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let r = if i % 2 == 0 {
                f64::from_bits(seed >> 2) * if seed & 1 == 0 { 1.0 } else { -1.0 }
            } else {
                -((seed % 1_000_000) as f64) / 7919.0 * 1e-6
            };
            if !r.is_finite() {
                continue;
            }
            let t = texts[i as usize % texts.len()];
            let (packed,): (Option<String>,) = sqlx::query_as(&sql)
                .bind(i - 2000)
                .bind(t)
                .bind(r)
                .fetch_one(&pool)
                .await
                .expect("query");
            let packed = packed.expect("one row");
            let mut u = Unpacker::new(&packed, "test");
            assert_eq!(u.int().expect("int"), i - 2000);
            assert_eq!(u.text().expect("text"), t);
            assert_eq!(u.real().expect("real").to_bits(), r.to_bits(), "{r:e}");
            assert!(u.is_empty());
        }
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        for bad in ["x:", "5:abc", "3", "-1:abc", "2:é"] {
            let mut u = Unpacker::new(bad, "test");
            assert!(u.text().is_err() || u.int().is_err(), "{bad}");
        }
    }
}
