//! The threat-model domain: data-flow diagrams (elements, flows, nested
//! trust boundaries), the data they carry, and the threats found in them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use super::severity::{owasp_severity, Severity};

/// One system's threat model: its diagrams, its data and its threats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatModel {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub description: String,
    /// Names of the workspace repositories the model covers.
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub diagrams: Vec<Diagram>,
    #[serde(default)]
    pub data_assets: Vec<DataAsset>,
    #[serde(default)]
    pub threats: Vec<Threat>,
}

impl ThreatModel {
    pub fn new(workspace_id: Uuid, name: impl Into<String>) -> ThreatModel {
        ThreatModel {
            id: Uuid::new_v4(),
            workspace_id,
            name: name.into(),
            description: String::new(),
            repositories: vec![],
            diagrams: vec![],
            data_assets: vec![],
            threats: vec![],
        }
    }

    pub fn data_asset(&self, id: Uuid) -> Option<&DataAsset> {
        self.data_assets.iter().find(|a| a.id == id)
    }

    /// The element with this id, in whichever diagram holds it.
    pub fn element(&self, id: Uuid) -> Option<&Element> {
        self.diagrams.iter().find_map(|d| d.element(id))
    }

    pub fn flow(&self, id: Uuid) -> Option<&Flow> {
        self.diagrams.iter().find_map(|d| d.flow(id))
    }

    /// The display name of a threat's target, if it still exists.
    pub fn target_name(&self, target: &ThreatTarget) -> Option<&str> {
        match target {
            ThreatTarget::Element(id) => self.element(*id).map(|e| e.name.as_str()),
            ThreatTarget::Flow(id) => self.flow(*id).map(|f| f.name.as_str()),
        }
    }
}

/// A data-flow diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Diagram {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub elements: Vec<Element>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub boundaries: Vec<TrustBoundary>,
}

impl Diagram {
    pub fn new(name: impl Into<String>) -> Diagram {
        Diagram {
            id: Uuid::new_v4(),
            name: name.into(),
            elements: vec![],
            flows: vec![],
            boundaries: vec![],
        }
    }

    pub fn element(&self, id: Uuid) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    pub fn flow(&self, id: Uuid) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }

    pub fn boundary(&self, id: Uuid) -> Option<&TrustBoundary> {
        self.boundaries.iter().find(|b| b.id == id)
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    ExternalEntity,
    Process,
    DataStore,
}

impl ElementKind {
    pub fn label(self) -> &'static str {
        match self {
            ElementKind::ExternalEntity => "external_entity",
            ElementKind::Process => "process",
            ElementKind::DataStore => "data_store",
        }
    }
}

/// A box on the canvas, in diagram units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Element {
    pub id: Uuid,
    pub kind: ElementKind,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The innermost trust boundary that contains the element.
    #[serde(default)]
    pub boundary: Option<Uuid>,
    #[serde(default)]
    pub position: Option<Rect>,
    #[serde(default)]
    pub props: ElementProps,
    /// Out of scope, with the reason (possibly empty): the element stays on
    /// the diagram but the rules raise no threat against it, as in Threat
    /// Dragon and Microsoft's Threat Modeling Tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub out_of_scope: Option<String>,
}

/// How models imported before `out_of_scope` existed marked it: free tags.
const LEGACY_OUT_OF_SCOPE: &str = "out-of-scope";
const LEGACY_OUT_OF_SCOPE_REASON: &str = "out-of-scope-reason: ";

impl Element {
    /// The reason the element is out of scope (possibly empty), or `None`
    /// when it is in scope; also honours the tags older imports wrote.
    pub fn out_of_scope_reason(&self) -> Option<&str> {
        if let Some(r) = &self.out_of_scope {
            return Some(r);
        }
        let tags = &self.props.tags;
        tags.iter().any(|t| t == LEGACY_OUT_OF_SCOPE).then(|| {
            tags.iter()
                .find_map(|t| t.strip_prefix(LEGACY_OUT_OF_SCOPE_REASON))
                .unwrap_or("")
        })
    }

    pub fn new(kind: ElementKind, name: impl Into<String>) -> Element {
        Element {
            id: Uuid::new_v4(),
            kind,
            name: name.into(),
            description: String::new(),
            boundary: None,
            position: None,
            props: ElementProps::default(),
            out_of_scope: None,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    Low,
    #[default]
    Standard,
    High,
    Root,
}

impl Privilege {
    pub fn label(self) -> &'static str {
        match self {
            Privilege::Low => "low",
            Privilege::Standard => "standard",
            Privilege::High => "high",
            Privilege::Root => "root",
        }
    }
}

/// The security-relevant facts about an element the STRIDE rules read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(default)]
pub struct ElementProps {
    pub stores_credentials: bool,
    pub is_log: bool,
    pub encrypted_at_rest: bool,
    pub signed: bool,
    pub privilege: Privilege,
    pub web_application: bool,
    pub api_gateway: bool,
    pub queue_or_stream: bool,
    pub llm_component: bool,
    pub handles_untrusted_input: bool,
    pub sanitizes_input: bool,
    pub has_access_control: bool,
    pub hardened: bool,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Flow {
    pub id: Uuid,
    pub name: String,
    /// Element id.
    pub source: Uuid,
    /// Element id.
    pub target: Uuid,
    #[serde(default)]
    pub bidirectional: bool,
    /// Lower-case protocol name as the user wrote it ("https", "grpc", "sql").
    #[serde(default)]
    pub protocol: String,
    #[serde(default)]
    pub port: Option<u32>,
    #[serde(default)]
    pub authenticated: bool,
    #[serde(default)]
    pub authorized: bool,
    #[serde(default)]
    pub encrypted_in_transit: bool,
    #[serde(default)]
    pub crosses_public_network: bool,
    /// Ids of the data assets the flow carries.
    #[serde(default)]
    pub data: Vec<Uuid>,
    /// Where the flow's label sits.
    #[serde(default)]
    pub position: Option<Point>,
    /// Bend points of the drawn edge, in order.
    #[serde(default)]
    pub points: Vec<Point>,
    /// Out of scope, with the reason (possibly empty): no threat is raised
    /// against the flow itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub out_of_scope: Option<String>,
}

impl Flow {
    pub fn new(name: impl Into<String>, source: Uuid, target: Uuid) -> Flow {
        Flow {
            id: Uuid::new_v4(),
            name: name.into(),
            source,
            target,
            bidirectional: false,
            protocol: String::new(),
            port: None,
            authenticated: false,
            authorized: false,
            encrypted_in_transit: false,
            crosses_public_network: false,
            data: vec![],
            position: None,
            points: vec![],
            out_of_scope: None,
        }
    }
}

/// A trust boundary; boundaries nest through `parent`.
///
/// Most boundaries are boxes: they contain elements (`Element::boundary`).
/// A boundary drawn as a line instead (Threat Dragon's boundary curve, the
/// Threat Modeling Tool's line boundary) contains nothing: it has `line`,
/// and a flow whose drawn path crosses it crosses the boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TrustBoundary {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub parent: Option<Uuid>,
    #[serde(default)]
    pub position: Option<Rect>,
    /// The points of a boundary drawn as a line, in order (at least two);
    /// empty for a box.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[specta(optional)]
    pub line: Vec<Point>,
}

impl TrustBoundary {
    pub fn new(name: impl Into<String>, parent: Option<Uuid>) -> TrustBoundary {
        TrustBoundary {
            id: Uuid::new_v4(),
            name: name.into(),
            parent,
            position: None,
            line: vec![],
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Public,
    #[default]
    Internal,
    Confidential,
    Restricted,
}

impl Classification {
    pub fn label(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Confidential => "confidential",
            Classification::Restricted => "restricted",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum DataTag {
    Pii,
    Phi,
    Pci,
    Credentials,
}

impl DataTag {
    pub fn label(self) -> &'static str {
        match self {
            DataTag::Pii => "pii",
            DataTag::Phi => "phi",
            DataTag::Pci => "pci",
            DataTag::Credentials => "credentials",
        }
    }
}

/// Low / Medium / High: CIA needs, and a threat's likelihood and impact
/// (the OWASP risk rating's three levels).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Low,
    #[default]
    Medium,
    High,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DataAsset {
    pub id: Uuid,
    pub name: String,
    pub classification: Classification,
    #[serde(default)]
    pub tags: Vec<DataTag>,
    /// Free text ("30 days", "7 years after account closure").
    #[serde(default)]
    pub retention: Option<String>,
    pub confidentiality: Rating,
    pub integrity: Rating,
    pub availability: Rating,
}

impl DataAsset {
    pub fn new(name: impl Into<String>, classification: Classification) -> DataAsset {
        DataAsset {
            id: Uuid::new_v4(),
            name: name.into(),
            classification,
            tags: vec![],
            retention: None,
            confidentiality: Rating::Medium,
            integrity: Rating::Medium,
            availability: Rating::Medium,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stride::Spoofing => "Spoofing",
            Stride::Tampering => "Tampering",
            Stride::Repudiation => "Repudiation",
            Stride::InformationDisclosure => "Information disclosure",
            Stride::DenialOfService => "Denial of service",
            Stride::ElevationOfPrivilege => "Elevation of privilege",
        }
    }
}

/// What a threat is about: one element or one flow (an interaction).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ThreatTarget {
    Element(Uuid),
    Flow(Uuid),
}

impl ThreatTarget {
    pub fn id(&self) -> Uuid {
        match self {
            ThreatTarget::Element(id) | ThreatTarget::Flow(id) => *id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ThreatStatus {
    #[default]
    Open,
    Mitigated,
    /// The risk is accepted until `expires`, for the stated reason.
    Accepted {
        justification: String,
        expires: NaiveDate,
    },
    Transferred,
    NotApplicable,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum MitigationStatus {
    #[default]
    Planned,
    InProgress,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Mitigation {
    pub id: Uuid,
    pub title: String,
    pub status: MitigationStatus,
    #[serde(default)]
    pub owner: Option<String>,
}

/// One reason a rule matched: a property and the value it had.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type)]
pub struct Because {
    pub property: String,
    pub value: String,
}

impl Because {
    pub fn new(property: impl Into<String>, value: impl Into<String>) -> Because {
        Because {
            property: property.into(),
            value: value.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Threat {
    /// For generated threats, UUID v5 of the rule id and the target id (see
    /// [`super::engine::threat_id`]), so regenerating finds the same threat.
    pub id: Uuid,
    /// The rule that produced the threat; `None` for a threat a user added.
    pub rule_id: Option<String>,
    pub title: String,
    pub category: Stride,
    pub target: ThreatTarget,
    pub description: String,
    pub likelihood: Rating,
    pub impact: Rating,
    pub severity_override: Option<Severity>,
    /// A CVSS 3.1 or 4.0 vector, when the team scored the threat.
    pub cvss: Option<String>,
    pub status: ThreatStatus,
    pub notes: String,
    pub mitigations: Vec<Mitigation>,
    /// Numbers of the ADRs that address the threat.
    pub linked_adrs: Vec<u32>,
    /// Why the rule matched: the property values it read.
    pub rationale: Vec<Because>,
    /// The rule no longer matches the model; kept so no decision is lost.
    pub obsolete: bool,
    pub suggested_mitigations: Vec<String>,
    /// CWE-, CAPEC- and OWASP identifiers.
    pub references: Vec<String>,
}

impl Threat {
    /// A threat a user writes by hand.
    pub fn manual(
        title: impl Into<String>,
        category: Stride,
        target: ThreatTarget,
        likelihood: Rating,
        impact: Rating,
    ) -> Threat {
        Threat {
            id: Uuid::new_v4(),
            rule_id: None,
            title: title.into(),
            category,
            target,
            description: String::new(),
            likelihood,
            impact,
            severity_override: None,
            cvss: None,
            status: ThreatStatus::Open,
            notes: String::new(),
            mitigations: vec![],
            linked_adrs: vec![],
            rationale: vec![],
            obsolete: false,
            suggested_mitigations: vec![],
            references: vec![],
        }
    }

    /// The OWASP risk-rating severity of likelihood x impact.
    pub fn rated_severity(&self) -> Severity {
        owasp_severity(self.likelihood, self.impact)
    }

    /// The severity shown: the user's override, else the rating.
    pub fn severity(&self) -> Severity {
        self.severity_override
            .unwrap_or_else(|| self.rated_severity())
    }

    pub fn is_generated(&self) -> bool {
        self.rule_id.is_some()
    }
}
