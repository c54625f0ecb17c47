//! `plasma sync ...`: GitHub sign-in, linking, publish, pull, status and
//! conflicts. Thin: each arm is a workbench call plus formatting.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plasma_sync::GitHubToken;
use plasma_workbench::{PublishTarget, ResolveSide, SyncAuth, Workbench, WorkbenchError};

use crate::{print_json, stdout_error};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Sign in to GitHub: the OAuth device flow, or a token on standard
    /// input with --with-token. The token goes to the OS keychain.
    /// (GITHUB_TOKEN in the environment is used without signing in.)
    Login {
        /// Read a token (e.g. a fine-grained personal access token) from stdin.
        #[arg(long)]
        with_token: bool,
        /// GitHub API URL (Enterprise Server: https://HOST/api/v3).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// The OAuth app's client id for the device flow.
        #[arg(long, env = "PLASMA_GITHUB_CLIENT_ID", value_name = "ID")]
        client_id: Option<String>,
    },
    /// Sign out: remove the token from the OS keychain.
    Logout {
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
    },
    /// Link a repository to the workspace (or change its branch or API URL).
    Link {
        /// OWNER/REPO
        repo: String,
        #[arg(long, value_name = "BRANCH")]
        base: Option<String>,
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// Folder layout as JSON, e.g. '{"adr_dir":"architecture/decisions"}'.
        #[arg(long, value_name = "JSON")]
        layout: Option<String>,
    },
    /// Publish drafts as pull requests (one commit on drafts/<kind>-<slug>).
    Publish {
        /// ADR number (repeat to publish several ADRs in one draft).
        #[arg(long = "adr", value_name = "N", required_unless_present_any = ["model", "framework", "roadmap", "slo", "all"])]
        adrs: Vec<u32>,
        /// Threat model name or id.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["adrs", "framework", "roadmap", "slo", "all"])]
        model: Option<String>,
        /// A compliance framework in scope: compliance/<id>.csv and .md.
        #[arg(long, value_name = "ID", conflicts_with_all = ["adrs", "model", "roadmap", "slo", "all"])]
        framework: Option<String>,
        /// The roadmap: roadmap/roadmap.md.
        #[arg(long, conflicts_with_all = ["adrs", "model", "framework", "slo", "all"])]
        roadmap: bool,
        /// An SLO as service/name: slo/<service>-<name>.yaml (OpenSLO).
        #[arg(long, value_name = "SERVICE/NAME", conflicts_with_all = ["adrs", "model", "framework", "roadmap", "all"])]
        slo: Option<String>,
        /// Every document with unpublished changes, one draft each.
        #[arg(long, conflicts_with_all = ["adrs", "model", "framework", "roadmap", "slo"])]
        all: bool,
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Bring changes from the base branch in (three-way merge).
    Pull {
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Sync status of every document.
    Status {
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List conflicts found by pulls, with both versions of each item.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Resolve a conflict by taking the local or the remote version.
    Resolve {
        /// The document key as `plasma sync conflicts` shows it (adr:3,
        /// threat-model:<id>, compliance:<framework>, slo:<service>/<name>).
        key: String,
        #[arg(long, value_enum)]
        take: Side,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Side {
    Local,
    Remote,
}

fn auth() -> SyncAuth {
    SyncAuth {
        env_token: std::env::var("GITHUB_TOKEN").ok(),
        policy: None,
    }
}

pub async fn run(
    wb: &Workbench,
    cmd: SyncCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        SyncCommand::Login {
            with_token,
            api_url,
            client_id,
        } => {
            let api = match api_url {
                Some(a) => a,
                None => wb
                    .sync_links()
                    .await?
                    .first()
                    .map(|l| l.api_url.clone())
                    .unwrap_or_else(|| plasma_sync::DEFAULT_API_URL.to_string()),
            };
            let login = if with_token {
                let mut raw = String::new();
                std::io::stdin()
                    .read_to_string(&mut raw)
                    .map_err(|e| WorkbenchError::Io {
                        path: "standard input".into(),
                        reason: e.to_string(),
                    })?;
                wb.sync_login_with_token(&api, GitHubToken::new(raw)?)
                    .await?
            } else {
                let client_id = client_id.unwrap_or_default();
                let code = wb.sync_device_start(&api, &client_id).await?;
                writeln!(
                    out,
                    "Open {} and enter the code {}",
                    code.verification_uri, code.user_code
                )
                .map_err(stdout_error)?;
                out.flush().map_err(stdout_error)?;
                wb.sync_device_finish(&api, &client_id, code).await?
            };
            writeln!(
                out,
                "Signed in to {api} as {login}; the token is in the OS keychain."
            )
            .map_err(stdout_error)?;
        }
        SyncCommand::Logout { api_url } => {
            let api = api_url.unwrap_or_else(|| plasma_sync::DEFAULT_API_URL.to_string());
            wb.sync_logout(&api).await?;
            writeln!(out, "Signed out of {api}.").map_err(stdout_error)?;
        }
        SyncCommand::Link {
            repo,
            base,
            api_url,
            layout,
        } => {
            let layout = match layout {
                Some(json) => Some(
                    serde_json::from_str(&json)
                        .map_err(|e| WorkbenchError::Invalid(format!("--layout: {e}")))?,
                ),
                None => None,
            };
            let link = wb
                .sync_link(&repo, base.as_deref(), api_url.as_deref(), layout)
                .await?;
            writeln!(
                out,
                "Linked {} (base branch {}, {})",
                link.repo, link.base_branch, link.api_url
            )
            .map_err(stdout_error)?;
        }
        SyncCommand::Publish {
            adrs,
            model,
            framework,
            roadmap,
            slo,
            all,
            repo,
            json,
        } => {
            let target = match (model, framework, slo) {
                (Some(m), _, _) => PublishTarget::Model(m),
                (_, Some(f), _) => PublishTarget::Framework(f),
                (_, _, Some(s)) => PublishTarget::Slo(s),
                _ if roadmap => PublishTarget::Roadmap,
                _ if all => PublishTarget::All,
                _ => PublishTarget::Adrs(adrs),
            };
            let report = wb.sync_publish(target, repo.as_deref(), &auth()).await?;
            if json {
                print_json(out, &report)?;
            } else {
                for p in &report.published {
                    let what = match &p.commit {
                        Some(c) => format!("commit {}", &c[..c.len().min(12)]),
                        None => "no new commit (already there)".into(),
                    };
                    writeln!(
                        out,
                        "{}: {} on {}, pull request #{} ({}) {}",
                        p.documents.join(", "),
                        what,
                        p.branch,
                        p.pull_number,
                        p.pull_state,
                        p.pull_url
                    )
                    .map_err(stdout_error)?;
                }
                for q in &report.queued {
                    writeln!(
                        out,
                        "{q}: GitHub unreachable, queued; the next `plasma sync pull` sends it"
                    )
                    .map_err(stdout_error)?;
                }
                for r in &report.refused {
                    writeln!(out, "{r}").map_err(stdout_error)?;
                }
                if report.published.is_empty()
                    && report.queued.is_empty()
                    && report.refused.is_empty()
                {
                    writeln!(out, "Nothing to publish.").map_err(stdout_error)?;
                }
            }
            if !report.refused.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        SyncCommand::Pull { repo, json } => {
            let r = wb.sync_pull(repo.as_deref(), &auth()).await?;
            if json {
                print_json(out, &r)?;
            } else {
                for line in &r.sent_from_queue {
                    writeln!(out, "sent from queue: {line}").map_err(stdout_error)?;
                }
                for line in &r.pull_requests {
                    writeln!(out, "pull request: {line}").map_err(stdout_error)?;
                }
                if r.base_unchanged {
                    writeln!(out, "The base branch has not changed.").map_err(stdout_error)?;
                }
                for (label, keys) in [
                    ("taken from GitHub", &r.taken),
                    ("merged", &r.merged),
                    ("imported", &r.imported),
                    ("removed on GitHub (kept here)", &r.removed_remote),
                ] {
                    for k in keys {
                        writeln!(out, "{label}: {k}").map_err(stdout_error)?;
                    }
                }
                for k in &r.conflicts {
                    writeln!(
                        out,
                        "CONFLICT: {k} (both versions kept; see `plasma sync conflicts`)"
                    )
                    .map_err(stdout_error)?;
                }
            }
            if !r.conflicts.is_empty() {
                return Ok(ExitCode::from(2));
            }
        }
        SyncCommand::Status { repo, json } => {
            let s = wb.sync_status(repo.as_deref()).await?;
            if json {
                print_json(out, &s)?;
            } else {
                match &s.repo {
                    None => writeln!(
                        out,
                        "No repository linked: run `plasma sync link OWNER/REPO`."
                    )
                    .map_err(stdout_error)?,
                    Some(repo) => {
                        writeln!(
                            out,
                            "{repo} (base {})  queued: {}  conflicts: {}",
                            s.base_branch.as_deref().unwrap_or(""),
                            s.queued,
                            s.conflicts
                        )
                        .map_err(stdout_error)?;
                        for d in &s.documents {
                            let edited = if d.local_changes { "  *edited*" } else { "" };
                            let pr = d
                                .pull_url
                                .as_deref()
                                .map(|u| {
                                    format!("  {u} ({})", d.pull_state.as_deref().unwrap_or(""))
                                })
                                .unwrap_or_default();
                            writeln!(out, "{:<16} {:<14} {}{pr}{edited}", d.key, d.status, d.path)
                                .map_err(stdout_error)?;
                        }
                    }
                }
            }
        }
        SyncCommand::Conflicts { json } => {
            let list = wb.sync_conflicts().await?;
            if json {
                print_json(out, &list)?;
            } else if list.is_empty() {
                writeln!(out, "No conflicts.").map_err(stdout_error)?;
            } else {
                for c in &list {
                    writeln!(out, "{} ({})", c.key, c.repo).map_err(stdout_error)?;
                    for i in &c.items {
                        writeln!(
                            out,
                            "  {}\n    local:  {}\n    remote: {}",
                            i.item,
                            i.local.as_deref().unwrap_or("(deleted)").trim(),
                            i.remote.as_deref().unwrap_or("(deleted)").trim()
                        )
                        .map_err(stdout_error)?;
                    }
                }
                writeln!(
                    out,
                    "Resolve with `plasma sync resolve KEY --take local|remote`."
                )
                .map_err(stdout_error)?;
            }
        }
        SyncCommand::Resolve { key, take } => {
            let side = match take {
                Side::Local => ResolveSide::Local,
                Side::Remote => ResolveSide::Remote,
            };
            wb.sync_resolve(&key, side).await?;
            writeln!(
                out,
                "Resolved {key}: kept the {} version.",
                if matches!(take, Side::Local) {
                    "local"
                } else {
                    "remote"
                }
            )
            .map_err(stdout_error)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
