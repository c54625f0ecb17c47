//! `plasma sync ...`: GitHub sign-in, linking, publish, pull, status and
//! conflicts. Thin: each arm is a workbench call plus formatting.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plasma_sync::GitHubToken;
use plasma_workbench::{
    CancelToken, ItemChoice, ItemTake, PublishTarget, ResolveSide, SyncAuth, SyncControl,
    SyncProgress, Workbench, WorkbenchError,
};

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
        /// GitHub API URL (Enterprise Server: https://HOST/api/v3; default: github.com).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
    },
    /// Link a repository to the workspace (or change its branch or API URL).
    Link {
        /// OWNER/REPO
        repo: String,
        /// The base branch pull requests target (default: the repository's default branch).
        #[arg(long, value_name = "BRANCH")]
        base: Option<String>,
        /// GitHub API URL (Enterprise Server: https://HOST/api/v3; default: github.com).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// Folder layout as JSON, e.g. '{"adr_dir":"architecture/decisions"}'.
        #[arg(long, value_name = "JSON")]
        layout: Option<String>,
    },
    /// Unlink a repository: its sync state goes, the records stay (refused
    /// while it has unresolved conflicts or queued publishes).
    Unlink {
        /// OWNER/REPO
        repo: String,
    },
    /// Publish drafts as pull requests (one commit on drafts/<kind>-<slug>);
    /// exit 1 when a draft is refused.
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
        /// A linked repository (default: the first one linked).
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Bring changes from the base branch in (three-way merge); exit 2 when
    /// conflicts remain.
    Pull {
        /// A linked repository (default: the first one linked).
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sync status of every document.
    Status {
        /// A linked repository (default: the first one linked).
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List conflicts found by pulls, with both versions of each item.
    Conflicts {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resolve a conflict: the whole document (--take mine|theirs), or item
    /// by item (--item ID --take mine|theirs, repeated; items left out stay
    /// in conflict until resolved too).
    Resolve {
        /// The document key as `plasma sync conflicts` shows it (adr:3,
        /// threat-model:<id>, compliance:<framework>, slo:<service>/<name>).
        key: String,
        /// A conflicting item as `plasma sync conflicts` lists it (repeatable).
        #[arg(long = "item", value_name = "ID")]
        items: Vec<String>,
        /// mine or theirs: once for all, or once per --item in the same order.
        #[arg(long, value_enum, required = true)]
        take: Vec<Side>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Side {
    /// This workspace's version.
    #[value(alias = "local")]
    Mine,
    /// GitHub's version.
    #[value(alias = "remote")]
    Theirs,
}

fn auth() -> SyncAuth {
    SyncAuth {
        env_token: std::env::var("GITHUB_TOKEN").ok(),
        policy: None,
    }
}

/// Progress on standard error, one line per request; the first Ctrl+C stops
/// at the next request boundary, a second one quits at once.
fn progress_control() -> SyncControl {
    let cancel = CancelToken::default();
    let on_signal = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("Stopping after the current request (Ctrl+C again to quit now)…");
            on_signal.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    SyncControl::new(
        |p: SyncProgress| {
            let doc = if p.document.is_empty() {
                String::new()
            } else {
                format!("{}: ", p.document)
            };
            eprintln!("[{}/{}] {doc}{}", p.step, p.total, p.request);
        },
        cancel,
    )
}

/// Exit code of a sync the user stopped with Ctrl+C.
const CANCELLED: u8 = 130;

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
        SyncCommand::Unlink { repo } => {
            wb.sync_unlink(&repo).await?;
            writeln!(out, "Unlinked {}", repo.trim()).map_err(stdout_error)?;
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
            let report = wb
                .sync_publish_with(target, repo.as_deref(), &auth(), &progress_control())
                .await?;
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
                if report.cancelled {
                    writeln!(
                        out,
                        "Cancelled: drafts not listed above were not sent and GitHub is unchanged for them."
                    )
                    .map_err(stdout_error)?;
                } else if report.published.is_empty()
                    && report.queued.is_empty()
                    && report.refused.is_empty()
                {
                    writeln!(out, "Nothing to publish.").map_err(stdout_error)?;
                }
            }
            if report.cancelled {
                return Ok(ExitCode::from(CANCELLED));
            }
            if !report.refused.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        SyncCommand::Pull { repo, json } => {
            let r = wb
                .sync_pull_with(repo.as_deref(), &auth(), &progress_control())
                .await?;
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
                for n in &r.notices {
                    writeln!(out, "NOTE: {n}").map_err(stdout_error)?;
                }
                if r.cancelled {
                    writeln!(
                        out,
                        "Cancelled: the next `plasma sync pull` reads what was not read."
                    )
                    .map_err(stdout_error)?;
                }
            }
            if r.cancelled {
                return Ok(ExitCode::from(CANCELLED));
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
                let show = |side: &Option<String>| {
                    side.as_deref()
                        .map(|t| t.trim().replace('\n', "\n            "))
                        .unwrap_or_else(|| "(deleted)".into())
                };
                for c in &list {
                    writeln!(out, "{} ({})", c.key, c.repo).map_err(stdout_error)?;
                    for i in &c.items {
                        writeln!(
                            out,
                            "  item {}\n    base:   {}\n    mine:   {}\n    theirs: {}",
                            i.item,
                            show(&i.base),
                            show(&i.local),
                            show(&i.remote)
                        )
                        .map_err(stdout_error)?;
                    }
                }
                writeln!(
                    out,
                    "Resolve with `plasma sync resolve KEY --take mine|theirs`, or per item with `--item ID --take mine|theirs`."
                )
                .map_err(stdout_error)?;
            }
        }
        SyncCommand::Resolve { key, items, take } => {
            let word = |s: Side| if s == Side::Mine { "mine" } else { "theirs" };
            if items.is_empty() {
                let [side] = take[..] else {
                    return Err(WorkbenchError::Invalid(
                        "without --item, give one --take for the whole document".into(),
                    ));
                };
                let whole = match side {
                    Side::Mine => ResolveSide::Local,
                    Side::Theirs => ResolveSide::Remote,
                };
                wb.sync_resolve(&key, whole, None).await?;
                writeln!(out, "Resolved {key}: took {} for every item.", word(side))
                    .map_err(stdout_error)?;
            } else {
                if take.len() != 1 && take.len() != items.len() {
                    return Err(WorkbenchError::Invalid(format!(
                        "{} --item but {} --take: give one --take for all, or one per --item",
                        items.len(),
                        take.len()
                    )));
                }
                let choices: Vec<ItemChoice> = items
                    .iter()
                    .enumerate()
                    .map(|(n, item)| {
                        let side = take[if take.len() == 1 { 0 } else { n }];
                        ItemChoice {
                            item: item.clone(),
                            take: if side == Side::Mine {
                                ItemTake::Mine
                            } else {
                                ItemTake::Theirs
                            },
                        }
                    })
                    .collect();
                let left = wb.sync_resolve_items(&key, choices, None).await?;
                if left.items.is_empty() {
                    writeln!(out, "Resolved {key}: saved as a new revision.")
                        .map_err(stdout_error)?;
                } else {
                    writeln!(
                        out,
                        "Recorded {} choice(s) for {key}; still in conflict: {}",
                        items.len(),
                        left.items
                            .iter()
                            .map(|i| i.item.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
