// The SLOs section: list, create, edit (objective, window, SLI, description),
// delete, history, import (OpenSLO, Sloth) and export, and the DORA targets.
import { useCallback, useEffect, useId, useState } from "react";
import {
  api, errorMessage, isConflict, pickFolder, pickSloFile,
  type DoraTarget, type Slo, type SloExportReport, type SloFolderImportReport, type SloFormat, type SloImportReport, type SloRow,
  type StoredDoraTargets, type Workspace, type RecordHit,
} from "../api";
import { Dialog, Icon } from "../components/Dialog";
import { RadioStrip } from "../components/Roving";
import { RevisionHistory } from "../components/RevisionHistory";
import { useToast } from "../components/Toasts";
import { budget } from "../lib/budget";
import { plural } from "../lib/format";

type Sli = Slo["sli"];
type Unit = Slo["window"]["length"]["unit"];

const LETTER: Record<string, string> = { minute: "m", hour: "h", day: "d", week: "w", month: "M", quarter: "Q", year: "Y" };
const UNIT: Record<string, Unit> = { m: "minute", h: "hour", d: "day", w: "week", M: "month", Q: "quarter", Y: "year" };

const windowText = (s: Slo) => `${s.window.length.count}${LETTER[s.window.length.unit] ?? "d"}`;
const handle = (s: Slo) => `${s.service}/${s.name}`;
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);
/** A figure for reading: thousands separated, at most `digits` decimals. */
const num = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
/** Hours to exhaustion, in days once it is more than two. */
const duration = (hours: number) => (hours > 48 ? `${num(hours / 24)} d` : `${num(hours)} h`);
/** `30d` → its parts, or null when it is no window. */
function parseWindow(text: string): { count: number; unit: Unit } | null {
  const m = /^(\d+)([mhdwMQY])$/.exec(text.trim());
  const unit = m ? UNIT[m[2] ?? ""] : undefined;
  return m && unit && Number(m[1]) > 0 ? { count: Number(m[1]), unit } : null;
}
const FORMAT_LABEL: Record<SloFormat, string> = { open_slo: "OpenSLO", sloth: "Sloth" };

// ---- DORA -------------------------------------------------------------------

const DORA_METRIC: Record<string, string> = {
  deployment_frequency: "Deployment frequency",
  lead_time_for_changes: "Lead time for changes",
  change_failure_rate: "Change failure rate",
  time_to_restore: "Time to restore service",
};

/** "at least 1 per week", "below 1 day", "below 4 hours", "below 15 %". */
export function doraTarget(t: DoraTarget): string {
  const cmp = t.comparison === "at_least" ? "at least" : "below";
  const value = num(t.value ?? 0, 2);
  if (t.unit === "percent") return `${cmp} ${value} %`;
  if (t.unit.startsWith("per ")) return `${cmp} ${value} ${t.unit}`;
  const unit = t.value === 1 ? t.unit.replace(/s$/, "") : t.unit;
  return `${cmp} ${value} ${unit}`;
}
const environment = (e: string) => (e === "all" ? "all environments" : e);

function DoraTargets({ targets }: { targets: DoraTarget[] }) {
  return (
    <section className="slo-section" aria-labelledby="dora-heading">
      <h2 id="dora-heading">DORA targets</h2>
      <ul aria-label="DORA targets" className="slo-dora">
        {targets.map((t) => (
          <li key={`${t.metric}-${t.environment}`} title={t.note || undefined}>
            <span className="slo-dora-metric">{DORA_METRIC[t.metric] ?? t.metric.replace(/_/g, " ")}</span>
            <strong>{doraTarget(t)}</strong>
            <span className="muted small">{environment(t.environment)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// ---- SLI fields (shared by the editor and the New SLO dialog) ---------------

/** `key: value` lines, as the plugin options box shows them. */
const optionLines = (options: Record<string, string>) =>
  Object.entries(options).map(([k, v]) => `${k}: ${v}`).join("\n");

/** The options box's text back as options: one `key: value` per line; a line
 *  without a colon is a key with an empty value, so nothing typed is lost. */
export function parseOptionLines(text: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    if (key) options[key] = colon < 0 ? "" : line.slice(colon + 1).trim();
  }
  return options;
}

function PluginFields({ sli, onChange }: { sli: Extract<Sli, { kind: "plugin" }>; onChange: (s: Sli) => void }) {
  const id = useId();
  // The text as typed: parsed on every change, never rewritten from the parse.
  const [text, setText] = useState(() => optionLines(sli.options));
  return (
    <div className="slo-sli-fields">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-plugin`}>Sloth SLI plugin id</label>
        <input id={`${id}-plugin`} className="input mono" spellCheck={false} value={sli.id} aria-label="Sloth SLI plugin id"
          placeholder="sloth-common/kubernetes/apiserver/availability"
          onChange={(e) => onChange({ ...sli, id: e.target.value })} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-options`}>Plugin options</label>
        <textarea id={`${id}-options`} className="input mono" rows={3} spellCheck={false} value={text} aria-label="Plugin options"
          placeholder={"filter: job=\"apiserver\""}
          onChange={(e) => { setText(e.target.value); onChange({ ...sli, options: parseOptionLines(e.target.value) }); }} />
        <span className="muted small">One <code>key: value</code> per line. Sloth generates the queries from the plugin when it builds the rules.</span>
      </div>
    </div>
  );
}

function SliFields({ sli, onChange }: { sli: Sli; onChange: (s: Sli) => void }) {
  const id = useId();
  if (sli.kind === "plugin") return <PluginFields sli={sli} onChange={onChange} />;
  if (sli.kind === "ratio") {
    const which = sli.counter === "good" ? "Good" : "Bad";
    return (
      <div className="slo-sli-fields">
        <label className="field"><span className="field-label">Numerator counts</span>
          <select className="select" aria-label="Numerator counts" value={sli.counter}
            onChange={(e) => onChange({ ...sli, counter: e.target.value as "good" | "bad" })}>
            <option value="good">Good events</option>
            <option value="bad">Bad events</option>
          </select></label>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-num`}>{which} events query</label>
          <textarea id={`${id}-num`} className="input mono" rows={2} spellCheck={false} value={sli.numerator_query}
            aria-label={`${which} events query`} placeholder={'sum(rate(http_requests_total{code!~"5.."}[{{.window}}]))'}
            onChange={(e) => onChange({ ...sli, numerator_query: e.target.value })} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-total`}>Total events query</label>
          <textarea id={`${id}-total`} className="input mono" rows={2} spellCheck={false} value={sli.total_query}
            aria-label="Total events query" placeholder="sum(rate(http_requests_total[{{.window}}]))"
            onChange={(e) => onChange({ ...sli, total_query: e.target.value })} />
        </div>
      </div>
    );
  }
  if (sli.kind === "error_ratio") {
    return (
      <div className="slo-sli-fields">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-err`}>Error ratio query</label>
          <textarea id={`${id}-err`} className="input mono" rows={2} spellCheck={false} value={sli.query} aria-label="Error ratio query"
            placeholder="slo:sli_error:ratio_rate5m{service=&quot;gateway&quot;}"
            onChange={(e) => onChange({ ...sli, query: e.target.value })} />
          <span className="muted small">Bad over total events, between 0 and 1 (Sloth's raw SLI).</span>
        </div>
      </div>
    );
  }
  return (
    <div className="slo-sli-fields">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-q`}>Metric query</label>
        <textarea id={`${id}-q`} className="input mono" rows={2} spellCheck={false} value={sli.query} aria-label="Metric query"
          placeholder="histogram_quantile(0.99, sum(rate(latency_bucket[5m])) by (le))"
          onChange={(e) => onChange({ ...sli, query: e.target.value })} />
      </div>
      <div className="slo-inline">
        <label className="field"><span className="field-label">Good when the value is</span>
          <select className="select" aria-label="Comparison" value={sli.op} onChange={(e) => onChange({ ...sli, op: e.target.value as typeof sli.op })}>
            <option value="lt">below (&lt;)</option>
            <option value="lte">at most (≤)</option>
            <option value="gt">above (&gt;)</option>
            <option value="gte">at least (≥)</option>
          </select></label>
        <label className="field"><span className="field-label">Threshold</span>
          <input className="input" aria-label="Threshold" inputMode="decimal" value={Number.isFinite(sli.value) ? String(sli.value) : ""}
            onChange={(e) => onChange({ ...sli, value: e.target.value.trim() === "" ? Number.NaN : Number(e.target.value) })} /></label>
      </div>
    </div>
  );
}

function SliKind({ sli, onChange }: { sli: Sli; onChange: (s: Sli) => void }) {
  const source = (sli.kind !== "plugin" && sli.source) || "prometheus";
  const query = sli.kind === "ratio" ? sli.numerator_query : sli.kind === "plugin" ? "" : sli.query;
  const to = (kind: Sli["kind"]): Sli => {
    if (kind === sli.kind) return sli;
    switch (kind) {
      case "ratio": return { kind: "ratio", counter: "good", numerator_query: query, total_query: "", source };
      case "error_ratio": return { kind: "error_ratio", query, source };
      case "threshold": return { kind: "threshold", query, op: "lt", value: 500, source };
      case "plugin": return { kind: "plugin", id: "", options: {} };
    }
  };
  return (
    <RadioStrip label="SLI type" value={sli.kind} onChange={(kind) => onChange(to(kind))} choices={[
      { value: "ratio", label: "Ratio (good / total)" },
      { value: "error_ratio", label: "Error ratio" },
      { value: "threshold", label: "Threshold" },
      { value: "plugin", label: "Sloth plugin" },
    ]} />
  );
}

const sliSummary = (sli: Sli) =>
  sli.kind === "ratio" ? `${sli.counter === "good" ? "good" : "bad"} / total`
    : sli.kind === "plugin" ? `plugin ${sli.id}`
      : sli.kind.replace(/_/g, " ");

// ---- budget figures ---------------------------------------------------------

function BudgetFigures({ figures }: { figures: NonNullable<ReturnType<typeof budget>> }) {
  return (
    <div role="status" aria-label="Error budget" className="slo-budget">
      <p>
        Error budget: <strong>{num(figures.budgetMinutes)} minutes</strong> of {num(figures.windowMinutes)}
        {figures.budgetEvents !== null ? <> · <strong>{num(figures.budgetEvents, 0)} events</strong></> : null}
        {" "}({num(figures.fraction * 100, 3)}% of the window)
      </p>
      <table aria-label="Burn-rate alerts" className="rm-table">
        <thead><tr><th>Severity</th><th>Burn rate</th><th>Windows</th><th>Error ratio above</th><th>Budget spent</th><th>Exhausted in</th></tr></thead>
        <tbody>
          {figures.alerts.map((a) => (
            <tr key={`${a.severity}-${a.longWindow}`}>
              <td>{a.severity}</td>
              <td>{a.burnRate}×</td>
              <td>{a.longWindow} and {a.shortWindow}</td>
              <td>{fmt(a.errorRatioThreshold)}</td>
              <td>{num(a.budgetConsumedPercent, 2)}%</td>
              <td>{duration(a.hoursToExhaustion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function sliComplete(sli: Sli): boolean {
  if (sli.kind === "ratio") return sli.numerator_query.trim() !== "" && sli.total_query.trim() !== "";
  if (sli.kind === "threshold") return sli.query.trim() !== "" && Number.isFinite(sli.value);
  if (sli.kind === "plugin") return sli.id.trim() !== "";
  return sli.query.trim() !== "";
}

// ---- the editor -------------------------------------------------------------

function Editor({ row, onSaved, onDelete, onReload }: {
  row: SloRow; onSaved: (r: SloRow) => void; onDelete: () => void; onReload: () => void;
}) {
  const toast = useToast();
  const [objective, setObjective] = useState(String(row.slo.objective ?? ""));
  const [window, setWindow] = useState(windowText(row.slo));
  const [events, setEvents] = useState(row.slo.expected_events == null ? "" : String(row.slo.expected_events));
  const [description, setDescription] = useState(row.slo.description);
  const [sli, setSli] = useState<Sli>(row.slo.sli);
  const [error, setError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const figures = budget(Number(objective), window, events.trim() === "" ? null : Number(events));
  const name = handle(row.slo);

  const loadHistory = useCallback(() => api.sloHistory(name), [name]);

  const dirty = objective !== String(row.slo.objective ?? "") || window !== windowText(row.slo)
    || events !== (row.slo.expected_events == null ? "" : String(row.slo.expected_events))
    || description !== row.slo.description || JSON.stringify(sli) !== JSON.stringify(row.slo.sli);

  const save = async () => {
    const length = parseWindow(window);
    if (!figures || !length) return;
    const slo = structuredClone(row.slo);
    slo.objective = Number(objective);
    slo.window.length = length;
    slo.expected_events = events.trim() === "" ? null : Number(events);
    slo.description = description.trim();
    slo.sli = sli;
    setSaving(true);
    setError(null);
    try {
      const saved = await api.saveSlo(row.revision, slo);
      toast.success(`Saved ${handle(saved.slo)} (revision ${saved.revision})`);
      onSaved(saved);
    } catch (e) {
      setError({ message: errorMessage(e), conflict: isConflict(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-label={`SLO ${name}`} className="slo-editor">
      <header className="slo-editor-head">
        <div>
          <h2>{row.slo.display_name || name}</h2>
          <p className="muted small">
            <code>{name}</code> · revision {row.revision} · {row.slo.window.rolling ? "rolling" : "calendar"} window · {row.slo.budgeting_method === "Timeslices" ? "time slices" : "occurrences"}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn rm-danger" onClick={onDelete}><Icon name="trash" />Delete</button>
          <button type="button" className="btn btn-primary" disabled={!figures || !sliComplete(sli) || saving || !dirty} onClick={() => void save()}>
            {saving ? "Saving…" : "Save SLO"}
          </button>
        </div>
      </header>
      {error ? (
        <div role="alert" className="slo-error">
          <Icon name="alert" />
          <span>{error.conflict ? "Someone else saved this SLO since you opened it. " : "The SLO was not saved: "}{error.message}</span>
          {error.conflict ? <button type="button" className="btn btn-sm" onClick={onReload}>Reload</button> : null}
        </div>
      ) : null}
      <div className="field slo-description">
        <label className="field-label" htmlFor="slo-description">Description</label>
        <textarea id="slo-description" className="input" rows={2} value={description} placeholder="What this objective promises, and to whom."
          onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="slo-fields">
        <label className="field"><span className="field-label">Objective (%)</span>
          <input className="input" aria-label="Objective (%)" value={objective} onChange={(e) => setObjective(e.target.value)} inputMode="decimal" /></label>
        <label className="field"><span className="field-label">Window</span>
          <input className="input" aria-label="Window" value={window} onChange={(e) => setWindow(e.target.value)} /></label>
        <label className="field"><span className="field-label">Expected events per window</span>
          <input className="input" aria-label="Expected events per window" value={events} onChange={(e) => setEvents(e.target.value)} inputMode="numeric" /></label>
      </div>
      <div className="slo-sli" role="group" aria-label="SLI">
        <div className="slo-sli-head">
          <h3>SLI</h3>
          <SliKind sli={sli} onChange={setSli} />
          <span className="muted small">{sli.kind === "plugin" ? "Sloth SLI plugin" : `source: ${sli.source || "prometheus"}`}</span>
        </div>
        <SliFields sli={sli} onChange={setSli} />
      </div>
      {figures ? <BudgetFigures figures={figures} /> : (
        <p role="alert" className="error-text">Give an objective above 0 and below 100, and a window such as 30d, 4w or 1M.</p>
      )}
      <RevisionHistory label="SLO history" load={loadHistory} revision={row.revision} />
    </section>
  );
}

// ---- dialogs ----------------------------------------------------------------

function NewSloDialog({ repositories, onClose, onCreated }: {
  repositories: string[]; onClose: () => void; onCreated: (r: SloRow) => void;
}) {
  const listId = useId();
  const [service, setService] = useState(repositories[0] ?? "");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [objective, setObjective] = useState("99.9");
  const [window, setWindow] = useState("30d");
  const [calendar, setCalendar] = useState(false);
  const [events, setEvents] = useState("");
  const [sli, setSli] = useState<Sli>({ kind: "ratio", counter: "good", numerator_query: "", total_query: "", source: "prometheus" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const figures = budget(Number(objective), window, events.trim() === "" ? null : Number(events));
  const ready = service.trim() !== "" && name.trim() !== "" && figures !== null && sliComplete(sli) && !busy;

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const row = await api.createSlo({
        service: service.trim(), name: name.trim(), display_name: "", description, sli,
        objective: Number(objective), window: window.trim(), calendar,
        expected_events: events.trim() === "" ? null : Number(events),
      });
      onCreated(row);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog label="New SLO" title="New service level objective" width="lg" onClose={onClose}
      footer={<>
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="submit" form="new-slo-form" className="btn btn-primary" disabled={!ready}>{busy ? "Creating…" : "Create SLO"}</button>
      </>}>
      <form id="new-slo-form" className="form slo-form" onSubmit={(e) => { e.preventDefault(); if (ready) void create(); }}>
        <div className="slo-inline">
          <label className="field"><span className="field-label">Service</span>
            <input className="input mono" aria-label="Service" list={listId} value={service} spellCheck={false}
              placeholder="checkout-api" onChange={(e) => setService(e.target.value)} />
            <datalist id={listId}>{repositories.map((r) => <option key={r} value={r} />)}</datalist></label>
          <label className="field"><span className="field-label">Name</span>
            <input className="input mono" aria-label="Name" value={name} spellCheck={false} placeholder="requests-availability"
              onChange={(e) => setName(e.target.value)} /></label>
        </div>
        <span className="hint">Service and name: lower-case letters, digits and inner hyphens (they become OpenSLO and Prometheus names). Pick a repository of this workspace or type a service.</span>
        <div className="field">
          <label className="field-label" htmlFor="new-slo-description">Description</label>
          <textarea id="new-slo-description" className="input" rows={2} value={description} placeholder="99.9 % of checkout requests succeed."
            onChange={(e) => setDescription(e.target.value)} />
        </div>
        <div className="slo-inline">
          <label className="field"><span className="field-label">Objective (%)</span>
            <input className="input" aria-label="Objective (%)" inputMode="decimal" value={objective} onChange={(e) => setObjective(e.target.value)} /></label>
          <label className="field"><span className="field-label">Window</span>
            <input className="input" aria-label="Window" value={window} onChange={(e) => setWindow(e.target.value)} /></label>
          <label className="field"><span className="field-label">Events per window</span>
            <input className="input" aria-label="Expected events per window" inputMode="numeric" value={events} placeholder="optional"
              onChange={(e) => setEvents(e.target.value)} /></label>
          <label className="slo-check"><input type="checkbox" checked={calendar} onChange={(e) => setCalendar(e.target.checked)} />Calendar window</label>
        </div>
        <div className="slo-sli" role="group" aria-label="SLI">
          <div className="slo-sli-head"><h3>SLI</h3><SliKind sli={sli} onChange={setSli} /></div>
          <SliFields sli={sli} onChange={setSli} />
        </div>
        <p className="muted small" role="status" aria-label="Budget preview">
          {figures
            ? <>Error budget: <strong>{num(figures.budgetMinutes)} minutes</strong> per {window.trim()}{figures.budgetEvents !== null ? <> · {num(figures.budgetEvents, 0)} events</> : null}</>
            : "Give an objective above 0 and below 100, and a window such as 30d, 4w or 1M."}
        </p>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
    </Dialog>
  );
}

/** Created / updated / unchanged counts of the SLOs in `items`. */
function actionStats(items: SloImportReport["items"]) {
  const count = (a: string) => items.filter(([, x]) => x === a).length;
  return (["created", "updated", "unchanged"] as const).map((a) => (
    <div key={a} className="stat"><strong>{count(a)}</strong><span>{a}</span></div>
  ));
}

function FolderReportDialog({ report, onClose }: { report: SloFolderImportReport; onClose: () => void }) {
  const folder = report.dir.split(/[\\/]/).pop() || report.dir;
  return (
    <Dialog label="SLO folder import" title={`Imported ${folder}`} onClose={onClose}
      footer={<button type="button" className="btn btn-primary" onClick={onClose}>Done</button>}>
      <div className="report" role="region" aria-label="Import report">
        <p className="muted">Every OpenSLO and Sloth file under <code>{report.dir}</code>, each file on its own.</p>
        <div className="stat-row slo-stats">
          {actionStats(report.files.flatMap((f) => f.items))}
          <div className="stat stat-warn"><strong>{report.failed.length}</strong><span>{report.failed.length === 1 ? "file with errors" : "files with errors"}</span></div>
        </div>
        <ul className="file-list" aria-label="Imported files">
          {report.files.map((f) => (
            <li key={f.file}><code>{f.file}</code> <span className="muted">{FORMAT_LABEL[f.format]}: {f.items.map(([h, a]) => `${h} ${a}`).join(", ") || "no SLOs"}</span></li>
          ))}
        </ul>
        {report.failed.length > 0 && (
          <div className="report-section">
            <h3>Not imported (nothing of these files was written)</h3>
            <ul className="notice-list" aria-label="Files with errors">{report.failed.map((f) => <li key={f.file}><code>{f.file}</code>: {f.reason}</li>)}</ul>
          </div>
        )}
        {report.skipped.length > 0 && (
          <div className="report-section">
            <h3>Skipped (not OpenSLO or Sloth)</h3>
            <ul className="notice-list" aria-label="Skipped files">{report.skipped.map((f) => <li key={f.file}><code>{f.file}</code>: {f.reason}</li>)}</ul>
          </div>
        )}
        {report.files.some((f) => f.notes.length > 0) && (
          <div className="report-section">
            <h3>Not imported from the files above</h3>
            <ul className="notice-list" aria-label="Import notes">{report.files.flatMap((f) => f.notes.map((n) => <li key={`${f.file}:${n}`}><code>{f.file}</code>: {n}</li>))}</ul>
          </div>
        )}
      </div>
    </Dialog>
  );
}

function ImportReportDialog({ report, onClose }: { report: SloImportReport; onClose: () => void }) {
  const file = report.file.split(/[\\/]/).pop() ?? report.file;
  return (
    <Dialog label="SLO import" title={`Imported ${file}`} onClose={onClose}
      footer={<button type="button" className="btn btn-primary" onClick={onClose}>Done</button>}>
      <div className="report" role="region" aria-label="Import report">
        <p className="muted">{FORMAT_LABEL[report.format]} file <code>{report.file}</code></p>
        <div className="stat-row slo-stats">
          {actionStats(report.items)}
          <div className="stat stat-warn"><strong>{report.notes.length}</strong><span>notes</span></div>
        </div>
        <ul className="file-list" aria-label="Imported SLOs">
          {report.items.map(([h, a]) => <li key={h}><code>{h}</code> <span className="muted">{a}</span></li>)}
        </ul>
        {report.notes.length > 0 && (
          <div className="report-section">
            <h3>Not imported</h3>
            <ul className="notice-list" aria-label="Import notes">{report.notes.map((n) => <li key={n}>{n}</li>)}</ul>
          </div>
        )}
      </div>
    </Dialog>
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const [format, setFormat] = useState<SloFormat>("open_slo");
  const [dir, setDir] = useState("");
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SloExportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const browse = () => {
    pickFolder("Choose the folder to export SLOs to").then((p) => { if (p) { setDir(p); setError(null); } }, (e: unknown) => setError(errorMessage(e)));
  };
  const submit = () => {
    setBusy(true);
    setError(null);
    api.exportSlos(format, dir.trim()).then(
      (r) => { setReport(r); setBusy(false); },
      (e: unknown) => { setError(errorMessage(e)); setBusy(false); },
    );
  };
  return (
    <Dialog label="Export SLOs" title="Export SLOs" onClose={onClose}
      footer={<>
        <button type="button" className="btn" onClick={onClose}>{report ? "Done" : "Cancel"}</button>
        <button type="submit" form="slo-export-form" className="btn btn-primary" disabled={!dir.trim() || busy}>{busy ? "Exporting…" : "Export"}</button>
      </>}>
      <form id="slo-export-form" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <span className="field-label">Format</span>
          <RadioStrip label="Export format" value={format} onChange={(f) => { setFormat(f); setReport(null); }} choices={[
            { value: "open_slo", label: "OpenSLO v1" },
            { value: "sloth", label: "Sloth (prometheus/v1)" },
          ]} />
          <span className="hint">One file per service: <code>&lt;service&gt;.{format === "sloth" ? "sloth" : "openslo"}.yaml</code>.</span>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="slo-export-dir">Folder</label>
          <div className="input-row">
            <input id="slo-export-dir" className="input mono" aria-label="Export folder" value={dir} spellCheck={false}
              placeholder="/path/to/repo/slos" onChange={(e) => setDir(e.target.value)} />
            <button type="button" className="btn" aria-label="Browse for a folder" onClick={browse}><Icon name="folder" />Browse…</button>
          </div>
        </div>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && (
        <div className="report" role="region" aria-label="Export report">
          <p>Wrote {plural(report.files.length, "file")} to <code>{report.dir}</code></p>
          <ul className="file-list">{report.files.map((f) => <li key={f}><code>{f}</code></li>)}</ul>
          {report.skipped.length > 0 && (
            <div className="report-section">
              <h3>Skipped ({report.skipped.length})</h3>
              <ul className="notice-list" aria-label="Skipped SLOs">{report.skipped.map((s) => <li key={s}>{s}</li>)}</ul>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}

// ---- the page ---------------------------------------------------------------

export function SloPage({ jump = null }: {
  /** An SLO chosen in the search palette (its service/name): selected. */
  jump?: RecordHit | null;
} = {}) {
  const toast = useToast();
  const [rows, setRows] = useState<SloRow[] | null>(null);
  const [dora, setDora] = useState<StoredDoraTargets | null>(null);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [imported, setImported] = useState<SloImportReport | null>(null);
  const [importedFolder, setImportedFolder] = useState<SloFolderImportReport | null>(null);
  const [deleting, setDeleting] = useState<SloRow | null>(null);
  const [reloads, setReloads] = useState(0);

  const load = useCallback(() => {
    api.listSlos().then(setRows, (e: unknown) => toast.error(e, "Could not load SLOs"));
  }, [toast]);
  useEffect(() => {
    load();
    api.doraTargets().then(setDora, (e: unknown) => toast.error(e, "Could not load DORA targets"));
    api.currentWorkspace().then(setWorkspace, () => undefined);
  }, [load, toast]);

  const importFile = async () => {
    try {
      const file = await pickSloFile();
      if (!file) return;
      const report = await api.importSloFile(file);
      setImported(report);
      load();
    } catch (e) {
      toast.error(e, "Could not import");
    }
  };

  const importFolder = async () => {
    try {
      const dir = await pickFolder("Choose a folder of OpenSLO or Sloth files");
      if (!dir) return;
      const report = await api.importSloFolder(dir);
      setImportedFolder(report);
      load();
    } catch (e) {
      toast.error(e, "Could not import the folder");
    }
  };

  const remove = (r: SloRow) => {
    setDeleting(null);
    api.removeSlo(handle(r.slo)).then(() => {
      toast.success(`Deleted ${handle(r.slo)}`);
      setSelected(null);
      load();
    }, (e: unknown) => toast.error(e, "Could not delete the SLO"));
  };

  const services = new Set((rows ?? []).map((r) => r.slo.service)).size;
  const current = rows?.find((r) => r.slo.id === selected) ?? (jump ? rows?.find((r) => handle(r.slo) === jump.id) : undefined) ?? rows?.[0];
  const repositories = workspace?.repositories.map((r) => r.name) ?? [];
  return (
    <div className="page slo-page">
      <header className="page-header">
        <div>
          <h1>Service level objectives</h1>
          <p className="page-sub">
            {workspace ? <>{workspace.name} · </> : null}
            {rows ? `${plural(rows.length, "SLO")} · ${plural(services, "service")}` : "Loading…"}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => void importFile()}><Icon name="import" />Import…</button>
          <button type="button" className="btn" onClick={() => void importFolder()}><Icon name="import" />Import folder…</button>
          <button type="button" className="btn" disabled={!rows?.length} onClick={() => setExporting(true)}><Icon name="export" />Export…</button>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}><Icon name="plus" />New SLO</button>
        </div>
      </header>
      {rows === null ? <p className="muted">Loading SLOs…</p> : rows.length === 0 ? (
        <div className="empty">
          <div className="empty-icon"><Icon name="gauge" size={28} /></div>
          <h2>No SLOs yet</h2>
          <p className="muted">Set an objective for a service (an SLI as good over total events, a target and a window) and see its error budget and burn-rate alerts, or import OpenSLO and Sloth files.</p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New SLO</button>
            <button type="button" className="btn" onClick={() => void importFile()}>Import a file</button>
          </div>
        </div>
      ) : (
        <>
          <div className="slo-list">
            <table aria-label="SLOs" className="rm-table slo-table">
              <thead><tr><th>SLO</th><th>SLI</th><th>Objective</th><th>Window</th><th>Error budget</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.slo.id} aria-selected={current?.slo.id === r.slo.id} className="slo-row" onClick={() => setSelected(r.slo.id)}>
                    <td>
                      <button type="button" className="link-btn slo-pick" onClick={() => setSelected(r.slo.id)}>{handle(r.slo)}</button>
                      {r.slo.description ? <div className="muted small slo-desc" title={r.slo.description}>{r.slo.description}</div> : null}
                    </td>
                    <td className="muted">{sliSummary(r.slo.sli)}</td>
                    <td className="rm-date">{r.slo.objective}%</td>
                    <td className="rm-date">{windowText(r.slo)} {r.slo.window.rolling ? "rolling" : "calendar"}</td>
                    <td className="rm-date">{num(r.budget.budget_minutes ?? 0)} min</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {current ? (
            <Editor key={`${current.slo.id}-${current.revision}-${reloads}`} row={current}
              onSaved={(saved) => setRows((rs) => (rs ?? []).map((r) => (r.slo.id === saved.slo.id ? saved : r)))}
              onDelete={() => setDeleting(current)}
              onReload={() => { load(); setReloads((n) => n + 1); }} />
          ) : null}
        </>
      )}
      {dora && dora.targets.length > 0 ? <DoraTargets targets={dora.targets} /> : null}
      {creating && (
        <NewSloDialog repositories={repositories} onClose={() => setCreating(false)}
          onCreated={(row) => {
            setCreating(false);
            toast.success(`Created ${handle(row.slo)}`);
            setRows((rs) => [...(rs ?? []), row]);
            setSelected(row.slo.id);
            load();
          }} />
      )}
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
      {imported && <ImportReportDialog report={imported} onClose={() => setImported(null)} />}
      {importedFolder && <FolderReportDialog report={importedFolder} onClose={() => setImportedFolder(null)} />}
      {deleting && (
        <Dialog label="Delete SLO" title={`Delete ${handle(deleting.slo)}?`} width="sm" onClose={() => setDeleting(null)}
          footer={<>
            <button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
            <button type="button" className="btn rm-danger-solid" onClick={() => remove(deleting)}>Delete SLO</button>
          </>}>
          <p>The objective, its SLI, alerting and {plural(deleting.revision, "revision")} of history are removed from this workspace. Export first if you need the file.</p>
        </Dialog>
      )}
    </div>
  );
}
