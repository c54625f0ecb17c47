//! Editing a workspace after it was created: rename it, describe it, add and
//! remove repositories. A repository that records still name is not removed:
//! the refusal says which records, so nothing is left pointing nowhere.

use plasma_models::compliance::Cell;
use plasma_models::workspace::validate_repository_name;
use plasma_models::{Repository, Workspace};
use plasma_storage::WorkspaceRecords;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Result, Workbench, WorkbenchError};

/// One edit of a workspace, applied whole or not at all. `None` keeps a
/// field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct WorkspaceEdit {
    /// A new name (unique among workspaces, ASCII case ignored).
    pub name: Option<String>,
    pub description: Option<String>,
    /// Repositories to add at the end of the list, in this order (an empty
    /// description is none).
    pub add_repositories: Vec<Repository>,
    /// Names of repositories to remove; refused while records name them.
    pub remove_repositories: Vec<String>,
}

/// How many items are named before "and N more".
const NAMED: usize = 5;

impl Workbench {
    /// The workspace whose id is `name_or_id`, else whose name is (ASCII case
    /// ignored); unlike [`Workbench::use_workspace`] it stays not current.
    pub async fn find_workspace(&self, name_or_id: &str) -> Result<Workspace> {
        let wanted = name_or_id.trim();
        let all = self.store().list_workspaces().await?;
        let found = all
            .iter()
            .find(|w| w.id.to_string() == wanted)
            .or_else(|| all.iter().find(|w| w.name.eq_ignore_ascii_case(wanted)));
        found.cloned().ok_or_else(|| {
            WorkbenchError::NotFound(format!(
                "no workspace named \"{wanted}\" (see `plasma workspace list`)"
            ))
        })
    }

    /// Applies `edit` to the workspace `name_or_id` in one transaction and
    /// returns it as stored. Refused, changing nothing, when a name is
    /// invalid or taken, a repository to add exists already, one to remove
    /// does not, or one to remove is still named by ADRs, compliance cells,
    /// threat models, initiatives or a GitHub sync link.
    pub async fn update_workspace(
        &self,
        name_or_id: &str,
        edit: &WorkspaceEdit,
    ) -> Result<Workspace> {
        let before = self.find_workspace(name_or_id).await?;
        let mut ws = before.clone();
        if let Some(name) = &edit.name {
            ws.name = name.trim().to_string();
        }
        if let Some(description) = &edit.description {
            ws.description = description.trim().to_string();
        }

        let mut removed: Vec<String> = Vec::new();
        for name in &edit.remove_repositories {
            let name = name.trim();
            let Some(repo) = before
                .repositories
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(name))
            else {
                return Err(WorkbenchError::Invalid(format!(
                    "workspace \"{}\" has no repository \"{name}\" (it has: {})",
                    before.name,
                    names_or_none(&before.repositories)
                )));
            };
            if !removed.contains(&repo.name) {
                removed.push(repo.name.clone());
            }
        }
        ws.repositories.retain(|r| !removed.contains(&r.name));

        for repo in &edit.add_repositories {
            let name = repo.name.trim();
            validate_repository_name(name)?;
            if let Some(existing) = before
                .repositories
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(name))
            {
                return Err(WorkbenchError::Invalid(format!(
                    "workspace \"{}\" already has a repository \"{}\"",
                    before.name, existing.name
                )));
            }
            if ws
                .repositories
                .iter()
                .any(|r| r.name.eq_ignore_ascii_case(name))
            {
                return Err(WorkbenchError::Invalid(format!(
                    "repository \"{name}\" is listed twice"
                )));
            }
            ws.repositories.push(Repository {
                name: name.to_string(),
                description: repo.description.trim().to_string(),
            });
        }

        ws.validate()?;
        if ws == before {
            return Ok(ws);
        }
        // The name and the references are checked on what is stored under
        // the write lock: a record naming a removed repository, or a
        // workspace taking the name, saved by another process after our
        // first read is seen.
        self.store()
            .update_workspace_checked(&ws, &before, !removed.is_empty(), |others, records| {
                let renamed = ws.name != before.name;
                if renamed && others.iter().any(|w| w.name.eq_ignore_ascii_case(&ws.name)) {
                    return Err(name_taken(&ws.name));
                }
                refuse_referenced(&removed, &referrers(records))
            })
            .await?;
        Ok(self.store().get_workspace(ws.id).await?)
    }
}

/// The refusal of a workspace name another workspace has (ASCII case
/// ignored).
pub(crate) fn name_taken(name: &str) -> WorkbenchError {
    WorkbenchError::Invalid(format!("a workspace named \"{name}\" already exists"))
}

/// Refuses, listing the records, when any of the `removed` repositories is
/// still named by one of `kinds`.
fn refuse_referenced(removed: &[String], kinds: &[Referrers]) -> Result<()> {
    let refused: Vec<String> = removed
        .iter()
        .filter_map(|name| {
            references(kinds, name).map(|refs| {
                format!("repository \"{name}\" cannot be removed: it is still referenced by {refs}")
            })
        })
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    let (them, repositories) = match refused.len() {
        1 => ("it", "the repository"),
        _ => ("them", "the repositories"),
    };
    // A sync link is no record to edit: say how it goes.
    let unlink = if refused.iter().any(|r| r.contains("GitHub sync link")) {
        " (a GitHub sync link goes with `plasma sync unlink` or Unlink on the GitHub sync page)"
    } else {
        ""
    };
    Err(WorkbenchError::Invalid(format!(
        "{}; remove {them} from those records first{unlink}, then remove {repositories}. \
         Nothing was changed.",
        refused.join("; ")
    )))
}

/// Every record that names a repository, by kind: what the refusal of a
/// removal lists.
fn referrers(records: &WorkspaceRecords) -> Vec<Referrers> {
    let adrs = records
        .adrs
        .iter()
        .map(|a| (format!("ADR-{:04}", a.number), a.repositories.clone()))
        .collect();
    // A cell nobody has assessed holds nothing; one with a status, a
    // reason, an owner, a narrative, evidence or links does.
    let cells = records
        .cells
        .iter()
        .filter(|c| c.cell != Cell::new(c.cell.control.clone(), c.cell.repository.clone()))
        .map(|c| {
            (
                c.cell.control.control.clone(),
                vec![c.cell.repository.clone()],
            )
        })
        .collect();
    let models = records
        .threat_models
        .iter()
        .map(|m| {
            (
                format!("\"{}\"", m.model.name),
                m.model.repositories.clone(),
            )
        })
        .collect();
    let initiatives = records
        .initiatives
        .iter()
        .map(|i| (i.initiative.key.clone(), i.initiative.repositories.clone()))
        .collect();
    // A link is OWNER/REPO; its repository part is the workspace's name.
    let links = records
        .sync_links
        .iter()
        .map(|l| {
            let name = l.repo.rsplit('/').next().unwrap_or_default().to_string();
            (l.repo.clone(), vec![name])
        })
        .collect();
    vec![
        Referrers::new("ADR", "ADRs", adrs),
        Referrers::new(
            "assessed compliance cell",
            "assessed compliance cells",
            cells,
        ),
        Referrers::new("threat model", "threat models", models),
        Referrers::new("roadmap initiative", "roadmap initiatives", initiatives),
        Referrers::new("GitHub sync link", "GitHub sync links", links),
    ]
}

/// The records of one kind, each with the repositories it names.
struct Referrers {
    one: &'static str,
    many: &'static str,
    records: Vec<(String, Vec<String>)>,
}

impl Referrers {
    fn new(one: &'static str, many: &'static str, records: Vec<(String, Vec<String>)>) -> Self {
        Referrers { one, many, records }
    }
}

/// What still names repository `name`, as a phrase per kind ("2 ADRs
/// (ADR-0003, ADR-0006) and 1 threat model (...)"), or `None` when nothing
/// does. Names are compared with ASCII case ignored, as GitHub compares
/// repository names.
fn references(kinds: &[Referrers], name: &str) -> Option<String> {
    let mut phrases: Vec<String> = kinds
        .iter()
        .filter_map(|k| {
            let naming: Vec<String> = k
                .records
                .iter()
                .filter(|(_, repos)| repos.iter().any(|r| r.trim().eq_ignore_ascii_case(name)))
                .map(|(label, _)| label.clone())
                .collect();
            counted(&naming, k.one, k.many)
        })
        .collect();
    let last = phrases.pop()?;
    Some(if phrases.is_empty() {
        last
    } else {
        format!("{} and {last}", phrases.join(", "))
    })
}

/// "3 ADRs (ADR-0001, ADR-0002, ADR-0003)", the first [`NAMED`] named;
/// `None` for no items.
fn counted(items: &[String], one: &str, many: &str) -> Option<String> {
    let noun = match items.len() {
        0 => return None,
        1 => one,
        _ => many,
    };
    let mut shown = items
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > NAMED {
        shown.push_str(&format!(" and {} more", items.len() - NAMED));
    }
    Some(format!("{} {noun} ({shown})", items.len()))
}

fn names_or_none(repos: &[Repository]) -> String {
    if repos.is_empty() {
        "none".into()
    } else {
        repos
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
