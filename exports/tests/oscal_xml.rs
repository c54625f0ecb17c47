//! OSCAL catalogs and profiles in XML (FedRAMP ships its rev5 baselines and
//! resolved-profile catalogs as XML): a self-written catalog in the shape of
//! SP 800-53 rev5 and FedRAMP's resolved profiles imports exactly as its
//! hand-written JSON edition does; a profile in XML resolves against the XML
//! catalog beside it; malformed XML is refused with its line and column,
//! and damaged XML never panics.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use common::damage::splice;
use plasma_exports::compliance::catalog_import::{parse_oscal, parse_oscal_with, CatalogFormat};
use proptest::prelude::*;

/// Groups (one nested), a control with an enhancement that is withdrawn,
/// parameters with labels, guidelines, selections (a choice naming another
/// parameter), constraints and values, props, links, statements with
/// lettered items, prose with inline markup and lists, a FedRAMP-style
/// titled requirement, guidance (not part of the description), metadata and
/// back matter the import does not use.
const CATALOG_XML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Self-written test catalog. -->
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"
         uuid="0c0c0c0c-0000-4000-8000-000000000001">
   <metadata>
      <title>Mini <em>XML</em> Catalog</title>
      <published>2024-01-01T00:00:00Z</published>
      <last-modified>2024-01-02T00:00:00Z</last-modified>
      <version>5.1.1+mini</version>
      <oscal-version>1.1.2</oscal-version>
      <document-id scheme="https://example.test/ids">MINI-1</document-id>
      <role id="creator">
         <title>Creator</title>
      </role>
      <party uuid="0c0c0c0c-0000-4000-8000-000000000002" type="organization">
         <name>Example Office</name>
         <email-address>office@example.test</email-address>
         <address>
            <addr-line>1 Main St</addr-line>
            <city>Town</city>
         </address>
      </party>
      <responsible-party role-id="creator">
         <party-uuid>0c0c0c0c-0000-4000-8000-000000000002</party-uuid>
      </responsible-party>
   </metadata>
   <group id="ac" class="family">
      <title>Access Control</title>
      <control id="ac-1" class="SP800-53">
         <title>Policy and Procedures</title>
         <param id="ac-1_prm_1">
            <label>personnel or roles</label>
            <guideline>
               <p>personnel or roles to whom the policy is disseminated</p>
            </guideline>
         </param>
         <param id="ac-1_prm_2">
            <select how-many="one-or-more">
               <choice>organization-level</choice>
               <choice>system-level</choice>
            </select>
         </param>
         <param id="ac-1_prm_3">
            <label>frequency</label>
            <constraint>
               <description>
                  <p>at least annually</p>
               </description>
            </constraint>
         </param>
         <param id="ac-1_prm_4">
            <label>events</label>
            <value>significant changes</value>
         </param>
         <prop name="label" value="AC-1"/>
         <prop name="label" class="sp800-53a" value="AC-01"/>
         <prop name="sort-id" value="ac-01"/>
         <link rel="reference" href="#5e0e0e0e-0000-4000-8000-000000000003"/>
         <part id="ac-1_smt" name="statement">
            <part id="ac-1_smt.a" name="item">
               <prop name="label" value="a."/>
               <p>Develop, document, and disseminate to <insert type="param" id-ref="ac-1_prm_1"/>:</p>
               <part id="ac-1_smt.a.1" name="item">
                  <prop name="label" value="1."/>
                  <p>
                     <insert type="param" id-ref="ac-1_prm_2"/> access control policy that:</p>
               </part>
            </part>
            <part id="ac-1_smt.b" name="item">
               <prop name="label" value="b."/>
               <p>Review and update the policy <insert type="param" id-ref="ac-1_prm_3"/>
                  and following <insert type="param" id-ref="ac-1_prm_4"/>.</p>
            </part>
         </part>
         <part id="ac-1_gdn" name="guidance">
            <p>Guidance is <em>not</em> the requirement; see <a href="#ac-2">AC-2</a>.</p>
         </part>
         <control id="ac-1.1" class="SP800-53-enhancement">
            <title>Retired</title>
            <prop name="label" value="AC-1(1)"/>
            <prop name="status" value="withdrawn"/>
            <link rel="incorporated-into" href="#ac-1"/>
         </control>
      </control>
      <control id="ac-2" class="SP800-53">
         <title>Account Management</title>
         <param id="ac-2_prm_1">
            <select>
               <choice>daily</choice>
               <choice>after <insert type="param" id-ref="ac-2_prm_2"/>
               </choice>
            </select>
         </param>
         <param id="ac-2_prm_2">
            <label>events</label>
         </param>
         <prop name="label" value="AC-2"/>
         <part id="ac-2_smt" name="statement">
            <p>Manage system accounts <strong>only</strong> through <code>idm</code>,
               reviewing them <insert type="param" id-ref="ac-2_prm_1"/>.</p>
            <part id="ac-2_fr" name="item">
               <title>AC-2 Additional <em>FedRAMP</em> Requirements</title>
               <part id="ac-2_fr_smt.1" name="item">
                  <prop name="label" value="Requirement:"/>
                  <p>Disable accounts:</p>
                  <ul>
                     <li>of departed staff <ul>
                           <li>within a day</li>
                        </ul>
                     </li>
                     <li>unused for <b>90</b> days</li>
                  </ul>
               </part>
               <part id="ac-2_fr_gdn.1" name="guidance">
                  <prop name="label" value="Guidance:"/>
                  <p>Not part of the requirement.</p>
               </part>
            </part>
         </part>
         <control id="ac-2.1" class="SP800-53-enhancement">
            <title>Automated <code>Account</code> Management</title>
            <prop name="label" value="AC-2(1)"/>
            <part id="ac-2.1_smt" name="statement">
               <p>Support account management with
                  automated mechanisms (see <a href="#ac-2_smt">AC-2</a> and
                  <a href="https://example.test/guide">the guide</a>).</p>
               <part id="ac-2.1_fr" name="item">
                  <title>AC-2 (1) Additional FedRAMP Requirements and Guidance</title>
                  <part id="ac-2.1_fr_gdn.1" name="guidance">
                     <prop name="label" value="Guidance:"/>
                     <p>Only guidance here.</p>
                  </part>
               </part>
            </part>
         </control>
      </control>
   </group>
   <group id="org">
      <title>Organization</title>
      <group id="org.1">
         <title>Internal</title>
         <control id="org-1">
            <title>Roles</title>
            <part id="org-1_ovw" name="overview">
               <p>Define roles for:</p>
               <ol>
                  <li>owners</li>
                  <li>custodians</li>
               </ol>
            </part>
            <part id="org-1_gdn" name="guidance">
               <p>Skip.</p>
            </part>
         </control>
      </group>
   </group>
   <back-matter>
      <resource uuid="5e0e0e0e-0000-4000-8000-000000000003">
         <title>Policy guide</title>
         <citation>
            <text>Guide, <em>Policies</em>, 2020.</text>
         </citation>
         <rlink href="https://example.test/guide.pdf"/>
      </resource>
   </back-matter>
</catalog>
"##;

/// The same catalog as OSCAL JSON, written by hand with the Markdown the
/// OSCAL mapping gives.
const CATALOG_JSON: &str = r##"{"catalog": {"uuid": "0c0c0c0c-0000-4000-8000-000000000001",
  "metadata": {"title": "Mini _XML_ Catalog", "published": "2024-01-01T00:00:00Z",
    "last-modified": "2024-01-02T00:00:00Z", "version": "5.1.1+mini", "oscal-version": "1.1.2",
    "document-ids": [{"scheme": "https://example.test/ids", "identifier": "MINI-1"}],
    "roles": [{"id": "creator", "title": "Creator"}],
    "parties": [{"uuid": "0c0c0c0c-0000-4000-8000-000000000002", "type": "organization", "name": "Example Office",
      "email-addresses": ["office@example.test"], "addresses": [{"addr-lines": ["1 Main St"], "city": "Town"}]}],
    "responsible-parties": [{"role-id": "creator", "party-uuids": ["0c0c0c0c-0000-4000-8000-000000000002"]}]},
  "groups": [
    {"id": "ac", "class": "family", "title": "Access Control", "controls": [
      {"id": "ac-1", "class": "SP800-53", "title": "Policy and Procedures",
       "params": [
         {"id": "ac-1_prm_1", "label": "personnel or roles", "guidelines": [{"prose": "personnel or roles to whom the policy is disseminated"}]},
         {"id": "ac-1_prm_2", "select": {"how-many": "one-or-more", "choice": ["organization-level", "system-level"]}},
         {"id": "ac-1_prm_3", "label": "frequency", "constraints": [{"description": "at least annually"}]},
         {"id": "ac-1_prm_4", "label": "events", "values": ["significant changes"]}],
       "props": [{"name": "label", "value": "AC-1"}, {"name": "label", "class": "sp800-53a", "value": "AC-01"},
                 {"name": "sort-id", "value": "ac-01"}],
       "links": [{"rel": "reference", "href": "#5e0e0e0e-0000-4000-8000-000000000003"}],
       "parts": [
         {"id": "ac-1_smt", "name": "statement", "parts": [
           {"id": "ac-1_smt.a", "name": "item", "props": [{"name": "label", "value": "a."}],
            "prose": "Develop, document, and disseminate to {{ insert: param, ac-1_prm_1 }}:",
            "parts": [{"id": "ac-1_smt.a.1", "name": "item", "props": [{"name": "label", "value": "1."}],
                       "prose": "{{ insert: param, ac-1_prm_2 }} access control policy that:"}]},
           {"id": "ac-1_smt.b", "name": "item", "props": [{"name": "label", "value": "b."}],
            "prose": "Review and update the policy {{ insert: param, ac-1_prm_3 }} and following {{ insert: param, ac-1_prm_4 }}."}]},
         {"id": "ac-1_gdn", "name": "guidance", "prose": "Guidance is _not_ the requirement; see [AC-2](#ac-2)."}],
       "controls": [
         {"id": "ac-1.1", "class": "SP800-53-enhancement", "title": "Retired",
          "props": [{"name": "label", "value": "AC-1(1)"}, {"name": "status", "value": "withdrawn"}],
          "links": [{"rel": "incorporated-into", "href": "#ac-1"}]}]},
      {"id": "ac-2", "class": "SP800-53", "title": "Account Management",
       "params": [
         {"id": "ac-2_prm_1", "select": {"choice": ["daily", "after {{ insert: param, ac-2_prm_2 }}"]}},
         {"id": "ac-2_prm_2", "label": "events"}],
       "props": [{"name": "label", "value": "AC-2"}],
       "parts": [
         {"id": "ac-2_smt", "name": "statement",
          "prose": "Manage system accounts **only** through `idm`, reviewing them {{ insert: param, ac-2_prm_1 }}.",
          "parts": [
            {"id": "ac-2_fr", "name": "item", "title": "AC-2 Additional _FedRAMP_ Requirements", "parts": [
              {"id": "ac-2_fr_smt.1", "name": "item", "props": [{"name": "label", "value": "Requirement:"}],
               "prose": "Disable accounts:\n\n- of departed staff\n  - within a day\n- unused for **90** days"},
              {"id": "ac-2_fr_gdn.1", "name": "guidance", "props": [{"name": "label", "value": "Guidance:"}],
               "prose": "Not part of the requirement."}]}]}],
       "controls": [
         {"id": "ac-2.1", "class": "SP800-53-enhancement", "title": "Automated `Account` Management",
          "props": [{"name": "label", "value": "AC-2(1)"}],
          "parts": [{"id": "ac-2.1_smt", "name": "statement",
            "prose": "Support account management with automated mechanisms (see [AC-2](#ac-2_smt) and [the guide](https://example.test/guide)).",
            "parts": [{"id": "ac-2.1_fr", "name": "item", "title": "AC-2 (1) Additional FedRAMP Requirements and Guidance", "parts": [
              {"id": "ac-2.1_fr_gdn.1", "name": "guidance", "props": [{"name": "label", "value": "Guidance:"}], "prose": "Only guidance here."}]}]}]}]}]},
    {"id": "org", "title": "Organization", "groups": [
      {"id": "org.1", "title": "Internal", "controls": [
        {"id": "org-1", "title": "Roles", "parts": [
          {"id": "org-1_ovw", "name": "overview", "prose": "Define roles for:\n\n1. owners\n2. custodians"},
          {"id": "org-1_gdn", "name": "guidance", "prose": "Skip."}]}]}]}],
  "back-matter": {"resources": [{"uuid": "5e0e0e0e-0000-4000-8000-000000000003", "title": "Policy guide",
    "citation": {"text": "Guide, _Policies_, 2020."}, "rlinks": [{"href": "https://example.test/guide.pdf"}]}]}}}"##;

/// A FedRAMP-style profile: the catalog named by a back-matter resource
/// whose only link is a URL to the XML edition, controls by id (one with
/// its enhancements), parameters set, a requirement added.
const PROFILE_XML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="0c0c0c0c-0000-4000-8000-000000000010">
    <metadata>
        <title>Mini Low</title>
        <version>1</version>
        <oscal-version>1.1.2</oscal-version>
    </metadata>
    <import href="#0c0c0c0c-0000-4000-8000-000000000011">
        <include-controls with-child-controls="yes">
            <with-id>ac-2</with-id>
        </include-controls>
        <include-controls>
            <with-id>ac-1</with-id>
        </include-controls>
    </import>
    <merge>
        <as-is>true</as-is>
    </merge>
    <modify>
        <!-- Set parameters -->
        <set-parameter param-id="ac-1_prm_1">
            <value>the security team</value>
        </set-parameter>
        <set-parameter param-id="ac-1_prm_3">
            <constraint>
                <description>
                    <p>at least every 3 years </p>
                </description>
            </constraint>
        </set-parameter>
        <alter control-id="ac-1">
            <add position="ending">
                <part id="ac-1_fr" name="item">
                    <title>AC-1 Additional FedRAMP Requirements</title>
                    <part id="ac-1_fr_smt.1" name="item">
                        <prop name="label" value="Requirement:"/>
                        <p>Keep the policy <em>signed</em>.</p>
                    </part>
                </part>
            </add>
        </alter>
    </modify>
    <back-matter>
        <resource uuid="0c0c0c0c-0000-4000-8000-000000000011">
            <title>Mini catalog</title>
            <rlink media-type="application/oscal.catalog+xml"
                   href="https://example.test/content/xml/mini_catalog.xml"/>
        </resource>
    </back-matter>
</profile>
"##;

fn ids(f: &plasma_models::compliance::Framework) -> Vec<&str> {
    f.controls.iter().map(|c| c.id.as_str()).collect()
}

/// The strongest check: the same catalog in both formats gives the same
/// framework (ids, titles, groups, descriptions, notice, version).
#[test]
fn an_xml_catalog_imports_as_its_json_edition() {
    let (from_xml, format) = parse_oscal("mini.xml", CATALOG_XML, None).unwrap();
    assert_eq!(format, CatalogFormat::OscalCatalog);
    let (from_json, _) = parse_oscal("mini.json", CATALOG_JSON, None).unwrap();
    assert_eq!(from_xml.source, "OSCAL catalog mini.xml");
    let from_json = plasma_models::compliance::Framework {
        source: from_xml.source.clone(),
        ..from_json
    };
    assert_eq!(from_xml, from_json);
}

/// What the XML catalog reads as: fails when markup conversion breaks
/// (inserts left, lists run together, XML whitespace kept, tags left).
#[test]
fn an_xml_catalog_reads_with_parameters_filled_and_lists_on_their_lines() {
    let (f, _) = parse_oscal("mini.xml", CATALOG_XML, None).unwrap();
    assert_eq!(f.id, "mini-xml-catalog");
    assert_eq!(f.name, "Mini XML Catalog");
    assert_eq!(f.version, "5.1.1+mini");
    assert_eq!(ids(&f), ["ac-1", "ac-2", "ac-2.1", "org-1"]);
    assert_eq!(f.notice, "1 withdrawn controls left out: ac-1.1.");
    assert_eq!(f.controls[2].title, "Automated Account Management");
    assert_eq!(f.controls[2].group, "ac: Access Control");
    assert_eq!(f.controls[3].group, "org.1: Organization / Internal");
    assert_eq!(
        f.controls[0].description,
        "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:\n\
         \x20 1. [Selection (one or more): organization-level; system-level] access control policy that:\n\
         b. Review and update the policy [Assignment: organization-defined frequency; at least annually] \
         and following significant changes.\n\
         References: Policy guide"
    );
    assert_eq!(
        f.controls[1].description,
        "Manage system accounts **only** through `idm`, reviewing them \
         [Selection: daily; after [Assignment: organization-defined events]].\n\
         AC-2 Additional FedRAMP Requirements\n\
         \x20 Requirement: Disable accounts:\n\
         \x20 - of departed staff\n\
         \x20   - within a day\n\
         \x20 - unused for **90** days"
    );
    // A cross-reference inside the catalog reads as its text; a title
    // over guidance only is left out.
    assert_eq!(
        f.controls[2].description,
        "Support account management with automated mechanisms (see AC-2 and [the guide](https://example.test/guide))."
    );
    assert_eq!(
        f.controls[3].description,
        "Define roles for:\n1. owners\n2. custodians"
    );
    for c in &f.controls {
        assert!(
            !c.description.contains("{{") && !c.description.contains('<'),
            "{}: {}",
            c.id,
            c.description
        );
    }
}

/// An insert written the pre-1.0 way, `<insert param-id="..."/>` (an
/// adversarial mixed-content test catalog of an OSCAL tool; milestone
/// catalogs), names its parameter like `id-ref` does: consecutive, at the
/// start, inside markup and at the end of a paragraph; markup, links and
/// entities around them come through.
#[test]
fn a_pre_1_0_insert_names_its_parameter_with_param_id() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee">
  <metadata><title>Mixed</title><version>1.0.0</version></metadata>
  <control id="mc-1">
    <title>Mixed Content Control</title>
    <param id="p1"><label>first</label></param>
    <param id="p2"><value>second</value></param>
    <param id="p_mid"><label>middle</label></param>
    <part name="statement" id="mc-1_smt">
      <p><insert param-id="p1"/><insert param-id="p2"/></p>
      <p><insert param-id="p1"/> is verified before <strong><insert param-id="p_mid"/></strong> and after <insert type="param" id-ref="p2"/></p>
      <p>Value &lt; 100 &amp;&amp; see <a href="https://example.gov/doc">Policy</a></p>
    </part>
  </control>
</catalog>"#;
    let (f, _) = parse_oscal("mixed.xml", xml, None).unwrap();
    assert_eq!(
        f.controls[0].description,
        "[Assignment: organization-defined first]second\n\
         [Assignment: organization-defined first] is verified before **[Assignment: organization-defined middle]** and after second\n\
         Value < 100 && see [Policy](https://example.gov/doc)"
    );
}

/// A profile in XML resolves against the XML catalog beside it (named by
/// a URL in its back matter: the file name is looked for, JSON and YAML
/// before XML), with its selection, parameter settings and additions; a
/// JSON profile may name an XML catalog too. Without the catalog, ids only
/// and the notice says where it looked.
#[test]
fn an_xml_profile_resolves_against_the_xml_catalog_beside_it() {
    let mut tried = Vec::new();
    let (f, format) = parse_oscal_with("low.xml", PROFILE_XML, None, &mut |p| {
        tried.push(p.to_string());
        (p == "mini_catalog.xml").then(|| CATALOG_XML.to_string())
    })
    .unwrap();
    assert_eq!(format, CatalogFormat::OscalProfile);
    assert_eq!(
        tried,
        [
            "mini_catalog.json",
            "mini_catalog.yaml",
            "mini_catalog.yml",
            "mini_catalog.xml"
        ]
    );
    assert_eq!(f.name, "Mini Low");
    assert_eq!(ids(&f), ["ac-1", "ac-2", "ac-2.1"]);
    assert_eq!(f.controls[1].group, "ac: Access Control");
    assert_eq!(
        f.controls[0].description,
        "a. Develop, document, and disseminate to the security team:\n\
         \x20 1. [Selection (one or more): organization-level; system-level] access control policy that:\n\
         b. Review and update the policy [Assignment: organization-defined frequency; at least every 3 years] \
         and following significant changes.\n\
         AC-1 Additional FedRAMP Requirements\n\
         \x20 Requirement: Keep the policy _signed_.\n\
         References: Policy guide"
    );
    assert!(
        f.source
            .ends_with("resolved against Mini XML Catalog (mini_catalog.xml)"),
        "{}",
        f.source
    );

    // A JSON profile naming the XML catalog by a relative path.
    let json = r#"{"profile": {"metadata": {"title": "J"}, "imports": [{"href": "content/mini_catalog.xml", "include-controls": [{"with-ids": ["org-1"]}]}]}}"#;
    let (f, _) = parse_oscal_with("j.json", json, None, &mut |p| {
        (p == "content/mini_catalog.xml").then(|| CATALOG_XML.to_string())
    })
    .unwrap();
    assert_eq!(ids(&f), ["org-1"]);
    assert_eq!(f.controls[0].title, "Roles");

    // No catalog beside it: ids only when named by id, and where it looked;
    // with enhancements, refused.
    let by_id = PROFILE_XML.replace(" with-child-controls=\"yes\"", "");
    let (f, _) = parse_oscal("low.xml", &by_id, None).unwrap();
    assert_eq!(ids(&f), ["ac-2", "ac-1"]);
    assert_eq!(f.controls[0].title, "AC-2");
    assert!(
        f.notice.contains("was not found next to the profile (looked for mini_catalog.json, mini_catalog.yaml, mini_catalog.yml, mini_catalog.xml)"),
        "{}",
        f.notice
    );
    // Its alterations wait for the catalog: said once, not one by one.
    assert!(
        f.notice
            .ends_with("for titles and text (and for the profile's 1 alterations of them)."),
        "{}",
        f.notice
    );
    let err = parse_oscal("low.xml", PROFILE_XML, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("by pattern or with their enhancements, and that catalog was not found next to the profile"),
        "{err}"
    );
}

/// Malformed XML: the line and column, never a panic; a catalog beside a
/// profile that is malformed names its own file.
#[test]
fn malformed_xml_is_refused_with_its_line_and_column() {
    let broken = CATALOG_XML.replacen("</title>", "</titel>", 1);
    let at = broken.find("</titel>").unwrap();
    let line = broken[..at].lines().count();
    let column = broken[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    let err = parse_oscal("bad.xml", &broken, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "bad.xml, line {line}, column {column}: not well-formed XML: expected 'title' tag, not 'titel'"
        )),
        "{err}"
    );
    let cut = &CATALOG_XML[..CATALOG_XML.len() / 2];
    let err = parse_oscal("cut.xml", cut, None).unwrap_err().to_string();
    assert!(
        err.contains("the file ends before its elements are closed"),
        "{err}"
    );
    let err = parse_oscal_with("low.xml", PROFILE_XML, None, &mut |p| {
        (p == "mini_catalog.xml").then(|| broken.clone())
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(&format!("mini_catalog.xml, line {line}, column {column}")),
        "{err}"
    );
    // Well-formed, but no title: the catalog is refused as in JSON.
    let untitled = CATALOG_XML.replacen("<title>Mini <em>XML</em> Catalog</title>", "", 1);
    let err = parse_oscal("u.xml", &untitled, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("the title is missing"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Byte-level damage to the XML catalog or profile: an import or an
    /// error, never a panic.
    #[test]
    fn damaged_xml_never_panics(at in any::<prop::sample::Index>(), len in 0usize..60,
                                junk in "[<>/=\"a-z0-9 :.&;-]{0,10}", profile in any::<bool>()) {
        let source = if profile { PROFILE_XML } else { CATALOG_XML };
        let damaged = splice(source, at, len, &junk);
        let _ = parse_oscal_with("d.xml", &damaged, None, &mut |p| {
            (p == "mini_catalog.xml").then(|| CATALOG_XML.to_string())
        });
    }
}

/// An XML profile's `<combine method="..."/>` is its combination rule:
/// two catalogs giving `ac-1`, the first's is used with `use-first`, and
/// without a rule (keep) the clash is refused naming the control.
#[test]
fn an_xml_profiles_combination_rule_applies() {
    let other = CATALOG_XML.replace(
        "<title>Policy and Procedures</title>",
        "<title>Policy (the other catalog)</title>",
    );
    let profile = |merge: &str| {
        format!(
            r##"<?xml version="1.0" encoding="UTF-8"?>
<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="0c0c0c0c-0000-4000-8000-000000000020">
    <metadata><title>Two</title><version>1</version><oscal-version>1.1.2</oscal-version></metadata>
    <import href="mini_catalog.xml"><include-controls><with-id>ac-1</with-id></include-controls></import>
    <import href="other_catalog.xml"><include-controls><with-id>ac-1</with-id><with-id>ac-2</with-id></include-controls></import>
    {merge}
</profile>"##
        )
    };
    let mut load = |p: &str| match p {
        "mini_catalog.xml" => Some(CATALOG_XML.to_string()),
        "other_catalog.xml" => Some(other.clone()),
        _ => None,
    };
    let (f, _) = parse_oscal_with(
        "two.xml",
        &profile(r#"<merge><combine method="use-first"/><as-is>true</as-is></merge>"#),
        None,
        &mut load,
    )
    .unwrap();
    assert_eq!(ids(&f), ["ac-1", "ac-2"]);
    assert_eq!(f.controls[0].title, "Policy and Procedures");
    assert!(f.notice.contains("combine: use-first"), "{}", f.notice);
    let e = parse_oscal_with("two.xml", &profile(""), None, &mut load)
        .unwrap_err()
        .to_string();
    assert!(e.contains("ac-1") && e.contains("keep"), "{e}");
}

/// A profile written before OSCAL 1.0 selects with `include`/`call
/// control-id` (and names its back-matter resource by `id`): read as the
/// `include-controls` it became, said in the notice, never as taking
/// every control. `exclude` and `all` map the same way.
#[test]
fn a_pre_1_0_profile_selection_is_read_not_taken_as_everything() {
    let profile = |imports: &str| {
        format!(
            r##"<?xml version="1.0" encoding="UTF-8"?>
<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" id="old">
    <metadata><title>Old</title><version>1</version><oscal-version>1.0-MR2</oscal-version></metadata>
    {imports}
    <back-matter><resource id="cat"><rlink href="mini_catalog.xml"/></resource></back-matter>
</profile>"##
        )
    };
    let mut load = |p: &str| (p == "mini_catalog.xml").then(|| CATALOG_XML.to_string());
    let twice = profile(
        r##"<import href="#cat"><include><call control-id="ac-1"/><call control-id="ac-2" with-child-controls="yes"/></include></import>
    <import href="#cat"><include><call control-id="ac-1"/></include></import>"##,
    );
    let (f, _) = parse_oscal_with("old.xml", &twice, None, &mut load).unwrap();
    assert_eq!(ids(&f), ["ac-1", "ac-2", "ac-2.1"]);
    assert!(
        f.notice
            .contains("Imports 1, 2 select their controls in the syntax of OSCAL before 1.0"),
        "{}",
        f.notice
    );
    let all_but = profile(
        r##"<import href="#cat"><include><all/></include><exclude><call control-id="ac-2"/></exclude></import>"##,
    );
    let (f, _) = parse_oscal_with("old.xml", &all_but, None, &mut load).unwrap();
    assert!(!ids(&f).contains(&"ac-2"), "{:?}", ids(&f));
    assert!(ids(&f).contains(&"ac-1"), "{:?}", ids(&f));
    // A reference to no resource says so instead of an empty list.
    let e = parse_oscal_with(
        "old.xml",
        &all_but.replace("href=\"#cat\"", "href=\"#nowhere\""),
        None,
        &mut load,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("the back-matter has no resource of that uuid"),
        "{e}"
    );
}
