//! The roadmap as CSV (RFC 4180, CRLF): one row per initiative in plan
//! order, with the schedule and what each still lacks. Lists inside a cell
//! are joined with `; `.

use super::RoadmapView;
use crate::threat::report::csv_field;

pub const CSV_HEADER: &str = "key,title,status,owner,repositories,target_quarter,start,finish,\
estimate_days,depends_on,earliest_start_day,latest_start_day,slack_days,critical,gates_unmet,lacking";

pub fn roadmap_csv(view: &RoadmapView) -> String {
    let dates = view.dates();
    let mut out = format!("{CSV_HEADER}\r\n");
    for (idx, it) in view.initiatives.iter().enumerate() {
        let item = view.plan.item(&it.key);
        let readiness = view.readiness_of(&it.key);
        let unmet: Vec<&str> = readiness
            .map(|r| r.unmet().map(|g| g.gate.label()).collect())
            .unwrap_or_default();
        let lacking: Vec<String> = readiness
            .map(|r| r.unmet().map(|g| g.lacking.clone()).collect())
            .unwrap_or_default();
        let (start, finish) = dates[idx];
        let fields = [
            it.key.clone(),
            it.title.clone(),
            it.status.label().to_string(),
            it.owner.clone(),
            it.repositories.join("; "),
            it.target_quarter.clone().unwrap_or_default(),
            start.to_string(),
            finish.to_string(),
            it.estimate_days.to_string(),
            it.depends_on.join("; "),
            item.map(|i| i.earliest_start.to_string())
                .unwrap_or_default(),
            item.map(|i| i.latest_start.to_string()).unwrap_or_default(),
            item.map(|i| i.slack.to_string()).unwrap_or_default(),
            item.map(|i| i.critical.to_string()).unwrap_or_default(),
            unmet.join("; "),
            lacking.join("; "),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
