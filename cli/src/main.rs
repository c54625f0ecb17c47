//! `plasma`: the second thin shell over the workbench. Each subcommand is a
//! call into `plasma_workbench` plus formatting; errors go to stderr with a
//! non-zero exit code.

mod compliance;
mod roadmap;
mod slo;
mod sync;
mod threat_controls;
mod threats;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use plasma_exports::adr_markdown::{self, Template};
use plasma_exports::graph_export;
use plasma_models::{Adr, Repository, Workspace};
use plasma_workbench::{
    resolve_db_path, AdrFilter, AdrSummary, RecordKind, Workbench, WorkbenchError, WorkspaceEdit,
};
use serde::Serialize;

/// A bulk `adr import` of 1,000 files spends about a fifth of its CPU time
/// in glibc's allocator (threads parsing and rendering allocate many small
/// strings); mimalloc takes 15 to 25 % off its CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for an error (bad arguments or input, a missing file, the
/// database): distinct from a failed gate (1) and `sync pull`'s conflicts
/// (2), so a CI step can tell "the check failed" from "the check did not run".
const EXIT_ERROR: u8 = 3;

#[derive(Parser)]
#[command(
    name = "plasma",
    version,
    about = "Plasma Plan: planning records for multi-repository programs",
    after_help = "Exit status: 0 done; 1 a gate failed (`threats check`, `roadmap check`, \
`compliance evidence` with expired evidence, `sync publish` with refused drafts) or \
`adr import` left files out; 2 `sync pull` left conflicts; 3 an error (bad arguments or \
input, a missing file, the database); 130 cancelled."
)]
struct Cli {
    /// SQLite database to use (default: $PLASMA_DB, else the OS data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Workspace to act on, by name or id (default: the last one used).
    #[arg(long, short = 'w', global = true, value_name = "NAME")]
    workspace: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Architecture decision records.
    #[command(subcommand)]
    Adr(AdrCommand),
    /// Full-text search over every record of the workspace.
    Search {
        /// Words to find: every word must start a word of the record (case and accents aside).
        query: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Workspaces (programs) and their repositories.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Add the "Plasma Engine" demo workspace, once per database (as the
    /// app's first run does); it becomes current unless the workspace in use
    /// holds something.
    Demo,
    /// Threat models: import, STRIDE generation, reports, export, CI gate.
    #[command(subcommand)]
    Threats(threats::ThreatsCommand),
    /// Compliance matrices: frameworks, cells and evidence, coverage, gaps, exports.
    #[command(subcommand)]
    Compliance(compliance::ComplianceCommand),
    /// GitHub sync: sign in, link a repository, publish drafts as pull
    /// requests, pull changes back, conflicts.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// The cross-repository roadmap: initiatives, dependencies, gates, exports.
    #[command(subcommand)]
    Roadmap(roadmap::RoadmapCommand),
    /// Service level objectives: error budgets, burn-rate alerts, OpenSLO and Sloth.
    #[command(subcommand)]
    Slo(slo::SloCommand),
}

#[derive(Subcommand)]
enum AdrCommand {
    /// List ADRs.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Only ADRs with this status (accepted, proposed, superseded...).
        #[arg(long)]
        status: Option<String>,
        /// Only ADRs with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only ADRs that apply to this repository.
        #[arg(long)]
        repository: Option<String>,
    },
    /// Print one ADR as MADR 4 Markdown (or JSON).
    Show {
        /// The ADR's number.
        number: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create an ADR from a template.
    New {
        /// The decision's title.
        #[arg(long)]
        title: String,
        /// The template to start from.
        #[arg(long, value_enum, default_value_t = TemplateArg::Madr4Full)]
        template: TemplateArg,
    },
    /// Mark ADR OLD as superseded by ADR NEW (both change together).
    Supersede {
        /// The number of the ADR being superseded.
        old: u32,
        /// The number of the ADR that supersedes it.
        #[arg(long, value_name = "NEW")]
        by: u32,
    },
    /// Import a folder of Markdown ADRs (adr-tools, MADR 2/3/4, log4brains).
    Import {
        /// The folder of Markdown ADRs (sub-folders too).
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export as MADR 4 files with index.md and the decision graph.
    Export {
        /// The folder to write into (created if missing; files of the same name are replaced).
        dir: PathBuf,
    },
    /// Show an ADR's revisions, newest first.
    History {
        /// The ADR's number.
        number: u32,
    },
    /// Print the decision graph as SVG, Mermaid or Graphviz DOT.
    Graph {
        /// The picture's format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Write to this file instead of standard output (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Svg,
    Mermaid,
    Dot,
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// List the workspaces; `*` marks the current one.
    List,
    /// Create a workspace and make it the current one.
    Create {
        /// The workspace's name.
        name: String,
        /// A repository of the program (repeatable).
        #[arg(long = "repo")]
        repos: Vec<String>,
    },
    /// Print a workspace's name, description and repositories.
    Show {
        /// Name or id (default: the current workspace).
        #[arg(value_name = "WORKSPACE")]
        target: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Rename a workspace, set its description, add or remove repositories.
    ///
    /// Every change given is applied together or not at all. A repository
    /// that ADRs, compliance cells, threat models, roadmap initiatives or a
    /// GitHub sync link still name is not removed: the error says which.
    Edit {
        /// Name or id (default: the current workspace).
        #[arg(value_name = "WORKSPACE")]
        target: Option<String>,
        /// New name.
        #[arg(long, value_name = "NEW")]
        name: Option<String>,
        /// New description ("" clears it).
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// A repository to add (repeatable).
        #[arg(long = "add-repo", value_name = "NAME")]
        add: Vec<String>,
        /// A repository to remove (repeatable).
        #[arg(long = "remove-repo", value_name = "NAME")]
        remove: Vec<String>,
    },
    /// Make a workspace the default for later commands.
    Use {
        /// The workspace's name or id.
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TemplateArg {
    Madr4Full,
    Madr4Minimal,
    Nygard,
}

impl From<TemplateArg> for Template {
    fn from(t: TemplateArg) -> Template {
        match t {
            TemplateArg::Madr4Full => Template::Madr4Full,
            TemplateArg::Madr4Minimal => Template::Madr4Minimal,
            TemplateArg::Nygard => Template::Nygard,
        }
    }
}

/// `list --json` rows: the stable, documented shape for scripts.
#[derive(Serialize)]
struct ListRow<'a> {
    number: u32,
    title: &'a str,
    status: &'a str,
    date: Option<String>,
    supersedes: &'a [u32],
    superseded_by: &'a [u32],
    tags: &'a [String],
    repositories: &'a [String],
    id: String,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own exit would use 2, the code of `sync pull`'s conflicts.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        // `plasma adr list | head`, `--out - | head`: the reader's choice.
        Err(WorkbenchError::OutputClosed { .. }) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, WorkbenchError> {
    let db = resolve_db_path(cli.db);
    // ADR commands and search run one store operation at a time: one
    // connection saves opening (and parsing the schema in) a second one.
    let wb = match cli.command {
        Command::Adr(_) | Command::Search { .. } => Workbench::open_sequential(&db).await?,
        _ => Workbench::open(&db).await?,
    };
    let result = dispatch(&wb, cli.workspace, cli.command, &db)
        .await
        // A write refused by a store opened read-only names the file.
        .map_err(|e| match e {
            WorkbenchError::Store(e) => WorkbenchError::Store(e.naming_file(&db)),
            other => other,
        });
    // A clean close checkpoints and truncates the WAL; without it every
    // later command pays to replay what this one wrote.
    wb.close().await;
    result
}

async fn dispatch(
    wb: &Workbench,
    workspace_name: Option<String>,
    command: Command,
    db: &std::path::Path,
) -> Result<ExitCode, WorkbenchError> {
    if let Some(name) = &workspace_name {
        wb.use_workspace(name).await?;
    }
    let mut out = std::io::stdout().lock();
    match command {
        Command::Adr(cmd) => adr(wb, cmd, &mut out).await,
        Command::Search { query, json } => {
            let found = wb.search_everything(&query).await?;
            if json {
                print_json(&mut out, &found)?;
            } else if found.adrs.is_empty() && found.records.is_empty() {
                writeln!(out, "No matches for \"{query}\".").map_err(stdout_error)?;
            } else {
                for h in found.adrs {
                    writeln!(
                        out,
                        "ADR-{:04}  {}  [{}]\n    {}",
                        h.number,
                        h.title,
                        h.status,
                        one_line(&h.snippet)
                    )
                    .map_err(stdout_error)?;
                }
                for r in found.records {
                    let kind = match r.kind {
                        RecordKind::ThreatModel => "threat model",
                        RecordKind::Threat => "threat",
                        RecordKind::Control => "control",
                        RecordKind::Initiative => "initiative",
                        RecordKind::Slo => "SLO",
                    };
                    writeln!(
                        out,
                        "{kind}  {}  [{}]\n    {}",
                        r.title,
                        r.context,
                        one_line(&r.snippet)
                    )
                    .map_err(stdout_error)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Workspace(cmd) => workspace(wb, cmd, &mut out).await,
        Command::Threats(cmd) => threats::run(wb, cmd, &mut out).await,
        Command::Compliance(cmd) => compliance::run(wb, cmd, &mut out).await,
        Command::Sync(cmd) => sync::run(wb, cmd, &mut out).await,
        Command::Roadmap(cmd) => roadmap::run(wb, cmd, &mut out).await,
        Command::Slo(cmd) => slo::run(wb, cmd, &mut out).await,
        Command::Demo => {
            let ws = wb.ensure_demo_workspace().await?;
            writeln!(
                out,
                "Workspace \"{}\" is ready in {}",
                ws.name,
                db.display()
            )
            .map_err(stdout_error)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn adr(
    wb: &Workbench,
    cmd: AdrCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        AdrCommand::List {
            json,
            status,
            tag,
            repository,
        } => {
            let filter = AdrFilter {
                status,
                tag,
                repository,
                query: None,
            };
            let adrs = wb.list_adrs(&filter).await?;
            if json {
                let rows: Vec<ListRow> = adrs.iter().map(list_row).collect();
                print_json(out, &rows)?;
            } else {
                for a in &adrs {
                    writeln!(
                        out,
                        "ADR-{:04}  {:<11} {}  {}",
                        a.number,
                        a.status.label(),
                        a.date
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "----------".into()),
                        a.title
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        AdrCommand::Show { number, json } => {
            let adr = wb.get_adr_by_number(number).await?;
            if json {
                print_json(out, &adr)?;
            } else {
                let all = wb.list_full_adrs().await?;
                write!(out, "{}", render(&adr, &all)).map_err(stdout_error)?;
            }
        }
        AdrCommand::New { title, template } => {
            let adr = wb.create_adr(&title, template.into()).await?;
            writeln!(
                out,
                "Created ADR-{:04} \"{}\" ({})",
                adr.number,
                adr.title,
                adr.status.label()
            )
            .map_err(stdout_error)?;
        }
        AdrCommand::Supersede { old, by } => {
            wb.supersede_by_number(old, by).await?;
            writeln!(out, "ADR-{old:04} is now superseded by ADR-{by:04}").map_err(stdout_error)?;
        }
        AdrCommand::Import { dir, json } => {
            let report = wb.import_adrs(&dir).await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(
                    out,
                    "Imported {} ADRs from {}: {} new, {} updated, {} unchanged",
                    report.created.len() + report.updated.len() + report.unchanged.len(),
                    dir.display(),
                    report.created.len(),
                    report.updated.len(),
                    report.unchanged.len()
                )
                .map_err(stdout_error)?;
                for s in &report.skipped {
                    writeln!(out, "skipped {}: {}", s.file, s.reason).map_err(stdout_error)?;
                }
                for r in &report.renumbered {
                    writeln!(out, "renumbered {}: {}", r.file, r.reason).map_err(stdout_error)?;
                }
            }
            for f in &report.failed {
                match f.line {
                    Some(line) => eprintln!("error: {}:{}: {}", f.file, line, f.reason),
                    None => eprintln!("error: {}: {}", f.file, f.reason),
                }
            }
            if !report.failed.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        AdrCommand::Export { dir } => {
            let report = wb.export_adrs(&dir).await?;
            writeln!(out, "Wrote {} files to {}", report.files.len(), report.dir)
                .map_err(stdout_error)?;
        }
        AdrCommand::Graph { format, out: file } => {
            let adrs = wb.list_full_adrs().await?;
            let text = match format {
                GraphFormat::Svg => graph_export::svg(&adrs, false),
                GraphFormat::Mermaid => graph_export::mermaid(&adrs),
                GraphFormat::Dot => graph_export::dot(&adrs),
            };
            match file.filter(|path| !is_stdout(path)) {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| WorkbenchError::io(&path, e))?
                }
                None => write!(out, "{text}").map_err(stdout_error)?,
            }
        }
        AdrCommand::History { number } => {
            let adr = wb.get_adr_by_number(number).await?;
            for r in wb.revisions(adr.id).await? {
                writeln!(
                    out,
                    "r{:<4} {}  {}",
                    r.revision,
                    r.saved_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    r.summary
                )
                .map_err(stdout_error)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn workspace(
    wb: &Workbench,
    cmd: WorkspaceCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        WorkspaceCommand::List => {
            let current = wb.current_workspace().await?;
            for ws in wb.list_workspaces().await? {
                let mark = if ws.id == current.id { '*' } else { ' ' };
                writeln!(
                    out,
                    "{mark} {}  ({} repositories)",
                    ws.name,
                    ws.repositories.len()
                )
                .map_err(stdout_error)?;
            }
        }
        WorkspaceCommand::Create { name, repos } => {
            let ws = wb.create_workspace(&name, &repos).await?;
            writeln!(out, "Created workspace \"{}\"", ws.name).map_err(stdout_error)?;
        }
        WorkspaceCommand::Use { name } => {
            let ws = wb.use_workspace(&name).await?;
            writeln!(out, "Using workspace \"{}\"", ws.name).map_err(stdout_error)?;
        }
        WorkspaceCommand::Show { target, json } => {
            let ws = match target {
                Some(name) => wb.find_workspace(&name).await?,
                None => wb.current_workspace().await?,
            };
            if json {
                print_json(out, &ws)?;
            } else {
                print_workspace(out, &ws)?;
            }
        }
        WorkspaceCommand::Edit {
            target,
            name,
            description,
            add,
            remove,
        } => {
            if name.is_none() && description.is_none() && add.is_empty() && remove.is_empty() {
                return Err(WorkbenchError::Invalid(
                    "nothing to change: give --name, --description, --add-repo or --remove-repo"
                        .into(),
                ));
            }
            let target = match target {
                Some(name) => name,
                None => wb.current_workspace().await?.id.to_string(),
            };
            let edit = WorkspaceEdit {
                name,
                description,
                add_repositories: add
                    .into_iter()
                    .map(|name| Repository {
                        name,
                        description: String::new(),
                    })
                    .collect(),
                remove_repositories: remove,
            };
            let ws = wb.update_workspace(&target, &edit).await?;
            writeln!(out, "Updated workspace \"{}\"", ws.name).map_err(stdout_error)?;
            print_workspace(out, &ws)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_workspace(out: &mut impl Write, ws: &Workspace) -> Result<(), WorkbenchError> {
    writeln!(out, "{}", ws.name).map_err(stdout_error)?;
    if !ws.description.is_empty() {
        writeln!(out, "  {}", ws.description).map_err(stdout_error)?;
    }
    writeln!(out, "Repositories ({}):", ws.repositories.len()).map_err(stdout_error)?;
    let width = ws
        .repositories
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0);
    for r in &ws.repositories {
        if r.description.is_empty() {
            writeln!(out, "  {}", r.name)
        } else {
            writeln!(out, "  {:<width$}  {}", r.name, r.description)
        }
        .map_err(stdout_error)?;
    }
    Ok(())
}

fn list_row(a: &AdrSummary) -> ListRow<'_> {
    ListRow {
        number: a.number,
        title: &a.title,
        status: a.status.label(),
        date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
        supersedes: &a.supersedes,
        superseded_by: &a.superseded_by,
        tags: &a.tags,
        repositories: &a.repositories,
        id: a.id.to_string(),
    }
}

fn render(adr: &Adr, all: &[Adr]) -> String {
    let names: std::collections::BTreeMap<u32, String> = all
        .iter()
        .map(|a| (a.number, adr_markdown::file_name(a)))
        .collect();
    adr_markdown::render_madr4_with(adr, &|n| names.get(&n).cloned())
}

fn print_json(out: &mut impl Write, value: &impl Serialize) -> Result<(), WorkbenchError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| {
        // A write error (a closed pipe above all) is standard output's, not the value's.
        if e.is_io() {
            stdout_error(e.into())
        } else {
            WorkbenchError::Invalid(e.to_string())
        }
    })?;
    writeln!(out).map_err(stdout_error)
}

/// A record's history, oldest first, one revision a line.
fn print_revisions(
    out: &mut impl Write,
    revisions: &[plasma_workbench::RevisionSummary],
) -> Result<(), WorkbenchError> {
    for r in revisions {
        writeln!(
            out,
            "revision {}  {}  {}",
            r.revision,
            r.saved_at.format("%Y-%m-%d %H:%M:%S UTC"),
            r.summary
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}

/// `--out -` of an export that writes one file: standard output, through the
/// `/dev/stdout` link (exports write through a link instead of replacing it).
fn out_file(path: PathBuf) -> PathBuf {
    if path.as_os_str() == "-" {
        PathBuf::from("/dev/stdout")
    } else {
        path
    }
}

/// Whether `--out` names standard output, where a "Wrote ..." line would
/// land inside the exported text.
fn is_stdout(path: &std::path::Path) -> bool {
    path.as_os_str() == "-" || path == std::path::Path::new("/dev/stdout")
}

/// Text on one terminal line: runs of whitespace, line breaks included, become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stdout_error(e: std::io::Error) -> WorkbenchError {
    WorkbenchError::io(std::path::Path::new("standard output"), e)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (conflicting names, bad defaults...).
    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }

    /// Every command, argument and option says what it is in `--help`:
    /// a scripted user reads the help, not the source.
    #[test]
    fn every_command_and_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} <{}>", arg.get_id()));
                }
            }
            // `help` repeats the tree.
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let sub_path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut cmd = super::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "plasma", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }
}
