//! Architecture decision records, shaped after MADR 4 with room for every
//! other format's content: anything we do not model lands in `sections`,
//! verbatim and in order, so no imported text is lost.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::ModelError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Adr {
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// Unique within a workspace. MADR starts at 0, adr-tools at 1.
    pub number: u32,
    pub title: String,
    pub status: AdrStatus,
    /// The date the decision was last updated, as written in the record.
    pub date: Option<NaiveDate>,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub tags: Vec<String>,
    /// Names of the workspace repositories the decision applies to.
    pub repositories: Vec<String>,
    /// Markdown.
    pub context: String,
    pub decision_drivers: Vec<String>,
    pub considered_options: Vec<ConsideredOption>,
    /// Markdown: "Chosen option: ..., because ...".
    pub decision_outcome: String,
    pub consequences: Consequences,
    /// Markdown: how compliance with the decision is confirmed.
    pub confirmation: String,
    pub links: Vec<AdrLink>,
    /// Sections the structured fields do not cover, kept verbatim in order.
    pub sections: Vec<Section>,
    /// Front-matter keys we do not model (Jekyll's `parent`, `nav_order`...),
    /// as `key: value` YAML lines, kept so an export does not drop them.
    pub extra_front_matter: Vec<(String, String)>,
    /// The file the record was imported from, relative to the import folder.
    pub source_path: Option<String>,
    /// Storage revision this value was read at; a save must name it.
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields a user edits; everything else is assigned by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
pub struct AdrDraft {
    pub title: String,
    pub status: AdrStatus,
    pub date: Option<NaiveDate>,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub tags: Vec<String>,
    pub repositories: Vec<String>,
    pub context: String,
    pub decision_drivers: Vec<String>,
    pub considered_options: Vec<ConsideredOption>,
    pub decision_outcome: String,
    pub consequences: Consequences,
    pub confirmation: String,
    pub links: Vec<AdrLink>,
    pub sections: Vec<Section>,
    pub extra_front_matter: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
pub struct ConsideredOption {
    pub title: String,
    /// Markdown shown under the option's heading, before its arguments.
    pub description: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub neutral: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
pub struct Consequences {
    pub good: Vec<String>,
    pub bad: Vec<String>,
    pub neutral: Vec<String>,
}

impl Consequences {
    pub fn is_empty(&self) -> bool {
        self.good.is_empty() && self.bad.is_empty() && self.neutral.is_empty()
    }
}

/// A Markdown section kept as written: heading text and body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Section {
    pub heading: String,
    /// Heading level, 1-6.
    pub level: u8,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case", tag = "kind", content = "label")]
pub enum AdrStatus {
    Draft,
    #[default]
    Proposed,
    Accepted,
    Rejected,
    Deprecated,
    Superseded,
    /// A status some tool or team invented ("on hold", "in progress").
    Custom(String),
}

impl AdrStatus {
    /// Reads a status word as written in a record. The superseding ADR, if
    /// the text names one, is a link and is not part of the status.
    pub fn parse(text: &str) -> AdrStatus {
        let t = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        let lower = t.to_ascii_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        match first {
            "draft" => AdrStatus::Draft,
            "proposed" => AdrStatus::Proposed,
            "accepted" | "approved" => AdrStatus::Accepted,
            "rejected" => AdrStatus::Rejected,
            "deprecated" => AdrStatus::Deprecated,
            "superseded" | "superceded" => AdrStatus::Superseded,
            _ if t.is_empty() => AdrStatus::Proposed,
            _ => AdrStatus::Custom(t.to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            AdrStatus::Draft => "draft",
            AdrStatus::Proposed => "proposed",
            AdrStatus::Accepted => "accepted",
            AdrStatus::Rejected => "rejected",
            AdrStatus::Deprecated => "deprecated",
            AdrStatus::Superseded => "superseded",
            AdrStatus::Custom(s) => s,
        }
    }

    /// The status lifecycle. Superseding goes through [`crate::graph`] so
    /// that both records change together; it is refused here.
    pub fn check_transition(&self, to: &AdrStatus, number: u32) -> Result<(), ModelError> {
        use AdrStatus::*;
        if self == to {
            return Ok(());
        }
        let refuse = |reason: &'static str| {
            Err(ModelError::StatusTransition {
                number,
                from: self.label().to_string(),
                to: to.label().to_string(),
                reason,
            })
        };
        match (self, to) {
            (_, Superseded) => refuse("supersede it with another ADR instead"),
            (Superseded, _) => refuse("a superseded decision is final; write a new ADR"),
            (Custom(_), _) | (_, Custom(_)) => Ok(()),
            (Draft, Proposed | Accepted | Rejected) => Ok(()),
            (Proposed, Draft | Accepted | Rejected) => Ok(()),
            (Accepted, Deprecated) => Ok(()),
            (Rejected, Proposed | Draft) => Ok(()),
            (Deprecated, Accepted) => Ok(()),
            (Accepted, _) => refuse("an accepted decision can only be deprecated or superseded"),
            (Rejected, _) => refuse("re-propose a rejected decision first"),
            (Deprecated, _) => refuse("a deprecated decision can only be re-accepted"),
            (Draft | Proposed, Deprecated) => refuse("only an accepted decision can be deprecated"),
            _ => refuse("this change is not part of the lifecycle"),
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Supersedes,
    SupersededBy,
    Amends,
    AmendedBy,
    RelatesTo,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Supersedes => "Supersedes",
            LinkKind::SupersededBy => "Superseded by",
            LinkKind::Amends => "Amends",
            LinkKind::AmendedBy => "Amended by",
            LinkKind::RelatesTo => "Relates to",
        }
    }

    pub fn inverse(self) -> LinkKind {
        match self {
            LinkKind::Supersedes => LinkKind::SupersededBy,
            LinkKind::SupersededBy => LinkKind::Supersedes,
            LinkKind::Amends => LinkKind::AmendedBy,
            LinkKind::AmendedBy => LinkKind::Amends,
            LinkKind::RelatesTo => LinkKind::RelatesTo,
        }
    }

    /// Reads the verb of a link line ("Superceded by", adr-tools' spelling, included).
    pub fn parse(text: &str) -> Option<LinkKind> {
        let t = text.trim().to_ascii_lowercase();
        let t = t
            .replace("superceded", "superseded")
            .replace("supercedes", "supersedes");
        match t.as_str() {
            "supersedes" => Some(LinkKind::Supersedes),
            "superseded by" => Some(LinkKind::SupersededBy),
            "amends" => Some(LinkKind::Amends),
            "amended by" => Some(LinkKind::AmendedBy),
            "relates to" | "related to" | "see also" => Some(LinkKind::RelatesTo),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type)]
pub struct AdrLink {
    pub kind: LinkKind,
    /// Number of the linked ADR in the same workspace.
    pub target: u32,
}

impl Adr {
    pub fn draft(&self) -> AdrDraft {
        AdrDraft {
            title: self.title.clone(),
            status: self.status.clone(),
            date: self.date,
            decision_makers: self.decision_makers.clone(),
            consulted: self.consulted.clone(),
            informed: self.informed.clone(),
            tags: self.tags.clone(),
            repositories: self.repositories.clone(),
            context: self.context.clone(),
            decision_drivers: self.decision_drivers.clone(),
            considered_options: self.considered_options.clone(),
            decision_outcome: self.decision_outcome.clone(),
            consequences: self.consequences.clone(),
            confirmation: self.confirmation.clone(),
            links: self.links.clone(),
            sections: self.sections.clone(),
            extra_front_matter: self.extra_front_matter.clone(),
        }
    }

    /// Replaces the editable fields, keeping identity and bookkeeping.
    pub fn apply(&mut self, draft: AdrDraft) {
        let AdrDraft {
            title,
            status,
            date,
            decision_makers,
            consulted,
            informed,
            tags,
            repositories,
            context,
            decision_drivers,
            considered_options,
            decision_outcome,
            consequences,
            confirmation,
            links,
            sections,
            extra_front_matter,
        } = draft;
        self.title = title;
        self.status = status;
        self.date = date;
        self.decision_makers = decision_makers;
        self.consulted = consulted;
        self.informed = informed;
        self.tags = tags;
        self.repositories = repositories;
        self.context = context;
        self.decision_drivers = decision_drivers;
        self.considered_options = considered_options;
        self.decision_outcome = decision_outcome;
        self.consequences = consequences;
        self.confirmation = confirmation;
        self.links = links;
        self.sections = sections;
        self.extra_front_matter = extra_front_matter;
    }

    pub fn linked(&self, kind: LinkKind) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .links
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| l.target)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Adds a link once; links are a set.
    pub fn add_link(&mut self, kind: LinkKind, target: u32) {
        let link = AdrLink { kind, target };
        if !self.links.contains(&link) {
            self.links.push(link);
        }
    }

    /// A new record with every field empty.
    pub fn new(workspace_id: Uuid, number: u32, draft: AdrDraft, now: DateTime<Utc>) -> Adr {
        let mut adr = Adr {
            id: Uuid::new_v4(),
            workspace_id,
            number,
            title: String::new(),
            status: AdrStatus::Proposed,
            date: None,
            decision_makers: vec![],
            consulted: vec![],
            informed: vec![],
            tags: vec![],
            repositories: vec![],
            context: String::new(),
            decision_drivers: vec![],
            considered_options: vec![],
            decision_outcome: String::new(),
            consequences: Consequences::default(),
            confirmation: String::new(),
            links: vec![],
            sections: vec![],
            extra_front_matter: vec![],
            source_path: None,
            revision: 0,
            created_at: now,
            updated_at: now,
        };
        adr.apply(draft);
        adr
    }
}

impl AdrDraft {
    /// Field-level checks a user can fix; returns the first problem found.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.title.trim().is_empty() {
            return Err(ModelError::Invalid {
                field: "title",
                reason: "an ADR needs a title".into(),
            });
        }
        if self.title.contains('\n') {
            return Err(ModelError::Invalid {
                field: "title",
                reason: "the title must fit on one line".into(),
            });
        }
        if self.title.chars().count() > 300 {
            return Err(ModelError::Invalid {
                field: "title",
                reason: "the title is longer than 300 characters".into(),
            });
        }
        if let AdrStatus::Custom(label) = &self.status {
            if label.trim().is_empty() || label.contains('\n') {
                return Err(ModelError::Invalid {
                    field: "status",
                    reason: "a custom status must be one non-empty line".into(),
                });
            }
        }
        for (i, option) in self.considered_options.iter().enumerate() {
            if option.title.trim().is_empty() {
                return Err(ModelError::Invalid {
                    field: "considered_options",
                    reason: format!("option {} has no title", i + 1),
                });
            }
        }
        for s in &self.sections {
            if !(1..=6).contains(&s.level) || s.heading.contains('\n') {
                return Err(ModelError::Invalid {
                    field: "sections",
                    reason: format!("section \"{}\" has an invalid heading", s.heading),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_as_written_by_other_tools() {
        assert_eq!(AdrStatus::parse("Accepted"), AdrStatus::Accepted);
        assert_eq!(
            AdrStatus::parse("superseded by ADR-0123"),
            AdrStatus::Superseded
        );
        assert_eq!(AdrStatus::parse("Superceded by [3]"), AdrStatus::Superseded);
        assert_eq!(
            AdrStatus::parse("on hold"),
            AdrStatus::Custom("on hold".into())
        );
        assert_eq!(AdrStatus::parse("\"proposed\""), AdrStatus::Proposed);
    }

    #[test]
    fn lifecycle_refuses_skipping_steps() {
        use AdrStatus::*;
        assert!(Proposed.check_transition(&Accepted, 1).is_ok());
        assert!(Accepted.check_transition(&Deprecated, 1).is_ok());
        let err = Accepted.check_transition(&Proposed, 7).unwrap_err();
        assert!(err.to_string().contains("ADR 7"), "{err}");
        assert!(Proposed.check_transition(&Superseded, 1).is_err());
        assert!(Superseded.check_transition(&Accepted, 1).is_err());
        assert!(Proposed.check_transition(&Deprecated, 1).is_err());
        assert!(Custom("on hold".into())
            .check_transition(&Accepted, 1)
            .is_ok());
    }

    #[test]
    fn status_serializes_as_tagged_union() {
        let json = serde_json::to_string(&AdrStatus::Custom("on hold".into())).unwrap();
        assert_eq!(json, r#"{"kind":"custom","label":"on hold"}"#);
        let json = serde_json::to_string(&AdrStatus::Accepted).unwrap();
        assert_eq!(json, r#"{"kind":"accepted"}"#);
    }

    #[test]
    fn drafts_need_a_one_line_title() {
        let mut d = AdrDraft::default();
        assert!(d.validate().is_err());
        d.title = "Use SQLite".into();
        assert!(d.validate().is_ok());
        d.title = "two\nlines".into();
        assert!(d.validate().is_err());
    }

    #[test]
    fn link_verbs_include_adr_tools_spelling() {
        assert_eq!(
            LinkKind::parse("Superceded by"),
            Some(LinkKind::SupersededBy)
        );
        assert_eq!(LinkKind::parse("Supersedes"), Some(LinkKind::Supersedes));
        assert_eq!(LinkKind::parse("Amended by"), Some(LinkKind::AmendedBy));
        assert_eq!(LinkKind::parse("Frobnicates"), None);
    }
}
