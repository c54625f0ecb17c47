//! `plasma roadmap ...`: initiatives, dependencies, the plan, gates, exports.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use plasma_models::roadmap::{Initiative, InitiativeStatus, Milestone};
use plasma_workbench::{RoadmapFormat, Workbench, WorkbenchError};

use crate::{is_stdout, out_file, print_json, stdout_error};

#[derive(Subcommand)]
pub enum RoadmapCommand {
    /// Add an initiative.
    Add {
        /// The initiative's title.
        title: String,
        /// Short handle (default: from the title): a-z, 0-9 and '-'.
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        fields: Box<Fields>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change fields of an initiative (only the options given).
    Edit {
        /// The initiative's key.
        key: String,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// Rename the key (dependents follow).
        #[arg(long = "new-key")]
        new_key: Option<String>,
        #[command(flatten)]
        fields: Box<Fields>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Make KEY depend on another initiative (refused if it closes a cycle).
    Depend {
        /// The initiative's key.
        key: String,
        /// The initiative it depends on.
        #[arg(long, value_name = "KEY")]
        on: String,
    },
    /// Remove a dependency.
    Undepend {
        /// The initiative's key.
        key: String,
        /// The initiative it no longer depends on.
        #[arg(long, value_name = "KEY")]
        on: String,
    },
    /// Delete an initiative (refused while others depend on it).
    Remove {
        /// The initiative's key.
        key: String,
    },
    /// The plan in dependency order: dates, slack, critical path, gates.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One initiative with its schedule and what its gates still lack.
    Show {
        /// The initiative's key.
        key: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// An initiative's revisions, newest first.
    History {
        /// The initiative's key.
        key: String,
    },
    /// Exit 1 when the dependencies have a cycle or any gate is unmet.
    Check {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the roadmap as Markdown, Mermaid gantt or CSV.
    Export {
        /// md (Markdown), mermaid (a gantt chart) or csv.
        #[arg(long, value_parser = parse_format)]
        format: RoadmapFormat,
        /// The file to write (`-`: standard output, Markdown and CSV only:
        /// a long Mermaid gantt is split into several files).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Day 0 of the schedule (default: the earliest start or quarter).
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: Option<NaiveDate>,
    },
}

fn parse_format(s: &str) -> Result<RoadmapFormat, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<InitiativeStatus, String> {
    s.parse()
}

/// `"Title"` or `"Title@2026-03-31"`.
fn parse_milestone(s: &str) -> Result<Milestone, String> {
    let (title, due) = match s.rsplit_once('@') {
        Some((t, d)) => (
            t,
            Some(
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("\"{d}\" is not a date (YYYY-MM-DD)"))?,
            ),
        ),
        None => (s, None),
    };
    Ok(Milestone {
        title: title.trim().to_string(),
        due,
        done: false,
    })
}

/// Fields shared by `add` and `edit`; lists replace the stored list when
/// given.
#[derive(Args)]
pub struct Fields {
    /// What the initiative delivers (Markdown).
    #[arg(long)]
    description: Option<String>,
    /// A repository it touches (repeatable).
    #[arg(long = "repo")]
    repos: Vec<String>,
    /// Who leads it.
    #[arg(long)]
    owner: Option<String>,
    /// proposed, planned, in_progress, done or cancelled.
    #[arg(long, value_parser = parse_status)]
    status: Option<InitiativeStatus>,
    /// Target quarter, e.g. 2026-Q2.
    #[arg(long)]
    quarter: Option<String>,
    /// Planned start.
    #[arg(long, value_name = "YYYY-MM-DD")]
    start: Option<NaiveDate>,
    /// Planned end.
    #[arg(long, value_name = "YYYY-MM-DD")]
    end: Option<NaiveDate>,
    /// Estimate in days.
    #[arg(long, value_name = "DAYS")]
    estimate: Option<u32>,
    /// An initiative it depends on (repeatable).
    #[arg(long = "depends-on", value_name = "KEY")]
    depends_on: Vec<String>,
    /// "Title" or "Title@YYYY-MM-DD" (repeatable).
    #[arg(long = "milestone", value_parser = parse_milestone)]
    milestones: Vec<Milestone>,
    /// It introduces a new data flow (needs a threat model reviewed in a session).
    #[arg(long = "new-data-flow", num_args = 0..=1, default_missing_value = "true")]
    new_data_flow: Option<bool>,
    /// It changes the architecture (needs an accepted ADR).
    #[arg(long = "architecture-change", num_args = 0..=1, default_missing_value = "true")]
    architecture_change: Option<bool>,
    /// It touches regulated data (needs its mapped controls).
    #[arg(long = "regulated-data", num_args = 0..=1, default_missing_value = "true")]
    regulated_data: Option<bool>,
    /// A threat model that covers it (repeatable).
    #[arg(long = "threat-model", value_name = "NAME")]
    threat_models: Vec<String>,
    /// An ADR number that decides it (repeatable).
    #[arg(long = "adr", value_name = "NUMBER")]
    adrs: Vec<u32>,
    /// A compliance control id it must satisfy (repeatable).
    #[arg(long = "control", value_name = "ID")]
    controls: Vec<String>,
}

impl Fields {
    fn apply(self: Box<Self>, i: &mut Initiative) {
        if let Some(v) = self.description {
            i.description = v;
        }
        if !self.repos.is_empty() {
            i.repositories = self.repos;
        }
        if let Some(v) = self.owner {
            i.owner = v;
        }
        if let Some(v) = self.status {
            i.status = v;
        }
        if let Some(v) = self.quarter {
            i.target_quarter = (!v.trim().is_empty()).then_some(v);
        }
        if self.start.is_some() {
            i.start = self.start;
        }
        if self.end.is_some() {
            i.end = self.end;
        }
        if let Some(v) = self.estimate {
            i.estimate_days = v;
        }
        if !self.depends_on.is_empty() {
            i.depends_on = self.depends_on;
        }
        if !self.milestones.is_empty() {
            i.milestones = self.milestones;
        }
        if let Some(v) = self.new_data_flow {
            i.new_data_flow = v;
        }
        if let Some(v) = self.architecture_change {
            i.architecture_change = v;
        }
        if let Some(v) = self.regulated_data {
            i.regulated_data = v;
        }
        if !self.threat_models.is_empty() {
            i.threat_models = self.threat_models;
        }
        if !self.adrs.is_empty() {
            i.adrs = self.adrs;
        }
        if !self.controls.is_empty() {
            i.controls = self.controls;
        }
    }
}

pub async fn run(
    wb: &Workbench,
    cmd: RoadmapCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        RoadmapCommand::Add {
            title,
            key,
            fields,
            json,
        } => {
            let mut i = wb.draft_initiative(key.as_deref(), &title).await?;
            fields.apply(&mut i);
            let stored = wb.add_initiative(&i).await?;
            if json {
                print_json(out, &stored)?;
            } else {
                writeln!(
                    out,
                    "Added {} \"{}\"",
                    stored.initiative.key, stored.initiative.title
                )
                .map_err(stdout_error)?;
            }
        }
        RoadmapCommand::Edit {
            key,
            title,
            new_key,
            fields,
            json,
        } => {
            let stored = wb.get_initiative(&key).await?;
            let mut i = stored.initiative.clone();
            if let Some(t) = title {
                i.title = t;
            }
            if let Some(k) = new_key {
                i.key = k;
            }
            fields.apply(&mut i);
            let saved = wb.save_initiative(stored.revision, &i).await?;
            if json {
                print_json(out, &saved)?;
            } else {
                writeln!(
                    out,
                    "Saved {} (revision {})",
                    saved.initiative.key, saved.revision
                )
                .map_err(stdout_error)?;
            }
        }
        RoadmapCommand::Depend { key, on } => {
            let saved = wb.add_dependency(&key, &on).await?;
            writeln!(
                out,
                "{} now depends on {}",
                saved.initiative.key,
                saved.initiative.depends_on.join(", ")
            )
            .map_err(stdout_error)?;
        }
        RoadmapCommand::Undepend { key, on } => {
            let saved = wb.remove_dependency(&key, &on).await?;
            writeln!(out, "{} no longer depends on {on}", saved.initiative.key)
                .map_err(stdout_error)?;
        }
        RoadmapCommand::Remove { key } => {
            wb.remove_initiative(&key).await?;
            writeln!(out, "Removed {key}").map_err(stdout_error)?;
        }
        RoadmapCommand::List { json } => {
            let overview = wb.roadmap_overview().await?;
            if json {
                print_json(out, &overview)?;
            } else if overview.rows.is_empty() {
                writeln!(out, "No initiatives yet (plasma roadmap add TITLE).")
                    .map_err(stdout_error)?;
            } else {
                for r in &overview.rows {
                    let s = &r.schedule;
                    let slack = if s.critical {
                        "critical".to_string()
                    } else {
                        format!("slack {} d", s.slack)
                    };
                    let gates = if r.readiness.gates.is_empty() {
                        String::new()
                    } else if r.readiness.ready() {
                        "  gates met".to_string()
                    } else {
                        format!("  {} gate(s) unmet", r.readiness.unmet().count())
                    };
                    writeln!(
                        out,
                        "{:>2}. {:<24} {:<11} {} → {}  {:>3} d  {:<12} {}{}",
                        r.order,
                        r.initiative.key,
                        r.initiative.status.label(),
                        r.start,
                        r.finish,
                        s.duration,
                        slack,
                        r.initiative.title,
                        gates
                    )
                    .map_err(stdout_error)?;
                    if !r.initiative.depends_on.is_empty() {
                        writeln!(out, "    after {}", r.initiative.depends_on.join(", "))
                            .map_err(stdout_error)?;
                    }
                }
                writeln!(
                    out,
                    "Critical path ({} days): {}",
                    overview.duration,
                    overview.critical_path.join(" → ")
                )
                .map_err(stdout_error)?;
            }
        }
        RoadmapCommand::Show { key, json } => {
            let overview = wb.roadmap_overview().await?;
            let wanted = wb.get_initiative(&key).await?.initiative.id;
            let Some(row) = overview
                .rows
                .into_iter()
                .find(|r| r.initiative.id == wanted)
            else {
                return Err(WorkbenchError::NotFound(format!("initiative \"{key}\"")));
            };
            if json {
                print_json(out, &row)?;
            } else {
                let i = &row.initiative;
                let s = &row.schedule;
                let mut text = format!(
                    "{} ({})\nstatus: {}  owner: {}  quarter: {}\nrepositories: {}\n\
                     schedule: {} → {}, {} d, earliest start day {}, latest start day {}, slack {} d{}\n",
                    i.title,
                    i.key,
                    i.status.label(),
                    if i.owner.is_empty() { "-" } else { &i.owner },
                    i.target_quarter.as_deref().unwrap_or("-"),
                    if i.repositories.is_empty() { "-".to_string() } else { i.repositories.join(", ") },
                    row.start,
                    row.finish,
                    s.duration,
                    s.earliest_start,
                    s.latest_start,
                    s.slack,
                    if s.critical { " (critical path)" } else { "" }
                );
                if !i.depends_on.is_empty() {
                    text.push_str(&format!("depends on: {}\n", i.depends_on.join(", ")));
                }
                for g in &row.readiness.gates {
                    text.push_str(&format!(
                        "gate {}: {}\n",
                        g.gate.label(),
                        if g.met {
                            "met".to_string()
                        } else {
                            format!("NOT MET — {}", g.lacking)
                        }
                    ));
                }
                write!(out, "{text}").map_err(stdout_error)?;
            }
        }
        RoadmapCommand::History { key } => {
            crate::print_revisions(out, &wb.initiative_history(&key).await?)?;
        }
        RoadmapCommand::Check { json } => {
            let check = wb.check_roadmap().await?;
            if json {
                print_json(out, &check)?;
            } else {
                if let Some(e) = &check.plan_error {
                    writeln!(out, "plan: {e}").map_err(stdout_error)?;
                }
                for u in &check.unmet {
                    for g in &u.gates {
                        writeln!(out, "{}: needs {}: {}", u.key, g.gate.label(), g.lacking)
                            .map_err(stdout_error)?;
                    }
                }
                if check.passed() {
                    writeln!(out, "No cycle; every gate is met.").map_err(stdout_error)?;
                }
            }
            return Ok(if check.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        RoadmapCommand::Export {
            format,
            out: path,
            start,
        } => {
            if is_stdout(&path) && matches!(format, RoadmapFormat::Mermaid) {
                return Err(WorkbenchError::Invalid(format!(
                    "--out {}: a Mermaid gantt may be split into several files; give a file name",
                    path.display()
                )));
            }
            let report = wb.export_roadmap(format, &out_file(path), start).await?;
            for f in report.files.iter().filter(|f| !is_stdout(Path::new(f))) {
                writeln!(out, "wrote {f}").map_err(stdout_error)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
