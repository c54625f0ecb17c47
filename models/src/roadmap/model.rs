//! Initiatives: the unit of the roadmap.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;
use uuid::Uuid;

/// Everything the roadmap refuses, with enough detail to act on.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RoadmapError {
    #[error("initiative \"{key}\": {field}: {reason}")]
    Invalid {
        key: String,
        field: &'static str,
        reason: String,
    },
    #[error("two initiatives have the key \"{0}\"; keys must be unique")]
    DuplicateKey(String),
    #[error("initiative \"{from}\" depends on \"{to}\", which does not exist")]
    UnknownDependency { from: String, to: String },
    #[error("the dependencies form a cycle: {}", .path.join(" → "))]
    Cycle {
        /// The keys along the cycle, the first repeated at the end:
        /// `a → b → c → a` means a depends on b, b on c, c on a.
        path: Vec<String>,
    },
    #[error("initiative \"{0}\" was not found")]
    UnknownInitiative(String),
}

/// Where an initiative stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    Proposed,
    Planned,
    InProgress,
    Done,
    Cancelled,
}

impl InitiativeStatus {
    pub const ALL: [InitiativeStatus; 5] = [
        InitiativeStatus::Proposed,
        InitiativeStatus::Planned,
        InitiativeStatus::InProgress,
        InitiativeStatus::Done,
        InitiativeStatus::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            InitiativeStatus::Proposed => "proposed",
            InitiativeStatus::Planned => "planned",
            InitiativeStatus::InProgress => "in_progress",
            InitiativeStatus::Done => "done",
            InitiativeStatus::Cancelled => "cancelled",
        }
    }
}

impl FromStr for InitiativeStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        InitiativeStatus::ALL
            .into_iter()
            .find(|st| st.label() == norm)
            .ok_or_else(|| {
                format!(
                    "unknown status \"{s}\" (expected one of {})",
                    InitiativeStatus::ALL.map(|s| s.label()).join(", ")
                )
            })
    }
}

/// A calendar quarter, written `2026-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub quarter: u8,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            quarter: (date.month0() / 3 + 1) as u8,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        let month = u32::from(self.quarter - 1) * 3 + 1;
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.quarter == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, u32::from(self.quarter) * 3 + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

impl FromStr for Quarter {
    type Err = String;
    /// Accepts `2026-Q1`, `2026Q1` and `Q1 2026` (any case).
    fn from_str(s: &str) -> Result<Quarter, String> {
        let t = s.trim().to_ascii_uppercase().replace(' ', "-");
        let bad = || format!("\"{s}\" is not a quarter (expected e.g. 2026-Q1)");
        let (year, q) = if let Some(rest) = t.strip_prefix('Q') {
            let (q, year) = rest.split_once('-').ok_or_else(bad)?;
            (year.to_string(), q.to_string())
        } else {
            let (year, q) = t.split_once('Q').ok_or_else(bad)?;
            (year.trim_end_matches('-').to_string(), q.to_string())
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let quarter: u8 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&quarter) || !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, quarter })
    }
}

/// A dated checkpoint inside an initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Milestone {
    pub title: String,
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

/// One roadmap item, possibly spanning several repositories.
///
/// Dependencies and gate references are by stable handle (the initiative
/// `key`, ADR numbers, threat-model names, control ids) so they survive
/// export and re-import and read well on the command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Initiative {
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// Short handle, unique in the workspace: lower-case letters, digits, `-`.
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub owner: String,
    pub status: InitiativeStatus,
    /// `2026-Q1`; used for the timeline when no dates are set.
    #[serde(default)]
    pub target_quarter: Option<String>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Effort in calendar days; the duration the schedule uses.
    pub estimate_days: u32,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Keys of the initiatives that must finish before this one starts.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// The initiative introduces a new data flow: needs a threat model
    /// reviewed in a session.
    #[serde(default)]
    pub new_data_flow: bool,
    /// The initiative changes the architecture: needs an accepted ADR.
    #[serde(default)]
    pub architecture_change: bool,
    /// The initiative touches regulated data: needs its mapped controls.
    #[serde(default)]
    pub regulated_data: bool,
    /// Names (or ids) of the threat models that cover it.
    #[serde(default)]
    pub threat_models: Vec<String>,
    /// Numbers of the ADRs that decide it.
    #[serde(default)]
    pub adrs: Vec<u32>,
    /// Ids of the compliance controls it must satisfy ("SOC2-CC6.1").
    #[serde(default)]
    pub controls: Vec<String>,
}

/// `true` when `key` is a valid initiative key.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !key.starts_with('-')
        && !key.ends_with('-')
}

impl Initiative {
    pub fn new(workspace_id: Uuid, key: impl Into<String>, title: impl Into<String>) -> Self {
        Initiative {
            id: Uuid::new_v4(),
            workspace_id,
            key: key.into(),
            title: title.into(),
            description: String::new(),
            repositories: Vec::new(),
            owner: String::new(),
            status: InitiativeStatus::Proposed,
            target_quarter: None,
            start: None,
            end: None,
            estimate_days: 5,
            milestones: Vec::new(),
            depends_on: Vec::new(),
            new_data_flow: false,
            architecture_change: false,
            regulated_data: false,
            threat_models: Vec::new(),
            adrs: Vec::new(),
            controls: Vec::new(),
        }
    }

    /// The target quarter, parsed; `None` when unset.
    pub fn quarter(&self) -> Result<Option<Quarter>, RoadmapError> {
        self.target_quarter
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(|q| {
                q.parse::<Quarter>()
                    .map_err(|r| self.invalid("target_quarter", r))
            })
            .transpose()
    }

    fn invalid(&self, field: &'static str, reason: impl Into<String>) -> RoadmapError {
        RoadmapError::Invalid {
            key: self.key.clone(),
            field,
            reason: reason.into(),
        }
    }

    /// Checks one initiative on its own (the plan checks references).
    pub fn validate(&self) -> Result<(), RoadmapError> {
        if !is_valid_key(&self.key) {
            return Err(self.invalid(
                "key",
                "use 1 to 64 lower-case letters, digits and inner hyphens",
            ));
        }
        if self.title.trim().is_empty() {
            return Err(self.invalid("title", "must not be empty"));
        }
        if self.title.chars().count() > 200 {
            return Err(self.invalid("title", "at most 200 characters"));
        }
        self.quarter()?;
        if let (Some(s), Some(e)) = (self.start, self.end) {
            if e < s {
                return Err(self.invalid("end", format!("{e} is before the start {s}")));
            }
        }
        if self.estimate_days > 3650 {
            return Err(self.invalid("estimate_days", "at most 3650 days (ten years)"));
        }
        if self.depends_on.iter().any(|d| d == &self.key) {
            return Err(RoadmapError::Cycle {
                path: vec![self.key.clone(), self.key.clone()],
            });
        }
        for (i, d) in self.depends_on.iter().enumerate() {
            if self.depends_on[..i].contains(d) {
                return Err(self.invalid("depends_on", format!("\"{d}\" is listed twice")));
            }
        }
        if let Some(m) = self.milestones.iter().find(|m| m.title.trim().is_empty()) {
            return Err(self.invalid(
                "milestones",
                format!("a milestone (due {:?}) has no title", m.due),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_in_common_spellings_and_bound_their_days() {
        let q: Quarter = "2026-q2".parse().unwrap();
        assert_eq!(
            q,
            Quarter {
                year: 2026,
                quarter: 2
            }
        );
        assert_eq!("Q2 2026".parse::<Quarter>().unwrap(), q);
        assert_eq!("2026Q2".parse::<Quarter>().unwrap(), q);
        assert_eq!(q.to_string(), "2026-Q2");
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        assert_eq!(q.last_day(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        let q4: Quarter = "2026-Q4".parse().unwrap();
        assert_eq!(
            q4.last_day(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert!("soon".parse::<Quarter>().is_err());
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()).to_string(),
            "2026-Q3"
        );
    }

    #[test]
    fn validation_names_the_field_and_the_key() {
        let ws = Uuid::new_v4();
        let mut i = Initiative::new(ws, "ci", "Reusable CI");
        assert!(i.validate().is_ok());
        i.key = "Bad Key".into();
        assert!(i.validate().unwrap_err().to_string().contains("key"));
        i.key = "ci".into();
        i.target_quarter = Some("later".into());
        let e = i.validate().unwrap_err().to_string();
        assert!(
            e.contains("initiative \"ci\"") && e.contains("target_quarter"),
            "{e}"
        );
        i.target_quarter = None;
        i.start = NaiveDate::from_ymd_opt(2026, 3, 1);
        i.end = NaiveDate::from_ymd_opt(2026, 2, 1);
        assert!(i
            .validate()
            .unwrap_err()
            .to_string()
            .contains("before the start"));
        i.end = None;
        i.depends_on = vec!["ci".into()];
        assert_eq!(
            i.validate().unwrap_err(),
            RoadmapError::Cycle {
                path: vec!["ci".into(), "ci".into()]
            }
        );
    }

    #[test]
    fn statuses_parse_from_labels() {
        assert_eq!(
            "in progress".parse::<InitiativeStatus>().unwrap(),
            InitiativeStatus::InProgress
        );
        assert!("maybe".parse::<InitiativeStatus>().is_err());
    }
}
