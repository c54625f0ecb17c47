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
  RoadmapOverview,
  Slo,
  SloRow,
  StoredDoraTargets,
  StoredInitiative,
} from "../api";
import { budget } from "../lib/budget";
import { PLASMA_ID } from "./seed";

type Stored = { initiative: Initiative; revision: number };

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
  ].map((i) => ({ initiative: i, revision: 1 }));
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
    alerting: { name: "", labels: {}, annotations: {}, page: { disabled: false, labels: {} }, ticket: { disabled: false, labels: {} } },
    policy: [{ consumed_percent: 100, action: "Freeze feature releases." }],
    labels: {},
  };
}

export function seedSlos(): { slo: Slo; revision: number }[] {
  return [
    slo("plasma-engine-gateway", "requests-availability", 99.9, 10_000_000),
    slo("plasma-engine-content", "jobs-success", 99.5, null),
  ].map((s) => ({ slo: s, revision: 1 }));
}

export const seedDora: StoredDoraTargets = {
  revision: 1,
  targets: [
    { metric: "change_failure_rate", environment: "all", comparison: "below", value: 15, unit: "percent", note: "" },
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
