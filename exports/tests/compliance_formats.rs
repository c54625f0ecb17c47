//! Compliance exports read back: CSV with the csv crate, XLSX with calamine,
//! OSCAL as JSON (trestle validates it in `scripts/check-oscal`), Markdown
//! and the evidence pack index against golden files; catalog import from
//! self-written OSCAL and CSV. Regenerate the golden files with
//! `PLASMA_UPDATE_GOLDEN=1 cargo test -p plasma-exports --test compliance_formats`.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use plasma_exports::compliance::catalog_import::{
    parse_csv, parse_oscal, parse_oscal_with, CatalogFormat,
};
use plasma_exports::compliance::{evidence_pack, oscal, tables, xlsx, MatrixExport};
use plasma_models::compliance::*;
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0042);

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn framework(id: &str, name: &str, controls: &[(&str, &str)]) -> Framework {
    Framework {
        id: id.into(),
        name: name.into(),
        version: "1".into(),
        source: "Self-written test catalog, https://example.test/catalog".into(),
        notice: "Test notice".into(),
        bundled: false,
        controls: controls
            .iter()
            .map(|(id, title)| Control {
                id: (*id).into(),
                group: "Group A".into(),
                title: (*title).into(),
                description: String::new(),
            })
            .collect(),
    }
}

struct Fixture {
    frameworks: Vec<Framework>,
    mappings: Vec<Mapping>,
    repos: Vec<String>,
    descriptions: Vec<String>,
    cells: Vec<Cell>,
}

fn fixture() -> Fixture {
    let frameworks = vec![
        framework(
            "own",
            "Own controls",
            &[("OWN-1", "Design review"), ("OWN-2", "Backups, tested")],
        ),
        framework(
            "hip",
            "Regulation",
            &[
                ("164.308(a)(1)", "Risk analysis"),
                ("164.312(b)", "Audit | controls"),
            ],
        ),
    ];
    let mappings = vec![Mapping {
        source: ControlRef::new("own", "OWN-2"),
        target: ControlRef::new("hip", "164.308(a)(1)"),
        relationship: Relationship::Intersects,
        strength: 4,
        rationale: String::new(),
        bundled: true,
    }];
    let mut design = Cell::new(ControlRef::new("own", "OWN-1"), "api");
    design.set_status(ImplementationStatus::Implemented);
    design.owner = "Architecture, guild".into();
    design.narrative = "Every change has an ADR.\nReviewed weekly.".into();
    design.last_reviewed = Some(day("2026-10-01"));
    design.adrs = vec![3];
    design.evidence.push(Evidence {
        id: Uuid::from_u128(1),
        kind: EvidenceKind::Link,
        title: "ADR log".into(),
        location: "https://example.test/adr".into(),
        collected: day("2026-09-30"),
        expires: Some(day("2027-09-30")),
    });
    design.evidence.push(Evidence {
        id: Uuid::from_u128(2),
        kind: EvidenceKind::File,
        title: "Review minutes.pdf".into(),
        location: "/evidence/minutes.pdf".into(),
        collected: day("2026-09-01"),
        expires: None,
    });
    let mut backups = Cell::new(ControlRef::new("own", "OWN-2"), "web");
    backups.set_status(ImplementationStatus::Partial);
    backups.narrative = "=SUM(A1) looks like a formula".into();
    let mut audit = Cell::new(ControlRef::new("hip", "164.312(b)"), "web");
    audit.set_not_applicable("No ePHI in the web tier");
    Fixture {
        frameworks,
        mappings,
        repos: vec!["api".into(), "web".into()],
        descriptions: vec!["The API".into(), String::new()],
        cells: vec![design, backups, audit],
    }
}

fn with_export<T>(fx: &Fixture, run: impl FnOnce(&MatrixExport<'_>) -> T) -> T {
    let view = MatrixView::new(&fx.frameworks, &fx.mappings, &fx.repos, &fx.cells);
    let export = MatrixExport {
        workspace_id: WS,
        workspace: "Shop",
        generated: day("2026-11-27"),
        frameworks: fx.frameworks.iter().collect(),
        repositories: &fx.repos,
        repository_descriptions: &fx.descriptions,
        coverage: view.coverage(&["own", "hip"]),
        view: &view,
    };
    run(&export)
}

fn golden(name: &str, actual: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/compliance");
    let path = dir.join(name);
    if std::env::var_os("PLASMA_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with PLASMA_UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn csv_reads_back_one_row_per_control_and_repository() {
    let fx = fixture();
    let text = with_export(&fx, tables::matrix_csv);
    golden("matrix.csv", &text);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        tables::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8, "4 controls x 2 repositories");
    let design = &rows[0];
    assert_eq!(&design[1], "OWN-1");
    assert_eq!(&design[4], "api");
    assert_eq!(&design[7], "implemented");
    assert_eq!(&design[8], "Architecture, guild");
    assert_eq!(&design[9], "Every change has an ADR.\nReviewed weekly.");
    assert!(design[11].contains("link: ADR log <https://example.test/adr>"));
    assert_eq!(&design[12], "ADR-0003");
    // Formulas are neutralised.
    assert_eq!(&rows[3][9], "'=SUM(A1) looks like a formula");
    // The mapped credit of the partial backup control reaches the risk analysis in web.
    let risk_web = &rows[5];
    assert_eq!(
        (&risk_web[1], &risk_web[4], &risk_web[7]),
        ("164.308(a)(1)", "web", "not assessed")
    );
    assert_eq!((&risk_web[14], &risk_web[15]), ("20%", "own:OWN-2"));
    assert_eq!((&rows[7][5], &rows[7][7]), ("no", "not-applicable"));
}

#[test]
fn matrix_csv_rows_read_back_into_the_cells_and_export_byte_for_byte() {
    use plasma_exports::compliance::matrix_import::{parse_matrix_csv, rows_csv};
    let fx = fixture();
    let golden_text = with_export(&fx, tables::matrix_csv);
    let rows = parse_matrix_csv(&golden_text).unwrap();
    assert_eq!(rows_csv(&rows), golden_text);
    assert_eq!(rows[0].id(), "own:OWN-1@api");
    // Cells rebuilt from the rows alone (plus what the CSV does not hold:
    // evidence) give the same file again.
    let mut blank = fixture();
    for cell in &mut blank.cells {
        let evidence = std::mem::take(&mut cell.evidence);
        *cell = Cell::new(cell.control.clone(), cell.repository.clone());
        cell.evidence = evidence;
    }
    for row in &rows {
        let fields = row.assessed().unwrap();
        let r = ControlRef::new(row.get("framework"), row.get("control"));
        match blank
            .cells
            .iter_mut()
            .find(|c| c.control == r && c.repository == row.get("repository"))
        {
            Some(cell) => fields.apply_to(cell),
            None => assert!(fields.is_blank(), "{} has no cell", row.id()),
        }
    }
    assert_eq!(blank.cells, fx.cells);
    assert_eq!(with_export(&blank, tables::matrix_csv), golden_text);
}

#[test]
fn xlsx_reads_back_with_sheets_header_filters_and_values() {
    let fx = fixture();
    let bytes = with_export(&fx, |e| xlsx::matrix_xlsx(e).unwrap());
    // Deterministic for a given day.
    assert_eq!(bytes, with_export(&fx, |e| xlsx::matrix_xlsx(e).unwrap()));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "own", "hip"]);
    let own = book.worksheet_range("own").unwrap();
    let header: Vec<String> = own
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, xlsx::SHEET_HEADER);
    assert_eq!(own.height(), 5, "header + 2 controls x 2 repositories");
    let first: Vec<String> = own
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&first[1], "OWN-1");
    assert_eq!(&first[7], "implemented");
    let summary = book.worksheet_range("Summary").unwrap();
    let own_row = summary
        .rows()
        .find(|r| r.first() == Some(&Data::String("own".into())))
        .unwrap();
    // own: 1 implemented + 0.5 partial of 4 applicable = 37.5%.
    assert_eq!(own_row[8], Data::Float(37.5));
    // The heat map: frameworks down, repositories across.
    let heat_at = summary
        .rows()
        .position(|r| {
            r.first()
                .is_some_and(|c| c.to_string().starts_with("Heat map"))
        })
        .unwrap();
    let heat: Vec<&[Data]> = summary.rows().skip(heat_at + 1).take(3).collect();
    assert_eq!(heat[0][1], Data::String("api".into()));
    assert_eq!(heat[1][0], Data::String("own".into()));
    // own in api: implemented of 2 = 50%; in web: partial of 2 = 25%.
    assert_eq!(
        (&heat[1][1], &heat[1][2]),
        (&Data::Float(50.0), &Data::Float(25.0))
    );
    // Frozen header, autofilter and status colours are in the sheet XML.
    let mut zip = zip_sheet(&bytes, "xl/worksheets/sheet2.xml");
    assert!(zip.contains("<pane ySplit=\"1\""), "frozen header");
    assert!(zip.contains("<autoFilter ref=\"A1:P5\""), "autofilter");
    zip = zip_sheet(&bytes, "xl/styles.xml");
    assert!(
        zip.contains("FFC6EFCE") && zip.contains("FFFFEB9C"),
        "status fills"
    );
}

fn zip_sheet(bytes: &[u8], name: &str) -> String {
    // calamine opened the archive; read one part the same way it does.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut file, &mut out).unwrap();
    out
}

#[test]
fn markdown_is_github_tables_with_escaped_cells() {
    let fx = fixture();
    let text = with_export(&fx, tables::matrix_markdown);
    golden("matrix.md", &text);
    assert!(text.contains("| own | 1 | 0 | 1 | 0 | 2 | 0 | 37.5% | 37.5% |"));
    assert!(text.contains("Audit \\| controls"), "pipes escaped");
    assert!(text
        .contains("| 164.308(a)(1) | Risk analysis | not assessed | not assessed (20% mapped) |"));
}

#[test]
fn oscal_component_definition_has_a_component_per_repository_and_every_cell() {
    let fx = fixture();
    let text = with_export(&fx, oscal::component_definition);
    golden("component-definition.json", &text);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cd = &doc["component-definition"];
    assert_eq!(cd["metadata"]["oscal-version"], "1.1.2");
    let comps = cd["components"].as_array().unwrap();
    assert_eq!(comps.len(), 2);
    assert_eq!(comps[0]["title"], "api");
    assert_eq!(comps[0]["description"], "The API");
    let impls = comps[1]["control-implementations"].as_array().unwrap();
    assert_eq!(impls.len(), 2, "one per framework");
    let reqs = impls[1]["implemented-requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["control-id"], "c164.308_a_1", "a valid OSCAL token");
    assert_eq!(reqs[1]["props"][1]["value"], "not-applicable");
    assert_eq!(
        reqs[1]["props"][0]["value"], "164.312(b)",
        "the original id as label"
    );
    let api_design = &comps[0]["control-implementations"][0]["implemented-requirements"][0];
    assert_eq!(api_design["props"][1]["value"], "implemented");
    assert_eq!(api_design["links"][0]["href"], "https://example.test/adr");
    // Every uuid is unique; source points at a back-matter resource.
    let mut uuids = Vec::new();
    collect_uuids(&doc, &mut uuids);
    let n = uuids.len();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), n);
    let source = impls[0]["source"].as_str().unwrap().trim_start_matches('#');
    assert!(cd["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["uuid"] == source));
    for (id, token) in [
        ("A.5.1", "A.5.1"),
        ("GV.OC-01", "GV.OC-01"),
        ("Art.32", "Art.32"),
        ("5.1", "c5.1"),
    ] {
        assert_eq!(oscal::oscal_token(id), token);
    }
}

fn collect_uuids(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "uuid" {
                    out.push(v.as_str().unwrap().to_string());
                } else {
                    collect_uuids(v, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_uuids(v, out)),
        _ => {}
    }
}

#[test]
fn evidence_pack_places_files_by_slug_and_indexes_everything() {
    let fx = fixture();
    let files = with_export(&fx, evidence_pack::plan_files);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].pack_path, "files/api/own-own-1/review-minutes.pdf");
    let index = with_export(&fx, |e| evidence_pack::index_markdown(e, &files, &[]));
    golden("evidence-index.md", &index);
    assert!(index.contains("file [Review minutes.pdf](files/api/own-own-1/review-minutes.pdf)"));
    let missing = with_export(&fx, |e| {
        evidence_pack::index_markdown(e, &files, &[files[0].evidence_id])
    });
    assert!(missing.contains("NOT FOUND at /evidence/minutes.pdf"));
}

#[test]
fn catalogs_import_from_oscal_catalog_profile_and_csv() {
    let catalog = r#"{"catalog": {"uuid": "x", "metadata": {"title": "Mini Catalog", "version": "0.1"},
        "groups": [{"id": "ac", "title": "Access Control", "controls": [
            {"id": "ac-1", "title": "Policy", "parts": [{"name": "statement", "prose": "Have a policy."}],
             "controls": [{"id": "ac-1.1", "title": "Review"}]}]}]}}"#;
    let (f, format) = parse_oscal("mini.json", catalog, None).unwrap();
    assert_eq!(format, CatalogFormat::OscalCatalog);
    assert_eq!(f.id, "mini-catalog");
    assert_eq!(f.controls.len(), 2);
    assert_eq!(f.controls[0].description, "Have a policy.");
    assert_eq!(f.controls[1].group, "ac: Access Control");

    let profile = r##"{"profile": {"metadata": {"title": "Low"}, "imports": [{"href": "#c", "include-controls": [{"with-ids": ["ac-1", "au-2", "ac-1"]}]}]}}"##;
    let (p, format) = parse_oscal("p.json", profile, Some("low")).unwrap();
    assert_eq!(format, CatalogFormat::OscalProfile);
    assert_eq!(
        p.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-1", "au-2"]
    );

    let all = r#"{"profile": {"metadata": {"title": "All"}, "imports": [{"href": "cat.json", "include-all": {}}]}}"#;
    assert!(parse_oscal("a.json", all, None)
        .unwrap_err()
        .to_string()
        .contains("including all, and that catalog was not found next to the profile (looked for cat.json); put it there, or import the resolved profile"));
    let ssp = r#"{"system-security-plan": {}}"#;
    assert!(parse_oscal("s.json", ssp, None)
        .unwrap_err()
        .to_string()
        .contains("is a system-security-plan"));
    assert!(parse_oscal("b.json", "{", None)
        .unwrap_err()
        .to_string()
        .starts_with("b.json: not JSON"));

    let csv = "\u{feff}Control ID,Title,Family,Description\nPOL-1,Policy,Governance,\"Keep a policy, signed\"\nPOL-2,Review,Governance,\n";
    let c = parse_csv("mine.csv", csv, "My Controls", None).unwrap();
    assert_eq!(c.id, "my-controls");
    assert_eq!(c.controls[0].description, "Keep a policy, signed");
    assert_eq!(c.controls[1].group, "Governance");
    let dup = "id,title\nA,one\nA,two\n";
    let err = parse_csv("d.csv", dup, "D", None).unwrap_err().to_string();
    assert!(err.contains("d.csv") && err.contains("used twice"), "{err}");
    // Each control of a CSV catalog as (id, title, group, description).
    let rows = |file: &str, csv: &str| -> Vec<[String; 4]> {
        let f = parse_csv(file, csv, "L", None).unwrap();
        f.controls
            .into_iter()
            .map(|c| [c.id, c.title, c.group, c.description])
            .collect()
    };
    // Control lists as people keep them: `Control Name` and `Domain`
    // (a SAMA list's documented CSV), `control_name` with status columns
    // (a gap-analysis inventory), `Control Title` with `Requirement`;
    // Excel where the comma is the decimal separator saves `;`-separated
    // CSV (with a byte-order mark); a tab-separated export saved as .csv.
    let lists = [
        ("Control ID,Control Name,Description,Domain\nSAMA-AC-01,Strong Authentication,Enforce MFA for all access,Identity & Access Control\n",
         ["SAMA-AC-01", "Strong Authentication", "Identity & Access Control", "Enforce MFA for all access"]),
        ("control_id,control_name,description,status,owner\nAC-001,Access Control Policy,Documented policy,Implemented,CISO\n",
         ["AC-001", "Access Control Policy", "", "Documented policy"]),
        ("Framework,Control ID,Control Title,Requirement,Status\nSOC2,CC7.2,System Monitoring,The entity monitors system components,PASS\n",
         ["CC7.2", "System Monitoring", "", "The entity monitors system components"]),
        ("\u{feff}Control ID;Control Name;Description;Domain\nOPS.1.1.2;Ordnungsgemäße IT-Administration;Admins, geschult;Betrieb\n",
         ["OPS.1.1.2", "Ordnungsgemäße IT-Administration", "Betrieb", "Admins, geschult"]),
        ("id\ttitle\nA-1\tOne, two\n", ["A-1", "One, two", "", ""]),
    ];
    for (csv, want) in lists {
        assert_eq!(rows("list.csv", csv), [want], "{csv}");
    }
    // A spreadsheet's heading rows (a family's name, no id, no text) group
    // the controls under them; a control with text and no id is refused
    // with its line.
    let sections = "Control ID,Title,Description,Family\n,Access Control,,\nAC-1,Policy,Write a policy,\nAC-2,Accounts,Manage accounts,Own family\n,Audit,,\nAU-1,Audit policy,,\n";
    assert_eq!(
        rows("s.csv", sections),
        [
            ["AC-1", "Policy", "Access Control", "Write a policy"],
            ["AC-2", "Accounts", "Own family", "Manage accounts"],
            ["AU-1", "Audit policy", "Audit", ""]
        ]
    );
    let c = parse_csv("s.csv", sections, "S", None).unwrap();
    assert_eq!(
        c.notice,
        "2 rows without an id were read as headings: each is the group of the controls under it."
    );
    let err = parse_csv(
        "m.csv",
        "id,title,description\n,Lost,Some text\n",
        "M",
        None,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "m.csv, line 2: control \"Lost\" has no id (a row with a title and no id or text is read as a heading)"
    );
    let no_title = "id,name_of_thing\nA,x\n";
    assert!(parse_csv("n.csv", no_title, "N", None)
        .unwrap_err()
        .to_string()
        .contains("needs an id and a title column"));
}

/// NIST publishes each catalog and profile as JSON, YAML and XML
/// (oscal-content `nist.gov/SP800-53/rev5/yaml/...`, `examples/catalog/yaml/
/// basic-catalog.yaml`): YAML reads like JSON, with its unquoted numbers,
/// folded prose and nested groups (XML: `tests/oscal_xml.rs`); other models
/// are refused saying what they are.
#[test]
fn oscal_yaml_is_read_and_other_models_are_refused_by_name() {
    let yaml = "---\ncatalog:\n  uuid: 74c8ba1e-0000-4000-8000-000000000001\n  metadata:\n    title: Sample YAML Catalog\n    version: 1.0\n    oscal-version: 1.0.0\n  groups:\n    - id: s1\n      title: Organization\n      groups:\n        - id: s1.1\n          title: Internal Organization\n          controls:\n            - id: s1.1.1\n              title: Roles and responsibilities\n              parts:\n                - id: s1.1.1_stm\n                  name: statement\n                  prose: >-\n                    Responsibilities should be defined\n                    and allocated.\n            - id: s1.1.2\n              title: Segregation of duties\n";
    let (f, format) = parse_oscal("cat.yaml", yaml, None).unwrap();
    assert_eq!(format, CatalogFormat::OscalCatalog);
    assert_eq!(f.version, "1.0");
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["s1.1.1", "s1.1.2"]
    );
    assert_eq!(
        f.controls[0].description,
        "Responsibilities should be defined and allocated."
    );
    // A byte-order mark and a `$schema` key before the model are fine.
    let json = "\u{feff}{\"$schema\": \"https://example.com/oscal_catalog_schema.json\", \"catalog\": {\"metadata\": {\"title\": \"S\"}, \"controls\": [{\"id\": \"x-1\", \"title\": \"X\"}]}}";
    assert_eq!(
        parse_oscal("s.json", json, None).unwrap().0.controls.len(),
        1
    );

    // XML: other OSCAL models are refused by name, as in JSON; XML that
    // is not OSCAL says so.
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- generated -->\n<system-security-plan xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" uuid=\"x\"><metadata><title>SSP</title></metadata><import-profile href=\"FedRAMP_rev5_LOW-baseline_profile.xml\"/></system-security-plan>";
    let err = parse_oscal("ssp.xml", xml, None).unwrap_err().to_string();
    assert!(
        err.starts_with("ssp.xml: this OSCAL file is a system-security-plan (SSP) (it builds on FedRAMP_rev5_LOW-baseline_profile.xml), not a catalog or profile"),
        "{err}"
    );
    let err = parse_oscal("x.xml", "<html></html>", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("this is an XML file but not an OSCAL document (the root element <html> is not an OSCAL model)"),
        "{err}"
    );

    let poam = "plan-of-action-and-milestones:\n  uuid: x\n  metadata: {title: POA&M}\n  import-ssp: {href: ./ssp.json}\n";
    let err = parse_oscal("poam.yaml", poam, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("is a plan-of-action-and-milestones"), "{err}");
    assert!(err.contains("(POA&M) (it builds on ./ssp.json)"), "{err}");
    let ssp = r#"{"$schema": "s", "system-security-plan": {"import-profile": {"href": "https://example.com/FedRAMP_rev5_LOW-baseline_profile.json"}}}"#;
    let err = parse_oscal("ssp.json", ssp, None).unwrap_err().to_string();
    assert!(
        err.contains("is a system-security-plan")
            && err.contains("builds on https://example.com/FedRAMP_rev5_LOW-baseline_profile.json"),
        "{err}"
    );
    let err = parse_oscal("n.yaml", "name: x\nitems: []\n", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not an OSCAL document") && err.contains("items, name"),
        "{err}"
    );
    let err = parse_oscal("bad.yaml", "catalog: [\n  - x\n", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("bad.yaml, line ") && err.contains("neither JSON nor valid YAML"),
        "{err}"
    );
}

/// SP 800-53 rev5 (oscal-content `NIST_SP-800-53_rev5_catalog.json`):
/// statements are lettered items nested three deep whose prose names
/// parameters (`{{ insert: param, ac-01_odp.03 }}`), parameters are
/// assignments (a label) or selections (choices that may name another
/// parameter), and withdrawn enhancements stay in the catalog with a status
/// property. Statements read as NIST prints them; withdrawn controls are
/// left out and named in the notice.
#[test]
fn oscal_statements_fill_parameters_and_withdrawn_controls_are_left_out() {
    let catalog = r##"{"catalog": {"uuid": "u", "metadata": {"title": "SP 800-53 shape", "version": "5.1.1"},
      "groups": [{"id": "ac", "class": "family", "title": "Access Control", "controls": [
        {"id": "ac-1", "title": "Policy and Procedures",
         "params": [
           {"id": "ac-1_prm_1", "label": "organization-defined personnel or roles"},
           {"id": "ac-01_odp.03", "select": {"how-many": "one-or-more", "choice": ["organization-level", "system-level"]}},
           {"id": "ac-01_odp.05", "label": "frequency"},
           {"id": "ac-01_odp.06", "values": ["after an incident"]},
           {"id": "loop", "select": {"choice": ["again {{ insert: param, loop }}"]}}],
         "props": [{"name": "label", "value": "AC-1"}, {"name": "label", "value": "AC-01", "class": "sp800-53a"}],
         "parts": [
           {"id": "ac-1_smt", "name": "statement", "parts": [
             {"id": "ac-1_smt.a", "name": "item", "props": [{"name": "label", "value": "a."}],
              "prose": "Develop and disseminate to {{ insert: param, ac-1_prm_1 }}:",
              "parts": [{"id": "ac-1_smt.a.1", "name": "item", "props": [{"name": "label", "value": "1."}],
                         "prose": " {{ insert: param, ac-01_odp.03 }} access control policy;"}]},
             {"id": "ac-1_smt.c", "name": "item", "props": [{"name": "label", "value": "c."}],
              "prose": "Review {{ insert: param, ac-01_odp.05 }} and following {{insert: param,ac-01_odp.06}}; {{ insert: param, nowhere }} {{ insert: param, loop }}"}]},
           {"id": "ac-1_gdn", "name": "guidance", "prose": "Guidance is not the requirement."},
           {"id": "ac-1_obj", "name": "assessment-objective", "prose": "Nor is the objective."}],
         "controls": [
           {"id": "ac-1.1", "title": "Retired", "props": [{"name": "status", "value": "Withdrawn"}],
            "links": [{"href": "#ac-1_smt.c", "rel": "incorporated-into"}]}]}]},
        {"id": "s1", "title": "Organization", "groups": [{"id": "s1.1", "title": "Internal", "controls": [
          {"id": "s1.1.1", "title": "No statement part", "parts": [
            {"name": "overview", "prose": "Overview text."}, {"name": "guidance", "prose": "Skip."}]}]}]}]}}"##;
    let (f, _) = parse_oscal("sp.json", catalog, None).unwrap();
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-1", "s1.1.1"]
    );
    assert_eq!(f.notice, "1 withdrawn controls left out: ac-1.1.");
    assert_eq!(f.controls[0].group, "ac: Access Control");
    assert_eq!(
        f.controls[0].description,
        "a. Develop and disseminate to [Assignment: organization-defined personnel or roles]:\n\
         \x20 1. [Selection (one or more): organization-level; system-level] access control policy;\n\
         c. Review [Assignment: organization-defined frequency] and following after an incident; \
         [Assignment: nowhere] [Selection: again [Selection: again [Selection: again \
         [Selection: again [Assignment: loop]]]]]"
    );
    assert_eq!(f.controls[1].group, "s1.1: Organization / Internal");
    assert_eq!(f.controls[1].description, "Overview text.");
}

/// 18F's GSA Docker Security Benchmark catalog (CIS-derived, made with
/// trestle) gives each recommendation's audit rule or command as a fenced
/// code block in its prose: the block stays line for line, fences
/// included, instead of being run into the sentence around it; text
/// before and after it is still joined into paragraphs, and a fence left
/// open keeps its lines.
#[test]
fn oscal_prose_keeps_fenced_code_blocks_line_for_line() {
    let catalog = r##"{"catalog": {"uuid": "u", "metadata": {"title": "Docker benchmark", "version": "0.0.1"},
      "groups": [{"id": "s1", "title": "General Configuration", "controls": [
        {"id": "s1.2.10", "title": "Audit daemon.json", "parts": [{"id": "s1.2.10_smt", "name": "objective",
          "prose": "You should add a rule for the\n`/etc/docker/daemon.json` file.\n\nAdd the line below to the `/etc/audit/audit.rules` file:\n```\n-w /etc/docker/daemon.json -k docker \n```\nThen restart the audit daemon. \n\nFor example:\n```\nservice auditd restart\n```"}]},
        {"id": "s2.11", "title": "Authorization plugin", "parts": [{"id": "s2.11_smt", "name": "objective",
          "prose": "**Step 3**: Start the docker daemon as below:\n```\ndockerd --authorization-plugin=\n\n  --tls"}]}]}]}}"##;
    let (f, _) = parse_oscal("docker.json", catalog, None).unwrap();
    assert_eq!(
        f.controls[0].description,
        "You should add a rule for the `/etc/docker/daemon.json` file.\n\
         Add the line below to the `/etc/audit/audit.rules` file:\n\
         ```\n\
         -w /etc/docker/daemon.json -k docker\n\
         ```\n\
         Then restart the audit daemon.\n\
         For example:\n\
         ```\n\
         service auditd restart\n\
         ```"
    );
    assert_eq!(
        f.controls[1].description,
        "**Step 3**: Start the docker daemon as below:\n```\ndockerd --authorization-plugin=\n\n  --tls"
    );
}

/// APRA's CPS 234 catalog (paulJRCurtis/oscal-content) holds CPG 234's
/// practices as controls whose only text is guidance: that guidance is
/// their description, not nothing. A control with a statement keeps its
/// statement alone.
#[test]
fn oscal_controls_with_only_guidance_are_described_by_it() {
    let catalog = r##"{"catalog": {"uuid": "u", "metadata": {"title": "CPS 234 shape", "version": "0.0.3"},
      "groups": [{"id": "rr", "title": "Roles", "groups": [{"id": "rr-bd", "title": "Board delegations", "controls": [
        {"id": "rr-bd-1", "title": "Clearly defined Board engagement", "parts": [
          {"id": "rr-bd-1_gdn", "name": "guidance", "prose": "A Board would outline\nhow it expects to be engaged."},
          {"id": "rr-bd-1_asm", "name": "assessment-method", "prose": "Examine charters."}]},
        {"id": "rr-bd-2", "title": "With a statement", "parts": [
          {"id": "rr-bd-2_smt", "name": "statement", "prose": "The Board must delegate."},
          {"id": "rr-bd-2_gdn", "name": "guidance", "prose": "Not this."}]},
        {"id": "rr-bd-3", "title": "Only assessment", "parts": [
          {"id": "rr-bd-3_asm", "name": "assessment-objective", "prose": "Nor this."}]}]}]}]}}"##;
    let (f, _) = parse_oscal("cps234.json", catalog, None).unwrap();
    let text: Vec<&str> = f.controls.iter().map(|c| c.description.as_str()).collect();
    assert_eq!(
        text,
        [
            "A Board would outline how it expects to be engaged.",
            "The Board must delegate.",
            ""
        ]
    );
    assert_eq!(f.controls[0].group, "rr-bd: Roles / Board delegations");
}

/// Profiles as NIST and FedRAMP publish them: the catalog named by a
/// back-matter resource (`href: "#uuid"`, rlinks to XML, JSON and YAML, or
/// a URL) or a relative href, controls selected by id, by pattern
/// (oscal-content `examples/profile/json/basic_profile.json`) or with their
/// enhancements, some excluded, parameters set (`values`, FedRAMP's
/// `constraints`), profiles importing profiles. The catalog is read from
/// beside the profile.
#[test]
fn oscal_profiles_resolve_against_the_catalog_beside_them() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini 800-53", "version": "5"},
      "groups": [{"id": "ac", "title": "Access Control", "controls": [
        {"id": "ac-1", "title": "Policy", "params": [{"id": "ac-1_prm_1", "label": "frequency"}, {"id": "ac-1_prm_2", "label": "events"}],
         "parts": [{"name": "statement", "prose": "Review {{ insert: param, ac-1_prm_1 }} and after {{ insert: param, ac-1_prm_2 }}."}]},
        {"id": "ac-2", "title": "Account Management", "controls": [
          {"id": "ac-2.1", "title": "Automated Management"},
          {"id": "ac-2.2", "title": "Gone", "props": [{"name": "status", "value": "withdrawn"}]}]},
        {"id": "ac-3", "title": "Access Enforcement", "controls": [{"id": "ac-3.1", "title": "Restricted"}]}]},
       {"id": "au", "title": "Audit", "controls": [{"id": "au-1", "title": "Audit Policy"}]}]}}"##;
    let files = |name: &str| -> Option<String> {
        match name {
            "NIST_catalog.json" => Some(catalog.to_string()),
            "low.yaml" => Some(
                "profile:\n  metadata: {title: Low}\n  imports:\n    - href: NIST_catalog.json\n      include-controls: [{with-ids: [ac-1, au-1]}]\n  modify:\n    set-parameters:\n      - {param-id: ac-1_prm_1, values: [annually]}\n".into(),
            ),
            "loop.json" => Some(r#"{"profile": {"metadata": {"title": "L"}, "imports": [{"href": "loop.json", "include-all": {}}]}}"#.into()),
            _ => None,
        }
    };
    let profile = r##"{"profile": {"uuid": "p", "metadata": {"title": "FedRAMP-like", "version": "1"},
      "imports": [{"href": "#051a77c1", "include-controls": [
          {"with-ids": ["ac-2"], "with-child-controls": "yes"},
          {"matching": [{"pattern": "ac-3*"}]}],
        "exclude-controls": [{"with-ids": ["ac-3.1"]}]}],
      "merge": {"as-is": true},
      "modify": {"set-parameters": [{"param-id": "ac-1_prm_1", "constraints": [{"description": "at least annually"}]}]},
      "back-matter": {"resources": [{"uuid": "051a77c1", "rlinks": [
        {"href": "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/xml/NIST_catalog.xml"},
        {"href": "../../../nist.gov/SP800-53/rev5/json/NIST_catalog.json"}]}]}}}"##;
    let mut tried = Vec::new();
    let (f, format) = parse_oscal_with("fedramp.json", profile, None, &mut |p| {
        tried.push(p.to_string());
        files(p)
    })
    .unwrap();
    assert_eq!(format, CatalogFormat::OscalProfile);
    // JSON before XML; the relative path first, then the file name beside.
    assert_eq!(
        tried,
        [
            "../../../nist.gov/SP800-53/rev5/json/NIST_catalog.json",
            "NIST_catalog.json"
        ]
    );
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-2", "ac-2.1", "ac-3"],
        "ac-2.2 is withdrawn, ac-3.1 excluded"
    );
    assert_eq!(f.controls[0].group, "ac: Access Control");
    assert_eq!(f.controls[0].title, "Account Management");
    assert!(
        f.notice.contains("1 withdrawn controls left out: ac-2.2"),
        "{}",
        f.notice
    );
    assert!(
        f.source
            .ends_with("resolved against Mini 800-53 (NIST_catalog.json)"),
        "{}",
        f.source
    );

    // A profile importing a profile: the outer profile's settings win.
    let outer = r#"{"profile": {"metadata": {"title": "Tailored"}, "imports": [{"href": "low.yaml", "include-all": {}}],
      "modify": {"set-parameters": [{"param-id": "ac-1_prm_2", "constraints": [{"description": "significant changes"}]}]}}}"#;
    let (f, _) = parse_oscal_with("t.json", outer, None, &mut |p| files(p)).unwrap();
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-1", "au-1"]
    );
    assert_eq!(
        f.controls[0].description,
        "Review annually and after [Assignment: organization-defined events; significant changes]."
    );
    let err = parse_oscal_with("loop.json", &files("loop.json").unwrap(), None, &mut |p| {
        files(p)
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("more than 8 deep"), "{err}");

    // Ids the catalog lacks: the wrong catalog, said so.
    let wrong = r#"{"profile": {"metadata": {"title": "W"}, "imports": [{"href": "NIST_catalog.json", "include-controls": [{"with-ids": ["ac-1", "zz-9"]}]}]}}"#;
    let err = parse_oscal_with("w.json", wrong, None, &mut |p| files(p))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("w.json, profile import 1 (NIST_catalog.json): the profile names controls its catalog does not have: zz-9"),
        "{err}"
    );

    // No catalog beside it: ids only when named by id, else an error.
    let (f, _) = parse_oscal(
        "fedramp.json",
        &profile
            .replace(
                "\"matching\": [{\"pattern\": \"ac-3*\"}]",
                "\"with-ids\": [\"ac-3\"]",
            )
            .replace(", \"with-child-controls\": \"yes\"", ""),
        None,
    )
    .unwrap();
    assert_eq!(
        f.controls
            .iter()
            .map(|c| (c.id.as_str(), c.title.as_str(), c.group.as_str()))
            .collect::<Vec<_>>(),
        [("ac-2", "AC-2", "AC"), ("ac-3", "AC-3", "AC")]
    );
    assert!(f.notice.contains("known by id only (#051a77c1 was not found next to the profile (looked for ../../../nist.gov/SP800-53/rev5/json/NIST_catalog.json, NIST_catalog.json, NIST_catalog.yaml"), "{}", f.notice);
    let err = parse_oscal("fedramp.json", profile, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("import 1 selects controls of #051a77c1 by pattern or with their enhancements, and that catalog was not found next to the profile"), "{err}");
}

/// Long titles ("Federal Risk and Authorization Management Program
/// Moderate Impact SaaS Baseline Profile"): the framework id is cut at a word.
#[test]
fn oscal_framework_ids_from_long_titles_end_at_a_word() {
    let doc = r#"{"profile": {"metadata": {"title": "Federal Risk and Authorization Management Program Moderate Impact SaaS Baseline Profile"}, "imports": [{"href": "c.json", "include-controls": [{"with-ids": ["ac-1"]}]}]}}"#;
    let (f, _) = parse_oscal("m.json", doc, None).unwrap();
    assert_eq!(
        f.id,
        "federal-risk-and-authorization-management-program-moderate"
    );
}

/// A NIST publication gets the id people write: from CPRT's framework
/// properties, a DOI among the document ids, or "SP 800-53 Rev 5" in the
/// title, with a baseline's impact level; the title's id otherwise.
#[test]
fn oscal_framework_ids_of_nist_publications_are_short() {
    let id_of = |metadata: &str| {
        let doc = format!(
            r#"{{"catalog": {{"metadata": {metadata}, "controls": [{{"id": "c-1", "title": "One"}}]}}}}"#
        );
        parse_oscal("c.json", &doc, None).unwrap().0.id
    };
    let cprt = |family: &str, version: &str| {
        format!(
            r#"{{"title": "Electronic Version of Something", "props": [{{"name": "framework-identifier", "value": "{family}"}}, {{"name": "framework-version-identifier", "value": "{version}"}}]}}"#
        )
    };
    assert_eq!(
        id_of(&cprt("SP_800_171", "SP_800_171_3_0_0")),
        "sp800-171r3"
    );
    assert_eq!(id_of(&cprt("SP_800_53", "SP_800_53_5_1_1")), "sp800-53r5");
    assert_eq!(id_of(&cprt("CSF", "CSF_2_0_0")), "csf-2");
    assert_eq!(
        id_of(
            r#"{"title": "Security Controls", "document-ids": [{"scheme": "http://www.doi.org/", "identifier": "10.6028/NIST.SP.800-53r5"}]}"#
        ),
        "sp800-53r5"
    );
    for (title, id) in [
        ("NIST Special Publication 800-53 Revision 5 MODERATE IMPACT BASELINE", "sp800-53r5-moderate"),
        ("Electronic Version of NIST SP 800-53 Rev 5.1.1 Controls and SP 800-53A Rev 5.1.1 Assessment Procedures", "sp800-53r5"),
        ("NIST SP-800-53 rev4 PRIVACY baseline", "sp800-53r4-privacy"),
        ("NIST SP 800-53A Revision 5", "sp800-53ar5"),
        ("NIST SP 800-218", "sp800-218"),
        ("Crispy Spices SP 800 Catalog", "crispy-spices-sp-800-catalog"),
    ] {
        assert_eq!(id_of(&format!(r#"{{"title": "{title}"}}"#)), id, "{title}");
    }
}

/// CPS 234's statements carry footnotes as parts; SP 800-171r3's controls
/// cite SP 800-53 controls and publications as `reference` links to its
/// back-matter: both stay in the control's text, as does the objective
/// written before the statement (in its place); a profile keeps the
/// references of its catalog.
#[test]
fn oscal_statement_footnotes_and_references_stay_in_the_text() {
    let catalog = r##"{"catalog": {"metadata": {"title": "Refs"},
      "controls": [{"id": "rr-1", "title": "Board",
        "links": [{"href": "#u1", "rel": "reference"}, {"href": "#u2", "rel": "reference"}, {"href": "#u1", "rel": "reference"},
                  {"href": "https://example.com/x", "rel": "reference"}, {"href": "#u3", "rel": "related"}],
        "parts": [{"name": "objective", "prose": "Ensure the Board is responsible."},
                  {"name": "statement", "prose": "The Board is responsible.",
                   "parts": [{"name": "footnote", "prose": "A foreign ADI's senior officer."},
                             {"name": "item", "props": [{"name": "label", "value": "a."}], "prose": "Delegate.",
                              "parts": [{"name": "implementation-note", "prose": "In writing."}, {"name": "guidance", "prose": "Hidden."}]}]}]}],
      "back-matter": {"resources": [{"uuid": "u1", "title": "PL-04"},
                                    {"uuid": "u2", "citation": {"text": "NIST SP 800-18, Rev. 1."}},
                                    {"uuid": "u3", "title": "Not a reference"}]}}}"##;
    let (f, _) = parse_oscal("refs.json", catalog, None).unwrap();
    assert_eq!(
        f.controls[0].description,
        "Objective: Ensure the Board is responsible.\nThe Board is responsible.\nFootnote: A foreign ADI's senior officer.\na. Delegate.\n  Implementation note: In writing.\nReferences: PL-04; NIST SP 800-18, Rev. 1.; https://example.com/x"
    );
    let profile = r#"{"profile": {"metadata": {"title": "Board only"}, "imports": [{"href": "refs.json", "include-controls": [{"with-ids": ["rr-1"]}]}]}}"#;
    let (p, _) =
        parse_oscal_with("p.json", profile, None, &mut |_| Some(catalog.to_string())).unwrap();
    assert!(
        p.controls[0]
            .description
            .ends_with("References: PL-04; NIST SP 800-18, Rev. 1.; https://example.com/x"),
        "{}",
        p.controls[0].description
    );
}

/// NIST CSF 2.0's catalog titles each subcategory with its own id
/// ("GV.OC-01"): the title is taken from the statement's first sentence
/// (whole up to 90 characters, else cut at a word within 80), the
/// statement stays the text; a
/// real name, or an id-title with no text, stays as written. An empty
/// title (ComplianceAsCode's HIPAA catalog has some) is taken the same
/// way, else it is the id: the catalog still imports.
#[test]
fn oscal_controls_titled_with_their_id_get_a_title_from_their_statement() {
    let catalog = r##"{"catalog": {"metadata": {"title": "CSF shape"}, "groups": [{"id": "GV", "title": "GOVERN", "controls": [
        {"id": "GV.OC", "title": "Organizational Context", "parts": [{"name": "statement", "prose": "The circumstances are understood"}], "controls": [
          {"id": "GV.OC-01", "title": "GV.OC-01", "parts": [
            {"name": "statement", "prose": "The organizational mission is understood and informs cybersecurity risk management"},
            {"name": "example", "prose": "Share the organization's mission"}]},
          {"id": "gv.oc-02", "title": "gv oc 02", "parts": [{"name": "statement", "prose": "Internal and external stakeholders are understood, and their needs and expectations regarding cybersecurity risk management are understood and considered. Second sentence."}]},
          {"id": "x-3", "title": "3.1", "props": [{"name": "label", "value": "3.1"}], "parts": [{"name": "statement", "prose": "Limit access (e.g., by role). Then more."}]},
          {"id": "x-4", "title": "X-4"},
          {"id": "hipaa-a.4.i", "title": "", "parts": [{"name": "statement", "prose": "Implement policies for authorizing\naccess to health information."}]},
          {"id": "x-6", "title": " "},
          {"id": "x-5", "title": "X-5", "parts": [{"name": "statement", "prose": "Supercalifragilisticexpialidocious-Supercalifragilisticexpialidocious-Supercalifragilisticexpialidocious"}]}]}]}]}}"##;
    let (f, _) = parse_oscal("csf.json", catalog, None).unwrap();
    let titles: Vec<&str> = f.controls.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Organizational Context",
            "The organizational mission is understood and informs cybersecurity risk management",
            "Internal and external stakeholders are understood, and their needs and…",
            "Limit access (e.g., by role)",
            "X-4",
            "Implement policies for authorizing access to health information",
            "x-6",
            "Supercalifragilisticexpialidocious-Supercalifragilisticexpialidocious-Supercali…",
        ]
    );
    assert!(titles.iter().all(|t| t.chars().count() <= 90));
    assert_eq!(
        f.controls[2].description,
        "Internal and external stakeholders are understood, and their needs and expectations regarding cybersecurity risk management are understood and considered. Second sentence."
    );
    assert_eq!(
        f.controls[1].description,
        "The organizational mission is understood and informs cybersecurity risk management\n\
         Example: Share the organization's mission"
    );
}

/// NIST CSF 2.0's catalog (CPRT's OSCAL export) puts each subcategory's
/// implementation examples beside its statement as parts named `example`:
/// every one stays in the control's text, in document order, under its
/// name (they were dropped). Guidance, assessment material and an
/// assessment objective tree (SP 800-53 rev4's nested `objective` parts)
/// stay out, as before.
#[test]
fn oscal_parts_beside_the_statement_stay_in_order_under_their_name() {
    let catalog = r##"{"catalog": {"metadata": {"title": "CSF 2.0 shape"}, "groups": [{"id": "GV", "title": "GOVERN",
      "parts": [{"id": "GV_overview", "name": "overview", "prose": "Group overview."}],
      "controls": [{"id": "GV.OC-03", "class": "subcategory", "title": "GV.OC-03",
        "parts": [
          {"id": "GV.OC-03.004", "name": "example", "ns": "https://csrc.nist.gov/ns/csf", "prose": "Track legal requirements"},
          {"id": "GV.OC-03_statement", "name": "statement", "prose": "Legal requirements are understood"},
          {"id": "GV.OC-03.005", "name": "example", "ns": "https://csrc.nist.gov/ns/csf", "prose": "Track contractual requirements"},
          {"id": "GV.OC-03_gdn", "name": "guidance", "prose": "Not the requirement."},
          {"id": "GV.OC-03.006", "name": "implementation-example", "title": "Align", "prose": "Align the strategy\nwith requirements"},
          {"id": "GV.OC-03_obj", "name": "objective", "prose": "Determine if:",
           "parts": [{"id": "GV.OC-03.a_obj", "name": "objective", "prose": "the requirements are tracked"}]},
          {"id": "GV.OC-03_asm", "name": "assessment-method", "prose": "Examine."}]}]}]}}"##;
    let (f, _) = parse_oscal("csf.json", catalog, None).unwrap();
    assert_eq!(
        f.controls[0].description,
        "Example: Track legal requirements\n\
         Legal requirements are understood\n\
         Example: Track contractual requirements\n\
         Align Align the strategy with requirements"
    );
    // The title still comes from the statement's words, not an example's.
    assert_eq!(f.controls[0].title, "Legal requirements are understood");
}

/// security-management-OSCAL's profiles import their catalog by its
/// document API's path (`/api/documents/catalogs/<uuid>`, no extension):
/// the catalog saved beside the profile as `<uuid>.json` is found, and its
/// statement is replaced and extended as the profile alters it.
#[test]
fn oscal_profiles_find_a_catalog_named_without_an_extension() {
    let catalog = r##"{"catalog": {"uuid": "712a", "metadata": {"title": "my-test", "version": "1.5.0"},
      "groups": [{"id": "g1", "title": "my-test-control-groupe", "controls": [
        {"id": "c1", "title": "Control xy",
         "parts": [{"id": "statement_6454", "name": "statement", "prose": "From the catalog {{ insert: param, p-01 }}"}],
         "params": [{"id": "p-01", "label": "my parameter"}]}]}]}}"##;
    let profile = r##"{"profile": {"uuid": "5ec4", "metadata": {"title": "my-test", "version": "1.4.0"},
      "modify": {
        "set-parameters": [{"param-id": "p-01", "values": ["any parameter set"]}],
        "alters": [{"control-id": "c1",
          "adds": [
            {"position": "ending", "parts": [{"id": "c1_added", "name": "statement", "prose": "New statement."}]},
            {"position": "after", "by-id": "statement_6454", "parts": [{"id": "statement_6454_modified", "name": "statement", "prose": "From the profile {{ insert: param, p-01 }}"}]}],
          "removes": [{"by-id": "statement_6454"}]}]},
      "merge": {"as-is": true},
      "imports": [{"href": "/api/documents/catalogs/712a37be", "include-all": {}}]}}"##;
    let mut asked = Vec::new();
    let (f, _) = parse_oscal_with("profile.json", profile, None, &mut |p| {
        asked.push(p.to_string());
        (p == "712a37be.json").then(|| catalog.to_string())
    })
    .unwrap();
    assert_eq!(
        asked,
        [
            "/api/documents/catalogs/712a37be",
            "/api/documents/catalogs/712a37be.json",
            "/api/documents/catalogs/712a37be.yaml",
            "/api/documents/catalogs/712a37be.yml",
            "/api/documents/catalogs/712a37be.xml",
            "712a37be",
            "712a37be.json"
        ]
    );
    assert_eq!(f.controls[0].group, "g1: my-test-control-groupe");
    assert_eq!(f.notice, "");
    assert_eq!(
        f.controls[0].description,
        "From the profile any parameter set\nNew statement."
    );
}

/// compliance-trestle reads its Python field names as OSCAL's keys, and its
/// own test profiles are written with them (`tests/data/json/
/// profile_with_alter_props.json`: `set_parameters`, `param_id`,
/// `control_id`, `by_id`): their parameter values and alterations apply,
/// the notice says the keys were read so, and an alteration naming no
/// control is said to be one.
#[test]
fn oscal_profiles_written_with_trestle_field_names_apply() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini", "version": "5"},
      "controls": [
        {"id": "ac-1", "title": "Policy", "params": [{"id": "ac-1_prm_1", "label": "organization-defined personnel"}],
         "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Disseminate to {{ insert: param, ac-1_prm_1 }}."}]}]}}"##;
    let profile = r##"{"profile": {"uuid": "p", "metadata": {"title": "Trestle style", "version": "1", "last_modified": "x"},
      "imports": [{"href": "trestle://catalogs/nist_cat/catalog.json", "include_controls": [{"with_ids": ["ac-1"]}]}],
      "merge": {"as_is": true},
      "modify": {
        "set_parameters": [{"param_id": "ac-1_prm_1", "values": ["all personnel"]}],
        "alters": [
          {"control_id": "ac-1", "adds": [{"position": "ending", "by_id": "ac-1_smt", "parts": [
            {"id": "ac-1_smt.z", "name": "item", "props": [{"name": "label", "value": "z."}], "prose": "Keep records."}]}]},
          {"adds": [{"props": [{"name": "orphan", "value": "x"}]}]}]}}}"##;
    let (f, _) = parse_oscal_with("trestle.json", profile, None, &mut |p| {
        (p == "catalog.json").then(|| catalog.to_string())
    })
    .unwrap();
    assert_eq!(f.controls[0].group, "");
    assert_eq!(
        f.controls[0].description,
        "Disseminate to all personnel.\nz. Keep records."
    );
    assert!(
        f.notice.starts_with(
            "Keys written as compliance-trestle's field names were read as OSCAL's: \
             as_is, by_id, control_id, include_controls, param_id, set_parameters, with_ids."
        ),
        "{}",
        f.notice
    );
    assert!(
        f.notice
            .contains("Profile alterations not applied: an alteration without a control-id."),
        "{}",
        f.notice
    );
}

#[test]
fn oscal_profile_alterations_add_and_remove_parts() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini", "version": "5"},
      "controls": [
        {"id": "ac-1", "title": "Policy", "parts": [
          {"id": "ac-1_smt", "name": "statement", "prose": "Develop a policy."},
          {"id": "ac-1_gdn", "name": "guidance", "prose": "Why a policy."}]},
        {"id": "ac-2", "title": "Accounts", "parts": [
          {"id": "ac-2_smt", "name": "statement", "prose": "Manage accounts.", "parts": [
            {"id": "ac-2_smt.a", "name": "item", "props": [{"name": "label", "value": "a."}], "prose": "Define types."},
            {"id": "ac-2_smt.b", "name": "item", "props": [{"name": "label", "value": "b."}], "prose": "Assign managers."}]}]}]}}"##;
    // As FedRAMP's baselines add their requirements: an item part, titled,
    // at the end of the control; an item inserted between two others; an
    // item removed; one alteration for a control not selected.
    let profile = r##"{"profile": {"uuid": "p", "metadata": {"title": "Tailored", "version": "1"},
      "imports": [{"href": "cat.json", "include-controls": [{"with-ids": ["ac-1", "ac-2"]}]}],
      "modify": {"alters": [
        {"control-id": "ac-1", "adds": [{"position": "ending", "parts": [
          {"id": "ac-1_fr", "name": "item", "title": "AC-1 Additional FedRAMP Requirements", "parts": [
            {"id": "ac-1_fr_smt.1", "name": "item", "props": [{"name": "label", "value": "Requirement:"}],
             "prose": "Review the policy at least every three years."}]}]}]},
        {"control-id": "ac-2",
         "removes": [{"by-id": "ac-2_smt.b"}],
         "adds": [{"position": "after", "by-id": "ac-2_smt.a", "parts": [
           {"id": "ac-2_smt.a1", "name": "item", "props": [{"name": "label", "value": "a1."}], "prose": "Name an owner."}]}]},
        {"control-id": "ac-9", "adds": [{"parts": [{"name": "item", "prose": "Unused."}]}]}]}}}"##;
    let (f, _) = parse_oscal_with("tailored.json", profile, None, &mut |p| {
        (p == "cat.json").then(|| catalog.to_string())
    })
    .unwrap();
    assert_eq!(
        f.controls[0].description,
        "Develop a policy.\nAC-1 Additional FedRAMP Requirements\n  Requirement: Review the policy at least every three years."
    );
    assert_eq!(
        f.controls[1].description,
        "Manage accounts.\na. Define types.\na1. Name an owner."
    );
    assert!(
        f.notice
            .contains("Profile alterations not applied: ac-9 (not selected)."),
        "{}",
        f.notice
    );
}

#[test]
fn parameters_and_controls_that_are_not_objects_are_no_crash() {
    let catalog = r#"{"catalog": {"uuid": "c", "metadata": {"title": "Odd", "version": "1"},
      "controls": [{"id": "x-1", "title": "X", "params": ["loose", null, 3]}, "stray", 7]}}"#;
    let profile = r#"{"profile": {"uuid": "p", "metadata": {"title": "P", "version": "1"},
      "imports": [{"href": "cat.json", "include-all": {}}],
      "modify": {"set-parameters": [{"param-id": "", "values": ["v"]}]}}}"#;
    let got = parse_oscal_with("p.json", profile, None, &mut |p| {
        (p == "cat.json").then(|| catalog.to_string())
    });
    // Imports (the odd parameters are ignored) or says why; never a panic.
    if let Ok((f, _)) = got {
        assert_eq!(f.controls.len(), 1);
    }
}

/// The merge phase of profile resolution: `as-is` keeps the catalog's
/// groups; `flat` or no structuring directive gives no groups (the
/// oscal-content tutorial profile says `flat: {}`, and trestle resolves a
/// profile without `as-is` so); `custom` lays the controls out in the
/// profile's own groups and leaves out what it places nowhere; two
/// directives at once are refused (trestle's
/// `profile_multiple_structuring.json`).
#[test]
fn oscal_profile_merge_structures_the_controls() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini", "version": "1"},
      "groups": [{"id": "s1", "title": "Organization", "params": [{"id": "s1-p", "label": "a period"}], "groups": [
          {"id": "s1.1", "title": "Internal", "controls": [
            {"id": "s1.1.1", "title": "Roles", "parts": [{"name": "statement", "prose": "Review every {{ insert: param, s1-p }}."}]},
            {"id": "s1.1.2", "title": "Segregation", "props": [{"name": "sort-id", "value": "s1.1.0"}]}]}]},
        {"id": "s2", "title": "Access", "controls": [
          {"id": "s2.1", "title": "Policy", "controls": [{"id": "s2.1.1", "title": "Review"}]}]}]}}"##;
    let load = |p: &str| (p == "cat.json").then(|| catalog.to_string());
    let profile = |merge: &str| {
        format!(
            r#"{{"profile": {{"uuid": "p", "metadata": {{"title": "P", "version": "1"}},
              "imports": [{{"href": "cat.json", "include-all": {{}}}}]{merge}}}}}"#
        )
    };
    let groups = |merge: &str| {
        let (f, _) = parse_oscal_with("p.json", &profile(merge), None, &mut |p| load(p)).unwrap();
        let got: Vec<(String, String)> = f
            .controls
            .iter()
            .map(|c| (c.id.clone(), c.group.clone()))
            .collect();
        (got, f)
    };
    let (as_is, _) = groups(r#", "merge": {"as-is": true}"#);
    assert_eq!(as_is[0].1, "s1.1: Organization / Internal");
    assert_eq!(as_is[2].1, "s2: Access");
    for merge in [
        "",
        r#", "merge": {"flat": {}}"#,
        r#", "merge": {"combine": {"method": "use-first"}}"#,
    ] {
        let (flat, f) = groups(merge);
        assert_eq!(
            flat.iter()
                .map(|(id, g)| (id.as_str(), g.as_str()))
                .collect::<Vec<_>>(),
            [("s1.1.1", ""), ("s1.1.2", ""), ("s2.1", ""), ("s2.1.1", "")],
            "{merge}"
        );
        // The group's parameter is still known.
        assert_eq!(
            f.controls[0].description,
            "Review every [Assignment: organization-defined a period]."
        );
    }

    let (custom, f) = groups(
        r#", "merge": {"custom": {
            "insert-controls": [{"include-controls": [{"with-ids": ["s2.1"]}]}],
            "groups": [{"id": "g1", "title": "People", "insert-controls": [
                {"order": "ascending", "include-controls": [{"matching": [{"pattern": "s1.1.*"}]}]}],
              "groups": [{"title": "Reviews", "insert-controls": [
                {"include-controls": [{"with-ids": ["s2.1.1", "s1.1.1", "s9"]}]}]}]}]}}"#,
    );
    assert_eq!(
        custom
            .iter()
            .map(|(id, g)| (id.as_str(), g.as_str()))
            .collect::<Vec<_>>(),
        [
            ("s2.1", ""),
            // sort-id s1.1.0 before s1.1.1
            ("s1.1.2", "g1: People"),
            ("s1.1.1", "g1: People"),
            // s1.1.1 went to its first place; s2.1's enhancement is placed by its own id
            ("s2.1.1", "People / Reviews"),
        ]
    );
    assert!(
        f.notice.contains("names controls it does not select: s9"),
        "{}",
        f.notice
    );
    let (_, f) = groups(
        r#", "merge": {"custom": {"groups": [{"title": "Only", "insert-controls": [{"include-controls": [{"with-ids": ["s2.1"]}]}]}]}}"#,
    );
    assert_eq!(f.controls.len(), 1);
    assert!(
        f.notice.contains("3 selected controls left out: the profile's custom structure places them in no group (s1.1.1, s1.1.2, s2.1.1)"),
        "{}",
        f.notice
    );

    let err = parse_oscal_with(
        "p.json",
        &profile(r#", "merge": {"flat": {}, "as-is": true}"#),
        None,
        &mut |p| load(p),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "p.json, profile.merge: gives as-is and flat together; a profile structures its controls one way (as-is, flat or custom)"
    );
}

/// `set-parameters` as profile resolution applies them: every setting of
/// a parameter in order (a later one changes only what it gives), loose
/// catalog parameters (trestle's simplified NIST catalog has them) kept
/// for the statements that insert them, and settings that reach no
/// parameter (trestle's `profile_aggregation.json` sets rev4 ids against
/// rev5) named in the notice instead of dropped unseen.
#[test]
fn oscal_profile_parameter_settings_apply_in_order_and_unused_ones_are_named() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini", "version": "1"},
      "params": [{"id": "loose-1", "label": "a place"}],
      "controls": [{"id": "x-1", "title": "X", "params": [{"id": "x-1_prm_1", "label": "a period"}],
        "parts": [{"name": "statement", "prose": "Store at {{ insert: param, loose-1 }} every {{ insert: param, x-1_prm_1 }}."}]}]}}"##;
    let profile = r#"{"profile": {"uuid": "p", "metadata": {"title": "P", "version": "1"},
      "imports": [{"href": "cat.json", "include-all": {}}],
      "modify": {"set-parameters": [
        {"param-id": "x-1_prm_1", "values": ["month"]},
        {"param-id": "x-1_prm_1", "label": "a shorter period"},
        {"param-id": "loose-1", "values": ["the vault"]},
        {"param-id": "si-7_prm_1", "values": ["software"]},
        {"values": ["year"]}]}}}"#;
    let (f, _) = parse_oscal_with("p.json", profile, None, &mut |p| {
        (p == "cat.json").then(|| catalog.to_string())
    })
    .unwrap();
    assert_eq!(f.controls[0].description, "Store at the vault every month.");
    assert!(
        f.notice.contains(
            "Profile parameter settings not applied (for parameters the selected controls do not have: si-7_prm_1; without a param-id: entry 5)."
        ),
        "{}",
        f.notice
    );
}

/// An import that only names its source, or only excludes, includes every
/// control (profile resolution's implicit "all"): a real NIST SP 800-171
/// profile that only fills parameters imports the whole catalog this way.
#[test]
fn oscal_profile_import_without_include_takes_every_control() {
    let catalog = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini 171", "version": "3"},
      "groups": [{"id": "ac", "title": "Access Control", "controls": [
        {"id": "ac-01", "title": "Account Management", "params": [{"id": "ac-01_prm_01", "label": "a period"}],
         "parts": [{"name": "statement", "prose": "Disable accounts after {{ insert: param, ac-01_prm_01 }}."}]},
        {"id": "ac-02", "title": "Access Enforcement"}]}]}}"##;
    let load = |p: &str| (p == "cat.json").then(|| catalog.to_string());
    let only_href = r#"{"profile": {"uuid": "p", "metadata": {"title": "Fill", "version": "1"},
      "imports": [{"href": "https://example.com/x/cat.json"}],
      "modify": {"set-parameters": [{"param-id": "ac-01_prm_01", "values": ["at most 90 days"]}]}}}"#;
    let (f, _) = parse_oscal_with("p.json", only_href, None, &mut |p| load(p)).unwrap();
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-01", "ac-02"]
    );
    assert_eq!(
        f.controls[0].description,
        "Disable accounts after at most 90 days."
    );
    let only_exclude = r#"{"profile": {"uuid": "p", "metadata": {"title": "Most", "version": "1"},
      "imports": [{"href": "cat.json", "exclude-controls": [{"with-ids": ["ac-01"]}]}]}}"#;
    let (f, _) = parse_oscal_with("p.json", only_exclude, None, &mut |p| load(p)).unwrap();
    assert_eq!(
        f.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ac-02"]
    );
    // Without the catalog it cannot be listed: refused, saying why.
    let err = parse_oscal("p.json", only_href, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("by including all"), "{err}");
}

/// Profile resolution's combination rule, for controls a profile's imports
/// take more than once: `use-first` uses the first import's control;
/// `merge` combines them, adding what a later one has (a statement item,
/// a guidance part) to the first; `keep`, also the default, keeps them
/// all, and a catalog can hold only one control of an id: the same control
/// twice (a catalog imported twice) is one, different ones are refused,
/// naming the ids and the rules that resolve them.
#[test]
fn oscal_profile_combine_rules_resolve_controls_taken_twice() {
    let a = r##"{"catalog": {"uuid": "a", "metadata": {"title": "A", "version": "1"},
      "controls": [
        {"id": "ac-1", "title": "Policy (A)", "parts": [{"id": "ac-1_smt", "name": "statement", "parts": [
          {"id": "ac-1_smt.a", "name": "item", "prose": "Write a policy."}]}]},
        {"id": "ac-2", "title": "Accounts", "parts": [{"id": "ac-2_smt", "name": "statement", "prose": "Manage accounts."}]}]}}"##;
    let b = r##"{"catalog": {"uuid": "b", "metadata": {"title": "B", "version": "1"},
      "controls": [
        {"id": "ac-1", "title": "Policy (B)", "parts": [{"id": "ac-1_smt", "name": "statement", "parts": [
          {"id": "ac-1_smt.a", "name": "item", "prose": "Write a policy (B's words)."},
          {"id": "ac-1_smt.b", "name": "item", "prose": "Review it yearly."}]},
          {"id": "ac-1_gdn", "name": "guidance", "prose": "B's guidance."}]},
        {"id": "au-1", "title": "Audit", "parts": [{"id": "au-1_smt", "name": "statement", "prose": "Log events."}]}]}}"##;
    let load = |p: &str| match p {
        "a.json" => Some(a.to_string()),
        "b.json" => Some(b.to_string()),
        _ => None,
    };
    let profile = |imports: &str, merge: &str| {
        format!(
            r#"{{"profile": {{"uuid": "p", "metadata": {{"title": "P", "version": "1"}},
              "imports": [{imports}]{merge}}}}}"#
        )
    };
    let both = r#"{"href": "a.json", "include-all": {}}, {"href": "b.json", "include-all": {}}"#;
    let resolve = |text: &str| parse_oscal_with("p.json", text, None, &mut |p| load(p));

    let (first, _) = resolve(&profile(
        both,
        r#", "merge": {"combine": {"method": "use-first"}}"#,
    ))
    .expect("use-first");
    let ids: Vec<&str> = first.controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ac-1", "ac-2", "au-1"]);
    assert_eq!(first.controls[0].title, "Policy (A)");
    assert!(!first.controls[0].description.contains("yearly"));
    assert!(
        first.notice.contains("combine: use-first") && first.notice.contains("ac-1"),
        "{}",
        first.notice
    );

    let (merged, _) = resolve(&profile(
        both,
        r#", "merge": {"combine": {"method": "merge"}}"#,
    ))
    .expect("merge");
    let ids: Vec<&str> = merged.controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ac-1", "ac-2", "au-1"]);
    let ac1 = &merged.controls[0];
    assert_eq!(ac1.title, "Policy (A)");
    assert!(
        ac1.description.contains("Write a policy."),
        "{}",
        ac1.description
    );
    assert!(
        !ac1.description.contains("B's words"),
        "{}",
        ac1.description
    );
    assert!(
        ac1.description.contains("Review it yearly."),
        "{}",
        ac1.description
    );
    assert!(
        merged.notice.contains("combine: merge"),
        "{}",
        merged.notice
    );

    // keep, written or by default: different controls of one id refused.
    for merge in [
        "",
        r#", "merge": {"combine": {"method": "keep"}, "as-is": true}"#,
    ] {
        let e = resolve(&profile(both, merge)).expect_err("a clash kept");
        let text = e.to_string();
        assert!(
            text.contains("profile.merge.combine")
                && text.contains("ac-1")
                && !text.contains("ac-2")
                && text.contains("use-first")
                && text.contains("merge"),
            "{text}"
        );
    }
    // The same catalog twice (NIST's import-twice example) is no clash.
    let twice = r#"{"href": "a.json", "include-controls": [{"with-ids": ["ac-1"]}]},
                   {"href": "a.json", "include-controls": [{"with-ids": ["ac-1", "ac-2"]}]}"#;
    let (f, _) = resolve(&profile(twice, "")).expect("the same control twice");
    let ids: Vec<&str> = f.controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ac-1", "ac-2"]);
    assert!(!f.notice.contains("combine"), "{}", f.notice);

    // OSCAL 1.2 dropped the method (`combine: {}`): keep, without a word.
    let (f, _) = resolve(&profile(twice, r#", "merge": {"combine": {}, "flat": {}}"#))
        .expect("combine without a method");
    assert_eq!(f.controls.len(), 2);
    assert!(f.notice.is_empty(), "{}", f.notice);
    assert!(resolve(&profile(both, r#", "merge": {"combine": {}}"#)).is_err());
    // A method that is none of the three is read as keep, and said.
    let (f, _) = resolve(&profile(
        twice,
        r#", "merge": {"combine": {"method": "first"}}"#,
    ))
    .expect("read as keep");
    assert!(
        f.notice
            .contains("\"first\" is not use-first, merge or keep"),
        "{}",
        f.notice
    );
    assert!(resolve(&profile(
        both,
        r#", "merge": {"combine": {"method": "first"}}"#
    ))
    .is_err());
}

/// ComplianceAsCode's HIPAA catalog (made with compliance-trestle) titles
/// its group and the paragraphs that only hold others "REPLACE_ME", and its
/// version too: a placeholder is no name, so the group is shown by its id,
/// such a control is titled from its text or else its id, the version is
/// left empty, and the notice says so. Real titles are untouched.
#[test]
fn oscal_placeholder_titles_are_not_shown_as_names() {
    let catalog = r##"{"catalog": {"uuid": "u", "metadata": {"title": "Catalog for hipaa", "version": "REPLACE_ME"},
      "groups": [{"id": "hipaa_164", "title": "REPLACE_ME", "controls": [
        {"id": "hipaa_164-308", "title": "REPLACE_ME", "controls": [
          {"id": "hipaa_164-308.a.5", "title": "replace_me ", "parts": [{"name": "statement", "prose": "Security awareness training."}]},
          {"id": "hipaa_164-308.a.5.ii.a", "title": "Security Reminders", "parts": [{"name": "statement", "prose": "Periodic security updates."}]}]}],
        "groups": [{"id": "hipaa_164-312", "title": "Technical Safeguards", "controls": [{"id": "hipaa_164-312.a", "title": "Access Control"}]}]},
       {"id": "other", "title": "Real Group", "controls": [{"id": "x-1", "title": "Real"}]}]}}"##;
    let (f, _) = parse_oscal("hipaa.json", catalog, None).unwrap();
    let rows: Vec<(&str, &str, &str)> = f
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.group.as_str(), c.title.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("hipaa_164-308", "hipaa_164", "hipaa_164-308"),
            (
                "hipaa_164-308.a.5",
                "hipaa_164",
                "Security awareness training"
            ),
            ("hipaa_164-308.a.5.ii.a", "hipaa_164", "Security Reminders"),
            (
                "hipaa_164-312.a",
                "hipaa_164-312: Technical Safeguards",
                "Access Control"
            ),
            ("x-1", "other: Real Group", "Real"),
        ]
    );
    assert_eq!(f.version, "");
    assert_eq!(
        f.notice,
        "Placeholder titles (REPLACE_ME) not shown: groups shown by their id: hipaa_164; \
         controls titled from their text, else their id: hipaa_164-308, hipaa_164-308.a.5. \
         The version is a placeholder (REPLACE_ME): left empty."
    );
}

/// ComplianceAsCode's CIS catalogs (cis_ocp_190) title each section group
/// "Controls for section <id>" and give its real name to a control with
/// the group's own id, listed last: the group is named by that control
/// (the notice says so). A group merely containing its id in a real title
/// with no such control keeps its title.
#[test]
fn oscal_groups_titled_with_their_id_are_named_by_their_section_control() {
    let catalog = r##"{"catalog": {"metadata": {"title": "Catalog for cis_ocp_190", "version": "1.0"},
      "groups": [{"id": "cis_ocp_190_4", "title": "Controls for section cis_ocp_190_4", "controls": [
          {"id": "cis_ocp_190_4-1", "title": "Control for cis_ocp_190_4-1", "controls": [
            {"id": "cis_ocp_190_4-1.1", "class": "CAC_IMPORT", "title": "Ensure kubelet file permissions", "props": [{"name": "label", "value": "4.1.1"}]}]},
          {"id": "cis_ocp_190_4", "class": "CAC_IMPORT", "title": "Worker Nodes", "props": [{"name": "label", "value": "4"}]}]},
        {"id": "ac", "title": "Access Control (AC)", "controls": [{"id": "ac-1", "title": "Policy"}]}]}}"##;
    let (f, _) = parse_oscal("cis.json", catalog, None).unwrap();
    let groups: Vec<&str> = f.controls.iter().map(|c| c.group.as_str()).collect();
    assert_eq!(
        groups,
        [
            "cis_ocp_190_4: Worker Nodes",
            "cis_ocp_190_4: Worker Nodes",
            "cis_ocp_190_4: Worker Nodes",
            "ac: Access Control (AC)"
        ]
    );
    assert_eq!(
        f.notice,
        "Groups titled only with their id are named by the control that has their id: cis_ocp_190_4."
    );
}
