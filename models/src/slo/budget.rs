//! Error-budget arithmetic and multiwindow, multi-burn-rate alerts (Google
//! SRE workbook, "Alerting on SLOs", approach 6).
//!
//! - budget fraction = 1 − objective (99.9 % → 0.001);
//! - budget in minutes = window minutes × fraction (30 days at 99.9 % →
//!   43.2 minutes);
//! - budget in events = expected events × fraction;
//! - burn rate = how many times faster than "exactly spend the budget by the
//!   end of the window" errors arrive; an alert fires when the error rate
//!   over both its long and its short window exceeds burn rate × fraction;
//! - budget consumed when an alert fires = burn rate × long window ÷ SLO
//!   window (14.4 × 1 h ÷ 30 d = 2 %).

use serde::{Deserialize, Serialize};
use specta::Type;

use super::model::{Slo, WindowLength, WindowUnit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    Page,
    Ticket,
}

/// The four alert windows the program uses (SRE workbook table 5-8).
pub const BURN_RATE_WINDOWS: [(AlertSeverity, f64, WindowLength, WindowLength); 4] = [
    (AlertSeverity::Page, 14.4, hours(1), minutes(5)),
    (AlertSeverity::Page, 6.0, hours(6), minutes(30)),
    (AlertSeverity::Ticket, 3.0, days(1), hours(2)),
    (AlertSeverity::Ticket, 1.0, days(3), hours(6)),
];

const fn minutes(count: u32) -> WindowLength {
    WindowLength {
        count,
        unit: WindowUnit::Minute,
    }
}
const fn hours(count: u32) -> WindowLength {
    WindowLength {
        count,
        unit: WindowUnit::Hour,
    }
}
const fn days(count: u32) -> WindowLength {
    WindowLength {
        count,
        unit: WindowUnit::Day,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct BurnRateAlert {
    pub severity: AlertSeverity,
    pub burn_rate: f64,
    /// `1h`, `6h`, `1d`, `3d`.
    pub long_window: String,
    /// `5m`, `30m`, `2h`, `6h`.
    pub short_window: String,
    /// The error ratio both windows must exceed: burn rate × budget fraction.
    pub error_ratio_threshold: f64,
    /// Share of the window's budget spent by the time the long window fires.
    pub budget_consumed_percent: f64,
    /// Hours until the whole budget is gone at this burn rate.
    pub hours_to_exhaustion: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ErrorBudget {
    pub objective: f64,
    /// 1 − objective, as a fraction (0.001 for 99.9 %).
    pub budget_fraction: f64,
    pub window_minutes: f64,
    pub budget_minutes: f64,
    /// `None` when the SLO has no expected event count.
    pub budget_events: Option<f64>,
    pub alerts: Vec<BurnRateAlert>,
}

/// The budget fraction for an objective in percent, rounded to 11 decimal
/// places so 99.9 gives exactly 0.001 rather than 0.000999999999999943.
pub fn budget_fraction(objective_percent: f64) -> f64 {
    (((100.0 - objective_percent) * 1e9).round() / 1e11).max(0.0)
}

/// Error budget and alert thresholds for an objective (percent) over a
/// window, with an optional expected event count.
pub fn error_budget(
    objective_percent: f64,
    window: WindowLength,
    expected_events: Option<u64>,
) -> ErrorBudget {
    let fraction = budget_fraction(objective_percent);
    let window_minutes = window.minutes() as f64;
    let alerts = BURN_RATE_WINDOWS
        .iter()
        .map(|&(severity, burn_rate, long, short)| BurnRateAlert {
            severity,
            burn_rate,
            long_window: long.to_string(),
            short_window: short.to_string(),
            error_ratio_threshold: round12(burn_rate * fraction),
            budget_consumed_percent: round12(
                burn_rate * long.minutes() as f64 / window_minutes * 100.0,
            ),
            hours_to_exhaustion: round12(window_minutes / 60.0 / burn_rate),
        })
        .collect();
    ErrorBudget {
        objective: objective_percent,
        budget_fraction: fraction,
        window_minutes,
        budget_minutes: round12(window_minutes * fraction),
        budget_events: expected_events.map(|n| round12(n as f64 * fraction)),
        alerts,
    }
}

impl Slo {
    pub fn error_budget(&self) -> ErrorBudget {
        error_budget(self.objective, self.window.length, self.expected_events)
    }
}

/// Rounds away binary noise (43.20000000000004 → 43.2).
fn round12(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> WindowLength {
        s.parse().unwrap()
    }

    #[test]
    fn three_nines_over_thirty_days_is_43_2_minutes() {
        let b = error_budget(99.9, w("30d"), Some(10_000_000));
        assert_eq!(b.budget_fraction, 0.001);
        assert_eq!(b.window_minutes, 43_200.0);
        assert_eq!(b.budget_minutes, 43.2);
        assert_eq!(b.budget_events, Some(10_000.0));
    }

    #[test]
    fn other_worked_examples() {
        // 99 % over 28 days: 1 % of 40,320 minutes.
        assert_eq!(error_budget(99.0, w("28d"), None).budget_minutes, 403.2);
        // 99.95 % over 7 days: 0.05 % of 10,080 minutes.
        assert_eq!(error_budget(99.95, w("1w"), None).budget_minutes, 5.04);
        // 99.99 % over 30 days: 4.32 minutes; 1,000,000 events → 100.
        let b = error_budget(99.99, w("30d"), Some(1_000_000));
        assert_eq!(b.budget_minutes, 4.32);
        assert_eq!(b.budget_events, Some(100.0));
    }

    #[test]
    fn burn_rate_alerts_follow_the_workbook_table() {
        let b = error_budget(99.9, w("30d"), None);
        let rows: Vec<(AlertSeverity, f64, &str, &str, f64, f64)> = b
            .alerts
            .iter()
            .map(|a| {
                (
                    a.severity,
                    a.burn_rate,
                    a.long_window.as_str(),
                    a.short_window.as_str(),
                    a.error_ratio_threshold,
                    a.budget_consumed_percent,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (AlertSeverity::Page, 14.4, "1h", "5m", 0.0144, 2.0),
                (AlertSeverity::Page, 6.0, "6h", "30m", 0.006, 5.0),
                (AlertSeverity::Ticket, 3.0, "1d", "2h", 0.003, 10.0),
                (AlertSeverity::Ticket, 1.0, "3d", "6h", 0.001, 10.0),
            ]
        );
        // At 14.4x the 30-day budget lasts 50 hours.
        assert_eq!(b.alerts[0].hours_to_exhaustion, 50.0);
    }
}
