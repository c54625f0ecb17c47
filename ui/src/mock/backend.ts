// In-memory stand-in for the Rust backend, answering the same commands with
// the same shapes. Used only by `vite --mode mock` (tests and design work).
// Errors are thrown as plain AppError objects, as Tauri rejects them.
import type {
  Adr,
  AdrDraft,
  AdrFilter,
  AdrStatus,
  AdrSummary,
  AppError,
  ConflictView,
  DocumentSyncStatus,
  CellUpdate,
  ErrorCode,
  PublishTarget,
  ResolveSide,
  SyncProgress,
  ItemChoice,
  ImportReport,
  RevisionSummary,
  SearchHit,
  Template,
  ThreatControlEdit,
  Workspace,
  WorkspaceEdit,
} from "../api";
import type { Initiative, NewSlo, Slo, SloFormat } from "../api";
import {
  budgetOf, createSlo, exportSlos, findSlo, importSloFile, importSloFolder, newInitiative, overview, seedDora, seedInitiatives, seedSlos, sloRow,
  stored, validateSlo, type StoredSloMock,
} from "./roadmap";
import * as compliance from "./compliance";
import { manyAdrs, PLASMA_ID, seedAdrs, seedWorkspaces } from "./seed";
import { searchRecords } from "./search";
import { handleThreats, pickedThreatFile, resetThreats, threatHooks, threatModelName } from "./threats";

type Args = Record<string, unknown>;

interface State {
  workspaces: Workspace[];
  current: string;
  adrs: Adr[];
  history: Map<string, { adr: Adr; summary: RevisionSummary }[]>;
  initiatives: { initiative: Initiative; revision: number; history: RevisionSummary[] }[];
  slos: StoredSloMock[];
  compliance: compliance.ComplianceState;
}

/** `?mock-adrs=N` seeds N ADRs (the demo ones plus generated filler). */
function requestedCount(): number | null {
  const n = Number(new URLSearchParams(window.location.search).get("mock-adrs") ?? "");
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : null;
}

function fresh(): State {
  const count = requestedCount();
  const adrs = count === null ? seedAdrs() : manyAdrs(count);
  const history = new Map<string, { adr: Adr; summary: RevisionSummary }[]>();
  for (const a of adrs) {
    history.set(a.id, [
      { adr: structuredClone(a), summary: { revision: 1, saved_at: a.updated_at, summary: "Created" } },
    ]);
  }
  return {
    workspaces: structuredClone(seedWorkspaces), current: PLASMA_ID, adrs, history,
    initiatives: seedInitiatives(), slos: seedSlos(), compliance: compliance.freshCompliance(),
  };
}

let state = fresh();
const calls: { cmd: string; args: Args }[] = [];
/** Test hook: artificial latency per command, in ms. */
let latency = 0;
/** What the native folder picker "chooses" (null = the user cancelled). */
const DEMO_FOLDER = "/home/demo/adr";
let pickedFolder: string | null = DEMO_FOLDER;
/** What the native file picker "chooses" when importing SLOs (null = cancel). */
const DEMO_SLO_FILE = "/home/demo/slo/checkout.openslo.yaml";
let pickedSloFile: string | null = DEMO_SLO_FILE;
/** The title `pickSloFile` gives the picker, so the mock knows which file to "choose". */
const SLO_PICKER_TITLE = "Import SLOs";
const CATALOG_PICKER_TITLE = "Import a control catalog";
const DEMO_CATALOG_FILE = "/home/demo/oscal/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.xml";

function fail(code: ErrorCode, message: string): never {
  const e: AppError = { code, message };
  throw e;
}

const pad = (n: number) => `ADR-${String(n).padStart(4, "0")}`;
const label = (s: AdrStatus) => (s.kind === "custom" ? s.label : s.kind);
const now = () => new Date().toISOString();

function wsAdrs(): Adr[] {
  return state.adrs.filter((a) => a.workspace_id === state.current).sort((a, b) => a.number - b.number);
}

function find(id: string): Adr {
  const a = state.adrs.find((x) => x.id === id);
  if (!a) fail("not_found", `No ADR with id ${id}`);
  return a;
}

function summary(a: Adr): AdrSummary {
  return {
    id: a.id,
    number: a.number,
    title: a.title,
    status: a.status,
    date: a.date,
    tags: a.tags,
    repositories: a.repositories,
    supersedes: a.links.filter((l) => l.kind === "supersedes").map((l) => l.target),
    superseded_by: a.links.filter((l) => l.kind === "superseded_by").map((l) => l.target),
    updated_at: a.updated_at,
  };
}

function checkTransition(from: AdrStatus, to: AdrStatus, number: number) {
  if (label(from) === label(to)) return;
  const f = from.kind;
  const t = to.kind;
  const refuse = (why: string) =>
    fail("transition", `${pad(number)} cannot go from ${label(from)} to ${label(to)}: ${why}`);
  if (t === "superseded") refuse("supersede it with another ADR instead");
  if (f === "superseded") refuse("a superseded decision is final; write a new ADR");
  if (f === "custom" || t === "custom") return;
  const ok: Record<string, string[]> = {
    draft: ["proposed", "accepted", "rejected"],
    proposed: ["draft", "accepted", "rejected"],
    accepted: ["deprecated"],
    rejected: ["proposed", "draft"],
    deprecated: ["accepted"],
  };
  if (!(ok[f] ?? []).includes(t)) refuse("this change is not part of the lifecycle");
}

const DRAFT_KEYS: (keyof AdrDraft)[] = [
  "title", "status", "date", "decision_makers", "consulted", "informed", "tags", "repositories",
  "context", "decision_drivers", "considered_options", "decision_outcome", "consequences",
  "confirmation", "links", "sections", "extra_front_matter",
];

function record(a: Adr, text: string) {
  const list = state.history.get(a.id) ?? [];
  list.push({ adr: structuredClone(a), summary: { revision: a.revision, saved_at: a.updated_at, summary: text } });
  state.history.set(a.id, list);
}

function save(id: string, expected: number, draft: AdrDraft): Adr {
  const a = find(id);
  if (a.revision !== expected) {
    fail("conflict", `${pad(a.number)} was changed elsewhere (now revision ${a.revision}, you edited revision ${expected}).`);
  }
  if (!draft.title.trim()) fail("invalid", "The title cannot be empty.");
  checkTransition(a.status, draft.status, a.number);
  const changed = DRAFT_KEYS.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(draft[k]));
  Object.assign(a, structuredClone(draft));
  a.revision += 1;
  a.updated_at = now();
  record(a, changed.length ? `Edited ${changed.map((k) => k.replace(/_/g, " ")).join(", ")}` : "Saved");
  return structuredClone(a);
}

function templateDraft(title: string, template: Template): Partial<Adr> {
  switch (template) {
    case "nygard":
      return {
        status: { kind: "proposed" },
        context: "What is the issue that we're seeing that is motivating this decision or change?",
        decision_outcome: "What is the change that we're proposing and/or doing?",
        sections: [{ heading: "Consequences", level: 2, body: "What becomes easier or more difficult to do because of this change?" }],
      };
    case "madr4_minimal":
      return {
        status: { kind: "proposed" },
        context: "Describe the context and problem statement in two to three sentences.",
        considered_options: [
          { title: "Option 1", description: "", pros: [], cons: [], neutral: [] },
          { title: "Option 2", description: "", pros: [], cons: [], neutral: [] },
        ],
        decision_outcome: `Chosen option: "Option 1", because …`,
      };
    default:
      return {
        status: { kind: "proposed" },
        context: `Describe the context and problem statement for "${title}".`,
        decision_drivers: ["Driver 1", "Driver 2"],
        considered_options: [
          { title: "Option 1", description: "", pros: ["Good, because …"], cons: ["Bad, because …"], neutral: [] },
          { title: "Option 2", description: "", pros: [], cons: [], neutral: [] },
        ],
        decision_outcome: `Chosen option: "Option 1", because …`,
        consequences: { good: ["Good, because …"], bad: ["Bad, because …"], neutral: [] },
        confirmation: "How will compliance with this decision be confirmed?",
      };
  }
}

function create(title: string, template: Template): Adr {
  if (!title.trim()) fail("invalid", "Give the decision a title.");
  const number = Math.max(0, ...wsAdrs().map((a) => a.number)) + 1;
  const t = now();
  const a: Adr = {
    id: crypto.randomUUID(),
    workspace_id: state.current,
    number,
    title: title.trim(),
    status: { kind: "proposed" },
    date: t.slice(0, 10),
    decision_makers: [], consulted: [], informed: [], tags: [], repositories: [],
    context: "", decision_drivers: [], considered_options: [], decision_outcome: "",
    consequences: { good: [], bad: [], neutral: [] }, confirmation: "", links: [], sections: [],
    extra_front_matter: [], source_path: null, revision: 1, created_at: t, updated_at: t,
    ...templateDraft(title, template),
  };
  state.adrs.push(a);
  record(a, `Created from ${template.replace(/_/g, " ")}`);
  return structuredClone(a);
}

function supersede(oldId: string, newId: string): Adr[] {
  const o = find(oldId);
  const nw = find(newId);
  if (o.id === nw.id) fail("invalid", "An ADR cannot supersede itself.");
  if (o.links.some((l) => l.kind === "supersedes" && l.target === nw.number)) {
    fail("cycle", `${pad(o.number)} already supersedes ${pad(nw.number)}.`);
  }
  if (o.status.kind === "superseded") fail("transition", `${pad(o.number)} is already superseded.`);
  o.status = { kind: "superseded" };
  o.links = [...o.links.filter((l) => !(l.kind === "superseded_by")), { kind: "superseded_by", target: nw.number }];
  nw.links = [...nw.links, { kind: "supersedes", target: o.number }];
  for (const a of [o, nw]) {
    a.revision += 1;
    a.updated_at = now();
  }
  record(o, `Superseded by ${pad(nw.number)}`);
  record(nw, `Supersedes ${pad(o.number)}`);
  return [structuredClone(o), structuredClone(nw)];
}

function searchText(a: Adr): string {
  return [a.title, a.context, a.decision_outcome, a.confirmation, a.tags.join(" "), ...a.decision_drivers,
    ...a.sections.map((s) => `${s.heading} ${s.body}`)].join(" \n ");
}

function search(q: string): SearchHit[] {
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return [];
  const hits: SearchHit[] = [];
  for (const a of wsAdrs()) {
    const text = searchText(a).replace(/\s+/g, " ");
    const lower = text.toLowerCase();
    if (!terms.every((t) => lower.includes(t))) continue;
    const first = terms[0] ?? "";
    const at = lower.indexOf(first);
    const start = Math.max(0, at - 40);
    let snippet = (start > 0 ? "…" : "") + text.slice(start, at + first.length + 60) + (at + first.length + 60 < text.length ? "…" : "");
    for (const t of terms) {
      snippet = snippet.replace(new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), (m) => `«${m}»`);
    }
    const titleHit = terms.filter((t) => a.title.toLowerCase().includes(t)).length;
    hits.push({ adr_id: a.id, number: a.number, title: a.title, status: label(a.status), snippet, rank: titleHit * 10 + 1 });
  }
  return hits.sort((x, y) => (y.rank ?? 0) - (x.rank ?? 0));
}

function list(filter: AdrFilter): AdrSummary[] {
  let out = wsAdrs();
  if (filter.status) out = out.filter((a) => label(a.status) === filter.status);
  if (filter.tag) out = out.filter((a) => a.tags.includes(filter.tag ?? ""));
  if (filter.repository) out = out.filter((a) => a.repositories.includes(filter.repository ?? ""));
  if (filter.query?.trim()) {
    const ids = new Set(search(filter.query).map((h) => h.adr_id));
    out = out.filter((a) => ids.has(a.id));
  }
  return out.map(summary);
}

// A deliberately naive Markdown renderer that passes raw HTML through, like
// an unsanitized renderer would: the UI must defend itself regardless.
function renderMarkdown(md: string): string {
  const esc = (t: string) => t.replace(/&(?![a-z#0-9]+;)/gi, "&amp;");
  const inline = (t: string) =>
    esc(t)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/\*([^*]+)\*/g, "<em>$1</em>")
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
  const out: string[] = [];
  let listOpen: "ul" | "ol" | null = null;
  let para: string[] = [];
  let code: string[] | null = null;
  const flushPara = () => {
    if (para.length) out.push(`<p>${inline(para.join(" "))}</p>`);
    para = [];
  };
  const closeList = () => {
    if (listOpen) out.push(`</${listOpen}>`);
    listOpen = null;
  };
  for (const line of md.split("\n")) {
    if (code) {
      if (line.startsWith("```")) {
        out.push(`<pre><code>${code.join("\n").replace(/</g, "&lt;")}</code></pre>`);
        code = null;
      } else code.push(line);
      continue;
    }
    if (line.startsWith("```")) { flushPara(); closeList(); code = []; continue; }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const ul = /^\s*[-*]\s+(.*)$/.exec(line);
    const ol = /^\s*\d+\.\s+(.*)$/.exec(line);
    if (h) { flushPara(); closeList(); out.push(`<h${h[1]?.length}>${inline(h[2] ?? "")}</h${h[1]?.length}>`); }
    else if (ul || ol) {
      flushPara();
      const kind = ul ? "ul" : "ol";
      if (listOpen !== kind) { closeList(); out.push(`<${kind}>`); listOpen = kind; }
      out.push(`<li>${inline((ul ?? ol)?.[1] ?? "")}</li>`);
    } else if (line.startsWith(">")) { flushPara(); closeList(); out.push(`<blockquote><p>${inline(line.replace(/^>\s?/, ""))}</p></blockquote>`); }
    else if (!line.trim()) { flushPara(); closeList(); }
    else { closeList(); para.push(line); }
  }
  if (code) out.push(`<pre><code>${code.join("\n").replace(/</g, "&lt;")}</code></pre>`);
  flushPara();
  closeList();
  return out.join("\n");
}

const STATUS_COLORS: Record<string, [string, string]> = {
  accepted: ["#1a7f37", "#3fb950"],
  proposed: ["#0969da", "#58a6ff"],
  draft: ["#6e7781", "#8b949e"],
  rejected: ["#cf222e", "#f85149"],
  deprecated: ["#9a6700", "#d29922"],
  superseded: ["#8250df", "#a371f7"],
};

function graphSvg(dark: boolean): string {
  const adrs = wsAdrs();
  const w = 220, h = 56, gap = 28, cols = 3;
  const pos = new Map<number, { x: number; y: number }>();
  adrs.forEach((a, i) => pos.set(a.number, { x: 20 + (i % cols) * (w + 60), y: 20 + Math.floor(i / cols) * (h + gap + 20) }));
  const width = 20 + cols * (w + 60);
  const height = 40 + Math.ceil(adrs.length / cols) * (h + gap + 20);
  const fg = dark ? "#e6edf3" : "#1f2328";
  const bg = dark ? "#161b22" : "#ffffff";
  const muted = dark ? "#8b949e" : "#656d76";
  const edges: string[] = [];
  for (const a of adrs) {
    for (const l of a.links) {
      if (l.kind !== "supersedes" && l.kind !== "relates_to" && l.kind !== "amends") continue;
      if (l.kind === "relates_to" && l.target < a.number) continue;
      const p = pos.get(a.number), q = pos.get(l.target);
      if (!p || !q) continue;
      const dash = l.kind === "relates_to" ? ' stroke-dasharray="4 4"' : "";
      const col = l.kind === "supersedes" ? (dark ? "#a371f7" : "#8250df") : muted;
      edges.push(`<path d="M${p.x + w / 2},${p.y + h / 2} L${q.x + w / 2},${q.y + h / 2}" stroke="${col}" stroke-width="1.5" fill="none"${dash} marker-end="url(#arrow)"/>`);
    }
  }
  const nodes = adrs.map((a) => {
    const p = pos.get(a.number) ?? { x: 0, y: 0 };
    const c = STATUS_COLORS[label(a.status)]?.[dark ? 1 : 0] ?? muted;
    const title = a.title.length > 30 ? `${a.title.slice(0, 29)}…` : a.title;
    const t = title.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    return `<g><rect x="${p.x}" y="${p.y}" width="${w}" height="${h}" rx="8" fill="${bg}" stroke="${c}" stroke-width="1.5"/>` +
      `<rect x="${p.x}" y="${p.y}" width="4" height="${h}" rx="2" fill="${c}"/>` +
      `<text x="${p.x + 14}" y="${p.y + 22}" font-family="system-ui,sans-serif" font-size="11" fill="${muted}">${pad(a.number)} · ${label(a.status)}</text>` +
      `<text x="${p.x + 14}" y="${p.y + 40}" font-family="system-ui,sans-serif" font-size="13" fill="${fg}">${t}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${muted}"/></marker></defs>` +
    edges.join("") + nodes.join("") + `</svg>`;
}

function importAdrs(dir: string): ImportReport {
  if (!dir.trim()) fail("invalid", "Choose a folder to import.");
  if (dir.includes("missing")) fail("io", `Folder not found: ${dir}`);
  const a = create("Imported: Use OpenTelemetry for tracing", "madr4_minimal");
  a.source_path = "docs/decisions/0009-use-opentelemetry.md";
  // A second file with the same number (two merged branches): imported under the next one.
  const b = create("Imported: Sample traces at the gateway", "madr4_minimal");
  b.source_path = "docs/decisions/0009-sample-traces.md";
  const pad = (n: number) => String(n).padStart(4, "0");
  return {
    created: [a.number, b.number],
    updated: [],
    unchanged: [1, 3],
    skipped: [{ file: "README.md", line: null, reason: "not an ADR (no title heading)" }],
    failed: [{ file: "0010-broken.md", line: 3, reason: "front matter: expected `key: value`" }],
    renumbered: [{ file: "0009-sample-traces.md", line: null,
      reason: `ADR number 9 is also used by 0009-use-opentelemetry.md in this folder: imported as ADR-${pad(b.number)}` }],
  };
}

// ---- GitHub sync ---------------------------------------------------------
interface SyncState {
  link: { repo: string; base_branch: string; api_url: string; last_commit: string | null } | null;
  login: string | null;
  docs: Map<number, { status: string; pr: number | null; published: string | null }>;
  conflicts: MockConflict[];
  prs: number;
}
/** A conflict plus the per-item choices made so far (kept server-side, as in Rust). */
type MockConflict = ConflictView & { agreed?: Record<string, string> };
let sync: SyncState = freshSync();
function freshSync(): SyncState {
  return { link: null, login: null, docs: new Map(), conflicts: [], prs: 0 };
}
const adrText = (x: Adr) => `${x.title}\n${x.context}\n${x.decision_outcome}`;
function syncOverview() {
  const link = sync.link;
  const documents: DocumentSyncStatus[] = link ? wsAdrs().map((x) => {
    const d = sync.docs.get(x.number);
    return {
      key: `adr:${x.number}`, title: `${pad(x.number)}: ${x.title}`,
      path: `docs/decisions/${String(x.number).padStart(4, "0")}.md`,
      status: d?.status ?? "not_published", local_changes: d?.published !== adrText(x),
      pull_url: d?.pr ? `https://github.com/${link.repo}/pull/${d.pr}` : null,
      pull_state: d?.pr ? (d.status === "published" ? "merged" : "open") : null, last_error: null,
    };
  }) : [];
  return {
    links: link ? [link] : [],
    account: sync.login ? { api_url: link?.api_url ?? "https://api.github.com", login: sync.login, from_environment: false } : null,
    status: { repo: link?.repo ?? null, base_branch: link?.base_branch ?? null, api_url: link?.api_url ?? null, documents,
      queued: 0, conflicts: sync.conflicts.length },
    conflicts: sync.conflicts.map((c) => structuredClone(stripAgreed(c))),
  };
}
/** What the Rust side streams through a `tauri::ipc::Channel`; here the Channel object itself. */
type ProgressSink = { onmessage?: (p: SyncProgress) => void } | undefined;
let syncStepMs = 0;
let syncCancelRequested = false;
let syncRunning = false;

/** Reports one request; false when the user cancelled before it (as the Rust observer does). */
async function step(sink: ProgressSink, p: SyncProgress, canStop = true): Promise<boolean> {
  if (canStop && syncCancelRequested) return false;
  sink?.onmessage?.(p);
  if (syncStepMs) await new Promise((r) => setTimeout(r, syncStepMs));
  return true;
}

async function syncPublish(target: PublishTarget, sink: ProgressSink) {
  if (!sync.link) fail("not_found", "no repository is linked to this workspace");
  if (!sync.login) fail("invalid", "not signed in to GitHub: sign in first");
  const chosen = target.kind === "adrs" ? wsAdrs().filter((x) => target.value.includes(x.number))
    : target.kind === "all" ? wsAdrs().filter((x) => sync.docs.get(x.number)?.published !== adrText(x)) : [];
  syncCancelRequested = false;
  syncRunning = true;
  const published = [];
  let cancelled = false;
  try {
    for (const [i, x] of chosen.entries()) {
      const at = (request: string) => ({ operation: "publish", step: i + 1, total: chosen.length, document: `${pad(x.number)}: ${x.title}`, request });
      if (!(await step(sink, at("read branch main"))) || !(await step(sink, at(`upload docs/decisions/${String(x.number).padStart(4, "0")}.md`)))) {
        cancelled = true;
        break;
      }
      await step(sink, at("open the draft pull request"), false);
      sync.prs += 1;
      sync.docs.set(x.number, { status: "in_review", pr: sync.prs, published: adrText(x) });
      published.push({ branch: `plasma/adr-${x.number}`, commit: "c0ffee", pull_number: sync.prs,
        pull_url: `https://github.com/${sync.link?.repo ?? ""}/pull/${sync.prs}`, pull_state: "open", documents: [`adr:${x.number}`] });
    }
  } finally {
    syncRunning = false;
  }
  return { published, queued: [], refused: [], up_to_date: [], cancelled };
}

async function syncPull(sink: ProgressSink) {
  syncCancelRequested = false;
  syncRunning = true;
  try {
    const cancelled = !(await step(sink, { operation: "pull", step: 1, total: 1, document: "", request: `read branch ${sync.link?.base_branch ?? "main"}` }));
    return { base_unchanged: !cancelled && sync.conflicts.length === 0, taken: [], merged: [],
      conflicts: cancelled ? [] : sync.conflicts.map((c) => c.key), imported: [], removed_remote: [], pull_requests: [], sent_from_queue: [], cancelled, notices: [] };
  } finally {
    syncRunning = false;
  }
}
/** Which ADR field each mock conflict item stands for. */
const ITEM_FIELDS: Record<string, "context" | "decision_outcome"> = {
  "section:context and problem statement": "context",
  "section:decision outcome": "decision_outcome",
};

function finishResolve(c: ConflictView, adr: Adr | undefined, values: Partial<Record<"context" | "decision_outcome", string>>) {
  sync.conflicts = sync.conflicts.filter((x) => x.key !== c.key);
  if (adr && Object.entries(values).some(([f, v]) => adr[f as "context" | "decision_outcome"] !== v)) {
    Object.assign(adr, values);
    adr.revision += 1;
    record(adr, "Merged from GitHub");
  }
  if (adr) sync.docs.set(adr.number, { status: "synced", pr: sync.docs.get(adr.number)?.pr ?? null, published: adrText(adr) });
}

function conflictOf(key: string, seen: number) {
  const c = sync.conflicts.find((x) => x.key === key);
  if (!c) fail("not_found", `no conflict for ${key} (see \`plasma sync conflicts\`)`);
  if (c.version !== seen) {
    fail("conflict", `the sync conflict for ${key} in ${c.repo} was changed elsewhere since it was read (a pull changed it after it was shown: version ${seen} is now ${c.version}); nothing was saved: reload it and make the change again`);
  }
  return { c, adr: wsAdrs().find((x) => x.number === Number(key.replace("adr:", ""))) };
}

function syncResolve(key: string, side: ResolveSide, seen: number) {
  const { c, adr } = conflictOf(key, seen);
  const values: Partial<Record<"context" | "decision_outcome", string>> = {};
  for (const i of c.items) {
    const field = ITEM_FIELDS[i.item];
    if (field) values[field] = (side === "remote" ? i.remote : i.local) ?? "";
  }
  finishResolve(c, adr, values);
  return c;
}

function syncResolveItems(key: string, choices: ItemChoice[], seen: number): ConflictView {
  const { c, adr } = conflictOf(key, seen);
  if (choices.length === 0) fail("invalid", "choose mine, theirs or an edited text for at least one item");
  for (const ch of choices) {
    if (!c.items.some((i) => i.item === ch.item)) fail("invalid", `not a conflicting item of this document: ${ch.item}`);
  }
  // Chosen items become agreed in both candidates; the rest stay in conflict.
  const remaining = c.items.filter((i) => !choices.some((ch) => ch.item === i.item));
  for (const ch of choices) {
    const i = c.items.find((x) => x.item === ch.item);
    if (!i) continue;
    const value = ch.take.kind === "mine" ? i.local : ch.take.kind === "theirs" ? i.remote : ch.take.text;
    c.agreed = { ...(c.agreed ?? {}), [ch.item]: value ?? "" };
  }
  if (remaining.length > 0) {
    c.items = remaining;
    c.version += 1;
    return structuredClone(stripAgreed(c));
  }
  const values: Partial<Record<"context" | "decision_outcome", string>> = {};
  for (const [item, v] of Object.entries(c.agreed ?? {})) {
    const field = ITEM_FIELDS[item];
    if (field) values[field] = v;
  }
  finishResolve(c, adr, values);
  return { ...stripAgreed(c), items: [] };
}

function stripAgreed(c: MockConflict): ConflictView {
  return { key: c.key, repo: c.repo, items: c.items, prefer_local: c.prefer_local, prefer_remote: c.prefer_remote, version: c.version };
}

function repoNames(): string[] {
  return state.workspaces.find((w) => w.id === state.current)?.repositories.map((r) => r.name) ?? [];
}

const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** "3 ADRs (ADR-0001, ADR-0002, ADR-0003)", the first five named, as the workbench says it. */
function counted(items: string[], one: string, many: string): string | null {
  if (!items.length) return null;
  const shown = items.slice(0, 5).join(", ") + (items.length > 5 ? ` and ${items.length - 5} more` : "");
  return `${items.length} ${items.length === 1 ? one : many} (${shown})`;
}

/** What in workspace `w` still names repository `name` (the workbench's `references`). */
function repositoryReferences(w: Workspace, name: string): string | null {
  const adrs = state.adrs.filter((x) => x.workspace_id === w.id && x.repositories.some((r) => same(r, name)))
    .sort((x, y) => x.number - y.number).map((x) => pad(x.number));
  // Mock cells are not per workspace; a cell nobody has assessed holds nothing.
  const cells = state.compliance.cells.filter((c) => same(c.cell.repository, name) && (c.cell.status !== null
    || !c.cell.applicable || c.cell.owner || c.cell.narrative || c.cell.evidence.length || c.cell.threats.length || c.cell.adrs.length))
    .map((c) => c.cell.control.control);
  const models = threatHooks.models().map((n) => threatHooks.model(n)?.model)
    .filter((m) => m && m.workspace_id === w.id && m.repositories.some((r) => same(r, name))).map((m) => `"${m?.name ?? ""}"`);
  const initiatives = state.initiatives.filter((x) => x.initiative.workspace_id === w.id && x.initiative.repositories.some((r) => same(r, name)))
    .map((x) => x.initiative.key);
  const links = sync.link && same(sync.link.repo.split("/").pop() ?? "", name) ? [sync.link.repo] : [];
  const kinds = [
    counted(adrs, "ADR", "ADRs"), counted(cells, "assessed compliance cell", "assessed compliance cells"),
    counted(models, "threat model", "threat models"), counted(initiatives, "roadmap initiative", "roadmap initiatives"),
    counted(links, "GitHub sync link", "GitHub sync links"),
  ].filter((k): k is string => k !== null);
  if (!kinds.length) return null;
  const last = kinds.pop() ?? "";
  return kinds.length ? `${kinds.join(", ")} and ${last}` : last;
}

/** The workbench's `update_workspace`: the whole edit, or a refusal that changes nothing. */
function updateWorkspace(nameOrId: string, edit: WorkspaceEdit): Workspace {
  const before = state.workspaces.find((w) => w.id === nameOrId.trim()) ?? state.workspaces.find((w) => same(w.name, nameOrId))
    ?? fail("not_found", `no workspace named "${nameOrId}" (see \`plasma workspace list\`)`);
  const ws: Workspace = structuredClone(before);
  if (edit.name != null) ws.name = edit.name.trim();
  if (edit.description != null) ws.description = edit.description.trim();
  const removed: string[] = [];
  for (const name of edit.remove_repositories) {
    const repo = before.repositories.find((r) => same(r.name, name))
      ?? fail("invalid", `workspace "${before.name}" has no repository "${name.trim()}" (it has: ${before.repositories.map((r) => r.name).join(", ") || "none"})`);
    if (!removed.includes(repo.name)) removed.push(repo.name);
  }
  ws.repositories = ws.repositories.filter((r) => !removed.includes(r.name));
  for (const repo of edit.add_repositories) {
    const name = repo.name.trim();
    if (!REPO_NAME.test(name) || name === "." || name === "..") {
      fail("invalid", `repositories: "${name}" is not a valid repository name (use letters, digits, '-', '_' or '.')`);
    }
    const existing = before.repositories.find((r) => same(r.name, name));
    if (existing) fail("invalid", `workspace "${before.name}" already has a repository "${existing.name}"`);
    if (ws.repositories.some((r) => same(r.name, name))) fail("invalid", `repository "${name}" is listed twice`);
    ws.repositories.push({ name, description: repo.description.trim() });
  }
  if (!ws.name) fail("invalid", "name: a workspace needs a name");
  if (ws.name !== before.name && state.workspaces.some((w) => w.id !== ws.id && same(w.name, ws.name))) {
    fail("invalid", `a workspace named "${ws.name}" already exists`);
  }
  const refused = removed.flatMap((name) => {
    const refs = repositoryReferences(before, name);
    return refs ? [`repository "${name}" cannot be removed: it is still referenced by ${refs}`] : [];
  });
  if (refused.length) {
    const [them, repositories] = refused.length === 1 ? ["it", "the repository"] : ["them", "the repositories"];
    fail("invalid", `${refused.join("; ")}; remove ${them} from those records first, then remove ${repositories}. Nothing was changed.`);
  }
  Object.assign(before, ws);
  return structuredClone(ws);
}

function args<T>(a: Args, k: string): T {
  return a[k] as T;
}

async function dispatch(cmd: string, a: Args): Promise<unknown> {
  switch (cmd) {
    case "list_workspaces": return state.workspaces;
    case "current_workspace": return state.workspaces.find((w) => w.id === state.current);
    case "switch_workspace": {
      const w = state.workspaces.find((x) => x.id === args<string>(a, "id"));
      if (!w) fail("not_found", "No such workspace");
      state.current = w.id;
      return w;
    }
    case "create_workspace": {
      const name = args<string>(a, "name").trim();
      if (!name) fail("invalid", "Give the workspace a name.");
      const w: Workspace = { id: crypto.randomUUID(), name, description: "", created_at: now(),
        repositories: args<string[]>(a, "repositories").map((r) => ({ name: r, description: "" })) };
      state.workspaces.push(w);
      state.current = w.id;
      return w;
    }
    case "update_workspace": return updateWorkspace(args<string>(a, "workspace"), args<WorkspaceEdit>(a, "edit"));
    case "list_adrs": return list(args<AdrFilter>(a, "filter"));
    case "get_adr": return structuredClone(find(args<string>(a, "id")));
    case "create_adr": return create(args<string>(a, "title"), args<Template>(a, "template"));
    case "save_adr": return save(args<string>(a, "id"), args<number>(a, "expectedRevision"), args<AdrDraft>(a, "draft"));
    case "supersede_adr": return supersede(args<string>(a, "oldId"), args<string>(a, "newId"));
    case "adr_revisions": {
      find(args<string>(a, "id"));
      return [...(state.history.get(args<string>(a, "id")) ?? [])].reverse().map((r) => r.summary);
    }
    case "adr_revision": {
      const r = (state.history.get(args<string>(a, "id")) ?? []).find((x) => x.summary.revision === args<number>(a, "revision"));
      if (!r) fail("not_found", "No such revision");
      return structuredClone(r.adr);
    }
    case "restore_adr_revision": {
      const id = args<string>(a, "id");
      const rev = args<number>(a, "revision");
      const r = (state.history.get(id) ?? []).find((x) => x.summary.revision === rev);
      if (!r) fail("not_found", "No such revision");
      const cur = find(id);
      if (cur.revision !== args<number>(a, "expectedRevision")) fail("conflict", "The ADR changed since you opened it.");
      const draft = Object.fromEntries(DRAFT_KEYS.map((k) => [k, r.adr[k]])) as unknown as AdrDraft;
      Object.assign(cur, structuredClone(draft));
      cur.revision += 1;
      cur.updated_at = now();
      record(cur, `Restored revision ${rev}`);
      return structuredClone(cur);
    }
    case "render_markdown": return renderMarkdown(args<string>(a, "markdown"));
    case "decision_graph_svg": return graphSvg(args<boolean>(a, "dark"));
    case "search": return search(args<string>(a, "query"));
    case "search_everything": {
      const query = args<string>(a, "query");
      const models = threatHooks.models().map((n) => threatHooks.model(n)).flatMap((m) => (m && m.model.workspace_id === state.current ? [m] : []));
      return {
        adrs: search(query),
        records: searchRecords(query, {
          models,
          frameworks: state.compliance.frameworks,
          initiatives: state.initiatives.filter((x) => x.initiative.workspace_id === state.current).map((x) => x.initiative),
          slos: state.slos.filter((x) => x.slo.workspace_id === state.current).map((x) => x.slo),
        }),
      };
    }
    case "import_adrs": return importAdrs(args<string>(a, "dir"));
    case "export_adrs": {
      const dir = args<string>(a, "dir").replace(/\/+$/, "");
      if (!dir) fail("invalid", "Choose a folder to export to.");
      return { dir, files: wsAdrs().map((x) => `${dir}/${String(x.number).padStart(4, "0")}-${x.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.md`) };
    }
    case "roadmap_overview": return overview(state.initiatives, wsAdrs());
    case "create_initiative": {
      const title = args<string>(a, "title").trim();
      const key = (args<string | null>(a, "key") ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")).trim();
      if (!title) fail("invalid", "initiative: title: must not be empty");
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(key)) fail("invalid", `initiative "${key}": key: use lower-case letters, digits and inner hyphens`);
      if (state.initiatives.some((s) => s.initiative.key === key)) fail("invalid", `an initiative with key "${key}" already exists in this workspace`);
      const created = { initiative: newInitiative({ key, title }), revision: 1, history: [{ revision: 1, saved_at: now(), summary: "Created" }] };
      state.initiatives.push(created);
      return stored(created);
    }
    case "add_dependency": case "remove_dependency": {
      const key = args<string>(a, "key");
      const on = args<string>(a, "on");
      const s = state.initiatives.find((x) => x.initiative.key === key) ?? fail("not_found", `no initiative "${key}"`);
      if (!state.initiatives.some((x) => x.initiative.key === on)) fail("not_found", `no initiative "${on}"`);
      const before = s.initiative.depends_on;
      s.initiative.depends_on = cmd === "add_dependency" ? [...new Set([...before, on])] : before.filter((d) => d !== on);
      try {
        overview(state.initiatives, wsAdrs());
      } catch {
        s.initiative.depends_on = before;
        fail("cycle", `the dependencies form a cycle: ${key} → ${on} → … → ${key}`);
      }
      s.revision += 1;
      s.history.unshift({ revision: s.revision, saved_at: now(), summary: "Edited depends_on" });
      return stored(s);
    }
    case "save_initiative": {
      const next = args<Initiative>(a, "initiative");
      const s = state.initiatives.find((x) => x.initiative.id === next.id) ?? fail("not_found", "initiative not found");
      if (s.revision !== args<number>(a, "expectedRevision")) {
        fail("conflict", `initiative "${s.initiative.key}" was changed elsewhere (revision ${s.revision}, not ${args<number>(a, "expectedRevision")}); reload it and apply your edit again`);
      }
      if (!next.title.trim()) fail("invalid", `initiative "${next.key}": title: must not be empty`);
      if (next.start && next.end && next.end < next.start) fail("invalid", `initiative "${next.key}": end: ${next.end} is before the start ${next.start}`);
      if (next.target_quarter && !/^\d{4}-Q[1-4]$/.test(next.target_quarter)) {
        fail("invalid", `initiative "${next.key}": target_quarter: "${next.target_quarter}" is not a quarter (expected e.g. 2026-Q1)`);
      }
      if (next.estimate_days > 3650) fail("invalid", `initiative "${next.key}": estimate_days: at most 3650 days (ten years)`);
      const before = s.initiative;
      const changed = (Object.keys(next) as (keyof Initiative)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
      s.initiative = structuredClone(next);
      try {
        overview(state.initiatives, wsAdrs());
      } catch {
        s.initiative = before;
        fail("cycle", `the dependencies form a cycle: ${next.key} → … → ${next.key}`);
      }
      s.revision += 1;
      s.history.unshift({ revision: s.revision, saved_at: now(), summary: changed.length ? `Edited ${changed.join(", ")}` : "Saved" });
      return stored(s);
    }
    case "remove_initiative": {
      const key = args<string>(a, "key");
      const s = state.initiatives.find((x) => x.initiative.key === key) ?? fail("not_found", `no initiative "${key}" in this workspace (see \`plasma roadmap list\`)`);
      const dependents = state.initiatives.filter((x) => x.initiative.depends_on.includes(key)).map((x) => x.initiative.key);
      if (dependents.length) {
        fail("invalid", `initiative "${key}" cannot be deleted: ${dependents.join(", ")} depend${dependents.length === 1 ? "s" : ""} on it`);
      }
      state.initiatives = state.initiatives.filter((x) => x !== s);
      return null;
    }
    case "initiative_history": {
      const key = args<string>(a, "key");
      const s = state.initiatives.find((x) => x.initiative.key === key) ?? fail("not_found", `no initiative "${key}"`);
      return structuredClone(s.history);
    }
    case "list_slos": return state.slos.filter((x) => x.slo.workspace_id === state.current).map(sloRow);
    case "create_slo": return createSlo(state.slos, state.current, args<NewSlo>(a, "slo"));
    case "save_slo": {
      const next = args<Slo>(a, "slo");
      const s = state.slos.find((x) => x.slo.id === next.id) ?? fail("not_found", "SLO not found");
      if (s.revision !== args<number>(a, "expectedRevision")) fail("conflict", `SLO "${s.slo.service}/${s.slo.name}" was changed elsewhere`);
      validateSlo(next);
      const changed = (["description", "objective", "window", "expected_events", "sli"] as const)
        .filter((k) => JSON.stringify(s.slo[k]) !== JSON.stringify(next[k]));
      s.slo = structuredClone(next);
      s.revision += 1;
      s.history.unshift({ revision: s.revision, saved_at: now(), summary: changed.length ? `Edited ${changed.join(", ")}` : "Saved" });
      return sloRow(s);
    }
    case "remove_slo": {
      const s = findSlo(state.slos, state.current, args<string>(a, "handle"));
      state.slos = state.slos.filter((x) => x !== s);
      return null;
    }
    case "slo_history": return structuredClone(findSlo(state.slos, state.current, args<string>(a, "handle")).history);
    case "import_slo_file": return importSloFile(state.slos, state.current, args<string>(a, "file"));
    case "import_slo_folder": return importSloFolder(state.slos, state.current, args<string>(a, "dir"));
    case "export_slos": return exportSlos(state.slos, state.current, args<SloFormat>(a, "format"), args<string>(a, "dir"));
    case "slo_budget": return budgetOf(args<number>(a, "objective"), args<string>(a, "window"), args<number | null>(a, "expectedEvents"));
    case "dora_targets": return structuredClone(seedDora);
    case "export_roadmap": {
      const out = args<string>(a, "out");
      if (!out.startsWith("/")) fail("io", `${out}: not an absolute path`);
      return { files: [out] };
    }
    case "sync_overview": return syncOverview();
    case "sync_link": {
      const repo = args<string>(a, "repo").trim();
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) fail("invalid", `"${repo}" is not owner/repo`);
      sync.link = { repo, base_branch: args<string | null>(a, "base") ?? "main",
        api_url: args<string | null>(a, "apiUrl") ?? "https://api.github.com", last_commit: null };
      return syncOverview();
    }
    case "sync_unlink": {
      const repo = args<string>(a, "repo").trim();
      if (!sync.link || sync.link.repo.toLowerCase() !== repo.toLowerCase()) fail("not_found", `${repo} is not linked to this workspace (see \`plasma sync link\`)`);
      if (sync.conflicts.length) {
        fail("invalid", `${sync.link.repo} is not unlinked: it has ${sync.conflicts.length} unresolved conflict${sync.conflicts.length === 1 ? "" : "s"} (resolve ${sync.conflicts.length === 1 ? "it" : "them"} first: plasma sync resolve). Nothing was changed.`);
      }
      sync.link = null;
      sync.docs = new Map();
      return syncOverview();
    }
    case "sync_sign_in_start":
      return { api_url: sync.link?.api_url ?? "https://api.github.com", verification_uri: "https://github.com/login/device",
        user_code: "WDJB-MJHT", expires_in: 900 };
    case "sync_sign_in_finish": sync.login = "octocat"; return { api_url: "https://api.github.com", login: "octocat", from_environment: false };
    case "sync_sign_out": sync.login = null; return syncOverview();
    case "sync_publish": return syncPublish(args<PublishTarget>(a, "target"), a.progress as ProgressSink);
    case "sync_pull": return syncPull(a.progress as ProgressSink);
    case "sync_cancel": {
      if (syncRunning) syncCancelRequested = true;
      return syncRunning;
    }
    case "sync_conflicts": return sync.conflicts.map((c) => structuredClone(stripAgreed(c)));
    case "sync_resolve": return syncResolve(args<string>(a, "key"), args<ResolveSide>(a, "side"), args<number>(a, "version"));
    case "sync_resolve_items": return syncResolveItems(args<string>(a, "key"), args<ItemChoice[]>(a, "choices"), args<number>(a, "version"));
    case "app_info": return { version: "0.1.0-mock", db_path: "/tmp/plasma-plan-mock.db" };
    case "compliance_frameworks": return compliance.summaries(state.compliance);
    case "compliance_framework": return compliance.framework(state.compliance, args<string>(a, "id"), fail);
    case "set_compliance_scope": {
      const c = state.compliance;
      const disable = args<string[]>(a, "disable");
      c.scope = [...c.scope.filter((x) => !disable.includes(x)), ...args<string[]>(a, "enable").filter((x) => !c.scope.includes(x) && !disable.includes(x))];
      return c.scope;
    }
    case "compliance_cells": return structuredClone(state.compliance.cells);
    case "update_compliance_cells": return compliance.update(state.compliance, repoNames(), args<CellUpdate>(a, "update"), fail);
    case "compliance_coverage": return compliance.coverage(state.compliance, repoNames(), args<string | null>(a, "framework"));
    case "compliance_gaps": return compliance.gaps(state.compliance, repoNames(), args<string | null>(a, "framework"));
    case "compliance_evidence_findings": return compliance.findings(state.compliance);
    case "export_compliance": return args<string>(a, "path");
    case "threat_control_links":
      threatModelName(args<string>(a, "model"));
      return compliance.threatLinks(state.compliance, args<string>(a, "threat"));
    case "link_threat_control":
    case "unlink_threat_control": {
      const e = args<ThreatControlEdit>(a, "edit");
      return compliance.editThreatLink(state.compliance, repoNames(), e, cmd === "link_threat_control", threatModelName(e.model), fail);
    }
    case "import_compliance_assessment":
      return compliance.importAssessment(state.compliance, repoNames(), args<string>(a, "file"), args<string | null>(a, "framework"), fail);
    case "import_compliance_catalog":
      return compliance.importCatalog(state.compliance, args<string>(a, "file"), args<string | null>(a, "id"), fail);
    case "compliance_evidence_pack": {
      const dir = args<string>(a, "dir");
      return { dir, zip: `${dir}.zip`, files: 0, missing: [] };
    }
    case "plugin:dialog|save": {
      const o = (args<{ defaultPath?: string } | undefined>(a, "options")) ?? {};
      return pickedFolder === null ? null : `${pickedFolder}/${o.defaultPath ?? "export"}`;
    }
    // tauri-plugin-dialog's `open()` (the real one shows a native dialog).
    case "plugin:dialog|open": {
      const o = (args<{ directory?: boolean; multiple?: boolean; title?: string } | undefined>(a, "options")) ?? {};
      const picked = o.directory ? pickedFolder
        : o.title === SLO_PICKER_TITLE ? pickedSloFile
        : o.title === CATALOG_PICKER_TITLE ? DEMO_CATALOG_FILE
        : pickedThreatFile;
      return picked === null ? null : o.multiple ? [picked] : picked;
    }
    default: {
      const r = handleThreats(cmd, a, state.current);
      if (r === undefined) fail("internal", `Unknown command ${cmd}`);
      return r;
    }
  }
}

export async function handle(cmd: string, a: Args): Promise<unknown> {
  calls.push({ cmd, args: structuredClone(a) });
  if (latency) await new Promise((r) => setTimeout(r, latency));
  return dispatch(cmd, a);
}

/** Hooks the browser tests use through `window.__mock`. */
export function exposeTestHooks(app: { requestWindowClose: () => Promise<void> }) {
  (window as unknown as { __mock: unknown }).__mock = {
    calls,
    reset: () => {
      state = fresh(); resetThreats(); sync = freshSync(); calls.length = 0; pickedFolder = DEMO_FOLDER; pickedSloFile = DEMO_SLO_FILE;
    },
    threats: threatHooks,
    complianceCells: () => structuredClone(state.compliance.cells),
    /**
     * Simulates a reviewer's edit on GitHub that conflicts with the local ADR:
     * the decision outcome, and the context too when `remoteContext` is given.
     */
    syncConflict: (n: number, remote: string, remoteContext?: string) => {
      const x = wsAdrs().find((y) => y.number === n);
      if (!x) return;
      sync.docs.set(n, { status: "conflict", pr: sync.docs.get(n)?.pr ?? null, published: null });
      const items = [];
      if (remoteContext !== undefined) {
        items.push({ item: "section:context and problem statement", base: "(as last synced)", local: x.context, remote: remoteContext, text: true });
      }
      items.push({ item: "section:decision outcome", base: "(as last synced)", local: x.decision_outcome, remote, text: true });
      sync.conflicts.push({ key: `adr:${n}`, repo: sync.link?.repo ?? "", prefer_local: x.decision_outcome, prefer_remote: remote, items, version: 1 });
    },
    /** Simulates another window or process rewriting a conflict (a pull): a new version. */
    changeConflictElsewhere: (key: string) => {
      const c = sync.conflicts.find((x) => x.key === key);
      if (c) c.version += 1;
    },
    setLatency: (ms: number) => { latency = ms; },
    /** Time each emulated sync request takes (progress events arrive this far apart). */
    setSyncStepMs: (ms: number) => { syncStepMs = ms; },
    /** The folder the next "Browse for a folder" returns; null simulates Cancel. */
    setPickedFolder: (path: string | null) => { pickedFolder = path; },
    /** The file the next SLO import picker returns; null simulates Cancel. */
    setPickedSloFile: (path: string | null) => { pickedSloFile = path; },
    /** Simulates someone else saving an initiative: bumps its revision. */
    editInitiativeElsewhere: (key: string, title: string) => {
      const s = state.initiatives.find((x) => x.initiative.key === key);
      if (!s) return null;
      s.initiative.title = title;
      s.revision += 1;
      return s.revision;
    },
    /**
     * Runs the app's close-requested handlers as the Tauri window would when
     * the user closes it; resolves when the window would be destroyed.
     */
    requestWindowClose: () => app.requestWindowClose(),
    /** Simulates someone else saving the ADR: bumps its revision. */
    editElsewhere: (id: string, title: string) => {
      const x = find(id);
      x.title = title;
      x.revision += 1;
      x.updated_at = now();
      record(x, "Edited title (elsewhere)");
      return x.revision;
    },
    adr: (n: number) => structuredClone(wsAdrs().find((x) => x.number === n)),
  };
}
