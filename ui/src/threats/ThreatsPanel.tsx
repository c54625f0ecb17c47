// The threats of a model: filters by STRIDE category, severity and status,
// why each one matched, and the decisions people take about it.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Mitigation, MitigationStatus, Rating, Severity, Stride, Threat, ThreatEdit, ThreatModel, ThreatStatus, ThreatTarget } from "../api";
import { ControlLinks } from "./ControlLinks";
import { uuid } from "./model";

export const STRIDE_LABEL: Record<Stride, string> = {
  spoofing: "Spoofing",
  tampering: "Tampering",
  repudiation: "Repudiation",
  information_disclosure: "Information disclosure",
  denial_of_service: "Denial of service",
  elevation_of_privilege: "Elevation of privilege",
};
const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "note"];
const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, note: 0 };
const STATUS_LABEL: Record<ThreatStatus["kind"], string> = {
  open: "Open", mitigated: "Mitigated", accepted: "Accepted", transferred: "Transferred", not_applicable: "Not applicable",
};
const RATING: Record<string, number> = { low: 0, medium: 1, high: 2 };

/** OWASP risk rating, as the backend computes it (`owasp_severity`). */
export function ratedSeverity(likelihood: Rating, impact: Rating): Severity {
  const s = (RATING[likelihood] ?? 1) + (RATING[impact] ?? 1);
  return (["note", "low", "medium", "high", "critical"] as const)[s] ?? "medium";
}
export function severityOf(t: Threat): Severity {
  return t.severity_override ?? ratedSeverity(t.likelihood, t.impact);
}

type Props = {
  model: ThreatModel;
  focus: string | null;
  onFocus: (id: string | null) => void;
  onSave: (threatId: string, edit: ThreatEdit) => Promise<boolean>;
  onAdd: (title: string, category: Stride, target: ThreatTarget, likelihood: Rating, impact: Rating) => Promise<boolean>;
  onSelectTarget: (id: string) => void;
  /** A threat to show open and in view (one chosen in search). */
  openThreat?: string | null;
};

export function targetName(model: ThreatModel, id: string): string | null {
  return targetNames(model).get(id) ?? null;
}

/** Every element's and flow's display name by id: one pass, so a list of
 * thousands of threats does not search the diagram once per row. */
export function targetNames(model: ThreatModel): Map<string, string> {
  const names = new Map<string, string>();
  for (const d of model.diagrams) {
    const elements = new Map(d.elements.map((e) => [e.id, e.name]));
    for (const [id, name] of elements) if (!names.has(id)) names.set(id, name);
    for (const f of d.flows) {
      if (names.has(f.id)) continue;
      // Imported flows may have no name: name them by their ends.
      names.set(f.id, f.name.trim() ? f.name : `${elements.get(f.source) ?? "?"} → ${elements.get(f.target) ?? "?"}`);
    }
  }
  return names;
}

/** Threats shown at first, and added by each "Show more": a model with
 * thousands of them would otherwise mount thousands of list items at once. */
const PAGE = 200;

export function ThreatsPanel({ model, focus, onFocus, onSave, onAdd, onSelectTarget, openThreat = null }: Props) {
  const [stride, setStride] = useState<"" | Stride>("");
  const [severity, setSeverity] = useState<"" | Severity>("");
  const [status, setStatus] = useState<"" | ThreatStatus["kind"]>("");
  const [showObsolete, setShowObsolete] = useState(false);
  const [open, setOpen] = useState<string | null>(openThreat);
  // Scrolled into view once its list is there.
  const scrolled = useRef(false);
  useEffect(() => {
    if (!openThreat || scrolled.current) return;
    // Its head, not the whole item: opened, the item is taller than the panel.
    const el = document.getElementById(`threat-${openThreat}`)?.querySelector(".threat-head");
    if (!el) return;
    scrolled.current = true;
    el.scrollIntoView({ block: "center" });
  });
  const [adding, setAdding] = useState(false);

  const rows = useMemo(() => {
    return model.threats
      .filter((t) => (showObsolete || !t.obsolete) && (!stride || t.category === stride) && (!severity || severityOf(t) === severity)
        && (!status || t.status.kind === status) && (!focus || t.target.id === focus))
      .sort((a, b) => SEVERITY_RANK[severityOf(b)] - SEVERITY_RANK[severityOf(a)]);
  }, [model.threats, stride, severity, status, showObsolete, focus]);

  const openCount = model.threats.filter((t) => !t.obsolete && t.status.kind === "open").length;
  const names = useMemo(() => targetNames(model), [model]);
  // A new filter starts again from the first page.
  const [limit, setLimit] = useState({ key: "", n: PAGE });
  const filterKey = `${stride}|${severity}|${status}|${showObsolete}|${focus ?? ""}`;
  const shown = limit.key === filterKey ? limit.n : PAGE;

  return (
    <div className="panel-body threats-panel">
      <div className="threat-summary" role="status">
        {model.threats.filter((t) => !t.obsolete).length} threats · {openCount} open
      </div>
      <div className="filters" role="group" aria-label="Threat filters">
        <select className="select" aria-label="STRIDE category" value={stride} onChange={(e) => setStride(e.target.value as Stride | "")}>
          <option value="">All categories</option>
          {(Object.keys(STRIDE_LABEL) as Stride[]).map((s) => <option key={s} value={s}>{STRIDE_LABEL[s]}</option>)}
        </select>
        <select className="select" aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | "")}>
          <option value="">All severities</option>
          {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select className="select" aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as ThreatStatus["kind"] | "")}>
          <option value="">All statuses</option>
          {(Object.keys(STATUS_LABEL) as ThreatStatus["kind"][]).map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={showObsolete} onChange={(e) => setShowObsolete(e.target.checked)} /><span>Obsolete</span></label>
      </div>
      {focus && (
        <div className="focus-chip">
          Only <strong>{names.get(focus) ?? "removed item"}</strong>
          <button type="button" className="link-btn" onClick={() => onFocus(null)}>Show all</button>
        </div>
      )}
      <div className="panel-actions">
        <button type="button" className="btn btn-sm" onClick={() => setAdding((a) => !a)}>{adding ? "Cancel" : "Add threat"}</button>
      </div>
      {adding && <AddThreat model={model} defaultTarget={focus} onAdd={async (...a) => { const ok = await onAdd(...a); if (ok) setAdding(false); return ok; }} />}
      {model.threats.length === 0 ? (
        <p className="muted empty-note">No threats yet. Draw the system, then press <strong>Generate threats</strong>.</p>
      ) : rows.length === 0 ? (
        <p className="muted empty-note">No threats match these filters.</p>
      ) : (
        <ul className="threat-list" aria-label="Threats">
          {rows.slice(0, shown).map((t) => (
            <li key={t.id} id={`threat-${t.id}`} className={`threat-item${t.obsolete ? " is-obsolete" : ""}`}>
              <button type="button" className="threat-head" aria-expanded={open === t.id} onClick={() => setOpen(open === t.id ? null : t.id)}>
                <span className={`sev sev-${severityOf(t)}`}>{severityOf(t)}</span>
                <span className="threat-title">{t.title}</span>
                <span className={`threat-status st-${t.status.kind}`}>{STATUS_LABEL[t.status.kind]}</span>
              </button>
              <div className="threat-sub">
                {STRIDE_LABEL[t.category]} · <button type="button" className="link-btn" onClick={() => onSelectTarget(t.target.id)}>{names.get(t.target.id) ?? "(removed)"}</button>
                {t.mitigations.length > 0 && ` · ${t.mitigations.filter((m) => m.status === "done").length}/${t.mitigations.length} mitigations done`}
                {t.obsolete && " · obsolete"}
              </div>
              {open === t.id && <ThreatDetail key={`${t.id}-${JSON.stringify(t.status)}-${t.mitigations.length}`} modelId={model.id} threat={t} onSave={onSave} />}
            </li>
          ))}
        </ul>
      )}
      {rows.length > shown && (
        <button type="button" className="btn btn-sm" onClick={() => setLimit({ key: filterKey, n: shown + PAGE })}>
          Show {Math.min(PAGE, rows.length - shown)} more ({shown} of {rows.length} shown)
        </button>
      )}
    </div>
  );
}

function AddThreat({ model, defaultTarget, onAdd }: { model: ThreatModel; defaultTarget: string | null; onAdd: Props["onAdd"] }) {
  const targets = model.diagrams.flatMap((d) => [
    ...d.elements.map((e) => ({ id: e.id, name: e.name, kind: "element" as const })),
    ...d.flows.map((f) => ({ id: f.id, name: `${f.name} (flow)`, kind: "flow" as const })),
  ]);
  const [title, setTitle] = useState("");
  const [category, setCategory] = useState<Stride>("spoofing");
  const [target, setTarget] = useState(defaultTarget ?? targets[0]?.id ?? "");
  const [likelihood, setLikelihood] = useState<Rating>("medium");
  const [impact, setImpact] = useState<Rating>("medium");
  const t = targets.find((x) => x.id === target);
  return (
    <form className="add-threat" aria-label="Add threat" onSubmit={(e) => { e.preventDefault(); if (t && title.trim()) void onAdd(title, category, { kind: t.kind, id: t.id }, likelihood, impact); }}>
      <input className="input" aria-label="Threat title" placeholder="What could go wrong?" value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="input-row">
        <select className="select" aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value as Stride)}>
          {(Object.keys(STRIDE_LABEL) as Stride[]).map((s) => <option key={s} value={s}>{STRIDE_LABEL[s]}</option>)}
        </select>
        <select className="select" aria-label="Target" value={target} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
      </div>
      <div className="input-row">
        <label className="field field-narrow"><span className="field-label">Likelihood</span>
          <select className="select" value={likelihood} onChange={(e) => setLikelihood(e.target.value as Rating)}>{["low", "medium", "high"].map((r) => <option key={r}>{r}</option>)}</select></label>
        <label className="field field-narrow"><span className="field-label">Impact</span>
          <select className="select" value={impact} onChange={(e) => setImpact(e.target.value as Rating)}>{["low", "medium", "high"].map((r) => <option key={r}>{r}</option>)}</select></label>
        <button type="submit" className="btn btn-primary btn-sm" disabled={!t || !title.trim()}>Add</button>
      </div>
    </form>
  );
}

function inDays(n: number): string {
  const d = new Date(Date.now() + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** The version check the editor can make while typing; the backend scores
 * the vector and names any bad metric when the threat is saved. */
function cvssVersionProblem(vector: string): string | null {
  const v = vector.trim();
  if (!v) return null;
  const prefix = /^CVSS:([^/]*)/.exec(v);
  if (prefix && prefix[1] !== "3.1" && prefix[1] !== "4.0") return `CVSS ${prefix[1]} is not supported: write a CVSS:3.1/ or CVSS:4.0/ vector.`;
  if (!prefix && /(^|\/)(AT|VC|VI|VA|SC|SI|SA):/.test(v)) return "A CVSS 4.0 vector starts with CVSS:4.0/.";
  return null;
}

function ThreatDetail({ modelId, threat, onSave }: { modelId: string; threat: Threat; onSave: Props["onSave"] }) {
  const [status, setStatus] = useState<ThreatStatus["kind"]>(threat.status.kind);
  const [justification, setJustification] = useState(threat.status.kind === "accepted" ? threat.status.justification : "");
  const [expires, setExpires] = useState(threat.status.kind === "accepted" ? threat.status.expires : inDays(90));
  const [override, setOverride] = useState<"" | Severity>(threat.severity_override ?? "");
  const [cvss, setCvss] = useState(threat.cvss ?? "");
  const [notes, setNotes] = useState(threat.notes);
  const [mitigations, setMitigations] = useState<Mitigation[]>(threat.mitigations);
  const [adrs, setAdrs] = useState(threat.linked_adrs.join(", "));
  const [busy, setBusy] = useState(false);

  const setM = (id: string, f: (m: Mitigation) => Mitigation) => setMitigations((ms) => ms.map((m) => (m.id === id ? f(m) : m)));
  const addM = (title = "") => setMitigations((ms) => [...ms, { id: uuid(), title, status: "planned", owner: null }]);
  const cvssProblem = cvssVersionProblem(cvss);
  const save = async () => {
    const s: ThreatStatus = status === "accepted" ? { kind: "accepted", justification, expires } : ({ kind: status } as ThreatStatus);
    const linked = adrs.split(/[\s,]+/).filter(Boolean).map((x) => Number(x.replace(/^ADR-?/i, "")));
    setBusy(true);
    await onSave(threat.id, {
      status: s, severity_override: override || null, cvss: cvss.trim() || null, notes,
      mitigations: mitigations.filter((m) => m.title.trim()), linked_adrs: linked.filter((n) => Number.isInteger(n) && n > 0),
    });
    setBusy(false);
  };
  return (
    <div className="threat-detail">
      {threat.description && <p className="threat-desc">{threat.description}</p>}
      {(threat.rule_id || threat.rationale.length > 0) && (
        <div className="why" aria-label="Why this threat">
          <span className="field-label">Why</span>
          {threat.rule_id && <span className="mono rule-id">rule {threat.rule_id}</span>}
          <ul>{threat.rationale.map((b) => <li key={b.property + b.value}><span className="mono">{b.property}</span> = <strong>{b.value}</strong></li>)}</ul>
        </div>
      )}
      {threat.references.length > 0 && <p className="refs muted small">{threat.references.join(" · ")}</p>}
      <div className="input-row">
        <label className="field"><span className="field-label">Status</span>
          <select className="select" aria-label="Threat status" value={status} onChange={(e) => setStatus(e.target.value as ThreatStatus["kind"])}>
            {(Object.keys(STATUS_LABEL) as ThreatStatus["kind"][]).map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
          </select></label>
        <label className="field"><span className="field-label">Severity override</span>
          <select className="select" aria-label="Severity override" value={override} onChange={(e) => setOverride(e.target.value as Severity | "")}>
            <option value="">(rated: {ratedSeverity(threat.likelihood, threat.impact)})</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select></label>
      </div>
      {status === "accepted" && (
        <div className="input-row">
          <label className="field"><span className="field-label">Justification</span>
            <input className="input" aria-label="Justification" value={justification} onChange={(e) => setJustification(e.target.value)} /></label>
          <label className="field field-narrow"><span className="field-label">Expires</span>
            <input className="input" type="date" aria-label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} /></label>
        </div>
      )}
      <div className="field">
        <span className="field-label">Mitigations</span>
        {mitigations.map((m) => (
          <div key={m.id} className="mitigation input-row">
            <input className="input" aria-label="Mitigation" value={m.title} onChange={(e) => setM(m.id, (x) => ({ ...x, title: e.target.value }))} />
            <select className="select" aria-label="Mitigation status" value={m.status} onChange={(e) => setM(m.id, (x) => ({ ...x, status: e.target.value as MitigationStatus }))}>
              <option value="planned">Planned</option><option value="in_progress">In progress</option><option value="done">Done</option>
            </select>
            <input className="input owner" aria-label="Owner" placeholder="Owner" value={m.owner ?? ""} onChange={(e) => setM(m.id, (x) => ({ ...x, owner: e.target.value || null }))} />
            <button type="button" className="icon-btn" aria-label="Remove mitigation" onClick={() => setMitigations((ms) => ms.filter((x) => x.id !== m.id))}>×</button>
          </div>
        ))}
        <div className="suggested">
          <button type="button" className="btn btn-sm" onClick={() => addM()}>Add mitigation</button>
          {threat.suggested_mitigations.filter((s) => !mitigations.some((m) => m.title === s)).slice(0, 4).map((s) => (
            <button type="button" key={s} className="chip chip-suggest" title="Add this suggested mitigation" onClick={() => addM(s)}>+ {s}</button>
          ))}
        </div>
      </div>
      <label className="field"><span className="field-label">Notes</span>
        <textarea className="input" rows={2} aria-label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} /></label>
      <div className="input-row">
        <label className="field"><span className="field-label">Linked ADRs</span>
          <input className="input" aria-label="Linked ADRs" placeholder="e.g. 3, 12" value={adrs} onChange={(e) => setAdrs(e.target.value)} /></label>
        <label className="field"><span className="field-label">CVSS vector (3.1 or 4.0)</span>
          <input className="input mono" aria-label="CVSS vector" placeholder="CVSS:4.0/AV:N/… or CVSS:3.1/AV:N/…" value={cvss}
            aria-invalid={cvssProblem !== null} onChange={(e) => setCvss(e.target.value)} /></label>
      </div>
      {cvssProblem && <p className="error-text" role="alert">{cvssProblem}</p>}
      <div className="panel-actions">
        <button type="button" className="btn btn-primary btn-sm" disabled={busy || cvssProblem !== null} onClick={() => void save()}>Save threat</button>
      </div>
      <ControlLinks modelId={modelId} threatId={threat.id} mitigations={threat.mitigations} />
    </div>
  );
}
