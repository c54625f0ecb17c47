// Mock roadmap and SLO commands: an in-memory plan computed the way the
// Rust side does (stable Kahn order, critical path method, quarter dates,
// ADR gates), small enough for the browser tests.
import type {
  Adr,
  AppError,
  ErrorBudget,
  GateResult,
  Initiative,
  InitiativeRow,
  NewSlo,
  RevisionSummary,
  RoadmapOverview,
  Slo,
  SloExportReport,
  SloFolderImportReport,
  SloFormat,
  SloImportReport,
  SloRow,
  StoredDoraTargets,
  StoredInitiative,
} from "../api";
import { budget } from "../lib/budget";
import { PLASMA_ID } from "./seed";

type Stored = { initiative: Initiative; revision: number; history: RevisionSummary[] };

function fail(code: AppError["code"], message: string): never {
  const e: AppError = { code, message };
  throw e;
}

function initiative(p: Partial<Initiative> & Pick<Initiative, "key" | "title">): Initiative {
  return {
    id: `10000000-0000-4000-8000-${p.key.padEnd(12, "0").slice(0, 12).replace(/[^0-9a-f]/g, "0")}`,
    workspace_id: PLASMA_ID,
    description: "",
    repositories: [],
    owner: "",
    status: "proposed",
    target_quarter: null,
    start: null,
    end: null,
    estimate_days: 5,
    milestones: [],
    depends_on: [],
    new_data_flow: false,
    architecture_change: false,
    regulated_data: false,
    threat_models: [],
    adrs: [],
    controls: [],
    ...p,
  };
}

export function seedInitiatives(): Stored[] {
  return [
    initiative({ key: "ci", title: "Reusable CI workflows", estimate_days: 10, target_quarter: "2026-Q1", status: "in_progress", architecture_change: true, adrs: [1] }),
    initiative({ key: "compose", title: "Local dev with Docker Compose", estimate_days: 5, target_quarter: "2026-Q1" }),
    initiative({ key: "mtls", title: "Mutual TLS between services", estimate_days: 15, depends_on: ["ci"], target_quarter: "2026-Q2", architecture_change: true, adrs: [4] }),
  ].map((i) => ({ initiative: i, revision: 1, history: created() }));
}

const ratio = (good: string, total: string): Slo["sli"] => ({
  kind: "ratio", counter: "bad", numerator_query: good, total_query: total, source: "prometheus",
});

function slo(service: string, name: string, objective: number, expected: number | null): Slo {
  return {
    id: `20000000-0000-4000-8000-${String(service.length * 100 + name.length).padStart(12, "0")}`,
    workspace_id: PLASMA_ID,
    service,
    name,
    display_name: "",
    description: "",
    sli: ratio(`sum(rate(errors{service="${service}"}[{{.window}}]))`, `sum(rate(requests{service="${service}"}[{{.window}}]))`),
    objective,
    window: { length: { count: 30, unit: "day" }, rolling: true, calendar_start: null, time_zone: null },
    budgeting_method: "Occurrences",
    timeslice_window: null,
    timeslice_target: null,
    expected_events: expected,
    alerting: { name: "", labels: {}, annotations: {}, page: { disabled: false, labels: {}, annotations: {} }, ticket: { disabled: false, labels: {}, annotations: {} } },
    policy: [{ consumed_percent: 100, action: "Freeze feature releases." }],
    labels: {},
  };
}

export type StoredSloMock = { slo: Slo; revision: number; history: RevisionSummary[] };

const created = (at = "2026-01-05T09:00:00Z"): RevisionSummary[] => [{ revision: 1, saved_at: at, summary: "Created" }];

export function seedSlos(): StoredSloMock[] {
  const gateway = slo("plasma-engine-gateway", "requests-availability", 99.9, 10_000_000);
  gateway.description = "Share of gateway requests answered without a 5xx.";
  return [gateway, slo("plasma-engine-content", "jobs-success", 99.5, null)]
    .map((s) => ({ slo: s, revision: 1, history: created() }));
}

export const seedDora: StoredDoraTargets = {
  revision: 1,
  targets: [
    { metric: "deployment_frequency", environment: "production", comparison: "at_least", value: 1, unit: "per week", note: "" },
    { metric: "lead_time_for_changes", environment: "production", comparison: "below", value: 1, unit: "days", note: "" },
    { metric: "change_failure_rate", environment: "all", comparison: "below", value: 15, unit: "percent", note: "" },
    { metric: "time_to_restore", environment: "production", comparison: "below", value: 4, unit: "hours", note: "" },
  ],
};

const LETTER: Record<string, string> = { minute: "m", hour: "h", day: "d", week: "w", month: "M", quarter: "Q", year: "Y" };
const windowText = (s: Slo) => `${s.window.length.count}${LETTER[s.window.length.unit]}`;

export function budgetOf(objective: number, window: string, expected: number | null): ErrorBudget {
  const b = budget(objective, window, expected);
  if (!b) fail("invalid", `objective: ${objective} over ${window} makes no budget`);
  return {
    objective,
    budget_fraction: b.fraction,
    window_minutes: b.windowMinutes,
    budget_minutes: b.budgetMinutes,
    budget_events: b.budgetEvents,
    alerts: b.alerts.map((a) => ({
      severity: a.severity,
      burn_rate: a.burnRate,
      long_window: a.longWindow,
      short_window: a.shortWindow,
      error_ratio_threshold: a.errorRatioThreshold,
      budget_consumed_percent: a.budgetConsumedPercent,
      hours_to_exhaustion: a.hoursToExhaustion,
    })),
  };
}

export const sloRow = (s: { slo: Slo; revision: number }): SloRow => ({
  slo: structuredClone(s.slo),
  revision: s.revision,
  budget: budgetOf(s.slo.objective ?? 0, windowText(s.slo), s.slo.expected_events ?? null),
});

function quarterStart(q: string | null | undefined): string | null {
  const m = q ? /^(\d{4})-Q([1-4])$/.exec(q) : null;
  return m ? `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, "0")}-01` : null;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

function gates(i: Initiative, adrs: Adr[]): GateResult[] {
  if (!i.architecture_change) return [];
  const links = i.adrs.map((n) => {
    const a = adrs.find((x) => x.number === n);
    const problem = !a ? `ADR ${n} does not exist` : a.status.kind !== "accepted" ? `ADR ${n} is ${a.status.kind}, not accepted` : null;
    return { kind: "adr", reference: String(n), title: a?.title ?? null, ok: problem === null, problem };
  });
  const met = links.length > 0 && links.every((l) => l.ok);
  const lacking = links.length === 0
    ? "an architecture change needs an accepted ADR; none is linked"
    : links.flatMap((l) => (l.problem ? [l.problem] : [])).join("; ");
  return [{ gate: "accepted_adr", met, lacking, links }];
}

/** Kahn (first given first), CPM, dates from quarters. Throws on a cycle. */
export function overview(list: Stored[], adrs: Adr[]): RoadmapOverview {
  type Node = { s: Stored; it: Initiative; dur: number; es: number; ef: number; ls: number; start: string; finish: string };
  const nodes: Node[] = list.map((s) => ({
    s, it: s.initiative, dur: s.initiative.status === "cancelled" ? 0 : s.initiative.estimate_days,
    es: 0, ef: 0, ls: 0, start: "", finish: "",
  }));
  const byKey = new Map(nodes.map((n) => [n.it.key, n]));
  const deps = (n: Node) => n.it.depends_on.flatMap((d) => byKey.get(d) ?? []);
  const succ = (n: Node) => nodes.filter((m) => m.it.depends_on.includes(n.it.key));
  const indegree = new Map(nodes.map((n) => [n, deps(n).length]));
  const order: Node[] = [];
  const ready = nodes.filter((n) => indegree.get(n) === 0);
  while (ready.length) {
    ready.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
    const v = ready.shift() as Node;
    order.push(v);
    for (const m of succ(v)) {
      const left = (indegree.get(m) ?? 0) - 1;
      indegree.set(m, left);
      if (left === 0) ready.push(m);
    }
  }
  if (order.length < nodes.length) fail("cycle", "the dependencies form a cycle");
  for (const v of order) {
    v.es = Math.max(0, ...deps(v).map((d) => d.ef));
    v.ef = v.es + v.dur;
  }
  const total = Math.max(0, ...nodes.map((n) => n.ef));
  for (const v of [...order].reverse()) {
    const next = succ(v);
    v.ls = (next.length ? Math.min(...next.map((m) => m.ls)) : total) - v.dur;
  }
  const starts = nodes.map((n) => n.it.start ?? quarterStart(n.it.target_quarter)).filter((x): x is string => !!x).sort();
  const day0 = starts[0] ?? "2026-01-05";
  for (const v of order) {
    const candidates = [day0, ...deps(v).map((d) => d.finish), v.it.start ?? quarterStart(v.it.target_quarter) ?? day0].sort();
    v.start = candidates[candidates.length - 1] ?? day0;
    v.finish = addDays(v.start, v.dur);
  }
  const rows: InitiativeRow[] = order.map((v, i) => ({
    initiative: structuredClone(v.it),
    revision: v.s.revision,
    order: i + 1,
    schedule: {
      key: v.it.key, duration: v.dur, earliest_start: v.es, earliest_finish: v.ef,
      latest_start: v.ls, latest_finish: v.ls + v.dur, slack: v.ls - v.es, critical: v.ls === v.es,
    },
    start: v.start,
    finish: v.finish,
    readiness: { key: v.it.key, gates: gates(v.it, adrs) },
  }));
  const critical: string[] = [];
  let cur = order.find((v) => v.es === 0 && v.ls === 0);
  while (cur) {
    critical.push(cur.it.key);
    const c = cur;
    cur = order.find((m) => m.it.depends_on.includes(c.it.key) && m.es === c.ef && m.ls === m.es);
  }
  const edges = order.flatMap((v) => v.it.depends_on.map((d): [string, string] => [d, v.it.key]));
  return { start: day0, rows, critical_path: critical, duration: total, edges };
}

export function stored(s: Stored): StoredInitiative {
  return { initiative: structuredClone(s.initiative), revision: s.revision, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
}

export { initiative as newInitiative };

// ---- SLO commands beyond list/save ------------------------------------------

const DNS = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const UNIT_OF: Record<string, Slo["window"]["length"]["unit"]> = {
  m: "minute", h: "hour", d: "day", w: "week", M: "month", Q: "quarter", Y: "year",
};

/** What the Rust side refuses in `Slo::validate`, with its wording. */
export function validateSlo(s: Slo): void {
  const h = `${s.service}/${s.name}`;
  const dns = "use 1 to 63 lower-case letters, digits and inner hyphens";
  if (!DNS.test(s.service)) fail("invalid", `SLO "${h}": service: ${dns}`);
  if (!DNS.test(s.name)) fail("invalid", `SLO "${h}": name: ${dns}`);
  if (!(s.objective !== null && s.objective > 0 && s.objective < 100)) {
    fail("invalid", `SLO "${h}": objective: ${s.objective} is not a percentage above 0 and below 100 (100 leaves no error budget)`);
  }
  if (s.sli.kind === "ratio" && (!s.sli.numerator_query.trim() || !s.sli.total_query.trim())) {
    fail("invalid", `SLO "${h}": sli: a ratio needs both of its queries`);
  }
  if (s.sli.kind === "threshold" && !s.sli.query.trim()) fail("invalid", `SLO "${h}": sli: a threshold SLI needs a query`);
  if (s.sli.kind === "error_ratio" && !s.sli.query.trim()) fail("invalid", `SLO "${h}": sli: an error-ratio SLI needs its query`);
  if (s.sli.kind === "plugin" && !s.sli.id.trim()) fail("invalid", `SLO "${h}": sli: a plugin SLI needs the plugin's id`);
}

export function createSlo(list: StoredSloMock[], workspace: string, n: NewSlo): SloRow {
  const m = /^(\d+)([mhdwMQY])$/.exec(n.window.trim());
  const unit = m ? UNIT_OF[m[2] ?? ""] : undefined;
  if (!m || !unit || Number(m[1]) === 0) fail("invalid", `"${n.window}" is not a window (expected a count and a unit: 5m, 1h, 30d, 2w, 1M, 1Q, 1Y)`);
  const base = slo(n.service.trim(), n.name.trim(), n.objective ?? 0, n.expected_events ?? null);
  const next: Slo = {
    ...base,
    id: crypto.randomUUID(),
    workspace_id: workspace,
    display_name: n.display_name.trim(),
    description: n.description.trim(),
    sli: structuredClone(n.sli),
    window: n.calendar
      ? { length: { count: Number(m[1]), unit }, rolling: false, calendar_start: "2026-01-01 00:00:00", time_zone: "UTC" }
      : { length: { count: Number(m[1]), unit }, rolling: true, calendar_start: null, time_zone: null },
  };
  validateSlo(next);
  if (list.some((x) => x.slo.workspace_id === workspace && x.slo.service === next.service && x.slo.name === next.name)) {
    fail("invalid", `SLO "${next.service}/${next.name}" already exists in this workspace`);
  }
  const stored = { slo: next, revision: 1, history: created(new Date().toISOString()) };
  list.push(stored);
  return sloRow(stored);
}

export function findSlo(list: StoredSloMock[], workspace: string, handle: string): StoredSloMock {
  const [service, name] = handle.includes("/") ? handle.split("/", 2) : [null, handle];
  const found = list.filter((x) => x.slo.workspace_id === workspace && x.slo.name === name && (service === null || x.slo.service === service));
  if (found.length !== 1) fail("not_found", `no SLO "${handle}" in this workspace (see \`plasma slo list\`)`);
  return found[0] as StoredSloMock;
}

/** `/.../checkout.openslo.yaml` adds checkout/availability and updates the gateway SLO; a name with "broken" fails. */
export function importSloFile(list: StoredSloMock[], workspace: string, file: string): SloImportReport {
  const name = file.split("/").pop() ?? file;
  if (name.includes("broken")) fail("invalid", `${file}: line 7: spec.objectives[0].target: 1.2 is not a fraction below 1`);
  const items: [string, "created" | "updated" | "unchanged"][] = [];
  const checkout = list.find((x) => x.slo.workspace_id === workspace && x.slo.service === "checkout" && x.slo.name === "availability");
  if (checkout) {
    items.push(["checkout/availability", "unchanged"]);
  } else {
    createSlo(list, workspace, {
      service: "checkout", name: "availability", display_name: "Checkout availability", description: `Imported from ${name}.`,
      sli: ratio(`sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))`, `sum(rate(http_requests_total{service="checkout"}[{{.window}}]))`),
      objective: 99.95, window: "28d", calendar: false, expected_events: null,
    });
    items.push(["checkout/availability", "created"]);
  }
  const gw = list.find((x) => x.slo.workspace_id === workspace && x.slo.service === "plasma-engine-gateway");
  if (gw) {
    gw.slo.labels = { ...gw.slo.labels, tier: "1" };
    gw.revision += 1;
    gw.history.unshift({ revision: gw.revision, saved_at: new Date().toISOString(), summary: `Imported from ${name}` });
    items.push([`${gw.slo.service}/${gw.slo.name}`, "updated"]);
  }
  return {
    file, format: name.includes("sloth") ? "sloth" : "open_slo", items,
    notes: [`${name}: metadata.annotations of checkout/availability are not imported (kept as a note)`],
  };
}

/** A folder holds `checkout.openslo.yaml` (imported as [`importSloFile`] does), `deploy.yaml` (skipped) and, when its path says "broken", a broken spec. */
export function importSloFolder(list: StoredSloMock[], workspace: string, dir: string): SloFolderImportReport {
  const clean = dir.replace(/\/+$/, "");
  const failed = clean.includes("broken")
    ? [{ file: "broken.yaml", line: null, reason: "/0/spec: no objectives" }]
    : [];
  return {
    dir: clean,
    files: [{ ...importSloFile(list, workspace, `${clean}/checkout.openslo.yaml`), file: "checkout.openslo.yaml" }],
    skipped: [{ file: "deploy.yaml", line: null, reason: "apiVersion \"apps/v1\" Deployment is neither OpenSLO nor a Sloth spec" }],
    failed,
  };
}

export function exportSlos(list: StoredSloMock[], workspace: string, format: SloFormat, dir: string): SloExportReport {
  const clean = dir.replace(/\/+$/, "");
  if (!clean.startsWith("/")) fail("io", `${dir}: not an absolute path`);
  const mine = list.filter((x) => x.slo.workspace_id === workspace);
  const skipped = format === "sloth"
    ? mine.filter((x) => x.slo.sli.kind === "threshold").map((x) => `${x.slo.service}/${x.slo.name}: a threshold SLI has no Sloth form (Sloth reads event ratios)`)
    : [];
  const services = [...new Set(mine.filter((x) => format !== "sloth" || x.slo.sli.kind !== "threshold").map((x) => x.slo.service))].sort();
  return { dir: clean, files: services.map((s) => `${s}.${format === "sloth" ? "sloth" : "openslo"}.yaml`), skipped };
}
