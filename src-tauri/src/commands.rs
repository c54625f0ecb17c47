//! IPC commands: thin, typed (tauri-specta), each a single workbench call.

use plasma_exports::adr_markdown::Template;
use plasma_models::{Adr, AdrDraft, Workspace};
use plasma_storage::{RevisionSummary, SearchHit};
use plasma_workbench::{
    AdrFilter, AdrSummary, AppError, AppInfo, ConflictView, ExportReport, ImportReport,
    PublishReport, PublishTarget, PullReport, ResolveSide, SignInPrompt, SyncAccount, SyncAuth,
    SyncOverview, Workbench,
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
        sync_overview,
        sync_link,
        sync_sign_in_start,
        sync_sign_in_finish,
        sync_sign_out,
        sync_publish,
        sync_pull,
        sync_conflicts,
        sync_resolve,
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
pub async fn sync_overview(wb: Wb<'_>) -> Res<SyncOverview> {
    wb.sync_overview().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_link(
    wb: Wb<'_>,
    repo: String,
    base: Option<String>,
    api_url: Option<String>,
) -> Res<SyncOverview> {
    wb.sync_connect(&repo, base.as_deref(), api_url.as_deref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_sign_in_start(wb: Wb<'_>) -> Res<SignInPrompt> {
    wb.sync_sign_in_start().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_sign_in_finish(wb: Wb<'_>) -> Res<SyncAccount> {
    wb.sync_sign_in_finish().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_sign_out(wb: Wb<'_>) -> Res<SyncOverview> {
    wb.sync_sign_out().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_publish(wb: Wb<'_>, target: PublishTarget) -> Res<PublishReport> {
    wb.sync_publish(target, None, &SyncAuth::default())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_pull(wb: Wb<'_>) -> Res<PullReport> {
    wb.sync_pull(None, &SyncAuth::default())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_conflicts(wb: Wb<'_>) -> Res<Vec<ConflictView>> {
    wb.sync_conflicts().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_resolve(wb: Wb<'_>, key: String, side: ResolveSide) -> Res<ConflictView> {
    wb.sync_resolve(&key, side).await.map_err(Into::into)
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
