import { useCallback, useEffect, useMemo, useState } from "react";
import {
  api, errorMessage, isConflict, pickSavePath,
  type Initiative, type InitiativeRow, type RoadmapFormat, type RoadmapOverview, type Workspace, type RecordHit,
} from "../api";
import { Dialog, Icon } from "../components/Dialog";
import { RevisionHistory } from "../components/RevisionHistory";
import { plural } from "../lib/format";
import { TokenInput } from "../components/TokenInput";
import { useToast } from "../components/Toasts";

/** `2026-Q2` for an ISO date. */
export function quarterOf(iso: string): string {
  const [y, m] = iso.split("-");
  return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}

const GATE_LABEL: Record<string, string> = {
  threat_model_reviewed: "Threat model reviewed in a session",
  accepted_adr: "Accepted ADR",
  mapped_controls: "Mapped compliance controls",
};

const DAY = 86_400_000;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The first day of `iso`'s quarter, or of the quarter after it. */
function quarterStart(iso: string, next = false): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const q = Math.floor((m - 1) / 3) + (next ? 1 : 0);
  const year = y + Math.floor(q / 4);
  return `${year}-${String((q % 4) * 3 + 1).padStart(2, "0")}-01`;
}

/** Month starts from `from` (a first of the month) up to `to`, as ISO dates. */
function monthStarts(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (let iso = from; iso < to; ) {
    out.push(iso);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
    iso = `${y}-${String(m).padStart(2, "0")}-01`;
  }
  return out;
}

/**
 * A Gantt chart: one row per initiative in plan order, its bar from its
 * calendar start to finish, the days it can slip hatched after it, critical
 * ones in red; quarters and months on the axis, today as a line.
 */
function Timeline({ rows, selected, onSelect }: { rows: InitiativeRow[]; selected: string | null; onSelect: (key: string) => void }) {
  const axis = useMemo(() => {
    if (rows.length === 0) return null;
    const from = quarterStart(rows.map((r) => r.start).reduce((a, b) => (a < b ? a : b)));
    const last = rows.map((r) => plusDays(r.finish, r.schedule.slack)).reduce((a, b) => (a > b ? a : b));
    const to = quarterStart(last, true);
    const span = daysBetween(from, to);
    const at = (iso: string) => `${(100 * daysBetween(from, iso)) / span}%`;
    const width = (a: string, b: string) => `${(100 * Math.max(daysBetween(a, b), 0.5)) / span}%`;
    const months = monthStarts(from, to);
    const quarters = months.filter((iso) => (Number(iso.slice(5, 7)) - 1) % 3 === 0);
    const today = new Date().toISOString().slice(0, 10);
    return { from, to, at, width, months, quarters, today: today >= from && today < to ? today : null };
  }, [rows]);
  if (!axis) return <p className="muted">No initiatives yet.</p>;
  const grid = (
    <div className="gantt-grid" aria-hidden="true">
      {axis.months.map((iso) => <span key={iso} className={`gantt-line${axis.quarters.includes(iso) ? " gantt-line-q" : ""}`} style={{ left: axis.at(iso) }} />)}
      {axis.today ? <span className="gantt-today" style={{ left: axis.at(axis.today) }} title={`Today, ${axis.today}`} /> : null}
    </div>
  );
  return (
    <section aria-label="Timeline" className="gantt">
      <div className="gantt-head" aria-hidden="true">
        <div className="gantt-label" />
        <div className="gantt-track">
          {axis.quarters.map((iso) => (
            <span key={iso} className="gantt-quarter" style={{ left: axis.at(iso), width: axis.width(iso, quarterStart(iso, true)) }}>{quarterOf(iso)}</span>
          ))}
          {axis.months.map((iso) => (
            <span key={iso} className="gantt-month" style={{ left: axis.at(iso) }}>{MONTHS[Number(iso.slice(5, 7)) - 1]}</span>
          ))}
        </div>
      </div>
      <ol className="gantt-rows">
        {rows.map((r) => {
          const open = () => onSelect(r.initiative.key);
          const status = STATUS_LABEL[r.initiative.status];
          const slackEnd = plusDays(r.finish, r.schedule.slack);
          const summary = `${r.start} → ${r.finish}${r.schedule.critical ? ", critical" : `, ${plural(r.schedule.slack, "day")} of slack`}`;
          return (
            <li key={r.initiative.id} className={`gantt-row${r.schedule.critical ? " gantt-critical" : ""}${selected === r.initiative.key ? " gantt-selected" : ""}`}>
              <button type="button" className="gantt-label" onClick={open}>
                {/* The spaces (not drawn in the flex layout) keep words apart in the button's name. */}
                <strong>{r.initiative.title}</strong>{" "}
                <span className="gantt-meta">
                  <span className="rm-dates">{r.start} → {r.finish}</span>
                  {r.schedule.critical ? <>{" "}<span className="rm-badge">critical</span></> : null}
                  {r.initiative.status !== "proposed" ? <>{" "}<span className={`rm-status rm-status-${r.initiative.status}`}>{status}</span></> : null}
                </span>
              </button>
              {/* The bars repeat the label button for the mouse: hidden from assistive technology, never focusable. */}
              <div className="gantt-track" aria-hidden="true">
                {grid}
                <span className={`gantt-bar gantt-bar-${r.initiative.status}`} style={{ left: axis.at(r.start), width: axis.width(r.start, r.finish) }}
                  title={`${r.initiative.title}: ${summary} (${status})`} onClick={open} />
                {r.schedule.slack > 0 ? (
                  <span className="gantt-slack" style={{ left: axis.at(r.finish), width: axis.width(r.finish, slackEnd) }}
                    title={`${plural(r.schedule.slack, "day")} of slack, until ${slackEnd}`} />
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <p className="gantt-legend muted small" aria-hidden="true">
        <span className="gantt-key gantt-key-bar" /> planned work
        <span className="gantt-key gantt-key-critical" /> critical path
        <span className="gantt-key gantt-key-slack" /> slack
        {axis.today ? <><span className="gantt-key gantt-key-today" /> today</> : null}
      </p>
    </section>
  );
}

/** Layered drawing: a node's column is the length of its longest chain of prerequisites. */
function DependencyGraph({ rows, edges, selected, onSelect }: {
  rows: InitiativeRow[]; edges: [string, string][]; selected: string | null; onSelect: (key: string) => void;
}) {
  const layout = useMemo(() => {
    const level = new Map<string, number>();
    for (const r of rows) {
      const deps = r.initiative.depends_on.map((d) => level.get(d) ?? 0);
      level.set(r.initiative.key, deps.length ? Math.max(...deps) + 1 : 0);
    }
    const perLevel = new Map<number, number>();
    const pos = new Map<string, { x: number; y: number }>();
    for (const r of rows) {
      const l = level.get(r.initiative.key) ?? 0;
      const i = perLevel.get(l) ?? 0;
      perLevel.set(l, i + 1);
      pos.set(r.initiative.key, { x: 20 + l * 220, y: 20 + i * 64 });
    }
    const width = 20 + (Math.max(0, ...level.values()) + 1) * 220;
    const height = 20 + Math.max(1, ...perLevel.values()) * 64;
    return { pos, width, height };
  }, [rows]);
  const critical = new Set(rows.filter((r) => r.schedule.critical).map((r) => r.initiative.key));
  return (
    <svg role="img" aria-label="Dependency graph" width={layout.width} height={layout.height} className="rm-graph">
      <defs>
        <marker id="rm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
        </marker>
      </defs>
      {edges.map(([from, to]) => {
        const a = layout.pos.get(from);
        const b = layout.pos.get(to);
        if (!a || !b) return null;
        return <line key={`${from}>${to}`} x1={a.x + 180} y1={a.y + 20} x2={b.x} y2={b.y + 20} stroke="currentColor" markerEnd="url(#rm-arrow)" />;
      })}
      {rows.map((r) => {
        const p = layout.pos.get(r.initiative.key);
        if (!p) return null;
        return (
          <g key={r.initiative.key} transform={`translate(${p.x},${p.y})`} className="rm-node-g" onClick={() => onSelect(r.initiative.key)}>
            <rect width="180" height="40" rx="6"
              className={`rm-node${critical.has(r.initiative.key) ? " rm-node-critical" : ""}${selected === r.initiative.key ? " rm-node-selected" : ""}`} />
            <text x="10" y="25">{r.initiative.key}</text>
          </g>
        );
      })}
    </svg>
  );
}

const STATUS_LABEL: Record<Initiative["status"], string> = {
  proposed: "Proposed", planned: "Planned", in_progress: "In progress", done: "Done", cancelled: "Cancelled",
};
const STATUSES = Object.keys(STATUS_LABEL) as Initiative["status"][];


/** The editor of one initiative: every field of the model, saved with the revision it was read at. */
function InitiativeEditor({ row, keys, repositories, dependents, onSaved, onClose, onDelete, onReload }: {
  row: InitiativeRow;
  keys: string[];
  repositories: string[];
  dependents: string[];
  onSaved: (key: string) => void;
  onClose: () => void;
  onDelete: () => void;
  onReload: () => void;
}) {
  const toast = useToast();
  const [draft, setDraft] = useState<Initiative>(() => structuredClone(row.initiative));
  const [estimate, setEstimate] = useState(String(row.initiative.estimate_days));
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Initiative>(k: K) => (v: Initiative[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const key = row.initiative.key;

  const loadHistory = useCallback(() => api.initiativeHistory(key), [key]);

  const estimateOk = /^\d+$/.test(estimate.trim()) && Number(estimate) <= 3650;
  const datesOk = !draft.start || !draft.end || draft.end >= draft.start;
  const quarterOk = !draft.target_quarter || /^\d{4}-Q[1-4]$/i.test(draft.target_quarter.trim());
  const dirty = JSON.stringify({ ...draft, estimate_days: Number(estimate) }) !== JSON.stringify(row.initiative);
  const valid = draft.title.trim() !== "" && estimateOk && datesOk && quarterOk;

  const setStart = (v: string) => setDraft((d) => {
    const start = v || null;
    // Keep the duration: a set end moves with the start.
    const end = start && d.end && estimateOk ? plusDays(start, Number(estimate)) : d.end;
    return { ...d, start, end };
  });
  const setEnd = (v: string) => {
    const end = v || null;
    setDraft((d) => ({ ...d, end }));
    // Dates given: the duration is what lies between them.
    if (end && draft.start && end >= draft.start) setEstimate(String(daysBetween(draft.start, end)));
  };
  const changeEstimate = (v: string) => {
    setEstimate(v);
    if (/^\d+$/.test(v.trim()) && draft.start && draft.end) setDraft((d) => ({ ...d, end: d.start ? plusDays(d.start, Number(v)) : d.end }));
  };

  const save = async () => {
    const next: Initiative = {
      ...draft,
      title: draft.title.trim(),
      owner: draft.owner.trim(),
      target_quarter: draft.target_quarter?.trim() ? draft.target_quarter.trim().toUpperCase() : null,
      estimate_days: Number(estimate),
    };
    setSaving(true);
    setError(null);
    try {
      const saved = await api.saveInitiative(row.revision, next);
      toast.success(`Saved ${saved.initiative.key} (revision ${saved.revision})`);
      onSaved(saved.initiative.key);
    } catch (e) {
      setError({ message: errorMessage(e), conflict: isConflict(e) });
      setSaving(false);
    }
  };

  const candidates = keys.filter((k) => k !== key && !draft.depends_on.includes(k));
  return (
    <aside className="rm-drawer" aria-label={`Initiative ${key}`}>
      <header className="rm-drawer-head">
        <div>
          <p className="muted small"><code>{key}</code> · #{row.order} in plan order · revision {row.revision}</p>
          <h2>{row.initiative.title}</h2>
        </div>
        <button type="button" className="icon-btn" aria-label="Close the initiative" onClick={onClose}><Icon name="x" /></button>
      </header>
      <form className="rm-drawer-body form" aria-label="Edit the initiative" onSubmit={(e) => { e.preventDefault(); if (valid && dirty) void save(); }}>
        {error ? (
          <div role="alert" className="slo-error">
            <Icon name="alert" />
            <span>{error.conflict ? "Someone else saved this initiative since you opened it. " : "Not saved: "}{error.message}</span>
            {error.conflict ? <button type="button" className="btn btn-sm" onClick={onReload}>Reload</button> : null}
          </div>
        ) : null}
        <label className="field"><span className="field-label">Title</span>
          <input className="input" aria-label="Title" value={draft.title} onChange={(e) => set("title")(e.target.value)} /></label>
        <div className="rm-two">
          <label className="field"><span className="field-label">Status</span>
            <select className="select" aria-label="Status" value={draft.status} onChange={(e) => set("status")(e.target.value as Initiative["status"])}>
              {STATUSES.map((st) => <option key={st} value={st}>{STATUS_LABEL[st]}</option>)}
            </select></label>
          <label className="field"><span className="field-label">Owner</span>
            <input className="input" aria-label="Owner" value={draft.owner} placeholder="Team or person" onChange={(e) => set("owner")(e.target.value)} /></label>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="rm-description">Description</label>
          <textarea id="rm-description" className="input" rows={3} value={draft.description} placeholder="What it delivers and why."
            onChange={(e) => set("description")(e.target.value)} />
        </div>
        <TokenInput label="Repositories" values={draft.repositories} onChange={set("repositories")} suggestions={repositories} placeholder="Add a repository…" />

        <fieldset className="rm-fieldset">
          <legend>Schedule</legend>
          <div className="rm-two">
            <label className="field"><span className="field-label">Start</span>
              <input type="date" className="input" aria-label="Start date" value={draft.start ?? ""} onChange={(e) => setStart(e.target.value)} /></label>
            <label className="field"><span className="field-label">End</span>
              <input type="date" className="input" aria-label="End date" value={draft.end ?? ""} min={draft.start ?? undefined} onChange={(e) => setEnd(e.target.value)} /></label>
            <label className="field"><span className="field-label">Duration (days)</span>
              <input className="input" aria-label="Duration (days)" inputMode="numeric" value={estimate} onChange={(e) => changeEstimate(e.target.value)} /></label>
            <label className="field"><span className="field-label">Target quarter</span>
              <input className="input" aria-label="Target quarter" value={draft.target_quarter ?? ""} placeholder="2026-Q2"
                onChange={(e) => set("target_quarter")(e.target.value || null)} /></label>
          </div>
          {!datesOk ? <p className="error-text" role="alert">The end is before the start.</p> : null}
          {!estimateOk ? <p className="error-text" role="alert">The duration is a whole number of days, at most 3650.</p> : null}
          {!quarterOk ? <p className="error-text" role="alert">Write the quarter as 2026-Q2.</p> : null}
          <p className="hint">Scheduled {row.start} → {row.finish}{row.schedule.critical ? ", on the critical path" : `, ${row.schedule.slack} days of slack`}. The plan starts an initiative at its start date (or, without one, its target quarter) once its dependencies finish, and runs it for its duration.</p>
        </fieldset>

        <fieldset className="rm-fieldset">
          <legend>Depends on</legend>
          {draft.depends_on.length === 0 ? <p className="muted small">Nothing: it can start at once.</p> : (
            <ul className="rm-deps" aria-label="Dependencies">
              {draft.depends_on.map((d) => (
                <li key={d} className="token">{d}
                  <button type="button" className="token-x" aria-label={`Remove the dependency on ${d}`}
                    onClick={() => set("depends_on")(draft.depends_on.filter((x) => x !== d))}><Icon name="x" size={12} /></button>
                </li>
              ))}
            </ul>
          )}
          {candidates.length > 0 ? (
            <select className="select" aria-label="Add a dependency" value="" onChange={(e) => e.target.value && set("depends_on")([...draft.depends_on, e.target.value])}>
              <option value="">Add a dependency…</option>
              {candidates.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          ) : null}
          {dependents.length > 0 ? <p className="hint">Needed by {dependents.join(", ")}.</p> : null}
        </fieldset>

        <fieldset className="rm-fieldset">
          <legend>Secure-SDLC gates</legend>
          <label className="slo-check"><input type="checkbox" checked={draft.architecture_change} onChange={(e) => set("architecture_change")(e.target.checked)} />Changes the architecture (needs an accepted ADR)</label>
          <label className="slo-check"><input type="checkbox" checked={draft.new_data_flow} onChange={(e) => set("new_data_flow")(e.target.checked)} />Adds a data flow (needs a reviewed threat model)</label>
          <label className="slo-check"><input type="checkbox" checked={draft.regulated_data} onChange={(e) => set("regulated_data")(e.target.checked)} />Touches regulated data (needs its controls implemented)</label>
          <TokenInput label="ADRs" values={draft.adrs.map(String)} placeholder="ADR number…"
            onChange={(v) => set("adrs")([...new Set(v.map((x) => Number(x.replace(/^adr-?0*/i, ""))).filter((n) => Number.isInteger(n) && n > 0))])} />
          <TokenInput label="Threat models" values={draft.threat_models} onChange={set("threat_models")} placeholder="Threat model name…" />
          <TokenInput label="Controls" values={draft.controls} onChange={set("controls")} placeholder="soc2:CC6.1…" />
        </fieldset>
        {draft.milestones.length > 0 ? (
          <fieldset className="rm-fieldset">
            <legend>Milestones</legend>
            <ul className="rm-milestones">
              {draft.milestones.map((m) => <li key={`${m.title}-${m.due ?? ""}`}>{m.done ? "✓" : "○"} {m.title}{m.due ? <span className="muted"> · {m.due}</span> : null}</li>)}
            </ul>
          </fieldset>
        ) : null}
        <RevisionHistory label="Initiative history" load={loadHistory} revision={row.revision} />
      </form>
      <footer className="rm-drawer-foot">
        <button type="button" className="btn rm-danger" onClick={onDelete}><Icon name="trash" />Delete</button>
        <span className="rm-spacer" />
        <button type="button" className="btn" onClick={onClose}>Close</button>
        <button type="button" className="btn btn-primary" disabled={!valid || !dirty || saving} onClick={() => void save()}>{saving ? "Saving…" : "Save"}</button>
      </footer>
    </aside>
  );
}

export function RoadmapPage({ jump = null }: {
  /** An initiative chosen in the search palette: opened in the drawer. */
  jump?: RecordHit | null;
} = {}) {
  const toast = useToast();
  const [overview, setOverview] = useState<RoadmapOverview | null>(null);
  const [title, setTitle] = useState("");
  const [from, setFrom] = useState("");
  const [on, setOn] = useState("");
  const [format, setFormat] = useState<RoadmapFormat>("mermaid");
  const [out, setOut] = useState("");
  const [written, setWritten] = useState<string[]>([]);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [selected, setSelected] = useState<string | null>(jump?.id ?? null);
  const [deleting, setDeleting] = useState<InitiativeRow | null>(null);
  const [reloads, setReloads] = useState(0);
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(() => {
    api.roadmapOverview().then(setOverview, (e: unknown) => toast.error(e, "Could not load the roadmap"));
  }, [toast]);
  useEffect(load, [load]);
  useEffect(() => {
    api.currentWorkspace().then(setWorkspace, () => undefined);
  }, []);

  const undepend = async (key: string, on: string) => {
    try {
      await api.removeDependency(key, on);
      toast.success(`${key} no longer depends on ${on}`);
      load();
    } catch (e) {
      toast.error(e, "Could not remove the dependency");
    }
  };
  const remove = async (r: InitiativeRow) => {
    setDeleting(null);
    try {
      await api.removeInitiative(r.initiative.key);
      toast.success(`Deleted ${r.initiative.key}`);
      setSelected(null);
      load();
    } catch (e) {
      toast.error(e, "Could not delete the initiative");
    }
  };

  const add = async () => {
    if (!title.trim()) return;
    try {
      const created = await api.createInitiative(null, title);
      setTitle("");
      setAdding(false);
      toast.success(`Added ${created.initiative.key}`);
      load();
    } catch (e) {
      toast.error(e, "Could not add the initiative");
    }
  };
  const depend = async () => {
    if (!from || !on) return;
    try {
      await api.addDependency(from, on);
      toast.success(`${from} now depends on ${on}`);
      setFrom("");
      setOn("");
      load();
    } catch (e) {
      toast.error(e, "Could not add the dependency");
    }
  };

  const exportTo = async () => {
    if (!out.trim()) return;
    try {
      const report = await api.exportRoadmap(format, out.trim());
      setWritten(report.files);
      setExporting(false);
      toast.success(`Wrote ${plural(report.files.length, "file")}`);
    } catch (e) {
      toast.error(e, "Could not export the roadmap");
    }
  };

  const browse = async () => {
    const ext = format === "mermaid" ? "mmd" : format;
    try {
      const path = await pickSavePath("Export the roadmap", `roadmap.${ext}`);
      if (path) setOut(path);
    } catch (e) {
      toast.error(e);
    }
  };

  if (!overview) return <div className="page"><p className="muted">Loading the roadmap…</p></div>;
  const rows = overview.rows;
  const keys = rows.map((r) => r.initiative.key);
  const open = rows.find((r) => r.initiative.key === selected) ?? null;
  const dependentsOf = (key: string) => rows.filter((r) => r.initiative.depends_on.includes(key)).map((r) => r.initiative.key);
  return (
    <div className={open ? "page rm-page rm-with-drawer" : "page rm-page"}>
      <header className="page-header">
        <div>
          <h1>Roadmap</h1>
          <p className="page-sub rm-summary">
            {workspace ? <>{workspace.name} · </> : null}
            {plural(rows.length, "initiative")} · critical path ({overview.duration} days):{" "}
            <span aria-label="Critical path" className="rm-path">{overview.critical_path.join(" → ") || "none"}</span>
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setExporting(true)}><Icon name="export" />Export…</button>
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}><Icon name="plus" />New initiative</button>
        </div>
      </header>
      {written.length > 0 ? <ul aria-label="Written files" className="rm-written">{written.map((f) => <li key={f}><code>{f}</code></li>)}</ul> : null}
      <h2>Timeline</h2>
      <Timeline rows={rows} selected={selected} onSelect={setSelected} />
      <div className="rm-section-head">
        <h2>Dependencies</h2>
        <form className="rm-inline-form" aria-label="Add a dependency" onSubmit={(e) => { e.preventDefault(); void depend(); }}>
          <select className="select" aria-label="Initiative" value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="">Initiative…</option>
            {keys.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <span className="muted small">depends on</span>
          <select className="select" aria-label="Depends on" value={on} onChange={(e) => setOn(e.target.value)}>
            <option value="">Initiative…</option>
            {keys.filter((k) => k !== from).map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <button type="submit" className="btn" disabled={!from || !on}>Add dependency</button>
        </form>
      </div>
      <DependencyGraph rows={rows} edges={overview.edges} selected={selected} onSelect={setSelected} />
      <h2>Plan and readiness</h2>
      <table aria-label="Initiatives in dependency order" className="rm-table">
        <thead>
          <tr><th>#</th><th>Initiative</th><th>Start</th><th>Finish</th><th>Slack</th><th>Depends on</th><th>Readiness</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.initiative.id} aria-selected={selected === r.initiative.key}>
              <td>{r.order}</td>
              <td>
                <button type="button" className="link-btn rm-open" onClick={() => setSelected(r.initiative.key)}>{r.initiative.title}</button>{" "}
                <code>{r.initiative.key}</code>
                {r.initiative.status !== "proposed" ? <span className={`rm-status rm-status-${r.initiative.status}`}>{STATUS_LABEL[r.initiative.status]}</span> : null}
              </td>
              <td className="rm-date">{r.start}</td>
              <td className="rm-date">{r.finish}</td>
              <td>{r.schedule.critical ? "critical" : `${r.schedule.slack} d`}</td>
              <td>
                <ul className="rm-deps" aria-label={`${r.initiative.key} depends on`}>
                  {r.initiative.depends_on.map((d) => (
                    <li key={d} className="token">{d}
                      <button type="button" className="token-x" aria-label={`Remove the dependency of ${r.initiative.key} on ${d}`}
                        onClick={() => void undepend(r.initiative.key, d)}><Icon name="x" size={12} /></button>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {r.readiness.gates.length === 0 ? <span className="muted">no gate</span> : (
                  <ul className="rm-gates">
                    {r.readiness.gates.map((g) => (
                      <li key={g.gate} className={g.met ? "rm-met" : "rm-unmet"}>
                        {g.met ? "✓" : "✗"} {GATE_LABEL[g.gate] ?? g.gate}{g.met ? "" : `: ${g.lacking}`}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <InitiativeEditor key={`${open.initiative.id}-${open.revision}-${reloads}`} row={open} keys={keys}
          repositories={workspace?.repositories.map((r) => r.name) ?? []} dependents={dependentsOf(open.initiative.key)}
          onSaved={(key) => { setSelected(key); load(); }}
          onClose={() => setSelected(null)}
          onDelete={() => setDeleting(open)}
          onReload={() => { load(); setReloads((n) => n + 1); }} />
      ) : null}
      {adding && (
        <Dialog label="New initiative" title="New initiative" width="sm" onClose={() => setAdding(false)}
          footer={<>
            <button type="button" className="btn" onClick={() => setAdding(false)}>Cancel</button>
            <button type="submit" form="rm-new-initiative" className="btn btn-primary" disabled={!title.trim()}>Add initiative</button>
          </>}>
          <form id="rm-new-initiative" className="form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
            <label className="field"><span className="field-label">Title</span>
              <input className="input" aria-label="New initiative" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Runbooks, incident templates and paging" /></label>
            <p className="hint">It gets a key from its title and starts with no dependencies; open it from the plan to set its dates, owner, repositories and gates.</p>
          </form>
        </Dialog>
      )}
      {exporting && (
        <Dialog label="Export the roadmap" title="Export the roadmap" width="md" onClose={() => setExporting(false)}
          footer={<>
            <button type="button" className="btn" onClick={() => setExporting(false)}>Cancel</button>
            <button type="submit" form="rm-export" className="btn btn-primary" disabled={!out.trim()}>Export roadmap</button>
          </>}>
          <form id="rm-export" className="form" onSubmit={(e) => { e.preventDefault(); void exportTo(); }}>
            <label className="field"><span className="field-label">Format</span>
              <select className="select" aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as RoadmapFormat)}>
                <option value="mermaid">Mermaid gantt (renders on GitHub)</option>
                <option value="md">Markdown</option>
                <option value="csv">CSV</option>
              </select></label>
            <div className="field"><span className="field-label">File</span>
              <div className="rm-file-row">
                <input className="input mono" aria-label="Export to file" value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/roadmap.mmd" />
                <button type="button" className="btn" onClick={() => void browse()}>Browse…</button>
              </div>
            </div>
          </form>
        </Dialog>
      )}
      {deleting && (
        <Dialog label="Delete initiative" title={`Delete "${deleting.initiative.title}"?`} width="sm" onClose={() => setDeleting(null)}
          footer={<>
            <button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
            <button type="button" className="btn rm-danger-solid" disabled={dependentsOf(deleting.initiative.key).length > 0}
              onClick={() => void remove(deleting)}>Delete initiative</button>
          </>}>
          {dependentsOf(deleting.initiative.key).length > 0
            ? <p role="alert">{dependentsOf(deleting.initiative.key).join(", ")} {dependentsOf(deleting.initiative.key).length === 1 ? "depends" : "depend"} on it. Remove {dependentsOf(deleting.initiative.key).length === 1 ? "that dependency" : "those dependencies"} first.</p>
            : <p><code>{deleting.initiative.key}</code> and its {deleting.revision === 1 ? "history" : `${deleting.revision} revisions`} are removed; the plan and critical path are recomputed without it.</p>}
        </Dialog>
      )}
    </div>
  );
}
