//! Session minutes read as a record of the meeting.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chrono::{TimeZone, Utc};
use plasma_exports::threat::report::session_minutes;
use plasma_models::threat::{
    Diagram, Element, ElementKind, Rating, Stride, Threat, ThreatModel, ThreatSession, ThreatTarget,
};
use uuid::Uuid;

#[test]
fn minutes_list_people_scope_and_every_ruling_in_order() {
    let mut d = Diagram::new("Gateway");
    let gw = Element::new(ElementKind::Process, "API | gateway");
    let gw_id = gw.id;
    d.elements.push(gw);
    let mut model = ThreatModel::new(Uuid::new_v4(), "Gateway <prod>");
    model.diagrams = vec![d];
    let t = Threat::manual(
        "Token replay",
        Stride::Spoofing,
        ThreatTarget::Element(gw_id),
        Rating::High,
        Rating::High,
    );
    let t_id = t.id;
    model.threats.push(t);
    let at = |m| Utc.with_ymd_and_hms(2026, 11, 27, 9, m, 0).unwrap();
    let mut s =
        ThreatSession::start(&model, vec!["Ana".into(), "Bo".into()], &[gw_id], at(0)).unwrap();
    s.confirm(&mut model, t_id, at(5)).unwrap();
    s.note("Rotate signing keys *monthly*", at(6)).unwrap();
    s.advance().unwrap();
    s.pause(at(10)).unwrap();
    let paused = session_minutes(&model, &s);
    assert!(paused.contains("- Status: paused"), "{paused}");
    s.resume(at(20)).unwrap();
    s.end(at(30)).unwrap();
    let m = session_minutes(&model, &s);
    assert!(
        m.starts_with("# Threat session minutes: Gateway &lt;prod&gt;\n"),
        "{m}"
    );
    assert!(m.contains("- Participants: Ana, Bo"));
    assert!(
        m.contains("- Scope: API \\| gateway"),
        "table-safe names: {m}"
    );
    assert!(m.contains("- Ended: 2026-11-27 09:30 UTC"));
    let confirmed = m
        .find("| 09:05 | API \\| gateway · Spoofing | Confirmed: Token replay |")
        .unwrap();
    let note = m.find("Note: Rotate signing keys \\*monthly\\*").unwrap();
    let ended = m.find("Session ended").unwrap();
    assert!(confirmed < note && note < ended, "{m}");
}
