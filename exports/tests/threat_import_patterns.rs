//! Patterns found in real threat models from other tools (each fixture is
//! written here, small, reproducing what the real file did).

use plasma_exports::threat::threat_composer;
use plasma_models::threat::Stride;
use serde_json::json;
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x5eed_0005_0000_4000_8000_0000_0000_0001);

/// Threat Composer threats classified only by tags (`STRIDE-S`, a category
/// name) take the category from the tag; without such a tag the impacted
/// goal, then information disclosure, as before.
#[test]
fn threat_composer_stride_tags_set_the_category() {
    let threat = |id: &str, tags: serde_json::Value, goals: serde_json::Value| {
        json!({
            "id": id, "numericId": 1, "threatSource": "An attacker",
            "threatAction": format!("do {id}"), "impactedGoal": goals, "impactedAssets": [],
            "status": "threatIdentified", "tags": tags, "metadata": []
        })
    };
    let doc = json!({
        "schema": 1,
        "applicationInfo": {"name": "Bot", "description": ""},
        "architecture": {"description": ""}, "dataflow": {"description": ""},
        "assumptions": [], "mitigations": [], "assumptionLinks": [], "mitigationLinks": [],
        "threats": [
            threat("a", json!(["STRIDE-S", "API"]), json!([])),
            threat("b", json!(["Memory", "stride:t"]), json!(["availability"])),
            threat("c", json!(["Denial of Service"]), json!([])),
            threat("d", json!(["STRIDE_Elevation of Privilege"]), json!([])),
            threat("e", json!(["D", "STRIDE"]), json!(["availability"])),
            threat("f", json!(["I"]), json!([])),
        ]
    });
    let model = threat_composer::import(&doc.to_string(), WS).expect("imports");
    let by = |action: &str| {
        model
            .threats
            .iter()
            .find(|t| t.title.contains(&format!("do {action}")))
            .unwrap_or_else(|| panic!("threat {action}"))
    };
    assert_eq!(by("a").category, Stride::Spoofing);
    assert!(
        by("a").notes.contains("spoofing from the tag \"STRIDE-S\""),
        "{}",
        by("a").notes
    );
    assert!(
        by("a").notes.contains("Tags: STRIDE-S, API"),
        "{}",
        by("a").notes
    );
    assert_eq!(
        by("b").category,
        Stride::Tampering,
        "a tag goes before the goal"
    );
    assert_eq!(by("c").category, Stride::DenialOfService);
    assert_eq!(by("d").category, Stride::ElevationOfPrivilege);
    // A bare letter or the word STRIDE alone names no category.
    assert_eq!(by("e").category, Stride::DenialOfService);
    assert!(
        by("e").notes.contains("from the impacted goal"),
        "{}",
        by("e").notes
    );
    assert_eq!(by("f").category, Stride::InformationDisclosure);
    assert!(by("f").notes.contains("by default"), "{}", by("f").notes);
}
