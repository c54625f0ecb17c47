//! IPC commands: thin, typed (tauri-specta), each a single workbench call.

use plasma_exports::adr_markdown::Template;
use plasma_models::compliance::{CoverageReport, EvidenceFinding, Framework, Gap};
use plasma_models::{Adr, AdrDraft, Workspace};
use plasma_storage::{RevisionSummary, SearchHit};
use plasma_workbench::compliance::ControlView;
use plasma_workbench::{
    AdrFilter, AdrSummary, AppError, AppInfo, CellUpdate, ComplianceFormat, EvidencePackReport,
    ExportReport, FrameworkSummary, ImportReport, StoredCell, Workbench,
};
use tauri::State;
use uuid::Uuid;

type Wb<'a> = State<'a, Workbench>;
type Res<T> = Result<T, AppError>;

pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().commands(tauri_specta::collect_commands![
        app_info,
        list_workspaces,
        current_workspace,
        switch_workspace,
        create_workspace,
        list_adrs,
        get_adr,
        create_adr,
        save_adr,
        supersede_adr,
        adr_revisions,
        adr_revision,
        restore_adr_revision,
        render_markdown,
        decision_graph_svg,
        search,
        import_adrs,
        export_adrs,
        compliance_frameworks,
        compliance_framework,
        set_compliance_scope,
        compliance_cells,
        update_compliance_cells,
        compliance_coverage,
        compliance_gaps,
        compliance_evidence_findings,
        compliance_control,
        export_compliance,
        compliance_evidence_pack,
    ])
}

#[tauri::command]
#[specta::specta]
pub fn app_info(wb: Wb<'_>) -> AppInfo {
    wb.info()
}

#[tauri::command]
#[specta::specta]
pub async fn list_workspaces(wb: Wb<'_>) -> Res<Vec<Workspace>> {
    wb.list_workspaces().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn current_workspace(wb: Wb<'_>) -> Res<Workspace> {
    wb.current_workspace().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn switch_workspace(wb: Wb<'_>, id: Uuid) -> Res<Workspace> {
    wb.switch_workspace(id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn create_workspace(
    wb: Wb<'_>,
    name: String,
    repositories: Vec<String>,
) -> Res<Workspace> {
    wb.create_workspace(&name, &repositories)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn list_adrs(wb: Wb<'_>, filter: AdrFilter) -> Res<Vec<AdrSummary>> {
    wb.list_adrs(&filter).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn get_adr(wb: Wb<'_>, id: Uuid) -> Res<Adr> {
    wb.get_adr(id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn create_adr(wb: Wb<'_>, title: String, template: Template) -> Res<Adr> {
    wb.create_adr(&title, template).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn save_adr(wb: Wb<'_>, id: Uuid, expected_revision: u32, draft: AdrDraft) -> Res<Adr> {
    wb.save_adr(id, expected_revision, draft)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn supersede_adr(wb: Wb<'_>, old_id: Uuid, new_id: Uuid) -> Res<Vec<Adr>> {
    wb.supersede(old_id, new_id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn adr_revisions(wb: Wb<'_>, id: Uuid) -> Res<Vec<RevisionSummary>> {
    wb.revisions(id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn adr_revision(wb: Wb<'_>, id: Uuid, revision: u32) -> Res<Adr> {
    wb.revision(id, revision).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn restore_adr_revision(
    wb: Wb<'_>,
    id: Uuid,
    revision: u32,
    expected_revision: u32,
) -> Res<Adr> {
    wb.restore_revision(id, revision, expected_revision)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub fn render_markdown(wb: Wb<'_>, markdown: String) -> String {
    wb.render_markdown(&markdown)
}

#[tauri::command]
#[specta::specta]
pub async fn decision_graph_svg(wb: Wb<'_>, dark: bool) -> Res<String> {
    wb.decision_graph_svg(dark).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn search(wb: Wb<'_>, query: String) -> Res<Vec<SearchHit>> {
    wb.search(&query).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn import_adrs(wb: Wb<'_>, dir: String) -> Res<ImportReport> {
    wb.import_adrs(dir.as_ref()).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn export_adrs(wb: Wb<'_>, dir: String) -> Res<ExportReport> {
    wb.export_adrs(dir.as_ref()).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_frameworks(wb: Wb<'_>) -> Res<Vec<FrameworkSummary>> {
    wb.compliance_frameworks().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_framework(wb: Wb<'_>, id: String) -> Res<Framework> {
    wb.compliance_framework(&id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn set_compliance_scope(
    wb: Wb<'_>,
    enable: Vec<String>,
    disable: Vec<String>,
) -> Res<Vec<String>> {
    wb.set_compliance_scope(&enable, &disable)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_cells(wb: Wb<'_>) -> Res<Vec<StoredCell>> {
    wb.compliance_cells().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn update_compliance_cells(wb: Wb<'_>, update: CellUpdate) -> Res<Vec<StoredCell>> {
    wb.update_cells(&update).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_coverage(wb: Wb<'_>, framework: Option<String>) -> Res<CoverageReport> {
    wb.compliance_coverage(framework.as_deref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_gaps(wb: Wb<'_>, framework: Option<String>) -> Res<Vec<Gap>> {
    wb.compliance_gaps(framework.as_deref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_evidence_findings(wb: Wb<'_>) -> Res<Vec<EvidenceFinding>> {
    wb.compliance_evidence_findings(None)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_control(wb: Wb<'_>, control: String) -> Res<ControlView> {
    wb.compliance_control(&control).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn export_compliance(
    wb: Wb<'_>,
    framework: Option<String>,
    format: ComplianceFormat,
    path: String,
) -> Res<String> {
    wb.export_compliance(framework.as_deref(), format, path.as_ref())
        .await
        .map(|p| p.display().to_string())
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_evidence_pack(
    wb: Wb<'_>,
    framework: Option<String>,
    dir: String,
) -> Res<EvidencePackReport> {
    wb.compliance_evidence_pack(framework.as_deref(), dir.as_ref())
        .await
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    /// The committed bindings must be what the commands generate today.
    #[test]
    fn bindings_are_fresh() {
        let dir = tempfile_dir();
        let fresh = dir.join("bindings.ts");
        super::specta_builder()
            .export(typescript(), &fresh)
            .expect("export bindings");
        let committed_path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        let fresh = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        if std::env::var_os("PLASMA_UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed_path, &fresh).expect("write bindings");
            return;
        }
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run `PLASMA_UPDATE_BINDINGS=1 cargo test -p plasma-desktop bindings` and commit it"
        );
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("plasma-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    /// The TypeScript exporter settings.
    fn typescript() -> specta_typescript::Typescript {
        specta_typescript::Typescript::default()
            .header("// This file is generated by tauri-specta from src-tauri/src/commands.rs. Do not edit.\n// @ts-nocheck")
    }
}
