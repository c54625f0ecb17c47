use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::ModelError;

/// A program: the set of repositories its planning records are about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Workspace {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub repositories: Vec<Repository>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Repository {
    /// Short name, as on GitHub (`plasma-engine-gateway`).
    pub name: String,
    pub description: String,
}

impl Workspace {
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.name.trim().is_empty() {
            return Err(ModelError::Invalid {
                field: "name",
                reason: "a workspace needs a name".into(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for repo in &self.repositories {
            validate_repository_name(&repo.name)?;
            if !seen.insert(repo.name.as_str()) {
                return Err(ModelError::Invalid {
                    field: "repositories",
                    reason: format!("repository \"{}\" is listed twice", repo.name),
                });
            }
        }
        Ok(())
    }
}

/// GitHub's rule for repository names: ASCII letters, digits, `-`, `_`, `.`.
pub fn validate_repository_name(name: &str) -> Result<(), ModelError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ModelError::Invalid {
            field: "repositories",
            reason: format!(
                "\"{name}\" is not a valid repository name (use letters, digits, '-', '_' or '.')"
            ),
        })
    }
}
