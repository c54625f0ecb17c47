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
    // The outcome comes before the log, with the threat as it is now.
    let outcome = m.find("## Outcome").unwrap();
    assert!(outcome < m.find("## Log").unwrap(), "{m}");
    assert!(
        m.contains(
            "1 confirmed, 0 added, 0 ruled out; 0 suggested in the steps walked left for later."
        ),
        "{m}"
    );
    assert!(
        m.contains("### Confirmed\n\n- Token replay (API \\| gateway, critical, open)\n"),
        "{m}"
    );
    assert!(
        m.contains("### Notes\n\n- Rotate signing keys \\*monthly\\*\n"),
        "{m}"
    );
    assert!(!m.contains("### Ruled out"), "no empty sections: {m}");
}

#[test]
fn minutes_say_why_threats_were_ruled_out_and_date_a_session_over_days() {
    let mut d = Diagram::new("Queue");
    let q = Element::new(ElementKind::DataStore, "Queue");
    let q_id = q.id;
    d.elements.push(q);
    let mut model = ThreatModel::new(Uuid::new_v4(), "Queue");
    model.diagrams = vec![d];
    let threat = |title: &str| {
        Threat::manual(
            title,
            Stride::Tampering,
            ThreatTarget::Element(q_id),
            Rating::Low,
            Rating::Medium,
        )
    };
    let (a, b) = (threat("Messages altered"), threat("Messages replayed"));
    let a_id = a.id;
    model.threats.extend([a, b]);
    let at = |d, h| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    let mut s = ThreatSession::start(&model, vec![], &[q_id], at(27, 16)).unwrap();
    s.reject(&mut model, a_id, "Messages are signed", at(27, 17))
        .unwrap();
    s.pause(at(27, 18)).unwrap();
    s.resume(at(28, 9)).unwrap();
    s.end(at(28, 10)).unwrap();
    let m = session_minutes(&model, &s);
    assert!(
        m.contains("### Ruled out\n\n- Messages altered: Messages are signed\n"),
        "{m}"
    );
    assert!(
        m.contains("| 2026-11-27 17:00 | Queue · Tampering | Rejected: Messages altered. Reason: Messages are signed |"),
        "{m}"
    );
    assert!(m.contains("| 2026-11-28 09:00 |"), "{m}");
    // The walk stopped at its first step: the replay threat there is left.
    assert!(
        m.contains("0 confirmed, 0 added, 1 ruled out; 1 suggested"),
        "{m}"
    );
}
