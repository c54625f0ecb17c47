//! The demo workspace's threat model: the gateway and the AI agent runtime
//! of the Plasma Engine program, the two places its lifecycle document asks
//! to threat-model first. Drawn in our words, then run through the bundled
//! STRIDE rules, with a few decisions already taken so a new user sees a
//! model mid-review rather than an empty canvas.

use chrono::{DateTime, Days, Duration, Utc};
use plasma_exports::threat::diagram::auto_layout;
use plasma_models::compliance::{Cell, ControlRef, ImplementationStatus, ThreatLink};
use plasma_models::threat::{
    Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Mitigation,
    MitigationStatus, Privilege, Rating, Rect, Stride, Threat, ThreatModel, ThreatSession,
    ThreatStatus, ThreatTarget, TrustBoundary,
};
use plasma_models::Workspace;
use uuid::Uuid;

use crate::threats::run_rules;
use crate::{Result, WorkbenchError};

pub(crate) const DEMO_MODEL: &str = "Gateway and agent";

struct Draw {
    diagram: Diagram,
}

impl Draw {
    fn element(
        &mut self,
        kind: ElementKind,
        name: &str,
        description: &str,
        boundary: Option<Uuid>,
        props: impl FnOnce(&mut plasma_models::threat::ElementProps),
    ) -> Uuid {
        let mut e = Element::new(kind, name);
        e.description = description.into();
        e.boundary = boundary;
        props(&mut e.props);
        let id = e.id;
        self.diagram.elements.push(e);
        id
    }

    fn flow(
        &mut self,
        name: &str,
        (source, target): (Uuid, Uuid),
        protocol: &str,
        data: &[Uuid],
        set: impl FnOnce(&mut Flow),
    ) {
        let mut f = Flow::new(name, source, target);
        f.protocol = protocol.into();
        f.data = data.to_vec();
        set(&mut f);
        self.diagram.flows.push(f);
    }

    fn boundary(&mut self, name: &str, parent: Option<Uuid>) -> Uuid {
        let b = TrustBoundary::new(name, parent);
        let id = b.id;
        self.diagram.boundaries.push(b);
        id
    }
}

fn asset(
    name: &str,
    classification: Classification,
    tags: &[DataTag],
    retention: &str,
    cia: (Rating, Rating, Rating),
) -> DataAsset {
    let mut a = DataAsset::new(name, classification);
    a.tags = tags.to_vec();
    a.retention = Some(retention.into());
    (a.confidentiality, a.integrity, a.availability) = cia;
    a
}

fn model(ws: Uuid) -> ThreatModel {
    use ElementKind::*;
    use Rating::*;
    let mut m = ThreatModel::new(ws, DEMO_MODEL);
    m.description = "Requests from API clients through the gateway to the agent runtime, which \
                     calls hosted AI models and web search and keeps its state in PostgreSQL \
                     and Redis."
        .into();
    m.repositories = vec![
        "plasma-engine-gateway".into(),
        "plasma-engine-agent".into(),
        "plasma-engine-infra".into(),
    ];
    let keys = asset(
        "API keys and provider tokens",
        Classification::Restricted,
        &[DataTag::Credentials],
        "until rotated (90 days at most)",
        (High, High, Medium),
    );
    let prompts = asset(
        "User prompts and agent transcripts",
        Classification::Confidential,
        &[DataTag::Pii],
        "30 days",
        (High, Medium, Medium),
    );
    let research = asset(
        "Research results",
        Classification::Internal,
        &[],
        "1 year",
        (Low, Medium, Medium),
    );
    let audit = asset(
        "Audit events",
        Classification::Internal,
        &[],
        "1 year",
        (Medium, High, Medium),
    );
    let (keys_id, prompts_id, research_id, audit_id) = (keys.id, prompts.id, research.id, audit.id);
    m.data_assets = vec![keys, prompts, research, audit];

    let mut d = Draw {
        diagram: Diagram::new("Request path"),
    };
    let cluster = d.boundary("Kubernetes cluster", None);
    let data_tier = d.boundary("Data tier", Some(cluster));
    let client = d.element(
        ExternalEntity,
        "API client",
        "Customer integrations calling the public API with a bearer key.",
        None,
        |_| {},
    );
    let models = d.element(
        ExternalEntity,
        "Hosted AI model",
        "A third-party large language model API.",
        None,
        |p| p.llm_component = true,
    );
    let search = d.element(
        ExternalEntity,
        "Web search API",
        "Semantic web search used by research tasks.",
        None,
        |_| {},
    );
    let gateway = d.element(
        Process,
        "Gateway",
        "FastAPI service: authentication, routing and rate limits.",
        Some(cluster),
        |p| {
            p.api_gateway = true;
            p.web_application = true;
            p.handles_untrusted_input = true;
            p.sanitizes_input = true;
            p.has_access_control = true;
        },
    );
    let agent = d.element(
        Process,
        "Agent runtime",
        "Plans tasks, calls AI models and tools on the user's behalf.",
        Some(cluster),
        |p| {
            p.llm_component = true;
            p.handles_untrusted_input = true;
            p.privilege = Privilege::High;
        },
    );
    let worker = d.element(
        Process,
        "Research worker",
        "Celery workers that run long research tasks from the queue.",
        Some(cluster),
        |p| p.handles_untrusted_input = true,
    );
    let postgres = d.element(
        DataStore,
        "PostgreSQL + pgvector",
        "Agent state, transcripts and embeddings.",
        Some(data_tier),
        |p| {
            p.encrypted_at_rest = true;
            p.has_access_control = true;
        },
    );
    let redis = d.element(
        DataStore,
        "Redis task queue",
        "Celery broker and short-lived cache.",
        Some(data_tier),
        |p| p.queue_or_stream = true,
    );
    let secrets = d.element(
        DataStore,
        "Secrets store",
        "External secrets store holding provider tokens (ADR-0006).",
        Some(data_tier),
        |p| {
            p.stores_credentials = true;
            p.encrypted_at_rest = true;
            p.has_access_control = true;
            p.hardened = true;
        },
    );
    let logs = d.element(
        DataStore,
        "Audit log",
        "Loki stream of authentication and admin events.",
        Some(data_tier),
        |p| p.is_log = true,
    );

    let tls = |f: &mut Flow| {
        f.encrypted_in_transit = true;
        f.authenticated = true;
    };
    d.flow(
        "API request",
        (client, gateway),
        "https",
        &[prompts_id, keys_id],
        |f| {
            tls(f);
            f.port = Some(443);
            f.authorized = true;
            f.crosses_public_network = true;
            f.bidirectional = true;
        },
    );
    d.flow("Task", (gateway, agent), "http", &[prompts_id], |f| {
        f.authenticated = true;
    });
    d.flow("Audit event", (gateway, logs), "http", &[audit_id], |_| {});
    d.flow("Prompt", (agent, models), "https", &[prompts_id], |f| {
        tls(f);
        f.crosses_public_network = true;
        f.bidirectional = true;
    });
    d.flow("Provider token", (secrets, agent), "https", &[keys_id], tls);
    d.flow("State", (agent, postgres), "sql", &[prompts_id], |f| {
        f.port = Some(5432);
        f.bidirectional = true;
        f.authenticated = true;
    });
    d.flow(
        "Research job",
        (agent, redis),
        "redis",
        &[research_id],
        |_| {},
    );
    d.flow(
        "Job pickup",
        (redis, worker),
        "redis",
        &[research_id],
        |_| {},
    );
    d.flow(
        "Search query",
        (worker, search),
        "https",
        &[research_id],
        |f| {
            tls(f);
            f.crosses_public_network = true;
            f.bidirectional = true;
        },
    );
    d.flow("Results", (worker, postgres), "sql", &[research_id], |f| {
        f.port = Some(5432);
        f.authenticated = true;
    });

    place(&mut d.diagram);
    m.diagrams = vec![d.diagram];
    m
}

/// Where each element and boundary sits, top to bottom so the diagram fills
/// the canvas beside the property panel: the outside services on top, each
/// above the process that calls it, the cluster's processes below them and
/// its data tier at the bottom, the queue between the two processes it
/// joins, lower than the other stores so that no two flow labels meet
/// (canvas units; x, y, width, height).
const PLACES: [(&str, [f64; 4]); 12] = [
    ("API client", [50.0, 20.0, 150.0, 70.0]),
    ("Hosted AI model", [330.0, 20.0, 160.0, 70.0]),
    ("Web search API", [710.0, 20.0, 160.0, 70.0]),
    ("Kubernetes cluster", [20.0, 130.0, 880.0, 610.0]),
    ("Gateway", [60.0, 270.0, 130.0, 90.0]),
    ("Agent runtime", [335.0, 270.0, 150.0, 90.0]),
    ("Research worker", [715.0, 270.0, 150.0, 90.0]),
    ("Data tier", [40.0, 440.0, 840.0, 270.0]),
    ("Audit log", [50.0, 490.0, 150.0, 80.0]),
    ("Secrets store", [215.0, 490.0, 150.0, 80.0]),
    ("Redis task queue", [440.0, 600.0, 160.0, 80.0]),
    ("PostgreSQL + pgvector", [700.0, 490.0, 160.0, 80.0]),
];

fn place(diagram: &mut Diagram) {
    let at = |name: &str| {
        PLACES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, [x, y, width, height])| Rect {
                x: *x,
                y: *y,
                width: *width,
                height: *height,
            })
    };
    for e in &mut diagram.elements {
        e.position = at(&e.name);
    }
    for b in &mut diagram.boundaries {
        b.position = at(&b.name);
    }
    // Anything not in the table (none today) still gets a place.
    auto_layout(diagram);
}

/// Decisions a reviewer has already taken on the generated threats:
/// (element, words of the threat's title, done, mitigation, owner).
const DECISIONS: [(&str, &str, bool, &str, &str); 4] = [
    (
        "Agent runtime",
        "runs with high privileges",
        true,
        "Run the agent under a namespace-scoped service account; allow-list the tools it may call",
        "agent team",
    ),
    (
        "Secrets store",
        "Secret access",
        true,
        "Audit every secret read in the secrets store's access log",
        "platform",
    ),
    (
        "Gateway",
        "Unrestricted resource consumption",
        false,
        "Per-key rate limits and request size caps at the gateway",
        "gateway team",
    ),
    (
        "Agent runtime",
        "Direct prompt injection",
        false,
        "Keep system instructions apart from user content; require confirmation before tool calls",
        "agent team",
    ),
];

/// The demo's model: the rules run, the demo decisions recorded, the review
/// session held on it, and the cell that links the agent's least-privilege
/// mitigation to the program's control for it. Stored with the rest of the
/// demo in one transaction.
pub(crate) fn content(ws: &Workspace) -> Result<(ThreatModel, ThreatSession, Option<Cell>)> {
    let mut m = model(ws.id);
    run_rules(&mut m)?;
    let element_of = |name: &str| {
        m.diagrams[0]
            .elements
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.id)
    };
    let mut linked = None;
    for (element, words, done, mitigation, owner) in DECISIONS {
        let Some(element) = element_of(element) else {
            continue;
        };
        let Some(threat) = m
            .threats
            .iter_mut()
            .find(|t| t.target.id() == element && t.title.contains(words))
        else {
            continue;
        };
        threat.mitigations.push(Mitigation {
            id: Uuid::new_v4(),
            title: mitigation.into(),
            status: if done {
                MitigationStatus::Done
            } else {
                MitigationStatus::InProgress
            },
            owner: Some(owner.into()),
        });
        if done {
            threat.status = ThreatStatus::Mitigated;
        }
        if linked.is_none() {
            linked = Some((threat.id, mitigation));
        }
    }
    // One accepted risk, with its justification and an expiry.
    let search = element_of("Web search API");
    if let Some(t) = m
        .threats
        .iter_mut()
        .find(|t| matches!(t.status, ThreatStatus::Open) && Some(t.target.id()) == search)
    {
        t.status = ThreatStatus::Accepted {
            justification: "Queries carry no personal data; the provider is under contract.".into(),
            expires: Utc::now().date_naive() + Days::new(180),
        };
    }
    // Two days before first run, at ten in the morning (UTC).
    let held = (Utc::now().date_naive() - Days::new(2))
        .and_hms_opt(10, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let session = review_session(&mut m, held)?;
    let cell = linked.map(|(threat_id, mitigation)| {
        let mut cell = Cell::new(
            ControlRef::new("plasma-sdlc", "SDLC-07"),
            "plasma-engine-agent",
        );
        cell.status = Some(ImplementationStatus::Partial);
        cell.owner = "platform".into();
        cell.narrative = "Provider tokens come from the external secrets store; human access \
                          through SSO is still being rolled out."
            .into();
        cell.threats.push(ThreatLink {
            threat_model: m.name.clone(),
            threat_id,
            mitigation: mitigation.into(),
        });
        cell
    });
    Ok((m, session, cell))
}

/// The demo's threat session, held before the user arrived: what the team
/// said of each suggested threat of the gateway and the agent runtime, by
/// element and STRIDE category. `Some(reason)` rules a threat out.
type Ruling = (&'static str, Option<&'static str>);
const REVIEW: [(&str, Stride, &[Ruling], Option<&str>); 9] = [
    (
        "Gateway",
        Stride::Spoofing,
        &[
            ("Session hijacking", None),
            (
                "Cross-site request forgery",
                Some("The gateway serves a JSON API to bearer-token clients; no browser sends it cookies."),
            ),
        ],
        Some("Services behind the gateway trust its identity header only on the cluster network; header spoofing stays open until that is enforced."),
    ),
    (
        "Gateway",
        Stride::Tampering,
        &[
            ("request smuggling", None),
            ("Clickjacking", Some("The gateway renders no pages; it only returns JSON.")),
        ],
        None,
    ),
    (
        "Gateway",
        Stride::Repudiation,
        &[(
            "keeps no audit trail",
            Some("Every request is written to the audit log, as the audit event flow shows."),
        )],
        None,
    ),
    (
        "Gateway",
        Stride::InformationDisclosure,
        &[("Verbose errors", None)],
        None,
    ),
    (
        "Gateway",
        Stride::DenialOfService,
        &[("Unrestricted resource consumption", None)],
        Some("Rate limits per API key must be in place before the public beta."),
    ),
    (
        "Gateway",
        Stride::ElevationOfPrivilege,
        &[("Broken object level authorization", None)],
        None,
    ),
    (
        "Agent runtime",
        Stride::Tampering,
        &[("Direct prompt injection", None)],
        None,
    ),
    (
        "Agent runtime",
        Stride::InformationDisclosure,
        &[("leaks data across users", None)],
        Some("Conversation memory is keyed by user today; the research worker's cache is not."),
    ),
    (
        "Agent runtime",
        Stride::Repudiation,
        &[("not attributable", None)],
        None,
    ),
];

/// Walks the gateway and the agent runtime as a team would: rulings from
/// [`REVIEW`], a break, a threat the rules did not suggest, then the end.
/// Times count in minutes from `start`.
fn review_session(m: &mut ThreatModel, start: DateTime<Utc>) -> Result<ThreatSession> {
    let demo = |e: plasma_models::threat::SessionError| {
        WorkbenchError::Invalid(format!("demo threat session: {e}"))
    };
    let element = |m: &ThreatModel, name: &str| {
        m.diagrams[0]
            .elements
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.id)
            .ok_or_else(|| WorkbenchError::Invalid(format!("demo threat session: no {name}")))
    };
    let scope = [element(m, "Gateway")?, element(m, "Agent runtime")?];
    let participants = ["Security lead", "Platform architect", "Agent team lead"];
    let mut minute = 0;
    // Three minutes a ruling or note; `at(10)` after the break.
    let mut at = |gap: i64| {
        minute += gap;
        start + Duration::minutes(minute)
    };
    let mut session =
        ThreatSession::start(m, participants.map(String::from).to_vec(), &scope, start)
            .map_err(demo)?;
    while let Some(step) = session.current().cloned() {
        let name = m.target_name(&step.target).unwrap_or_default().to_string();
        if name == "Agent runtime" && step.category == Stride::Spoofing {
            session.pause(at(3)).map_err(demo)?;
            session.resume(at(10)).map_err(demo)?;
        }
        let planned = REVIEW
            .iter()
            .find(|(e, c, _, _)| *e == name && *c == step.category);
        if let Some((_, _, rulings, note)) = planned {
            for (words, reason) in *rulings {
                let Some(threat) = session
                    .suggestions(m)
                    .iter()
                    .find(|t| t.title.contains(words))
                    .map(|t| t.id)
                else {
                    return Err(WorkbenchError::Invalid(format!(
                        "demo threat session: no suggested threat on {name} says \"{words}\""
                    )));
                };
                match reason {
                    Some(reason) => session.reject(m, threat, reason, at(3)),
                    None => session.confirm(m, threat, at(3)),
                }
                .map_err(demo)?;
            }
            if let Some(note) = note {
                session.note(note, at(3)).map_err(demo)?;
            }
        }
        if name == "Agent runtime" && step.category == Stride::Tampering {
            let mut missed = Threat::manual(
                "Instructions hidden in web search results steer the agent",
                Stride::Tampering,
                ThreatTarget::Element(scope[1]),
                Rating::High,
                Rating::High,
            );
            missed.description = "Pages the research worker fetches reach the agent's context; \
                                  text in them can read as instructions (indirect prompt injection)."
                .into();
            session.add_threat(m, missed, at(3)).map_err(demo)?;
        }
        session.advance().map_err(demo)?;
    }
    session
        .note(
            "Next session: the data tier and the flows that cross into it.",
            at(3),
        )
        .map_err(demo)?;
    session.end(at(3)).map_err(demo)?;
    Ok(session)
}
