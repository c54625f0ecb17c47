// Listing the app's commands makes each one a permission of its own, so a
// window can call only what its capability grants (least privilege).
const COMMANDS: &[&str] = &[
    "app_info",
    "list_workspaces",
    "current_workspace",
    "switch_workspace",
    "create_workspace",
    "list_adrs",
    "get_adr",
    "create_adr",
    "save_adr",
    "supersede_adr",
    "adr_revisions",
    "adr_revision",
    "restore_adr_revision",
    "render_markdown",
    "decision_graph_svg",
    "search",
    "import_adrs",
    "export_adrs",
    "list_threat_models",
    "create_threat_model",
    "rename_threat_model",
    "delete_threat_model",
    "get_threat_model",
    "save_threat_model",
    "generate_threats",
    "update_threat",
    "add_threat",
    "threat_report",
    "import_threat_model",
    "start_threat_session",
    "threat_session",
    "list_threat_sessions",
    "session_next",
    "session_rule",
    "session_note",
    "session_add_threat",
    "session_pause",
    "session_resume",
    "session_end",
    "session_minutes",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build script");
}
