//! The roadmap out: Markdown (with the timeline; read back by
//! `markdown_import`), Mermaid gantt diagrams
//! that each stay within GitHub's rendering limits, and CSV.
//!
//! Every format takes a [`RoadmapView`]: the initiatives, their checked
//! [`Plan`] and [`Readiness`], and the day the plan starts (so output is a
//! pure function of its input).

pub mod csv;
pub mod gantt;
pub mod markdown;
pub mod markdown_import;

use chrono::{Days, NaiveDate};
use plasma_models::roadmap::{Initiative, Plan, Readiness, RoadmapError};

pub use gantt::{gantt, GanttLimits, GITHUB_LIMITS};

/// Everything a roadmap export shows.
#[derive(Debug, Clone)]
pub struct RoadmapView {
    pub title: String,
    /// In the plan's order.
    pub initiatives: Vec<Initiative>,
    pub plan: Plan,
    /// One per initiative, in the plan's order.
    pub readiness: Vec<Readiness>,
    /// Day 0 of the schedule.
    pub start: NaiveDate,
}

impl RoadmapView {
    /// Builds the plan (refusing cycles) and orders everything by it.
    pub fn new(
        title: impl Into<String>,
        initiatives: &[Initiative],
        readiness: impl Fn(&Initiative) -> Readiness,
        start: NaiveDate,
    ) -> Result<RoadmapView, RoadmapError> {
        let plan = Plan::build(initiatives)?;
        let ordered: Vec<Initiative> = plan
            .order
            .iter()
            .filter_map(|k| initiatives.iter().find(|i| &i.key == k).cloned())
            .collect();
        let readiness = ordered.iter().map(readiness).collect();
        Ok(RoadmapView {
            title: title.into(),
            initiatives: ordered,
            plan,
            readiness,
            start,
        })
    }

    pub fn initiative(&self, key: &str) -> Option<&Initiative> {
        self.initiatives.iter().find(|i| i.key == key)
    }

    /// Calendar dates `(start, finish)` of every initiative, in plan order:
    /// an item starts when its last prerequisite finishes, never before
    /// day 0, its own start date or the first day of its target quarter.
    pub fn dates(&self) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(self.initiatives.len());
        for (idx, it) in self.initiatives.iter().enumerate() {
            let after_deps = it
                .depends_on
                .iter()
                .filter_map(|d| self.initiatives[..idx].iter().position(|i| &i.key == d))
                .map(|p| out[p].1)
                .max();
            let own = it
                .start
                .or_else(|| it.quarter().ok().flatten().map(|q| q.first_day()));
            let start = [Some(self.start), after_deps, own]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(self.start);
            let days = self.plan.item(&it.key).map_or(0, |i| i.duration);
            let finish = start
                .checked_add_days(Days::new(u64::from(days)))
                .unwrap_or(start);
            out.push((start, finish));
        }
        out
    }

    pub fn readiness_of(&self, key: &str) -> Option<&Readiness> {
        self.readiness.iter().find(|r| r.key == key)
    }
}
