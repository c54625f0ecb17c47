//! `plasma threats ...`: threat models from the command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plasma_models::threat::{SessionState, Severity};
use plasma_workbench::{
    Ruling, SessionView, ThreatExportFormat, ThreatFormat, ThreatRow, Workbench, WorkbenchError,
};

use crate::{is_stdout, one_line, out_file, print_json, stdout_error};

#[derive(Subcommand)]
pub enum ThreatsCommand {
    /// List the workspace's threat models.
    Models {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a Threat Dragon, OTM, pytm, Threagile, Threat Composer or Threat Modeling Tool
    /// (`.tm7`) file (updates the model of the same name in place, keeping decisions) and run
    /// the STRIDE rules.
    Import {
        /// The model file (Threat Dragon or Threat Composer JSON, OTM, pytm JSON, Threagile YAML, .tm7).
        file: PathBuf,
        /// The file's format (default: detected from its name and content).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List a model's threats, most severe first.
    List {
        /// The model's name or id.
        model: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run the STRIDE rules again (keeps edits, marks stale threats obsolete).
    Generate {
        /// The model's name or id.
        model: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the Markdown report, threat CSV and diagrams (SVG, Mermaid, DOT).
    Report {
        /// The model's name or id.
        model: String,
        /// The folder to write report.md, the diagrams and threats.csv into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Export a model to another tool's format.
    Export {
        /// The model's name or id.
        model: String,
        /// The format to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Td)]
        format: ExportFormat,
        /// The file to write (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// CI gate: exit 1 when open threats with no done mitigation are at or
    /// above the given severity (obsolete threats do not count).
    Check {
        /// The model's name or id.
        model: String,
        /// The lowest severity that fails the check.
        #[arg(long, value_enum, value_name = "SEVERITY")]
        fail_on: FailOn,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Threat sessions: a guided STRIDE-per-element walk with the team.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Compliance controls a threat satisfies (recorded on the matrix).
    #[command(subcommand)]
    Controls(crate::threat_controls::ControlsCommand),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// OWASP Threat Dragon (v1 or v2 JSON).
    #[value(alias = "threat-dragon")]
    Td,
    /// Open Threat Model (YAML or JSON).
    Otm,
    /// pytm's JSON report.
    Pytm,
    /// Threagile's YAML model.
    Threagile,
    /// AWS Threat Composer's JSON export (`.tc.json`).
    #[value(alias = "tc")]
    ThreatComposer,
    /// Microsoft Threat Modeling Tool (`.tm7`).
    #[value(alias = "threat-modeling-tool")]
    Tm7,
}

impl From<FormatArg> for ThreatFormat {
    fn from(f: FormatArg) -> ThreatFormat {
        match f {
            FormatArg::Td => ThreatFormat::ThreatDragon,
            FormatArg::Otm => ThreatFormat::Otm,
            FormatArg::Pytm => ThreatFormat::Pytm,
            FormatArg::Threagile => ThreatFormat::Threagile,
            FormatArg::ThreatComposer => ThreatFormat::ThreatComposer,
            FormatArg::Tm7 => ThreatFormat::Tm7,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// OWASP Threat Dragon v2 JSON.
    #[value(alias = "threat-dragon")]
    Td,
    /// Open Threat Model 0.2 JSON (IriusRisk, startleft and other OTM tools).
    Otm,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Critical => Severity::Critical,
        }
    }
}

pub async fn run(
    wb: &Workbench,
    cmd: ThreatsCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        ThreatsCommand::Session(cmd) => return run_session(wb, cmd, out).await,
        ThreatsCommand::Controls(cmd) => {
            crate::threat_controls::run(wb, cmd, out).await?;
            return Ok(ExitCode::SUCCESS);
        }
        ThreatsCommand::Models { json } => {
            let models = wb.list_threat_models().await?;
            if json {
                print_json(out, &models)?;
            } else if models.is_empty() {
                writeln!(
                    out,
                    "No threat models yet (import one with `plasma threats import FILE`)."
                )
                .map_err(stdout_error)?;
            } else {
                for m in &models {
                    writeln!(
                        out,
                        "{}  {}  ({} threats, {} unmitigated, {} obsolete; r{})",
                        short(&m.id.to_string()),
                        m.name,
                        m.threats,
                        m.unmitigated,
                        m.obsolete,
                        m.revision
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        ThreatsCommand::Import { file, format, json } => {
            let report = wb
                .import_threat_model(&file, format.map(Into::into))
                .await?;
            if json {
                print_json(out, &report)?;
            } else {
                let action = match report.action {
                    plasma_workbench::ImportAction::Created => "created",
                    plasma_workbench::ImportAction::Updated => "updated",
                    plasma_workbench::ImportAction::Unchanged => "unchanged",
                };
                writeln!(
                    out,
                    "Imported \"{}\" from {} ({}): {action}, {} threats ({} new, {} kept, {} obsolete, {} from the file or by hand)",
                    report.model.name,
                    file.display(),
                    report.format,
                    report.model.threats,
                    report.counts.new,
                    report.counts.kept,
                    report.counts.obsolete,
                    report.counts.other
                )
                .map_err(stdout_error)?;
            }
        }
        ThreatsCommand::List { model, json } => {
            let rows = wb.list_threats(&model).await?;
            if json {
                print_json(out, &rows)?;
            } else {
                print_rows(out, &rows)?;
            }
        }
        ThreatsCommand::Generate { model, json } => {
            let report = wb.generate_threats(&model).await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(
                    out,
                    "Regenerated \"{}\": {} new, {} kept, {} obsolete, {} other (revision {})",
                    report.model.name,
                    report.counts.new,
                    report.counts.kept,
                    report.counts.obsolete,
                    report.counts.other,
                    report.model.revision
                )
                .map_err(stdout_error)?;
            }
        }
        ThreatsCommand::Report { model, out: dir } => {
            let files = wb.threat_report(&model, &dir).await?;
            writeln!(out, "Wrote {} files to {}", files.files.len(), files.dir)
                .map_err(stdout_error)?;
            for f in &files.files {
                writeln!(out, "  {f}").map_err(stdout_error)?;
            }
        }
        ThreatsCommand::Export {
            model,
            format,
            out: file,
        } => {
            let format = match format {
                ExportFormat::Td => ThreatExportFormat::ThreatDragon,
                ExportFormat::Otm => ThreatExportFormat::Otm,
            };
            let path = wb
                .export_threat_model(&model, &out_file(file), format)
                .await?;
            if !is_stdout(&path) {
                writeln!(out, "Wrote {}", path.display()).map_err(stdout_error)?;
            }
        }
        ThreatsCommand::Check {
            model,
            fail_on,
            json,
        } => {
            let check = wb.check_threats(&model, fail_on.into()).await?;
            if json {
                print_json(out, &check)?;
            } else if check.offending.is_empty() {
                writeln!(
                    out,
                    "\"{}\": no unmitigated threats at {} or above.",
                    check.model,
                    check.fail_on.label()
                )
                .map_err(stdout_error)?;
            } else {
                writeln!(
                    out,
                    "\"{}\": {} unmitigated threats at {} or above:",
                    check.model,
                    check.offending.len(),
                    check.fail_on.label()
                )
                .map_err(stdout_error)?;
                print_rows(out, &check.offending)?;
            }
            if !check.offending.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Table cells stay on one line whatever the imported text holds.
fn print_rows(out: &mut impl Write, rows: &[ThreatRow]) -> Result<(), WorkbenchError> {
    let targets: Vec<String> = rows
        .iter()
        .map(|r| one_line(r.target_name.as_deref().unwrap_or("(removed)")))
        .collect();
    // Pad the target so the titles start in one column.
    let width = targets.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    for (r, target) in rows.iter().zip(&targets) {
        let obsolete = if r.obsolete { "  [obsolete]" } else { "" };
        writeln!(
            out,
            "{}  {:<8} {:<14} {:<22} {target:<width$}  {}{obsolete}",
            r.short_id,
            r.severity.label(),
            r.status,
            r.category.label(),
            one_line(&r.title)
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum SessionCommand {
    /// Start a guided STRIDE-per-element walk over a model.
    Start {
        /// The model's name or id.
        model: String,
        /// Someone taking part (repeat for each).
        #[arg(long = "participant", value_name = "NAME")]
        participants: Vec<String>,
        /// An element or flow id to walk (repeat; default: every element, then every flow).
        #[arg(long = "scope", value_name = "ID")]
        scope: Vec<uuid::Uuid>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show where the session is and what to rule on.
    Show {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move to the next step of the walk.
    Next {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Confirm a suggested threat, or reject it with a reason.
    Rule {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// The threat's id (its first 8 characters are enough).
        threat: String,
        /// Confirm the threat (it stays open, in the minutes as confirmed).
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        confirm: bool,
        /// Reject the threat for this reason (it becomes not applicable).
        #[arg(long, value_name = "REASON")]
        reject: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add a note to the minutes.
    Note {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// The note's text (Markdown).
        text: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Pause the session (it keeps its place; `resume` goes on from there).
    Pause {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resume a paused session where it stopped.
    Resume {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// End the session and print its minutes.
    End {
        /// The session id, or a model name or id (its running session).
        session: String,
    },
    /// A model's sessions, newest first: id, state, start, progress, people.
    List {
        /// The model's name or id.
        model: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the minutes (Markdown), or write them to a file (`-`: standard output).
    Minutes {
        /// The session id, or a model name or id (its running session).
        session: String,
        /// Write the minutes to this file (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn print_session(out: &mut impl Write, v: &SessionView) -> Result<(), WorkbenchError> {
    let s = &v.session;
    let state = match s.state {
        SessionState::Active => "active",
        SessionState::Paused => "paused",
        SessionState::Ended => "ended",
    };
    writeln!(
        out,
        "Session {} on \"{}\" ({state}), step {} of {}",
        short(&s.id.to_string()),
        v.model_name,
        (s.cursor as usize + 1).min(s.steps.len()),
        s.steps.len()
    )
    .map_err(stdout_error)?;
    match &v.current {
        Some(step) if s.state != SessionState::Ended => {
            writeln!(
                out,
                "Now: {} · {}",
                one_line(&step.target_name),
                step.category.label()
            )
            .map_err(stdout_error)?;
            if v.suggestions.is_empty() {
                writeln!(out, "No suggested threats left here; `next` moves on.")
                    .map_err(stdout_error)?;
            } else {
                writeln!(out, "Suggested threats to rule on:").map_err(stdout_error)?;
                print_rows(out, &v.suggestions)?;
            }
        }
        Some(_) => {}
        None => writeln!(out, "The walk is complete; `end` closes the session.")
            .map_err(stdout_error)?,
    }
    Ok(())
}

pub async fn run_session(
    wb: &Workbench,
    cmd: SessionCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    let (view, json) = match cmd {
        SessionCommand::Start {
            model,
            participants,
            scope,
            json,
        } => (
            wb.start_threat_session(&model, participants, scope).await?,
            json,
        ),
        SessionCommand::Show { session, json } => (wb.find_threat_session(&session).await?, json),
        SessionCommand::Next { session, json } => {
            let v = wb.find_threat_session(&session).await?;
            (wb.session_next(v.session.id, v.version).await?, json)
        }
        SessionCommand::Rule {
            session,
            threat,
            confirm: _,
            reject,
            json,
        } => {
            let v = wb.find_threat_session(&session).await?;
            let threat = wb.session_threat_id(&v, &threat).await?;
            let ruling = match reject {
                Some(reason) => Ruling::Reject { reason },
                None => Ruling::Confirm,
            };
            (
                wb.session_rule(v.session.id, v.version, threat, ruling)
                    .await?,
                json,
            )
        }
        SessionCommand::Note {
            session,
            text,
            json,
        } => {
            let v = wb.find_threat_session(&session).await?;
            (wb.session_note(v.session.id, v.version, text).await?, json)
        }
        SessionCommand::Pause { session, json } => {
            let v = wb.find_threat_session(&session).await?;
            (wb.session_pause(v.session.id, v.version).await?, json)
        }
        SessionCommand::Resume { session, json } => {
            let v = wb.find_threat_session(&session).await?;
            (wb.session_resume(v.session.id, v.version).await?, json)
        }
        SessionCommand::End { session } => {
            let v = wb.find_threat_session(&session).await?;
            let ended = wb.session_end(v.session.id, v.version).await?;
            let minutes = wb.session_minutes(ended.session.id).await?;
            out.write_all(minutes.as_bytes()).map_err(stdout_error)?;
            return Ok(ExitCode::SUCCESS);
        }
        SessionCommand::List { model, json } => {
            let sessions = wb.list_threat_sessions(&model).await?;
            if json {
                print_json(out, &sessions)?;
            } else if sessions.is_empty() {
                writeln!(
                    out,
                    "No threat sessions on \"{model}\" yet (plasma threats session start)."
                )
                .map_err(stdout_error)?;
            }
            for v in &sessions {
                let s = &v.session;
                let state = match s.state {
                    SessionState::Active => "active",
                    SessionState::Paused => "paused",
                    SessionState::Ended => "ended",
                };
                let people = if s.participants.is_empty() {
                    "no participants recorded".to_string()
                } else {
                    s.participants.join(", ")
                };
                if !json {
                    writeln!(
                        out,
                        "{}  {state:<6}  {}  step {} of {}  {people}",
                        s.id,
                        v.started_at.format("%Y-%m-%d %H:%M UTC"),
                        (s.cursor as usize).min(s.steps.len()),
                        s.steps.len()
                    )
                    .map_err(stdout_error)?;
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        SessionCommand::Minutes { session, out: file } => {
            let v = match uuid::Uuid::parse_str(session.trim()) {
                Ok(id) => wb.threat_session(id).await,
                Err(_) => wb
                    .list_threat_sessions(&session)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        WorkbenchError::NotFound(format!("\"{session}\" has no threat sessions"))
                    }),
            }?;
            let minutes = wb.session_minutes(v.session.id).await?;
            match file.filter(|path| !is_stdout(path)) {
                Some(path) => {
                    std::fs::write(&path, minutes).map_err(|e| WorkbenchError::io(&path, e))?;
                    writeln!(out, "Wrote {}", path.display()).map_err(stdout_error)?;
                }
                None => out.write_all(minutes.as_bytes()).map_err(stdout_error)?,
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if json {
        print_json(out, &view)?;
    } else {
        print_session(out, &view)?;
    }
    Ok(ExitCode::SUCCESS)
}
