// The one module that talks to Tauri. Everything else imports from "./api".
// Commands come from the tauri-specta bindings; here their Result values are
// unwrapped so callers can `await` and catch an ApiError.
import { Channel } from "@tauri-apps/api/core";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { commands } from "./bindings";
import type {
  ThreatExportFormat,
  Adr_Serialize,
  AdrDraft_Serialize,
  AdrFilter_Serialize,
  AdrSummary_Serialize,
  AppError,
  CellUpdate_Deserialize,
  ThreatControlLink_Serialize,
  ThreatControlEdit,
  Cell_Serialize,
  ComplianceFormat,
  ControlView_Serialize,
  CoverageReport_Serialize,
  Coverage_Serialize,
  ErrorCode,
  EvidenceFinding_Serialize,
  EvidenceInput_Deserialize,
  Evidence_Serialize,
  Framework_Serialize,
  Gap_Serialize,
  ImportNotice_Serialize,
  StoredCell_Serialize,
  ImportReport_Serialize,
  ConflictView_Serialize,
  DocumentSyncStatus_Serialize,
  PublishReport_Serialize,
  PublishTarget,
  ResolveSide,
  SyncAccount_Serialize,
  SyncOverview_Serialize,
  Template,
  Initiative_Serialize,
  InitiativeRow_Serialize,
  RoadmapOverview_Serialize,
  StoredInitiative_Serialize,
  Slo_Serialize,
  SloRow_Serialize,
  NewSlo_Serialize,
  ErrorBudget_Serialize,
  GateResult_Serialize,
  RoadmapFormat,
  SloFormat,
  Diagram_Serialize,
  Element_Serialize,
  ElementProps_Serialize,
  Flow_Serialize,
  TrustBoundary_Serialize,
  Threat_Serialize,
  ThreatModel_Serialize,
  StoredThreatModel_Serialize,
  Mitigation_Serialize,
  ThreatEdit_Serialize,
  ThreatRow_Serialize,
  ThreatSession_Serialize,
  SessionEntry_Serialize,
  SessionView_Serialize,
  DataAsset_Serialize,
  NewThreat,
  Ruling,
  SyncProgress,
  ItemChoice,
  WorkspaceEdit_Deserialize,
} from "./bindings";

// specta emits a `_Serialize` (what Rust sends) and a `_Deserialize` (what
// Rust accepts) variant where they differ; the UI works with what Rust sends,
// which Rust also accepts.
export type Adr = Adr_Serialize;
export type AdrDraft = AdrDraft_Serialize;
export type AdrFilter = AdrFilter_Serialize;
export type AdrSummary = AdrSummary_Serialize;
export type ImportNotice = ImportNotice_Serialize;
export type ImportReport = ImportReport_Serialize;
export type Initiative = Initiative_Serialize;
export type InitiativeRow = InitiativeRow_Serialize;
export type RoadmapOverview = RoadmapOverview_Serialize;
export type StoredInitiative = StoredInitiative_Serialize;
export type Slo = Slo_Serialize;
export type SloRow = SloRow_Serialize;
export type NewSlo = NewSlo_Serialize;
export type { ThreatExportFormat } from "./bindings";
export type { SloFormat, SloImportReport, SloExportReport, ImportAction, CatalogImportReport } from "./bindings";
export type { SloFolderImportReport_Serialize as SloFolderImportReport } from "./bindings";
export type { AssessmentImportReport_Serialize as AssessmentImportReport, AssessedCell } from "./bindings";
export type ErrorBudget = ErrorBudget_Serialize;
export type { BurnRateAlert, StoredDoraTargets, DoraTarget, RoadmapExport, RoadmapFormat } from "./bindings";
export type GateResult = GateResult_Serialize;
export type Diagram = Diagram_Serialize;
export type Element = Element_Serialize;
export type ElementProps = ElementProps_Serialize;
export type Flow = Flow_Serialize;
export type TrustBoundary = TrustBoundary_Serialize;
export type Threat = Threat_Serialize;
export type ThreatModel = ThreatModel_Serialize;
export type StoredThreatModel = StoredThreatModel_Serialize;
export type Mitigation = Mitigation_Serialize;
export type ThreatEdit = ThreatEdit_Serialize;
export type ThreatRow = ThreatRow_Serialize;
export type ThreatSession = ThreatSession_Serialize;
export type SessionEntry = SessionEntry_Serialize;
export type SessionView = SessionView_Serialize;
export type DataAsset = DataAsset_Serialize;
export type { NewThreat, Ruling };
export type SyncOverview = SyncOverview_Serialize;
export type SyncAccount = SyncAccount_Serialize;
export type DocumentSyncStatus = DocumentSyncStatus_Serialize;
export type ConflictView = ConflictView_Serialize;
export type PublishReport = PublishReport_Serialize;
export type { PublishTarget, ResolveSide, PullReport, SignInPrompt, SyncProgress, ItemChoice, ItemTake } from "./bindings";
export type ConflictItem = ConflictView["items"][number];
export type Cell = Cell_Serialize;
export type CellUpdate = CellUpdate_Deserialize;
export type WorkspaceEdit = WorkspaceEdit_Deserialize;
export type ThreatControlLink = ThreatControlLink_Serialize;
export type ControlView = ControlView_Serialize;
export type Coverage = Coverage_Serialize;
export type CoverageReport = CoverageReport_Serialize;
export type Evidence = Evidence_Serialize;
export type EvidenceFinding = EvidenceFinding_Serialize;
export type EvidenceInput = EvidenceInput_Deserialize;
export type Framework = Framework_Serialize;
export type Gap = Gap_Serialize;
export type StoredCell = StoredCell_Serialize;
export type { ComplianceFormat };
type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

export type {
  AdrLink,
  AdrStatus,
  AppError,
  AppInfo,
  ConsideredOption,
  ControlRef,
  EvidenceKind,
  EvidencePackReport,
  FindingKind,
  FrameworkSummary,
  ImplementationStatus,
  Consequences,
  ErrorCode,
  ExportReport,
  LinkKind,
  Repository,
  RevisionSummary,
  SearchHit,
  SearchResults,
  RecordHit,
  RecordKind,
  Section,
  Template,
  Workspace,
  ElementKind,
  Privilege,
  Rating,
  Severity,
  Stride,
  ThreatStatus,
  ThreatTarget,
  MitigationStatus,
  Rect,
  SessionStep,
  SessionState,
  SessionEvent,
  ThreatModelSummary,
  ThreatControlEdit,
  ThreatReportFiles,
  ThreatImportReport,
  GenerateReport,
  ThreatCounts,
} from "./bindings";

export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

function isAppError(e: unknown): e is AppError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function unwrap<T>(p: Promise<Result<T, AppError>>): Promise<T> {
  let r: Result<T, AppError>;
  try {
    r = await p;
  } catch (e) {
    // Thrown Errors mean the IPC itself failed (e.g. running outside Tauri).
    const message = e instanceof Error ? e.message : String(e);
    throw new ApiError("internal", `The backend is not reachable: ${message}`);
  }
  if (r.status === "ok") return r.data;
  const err = r.error as unknown;
  if (isAppError(err)) throw new ApiError(err.code, err.message);
  throw new ApiError("internal", typeof err === "string" ? err : JSON.stringify(err));
}

/** Commands that cannot fail on the Rust side still cross IPC, which can. */
async function plain<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ApiError("internal", `The backend is not reachable: ${message}`);
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === "conflict";
}

export const api = {
  listWorkspaces: () => unwrap(commands.listWorkspaces()),
  currentWorkspace: () => unwrap(commands.currentWorkspace()),
  switchWorkspace: (id: string) => unwrap(commands.switchWorkspace(id)),
  createWorkspace: (name: string, repositories: string[]) =>
    unwrap(commands.createWorkspace(name, repositories)),
  /** Applies the whole edit to workspace `workspace` (name or id), or refuses it whole. */
  updateWorkspace: (workspace: string, edit: WorkspaceEdit) => unwrap(commands.updateWorkspace(workspace, edit)),
  listAdrs: (filter: AdrFilter) => unwrap(commands.listAdrs(filter)),
  getAdr: (id: string) => unwrap(commands.getAdr(id)),
  createAdr: (title: string, template: Template) => unwrap(commands.createAdr(title, template)),
  saveAdr: (id: string, expectedRevision: number, draft: AdrDraft): Promise<Adr> =>
    unwrap(commands.saveAdr(id, expectedRevision, draft)),
  supersedeAdr: (oldId: string, newId: string) => unwrap(commands.supersedeAdr(oldId, newId)),
  adrRevisions: (id: string) => unwrap(commands.adrRevisions(id)),
  adrRevision: (id: string, revision: number) => unwrap(commands.adrRevision(id, revision)),
  restoreAdrRevision: (id: string, revision: number, expectedRevision: number) =>
    unwrap(commands.restoreAdrRevision(id, revision, expectedRevision)),
  renderMarkdown: (markdown: string) => plain(commands.renderMarkdown(markdown)),
  decisionGraphSvg: (dark: boolean) => unwrap(commands.decisionGraphSvg(dark)),
  search: (query: string) => unwrap(commands.search(query)),
  searchEverything: (query: string) => unwrap(commands.searchEverything(query)),
  importAdrs: (dir: string) => unwrap(commands.importAdrs(dir)),
  exportAdrs: (dir: string) => unwrap(commands.exportAdrs(dir)),
  appInfo: () => plain(commands.appInfo()),
  roadmapOverview: () => unwrap(commands.roadmapOverview()),
  createInitiative: (key: string | null, title: string) => unwrap(commands.createInitiative(key, title)),
  saveInitiative: (expectedRevision: number, initiative: Initiative) =>
    unwrap(commands.saveInitiative(expectedRevision, initiative)),
  addDependency: (key: string, on: string) => unwrap(commands.addDependency(key, on)),
  removeDependency: (key: string, on: string) => unwrap(commands.removeDependency(key, on)),
  removeInitiative: (key: string) => unwrap(commands.removeInitiative(key)),
  listSlos: () => unwrap(commands.listSlos()),
  saveSlo: (expectedRevision: number, slo: Slo) => unwrap(commands.saveSlo(expectedRevision, slo)),
  createSlo: (slo: NewSlo) => unwrap(commands.createSlo(slo)),
  /** `handle` is `service/name`. */
  removeSlo: (handle: string) => unwrap(commands.removeSlo(handle)),
  sloHistory: (handle: string) => unwrap(commands.sloHistory(handle)),
  initiativeHistory: (key: string) => unwrap(commands.initiativeHistory(key)),
  importSloFile: (file: string) => unwrap(commands.importSloFile(file)),
  importSloFolder: (dir: string) => unwrap(commands.importSloFolder(dir)),
  exportSlos: (format: SloFormat, dir: string) => unwrap(commands.exportSlos(format, dir)),
  sloBudget: (objective: number, window: string, expectedEvents: number | null) =>
    unwrap(commands.sloBudget(objective, window, expectedEvents)),
  doraTargets: () => unwrap(commands.doraTargets()),
  exportRoadmap: (format: RoadmapFormat, out: string) => unwrap(commands.exportRoadmap(format, out)),
  // ---- threat models
  listThreatModels: () => unwrap(commands.listThreatModels()),
  createThreatModel: (name: string) => unwrap(commands.createThreatModel(name)),
  renameThreatModel: (id: string, expectedRevision: number, name: string) =>
    unwrap(commands.renameThreatModel(id, expectedRevision, name)),
  deleteThreatModel: (id: string) => unwrap(commands.deleteThreatModel(id)),
  getThreatModel: (id: string): Promise<StoredThreatModel> => unwrap(commands.getThreatModel(id)),
  saveThreatModel: (id: string, expectedRevision: number, model: ThreatModel): Promise<StoredThreatModel> =>
    unwrap(commands.saveThreatModel(id, expectedRevision, model)),
  /** Autosave of diagram edits: sends only the diagrams, returns the new revision. */
  saveThreatDiagrams: (id: string, expectedRevision: number, diagrams: Diagram[]): Promise<number> =>
    unwrap(commands.saveThreatDiagrams(id, expectedRevision, diagrams)),
  generateThreats: (id: string) => unwrap(commands.generateThreats(id)),
  updateThreat: (modelId: string, expectedRevision: number, threatId: string, edit: ThreatEdit): Promise<StoredThreatModel> =>
    unwrap(commands.updateThreat(modelId, expectedRevision, threatId, edit)),
  addThreat: (modelId: string, expectedRevision: number, threat: NewThreat): Promise<StoredThreatModel> =>
    unwrap(commands.addThreat(modelId, expectedRevision, threat)),
  threatReport: (id: string, dir: string) => unwrap(commands.threatReport(id, dir)),
  importThreatModel: (file: string) => unwrap(commands.importThreatModel(file)),
  /** Writes the model as OWASP Threat Dragon v2 or Open Threat Model JSON; resolves to the path written. */
  exportThreatModel: (id: string, file: string, format: ThreatExportFormat) => unwrap(commands.exportThreatModel(id, file, format)),
  // ---- threat sessions
  startThreatSession: (modelId: string, participants: string[], scope: string[]): Promise<SessionView> =>
    unwrap(commands.startThreatSession(modelId, participants, scope)),
  threatSession: (id: string): Promise<SessionView> => unwrap(commands.threatSession(id)),
  listThreatSessions: (modelId: string): Promise<SessionView[]> => unwrap(commands.listThreatSessions(modelId)),
  sessionNext: (id: string, v: number): Promise<SessionView> => unwrap(commands.sessionNext(id, v)),
  sessionRule: (id: string, v: number, threatId: string, ruling: Ruling): Promise<SessionView> =>
    unwrap(commands.sessionRule(id, v, threatId, ruling)),
  sessionNote: (id: string, v: number, text: string): Promise<SessionView> => unwrap(commands.sessionNote(id, v, text)),
  sessionAddThreat: (id: string, v: number, threat: NewThreat): Promise<SessionView> =>
    unwrap(commands.sessionAddThreat(id, v, threat)),
  sessionPause: (id: string, v: number): Promise<SessionView> => unwrap(commands.sessionPause(id, v)),
  sessionResume: (id: string, v: number): Promise<SessionView> => unwrap(commands.sessionResume(id, v)),
  sessionEnd: (id: string, v: number): Promise<SessionView> => unwrap(commands.sessionEnd(id, v)),
  sessionMinutes: (id: string) => unwrap(commands.sessionMinutes(id)),
  syncOverview: () => unwrap(commands.syncOverview()),
  syncLink: (repo: string, base: string | null, apiUrl: string | null) =>
    unwrap(commands.syncLink(repo, base, apiUrl)),
  /** Unlinks a repository (its sync state goes, the records stay); refused while it has conflicts or queued publishes. */
  syncUnlink: (repo: string) => unwrap(commands.syncUnlink(repo)),
  syncSignInStart: () => unwrap(commands.syncSignInStart()),
  syncSignInFinish: () => unwrap(commands.syncSignInFinish()),
  syncSignOut: () => unwrap(commands.syncSignOut()),
  syncPublish: (target: PublishTarget, onProgress?: (p: SyncProgress) => void) =>
    unwrap(commands.syncPublish(target, progressChannel(onProgress))),
  syncPull: (onProgress?: (p: SyncProgress) => void) => unwrap(commands.syncPull(progressChannel(onProgress))),
  /** Stops the running publish or pull at its next request; false when none runs. */
  syncCancel: () => plain(commands.syncCancel()),
  syncConflicts: () => unwrap(commands.syncConflicts()),
  /** `version`: the conflict's version the choice was made on; a conflict changed since is refused (code conflict). */
  syncResolve: (key: string, side: ResolveSide, version: number) => unwrap(commands.syncResolve(key, side, version)),
  /** Per-item choices; the returned view lists the items still in conflict (none: resolved). */
  syncResolveItems: (key: string, choices: ItemChoice[], version: number) =>
    unwrap(commands.syncResolveItems(key, choices, version)),
  complianceFrameworks: () => unwrap(commands.complianceFrameworks()),
  complianceFramework: (id: string) => unwrap(commands.complianceFramework(id)),
  setComplianceScope: (enable: string[], disable: string[]) =>
    unwrap(commands.setComplianceScope(enable, disable)),
  complianceCells: () => unwrap(commands.complianceCells()),
  updateComplianceCells: (update: CellUpdate) => unwrap(commands.updateComplianceCells(update)),
  complianceCoverage: (framework: string | null) => unwrap(commands.complianceCoverage(framework)),
  complianceGaps: (framework: string | null) => unwrap(commands.complianceGaps(framework)),
  complianceEvidenceFindings: () => unwrap(commands.complianceEvidenceFindings()),
  complianceControl: (control: string) => unwrap(commands.complianceControl(control)),
  exportCompliance: (framework: string | null, format: ComplianceFormat, path: string) =>
    unwrap(commands.exportCompliance(framework, format, path)),
  complianceEvidencePack: (framework: string | null, dir: string) =>
    unwrap(commands.complianceEvidencePack(framework, dir)),
  /** OSCAL catalog or profile (JSON, YAML or XML), or CSV; `id` overrides the framework id. */
  importComplianceCatalog: (file: string, id: string | null = null) =>
    unwrap(commands.importComplianceCatalog(file, id)),
  /** OSCAL component definition or SSP: implementation states, narratives and owners into the matrix. */
  importComplianceAssessment: (file: string, framework: string | null = null) =>
    unwrap(commands.importComplianceAssessment(file, framework)),
  threatControlLinks: (model: string, threat: string) => unwrap(commands.threatControlLinks(model, threat)),
  linkThreatControl: (edit: ThreatControlEdit) => unwrap(commands.linkThreatControl(edit)),
  unlinkThreatControl: (edit: ThreatControlEdit) => unwrap(commands.unlinkThreatControl(edit)),
};

/** A channel the backend streams sync progress through (one message per request). */
function progressChannel(onProgress?: (p: SyncProgress) => void): Channel<SyncProgress> {
  const channel = new Channel<SyncProgress>();
  if (onProgress) channel.onmessage = onProgress;
  return channel;
}

const isMock = import.meta.env.MODE === "mock";

/**
 * Shows the native folder picker (tauri-plugin-dialog, `dialog:allow-open`).
 * Resolves to the chosen absolute path, or null when the user cancels.
 */
export async function pickFolder(title: string): Promise<string | null> {
  let picked: string | string[] | null;
  try {
    picked = await openDialog({ directory: true, multiple: false, title });
  } catch (e) {
    throw new ApiError("internal", `Could not open the folder picker: ${errorMessage(e)}`);
  }
  if (Array.isArray(picked)) return picked[0] ?? null;
  return picked;
}

/** Shows the native file picker for one file of the kinds `filter` names; null when the user cancels. */
async function pickFile(title: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  let picked: string | string[] | null;
  try {
    picked = await openDialog({ directory: false, multiple: false, title, filters: [filter] });
  } catch (e) {
    throw new ApiError("internal", `Could not open the file picker: ${errorMessage(e)}`);
  }
  if (Array.isArray(picked)) return picked[0] ?? null;
  return picked;
}

/** A threat model file (Threat Dragon, OTM, pytm, Threagile, Threat Composer, Threat Modeling Tool). */
export const pickThreatModelFile = () => pickFile("Import a threat model", {
  name: "Threat Dragon, Open Threat Model, pytm, Threagile, Threat Composer, Microsoft Threat Modeling Tool",
  extensions: ["json", "yaml", "yml", "otm", "tm7"],
});

/** A control catalog (OSCAL JSON, YAML or XML; CSV). */
export const pickCatalogFile = () => pickFile("Import a control catalog",
  { name: "OSCAL catalog or profile, CSV", extensions: ["json", "yaml", "yml", "xml", "csv"] });

/** An OSCAL component definition or system security plan (JSON, YAML or XML). */
export const pickAssessmentFile = () => pickFile("Import an OSCAL assessment",
  { name: "OSCAL component definition or SSP", extensions: ["json", "yaml", "yml", "xml"] });

/** An SLO file (OpenSLO or Sloth, YAML or JSON). */
export const pickSloFile = () => pickFile("Import SLOs", { name: "OpenSLO, Sloth", extensions: ["yaml", "yml", "json"] });

/**
 * Shows the native save dialog (`dialog:allow-save`). Resolves to the chosen
 * path, or null when the user cancels.
 */
export async function pickSavePath(title: string, defaultPath: string): Promise<string | null> {
  try {
    return await saveDialog({ title, defaultPath });
  } catch (e) {
    throw new ApiError("internal", `Could not open the save dialog: ${errorMessage(e)}`);
  }
}

// ---- window close ---------------------------------------------------------
// One Tauri listener, held while at least one handler is registered. While it
// exists, Tauri keeps the window open on close, awaits the handlers and then
// destroys it (`core:window:allow-destroy`). With no handler registered the
// window closes natively.

const closeHandlers = new Set<() => Promise<void>>();
let closeListener: Promise<() => void> | null = null;
/** The window closes after this even if a handler never settles. */
const CLOSE_HANDLERS_MAX_MS = 3000;

async function runCloseHandlers(): Promise<void> {
  const all = Promise.allSettled([...closeHandlers].map((h) => h()));
  let timer: number | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = window.setTimeout(resolve, CLOSE_HANDLERS_MAX_MS);
  });
  await Promise.race([all, cap]);
  window.clearTimeout(timer);
}

/**
 * Runs `handler` (awaited, errors ignored) before the window closes, e.g. to
 * flush unsaved edits. Returns a function that unregisters it. In mock mode
 * nothing touches Tauri; tests run the handlers via `__mock.requestWindowClose()`.
 */
export function onWindowCloseRequested(handler: () => Promise<void>): () => void {
  closeHandlers.add(handler);
  if (!isMock && !closeListener) {
    const listening = getCurrentWindow().onCloseRequested(() => runCloseHandlers());
    closeListener = listening;
    listening.catch((e: unknown) => {
      if (closeListener === listening) closeListener = null;
      console.warn("Could not watch for the window closing:", e);
    });
  }
  return () => {
    closeHandlers.delete(handler);
    if (closeHandlers.size === 0 && closeListener) {
      const listening = closeListener;
      closeListener = null;
      listening.then((unlisten) => unlisten(), () => undefined);
    }
  };
}

/**
 * In `vite --mode mock` an in-memory backend answers every command, so the UI
 * runs in a plain browser (tests, design work). The condition is a build-time
 * constant: production bundles contain neither the mock nor its seed data.
 */
export async function installMockBackendIfNeeded(): Promise<void> {
  if (import.meta.env.MODE === "mock") {
    const [{ mockIPC }, backend] = await Promise.all([
      import("@tauri-apps/api/mocks"),
      import("./mock/backend"),
    ]);
    mockIPC((cmd, args) => backend.handle(cmd, (args ?? {}) as Record<string, unknown>));
    backend.exposeTestHooks({ requestWindowClose: runCloseHandlers });
  }
}
