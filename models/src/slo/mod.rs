//! Service level objectives and their error budgets, plus the program's
//! DORA targets.
//!
//! - [`model`]: [`Slo`] (SLI, objective, window, alerting, policy).
//! - [`budget`]: error budget in minutes and events, burn-rate alerts.
//! - [`dora`]: the four key metrics and their targets.

pub mod budget;
pub mod dora;
pub mod model;

pub use budget::{
    budget_fraction, error_budget, AlertSeverity, BurnRateAlert, ErrorBudget, BURN_RATE_WINDOWS,
};
pub use dora::{DoraMetric, DoraTarget};
pub use model::{
    default_policy, is_dns_label, AlertRoute, Alerting, BudgetingMethod, PolicyStep, RatioCounter,
    Sli, Slo, SloError, SloWindow, ThresholdOp, WindowLength, WindowUnit,
};
