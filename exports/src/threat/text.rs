//! Small shared pieces: category names, escaping, number formatting.

use chrono::NaiveDate;
use plasma_models::threat::{Rating, Severity, Stride, Threat, ThreatModel, ThreatStatus};

/// `expires` of a risk accepted in a tool that records no expiry.
pub(crate) fn no_expiry() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

pub(crate) fn is_no_expiry(d: NaiveDate) -> bool {
    d == no_expiry()
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A threat category name from STRIDE, LINDDUN, CIA or DIE as STRIDE, and
/// whether the name was a STRIDE name (so nothing is lost).
///
/// LINDDUN: linkability, identifiability, detectability, (data) disclosure
/// and unawareness are information disclosure; non-repudiation and
/// non-compliance are repudiation. CIA: confidentiality is information
/// disclosure, integrity tampering, availability denial of service. DIE:
/// distributed is denial of service, immutable tampering, ephemeral
/// elevation of privilege. Anything else is information disclosure.
pub(crate) fn category_from_name(name: &str) -> (Stride, bool) {
    let s = squash(name);
    let stride = match s.as_str() {
        "spoofing" | "s" => Some(Stride::Spoofing),
        "tampering" | "t" => Some(Stride::Tampering),
        "repudiation" | "r" => Some(Stride::Repudiation),
        "informationdisclosure" | "i" => Some(Stride::InformationDisclosure),
        "denialofservice" | "d" | "dos" => Some(Stride::DenialOfService),
        "elevationofprivilege" | "elevationofprivileges" | "e" | "eop" => {
            Some(Stride::ElevationOfPrivilege)
        }
        _ => None,
    };
    if let Some(c) = stride {
        return (c, true);
    }
    // Threat Dragon saves the type in the user's language (its `i18n`
    // STRIDE labels), so a French model's "Usurpation d'identité" is spoofing.
    if let Some(c) = localized_stride(&s) {
        return (c, false);
    }
    let mapped = match s.as_str() {
        "linkability"
        | "identifiability"
        | "detectability"
        | "disclosureofinformation"
        | "datadisclosure"
        | "disclosure"
        | "unawareness"
        | "unintervenability"
        | "unawarenessandunintervenability"
        | "confidentiality" => Stride::InformationDisclosure,
        "nonrepudiation" | "noncompliance" => Stride::Repudiation,
        "integrity" | "immutable" => Stride::Tampering,
        "availability" | "distributed" => Stride::DenialOfService,
        "ephemeral" => Stride::ElevationOfPrivilege,
        _ if s.contains("spoof") => Stride::Spoofing,
        _ if s.contains("tamper") => Stride::Tampering,
        _ if s.contains("denial") => Stride::DenialOfService,
        _ if s.contains("privilege") => Stride::ElevationOfPrivilege,
        _ if s.contains("repudiat") => Stride::Repudiation,
        _ => Stride::InformationDisclosure,
    };
    (mapped, false)
}

/// Threat Dragon's STRIDE labels in the languages it ships whose label does
/// not say the English name (squashed, see [`squash`]).
fn localized_stride(s: &str) -> Option<Stride> {
    Some(match s {
        // French, Portuguese, German, Japanese, Thai.
        "usurpationdidentité" | "falsificação" | "なりすまし" | "การปลอมแปลง" => {
            Stride::Spoofing
        }
        "falsification" | "adulteração" | "manipulation" | "改竄" | "การแก้ไขข้อมูล" => {
            Stride::Tampering
        }
        "répudiation" | "repúdio" | "nichtanerkennung" | "否認" | "การปฏิเสธ" => {
            Stride::Repudiation
        }
        "divulgationdinformation"
        | "divulgaçãodeinformações"
        | "veröffentlichungvoninformationen"
        | "情報漏洩"
        | "การเปิดเผยข้อมูล" => Stride::InformationDisclosure,
        "dénideservice" | "negaçãodeserviço" | "サービス拒否" | "การปฏิเสธการให้บริการ" => {
            Stride::DenialOfService
        }
        "élévationdeprivilège"
        | "élévationdeprivilèges"
        | "elevaçãodeprivilégio"
        | "erhöhungvonrechten"
        | "特権の昇格"
        | "การยกระดับสิทธิ์" => Stride::ElevationOfPrivilege,
        _ => return None,
    })
}

/// The STRIDE category a tag names, as authors tag threats when their tool
/// has no category field or they leave it empty: `STRIDE-S`, `STRIDE:T`,
/// `stride_information_disclosure` (the prefix and a letter or a name), or a
/// category's full name alone (`Tampering`, `Denial of Service`). A bare
/// letter is not a category (`I` or `D` mean other things as tags).
pub(crate) fn category_from_tag(tag: &str) -> Option<Stride> {
    let s = squash(tag);
    let (rest, prefixed) = match s.strip_prefix("stride") {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (s.as_str(), false),
    };
    if !prefixed && rest.len() <= 3 {
        return None;
    }
    match category_from_name(rest) {
        (category, true) => Some(category),
        _ => None,
    }
}

/// The STRIDE category a threat's title names, for files that leave the
/// category empty and mark it in the title instead: a leading `[S]`, `(T)`
/// or `[Spoofing]`, else the one category whose full name the title
/// contains ("UI Spoofing - Session Hijack"). `None` when the title names
/// none, or several.
pub(crate) fn category_from_title(title: &str) -> Option<Stride> {
    let t = title.trim_start();
    let marked = ['[', '(']
        .iter()
        .zip([']', ')'])
        .find_map(|(open, close)| t.strip_prefix(*open)?.split_once(close));
    if let Some((marker, _)) = marked {
        if let (category, true) = category_from_name(marker) {
            return Some(category);
        }
    }
    let s = squash(title);
    let mut named = [
        ("spoofing", Stride::Spoofing),
        ("tampering", Stride::Tampering),
        ("repudiation", Stride::Repudiation),
        ("informationdisclosure", Stride::InformationDisclosure),
        ("denialofservice", Stride::DenialOfService),
        ("elevationofprivilege", Stride::ElevationOfPrivilege),
    ]
    .into_iter()
    .filter(|(name, _)| s.contains(name))
    .map(|(_, category)| category);
    match (named.next(), named.next()) {
        (Some(category), None) => Some(category),
        _ => None,
    }
}

/// A 0-100 score (OTM risk values) as Low / Medium / High.
pub(crate) fn rating_from_percent(v: f64) -> Rating {
    if v >= 67.0 {
        Rating::High
    } else if v >= 34.0 {
        Rating::Medium
    } else {
        Rating::Low
    }
}

pub(crate) fn status_label(status: &ThreatStatus) -> &'static str {
    match status {
        ThreatStatus::Open => "open",
        ThreatStatus::Mitigated => "mitigated",
        ThreatStatus::Accepted { .. } => "accepted",
        ThreatStatus::Transferred => "transferred",
        ThreatStatus::NotApplicable => "not applicable",
    }
}

/// Counted as open in badges and summaries: open and not obsolete.
pub(crate) fn is_open(t: &Threat) -> bool {
    !t.obsolete && t.status == ThreatStatus::Open
}

pub(crate) fn severity_title(s: Severity) -> &'static str {
    match s {
        Severity::Note => "Note",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// Escapes text for XML content and attribute values, dropping characters
/// XML 1.0 does not allow.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal, `-0` as `0`, non-finite as `0`.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".into();
    }
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Ids of threats per target, counting open ones (not obsolete).
pub(crate) fn open_counts(model: &ThreatModel) -> std::collections::HashMap<uuid::Uuid, usize> {
    let mut map = std::collections::HashMap::new();
    for t in model.threats.iter().filter(|t| is_open(t)) {
        *map.entry(t.target.id()).or_insert(0) += 1;
    }
    map
}

/// The first line of `s`, trimmed, for labels.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
