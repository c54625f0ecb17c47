import { useCallback, useEffect, useState } from "react";
import { api, type SloRow, type StoredDoraTargets } from "../api";
import { useToast } from "../components/Toasts";
import { budget } from "../lib/budget";

const LETTER: Record<string, string> = { minute: "m", hour: "h", day: "d", week: "w", month: "M", quarter: "Q", year: "Y" };
const UNIT: Record<string, "minute" | "hour" | "day" | "week" | "month" | "quarter" | "year"> = {
  m: "minute", h: "hour", d: "day", w: "week", M: "month", Q: "quarter", Y: "year",
};

const windowText = (r: SloRow) => `${r.slo.window.length.count}${LETTER[r.slo.window.length.unit] ?? "d"}`;
const handle = (r: SloRow) => `${r.slo.service}/${r.slo.name}`;
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);
/** A figure for reading: thousands separated, at most `digits` decimals. */
const num = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
/** Hours to exhaustion, in days once it is more than two. */
const duration = (hours: number) => (hours > 48 ? `${num(hours / 24)} d` : `${num(hours)} h`);

function Editor({ row, onSaved }: { row: SloRow; onSaved: (r: SloRow) => void }) {
  const toast = useToast();
  const [objective, setObjective] = useState(String(row.slo.objective ?? ""));
  const [window, setWindow] = useState(windowText(row));
  const [events, setEvents] = useState(row.slo.expected_events == null ? "" : String(row.slo.expected_events));
  const figures = budget(Number(objective), window, events.trim() === "" ? null : Number(events));

  const save = async () => {
    const m = /^(\d+)([mhdwMQY])$/.exec(window.trim());
    const unit = m ? UNIT[m[2] ?? ""] : undefined;
    if (!figures || !m || !unit) return;
    const slo = structuredClone(row.slo);
    slo.objective = Number(objective);
    slo.window.length = { count: Number(m[1]), unit };
    slo.expected_events = events.trim() === "" ? null : Number(events);
    try {
      const saved = await api.saveSlo(row.revision, slo);
      toast.success(`Saved ${handle(saved)} (revision ${saved.revision})`);
      onSaved(saved);
    } catch (e) {
      toast.error(e, "Could not save the SLO");
    }
  };

  return (
    <section aria-label={`SLO ${handle(row)}`} className="slo-editor">
      <h2>{handle(row)}</h2>
      <div className="slo-fields">
        <label className="field"><span className="field-label">Objective (%)</span>
          <input className="input" aria-label="Objective (%)" value={objective} onChange={(e) => setObjective(e.target.value)} inputMode="decimal" /></label>
        <label className="field"><span className="field-label">Window</span>
          <input className="input" aria-label="Window" value={window} onChange={(e) => setWindow(e.target.value)} /></label>
        <label className="field"><span className="field-label">Expected events per window</span>
          <input className="input" aria-label="Expected events per window" value={events} onChange={(e) => setEvents(e.target.value)} inputMode="numeric" /></label>
        <button type="button" className="btn btn-primary" disabled={!figures} onClick={() => void save()}>Save SLO</button>
      </div>
      {figures ? (
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
      ) : (
        <p role="alert" className="error-text">Give an objective above 0 and below 100, and a window such as 30d, 4w or 1M.</p>
      )}
    </section>
  );
}

export function SloPage() {
  const toast = useToast();
  const [rows, setRows] = useState<SloRow[]>([]);
  const [dora, setDora] = useState<StoredDoraTargets | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(() => {
    api.listSlos().then(setRows, (e: unknown) => toast.error(e, "Could not load SLOs"));
    api.doraTargets().then(setDora, (e: unknown) => toast.error(e, "Could not load DORA targets"));
  }, [toast]);
  useEffect(load, [load]);

  const current = rows.find((r) => r.slo.id === selected) ?? rows[0];
  return (
    <div className="page slo-page">
      <header className="page-header"><h1>Service level objectives</h1></header>
      <table aria-label="SLOs" className="rm-table">
        <thead><tr><th>SLO</th><th>Objective</th><th>Window</th><th>Error budget</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.slo.id} aria-selected={current?.slo.id === r.slo.id}>
              <td><button type="button" className="link-btn slo-pick" onClick={() => setSelected(r.slo.id)}>{handle(r)}</button></td>
              <td>{r.slo.objective}%</td>
              <td>{windowText(r)} {r.slo.window.rolling ? "rolling" : "calendar"}</td>
              <td>{num(r.budget.budget_minutes ?? 0)} min</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current ? (
        <Editor key={`${current.slo.id}-${current.revision}`} row={current}
          onSaved={(saved) => setRows((rs) => rs.map((r) => (r.slo.id === saved.slo.id ? saved : r)))} />
      ) : <p className="muted">No SLOs yet: add them with plasma slo add or plasma slo import.</p>}
      {dora && dora.targets.length > 0 ? (
        <>
          <h2>DORA targets</h2>
          <ul aria-label="DORA targets" className="slo-dora">
            {dora.targets.map((t) => (
              <li key={`${t.metric}-${t.environment}`}>{t.metric.replace(/_/g, " ")} ({t.environment}): {t.comparison === "at_least" ? "at least" : "below"} {t.value} {t.unit}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
