//! `plasma threats controls ...`: the compliance controls a threat
//! satisfies. The link lives on the compliance matrix cell, so
//! `plasma compliance show` lists it too.

use std::io::Write;

use clap::Subcommand;
use plasma_workbench::{ThreatControlEdit, ThreatControlLink, Workbench, WorkbenchError};

use crate::{print_json, stdout_error};

#[derive(Subcommand)]
pub enum ControlsCommand {
    /// List the controls that cite a threat.
    List {
        /// The model's name or id.
        model: String,
        /// The threat's id or its first 8 hex digits.
        threat: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Record that a threat (or one of its mitigations) satisfies a control.
    Link {
        /// The model's name or id.
        model: String,
        /// The threat's id or its first 8 hex digits.
        threat: String,
        /// `framework:control`, or a control id unique among the frameworks.
        control: String,
        /// Repository to link in (repeat; default: every repository).
        #[arg(long = "repo", value_name = "NAME")]
        repositories: Vec<String>,
        /// The mitigation's title (default: the threat as a whole).
        #[arg(long, default_value = "")]
        mitigation: String,
    },
    /// Remove such a link.
    Unlink {
        /// The model's name or id.
        model: String,
        /// The threat's id or its first 8 hex digits.
        threat: String,
        /// `framework:control`, or a control id unique among the frameworks.
        control: String,
        /// Repository to unlink in (repeat; default: every repository).
        #[arg(long = "repo", value_name = "NAME")]
        repositories: Vec<String>,
        /// The mitigation's title (default: the threat as a whole).
        #[arg(long, default_value = "")]
        mitigation: String,
    },
}

pub async fn run(
    wb: &Workbench,
    cmd: ControlsCommand,
    out: &mut impl Write,
) -> Result<(), WorkbenchError> {
    let links = match cmd {
        ControlsCommand::List {
            model,
            threat,
            json,
        } => {
            let links = wb.threat_control_links(&model, &threat).await?;
            if json {
                return print_json(out, &links);
            }
            links
        }
        ControlsCommand::Link {
            model,
            threat,
            control,
            repositories,
            mitigation,
        } => {
            wb.link_threat_control(&ThreatControlEdit {
                model,
                threat,
                mitigation,
                control,
                repositories,
            })
            .await?
        }
        ControlsCommand::Unlink {
            model,
            threat,
            control,
            repositories,
            mitigation,
        } => {
            wb.unlink_threat_control(&ThreatControlEdit {
                model,
                threat,
                mitigation,
                control,
                repositories,
            })
            .await?
        }
    };
    print_links(out, &links)
}

fn print_links(out: &mut impl Write, links: &[ThreatControlLink]) -> Result<(), WorkbenchError> {
    if links.is_empty() {
        writeln!(out, "No control cites this threat.").map_err(stdout_error)?;
    }
    for l in links {
        let status = crate::compliance::status_text(l.status);
        let by = if l.mitigation.is_empty() {
            String::new()
        } else {
            format!("  (by: {})", l.mitigation)
        };
        writeln!(
            out,
            "{:<24} {:<28} {:<14} {}{by}",
            l.control, l.repository, status, l.title
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}
