//! DORA's four key metrics and a program's targets for them.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DoraMetric {
    DeploymentFrequency,
    LeadTimeForChanges,
    ChangeFailureRate,
    TimeToRestore,
}

impl DoraMetric {
    pub fn label(self) -> &'static str {
        match self {
            DoraMetric::DeploymentFrequency => "Deployment frequency",
            DoraMetric::LeadTimeForChanges => "Lead time for changes",
            DoraMetric::ChangeFailureRate => "Change failure rate",
            DoraMetric::TimeToRestore => "Time to restore service",
        }
    }
}

/// One target: "lead time to prod below 3 days".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct DoraTarget {
    pub metric: DoraMetric,
    /// "staging", "production" or "all".
    pub environment: String,
    /// "at_least" or "below".
    pub comparison: String,
    pub value: f64,
    /// "per week", "days", "hours", "percent".
    pub unit: String,
    /// The program's own wording, kept for reports.
    pub note: String,
}

impl DoraTarget {
    /// "below 3 days", "at least 1 per week".
    pub fn describe(&self) -> String {
        let cmp = if self.comparison == "at_least" {
            "at least"
        } else {
            "below"
        };
        let value = if self.value.fract() == 0.0 {
            format!("{}", self.value as i64)
        } else {
            format!("{}", self.value)
        };
        let sep = if self.unit == "percent" { "" } else { " " };
        let unit = if self.unit == "percent" {
            "%"
        } else {
            self.unit.as_str()
        };
        format!("{cmp} {value}{sep}{unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_describe_themselves() {
        let t = DoraTarget {
            metric: DoraMetric::ChangeFailureRate,
            environment: "all".into(),
            comparison: "below".into(),
            value: 15.0,
            unit: "percent".into(),
            note: String::new(),
        };
        assert_eq!(t.describe(), "below 15%");
        let t = DoraTarget {
            metric: DoraMetric::DeploymentFrequency,
            environment: "production".into(),
            comparison: "at_least".into(),
            value: 0.5,
            unit: "per week".into(),
            note: String::new(),
        };
        assert_eq!(t.describe(), "at least 0.5 per week");
    }
}
