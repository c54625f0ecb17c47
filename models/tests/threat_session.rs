//! Threat sessions: the guided STRIDE walk, rulings, pause/resume, end.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chrono::{TimeZone, Utc};
use plasma_models::threat::{
    generate, regenerate, Diagram, Element, ElementKind, Flow, Rating, RuleSet, SessionError,
    SessionEvent, SessionState, Stride, Threat, ThreatModel, ThreatSession, ThreatStatus,
    ThreatTarget,
};
use uuid::Uuid;

struct Fixture {
    model: ThreatModel,
    user: Uuid,
    api: Uuid,
    db: Uuid,
    flow: Uuid,
}

fn fixture() -> Fixture {
    let mut d = Diagram::new("Shop");
    let user = Element::new(ElementKind::ExternalEntity, "Customer");
    let mut api = Element::new(ElementKind::Process, "Orders API");
    api.props.handles_untrusted_input = true;
    api.props.web_application = true;
    let db = Element::new(ElementKind::DataStore, "Orders DB");
    let flow = Flow::new("place order", user.id, api.id);
    let (u, a, s, f) = (user.id, api.id, db.id, flow.id);
    d.elements = vec![user, api, db];
    d.flows = vec![flow];
    let mut model = ThreatModel::new(Uuid::new_v4(), "Shop");
    model.diagrams = vec![d];
    let rules = RuleSet::bundled().unwrap();
    model.threats = regenerate(&[], generate(&model, &rules));
    Fixture {
        model,
        user: u,
        api: a,
        db: s,
        flow: f,
    }
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, minute, 0).unwrap()
}

#[test]
fn the_walk_follows_stride_per_element() {
    let fx = fixture();
    let s = ThreatSession::start(
        &fx.model,
        vec!["Ana".into()],
        &[fx.user, fx.api, fx.db, fx.flow],
        at(0),
    )
    .unwrap();
    let plan: Vec<(String, Stride)> = s
        .steps
        .iter()
        .map(|st| (st.target_name.clone(), st.category))
        .collect();
    use Stride::*;
    let mut want = vec![
        ("Customer".to_string(), Spoofing),
        ("Customer".to_string(), Repudiation),
    ];
    want.extend(Stride::ALL.iter().map(|c| ("Orders API".to_string(), *c)));
    want.extend(
        [Tampering, InformationDisclosure, DenialOfService]
            .iter()
            .map(|c| ("Orders DB".to_string(), *c)),
    );
    want.extend(
        [Tampering, InformationDisclosure, DenialOfService]
            .iter()
            .map(|c| ("place order".to_string(), *c)),
    );
    assert_eq!(plan, want);
    assert_eq!(s.state, SessionState::Active);
    assert!(matches!(s.log[0].event, SessionEvent::Started));
}

#[test]
fn rulings_change_the_model_and_are_logged_once() {
    let mut fx = fixture();
    let mut s = ThreatSession::start(&fx.model, vec![], &[fx.api], at(0)).unwrap();
    // Walk to the first step that has suggestions.
    while s.suggestions(&fx.model).is_empty() {
        assert!(
            s.advance().unwrap(),
            "some step of a web API has suggested threats"
        );
    }
    let suggested: Vec<Uuid> = s.suggestions(&fx.model).iter().map(|t| t.id).collect();
    s.confirm(&mut fx.model, suggested[0], at(1)).unwrap();
    if let Some(&second) = suggested.get(1) {
        s.reject(&mut fx.model, second, "behind the VPN only", at(2))
            .unwrap();
        let t = fx.model.threats.iter().find(|t| t.id == second).unwrap();
        assert_eq!(t.status, ThreatStatus::NotApplicable);
        assert!(t.notes.contains("behind the VPN only"), "{}", t.notes);
    }
    let still: Vec<Uuid> = s.suggestions(&fx.model).iter().map(|t| t.id).collect();
    assert!(
        !still.contains(&suggested[0]),
        "a ruled threat is not suggested again"
    );
    let confirmed = fx
        .model
        .threats
        .iter()
        .find(|t| t.id == suggested[0])
        .unwrap();
    assert_eq!(confirmed.status, ThreatStatus::Open);
    let step = s.current().unwrap().clone();
    let own = Threat::manual(
        "Replay of signed orders",
        step.category,
        step.target,
        Rating::High,
        Rating::Medium,
    );
    let own_id = own.id;
    s.add_threat(&mut fx.model, own, at(3)).unwrap();
    assert!(fx.model.threats.iter().any(|t| t.id == own_id));
    s.note("Check idempotency keys with the payments team", at(4))
        .unwrap();
    assert_eq!(s.log.len(), if suggested.len() > 1 { 5 } else { 4 });
    assert!(s.log.iter().skip(1).all(|e| e.step == Some(s.cursor)));
}

#[test]
fn pause_resume_and_end() {
    let mut fx = fixture();
    let mut s = ThreatSession::start(&fx.model, vec![], &[fx.flow], at(0)).unwrap();
    s.pause(at(5)).unwrap();
    assert_eq!(s.note("while paused", at(6)), Err(SessionError::Paused));
    assert_eq!(s.advance(), Err(SessionError::Paused));
    s.resume(at(30)).unwrap();
    assert_eq!(s.resume(at(31)), Err(SessionError::NotPaused));
    while s.advance().unwrap() {}
    assert!(s.current().is_none());
    assert!(s.suggestions(&fx.model).is_empty());
    s.end(at(40)).unwrap();
    assert_eq!(s.state, SessionState::Ended);
    let t = fx.model.threats[0].id;
    assert_eq!(
        s.confirm(&mut fx.model, t, at(41)),
        Err(SessionError::Ended)
    );
    assert_eq!(s.end(at(42)), Err(SessionError::Ended));
    let kinds: Vec<&SessionEvent> = s.log.iter().map(|e| &e.event).collect();
    assert!(matches!(
        kinds.as_slice(),
        [
            SessionEvent::Started,
            SessionEvent::Paused,
            SessionEvent::Resumed,
            SessionEvent::Ended
        ]
    ));
}

#[test]
fn bad_scope_and_unknown_threats_are_refused() {
    let mut fx = fixture();
    assert_eq!(
        ThreatSession::start(&fx.model, vec![], &[], at(0)),
        Err(SessionError::EmptyScope)
    );
    let stranger = Uuid::new_v4();
    assert_eq!(
        ThreatSession::start(&fx.model, vec![], &[stranger], at(0)),
        Err(SessionError::UnknownTarget(stranger))
    );
    let mut s = ThreatSession::start(&fx.model, vec![], &[fx.db], at(0)).unwrap();
    assert_eq!(
        s.confirm(&mut fx.model, stranger, at(1)),
        Err(SessionError::UnknownThreat(stranger))
    );
    let before = fx.model.threats.len();
    let lost = Threat::manual(
        "x",
        Stride::Tampering,
        ThreatTarget::Element(stranger),
        Rating::Low,
        Rating::Low,
    );
    assert_eq!(
        s.add_threat(&mut fx.model, lost, at(2)),
        Err(SessionError::UnknownTarget(stranger))
    );
    assert_eq!(
        fx.model.threats.len(),
        before,
        "a refused addition changes nothing"
    );
}
