//! Service level objectives: the SLI, the objective, the window, alerting
//! and the error-budget policy.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum SloError {
    #[error("SLO \"{slo}\": {field}: {reason}")]
    Invalid {
        slo: String,
        field: &'static str,
        reason: String,
    },
    #[error("\"{0}\" is not a window (expected a count and a unit: 5m, 1h, 30d, 2w, 1M, 1Q, 1Y)")]
    BadDuration(String),
}

/// Which events the ratio's numerator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RatioCounter {
    Good,
    Bad,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdOp {
    Lt,
    Lte,
    Gt,
    Gte,
}

impl ThresholdOp {
    pub fn label(self) -> &'static str {
        match self {
            ThresholdOp::Lt => "lt",
            ThresholdOp::Lte => "lte",
            ThresholdOp::Gt => "gt",
            ThresholdOp::Gte => "gte",
        }
    }
}

impl FromStr for ThresholdOp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "lt" | "<" => Ok(ThresholdOp::Lt),
            "lte" | "<=" => Ok(ThresholdOp::Lte),
            "gt" | ">" => Ok(ThresholdOp::Gt),
            "gte" | ">=" => Ok(ThresholdOp::Gte),
            other => Err(format!("unknown operator \"{other}\" (lt, lte, gt, gte)")),
        }
    }
}

/// The service level indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Sli {
    /// Good (or bad) events over total events.
    Ratio {
        counter: RatioCounter,
        /// Counts the good events, or the bad ones (`counter`).
        numerator_query: String,
        total_query: String,
        /// The metric source type ("prometheus").
        source: String,
    },
    /// A query that gives the error ratio itself, bad over total between 0
    /// and 1 (Sloth's `raw` SLI, OpenSLO's `ratioMetric.raw` with
    /// `rawType: failure`), often a recording rule.
    ErrorRatio { query: String, source: String },
    /// A value compared with a threshold (`latency < 500`).
    Threshold {
        query: String,
        op: ThresholdOp,
        value: f64,
        source: String,
    },
    /// An SLI a Sloth SLI plugin generates from its options (`sli.plugin`):
    /// the plugin's id and options, kept as written.
    Plugin {
        id: String,
        #[serde(default)]
        options: BTreeMap<String, String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum WindowUnit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl WindowUnit {
    /// The OpenSLO duration shorthand letter.
    pub fn letter(self) -> char {
        match self {
            WindowUnit::Minute => 'm',
            WindowUnit::Hour => 'h',
            WindowUnit::Day => 'd',
            WindowUnit::Week => 'w',
            WindowUnit::Month => 'M',
            WindowUnit::Quarter => 'Q',
            WindowUnit::Year => 'Y',
        }
    }

    /// Nominal length in minutes. Calendar months, quarters and years vary;
    /// budgets use 30, 90 and 365 days, the conventional figures.
    pub fn minutes(self) -> u64 {
        match self {
            WindowUnit::Minute => 1,
            WindowUnit::Hour => 60,
            WindowUnit::Day => 1_440,
            WindowUnit::Week => 10_080,
            WindowUnit::Month => 30 * 1_440,
            WindowUnit::Quarter => 90 * 1_440,
            WindowUnit::Year => 365 * 1_440,
        }
    }
}

/// A length of time written the OpenSLO way: `30d`, `4w`, `1M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct WindowLength {
    pub count: u32,
    pub unit: WindowUnit,
}

impl WindowLength {
    pub fn minutes(self) -> u64 {
        u64::from(self.count) * self.unit.minutes()
    }
}

impl fmt::Display for WindowLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.letter())
    }
}

impl FromStr for WindowLength {
    type Err = SloError;
    fn from_str(s: &str) -> Result<WindowLength, SloError> {
        let t = s.trim();
        let bad = || SloError::BadDuration(s.to_string());
        let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (digits, unit) = t.split_at(split);
        let count: u32 = digits.parse().map_err(|_| bad())?;
        let unit = match unit {
            "m" | "min" => WindowUnit::Minute,
            "h" => WindowUnit::Hour,
            "d" => WindowUnit::Day,
            "w" => WindowUnit::Week,
            "M" => WindowUnit::Month,
            "Q" => WindowUnit::Quarter,
            "Y" | "y" => WindowUnit::Year,
            _ => return Err(bad()),
        };
        if count == 0 {
            return Err(bad());
        }
        Ok(WindowLength { count, unit })
    }
}

/// The compliance window: rolling (the last 30 days) or calendar (this
/// month, starting at `calendar_start`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SloWindow {
    pub length: WindowLength,
    pub rolling: bool,
    /// For calendar windows: when the first window starts,
    /// `2026-01-01 00:00:00`.
    #[serde(default)]
    pub calendar_start: Option<String>,
    /// IANA time zone of a calendar window ("UTC").
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl SloWindow {
    pub fn rolling(length: WindowLength) -> SloWindow {
        SloWindow {
            length,
            rolling: true,
            calendar_start: None,
            time_zone: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum BudgetingMethod {
    Occurrences,
    Timeslices,
    RatioTimeslices,
}

/// One multiwindow burn-rate alert's routing; the thresholds come from
/// [`super::budget`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AlertRoute {
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// This alert's own annotations (Sloth's per-alert `annotations`).
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Alerting {
    /// The alert name ("GatewayHighErrorRate").
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub page: AlertRoute,
    #[serde(default)]
    pub ticket: AlertRoute,
}

/// One step of the error-budget policy: what the team does once that much
/// of the budget is spent within the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PolicyStep {
    /// Percent of the budget consumed, 1 to 100 (100 = exhausted).
    pub consumed_percent: f64,
    pub action: String,
}

/// The program's default policy, after the Google SRE workbook's example
/// error budget policy.
pub fn default_policy() -> Vec<PolicyStep> {
    vec![
        PolicyStep {
            consumed_percent: 50.0,
            action: "Review reliability at the weekly operations meeting; prioritise open \
                     postmortem actions."
                .into(),
        },
        PolicyStep {
            consumed_percent: 75.0,
            action: "Only low-risk changes; the on-call engineer works on reliability items."
                .into(),
        },
        PolicyStep {
            consumed_percent: 100.0,
            action: "Freeze feature releases except P0 fixes and security patches until the \
                     service is back within its objective."
                .into(),
        },
    ]
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Slo {
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// The service, a DNS label ("plasma-engine-gateway").
    pub service: String,
    /// Unique per service, a DNS label ("requests-availability").
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    pub sli: Sli,
    /// Percent of good events (or time slices), e.g. 99.9.
    pub objective: f64,
    pub window: SloWindow,
    pub budgeting_method: BudgetingMethod,
    /// For time-slice budgeting: the slice length (`1m`) and the share of a
    /// slice that must be good (0..1).
    #[serde(default)]
    pub timeslice_window: Option<String>,
    #[serde(default)]
    pub timeslice_target: Option<f64>,
    /// Events expected per window, for the error budget in events.
    /// (A JavaScript number in the app: exact up to 2^53 events.)
    #[serde(default)]
    #[specta(type = Option<f64>)]
    pub expected_events: Option<u64>,
    #[serde(default)]
    pub alerting: Alerting,
    #[serde(default)]
    pub policy: Vec<PolicyStep>,
    /// Labels for every generated rule ("owner", "tier").
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// Kubernetes/OpenSLO object names: RFC 1123 labels.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

impl Slo {
    /// A new ratio SLO over a rolling 30-day window with the default policy.
    pub fn new(
        workspace_id: Uuid,
        service: impl Into<String>,
        name: impl Into<String>,
        sli: Sli,
        objective: f64,
    ) -> Slo {
        Slo {
            id: Uuid::new_v4(),
            workspace_id,
            service: service.into(),
            name: name.into(),
            display_name: String::new(),
            description: String::new(),
            sli,
            objective,
            window: SloWindow::rolling(WindowLength {
                count: 30,
                unit: WindowUnit::Day,
            }),
            budgeting_method: BudgetingMethod::Occurrences,
            timeslice_window: None,
            timeslice_target: None,
            expected_events: None,
            alerting: Alerting::default(),
            policy: default_policy(),
            labels: BTreeMap::new(),
        }
    }

    /// `service/name`, how lists and messages name an SLO.
    pub fn handle(&self) -> String {
        format!("{}/{}", self.service, self.name)
    }

    fn invalid(&self, field: &'static str, reason: impl Into<String>) -> SloError {
        SloError::Invalid {
            slo: self.handle(),
            field,
            reason: reason.into(),
        }
    }

    pub fn validate(&self) -> Result<(), SloError> {
        const DNS: &str = "use 1 to 63 lower-case letters, digits and inner hyphens";
        if !is_dns_label(&self.service) {
            return Err(self.invalid("service", DNS));
        }
        if !is_dns_label(&self.name) {
            return Err(self.invalid("name", DNS));
        }
        if !(self.objective > 0.0 && self.objective < 100.0) {
            return Err(self.invalid(
                "objective",
                format!(
                    "{} is not a percentage above 0 and below 100 (100 leaves no error budget)",
                    self.objective
                ),
            ));
        }
        match &self.sli {
            Sli::Ratio {
                numerator_query,
                total_query,
                ..
            } => {
                if numerator_query.trim().is_empty() || total_query.trim().is_empty() {
                    return Err(self.invalid("sli", "a ratio needs both of its queries"));
                }
            }
            Sli::ErrorRatio { query, .. } => {
                if query.trim().is_empty() {
                    return Err(self.invalid("sli", "an error-ratio SLI needs its query"));
                }
            }
            Sli::Threshold { query, value, .. } => {
                if query.trim().is_empty() {
                    return Err(self.invalid("sli", "a threshold SLI needs a query"));
                }
                if !value.is_finite() {
                    return Err(self.invalid("sli", "the threshold must be a number"));
                }
            }
            Sli::Plugin { id, .. } => {
                if id.trim().is_empty() {
                    return Err(self.invalid("sli", "a plugin SLI needs the plugin's id"));
                }
            }
        }
        if let Some(t) = self.timeslice_target {
            if !(t > 0.0 && t <= 1.0) {
                return Err(self.invalid("timeslice_target", "must be above 0 and at most 1"));
            }
        }
        if let Some(w) = &self.timeslice_window {
            w.parse::<WindowLength>()
                .map_err(|e| self.invalid("timeslice_window", e.to_string()))?;
        }
        let mut last = 0.0;
        for step in &self.policy {
            if !(step.consumed_percent > 0.0 && step.consumed_percent <= 100.0) {
                return Err(self.invalid(
                    "policy",
                    format!("{}% is not between 0 and 100", step.consumed_percent),
                ));
            }
            if step.consumed_percent <= last {
                return Err(self.invalid("policy", "steps must rise in consumed percent"));
            }
            if step.action.trim().is_empty() {
                return Err(self.invalid("policy", "every step needs an action"));
            }
            last = step.consumed_percent;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio() -> Sli {
        Sli::Ratio {
            counter: RatioCounter::Bad,
            numerator_query: "errors".into(),
            total_query: "total".into(),
            source: "prometheus".into(),
        }
    }

    #[test]
    fn window_lengths_parse_and_print_the_openslo_shorthand() {
        for text in ["5m", "1h", "30d", "2w", "1M", "1Q", "1Y"] {
            let w: WindowLength = text.parse().unwrap();
            assert_eq!(w.to_string(), text);
        }
        assert_eq!("28d".parse::<WindowLength>().unwrap().minutes(), 40_320);
        assert!("0d".parse::<WindowLength>().is_err());
        assert!("d".parse::<WindowLength>().is_err());
        assert!("3 days".parse::<WindowLength>().is_err());
    }

    #[test]
    fn validation_refuses_bad_names_objectives_and_policies() {
        let ws = Uuid::nil();
        let mut s = Slo::new(ws, "gateway", "availability", ratio(), 99.9);
        assert!(s.validate().is_ok());
        s.objective = 100.0;
        let e = s.validate().unwrap_err().to_string();
        assert!(
            e.starts_with("SLO \"gateway/availability\": objective"),
            "{e}"
        );
        s.objective = 99.0;
        s.name = "Availability".into();
        assert!(s.validate().unwrap_err().to_string().contains("name"));
        s.name = "availability".into();
        s.policy.swap(0, 2);
        assert!(s.validate().unwrap_err().to_string().contains("rise"));
        s.policy.swap(0, 2);
        s.sli = Sli::ErrorRatio {
            query: "slo:error_ratio:rate5m".into(),
            source: "prometheus".into(),
        };
        assert!(s.validate().is_ok());
        s.sli = Sli::ErrorRatio {
            query: " ".into(),
            source: "prometheus".into(),
        };
        assert!(s.validate().unwrap_err().to_string().contains("query"));
    }
}
