//! The roadmap Markdown read back: the fields a reviewer can edit in the
//! file [`super::markdown::roadmap_markdown`] writes, per initiative key.
//!
//! Read from the `## Plan` table: title, status, owner, quarter, estimate,
//! dependencies. Read from `## Initiatives`: description, repositories,
//! milestones. Everything else in the file is computed (start, finish,
//! slack, the timeline, readiness) or not shown (gate links, own dates), so
//! it is not read: the app recomputes it.

use chrono::NaiveDate;
use plasma_models::roadmap::{Initiative, InitiativeStatus, Milestone};

use crate::threat::ImportError;

/// What the file says about one initiative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapItem {
    /// The Plan table line it was read from.
    pub line: usize,
    pub key: String,
    pub title: String,
    pub status: InitiativeStatus,
    pub owner: String,
    pub target_quarter: Option<String>,
    pub estimate_days: u32,
    pub depends_on: Vec<String>,
    pub description: String,
    pub repositories: Vec<String>,
    pub milestones: Vec<Milestone>,
}

impl RoadmapItem {
    /// Writes these fields into an initiative, keeping the ones the file
    /// does not hold (gates, own dates, links).
    pub fn apply_to(&self, i: &mut Initiative) {
        i.title = self.title.clone();
        i.status = self.status;
        i.owner = self.owner.clone();
        i.target_quarter = self.target_quarter.clone();
        i.estimate_days = self.estimate_days;
        i.depends_on = self.depends_on.clone();
        i.description = self.description.clone();
        i.repositories = self.repositories.clone();
        i.milestones = self.milestones.clone();
    }
}

/// Undoes the report's Markdown escaping (backslashes and `&lt;`, `&gt;`,
/// `&amp;`).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let mut it = rest.chars();
            it.next();
            match it.next() {
                Some(n) => {
                    out.push(n);
                    rest = &rest[1 + n.len_utf8()..];
                }
                None => {
                    out.push('\\');
                    rest = "";
                }
            }
            continue;
        }
        let entity = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&')]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
        if let Some((e, ch)) = entity {
            out.push(ch);
            rest = &rest[e.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Splits a table line at unescaped pipes; `None` when it is not a row.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '|' => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    Some(out)
}

/// `Title (`key`)` → (title, key).
fn title_and_key(text: &str, at: &str) -> Result<(String, String), ImportError> {
    let body = text
        .trim()
        .strip_suffix("`)")
        .ok_or_else(|| ImportError::new(at, format!("\"{text}\" does not end with (`key`)")))?;
    let (title, key) = body
        .rsplit_once(" (`")
        .ok_or_else(|| ImportError::new(at, format!("\"{text}\" does not end with (`key`)")))?;
    Ok((unescape(title), key.to_string()))
}

fn code_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|p| p.trim().trim_matches('`').to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The lines of each `## ` section, with their 1-based numbers.
fn section<'a>(text: &'a str, heading: &str) -> Vec<(usize, &'a str)> {
    let mut inside = false;
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fence = !fence;
        }
        if !fence && line.starts_with("## ") {
            inside = line[3..].trim() == heading;
            continue;
        }
        if inside {
            out.push((i + 1, line));
        }
    }
    out
}

fn plan_rows(text: &str) -> Result<Vec<RoadmapItem>, ImportError> {
    let lines = section(text, "Plan");
    let mut rows = lines
        .iter()
        .filter_map(|(n, l)| cells(l).map(|c| (*n, c)))
        .skip_while(|(_, c)| c.first().map(String::as_str) != Some("#"));
    if rows.next().is_none() {
        return Err(ImportError::new(
            "## Plan",
            "the plan table (| # | Initiative | Status | ...) is missing",
        ));
    }
    let mut out: Vec<RoadmapItem> = Vec::new();
    for (n, c) in rows {
        if c.iter().all(|x| x.chars().all(|ch| ch == '-' || ch == ':')) {
            continue;
        }
        let at = |col: &str| format!("line {n}, column {col}");
        if c.len() != 11 {
            return Err(ImportError::new(
                format!("line {n}"),
                format!("a plan row has 11 cells, this one {}", c.len()),
            ));
        }
        let (title, key) = title_and_key(&c[1], &at("Initiative"))?;
        let status: InitiativeStatus = c[2]
            .parse()
            .map_err(|e: String| ImportError::new(at("Status"), e))?;
        let estimate = c[7].trim().trim_end_matches('d').trim();
        let estimate_days: u32 = estimate.parse().map_err(|_| {
            ImportError::new(
                at("Estimate"),
                format!("\"{}\" is not a number of days (\"10 d\")", c[7]),
            )
        })?;
        if out.iter().any(|r| r.key == key) {
            return Err(ImportError::new(
                at("Initiative"),
                format!("the key `{key}` is listed twice"),
            ));
        }
        let quarter = unescape(&c[4]);
        out.push(RoadmapItem {
            line: n,
            key,
            title,
            status,
            owner: unescape(&c[3]),
            target_quarter: (!quarter.is_empty()).then_some(quarter),
            estimate_days,
            depends_on: code_list(&c[9]),
            description: String::new(),
            repositories: Vec::new(),
            milestones: Vec::new(),
        });
    }
    Ok(out)
}

fn milestone(line: &str, n: usize) -> Result<Option<Milestone>, ImportError> {
    let (done, rest) = if let Some(r) = line.strip_prefix("- [x] ") {
        (true, r)
    } else if let Some(r) = line.strip_prefix("- [X] ") {
        (true, r)
    } else if let Some(r) = line.strip_prefix("- [ ] ") {
        (false, r)
    } else {
        return Ok(None);
    };
    let (title, due) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (due ")) {
        Some((t, d)) => (
            t,
            Some(d.trim().parse::<NaiveDate>().map_err(|_| {
                ImportError::new(
                    format!("line {n}"),
                    format!("\"{d}\" is not a due date (YYYY-MM-DD)"),
                )
            })?),
        ),
        None => (rest, None),
    };
    Ok(Some(Milestone {
        title: unescape(title.trim()),
        due,
        done,
    }))
}

fn is_detail(line: &str) -> bool {
    line.starts_with("- Repositories: ")
        || line.starts_with("- Owner: ")
        || line.starts_with("- [x] ")
        || line.starts_with("- [X] ")
        || line.starts_with("- [ ] ")
}

/// Reads the initiatives of a roadmap Markdown file, in the Plan's order.
pub fn parse_roadmap_markdown(text: &str) -> Result<Vec<RoadmapItem>, ImportError> {
    let mut items = plan_rows(text)?;
    let lines = section(text, "Initiatives");
    let mut i = 0;
    while i < lines.len() {
        let (n, line) = lines[i];
        i += 1;
        let Some(heading) = line.strip_prefix("### ") else {
            continue;
        };
        let (_, key) = title_and_key(heading, &format!("line {n}"))?;
        let start = i;
        while i < lines.len() && !lines[i].1.starts_with("### ") {
            i += 1;
        }
        let body: Vec<(usize, &str)> = lines[start..i].to_vec();
        let item = items.iter_mut().find(|r| r.key == key).ok_or_else(|| {
            ImportError::new(
                format!("line {n}"),
                format!("`{key}` has details but no row in the plan table"),
            )
        })?;
        // The details list is the last paragraph when all its lines are details.
        let mut end = body.len();
        while end > 0 && body[end - 1].1.trim().is_empty() {
            end -= 1;
        }
        let mut list_start = end;
        while list_start > 0 && !body[list_start - 1].1.trim().is_empty() {
            list_start -= 1;
        }
        let has_list = list_start < end && body[list_start..end].iter().all(|(_, l)| is_detail(l));
        let desc_end = if has_list { list_start } else { end };
        item.description = body[..desc_end]
            .iter()
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        if has_list {
            for (ln, l) in &body[list_start..end] {
                if let Some(r) = l.strip_prefix("- Repositories: ") {
                    item.repositories = code_list(r);
                } else if let Some(m) = milestone(l, *ln)? {
                    item.milestones.push(m);
                }
            }
        }
    }
    Ok(items)
}
