//! IPC commands: thin, typed (tauri-specta), each a single workbench call.

use plasma_exports::adr_markdown::Template;
use plasma_models::compliance::{CoverageReport, EvidenceFinding, Framework, Gap};
use plasma_models::roadmap::Initiative;
use plasma_models::slo::{ErrorBudget, Slo};
use plasma_models::threat::{Diagram, ThreatModel};
use plasma_models::{Adr, AdrDraft, Workspace};
use plasma_storage::{RevisionSummary, SearchHit};
use plasma_workbench::compliance::ControlView;
use plasma_workbench::compliance_assessment::AssessmentImportReport;
use plasma_workbench::{
    AdrFilter, AdrSummary, AppError, AppInfo, CatalogImportReport, CellUpdate, ComplianceFormat,
    ConflictView, EvidencePackReport, ExportReport, FrameworkSummary, GenerateReport, ImportReport,
    ItemChoice, NewSlo, NewThreat, PublishReport, PublishTarget, PullReport, ResolveSide,
    RoadmapExport, RoadmapFormat, RoadmapOverview, Ruling, SearchResults, SessionView,
    SignInPrompt, SloExportReport, SloFolderImportReport, SloFormat, SloImportReport, SloRow,
    StoredCell, StoredDoraTargets, StoredInitiative, StoredThreatModel, SyncAccount, SyncAuth,
    SyncOverview, SyncProgress, ThreatControlEdit, ThreatControlLink, ThreatEdit,
    ThreatExportFormat, ThreatImportReport, ThreatModelSummary, ThreatReportFiles, Workbench,
    WorkspaceEdit,
};
use tauri::ipc::Channel;
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
        update_workspace,
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
        search_everything,
        import_adrs,
        export_adrs,
        roadmap_overview,
        create_initiative,
        save_initiative,
        add_dependency,
        remove_dependency,
        remove_initiative,
        initiative_history,
        list_slos,
        create_slo,
        save_slo,
        remove_slo,
        slo_history,
        import_slo_file,
        import_slo_folder,
        export_slos,
        slo_budget,
        dora_targets,
        export_roadmap,
        list_threat_models,
        create_threat_model,
        rename_threat_model,
        delete_threat_model,
        get_threat_model,
        save_threat_model,
        save_threat_diagrams,
        generate_threats,
        update_threat,
        add_threat,
        threat_report,
        import_threat_model,
        export_threat_model,
        start_threat_session,
        threat_session,
        list_threat_sessions,
        session_next,
        session_rule,
        session_note,
        session_add_threat,
        session_pause,
        session_resume,
        session_end,
        session_minutes,
        sync_overview,
        sync_link,
        sync_unlink,
        sync_sign_in_start,
        sync_sign_in_finish,
        sync_sign_out,
        sync_publish,
        sync_pull,
        sync_cancel,
        sync_conflicts,
        sync_resolve,
        sync_resolve_items,
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
        import_compliance_catalog,
        import_compliance_assessment,
        threat_control_links,
        link_threat_control,
        unlink_threat_control,
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
pub async fn update_workspace(
    wb: Wb<'_>,
    workspace: String,
    edit: WorkspaceEdit,
) -> Res<Workspace> {
    wb.update_workspace(&workspace, &edit)
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
pub async fn search_everything(wb: Wb<'_>, query: String) -> Res<SearchResults> {
    wb.search_everything(&query).await.map_err(Into::into)
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
pub async fn roadmap_overview(wb: Wb<'_>) -> Res<RoadmapOverview> {
    wb.roadmap_overview().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn create_initiative(
    wb: Wb<'_>,
    key: Option<String>,
    title: String,
) -> Res<StoredInitiative> {
    wb.create_initiative(key.as_deref(), &title)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn save_initiative(
    wb: Wb<'_>,
    expected_revision: u32,
    initiative: Initiative,
) -> Res<StoredInitiative> {
    wb.save_initiative(expected_revision, &initiative)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn add_dependency(wb: Wb<'_>, key: String, on: String) -> Res<StoredInitiative> {
    wb.add_dependency(&key, &on).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_dependency(wb: Wb<'_>, key: String, on: String) -> Res<StoredInitiative> {
    wb.remove_dependency(&key, &on).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_initiative(wb: Wb<'_>, key: String) -> Res<()> {
    wb.remove_initiative(&key).await.map_err(Into::into)
}

/// An initiative's revisions, newest first.
#[tauri::command]
#[specta::specta]
pub async fn initiative_history(wb: Wb<'_>, key: String) -> Res<Vec<RevisionSummary>> {
    wb.initiative_history(&key).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn list_slos(wb: Wb<'_>) -> Res<Vec<SloRow>> {
    wb.list_slos().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn save_slo(wb: Wb<'_>, expected_revision: u32, slo: Slo) -> Res<SloRow> {
    wb.save_slo(expected_revision, &slo)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn create_slo(wb: Wb<'_>, slo: NewSlo) -> Res<SloRow> {
    wb.create_slo(slo).await.map_err(Into::into)
}

/// `handle` is `service/name`.
#[tauri::command]
#[specta::specta]
pub async fn remove_slo(wb: Wb<'_>, handle: String) -> Res<()> {
    wb.remove_slo(&handle).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn slo_history(wb: Wb<'_>, handle: String) -> Res<Vec<RevisionSummary>> {
    wb.slo_history(&handle).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn import_slo_file(wb: Wb<'_>, file: String) -> Res<SloImportReport> {
    wb.import_slo_file(file.as_ref()).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn import_slo_folder(wb: Wb<'_>, dir: String) -> Res<SloFolderImportReport> {
    wb.import_slo_folder(dir.as_ref()).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn export_slos(wb: Wb<'_>, format: SloFormat, dir: String) -> Res<SloExportReport> {
    wb.export_slos(format, dir.as_ref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub fn slo_budget(
    wb: Wb<'_>,
    objective: f64,
    window: String,
    expected_events: Option<f64>,
) -> Res<ErrorBudget> {
    wb.slo_budget_f64(objective, &window, expected_events)
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn dora_targets(wb: Wb<'_>) -> Res<StoredDoraTargets> {
    wb.dora_targets().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn export_roadmap(wb: Wb<'_>, format: RoadmapFormat, out: String) -> Res<RoadmapExport> {
    wb.export_roadmap(format, out.as_ref(), None)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn list_threat_models(wb: Wb<'_>) -> Res<Vec<ThreatModelSummary>> {
    wb.list_threat_models().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn create_threat_model(wb: Wb<'_>, name: String) -> Res<StoredThreatModel> {
    wb.create_threat_model(&name).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn rename_threat_model(
    wb: Wb<'_>,
    id: Uuid,
    expected_revision: u32,
    name: String,
) -> Res<StoredThreatModel> {
    wb.rename_threat_model(id, expected_revision, &name)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_threat_model(wb: Wb<'_>, id: Uuid) -> Res<()> {
    wb.delete_threat_model(id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn get_threat_model(wb: Wb<'_>, id: Uuid) -> Res<StoredThreatModel> {
    wb.get_threat_model(&id.to_string())
        .await
        .map_err(Into::into)
}

/// Autosave of diagram edits: only the diagrams cross IPC; the new revision comes back.
#[tauri::command]
#[specta::specta]
pub async fn save_threat_diagrams(
    wb: Wb<'_>,
    id: Uuid,
    expected_revision: u32,
    diagrams: Vec<Diagram>,
) -> Res<u32> {
    wb.save_threat_diagrams(id, expected_revision, diagrams)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn save_threat_model(
    wb: Wb<'_>,
    id: Uuid,
    expected_revision: u32,
    model: ThreatModel,
) -> Res<StoredThreatModel> {
    wb.save_threat_model(id, expected_revision, &model)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn generate_threats(wb: Wb<'_>, id: Uuid) -> Res<GenerateReport> {
    wb.generate_threats(&id.to_string())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn update_threat(
    wb: Wb<'_>,
    model_id: Uuid,
    expected_revision: u32,
    threat_id: Uuid,
    edit: ThreatEdit,
) -> Res<StoredThreatModel> {
    wb.update_threat(model_id, expected_revision, threat_id, edit)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn add_threat(
    wb: Wb<'_>,
    model_id: Uuid,
    expected_revision: u32,
    threat: NewThreat,
) -> Res<StoredThreatModel> {
    wb.add_threat(model_id, expected_revision, threat)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn threat_report(wb: Wb<'_>, id: Uuid, dir: String) -> Res<ThreatReportFiles> {
    wb.threat_report(&id.to_string(), dir.as_ref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn export_threat_model(
    wb: Wb<'_>,
    id: Uuid,
    file: String,
    format: ThreatExportFormat,
) -> Res<String> {
    wb.export_threat_model(&id.to_string(), file.as_ref(), format)
        .await
        .map(|p| p.display().to_string())
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn import_threat_model(wb: Wb<'_>, file: String) -> Res<ThreatImportReport> {
    wb.import_threat_model(file.as_ref(), None)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn start_threat_session(
    wb: Wb<'_>,
    model_id: Uuid,
    participants: Vec<String>,
    scope: Vec<Uuid>,
) -> Res<SessionView> {
    wb.start_threat_session(&model_id.to_string(), participants, scope)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn threat_session(wb: Wb<'_>, id: Uuid) -> Res<SessionView> {
    wb.threat_session(id).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn list_threat_sessions(wb: Wb<'_>, model_id: Uuid) -> Res<Vec<SessionView>> {
    wb.list_threat_sessions(&model_id.to_string())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_next(wb: Wb<'_>, id: Uuid, expected_version: u32) -> Res<SessionView> {
    wb.session_next(id, expected_version)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_rule(
    wb: Wb<'_>,
    id: Uuid,
    expected_version: u32,
    threat_id: Uuid,
    ruling: Ruling,
) -> Res<SessionView> {
    wb.session_rule(id, expected_version, threat_id, ruling)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_note(
    wb: Wb<'_>,
    id: Uuid,
    expected_version: u32,
    text: String,
) -> Res<SessionView> {
    wb.session_note(id, expected_version, text)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_add_threat(
    wb: Wb<'_>,
    id: Uuid,
    expected_version: u32,
    threat: NewThreat,
) -> Res<SessionView> {
    wb.session_add_threat(id, expected_version, threat)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_pause(wb: Wb<'_>, id: Uuid, expected_version: u32) -> Res<SessionView> {
    wb.session_pause(id, expected_version)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_resume(wb: Wb<'_>, id: Uuid, expected_version: u32) -> Res<SessionView> {
    wb.session_resume(id, expected_version)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_end(wb: Wb<'_>, id: Uuid, expected_version: u32) -> Res<SessionView> {
    wb.session_end(id, expected_version)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn session_minutes(wb: Wb<'_>, id: Uuid) -> Res<String> {
    wb.session_minutes(id).await.map_err(Into::into)
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
pub async fn sync_unlink(wb: Wb<'_>, repo: String) -> Res<SyncOverview> {
    wb.sync_disconnect(&repo).await.map_err(Into::into)
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
pub async fn sync_publish(
    wb: Wb<'_>,
    target: PublishTarget,
    progress: Channel<SyncProgress>,
) -> Res<PublishReport> {
    wb.sync_publish_reporting(target, &SyncAuth::from_env(), move |p| {
        let _ = progress.send(p);
    })
    .await
    .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_pull(wb: Wb<'_>, progress: Channel<SyncProgress>) -> Res<PullReport> {
    wb.sync_pull_reporting(&SyncAuth::from_env(), move |p| {
        let _ = progress.send(p);
    })
    .await
    .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub fn sync_cancel(wb: Wb<'_>) -> bool {
    wb.sync_cancel()
}

#[tauri::command]
#[specta::specta]
pub async fn sync_conflicts(wb: Wb<'_>) -> Res<Vec<ConflictView>> {
    wb.sync_conflicts().await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_resolve(
    wb: Wb<'_>,
    key: String,
    side: ResolveSide,
    version: u32,
) -> Res<ConflictView> {
    wb.sync_resolve(&key, side, Some(version))
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_resolve_items(
    wb: Wb<'_>,
    key: String,
    choices: Vec<ItemChoice>,
    version: u32,
) -> Res<ConflictView> {
    wb.sync_resolve_items(&key, choices, Some(version))
        .await
        .map_err(Into::into)
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

#[tauri::command]
#[specta::specta]
pub async fn import_compliance_catalog(
    wb: Wb<'_>,
    file: String,
    id: Option<String>,
) -> Res<CatalogImportReport> {
    wb.import_compliance_catalog(file.as_ref(), id.as_deref())
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn import_compliance_assessment(
    wb: Wb<'_>,
    file: String,
    framework: Option<String>,
) -> Res<AssessmentImportReport> {
    wb.import_compliance_assessment(file.as_ref(), framework.as_deref())
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

#[tauri::command]
#[specta::specta]
pub async fn threat_control_links(
    wb: Wb<'_>,
    model: String,
    threat: String,
) -> Res<Vec<ThreatControlLink>> {
    wb.threat_control_links(&model, &threat)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn link_threat_control(
    wb: Wb<'_>,
    edit: ThreatControlEdit,
) -> Res<Vec<ThreatControlLink>> {
    wb.link_threat_control(&edit).await.map_err(Into::into)
}

#[tauri::command]
#[specta::specta]
pub async fn unlink_threat_control(
    wb: Wb<'_>,
    edit: ThreatControlEdit,
) -> Res<Vec<ThreatControlLink>> {
    wb.unlink_threat_control(&edit).await.map_err(Into::into)
}
