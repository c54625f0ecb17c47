// The one module that talks to Tauri. Everything else imports from "./api".
// Commands come from the tauri-specta bindings; here their Result values are
// unwrapped so callers can `await` and catch an ApiError.
import { getCurrentWindow } from "@tauri-apps/api/window";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { commands } from "./bindings";
import type {
  Adr_Serialize,
  AdrDraft_Serialize,
  AdrFilter_Serialize,
  AdrSummary_Serialize,
  AppError,
  CellUpdate_Deserialize,
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
  Template,
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
export type Cell = Cell_Serialize;
export type CellUpdate = CellUpdate_Deserialize;
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
  Section,
  Template,
  Workspace,
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
  importAdrs: (dir: string) => unwrap(commands.importAdrs(dir)),
  exportAdrs: (dir: string) => unwrap(commands.exportAdrs(dir)),
  appInfo: () => plain(commands.appInfo()),
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
};

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
