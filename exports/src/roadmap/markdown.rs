//! The roadmap as GitHub-flavoured Markdown: summary, timeline (Mermaid),
//! the plan table in dependency order, readiness per initiative, details.
//!
//! ADRs are linked as `adr/NNNN-slug.md`, the names `plasma adr export`
//! writes, so the roadmap works when exported next to the `adr` folder.

use plasma_models::roadmap::GateLink;
use plasma_models::slug::file_slug;

use super::gantt::{gantt, GanttLimits};
use super::RoadmapView;
use crate::threat::report::md;

fn gate_link(l: &GateLink) -> String {
    let mark = if l.ok { "✓" } else { "✗" };
    let name = match (l.kind.as_str(), &l.title) {
        ("adr", Some(t)) => {
            let n: u32 = l.reference.parse().unwrap_or(0);
            format!("[ADR {n}: {}](adr/{n:04}-{}.md)", md(t), file_slug(t))
        }
        ("adr", None) => format!("ADR {}", md(&l.reference)),
        ("threat_model", _) => format!("threat model {}", md(&l.reference)),
        (_, Some(t)) => format!("control {} ({})", md(&l.reference), md(t)),
        (_, None) => format!("control {}", md(&l.reference)),
    };
    match &l.problem {
        Some(p) => format!("{mark} {name} — {}", md(p)),
        None => format!("{mark} {name}"),
    }
}

pub fn roadmap_markdown(view: &RoadmapView, limits: GanttLimits) -> String {
    let dates = view.dates();
    let mut out = format!("# {}\n\n", md(&view.title));
    let unready = view.readiness.iter().filter(|r| !r.ready()).count();
    let finish = dates.iter().map(|d| d.1).max().unwrap_or(view.start);
    out.push_str(&format!(
        "{} initiatives from {} to {}; {} with unmet gates.\n\n",
        view.initiatives.len(),
        view.start,
        finish,
        unready
    ));
    if !view.plan.critical_path.is_empty() {
        out.push_str(&format!(
            "Critical path by estimates ({} days): {}.\n\n",
            view.plan.duration,
            view.plan
                .critical_path
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" → ")
        ));
    }

    out.push_str("## Timeline\n\n");
    for diagram in gantt(view, limits) {
        out.push_str("```mermaid\n");
        out.push_str(&diagram);
        out.push_str("```\n\n");
    }

    out.push_str("## Plan\n\nIn dependency order; days count from the plan's start.\n\n");
    out.push_str(
        "| # | Initiative | Status | Owner | Quarter | Start | Finish | Estimate | Slack | Depends on | Gates |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (idx, it) in view.initiatives.iter().enumerate() {
        let item = view.plan.item(&it.key);
        let slack = match item {
            Some(i) if i.critical => "0 (critical)".to_string(),
            Some(i) => format!("{} d", i.slack),
            None => String::new(),
        };
        let gates = match view.readiness_of(&it.key) {
            Some(r) if r.gates.is_empty() => "none needed".to_string(),
            Some(r) if r.ready() => "ready".to_string(),
            Some(r) => format!("{} unmet", r.unmet().count()),
            None => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} (`{}`) | {} | {} | {} | {} | {} | {} d | {} | {} | {} |\n",
            idx + 1,
            md(&it.title),
            it.key,
            it.status.label(),
            md(&it.owner),
            it.target_quarter.as_deref().map(md).unwrap_or_default(),
            dates[idx].0,
            dates[idx].1,
            it.estimate_days,
            slack,
            it.depends_on
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", "),
            gates
        ));
    }
    out.push('\n');

    out.push_str("## Readiness\n\n");
    let mut any = false;
    for r in &view.readiness {
        if r.gates.is_empty() {
            continue;
        }
        any = true;
        let title = view
            .initiative(&r.key)
            .map(|i| i.title.as_str())
            .unwrap_or("");
        out.push_str(&format!("### {} (`{}`)\n\n", md(title), r.key));
        for g in &r.gates {
            let state = if g.met { "met" } else { "not met" };
            out.push_str(&format!("- **{}**: {state}", g.gate.label()));
            if !g.met {
                out.push_str(&format!(" — {}", md(&g.lacking)));
            }
            out.push('\n');
            for l in &g.links {
                out.push_str(&format!("  - {}\n", gate_link(l)));
            }
        }
        out.push('\n');
    }
    if !any {
        out.push_str("No initiative needs a gate.\n\n");
    }

    out.push_str("## Initiatives\n\n");
    for it in &view.initiatives {
        out.push_str(&format!("### {} (`{}`)\n\n", md(&it.title), it.key));
        if !it.description.trim().is_empty() {
            out.push_str(&format!("{}\n\n", it.description.trim()));
        }
        let before = out.len();
        if !it.repositories.is_empty() {
            out.push_str(&format!(
                "- Repositories: {}\n",
                it.repositories
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !it.owner.is_empty() {
            out.push_str(&format!("- Owner: {}\n", md(&it.owner)));
        }
        for m in &it.milestones {
            let due = m.due.map(|d| format!(" (due {d})")).unwrap_or_default();
            let done = if m.done { "x" } else { " " };
            out.push_str(&format!("- [{done}] {}{due}\n", md(&m.title)));
        }
        if out.len() > before {
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
