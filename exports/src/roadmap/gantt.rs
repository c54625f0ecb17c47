//! Mermaid gantt diagrams of the roadmap.
//!
//! A task that starts when its prerequisites finish is written
//! `after a b`, so the dependency shows and Mermaid keeps it when the plan
//! changes. GitHub renders a Mermaid block only up to 50,000 characters and
//! 500 edges, so a large plan is cut, in plan order, into several diagrams
//! that each stay within both limits; a task whose prerequisites are in an
//! earlier diagram (or that waits for its own date) gets its computed date.

use std::collections::HashSet;

use plasma_models::roadmap::{InitiativeStatus, Quarter};

use super::RoadmapView;

/// Rendering limits of one diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GanttLimits {
    pub max_chars: usize,
    /// `after` references (one per prerequisite named).
    pub max_edges: usize,
}

/// GitHub's limits for one Mermaid diagram.
pub const GITHUB_LIMITS: GanttLimits = GanttLimits {
    max_chars: 50_000,
    max_edges: 500,
};

/// A Mermaid task id for an initiative key (keys are `[a-z0-9-]`).
pub fn task_id(key: &str) -> String {
    format!("i_{}", key.replace('-', "_"))
}

/// A task or section title Mermaid will not misread: no `:` (the field
/// separator), `;` or `#` (comment and entity starts), one line.
fn title(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(':', " -")
        .replace(';', ",")
        .replace('#', "No.")
}

fn header(view: &RoadmapView, part: usize, parts_hint: bool) -> String {
    let suffix = if parts_hint {
        format!(" (part {part})")
    } else {
        String::new()
    };
    format!(
        "gantt\n    title {}{suffix}\n    dateFormat YYYY-MM-DD\n    axisFormat %Y-%m-%d\n",
        title(&view.title)
    )
}

/// The roadmap as one or more Mermaid gantt diagrams (without code fences),
/// each within `limits`. Sections are the quarters tasks start in.
pub fn gantt(view: &RoadmapView, limits: GanttLimits) -> Vec<String> {
    let dates = view.dates();
    // Render each task line twice (with `after` and with a date) lazily:
    // which one depends on what the current diagram already holds.
    let mut diagrams: Vec<String> = Vec::new();
    let mut body = String::new();
    let mut edges = 0usize;
    let mut in_diagram: HashSet<&str> = HashSet::new();
    let mut section: Option<String> = None;
    let head_len = header(view, 99, true).len();

    for (idx, it) in view.initiatives.iter().enumerate() {
        let (start, _) = dates[idx];
        let duration = view.plan.item(&it.key).map_or(0, |i| i.duration);
        let critical = view.plan.item(&it.key).is_some_and(|i| i.critical);
        let mut tags = Vec::new();
        if critical {
            tags.push("crit");
        }
        match it.status {
            InitiativeStatus::Done => tags.push("done"),
            InitiativeStatus::InProgress => tags.push("active"),
            _ => {}
        }
        let tag_text: String = tags.iter().map(|t| format!("{t}, ")).collect();
        let deps_finish = it
            .depends_on
            .iter()
            .filter_map(|d| view.initiatives[..idx].iter().position(|i| &i.key == d))
            .map(|p| dates[p].1)
            .max();
        // The timeline is by quarter: the quarter the item starts in.
        let sec = Quarter::of(start).to_string();

        // Try the task in the current diagram; start a new one when it
        // would not fit.
        loop {
            let all_here = !it.depends_on.is_empty()
                && it
                    .depends_on
                    .iter()
                    .all(|d| in_diagram.contains(d.as_str()));
            let use_after = all_here && deps_finish == Some(start);
            let when = if use_after {
                format!(
                    "after {}",
                    it.depends_on
                        .iter()
                        .map(|d| task_id(d))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                start.format("%Y-%m-%d").to_string()
            };
            let mut lines = String::new();
            if section.as_deref() != Some(sec.as_str()) {
                lines.push_str(&format!("    section {}\n", title(&sec)));
            }
            lines.push_str(&format!(
                "    {} ({}) :{tag_text}{}, {when}, {duration}d\n",
                title(&it.title),
                it.key,
                task_id(&it.key)
            ));
            let new_edges = if use_after { it.depends_on.len() } else { 0 };
            let fits = head_len + body.len() + lines.len() <= limits.max_chars
                && edges + new_edges <= limits.max_edges;
            if fits || body.is_empty() {
                body.push_str(&lines);
                edges += new_edges;
                in_diagram.insert(it.key.as_str());
                section = Some(sec.clone());
                break;
            }
            diagrams.push(std::mem::take(&mut body));
            edges = 0;
            in_diagram.clear();
            section = None;
        }
    }
    if !body.is_empty() || diagrams.is_empty() {
        diagrams.push(body);
    }
    let several = diagrams.len() > 1;
    diagrams
        .into_iter()
        .enumerate()
        .map(|(i, b)| format!("{}{b}", header(view, i + 1, several)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_mermaid_separators() {
        assert_eq!(title("CI: lint; test #3\nnow"), "CI - lint, test No.3 now");
        assert_eq!(task_id("ci-workflows"), "i_ci_workflows");
    }
}
