// The one module that talks to Tauri. Everything else imports from "./api".
// Commands come from the tauri-specta bindings; here their Result values are
// unwrapped so callers can `await` and catch an ApiError.
import { commands } from "./bindings";
import type {
  Adr_Serialize,
  AdrDraft_Serialize,
  AdrFilter_Serialize,
  AdrSummary_Serialize,
  AppError,
  ErrorCode,
  ImportNotice_Serialize,
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
type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

export type {
  AdrLink,
  AdrStatus,
  AppError,
  AppInfo,
  ConsideredOption,
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
};

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
    backend.exposeTestHooks();
  }
}
