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
    "compliance_frameworks",
    "compliance_framework",
    "set_compliance_scope",
    "compliance_cells",
    "update_compliance_cells",
    "compliance_coverage",
    "compliance_gaps",
    "compliance_evidence_findings",
    "compliance_control",
    "export_compliance",
    "compliance_evidence_pack",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build script");
}
