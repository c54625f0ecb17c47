//! The demo workspace a new user sees on first run: the Plasma Engine
//! program, with the decisions its lifecycle document names, in our words.

use chrono::Utc;
use plasma_models::{Repository, Workspace};
use plasma_storage::Store;
use uuid::Uuid;

use crate::{adr_io, Result, WorkbenchError};

const REPOSITORIES: [(&str, &str); 7] = [
    (
        "plasma-engine-gateway",
        "API gateway: authentication, routing and rate limits",
    ),
    (
        "plasma-engine-research",
        "Research pipelines and data ingestion",
    ),
    ("plasma-engine-brand", "Brand monitoring service"),
    ("plasma-engine-content", "Content generation workers"),
    (
        "plasma-engine-agent",
        "Agent runtime that calls AI models and tools",
    ),
    (
        "plasma-engine-shared",
        "Shared libraries, schemas and reusable workflows",
    ),
    (
        "plasma-engine-infra",
        "Docker Compose, Helm charts and Terraform",
    ),
];

const ADRS: [(&str, &str); 6] = [
    (
        "0001-organise-the-program-as-one-repository-per-service.md",
        include_str!("../demo/0001-organise-the-program-as-one-repository-per-service.md"),
    ),
    (
        "0002-adopt-a-python-and-typescript-baseline-stack.md",
        include_str!("../demo/0002-adopt-a-python-and-typescript-baseline-stack.md"),
    ),
    (
        "0003-ship-through-reusable-github-actions-workflows.md",
        include_str!("../demo/0003-ship-through-reusable-github-actions-workflows.md"),
    ),
    (
        "0004-run-every-environment-with-docker-compose.md",
        include_str!("../demo/0004-run-every-environment-with-docker-compose.md"),
    ),
    (
        "0005-deploy-staging-and-production-with-helm-on-kubernetes.md",
        include_str!("../demo/0005-deploy-staging-and-production-with-helm-on-kubernetes.md"),
    ),
    (
        "0006-manage-secrets-with-an-external-secrets-store.md",
        include_str!("../demo/0006-manage-secrets-with-an-external-secrets-store.md"),
    ),
];

pub(crate) async fn seed(store: &Store) -> Result<Workspace> {
    let ws = Workspace {
        id: Uuid::new_v4(),
        name: "Plasma Engine".into(),
        description: "Multi-repository program: gateway, research pipelines, brand and content \
                      services, an AI agent runtime, shared libraries and infrastructure."
            .into(),
        repositories: REPOSITORIES
            .iter()
            .map(|(name, description)| Repository {
                name: (*name).into(),
                description: (*description).into(),
            })
            .collect(),
        created_at: Utc::now(),
    };
    store.create_workspace(&ws).await?;
    let files = ADRS
        .iter()
        .map(|(name, text)| ((*name).to_string(), Ok(text.as_bytes().to_vec())))
        .collect();
    let report = adr_io::import_files(store, ws.id, files).await?;
    if let Some(f) = report.failed.first() {
        // Our own files: a failure here is a bug, and saying so beats a half demo.
        return Err(WorkbenchError::Invalid(format!(
            "demo ADR {} did not import: {}",
            f.file, f.reason
        )));
    }
    Ok(ws)
}
