//! The demo workspace a new user sees on first run: the Plasma Engine
//! program, with the decisions its lifecycle document names, in our words,
//! its immediate next actions as a roadmap, SLOs for the gateway, research
//! pipelines and content workers, and its initial DORA targets.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Utc};
use plasma_models::compliance::{Cell, ControlRef, Evidence, EvidenceKind, ImplementationStatus};
use plasma_models::roadmap::{Initiative, InitiativeStatus, Milestone};
use plasma_models::slo::{
    BudgetingMethod, DoraMetric, DoraTarget, RatioCounter, Sli, Slo, ThresholdOp,
};
use plasma_models::{Repository, Workspace};
use plasma_storage::{Store, WorkspaceSeed};
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

/// The demo workspace's name.
pub(crate) const NAME: &str = "Plasma Engine";

/// Seeds the demo program in one transaction, so a first start stopped
/// midway leaves no half demo behind; the seeded mark (and, when
/// `make_current`, the current workspace) is written with it. `None` when
/// a workspace of its name exists under the write lock (another process
/// seeding at the same time made it first, or it is the user's): then
/// nothing is written.
pub(crate) async fn seed(store: &Store, make_current: bool) -> Result<Option<Workspace>> {
    let seed = content(make_current)?;
    let mut taken = false;
    let stored = store
        .seed_workspace(&seed, |all| {
            taken = all.iter().any(|w| w.name.eq_ignore_ascii_case(NAME));
            match taken {
                true => Err(crate::workspace::name_taken(NAME)),
                false => Ok(()),
            }
        })
        .await;
    match stored {
        Ok(()) => Ok(Some(seed.workspace)),
        Err(_) if taken => Ok(None),
        Err(e) => Err(e),
    }
}

/// Everything the demo holds, built before anything is written.
fn content(make_current: bool) -> Result<WorkspaceSeed> {
    let ws = Workspace {
        id: Uuid::new_v4(),
        name: NAME.into(),
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
    let files = ADRS
        .iter()
        .map(|(name, text)| ((*name).to_string(), Ok(text.as_bytes().to_vec())))
        .collect();
    let (adrs, report) = adr_io::new_workspace_items(files);
    if let Some(f) = report.failed.first() {
        // Our own files: a failure here is a bug, and saying so beats a half demo.
        return Err(WorkbenchError::Invalid(format!(
            "demo ADR {} did not import: {}",
            f.file, f.reason
        )));
    }
    let (model, session, linked) = crate::demo_threats::content(&ws)?;
    let mut cells = compliance_cells();
    if let Some(link) = linked {
        // The matrix may assess the same control already: one cell holds both.
        match cells
            .iter_mut()
            .find(|c| c.control == link.control && c.repository == link.repository)
        {
            Some(cell) => cell.threats.extend(link.threats),
            None => cells.push(link),
        }
    }
    let mut settings = vec![(crate::DEMO_SEEDED.to_string(), "1".to_string())];
    if make_current {
        settings.push((crate::CURRENT_WORKSPACE.to_string(), ws.id.to_string()));
    }
    Ok(WorkspaceSeed {
        adrs,
        threat_models: vec![(model, vec![session])],
        cells,
        initiatives: demo_initiatives(ws.id)?,
        slos: demo_slos(ws.id),
        dora_targets: program_dora_targets(),
        settings,
        workspace: ws,
    })
}

const GATEWAY: &str = "plasma-engine-gateway";
const RESEARCH: &str = "plasma-engine-research";
const BRAND: &str = "plasma-engine-brand";
const CONTENT: &str = "plasma-engine-content";
const AGENT: &str = "plasma-engine-agent";
const SHARED: &str = "plasma-engine-shared";
const INFRA: &str = "plasma-engine-infra";

/// One demo assessment: (framework, control, repositories, status, owner,
/// narrative, evidence, ADRs).
struct Assessment {
    control: (&'static str, &'static str),
    repos: &'static [&'static str],
    status: ImplementationStatus,
    owner: &'static str,
    narrative: &'static str,
    /// (kind, title, location, collected days ago, expires in days).
    evidence: &'static [(EvidenceKind, &'static str, &'static str, u64, Option<i64>)],
    adrs: &'static [u32],
}

/// A realistic starting matrix: the SDLC baseline mostly in place for the
/// gateway and the infrastructure, gaps elsewhere, one expired DR test and
/// one stale branch-protection export, personal-data controls only where
/// personal data lives.
fn compliance_cells() -> Vec<Cell> {
    use EvidenceKind::*;
    use ImplementationStatus::*;
    const CI_SCAN: &str = "plasma-engine-shared/.github/workflows/security-scan.yml";
    let all: &[&str] = &[GATEWAY, RESEARCH, BRAND, CONTENT, AGENT, SHARED, INFRA];
    let plan: Vec<Assessment> = vec![
        Assessment {
            control: ("plasma-sdlc", "SDLC-01"),
            repos: all,
            status: Implemented,
            owner: "architecture guild",
            narrative: "New services and data flows start with an ADR reviewed by the guild.",
            evidence: &[(Link, "ADR log", "https://github.com/plasma-engine/plasma-engine-shared/tree/main/docs/adr", 20, None)],
            adrs: &[1, 3],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-02"),
            repos: &[GATEWAY, AGENT],
            status: Implemented,
            owner: "security team",
            narrative: "STRIDE models kept for the gateway and the agent runtime; reviewed each quarter.",
            evidence: &[(Note, "Quarterly threat review", "Gateway and agent models reviewed; two high threats mitigated.", 40, None)],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-02"),
            repos: &[RESEARCH, CONTENT, BRAND],
            status: Planned,
            owner: "security team",
            narrative: "Ingestion and content flows to be modelled next quarter.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-03"),
            repos: &[GATEWAY, RESEARCH, BRAND, CONTENT, AGENT, SHARED],
            status: Implemented,
            owner: "platform team",
            narrative: "The reusable security workflow runs CodeQL, dependency review and secret scanning on every pull request.",
            evidence: &[(CiJob, "security-scan workflow", CI_SCAN, 7, Some(90))],
            adrs: &[3],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-03"),
            repos: &[INFRA],
            status: Partial,
            owner: "platform team",
            narrative: "Conftest checks Helm and Terraform; no secret scanning yet.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-04"),
            repos: &[GATEWAY, AGENT, RESEARCH],
            status: Implemented,
            owner: "platform team",
            narrative: "Syft writes an SBOM for every image pushed to ghcr.io/plasma-engine.",
            evidence: &[(CiJob, "build-image: syft SBOM step", "plasma-engine-shared/.github/workflows/build-image.yml", 3, Some(27))],
            adrs: &[3],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-04"),
            repos: &[BRAND, CONTENT],
            status: Planned,
            owner: "platform team",
            narrative: "Moving to the shared build workflow.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-05"),
            repos: &[GATEWAY],
            status: Partial,
            owner: "platform team",
            narrative: "Images are signed with cosign; the cluster does not verify signatures yet.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-06"),
            repos: all,
            status: Implemented,
            owner: "platform team",
            narrative: "Default branches protected; CODEOWNERS review required.",
            evidence: &[(Link, "Branch rulesets export", "https://github.com/organizations/plasma-engine/settings/rules", 420, None)],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-07"),
            repos: &[GATEWAY, INFRA],
            status: Implemented,
            owner: "identity team",
            narrative: "SSO with MFA for people; service accounts scoped per namespace.",
            evidence: &[(Link, "IdP MFA policy", "https://idp.example.com/policies/mfa", 30, Some(335))],
            adrs: &[6],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-08"),
            repos: &[INFRA, GATEWAY],
            status: Implemented,
            owner: "release managers",
            narrative: "Helm releases need an approved change record; every release notes its rollback.",
            evidence: &[(Link, "Change record template", "https://github.com/plasma-engine/plasma-engine-infra/blob/main/.github/PULL_REQUEST_TEMPLATE.md", 60, None)],
            adrs: &[5],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-09"),
            repos: &[GATEWAY],
            status: Partial,
            owner: "SRE",
            narrative: "Access logs shipped to the log store; write-once retention not enabled yet.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-10"),
            repos: &[INFRA],
            status: Implemented,
            owner: "SRE",
            narrative: "Nightly database backups; restore drill twice a year.",
            evidence: &[(Note, "DR drill: RTO 42 min, RPO 15 min", "Restore of the research database into staging met both targets.", 200, Some(-20))],
            adrs: &[5],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-11"),
            repos: &[RESEARCH, GATEWAY],
            status: Implemented,
            owner: "data governance",
            narrative: "Ingested sources and request logs are tagged public, internal or personal.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("plasma-sdlc", "SDLC-12"),
            repos: &[RESEARCH, CONTENT],
            status: Planned,
            owner: "data governance",
            narrative: "Retention periods agreed; the deletion job is not built yet.",
            evidence: &[],
            adrs: &[],
        },
        Assessment {
            control: ("soc2", "CC6.1"),
            repos: &[GATEWAY],
            status: Implemented,
            owner: "identity team",
            narrative: "The gateway authenticates every request and enforces per-tenant scopes.",
            evidence: &[(Link, "Gateway auth design", "https://github.com/plasma-engine/plasma-engine-gateway/blob/main/docs/auth.md", 90, None)],
            adrs: &[],
        },
        Assessment {
            control: ("gdpr", "Art.17"),
            repos: &[RESEARCH],
            status: Partial,
            owner: "data governance",
            narrative: "Erasure requests are handled by hand from the admin console.",
            evidence: &[],
            adrs: &[],
        },
    ];
    let today = Utc::now().date_naive();
    let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let ahead = |days: i64| -> Option<NaiveDate> {
        if days >= 0 {
            today.checked_add_days(Days::new(days.unsigned_abs()))
        } else {
            today.checked_sub_days(Days::new(days.unsigned_abs()))
        }
    };
    let mut cells: Vec<Cell> = Vec::new();
    for a in &plan {
        for repo in a.repos {
            let mut cell = Cell::new(ControlRef::new(a.control.0, a.control.1), *repo);
            cell.set_status(a.status);
            cell.owner = a.owner.into();
            cell.narrative = a.narrative.into();
            cell.adrs = a.adrs.to_vec();
            if a.status != Planned {
                cell.last_reviewed = Some(ago(30));
            }
            for (kind, title, location, collected, expires) in a.evidence {
                cell.evidence.push(Evidence {
                    id: Uuid::new_v4(),
                    kind: *kind,
                    title: (*title).into(),
                    location: (*location).into(),
                    collected: ago(*collected),
                    expires: expires.and_then(ahead),
                });
            }
            cells.push(cell);
        }
    }
    // Shared libraries and infrastructure hold no personal data of their own.
    for control in ["Art.15", "Art.16", "Art.17", "Art.20"] {
        for repo in [SHARED, INFRA] {
            let mut cell = Cell::new(ControlRef::new("gdpr", control), repo);
            cell.set_not_applicable("Stores no personal data; services hold it.");
            cells.push(cell);
        }
    }
    // Services that build no images of their own do not need SBOMs.
    let mut sbom = Cell::new(ControlRef::new("plasma-sdlc", "SDLC-04"), SHARED);
    sbom.set_not_applicable("Builds libraries and workflows, no container images.");
    cells.push(sbom);
    cells
}

/// The program's "immediate next actions" as roadmap initiatives, with the
/// dependencies between them and the gates their nature calls for.
fn demo_initiatives(ws: Uuid) -> Result<Vec<Initiative>> {
    let all_services: Vec<String> = REPOSITORIES
        .iter()
        .filter(|(n, _)| *n != "plasma-engine-infra")
        .map(|(n, _)| (*n).to_string())
        .collect();
    let mut ci = Initiative::new(
        ws,
        "ci-workflows",
        "Reusable GitHub Actions across service repos",
    );
    ci.description = "Lint, test, build and scan through the shared reusable workflows in every \
                      service repository (ADR-0003)."
        .into();
    ci.repositories = all_services;
    ci.owner = "Platform team".into();
    ci.status = InitiativeStatus::InProgress;
    ci.target_quarter = Some("2026-Q1".into());
    ci.estimate_days = 15;
    ci.architecture_change = true;
    ci.adrs = vec![3];
    ci.milestones = vec![
        Milestone {
            title: "Reusable workflows published in plasma-engine-shared".into(),
            due: NaiveDate::from_ymd_opt(2026, 1, 16),
            done: true,
        },
        Milestone {
            title: "Every service repository calls them".into(),
            due: NaiveDate::from_ymd_opt(2026, 1, 30),
            done: false,
        },
    ];

    let mut compose = Initiative::new(ws, "local-dev", "Local development with Docker Compose");
    compose.description =
        "One Compose file in plasma-engine-infra with shared Postgres, Redis and Neo4j.".into();
    compose.repositories = vec!["plasma-engine-infra".into()];
    compose.owner = "Platform team".into();
    compose.status = InitiativeStatus::Planned;
    compose.target_quarter = Some("2026-Q1".into());
    compose.estimate_days = 10;

    let mut slos = Initiative::new(ws, "slos-and-telemetry", "SLIs and SLOs with OpenTelemetry");
    slos.description = "Define SLIs and SLOs for the gateway, research pipelines and content \
                        workers; instrument them with OpenTelemetry."
        .into();
    slos.repositories = vec![
        "plasma-engine-gateway".into(),
        "plasma-engine-research".into(),
        "plasma-engine-content".into(),
    ];
    slos.owner = "SRE".into();
    slos.status = InitiativeStatus::Planned;
    slos.target_quarter = Some("2026-Q1".into());
    slos.estimate_days = 20;
    slos.depends_on = vec!["ci-workflows".into(), "local-dev".into()];
    // Traces and logs leave the services for the collector: a new flow.
    slos.new_data_flow = true;
    slos.threat_models = vec!["Telemetry pipeline".into()];

    let mut secrets = Initiative::new(
        ws,
        "secrets-and-policies",
        "Secrets management and Kubernetes policies",
    );
    secrets.description = "An external secrets store (Vault or AWS Secrets Manager) and baseline \
                           Kubernetes policies (Pod Security Standards, OPA)."
        .into();
    secrets.repositories = vec!["plasma-engine-infra".into(), "plasma-engine-gateway".into()];
    secrets.owner = "Security".into();
    secrets.status = InitiativeStatus::Proposed;
    secrets.target_quarter = Some("2026-Q2".into());
    secrets.estimate_days = 20;
    secrets.depends_on = vec!["local-dev".into()];
    secrets.architecture_change = true;
    secrets.adrs = vec![6];
    secrets.regulated_data = true;
    secrets.controls = vec!["SOC2-CC6.1".into(), "ISO27001-A.8.24".into()];

    let mut pager = Initiative::new(
        ws,
        "runbooks-and-pager",
        "Runbooks, incident templates and paging",
    );
    pager.description =
        "Draft runbooks and incident templates; route burn-rate pages for staging.".into();
    pager.repositories = vec!["plasma-engine-infra".into()];
    pager.owner = "SRE".into();
    pager.status = InitiativeStatus::Proposed;
    pager.target_quarter = Some("2026-Q2".into());
    pager.estimate_days = 8;
    pager.depends_on = vec!["slos-and-telemetry".into(), "secrets-and-policies".into()];

    Ok(vec![ci, compose, slos, secrets, pager])
}

fn ratio(counter: RatioCounter, numerator: &str, total: &str) -> Sli {
    Sli::Ratio {
        counter,
        numerator_query: numerator.into(),
        total_query: total.into(),
        source: "prometheus".into(),
    }
}

fn routes(slo: &mut Slo, team: &str) {
    slo.alerting.page.labels = BTreeMap::from([
        ("severity".to_string(), "page".to_string()),
        ("routing_key".to_string(), team.to_string()),
    ]);
    slo.alerting.ticket.labels = BTreeMap::from([("severity".to_string(), "ticket".to_string())]);
    slo.labels = BTreeMap::from([("owner".to_string(), team.to_string())]);
}

/// SLOs for the gateway, the research pipelines and the content workers.
fn demo_slos(ws: Uuid) -> Vec<Slo> {
    let mut availability = Slo::new(
        ws,
        "plasma-engine-gateway",
        "requests-availability",
        ratio(
            RatioCounter::Bad,
            r#"sum(rate(http_server_request_duration_seconds_count{service="gateway",http_response_status_code=~"5.."}[{{.window}}]))"#,
            r#"sum(rate(http_server_request_duration_seconds_count{service="gateway"}[{{.window}}]))"#,
        ),
        99.9,
    );
    availability.display_name = "Gateway availability".into();
    availability.description = "Requests the gateway answers without a server error.".into();
    availability.expected_events = Some(30_000_000);
    routes(&mut availability, "platform");

    let mut latency = Slo::new(
        ws,
        "plasma-engine-gateway",
        "requests-latency",
        ratio(
            RatioCounter::Good,
            r#"sum(rate(http_server_request_duration_seconds_bucket{service="gateway",le="0.5"}[{{.window}}]))"#,
            r#"sum(rate(http_server_request_duration_seconds_count{service="gateway"}[{{.window}}]))"#,
        ),
        99.0,
    );
    latency.display_name = "Gateway latency under 500 ms".into();
    latency.description = "Requests the gateway answers within half a second.".into();
    latency.expected_events = Some(30_000_000);
    routes(&mut latency, "platform");

    let mut runs = Slo::new(
        ws,
        "plasma-engine-research",
        "pipeline-runs",
        ratio(
            RatioCounter::Good,
            "sum(increase(research_pipeline_runs_total{outcome=\"success\"}[{{.window}}]))",
            "sum(increase(research_pipeline_runs_total[{{.window}}]))",
        ),
        99.5,
    );
    runs.display_name = "Research pipeline runs that succeed".into();
    runs.description = "Scheduled research pipeline runs that finish without an error.".into();
    runs.expected_events = Some(90_000);
    routes(&mut runs, "research");

    let mut freshness = Slo::new(
        ws,
        "plasma-engine-research",
        "index-freshness",
        Sli::Threshold {
            query: "max(research_index_lag_seconds)".into(),
            op: ThresholdOp::Lt,
            value: 900.0,
            source: "prometheus".into(),
        },
        99.0,
    );
    freshness.display_name = "Research index under 15 minutes behind".into();
    freshness.description =
        "Five-minute slices in which the search index is less than 15 minutes behind its sources."
            .into();
    freshness.budgeting_method = BudgetingMethod::Timeslices;
    freshness.timeslice_window = Some("5m".into());
    freshness.timeslice_target = Some(1.0);

    let mut jobs = Slo::new(
        ws,
        "plasma-engine-content",
        "jobs-success",
        ratio(
            RatioCounter::Bad,
            "sum(increase(content_worker_jobs_total{status=\"failed\"}[{{.window}}]))",
            "sum(increase(content_worker_jobs_total[{{.window}}]))",
        ),
        99.5,
    );
    jobs.display_name = "Content jobs that complete".into();
    jobs.description = "Content generation jobs that complete instead of failing.".into();
    jobs.expected_events = Some(600_000);
    routes(&mut jobs, "content");

    vec![availability, latency, runs, freshness, jobs]
}

/// The program's initial DORA targets, from its lifecycle document.
pub(crate) fn program_dora_targets() -> Vec<DoraTarget> {
    let t =
        |metric, environment: &str, comparison: &str, value, unit: &str, note: &str| DoraTarget {
            metric,
            environment: environment.into(),
            comparison: comparison.into(),
            value,
            unit: unit.into(),
            note: note.into(),
        };
    vec![
        t(
            DoraMetric::DeploymentFrequency,
            "staging",
            "at_least",
            1.0,
            "per week",
            "At least weekly to staging.",
        ),
        t(
            DoraMetric::DeploymentFrequency,
            "production",
            "at_least",
            0.5,
            "per week",
            "Biweekly to production, per service.",
        ),
        t(
            DoraMetric::LeadTimeForChanges,
            "staging",
            "below",
            1.0,
            "days",
            "Under a day to staging.",
        ),
        t(
            DoraMetric::LeadTimeForChanges,
            "production",
            "below",
            3.0,
            "days",
            "Under 3 days to production for standard changes.",
        ),
        t(
            DoraMetric::ChangeFailureRate,
            "all",
            "below",
            15.0,
            "percent",
            "Under 15% initially, improving as end-to-end tests are added.",
        ),
        t(
            DoraMetric::TimeToRestore,
            "staging",
            "below",
            1.0,
            "hours",
            "Under an hour for P1 incidents in staging.",
        ),
        t(
            DoraMetric::TimeToRestore,
            "production",
            "below",
            4.0,
            "hours",
            "Under 4 hours in production.",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use crate::{DemoStart, Workbench};

    /// Two windows start on one new database: both look before either
    /// seeds, then both seed. The demo's name is checked under the write
    /// lock, so the second finds the first one's demo and writes nothing.
    #[tokio::test]
    async fn two_windows_starting_together_make_one_demo() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("p.db");
        let first = Workbench::open(&db).await.expect("first");
        let second = Workbench::open(&db).await.expect("second");

        let (a, b) = (
            first.demo_start().await.expect("first looks"),
            second.demo_start().await.expect("second looks"),
        );
        let (DemoStart::Seed { in_use: a }, DemoStart::Seed { in_use: b }) = (a, b) else {
            panic!("both find the database unseeded");
        };
        let made = first.seed_demo(a).await.expect("first seeds");
        let found = second.seed_demo(b).await.expect("second finds it");

        assert_eq!(made.name, super::NAME);
        assert_eq!(found.id, made.id);
        let all = second.list_workspaces().await.expect("list");
        assert_eq!(all.len(), 1, "{all:?}");
        let adrs = first.store().list_adrs(made.id).await.expect("adrs");
        assert_eq!(adrs.len(), super::ADRS.len());
        // Later starts find it seeded.
        assert!(matches!(
            second.demo_start().await.expect("again"),
            DemoStart::Seeded
        ));
        first.close().await;
        second.close().await;
    }

    /// What a demo holds, counted: ADRs, threat models, their threats and
    /// sessions, cells, initiatives, SLOs, DORA targets.
    async fn counts(app: &Workbench, ws: uuid::Uuid) -> [usize; 8] {
        let s = app.store();
        let models = s.list_threat_models(ws).await.expect("models");
        let mut sessions = 0;
        for m in &models {
            sessions += s
                .list_threat_sessions(m.model.id)
                .await
                .expect("sessions")
                .len();
        }
        [
            s.list_adrs(ws).await.expect("adrs").len(),
            models.len(),
            models.iter().map(|m| m.model.threats.len()).sum(),
            sessions,
            s.list_cells(ws).await.expect("cells").len(),
            s.list_initiatives(ws).await.expect("initiatives").len(),
            s.list_slos(ws).await.expect("slos").len(),
            s.get_dora_targets(ws).await.expect("dora").targets.len(),
        ]
    }

    /// A first start stopped at any stage of the demo's write (ADRs, threat
    /// model and session, cells, initiatives, SLOs: each stage fails after
    /// the ones before it were written) leaves nothing, not even the seeded
    /// mark; the next start then seeds one whole demo, and a third adds
    /// nothing.
    #[tokio::test]
    async fn a_seed_stopped_at_any_stage_leaves_nothing_and_the_next_start_completes_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let clean = Workbench::open(&dir.path().join("clean.db"))
            .await
            .expect("open");
        let ws = clean.ensure_demo_workspace().await.expect("clean seed");
        let whole = counts(&clean, ws.id).await;
        assert!(whole.iter().all(|n| *n > 0), "{whole:?}");
        clean.close().await;

        type Break = fn(&mut plasma_storage::WorkspaceSeed);
        let stages: [(&str, Break); 5] = [
            ("ADRs", |s| {
                s.adrs.last_mut().expect("adr").draft.title.clear()
            }),
            ("threat session", |s| {
                s.threat_models[0].1[0].model_id = uuid::Uuid::new_v4()
            }),
            ("cells", |s| {
                let again = s.cells.last().expect("cell").clone();
                s.cells.push(again);
            }),
            ("initiatives", |s| {
                let again = s.initiatives.last().expect("initiative").clone();
                s.initiatives.push(again);
            }),
            ("SLOs", |s| {
                s.slos.last_mut().expect("slo").workspace_id = uuid::Uuid::new_v4()
            }),
        ];
        for (i, (stage, break_it)) in stages.into_iter().enumerate() {
            let app = Workbench::open(&dir.path().join(format!("{i}.db")))
                .await
                .expect("open");
            let mut seed = super::content(true).expect("content");
            break_it(&mut seed);
            let stopped = app
                .store()
                .seed_workspace(&seed, |_| Ok::<(), plasma_storage::StoreError>(()))
                .await;
            assert!(stopped.is_err(), "{stage}: the broken seed was stored");
            assert!(
                app.list_workspaces().await.expect("list").is_empty(),
                "{stage}"
            );
            assert_eq!(
                app.store()
                    .get_setting(crate::DEMO_SEEDED)
                    .await
                    .expect("mark"),
                None
            );

            let ws = app.ensure_demo_workspace().await.expect("next start");
            assert_eq!(ws.name, super::NAME);
            assert_eq!(counts(&app, ws.id).await, whole, "{stage}");
            assert_eq!(app.current_workspace().await.expect("current").id, ws.id);
            let again = app.ensure_demo_workspace().await.expect("third start");
            assert_eq!(again.id, ws.id);
            assert_eq!(
                app.list_workspaces().await.expect("list").len(),
                1,
                "{stage}"
            );
            assert_eq!(counts(&app, ws.id).await, whole, "{stage}");
            app.close().await;
        }
    }
}
