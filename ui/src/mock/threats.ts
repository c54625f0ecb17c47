// The mock backend's threat models: the same commands and shapes as the
// Rust workbench, with a handful of stand-in STRIDE rules (the real engine
// has 140) so the UI can be exercised in a plain browser.
import type {
  AppError, Diagram, Element, ElementKind, ErrorCode, NewThreat, Ruling, SessionView, Stride, StoredThreatModel, Threat,
  ThreatEdit, ThreatModel, ThreatModelSummary, ThreatRow, ThreatSession, ThreatTarget,
} from "../api";
import { PLASMA_ID } from "./seed";

type Args = Record<string, unknown>;
type StoredSession = { session: ThreatSession; version: number; started_at: string; updated_at: string };

function fail(code: ErrorCode, message: string): never {
  const e: AppError = { code, message };
  throw e;
}
const now = () => new Date().toISOString();
const id = () => crypto.randomUUID();

let models = new Map<string, StoredThreatModel>();
let sessions = new Map<string, StoredSession>();
/** Test hook: what the file picker "chooses" for imports (null = cancel). */
export let pickedThreatFile: string | null = "/home/demo/models/shop-td.json";
export const reportsWritten: { dir: string; files: string[] }[] = [];
/** Threat Dragon files "written": the path and the model's name. */
export const exportsWritten: { file: string; model: string; format: string }[] = [];

function element(kind: ElementKind, name: string, x: number | null, y: number | null, boundary: string | null, props: Partial<Element["props"]> = {}): Element {
  const size = kind === "data_store" ? { width: 160, height: 60 } : kind === "process" ? { width: 150, height: 72 } : { width: 150, height: 64 };
  return {
    id: id(), kind, name, description: "", boundary,
    position: x === null || y === null ? null : { x, y, ...size },
    props: {
      stores_credentials: false, is_log: false, encrypted_at_rest: false, signed: false, privilege: "standard", web_application: false,
      api_gateway: false, queue_or_stream: false, llm_component: false, handles_untrusted_input: false, sanitizes_input: false,
      has_access_control: false, hardened: false, tags: [], ...props,
    },
  };
}

function flow(name: string, source: string, target: string, extra: Partial<Diagram["flows"][number]> = {}): Diagram["flows"][number] {
  return {
    id: id(), name, source, target, bidirectional: false, protocol: "https", port: 443, authenticated: false, authorized: false,
    encrypted_in_transit: true, crosses_public_network: false, data: [], position: null, points: [], ...extra,
  };
}

function seedModel(workspace: string): ThreatModel {
  const dmz = { id: id(), name: "Cloud VPC", parent: null, position: { x: 300, y: 40, width: 560, height: 340 } };
  const customer = element("external_entity", "Customer", 40, 160, null, { handles_untrusted_input: true });
  const api = element("process", "Payments API", 340, 150, dmz.id, { web_application: true, handles_untrusted_input: true });
  const db = element("data_store", "Ledger DB", 640, 80, dmz.id, { stores_credentials: true });
  const logs = element("data_store", "Audit log", 640, 260, dmz.id, { is_log: true });
  const d: Diagram = {
    id: id(), name: "Main", elements: [customer, api, db, logs], boundaries: [dmz],
    flows: [
      flow("Pay", customer.id, api.id, { crosses_public_network: true, authenticated: true }),
      flow("Write entry", api.id, db.id, { protocol: "sql", port: 5432, encrypted_in_transit: false }),
      flow("Audit", api.id, logs.id),
    ],
  };
  return { id: id(), workspace_id: workspace, name: "Payments", description: "Card payments through the public API.", repositories: ["plasma-gateway"], diagrams: [d], data_assets: [], threats: [] };
}

/** A model of `n` elements in a grid, chained by flows (for the 1,000-element check). */
function bigModel(workspace: string, n: number): ThreatModel {
  const elements: Element[] = [];
  const kinds: ElementKind[] = ["process", "data_store", "external_entity"];
  for (let i = 0; i < n; i++) {
    elements.push(element(kinds[i % 3] ?? "process", `Service ${i + 1}`, (i % 40) * 220, Math.floor(i / 40) * 140, null));
  }
  const flows = elements.slice(1).map((e, i) => flow(`f${i + 1}`, elements[i]?.id ?? e.id, e.id));
  return {
    id: id(), workspace_id: workspace, name: `Large model (${n})`, description: "", repositories: [],
    diagrams: [{ id: id(), name: "Main", elements, flows, boundaries: [] }], data_assets: [], threats: [],
  };
}

export function resetThreats() {
  models = new Map();
  sessions = new Map();
  pickedThreatFile = "/home/demo/models/shop-td.json";
  reportsWritten.length = 0;
  exportsWritten.length = 0;
  const m = seedModel(PLASMA_ID);
  models.set(m.id, { model: m, revision: 1, created_at: "2024-06-01T09:00:00Z", updated_at: "2024-06-01T09:00:00Z" });
  const n = Number(new URLSearchParams(window.location.search).get("mock-threat-elements") ?? "");
  if (Number.isInteger(n) && n > 0) {
    const big = bigModel(PLASMA_ID, Math.min(n, 20_000));
    models.set(big.id, { model: big, revision: 1, created_at: now(), updated_at: now() });
  }
}
resetThreats();

export function setPickedThreatFile(p: string | null) {
  pickedThreatFile = p;
}

function find(mid: string): StoredThreatModel {
  const m = models.get(mid);
  if (!m) fail("not_found", `threat model ${mid}`);
  return m;
}

function targetName(m: ThreatModel, tid: string): string | null {
  for (const d of m.diagrams) {
    const e = d.elements.find((x) => x.id === tid);
    if (e) return e.name;
    const f = d.flows.find((x) => x.id === tid);
    if (f) return f.name;
  }
  return null;
}

const RANK = { low: 0, medium: 1, high: 2 } as const;
const SEV = ["note", "low", "medium", "high", "critical"] as const;
function severity(t: Threat) {
  return t.severity_override ?? SEV[RANK[t.likelihood] + RANK[t.impact]] ?? "medium";
}

function row(m: ThreatModel, t: Threat): ThreatRow {
  return {
    id: t.id, short_id: t.id.slice(0, 8), severity: severity(t), status: t.status.kind, category: t.category,
    target_kind: t.target.kind, target_id: t.target.id, target_name: targetName(m, t.target.id), title: t.title, rule_id: t.rule_id,
    obsolete: t.obsolete, mitigations: t.mitigations.length, mitigations_done: t.mitigations.filter((x) => x.status === "done").length,
  };
}

function summary(s: StoredThreatModel): ThreatModelSummary {
  const m = s.model;
  const open = m.threats.filter((t) => !t.obsolete && t.status.kind === "open" && !t.mitigations.some((x) => x.status === "done"));
  return {
    id: m.id, name: m.name, description: m.description, revision: s.revision, updated_at: s.updated_at, diagrams: m.diagrams.length,
    elements: m.diagrams.reduce((n, d) => n + d.elements.length, 0), flows: m.diagrams.reduce((n, d) => n + d.flows.length, 0),
    data_assets: m.data_assets.length, threats: m.threats.length, unmitigated: open.length, obsolete: m.threats.filter((t) => t.obsolete).length,
  };
}

function validate(m: ThreatModel) {
  if (!m.name.trim()) fail("invalid", "the threat model needs a name");
  for (const d of m.diagrams) {
    const ids = new Set(d.elements.map((e) => e.id));
    for (const f of d.flows) {
      if (!ids.has(f.source) || !ids.has(f.target)) fail("invalid", `flow "${f.name}" (${f.id}): an end is not an element of diagram "${d.name}"`);
      if (f.source === f.target) fail("invalid", `flow "${f.name}" (${f.id}) starts and ends at the same element`);
    }
    const bs = new Set(d.boundaries.map((b) => b.id));
    for (const e of d.elements) if (e.boundary && !bs.has(e.boundary)) fail("invalid", `element "${e.name}" is placed in an unknown boundary`);
  }
}

function save(mid: string, expected: number, model: ThreatModel): StoredThreatModel {
  const cur = find(mid);
  if (cur.revision !== expected) fail("conflict", `threat model "${cur.model.name}" was saved elsewhere (revision ${cur.revision}, you had ${expected})`);
  validate(model);
  const clash = [...models.values()].find((x) => x.model.id !== mid && x.model.workspace_id === model.workspace_id && x.model.name.toLowerCase() === model.name.trim().toLowerCase());
  if (clash) fail("invalid", `a threat model named "${model.name}" already exists in this workspace`);
  if (JSON.stringify(cur.model) === JSON.stringify(model)) return structuredClone(cur);
  const next = { ...cur, model: structuredClone(model), revision: cur.revision + 1, updated_at: now() };
  models.set(mid, next);
  return structuredClone(next);
}

type MockRule = { id: string; title: string; category: Stride; applies: "element" | "flow"; when: (x: Record<string, unknown>, kind?: ElementKind) => [string, string][] | null; likelihood: "low" | "medium" | "high"; impact: "low" | "medium" | "high" };
const RULES: MockRule[] = [
  { id: "SP-EE-01", title: "Spoofing of an external entity", category: "spoofing", applies: "element", likelihood: "medium", impact: "high", when: (_x, k) => (k === "external_entity" ? [["kind", "external_entity"]] : null) },
  { id: "EP-PR-01", title: "Elevation of privilege through untrusted input", category: "elevation_of_privilege", applies: "element", likelihood: "medium", impact: "high", when: (x, k) => (k === "process" && (x.props as Element["props"]).handles_untrusted_input && !(x.props as Element["props"]).sanitizes_input ? [["handles_untrusted_input", "true"], ["sanitizes_input", "false"]] : null) },
  { id: "TA-DS-01", title: "Tampering with stored data", category: "tampering", applies: "element", likelihood: "medium", impact: "medium", when: (x, k) => (k === "data_store" && !(x.props as Element["props"]).has_access_control ? [["has_access_control", "false"]] : null) },
  { id: "ID-DS-02", title: "Credentials readable at rest", category: "information_disclosure", applies: "element", likelihood: "high", impact: "high", when: (x, k) => (k === "data_store" && (x.props as Element["props"]).stores_credentials && !(x.props as Element["props"]).encrypted_at_rest ? [["stores_credentials", "true"], ["encrypted_at_rest", "false"]] : null) },
  { id: "RE-LG-01", title: "Log entries can be altered or denied", category: "repudiation", applies: "element", likelihood: "low", impact: "medium", when: (x, k) => (k === "data_store" && (x.props as Element["props"]).is_log && !(x.props as Element["props"]).signed ? [["is_log", "true"], ["signed", "false"]] : null) },
  { id: "ID-FL-01", title: "Eavesdropping on an unencrypted flow", category: "information_disclosure", applies: "flow", likelihood: "high", impact: "medium", when: (x) => (!x.encrypted_in_transit ? [["encrypted_in_transit", "false"]] : null) },
  { id: "DO-FL-02", title: "Flooding a public flow", category: "denial_of_service", applies: "flow", likelihood: "medium", impact: "medium", when: (x) => (x.crosses_public_network ? [["crosses_public_network", "true"]] : null) },
];

function generate(mid: string) {
  const cur = find(mid);
  const m = structuredClone(cur.model);
  const fresh: Threat[] = [];
  for (const d of m.diagrams) {
    const targets: [Record<string, unknown>, ThreatTarget, ElementKind | undefined][] = [
      ...d.elements.map((e) => [e as unknown as Record<string, unknown>, { kind: "element", id: e.id } as ThreatTarget, e.kind] as [Record<string, unknown>, ThreatTarget, ElementKind]),
      ...d.flows.map((f) => [f as unknown as Record<string, unknown>, { kind: "flow", id: f.id } as ThreatTarget, undefined] as [Record<string, unknown>, ThreatTarget, undefined]),
    ];
    for (const [x, target, kind] of targets) {
      for (const r of RULES) {
        if (r.applies !== target.kind) continue;
        const why = r.when(x, kind);
        if (!why) continue;
        fresh.push({
          id: `${r.id}-${target.id}`,
          rule_id: r.id, title: `${r.title}: ${String(x.name)}`, category: r.category, target, description: `Stand-in rule ${r.id}.`,
          likelihood: r.likelihood, impact: r.impact, severity_override: null, cvss: null, status: { kind: "open" }, notes: "", mitigations: [],
          linked_adrs: [], rationale: why.map(([property, value]) => ({ property, value })), obsolete: false,
          suggested_mitigations: ["Authenticate every request", "Encrypt with TLS 1.3"], references: ["CWE-287"],
        });
      }
    }
  }
  const before = new Map(m.threats.map((t) => [t.id, t]));
  const counts = { new: 0, kept: 0, obsolete: 0, other: 0 };
  const freshIds = new Set(fresh.map((t) => t.id));
  const out: Threat[] = [];
  for (const t of m.threats) {
    if (!t.rule_id) { counts.other++; out.push(t); continue; }
    if (freshIds.has(t.id)) { counts.kept++; out.push({ ...t, obsolete: false }); } else { counts.obsolete++; out.push({ ...t, obsolete: true }); }
  }
  for (const t of fresh) if (!before.has(t.id)) { counts.new++; out.push(t); }
  m.threats = out;
  const saved = save(mid, cur.revision, m);
  return { model: summary(saved), counts };
}

function view(s: StoredSession): SessionView {
  const m = find(s.session.model_id);
  const cur = s.session.steps[s.session.cursor] ?? null;
  const ruled = new Set(s.session.log.flatMap((e) => ("threat" in e.event ? [e.event.threat] : [])));
  const suggestions = cur
    ? m.model.threats.filter((t) => t.target.id === cur.target.id && t.category === cur.category && !t.obsolete && !ruled.has(t.id)).map((t) => row(m.model, t))
    : [];
  return { session: structuredClone(s.session), version: s.version, model_name: m.model.name, model_revision: m.revision, current: cur, suggestions, started_at: s.started_at, updated_at: s.updated_at };
}

function categoriesFor(m: ThreatModel, target: ThreatTarget): Stride[] {
  if (target.kind === "flow") return ["tampering", "information_disclosure", "denial_of_service"];
  const e = m.diagrams.flatMap((d) => d.elements).find((x) => x.id === target.id);
  if (e?.kind === "external_entity") return ["spoofing", "repudiation"];
  if (e?.kind === "data_store") return e.props.is_log ? ["tampering", "repudiation", "information_disclosure", "denial_of_service"] : ["tampering", "information_disclosure", "denial_of_service"];
  return ["spoofing", "tampering", "repudiation", "information_disclosure", "denial_of_service", "elevation_of_privilege"];
}

function sessionStep(sid: string, expected: number, f: (s: ThreatSession, m: ThreatModel) => void): SessionView {
  const st = sessions.get(sid);
  if (!st) fail("not_found", `threat session ${sid}`);
  if (st.version !== expected) fail("conflict", `threat session ${sid} was changed elsewhere`);
  const stored = find(st.session.model_id);
  const s = structuredClone(st.session);
  const m = structuredClone(stored.model);
  f(s, m);
  if (JSON.stringify(m) !== JSON.stringify(stored.model)) save(m.id, stored.revision, m);
  const next = { ...st, session: s, version: st.version + 1, updated_at: now() };
  sessions.set(sid, next);
  return view(next);
}

function active(s: ThreatSession) {
  if (s.state === "ended") fail("invalid", "the session has ended; start a new one");
  if (s.state === "paused") fail("invalid", "the session is paused; resume it first");
}
function log(s: ThreatSession, event: ThreatSession["log"][number]["event"]) {
  s.log.push({ at: now(), step: s.cursor < s.steps.length ? s.cursor : null, event });
}

function minutes(sid: string): string {
  const st = sessions.get(sid);
  if (!st) fail("not_found", `threat session ${sid}`);
  const m = find(st.session.model_id).model;
  const lines = [`# Threat session minutes: ${m.name}`, "", `- Participants: ${st.session.participants.join(", ") || "not recorded"}`,
    `- Progress: ${Math.min(st.session.cursor, st.session.steps.length)} of ${st.session.steps.length} steps`, "", "## Log", "", "| Time | Event |", "|---|---|"];
  for (const e of st.session.log) {
    const ev = e.event;
    const text = ev.kind === "rejected" ? `Rejected: ${ev.title} (because ${ev.reason})` : ev.kind === "confirmed" ? `Confirmed: ${ev.title}` : ev.kind === "added" ? `Added: ${ev.title}` : ev.kind === "note" ? `Note: ${ev.text}` : ev.kind;
    lines.push(`| ${e.at.slice(11, 16)} | ${text} |`);
  }
  return lines.join("\n") + "\n";
}

function arg<T>(a: Args, k: string): T {
  return a[k] as T;
}

/** Threat commands; `undefined` when `cmd` is not one of them. */
export function handleThreats(cmd: string, a: Args, workspace: string): unknown {
  switch (cmd) {
    case "list_threat_models":
      return [...models.values()].filter((s) => s.model.workspace_id === workspace).sort((x, y) => x.model.name.localeCompare(y.model.name)).map(summary);
    case "create_threat_model": {
      const name = arg<string>(a, "name").trim();
      if (!name) fail("invalid", "a threat model needs a name");
      if ([...models.values()].some((s) => s.model.workspace_id === workspace && s.model.name.toLowerCase() === name.toLowerCase())) fail("invalid", `a threat model named "${name}" already exists in this workspace`);
      const m: ThreatModel = { id: id(), workspace_id: workspace, name, description: "", repositories: [], diagrams: [{ id: id(), name: "Main", elements: [], flows: [], boundaries: [] }], data_assets: [], threats: [] };
      const s = { model: m, revision: 1, created_at: now(), updated_at: now() };
      models.set(m.id, s);
      return structuredClone(s);
    }
    case "rename_threat_model": {
      const cur = find(arg(a, "id"));
      return save(cur.model.id, arg(a, "expectedRevision"), { ...cur.model, name: arg<string>(a, "name").trim() });
    }
    case "delete_threat_model":
      find(arg(a, "id"));
      models.delete(arg(a, "id"));
      return null;
    case "get_threat_model": return structuredClone(find(arg(a, "id")));
    case "save_threat_model": return save(arg(a, "id"), arg(a, "expectedRevision"), arg(a, "model"));
    case "save_threat_diagrams": {
      const mid = arg<string>(a, "id");
      return save(mid, arg(a, "expectedRevision"), { ...find(mid).model, diagrams: arg(a, "diagrams") }).revision;
    }
    case "generate_threats": return generate(arg(a, "id"));
    case "update_threat": {
      const cur = find(arg(a, "modelId"));
      if (cur.revision !== arg<number>(a, "expectedRevision")) fail("conflict", "threat model changed elsewhere");
      const e = arg<ThreatEdit>(a, "edit");
      if (e.status.kind === "accepted" && !e.status.justification.trim()) fail("invalid", "accepting a risk needs a justification");
      const m = structuredClone(cur.model);
      const t = m.threats.find((x) => x.id === arg<string>(a, "threatId"));
      if (!t) fail("not_found", "no such threat");
      Object.assign(t, { status: e.status, severity_override: e.severity_override, cvss: e.cvss, notes: e.notes, linked_adrs: e.linked_adrs,
        mitigations: e.mitigations.map((x) => ({ ...x, id: x.id === "00000000-0000-0000-0000-000000000000" ? id() : x.id })) });
      return save(m.id, cur.revision, m);
    }
    case "add_threat": {
      const cur = find(arg(a, "modelId"));
      const n = arg<NewThreat>(a, "threat");
      if (!n.title.trim()) fail("invalid", "a threat needs a title");
      const m = structuredClone(cur.model);
      m.threats.push(manual(n));
      return save(m.id, arg(a, "expectedRevision"), m);
    }
    case "threat_report": {
      const m = find(arg(a, "id")).model;
      const dir = arg<string>(a, "dir").replace(/\/+$/, "");
      const slug = m.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "model";
      const files = [`${slug}.md`, `${slug}-threats.csv`, `${slug}.svg`, `${slug}.mmd`, `${slug}.dot`];
      reportsWritten.push({ dir, files });
      return { dir, files };
    }
    case "export_threat_model": {
      const m = find(arg(a, "id")).model;
      const file = arg<string>(a, "file");
      if (!file.trim()) fail("invalid", "name the file to write");
      exportsWritten.push({ file, model: m.name, format: arg<string>(a, "format") });
      return file;
    }
    case "import_threat_model": {
      const file = arg<string>(a, "file");
      if (!/\.(json|ya?ml|otm|tm7)$/i.test(file)) {
        fail("invalid", `${file}: cannot tell whether this is a Threat Dragon, OTM, pytm, Threagile, Threat Composer or Threat Modeling Tool file`);
      }
      const m = seedModel(workspace);
      m.name = "Shop (imported)";
      for (const d of m.diagrams) {
        for (const e of d.elements) e.position = null;
        for (const b of d.boundaries) b.position = null;
        // A boundary Threat Dragon drew as a line: it keeps its points.
        d.boundaries.push({ id: id(), name: "Internet edge", parent: null, position: null, line: [{ x: 120, y: -80 }, { x: 120, y: 640 }] });
      }
      const s = { model: m, revision: 1, created_at: now(), updated_at: now() };
      models.set(m.id, s);
      return { file, format: "threat_dragon", action: "created", model: summary(s), counts: { new: 0, kept: 0, obsolete: 0, other: 0 } };
    }
    case "start_threat_session": {
      const m = find(arg(a, "modelId")).model;
      let scope = arg<string[]>(a, "scope");
      if (!scope.length) scope = [...m.diagrams.flatMap((d) => d.elements.map((e) => e.id)), ...m.diagrams.flatMap((d) => d.flows.map((f) => f.id))];
      if (!scope.length) fail("invalid", `threat model "${m.name}" has no elements or flows to walk; draw some first`);
      const steps = scope.flatMap((tid) => {
        const isFlow = m.diagrams.some((d) => d.flows.some((f) => f.id === tid));
        const target: ThreatTarget = { kind: isFlow ? "flow" : "element", id: tid };
        return categoriesFor(m, target).map((category) => ({ target, target_name: targetName(m, tid) ?? "?", category }));
      });
      const session: ThreatSession = { id: id(), model_id: m.id, participants: arg<string[]>(a, "participants"), steps, cursor: 0, state: "active", log: [{ at: now(), step: null, event: { kind: "started" } }] };
      const st = { session, version: 1, started_at: now(), updated_at: now() };
      sessions.set(session.id, st);
      return view(st);
    }
    case "threat_session": {
      const st = sessions.get(arg(a, "id"));
      if (!st) fail("not_found", "no such session");
      return view(st);
    }
    case "list_threat_sessions":
      return [...sessions.values()].filter((s) => s.session.model_id === arg(a, "modelId")).reverse().map(view);
    case "session_next": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s) => { active(s); if (s.cursor < s.steps.length) s.cursor++; });
    case "session_rule": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s, m) => {
      active(s);
      const r = arg<Ruling>(a, "ruling");
      const t = m.threats.find((x) => x.id === arg<string>(a, "threatId"));
      if (!t) fail("not_found", "threat is not part of this model");
      if (r.kind === "reject") {
        if (!r.reason.trim()) fail("invalid", "rejecting a threat needs a reason, for the minutes");
        t.status = { kind: "not_applicable" };
        t.notes = [t.notes, `Rejected in a threat session: ${r.reason}`].filter(Boolean).join("\n");
        log(s, { kind: "rejected", threat: t.id, title: t.title, reason: r.reason });
      } else log(s, { kind: "confirmed", threat: t.id, title: t.title });
    });
    case "session_note": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s) => { active(s); log(s, { kind: "note", text: arg<string>(a, "text").trim() }); });
    case "session_add_threat": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s, m) => {
      active(s);
      const t = manual(arg<NewThreat>(a, "threat"));
      m.threats.push(t);
      log(s, { kind: "added", threat: t.id, title: t.title });
    });
    case "session_pause": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s) => { active(s); s.state = "paused"; log(s, { kind: "paused" }); });
    case "session_resume": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s) => { if (s.state !== "paused") fail("invalid", "the session is not paused"); s.state = "active"; log(s, { kind: "resumed" }); });
    case "session_end": return sessionStep(arg(a, "id"), arg(a, "expectedVersion"), (s) => { if (s.state === "ended") fail("invalid", "the session has ended"); s.state = "ended"; log(s, { kind: "ended" }); });
    case "session_minutes": return minutes(arg(a, "id"));
    default: return undefined;
  }
}

function manual(n: NewThreat): Threat {
  return {
    id: id(), rule_id: null, title: n.title.trim(), category: n.category, target: n.target, description: n.description, likelihood: n.likelihood,
    impact: n.impact, severity_override: null, cvss: null, status: { kind: "open" }, notes: "", mitigations: [], linked_adrs: [], rationale: [],
    obsolete: false, suggested_mitigations: [], references: [],
  };
}

/** Test hooks: someone else saves the model (bumps its revision). */
export const threatHooks = {
  editModelElsewhere: (name: string, description: string) => {
    const s = [...models.values()].find((x) => x.model.name === name);
    if (!s) throw new Error(`no model ${name}`);
    s.model = { ...s.model, description };
    s.revision += 1;
    return s.revision;
  },
  model: (name: string) => structuredClone([...models.values()].find((x) => x.model.name === name)),
  models: () => [...models.values()].map((x) => x.model.name),
  reports: () => structuredClone(reportsWritten),
  exports: () => structuredClone(exportsWritten),
  setPickedThreatFile,
};

/** The name of a mock threat model, given its id or name (as the Rust side resolves it). */
export function threatModelName(idOrName: string): string {
  const s = models.get(idOrName) ?? [...models.values()].find((m) => m.model.name === idOrName);
  return s ? s.model.name : fail("not_found", `no threat model "${idOrName}"`);
}
