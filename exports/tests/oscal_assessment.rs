//! Assessments read from OSCAL component definitions and SSPs
//! (self-written fixtures), and our own component definition read back.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chrono::NaiveDate;
use plasma_exports::compliance::oscal_assessment::{
    parse_assessment, AssessmentEvidence, AssessmentModel,
};
use plasma_exports::compliance::{oscal, MatrixExport};
use plasma_models::compliance::*;
use serde_json::json;
use uuid::Uuid;

use ImplementationStatus::*;

fn error(v: &serde_json::Value) -> String {
    parse_assessment(&v.to_string()).unwrap_err().to_string()
}

fn component_definition() -> serde_json::Value {
    json!({"component-definition": {
        "uuid": "cd",
        "metadata": {
            "title": "Gateway components",
            "roles": [{"id": "maintainer", "title": "Platform team"}],
            "parties": [{"uuid": "p1", "type": "organization", "name": "SRE guild"}]
        },
        "components": [{
            "uuid": "c1",
            "type": "software",
            "title": "Plasma Engine Gateway",
            "description": "The gateway.",
            "control-implementations": [{
                "uuid": "i1",
                "source": "#cat",
                "description": "800-53",
                "implemented-requirements": [
                    {
                        "uuid": "r1",
                        "control-id": "ac-2",
                        "description": "Accounts come from the IdP.",
                        "props": [
                            {"name": "label", "value": "AC-2"},
                            {"name": "implementation-status", "value": "partial"}
                        ],
                        "responsible-roles": [{"role-id": "maintainer", "party-uuids": ["p1"]}],
                        "statements": [
                            {"statement-id": "ac-2_smt.a", "uuid": "s1", "description": "Types are listed."},
                            {"statement-id": "ac-2_smt.b", "uuid": "s2"}
                        ]
                    },
                    {
                        "uuid": "r2",
                        "control-id": "ac-2.3",
                        "description": "Disabled after 30 days.",
                        "props": [{"name": "implementation-status", "value": "implemented"}],
                        "responsible-roles": [{"role-id": "maintainer"}]
                    },
                    {
                        "uuid": "r3",
                        "control-id": "sc-8",
                        "description": "Not assessed yet."
                    }
                ]
            }]
        }]
    }})
}

#[test]
fn component_definition_rows_carry_state_narrative_and_owner() {
    let doc = parse_assessment(&component_definition().to_string()).unwrap();
    assert_eq!(doc.model, AssessmentModel::ComponentDefinition);
    assert_eq!(doc.title, "Gateway components");
    let rows = doc.rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].component, "Plasma Engine Gateway");
    assert_eq!(rows[0].component_uuid, "c1");
    assert_eq!(rows[0].control_id, "ac-2");
    assert_eq!(rows[0].status, Some(Partial));
    assert_eq!(
        rows[0].narrative,
        "Accounts come from the IdP.\n\nac-2_smt.a: Types are listed."
    );
    assert_eq!(rows[0].owner, "SRE guild", "the party over the role");
    assert_eq!(
        rows[0].at,
        "$.component-definition.components[0].control-implementations[0].implemented-requirements[0]"
    );
    assert_eq!(rows[1].control_id, "ac-2.3");
    assert_eq!(rows[1].status, Some(Implemented));
    assert_eq!(rows[1].owner, "Platform team", "the role's title");
    assert_eq!(rows[2].status, None);
    assert_eq!(rows[2].owner, "");
}

#[test]
fn yaml_reads_like_json() {
    let yaml = "component-definition:\n  uuid: cd\n  metadata: {title: Y}\n  components:\n    - uuid: c1\n      type: software\n      title: api\n      description: x\n      control-implementations:\n        - uuid: i1\n          source: '#x'\n          description: d\n          implemented-requirements:\n            - uuid: r1\n              control-id: ac-2\n              description: Done.\n              props:\n                - {name: implementation-status, value: alternative}\n";
    let rows = parse_assessment(yaml).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, Some(Alternative));
    assert_eq!(rows[0].narrative, "Done.");
}

fn ssp() -> serde_json::Value {
    json!({"system-security-plan": {
        "uuid": "ssp",
        "metadata": {
            "title": "Shop SSP",
            "parties": [{"uuid": "p1", "type": "person", "name": "Ada"}]
        },
        "import-profile": {"href": "profile.json"},
        "system-implementation": {"components": [
            {"uuid": "sys", "type": "this-system", "title": "This System", "description": "x", "status": {"state": "operational"}},
            {"uuid": "api", "type": "software", "title": "api", "description": "x", "status": {"state": "operational"}},
            {"uuid": "web", "type": "software", "title": "Web", "description": "x", "status": {"state": "operational"}}
        ]},
        "control-implementation": {
            "description": "How.",
            "implemented-requirements": [
                {
                    "uuid": "r1",
                    "control-id": "au-1",
                    "props": [{"name": "implementation-status", "value": "planned"}],
                    "by-components": [{
                        "uuid": "b1",
                        "component-uuid": "api",
                        "description": "The API logs.",
                        "implementation-status": {"state": "implemented"},
                        "responsible-roles": [{"role-id": "owner", "party-uuids": ["p1"]}]
                    }],
                    "statements": [{
                        "statement-id": "au-1_smt.a",
                        "uuid": "s1",
                        "by-components": [
                            {"uuid": "b2", "component-uuid": "api", "description": "Policy A."},
                            {"uuid": "b3", "component-uuid": "web", "description": "Web policy."}
                        ]
                    }]
                },
                {
                    "uuid": "r2",
                    "control-id": "pe-3",
                    "by-components": [{
                        "uuid": "b4",
                        "component-uuid": "web",
                        "description": "Hosted.",
                        "implementation-status": {"state": "not-applicable", "remarks": "No premises."}
                    }, {
                        "uuid": "b5",
                        "component-uuid": "gone",
                        "description": "?"
                    }]
                },
                {"uuid": "r3", "control-id": "ac-1"}
            ]
        }
    }})
}

#[test]
fn ssp_rows_are_per_component_with_statements_appended() {
    let doc = parse_assessment(&ssp().to_string()).unwrap();
    assert_eq!(doc.model, AssessmentModel::SystemSecurityPlan);
    let rows = doc.rows;
    let summary: Vec<(&str, &str, Option<ImplementationStatus>)> = rows
        .iter()
        .map(|r| (r.component.as_str(), r.control_id.as_str(), r.status))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("api", "au-1", Some(Implemented)),
            ("Web", "au-1", Some(Planned)),
            ("Web", "pe-3", Some(NotApplicable)),
            ("", "pe-3", None),
            ("This System", "ac-1", None),
        ]
    );
    assert_eq!(rows[0].narrative, "The API logs.\n\nau-1_smt.a: Policy A.");
    assert_eq!(rows[0].owner, "Ada");
    assert_eq!(
        rows[0].at,
        "$.system-security-plan.control-implementation.implemented-requirements[0].by-components[0]"
    );
    assert_eq!(rows[1].narrative, "au-1_smt.a: Web policy.");
    assert_eq!(rows[2].not_applicable_reason, "No premises.");
    assert_eq!(rows[3].component_uuid, "gone");
}

#[test]
fn malformed_files_say_what_where_and_why() {
    let e = parse_assessment("{\"component-definition\": ").unwrap_err();
    assert!(e.location.starts_with("line 1"), "{e}");

    let e = error(&json!({"catalog": {"uuid": "x"}}));
    assert!(e.contains("plasma compliance import"), "{e}");
    assert!(error(&json!([1, 2])).starts_with("$: not an OSCAL document"));

    let mut cd = component_definition();
    cd["component-definition"]["components"][0]["control-implementations"][0]
        ["implemented-requirements"][1]["control-id"] = json!("");
    assert_eq!(
        error(&cd),
        "$.component-definition.components[0].control-implementations[0].implemented-requirements[1].control-id: an implemented requirement needs a control-id"
    );

    let mut cd = component_definition();
    cd["component-definition"]["components"][0]["control-implementations"][0]
        ["implemented-requirements"][0]["props"][1]["value"] = json!("done");
    let e = error(&cd);
    assert!(
        e.starts_with("$.component-definition.components[0].control-implementations[0].implemented-requirements[0].props[1].value: \"done\" is not an implementation state"),
        "{e}"
    );

    let mut cd = component_definition();
    cd["component-definition"]["components"] = json!({"a": 1});
    assert_eq!(
        error(&cd),
        "$.component-definition.components: components should be an array"
    );

    let mut cd = component_definition();
    cd["component-definition"]["components"][0]["title"] = json!(null);
    assert!(error(&cd).contains("components[0].title: a component needs a title"));

    let mut s = ssp();
    s["system-security-plan"]["control-implementation"]["implemented-requirements"][1]
        ["by-components"][0]["implementation-status"] = json!("implemented");
    assert!(error(&s).ends_with("implementation-status: implementation-status should be an object"));

    let mut s = ssp();
    s["system-security-plan"]["control-implementation"]["implemented-requirements"][0]
        ["statements"][0]["by-components"][1]
        .as_object_mut()
        .unwrap()
        .remove("component-uuid");
    assert_eq!(
        error(&s),
        "$.system-security-plan.control-implementation.implemented-requirements[0].statements[0].by-components[1].component-uuid: a by-component needs a component-uuid"
    );

    let mut s = ssp();
    s["system-security-plan"]
        .as_object_mut()
        .unwrap()
        .remove("control-implementation");
    assert!(error(&s).starts_with("$.system-security-plan.control-implementation: "));

    // An XML catalog is read, and sent to the catalog import.
    assert!(parse_assessment("<catalog/>")
        .unwrap_err()
        .reason
        .contains("plasma compliance import"));
    assert!(parse_assessment("a: [").is_err());
    assert!(parse_assessment("").is_err());
}

/// Evidence as (title, URL or text) pairs.
fn titled(evidence: &[AssessmentEvidence]) -> Vec<(&str, &str)> {
    evidence
        .iter()
        .map(|e| (e.title.as_str(), e.location.as_str()))
        .collect()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn our_component_definition_reads_back_with_its_states_and_narratives() {
    let framework = Framework {
        id: "own".into(),
        name: "Own".into(),
        version: "1".into(),
        source: "test".into(),
        notice: String::new(),
        bundled: false,
        controls: ["OWN-1", "OWN-2", "164.308(a)(1)", "OWN-4"]
            .iter()
            .map(|id| Control {
                id: (*id).into(),
                group: "G".into(),
                title: format!("Title of {id}"),
                description: String::new(),
            })
            .collect(),
    };
    let repos = vec!["api".to_string(), "web".to_string()];
    let mut a = Cell::new(ControlRef::new("own", "OWN-1"), "api");
    a.set_status(Implemented);
    a.narrative = "Every change has an ADR.\nReviewed weekly.".into();
    a.owner = "Architecture".into();
    a.last_reviewed = Some(day("2026-10-01"));
    let mut b = Cell::new(ControlRef::new("own", "OWN-2"), "web");
    b.set_status(Partial);
    let mut c = Cell::new(ControlRef::new("own", "164.308(a)(1)"), "web");
    c.set_not_applicable("No ePHI here");
    let mut d = Cell::new(ControlRef::new("own", "OWN-4"), "api");
    d.set_status(Planned);
    d.narrative = "Next quarter.".into();
    let cells = vec![a, b, c, d];
    let frameworks = vec![framework];
    let view = MatrixView::new(&frameworks, &[], &repos, &cells);
    let export = MatrixExport {
        workspace_id: Uuid::from_u128(7),
        workspace: "Shop",
        generated: day("2026-11-27"),
        frameworks: frameworks.iter().collect(),
        repositories: &repos,
        repository_descriptions: &[],
        coverage: view.coverage(&["own"]),
        view: &view,
    };
    let text = oscal::component_definition(&export);
    let rows = parse_assessment(&text).unwrap().rows;
    assert_eq!(rows.len(), 8, "every control in every repository");
    let find = |repo: &str, control: &str| {
        rows.iter()
            .find(|r| r.component == repo && r.control_id == oscal::oscal_token(control))
            .unwrap_or_else(|| panic!("{control}@{repo}"))
    };
    for cell in &cells {
        let r = find(&cell.repository, &cell.control.control);
        assert_eq!(r.status, cell.effective_status(), "{}", cell.control);
        if !cell.narrative.is_empty() {
            assert_eq!(r.narrative, cell.narrative);
        }
        assert_eq!(r.owner, cell.owner);
        assert_eq!(r.last_reviewed, cell.last_reviewed);
        assert_eq!(r.not_applicable_reason, cell.not_applicable_reason);
    }
    // A cell without a narrative is described by the export's fallback;
    // a cell not assessed has no state.
    assert_eq!(find("web", "OWN-2").narrative, "Title of OWN-2: partial.");
    assert_eq!(find("web", "OWN-1").status, None);
    assert_eq!(find("api", "164.308(a)(1)").control_id, "c164.308_a_1");
}

#[test]
fn catalog_import_refuses_assessments_and_names_import_assessment() {
    use plasma_exports::compliance::catalog_import::parse_oscal;
    for doc in [component_definition(), ssp()] {
        let e = parse_oscal("x.json", &doc.to_string(), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a catalog or profile"), "{e}");
        assert!(e.contains("plasma compliance import-assessment"), "{e}");
    }
}

/// `ssp()` as OSCAL XML: one element of a repeatable kind is still a list,
/// an SSP's one `control-implementation` is not.
const SSP_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="ssp">
  <metadata><title>Shop SSP</title><party uuid="p1" type="person"><name>Ada</name></party></metadata>
  <import-profile href="profile.json"/>
  <system-implementation>
    <component uuid="sys" type="this-system"><title>This System</title><description><p>x</p></description><status state="operational"/></component>
    <component uuid="api" type="software"><title>api</title><description><p>x</p></description><status state="operational"/></component>
    <component uuid="web" type="software"><title>Web</title><description><p>x</p></description><status state="operational"/></component>
  </system-implementation>
  <control-implementation>
    <description><p>How.</p></description>
    <implemented-requirement uuid="r1" control-id="au-1">
      <prop name="implementation-status" value="planned"/>
      <by-component uuid="b1" component-uuid="api">
        <description><p>The API logs.</p></description>
        <implementation-status state="implemented"/>
        <responsible-role role-id="owner"><party-uuid>p1</party-uuid></responsible-role>
      </by-component>
      <statement statement-id="au-1_smt.a" uuid="s1">
        <by-component uuid="b2" component-uuid="api"><description><p>Policy A.</p></description></by-component>
        <by-component uuid="b3" component-uuid="web"><description><p>Web policy.</p></description></by-component>
      </statement>
    </implemented-requirement>
    <implemented-requirement uuid="r2" control-id="pe-3">
      <by-component uuid="b4" component-uuid="web">
        <description><p>Hosted.</p></description>
        <implementation-status state="not-applicable"><remarks><p>No premises.</p></remarks></implementation-status>
      </by-component>
      <by-component uuid="b5" component-uuid="gone"><description><p>?</p></description></by-component>
    </implemented-requirement>
    <implemented-requirement uuid="r3" control-id="ac-1"/>
  </control-implementation>
</system-security-plan>"#;

#[test]
fn an_ssp_in_xml_reads_as_its_json_edition() {
    let from_json = parse_assessment(&ssp().to_string()).unwrap();
    let from_xml = parse_assessment(SSP_XML).unwrap();
    assert_eq!(from_xml, from_json);
    assert_eq!(from_xml.rows.len(), 5);
}

#[test]
fn a_component_definition_in_xml_with_one_of_everything_reads() {
    let xml = r##"<component-definition xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="cd">
  <metadata><title>One</title><last-modified>2024-03-05T10:00:00Z</last-modified></metadata>
  <component uuid="c1" type="software">
    <title>api</title>
    <description><p>The API.</p></description>
    <control-implementation uuid="i1" source="#cat">
      <description><p>800-53</p></description>
      <implemented-requirement uuid="r1" control-id="ac-2">
        <prop name="implementation-status" value="partial"/>
        <link href="https://ci.example.test/run/7" rel="evidence"><text>Nightly check</text></link>
        <statement statement-id="ac-2_smt.a" uuid="s1"><description><p>Accounts are <em>listed</em>.</p></description></statement>
        <description><p>From the IdP.</p></description>
      </implemented-requirement>
    </control-implementation>
  </component>
</component-definition>"##;
    let doc = parse_assessment(xml).unwrap();
    assert_eq!(doc.model, AssessmentModel::ComponentDefinition);
    assert_eq!(doc.last_modified, Some(day("2024-03-05")));
    assert_eq!(doc.rows.len(), 1);
    let row = &doc.rows[0];
    assert_eq!(
        (row.component.as_str(), row.control_id.as_str(), row.status),
        ("api", "ac-2", Some(Partial))
    );
    assert_eq!(
        row.narrative,
        "From the IdP.\n\nac-2_smt.a: Accounts are _listed_."
    );
    assert_eq!(
        row.evidence,
        vec![AssessmentEvidence {
            kind: EvidenceKind::Link,
            title: "Nightly check".into(),
            location: "https://ci.example.test/run/7".into()
        }]
    );
}

#[test]
fn xml_that_is_not_oscal_or_not_well_formed_is_refused_with_where() {
    let err = parse_assessment("<html><body/></html>")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an OSCAL document"), "{err}");
    let err = parse_assessment(
        "<system-security-plan xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n<metadata></metdata>",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("line 2, column"), "{err}");
}

/// A requirement's links (to the web, to a back-matter resource, to a
/// file), its state's remarks and its other remarks.
fn with_evidence() -> serde_json::Value {
    json!({"component-definition": {
        "uuid": "cd",
        "metadata": {"title": "E", "last-modified": "2023-11-02T08:00:00.000-05:00"},
        "components": [{
            "uuid": "c1", "type": "software", "title": "api", "description": "x",
            "control-implementations": [{
                "uuid": "i1", "source": "#cat", "description": "d",
                "implemented-requirements": [
                    {
                        "uuid": "r1", "control-id": "ac-2", "description": "Done.",
                        "props": [{"name": "implementation-status", "value": "implemented",
                                   "remarks": "Verified in the Q3 review."}],
                        "links": [
                            {"href": "https://wiki.example.test/ac-2", "rel": "evidence", "text": "Runbook"},
                            {"href": "#res-scan", "rel": "reference"},
                            {"href": "#res-memo", "rel": "reference"},
                            {"href": "evidence/ac-2.pdf", "rel": "evidence"},
                            {"href": "#nowhere"}
                        ],
                        "remarks": "Owner: Ada\n\nReviewed with the auditors."
                    },
                    {
                        "uuid": "r2", "control-id": "ac-3",
                        "implementation-status": {"state": "not-applicable", "remarks": "No users."},
                        "remarks": "Not assessed yet."
                    }
                ]
            }]
        }],
        "back-matter": {"resources": [
            {"uuid": "res-scan", "title": "Scan report",
             "rlinks": [{"href": "scans/q3.json"}, {"href": "https://scans.example.test/q3"}]},
            {"uuid": "res-memo", "title": "Board memo", "citation": {"text": "Board directive, 2012-01-01"}}
        ]}
    }})
}

#[test]
fn links_resources_and_remarks_become_evidence() {
    let doc = parse_assessment(&with_evidence().to_string()).unwrap();
    assert_eq!(doc.last_modified, Some(day("2023-11-02")));
    let ev = |kind, title: &str, location: &str| AssessmentEvidence {
        kind,
        title: title.into(),
        location: location.into(),
    };
    assert_eq!(
        doc.rows[0].evidence,
        vec![
            ev(
                EvidenceKind::Link,
                "Runbook",
                "https://wiki.example.test/ac-2"
            ),
            ev(
                EvidenceKind::Link,
                "Scan report",
                "https://scans.example.test/q3"
            ),
            ev(
                EvidenceKind::Note,
                "Board memo",
                "Board directive, 2012-01-01"
            ),
            ev(EvidenceKind::File, "evidence/ac-2.pdf", "evidence/ac-2.pdf"),
            ev(
                EvidenceKind::Note,
                "Reference",
                "#nowhere (not in the back matter)"
            ),
            ev(
                EvidenceKind::Note,
                "Implementation status remarks",
                "Verified in the Q3 review."
            ),
            ev(EvidenceKind::Note, "Remarks", "Reviewed with the auditors."),
        ]
    );
    assert_eq!(doc.rows[0].owner, "Ada");
    // A not-applicable state's remarks are its reason; our export's
    // "Not assessed yet." says nothing.
    assert_eq!(doc.rows[1].not_applicable_reason, "No users.");
    assert!(
        doc.rows[1].evidence.is_empty(),
        "{:?}",
        doc.rows[1].evidence
    );
    let err = error(
        &json!({"component-definition": {"components": [{"uuid": "c", "title": "t",
        "control-implementations": [{"implemented-requirements": [{"control-id": "ac-1", "links": [{"rel": "evidence"}]}]}]}]}}),
    );
    assert!(
        err.contains("links[0].href") && err.contains("needs an href"),
        "{err}"
    );
}

#[test]
fn an_ssp_names_its_system() {
    let mut v = ssp();
    v["system-security-plan"]["system-characteristics"] =
        json!({"system-name": "Shop", "system-name-short": "shop"});
    let doc = parse_assessment(&v.to_string()).unwrap();
    assert_eq!(doc.system_names, vec!["This System", "Shop", "shop"]);
    let doc = parse_assessment(&component_definition().to_string()).unwrap();
    assert!(doc.system_names.is_empty());
}

/// An SSP's requirement for SC-8 as FedRAMP templates write it: the
/// statement text inserts a parameter its requirement, a by-component or the
/// control implementation sets.
fn ssp_with_parameters() -> serde_json::Value {
    json!({"system-security-plan": {
        "uuid": "s",
        "metadata": {"title": "Params"},
        "system-implementation": {"components": [
            {"uuid": "gw", "type": "software", "title": "Gateway"},
            {"uuid": "db", "type": "software", "title": "Database"}
        ]},
        "control-implementation": {
            "set-parameters": [{"param-id": "sc-8_prm_1", "values": ["confidentiality"]},
                               {"param-id": "au-2_prm_1", "values": ["logons", "logoffs"]}],
            "implemented-requirements": [{
                "uuid": "r1", "control-id": "sc-8",
                "set-parameters": [{"param-id": "sc-8_prm_1", "values": ["confidentiality and integrity"]}],
                "by-components": [{
                    "component-uuid": "gw", "uuid": "b1",
                    "set-parameters": [{"param-id": "sc-8_prm_1", "values": ["integrity"]}],
                    "description": "TLS protects {{ insert: param, sc-8_prm_1 }}."
                }],
                "statements": [{
                    "statement-id": "sc-8_smt", "uuid": "st1",
                    "by-components": [{"component-uuid": "db", "uuid": "b2",
                        "description": "Replication keeps {{ insert: param, sc-8_prm_1 }}; unset: {{ insert: param, sc-8_prm_9 }}."}]
                }]
            }, {
                "uuid": "r2", "control-id": "au-2",
                "description": "We log {{insert: param, au-2_prm_1}}."
            }]
        }
    }})
}

#[test]
fn inserted_parameters_show_the_value_the_nearest_node_sets() {
    let doc = parse_assessment(&ssp_with_parameters().to_string()).unwrap();
    let narratives: Vec<(&str, &str)> = doc
        .rows
        .iter()
        .map(|r| (r.component.as_str(), r.narrative.as_str()))
        .collect();
    assert_eq!(
        narratives,
        vec![
            // The by-component's own setting wins over the requirement's.
            ("Gateway", "TLS protects integrity."),
            // The requirement's over the control implementation's; one set
            // nowhere is named, not left as a raw marker.
            (
                "Database",
                "sc-8_smt: Replication keeps confidentiality and integrity; unset: [Assignment: sc-8_prm_9]."
            ),
            // Several values are listed.
            ("", "We log logons, logoffs."),
        ]
    );

    // A component definition's requirement and control implementation set
    // parameters the same way.
    let cd = json!({"component-definition": {
        "uuid": "cd", "metadata": {"title": "T"},
        "components": [{"uuid": "c", "title": "Gateway", "control-implementations": [{
            "uuid": "ci", "source": "x", "description": "",
            "set-parameters": [{"param-id": "ac-1_prm_1", "values": ["yearly"]}],
            "implemented-requirements": [{"uuid": "r", "control-id": "ac-1",
                "description": "Reviewed {{ insert: param, ac-1_prm_1 }}.",
                "statements": [{"statement-id": "ac-1_smt.a", "uuid": "s",
                    "description": "By {{ insert: param, ac-1_prm_2 }}."}],
                "set-parameters": [{"param-id": "ac-1_prm_2", "values": ["the CISO"]}]}]
        }]}]
    }});
    let doc = parse_assessment(&cd.to_string()).unwrap();
    assert_eq!(
        doc.rows[0].narrative,
        "Reviewed yearly.\n\nac-1_smt.a: By the CISO."
    );
}

#[test]
fn a_statements_remarks_and_links_are_evidence_also_beside_by_components() {
    let mut s = ssp();
    let statement = &mut s["system-security-plan"]["control-implementation"]
        ["implemented-requirements"][0]["statements"][0];
    statement["remarks"] = json!("Shared with the hosting provider.");
    statement["links"] = json!([{"href": "https://example.com/runbook", "text": "Runbook"}]);
    let sid = statement["statement-id"].as_str().unwrap().to_string();
    let doc = parse_assessment(&s.to_string()).unwrap();
    let control = doc.rows[0].control_id.clone();
    let rows: Vec<_> = doc
        .rows
        .iter()
        .filter(|r| r.control_id == control)
        .collect();
    assert!(
        rows.len() > 1,
        "the fixture's first requirement has by-components"
    );
    for r in rows {
        assert!(
            r.evidence.contains(&AssessmentEvidence {
                kind: EvidenceKind::Note,
                title: format!("Remarks on {sid}"),
                location: "Shared with the hosting provider.".into(),
            }),
            "{} has {:?}",
            r.component,
            r.evidence
        );
        assert!(r
            .evidence
            .iter()
            .any(|e| e.location == "https://example.com/runbook" && e.title == "Runbook"));
    }

    // Without by-components the statement's remarks go to the system's row.
    let mut s = ssp_with_parameters();
    s["system-security-plan"]["control-implementation"]["implemented-requirements"][1]
        ["statements"] = json!([{"statement-id": "au-2_smt.a", "uuid": "x", "remarks": "Daily."}]);
    let doc = parse_assessment(&s.to_string()).unwrap();
    let au2 = doc.rows.iter().find(|r| r.control_id == "au-2").unwrap();
    assert_eq!(au2.evidence[0].title, "Remarks on au-2_smt.a");
    assert_eq!(au2.evidence[0].location, "Daily.");
}

#[test]
fn a_yaml_placeholder_comment_that_swallows_by_components_is_refused_with_where() {
    // `##...##` starts a YAML comment, so the uuid is empty and the
    // more-indented `by-components` below becomes its value.
    let yaml = "\
system-security-plan:
  uuid: ##########ID##########
  metadata:
    title: Leveraging
  control-implementation:
    implemented-requirements:
      - uuid: ##########ID##########
        control-id: ac-8
        statements:
          - statement-id: ac-8_smt.a
            uuid: ##########ID##########
              by-components:
                - component-uuid: c1
                  description: Shown at log in.
";
    let e = parse_assessment(yaml).unwrap_err();
    assert_eq!(
        e.location,
        "$.system-security-plan.control-implementation.implemented-requirements[0].statements[0].uuid"
    );
    assert!(e.reason.contains("holds by-components"), "{e}");
    assert!(e.reason.contains("YAML comment"), "{e}");

    // The same uuid mis-placed on a requirement or a by-component.
    let mut s = ssp();
    s["system-security-plan"]["control-implementation"]["implemented-requirements"][1]
        ["by-components"][0]["uuid"] = json!({"description": "lost"});
    assert!(
        error(&s).contains("by-components[0].uuid: the uuid should be text but holds description")
    );
    let mut s = ssp();
    s["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["uuid"] =
        json!([1]);
    assert!(error(&s)
        .contains("implemented-requirements[0].uuid: the uuid should be text but holds a list"));

    // An empty placeholder alone (no lines under it) still imports.
    let fine = yaml.replace("              by-components:\n                - component-uuid: c1\n                  description: Shown at log in.\n", "            description: Shown at log in.\n");
    let doc = parse_assessment(&fine).unwrap();
    assert_eq!(doc.rows[0].narrative, "ac-8_smt.a: Shown at log in.");
}

#[test]
fn pre_1_0_xml_props_carry_their_value_as_element_text() {
    let xml = r#"<component-definition xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="cd">
  <metadata><title>Old</title></metadata>
  <component uuid="c1" type="software"><title>Gateway</title>
    <control-implementation uuid="ci" source="x"><description><p>d</p></description>
      <implemented-requirement uuid="r1" control-id="ac-2">
        <prop name="implementation-status">planned</prop>
        <link href="https://example.com/plan">Rollout plan</link>
        <description><p>Accounts come from SSO.</p></description>
      </implemented-requirement>
    </control-implementation>
  </component>
</component-definition>"#;
    let doc = parse_assessment(xml).unwrap();
    let r = &doc.rows[0];
    assert_eq!(r.status, Some(Planned));
    assert_eq!(r.narrative, "Accounts come from SSO.");
    assert_eq!(
        r.evidence,
        vec![AssessmentEvidence {
            kind: EvidenceKind::Link,
            title: "Rollout plan".into(),
            location: "https://example.com/plan".into(),
        }]
    );
}

#[test]
fn leveraged_authorizations_and_statement_level_by_components_keep_what_they_say() {
    // As trestle's leveraged-IaaS example: by-components only in
    // statements, with responsible roles of a party that has no name, and
    // the `export` of what leveraging systems inherit and must do.
    let s = json!({"system-security-plan": {
        "uuid": "s", "metadata": {"title": "IaaS",
            "roles": [{"id": "admin", "title": "Administrator"}],
            "parties": [{"uuid": "p0", "type": "person"}]},
        "system-implementation": {"components": [{"uuid": "app", "type": "software", "title": "Application"}]},
        "control-implementation": {"implemented-requirements": [{
            "uuid": "r", "control-id": "ac-2",
            "statements": [{"statement-id": "ac-2_smt.a", "uuid": "st", "by-components": [{
                "component-uuid": "app", "uuid": "b",
                "description": "The application manages accounts.",
                "responsible-roles": [{"role-id": "admin", "party-uuids": ["p0"]}],
                "remarks": "Checked monthly.",
                "export": {
                    "description": "Account management.",
                    "provided": [{"uuid": "pr", "description": "Accounts may be inherited."}],
                    "responsibilities": [{"uuid": "rs", "provided-uuid": "pr",
                        "description": "Customers review their own accounts."}]
                },
                "inherited": [{"uuid": "in", "provided-uuid": "x", "description": "Physical access from the data centre."}],
                "satisfied": [{"uuid": "sa", "responsibility-uuid": "y", "description": "We review the IaaS accounts we hold."}]
            }]}]
        }]}
    }});
    let doc = parse_assessment(&s.to_string()).unwrap();
    let r = &doc.rows[0];
    assert_eq!(r.component, "Application");
    assert_eq!(
        r.owner, "Administrator",
        "a nameless party gives way to its role"
    );
    assert_eq!(
        titled(&r.evidence),
        vec![
            ("Export", "Account management."),
            (
                "Provided to leveraging systems",
                "Accounts may be inherited."
            ),
            (
                "Responsibility of leveraging systems",
                "Customers review their own accounts."
            ),
            ("Inherited", "Physical access from the data centre."),
            ("Satisfied", "We review the IaaS accounts we hold."),
            ("Remarks on ac-2_smt.a", "Checked monthly."),
        ]
    );

    let mut bad = s.clone();
    bad["system-security-plan"]["control-implementation"]["implemented-requirements"][0]
        ["statements"][0]["by-components"][0]["export"]["responsibilities"] = json!("all");
    assert_eq!(
        error(&bad),
        "$.system-security-plan.control-implementation.implemented-requirements[0].statements[0].by-components[0].export.responsibilities: responsibilities should be an array"
    );
}

#[test]
fn fedramp_partial_and_planned_keep_both_remarks_and_the_planned_date() {
    // FedRAMP's SSP guide: a control may be partial and planned with two
    // implementation-status props (the gap in one's remarks, the plan in
    // the other's) and a planned-completion-date prop.
    let xml = r#"<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="s">
  <metadata><title>FedRAMP</title></metadata>
  <system-implementation>
    <component uuid="sys" type="this-system"><title>This System</title></component>
  </system-implementation>
  <control-implementation>
    <description><p>Controls.</p></description>
    <implemented-requirement uuid="r1" control-id="ac-1">
      <prop name="planned-completion-date" ns="https://fedramp.gov/ns/oscal" value="2021-01-01Z"/>
      <prop name="implementation-status" ns="https://fedramp.gov/ns/oscal" value="partial">
        <remarks><p>Procedures are not written yet.</p></remarks>
      </prop>
      <prop name="implementation-status" ns="https://fedramp.gov/ns/oscal" value="planned">
        <remarks><p>Draft by March, approval by June.</p></remarks>
      </prop>
      <statement statement-id="ac-1_smt.a" uuid="st"><description><p>Policy exists.</p></description></statement>
    </implemented-requirement>
  </control-implementation>
</system-security-plan>"#;
    let doc = parse_assessment(xml).unwrap();
    let r = &doc.rows[0];
    assert_eq!(r.status, Some(Partial));
    assert_eq!(r.narrative, "ac-1_smt.a: Policy exists.");
    assert_eq!(
        titled(&r.evidence),
        vec![
            (
                "Implementation status remarks",
                "partial: Procedures are not written yet.\n\nplanned: Draft by March, approval by June."
            ),
            ("Planned completion date", "2021-01-01Z"),
        ]
    );

    // A second state that is no state is refused where it is.
    let bad = xml.replace("value=\"planned\"", "value=\"soon\"");
    let e = parse_assessment(&bad).unwrap_err();
    assert!(
        e.location
            .ends_with("implemented-requirements[0].props[2].value"),
        "{e}"
    );
}

#[test]
fn a_component_s_responsible_roles_own_the_controls_its_requirements_name_no_owner_for() {
    // As NIST's IFA GoodRead SSP: the this-system component names its
    // developer and engineer; the by-component names nobody.
    let mut s = ssp();
    s["system-security-plan"]["system-implementation"]["components"][2]["responsible-roles"] =
        json!([{"role-id": "developer", "party-uuids": ["p1"]}]);
    let doc = parse_assessment(&s.to_string()).unwrap();
    let owner = |component: &str, control: &str| {
        let r = doc
            .rows
            .iter()
            .find(|r| r.component == component && r.control_id == control)
            .unwrap();
        r.owner.clone()
    };
    assert_eq!(owner("Web", "pe-3"), "Ada", "from the component");
    // The requirement's own responsible role still comes first.
    assert_eq!(owner("api", "au-1"), "Ada");

    let mut cd = component_definition();
    let component = &mut cd["component-definition"]["components"][0];
    component["responsible-roles"] = json!([
        {"role-id": "maintainer", "party-uuids": ["p1"]},
        // A role with nobody in it names no one.
        {"role-id": "customer"}
    ]);
    for req in component["control-implementations"][0]["implemented-requirements"]
        .as_array_mut()
        .unwrap()
    {
        req.as_object_mut().unwrap().remove("responsible-roles");
        req.as_object_mut().unwrap().remove("remarks");
    }
    let doc = parse_assessment(&cd.to_string()).unwrap();
    assert!(
        doc.rows.iter().all(|r| r.owner == "SRE guild"),
        "{:?}",
        doc.rows
    );

    // The vendor that provides a component does not answer for it here.
    cd["component-definition"]["components"][0]["responsible-roles"] =
        json!([{"role-id": "provider", "party-uuids": ["p1"]}]);
    let doc = parse_assessment(&cd.to_string()).unwrap();
    assert!(
        doc.rows.iter().all(|r| r.owner.is_empty()),
        "{:?}",
        doc.rows
    );
}

/// Lula (defenseunicorns) keeps each validation as YAML in a back-matter
/// resource's description, with no title, linked `rel: lula`: the evidence
/// is named by the validation, not by the resource's uuid, and keeps it.
#[test]
fn a_lula_validation_in_the_back_matter_is_named_by_its_metadata() {
    let validation =
        "metadata:\n  name: Validate pods with label foo=bar\n  uuid: v1\nprovider:\n  type: opa\n";
    let doc = parse_assessment(
        &json!({"component-definition": {"metadata": {"title": "Lula demo"},
        "components": [{"uuid": "c", "title": "lula", "control-implementations": [{"implemented-requirements": [
            {"control-id": "ID-1", "description": "Checked.", "links": [{"href": "#v1", "rel": "lula"}, {"href": "#plain", "rel": "lula"}]}]}]}],
        "back-matter": {"resources": [{"uuid": "v1", "remarks": "Get data", "description": validation},
                                      {"uuid": "plain", "description": "metadata:\n  name: Not a validation\n"}]}}})
        .to_string(),
    )
    .unwrap();
    assert_eq!(
        titled(&doc.rows[0].evidence),
        [
            (
                "Lula validation: Validate pods with label foo=bar",
                validation.trim_end()
            ),
            ("#plain", "metadata:\n  name: Not a validation"),
        ]
    );
}

/// Assessment results, plans and POA&Ms (Lula writes its results as SARs)
/// are refused saying what they are and what to import instead, never read
/// as implementation states.
#[test]
fn assessment_results_and_poams_are_refused_by_name() {
    let sar = "assessment-results:\n  metadata:\n    title: SAR\n  results:\n    - findings:\n        - target:\n            status:\n              state: satisfied\n            target-id: ID-1\n";
    let err = parse_assessment(sar).unwrap_err().to_string();
    assert!(
        err.contains("found assessment-results (SAR)")
            && err.contains("import the SSP or component definition it assessed"),
        "{err}"
    );
    let err = error(&json!({"plan-of-action-and-milestones": {"poam-items": []}}));
    assert!(err.contains("(POA&M): it records an assessment"), "{err}");
    let err = error(&json!({"profile": {}}));
    assert!(err.contains("plasma compliance import"), "{err}");
}

/// A component definition that only describes its components (AWS's
/// per-service definitions have no control-implementations) is refused
/// saying there is nothing to import, not imported as zero rows.
#[test]
fn a_component_definition_without_control_implementations_is_refused() {
    let err = error(
        &json!({"component-definition": {"metadata": {"title": "Amazon SimpleDB v2"},
        "components": [{"uuid": "c1", "type": "service", "title": "Amazon SimpleDB v2", "description": "_Empty_"},
                       {"uuid": "c2", "type": "service", "title": "Amazon SimpleDB"}]}}),
    );
    assert_eq!(
        err,
        "$.component-definition.components: nothing to import: no control-implementations say how a control is implemented; its components (Amazon SimpleDB v2, Amazon SimpleDB) list none"
    );
    let err = error(&json!({"component-definition": {"metadata": {"title": "Empty"}}}));
    assert!(err.ends_with("it has no components"), "{err}");
}
