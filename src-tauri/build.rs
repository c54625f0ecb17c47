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
    "sync_overview",
    "sync_link",
    "sync_sign_in_start",
    "sync_sign_in_finish",
    "sync_sign_out",
    "sync_publish",
    "sync_pull",
    "sync_conflicts",
    "sync_resolve",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build script");
}
