//! `plasma slo ...`: service level objectives, error budgets, interchange.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use plasma_models::slo::{ErrorBudget, RatioCounter, Sli, ThresholdOp};
use plasma_workbench::{NewSlo, SloFormat, SloImportReport, Workbench, WorkbenchError};

use crate::{print_json, stdout_error};

#[derive(Subcommand)]
pub enum SloCommand {
    /// Every SLO with its objective, window and error budget.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One SLO (service/name) with its budget and burn-rate alerts.
    Show {
        /// The SLO as service/name.
        slo: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add an SLO: a ratio (--good-query or --bad-query with --total-query)
    /// or a threshold (--threshold-query, --op, --value).
    Add(Box<AddSlo>),
    /// Change an SLO's objective, window or expected events.
    Set {
        /// The SLO as service/name.
        slo: String,
        /// Percent, e.g. 99.9.
        #[arg(long)]
        objective: Option<f64>,
        /// 30d, 4w, 1M... (OpenSLO shorthand).
        #[arg(long)]
        window: Option<String>,
        /// Events expected per window, for the budget in events.
        #[arg(long)]
        expected_events: Option<u64>,
    },
    /// Delete an SLO.
    Remove {
        /// The SLO as service/name.
        slo: String,
    },
    /// An SLO's revisions, newest first.
    History {
        /// The SLO as service/name.
        slo: String,
    },
    /// Import an OpenSLO (v1, v1beta1, v1alpha, v2alpha) or Sloth file
    /// (prometheus/v1 spec or Kubernetes PrometheusServiceLevel; several
    /// documents per file), or every such file under a folder (other YAML
    /// is skipped; a file with an error imports nothing, the others
    /// proceed, and the exit code is 1).
    Import {
        /// An OpenSLO or Sloth file, or a folder of them.
        #[arg(value_name = "FILE|DIR")]
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write OpenSLO v1 or Sloth specs, one file per service.
    Export {
        /// openslo or sloth.
        #[arg(long, value_parser = parse_format)]
        format: SloFormat,
        /// The folder to write one file per service into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Error budget and alert thresholds for an objective and window.
    Budget {
        /// Percent, e.g. 99.9.
        #[arg(long)]
        objective: f64,
        /// 30d, 4w, 1M... (OpenSLO shorthand).
        #[arg(long, default_value = "30d")]
        window: String,
        /// Events expected per window, for the budget in events.
        #[arg(long)]
        expected_events: Option<u64>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The program's DORA targets.
    Dora {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct AddSlo {
    /// The service (a DNS label: a-z, 0-9, '-').
    #[arg(long)]
    pub service: String,
    /// The SLO's name within the service (a DNS label).
    #[arg(long)]
    pub name: String,
    /// Percent, e.g. 99.9.
    #[arg(long)]
    pub objective: f64,
    /// 30d, 4w, 1M... (OpenSLO shorthand).
    #[arg(long, default_value = "30d")]
    pub window: String,
    /// A calendar window (this month) instead of a rolling one.
    #[arg(long)]
    pub calendar: bool,
    /// The good events query (ratio SLI).
    #[arg(long, value_name = "PROMQL")]
    pub good_query: Option<String>,
    /// The bad events query (ratio SLI).
    #[arg(long, value_name = "PROMQL")]
    pub bad_query: Option<String>,
    /// The total events query (ratio SLI, with --good-query or --bad-query).
    #[arg(long, value_name = "PROMQL")]
    pub total_query: Option<String>,
    /// The query a threshold SLI compares (with --op and --value).
    #[arg(long, value_name = "PROMQL")]
    pub threshold_query: Option<String>,
    /// A query giving the error ratio itself (bad over total, 0 to 1).
    #[arg(long, value_name = "PROMQL")]
    pub error_ratio_query: Option<String>,
    /// A Sloth SLI plugin's id: Sloth generates the queries from it.
    #[arg(long, value_name = "ID")]
    pub plugin: Option<String>,
    /// An option of the plugin (repeat for more).
    #[arg(long = "plugin-option", value_name = "KEY=VALUE", requires = "plugin")]
    pub plugin_options: Vec<String>,
    /// lt, lte, gt or gte.
    #[arg(long)]
    pub op: Option<String>,
    /// The threshold the query is compared with.
    #[arg(long)]
    pub value: Option<f64>,
    /// A human-readable title.
    #[arg(long)]
    pub display_name: Option<String>,
    /// What the SLO promises, in a sentence.
    #[arg(long)]
    pub description: Option<String>,
    /// Events expected per window, for the budget in events.
    #[arg(long)]
    pub expected_events: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<SloFormat, String> {
    s.parse()
}

fn invalid(msg: impl Into<String>) -> WorkbenchError {
    WorkbenchError::Invalid(msg.into())
}

fn print_budget(out: &mut impl Write, b: &ErrorBudget) -> Result<(), WorkbenchError> {
    let events = b
        .budget_events
        .map(|e| format!(", {e} events"))
        .unwrap_or_default();
    writeln!(
        out,
        "error budget: {} of the window = {} minutes{events}",
        b.budget_fraction, b.budget_minutes
    )
    .map_err(stdout_error)?;
    for a in &b.alerts {
        writeln!(
            out,
            "  {:<6} {:>4}x over {} and {}: error ratio > {} ({}% of the budget; exhausted in {} h)",
            match a.severity {
                plasma_models::slo::AlertSeverity::Page => "page",
                plasma_models::slo::AlertSeverity::Ticket => "ticket",
            },
            a.burn_rate,
            a.long_window,
            a.short_window,
            a.error_ratio_threshold,
            a.budget_consumed_percent,
            a.hours_to_exhaustion
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}

fn print_import(
    out: &mut impl Write,
    report: &SloImportReport,
    indent: &str,
) -> Result<(), WorkbenchError> {
    for (handle, action) in &report.items {
        writeln!(out, "{indent}{action:?}: {handle}").map_err(stdout_error)?;
    }
    for n in &report.notes {
        writeln!(out, "{indent}note: {n}").map_err(stdout_error)?;
    }
    Ok(())
}

pub async fn run(
    wb: &Workbench,
    cmd: SloCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        SloCommand::List { json } => {
            let rows = wb.list_slos().await?;
            if json {
                print_json(out, &rows)?;
            } else if rows.is_empty() {
                writeln!(out, "No SLOs yet (plasma slo add, plasma slo import).")
                    .map_err(stdout_error)?;
            } else {
                for r in rows {
                    let kind = match r.slo.sli {
                        Sli::Ratio { .. } => "ratio",
                        Sli::ErrorRatio { .. } => "error ratio",
                        Sli::Threshold { .. } => "threshold",
                        Sli::Plugin { .. } => "plugin",
                    };
                    writeln!(
                        out,
                        "{:<48} {:>7}%  {:<4} {:<9} {:<9} budget {} min",
                        r.slo.handle(),
                        r.slo.objective,
                        r.slo.window.length.to_string(),
                        if r.slo.window.rolling {
                            "rolling"
                        } else {
                            "calendar"
                        },
                        kind,
                        r.budget.budget_minutes
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        SloCommand::Show { slo, json } => {
            let r = wb.get_slo(&slo).await?;
            if json {
                print_json(out, &r)?;
            } else {
                writeln!(
                    out,
                    "{}  objective {}% over {} ({})",
                    r.slo.handle(),
                    r.slo.objective,
                    r.slo.window.length,
                    if r.slo.window.rolling {
                        "rolling"
                    } else {
                        "calendar"
                    }
                )
                .map_err(stdout_error)?;
                print_budget(out, &r.budget)?;
                for p in &r.slo.policy {
                    writeln!(
                        out,
                        "policy at {}% consumed: {}",
                        p.consumed_percent, p.action
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        SloCommand::Add(add) => {
            let AddSlo {
                service,
                name,
                objective,
                window,
                calendar,
                good_query,
                bad_query,
                total_query,
                threshold_query,
                error_ratio_query,
                plugin,
                plugin_options,
                op,
                value,
                display_name,
                description,
                expected_events,
                json,
            } = *add;
            let source = "prometheus".to_string();
            let queries = [&good_query, &bad_query, &total_query, &threshold_query];
            if plugin.is_some()
                && (error_ratio_query.is_some() || queries.iter().any(|q| q.is_some()))
            {
                return Err(invalid(
                    "--plugin is an SLI of its own: give it without queries",
                ));
            }
            let sli = match (good_query, bad_query, total_query, threshold_query) {
                _ if plugin.is_some() => Sli::Plugin {
                    id: plugin.unwrap_or_default(),
                    options: plugin_options
                        .iter()
                        .map(|o| {
                            o.split_once('=')
                                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                                .filter(|(k, _)| !k.is_empty())
                                .ok_or_else(|| {
                                    invalid(format!(
                                        "--plugin-option \"{o}\": write it as KEY=VALUE"
                                    ))
                                })
                        })
                        .collect::<Result<_, _>>()?,
                },
                (None, None, None, None) if error_ratio_query.is_some() => Sli::ErrorRatio {
                    query: error_ratio_query.unwrap_or_default(),
                    source,
                },
                _ if error_ratio_query.is_some() => {
                    return Err(invalid(
                        "--error-ratio-query is an SLI of its own: give it without the other queries",
                    ))
                }
                (Some(good), None, Some(total), None) => Sli::Ratio {
                    counter: RatioCounter::Good,
                    numerator_query: good,
                    total_query: total,
                    source,
                },
                (None, Some(bad), Some(total), None) => Sli::Ratio {
                    counter: RatioCounter::Bad,
                    numerator_query: bad,
                    total_query: total,
                    source,
                },
                (None, None, None, Some(query)) => {
                    let op: ThresholdOp = op
                        .as_deref()
                        .ok_or_else(|| invalid("a threshold SLI needs --op"))?
                        .parse()
                        .map_err(invalid)?;
                    let value = value.ok_or_else(|| invalid("a threshold SLI needs --value"))?;
                    Sli::Threshold {
                        query,
                        op,
                        value,
                        source,
                    }
                }
                _ => {
                    return Err(invalid(
                        "give --good-query or --bad-query with --total-query, --error-ratio-query, --threshold-query with --op and --value, or --plugin",
                    ))
                }
            };
            // As the app's New SLO form: one way to make an SLO.
            let row = wb
                .create_slo(NewSlo {
                    service,
                    name,
                    display_name: display_name.unwrap_or_default(),
                    description: description.unwrap_or_default(),
                    sli,
                    objective,
                    window,
                    calendar,
                    expected_events,
                })
                .await?;
            if json {
                print_json(out, &row)?;
            } else {
                writeln!(out, "Added {}", row.slo.handle()).map_err(stdout_error)?;
                print_budget(out, &row.budget)?;
            }
        }
        SloCommand::Set {
            slo,
            objective,
            window,
            expected_events,
        } => {
            let r = wb.get_slo(&slo).await?;
            let mut next = r.slo.clone();
            if let Some(o) = objective {
                next.objective = o;
            }
            if let Some(w) = window {
                next.window.length = w
                    .parse()
                    .map_err(|e: plasma_models::slo::SloError| invalid(e.to_string()))?;
            }
            if expected_events.is_some() {
                next.expected_events = expected_events;
            }
            let saved = wb.save_slo(r.revision, &next).await?;
            writeln!(
                out,
                "Saved {} (revision {})",
                saved.slo.handle(),
                saved.revision
            )
            .map_err(stdout_error)?;
            print_budget(out, &saved.budget)?;
        }
        SloCommand::Remove { slo } => {
            wb.remove_slo(&slo).await?;
            writeln!(out, "Removed {slo}").map_err(stdout_error)?;
        }
        SloCommand::History { slo } => {
            crate::print_revisions(out, &wb.slo_history(&slo).await?)?;
        }
        SloCommand::Import { file, json } if file.is_dir() => {
            let report = wb.import_slo_folder(&file).await?;
            if json {
                print_json(out, &report)?;
            } else {
                for imported in &report.files {
                    writeln!(out, "{}:", imported.file).map_err(stdout_error)?;
                    print_import(out, imported, "  ")?;
                }
                for s in &report.skipped {
                    writeln!(out, "skipped {}: {}", s.file, s.reason).map_err(stdout_error)?;
                }
            }
            for f in &report.failed {
                eprintln!("error: {}: {}", f.file, f.reason);
            }
            if !report.failed.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        SloCommand::Import { file, json } => {
            let report = wb.import_slo_file(&file).await?;
            if json {
                print_json(out, &report)?;
            } else {
                print_import(out, &report, "")?;
            }
        }
        SloCommand::Export { format, out: dir } => {
            let report = wb.export_slos(format, &dir).await?;
            for f in &report.files {
                writeln!(out, "wrote {}", dir.join(f).display()).map_err(stdout_error)?;
            }
            for s in &report.skipped {
                eprintln!("skipped {s}");
            }
        }
        SloCommand::Budget {
            objective,
            window,
            expected_events,
            json,
        } => {
            let b = wb.slo_budget(objective, &window, expected_events)?;
            if json {
                print_json(out, &b)?;
            } else {
                print_budget(out, &b)?;
            }
        }
        SloCommand::Dora { json } => {
            let d = wb.dora_targets().await?;
            if json {
                print_json(out, &d)?;
            } else if d.targets.is_empty() {
                writeln!(out, "No DORA targets in this workspace.").map_err(stdout_error)?;
            } else {
                for t in &d.targets {
                    writeln!(
                        out,
                        "{:<24} {:<11} {}",
                        t.metric.label(),
                        t.environment,
                        t.describe()
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
