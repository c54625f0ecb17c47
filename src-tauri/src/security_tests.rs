//! The window's security settings are part of the product: these tests fail
//! when a change loosens them.

use std::path::Path;

fn read_json(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).expect("read config");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn csp_allows_no_inline_or_evaluated_script() {
    let conf = read_json("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    let script = csp["script-src"].as_str().expect("script-src is set");
    assert!(
        !script.contains("unsafe-inline") && !script.contains("unsafe-eval"),
        "{script}"
    );
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(csp["frame-src"], "'none'");
    assert_eq!(csp["base-uri"], "'none'");
    let connect = csp["connect-src"].as_str().expect("connect-src is set");
    assert!(
        !connect.contains("http://*") && !connect.contains("https:"),
        "{connect}"
    );
    assert_eq!(conf["app"]["withGlobalTauri"], false);
}

#[test]
fn the_window_gets_only_the_permissions_it_needs() {
    let cap = read_json("capabilities/main.json");
    let commands_rs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands.rs"))
            .expect("read commands.rs");
    let allowed_plugins = [
        "core:event:default",
        "core:window:allow-destroy",
        "dialog:allow-open",
        "dialog:allow-save",
    ];
    for p in cap["permissions"].as_array().expect("permissions") {
        let p = p.as_str().expect("permission identifiers are strings");
        if let Some(cmd) = p.strip_prefix("allow-") {
            let name = cmd.replace('-', "_");
            assert!(
                commands_rs.contains(&format!("fn {name}(")),
                "{p} grants a command that does not exist"
            );
        } else {
            assert!(allowed_plugins.contains(&p), "unexpected permission {p}");
        }
    }
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
}
