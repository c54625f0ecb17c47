import { useEffect, useState } from "react";
import type { CellUpdate, EvidenceFinding, EvidenceKind, Framework, ImplementationStatus, StoredCell } from "../api";
import { Icon } from "../components/Dialog";
import { RadioStrip } from "../components/Roving";
import { daysBetween, STALE_AFTER_DAYS, STATUSES, statusLabel, today } from "./status";

type Control = Framework["controls"][number];
type Apply = (u: Omit<CellUpdate, "add_evidence" | "remove_evidence" | "adrs" | "threats"> & Partial<CellUpdate>) => Promise<boolean>;

const KINDS: { kind: EvidenceKind; label: string; placeholder: string }[] = [
  { kind: "link", label: "Link", placeholder: "https://…" },
  { kind: "file", label: "File", placeholder: "/path/to/report.pdf" },
  { kind: "ci_job", label: "CI job", placeholder: "workflow/job or run URL" },
  { kind: "note", label: "Note", placeholder: "What was checked, by whom" },
];

/** The selected cell: status, owner, narrative and its evidence. */
export function EvidencePanel({ framework, control, repository, stored, findings, onApply, onClose }: {
  framework: string;
  control: Control;
  repository: string;
  stored: StoredCell | null;
  findings: EvidenceFinding[];
  onApply: Apply;
  onClose: () => void;
}) {
  const cell = stored?.cell ?? null;
  const ref = `${framework}:${control.id}`;
  const target = { controls: [ref], repositories: [repository] };
  const [owner, setOwner] = useState(cell?.owner ?? "");
  const [narrative, setNarrative] = useState(cell?.narrative ?? "");
  const [kind, setKind] = useState<EvidenceKind>("link");
  const [title, setTitle] = useState("");
  const [location, setLocation] = useState("");
  const [collected, setCollected] = useState(today());
  const [expires, setExpires] = useState("");
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  useEffect(() => {
    setOwner(cell?.owner ?? "");
    setNarrative(cell?.narrative ?? "");
  }, [cell?.owner, cell?.narrative, ref, repository]);

  const now = today();
  const current = cell && !cell.applicable ? "not_applicable" : cell?.status ?? "";
  const setStatus = (s: ImplementationStatus) => {
    if (s === "not_applicable") {
      setAsking(true);
    } else {
      setAsking(false);
      void onApply({ ...target, status: s });
    }
  };
  const saveText = () => {
    if (owner === (cell?.owner ?? "") && narrative === (cell?.narrative ?? "")) return;
    void onApply({ ...target, owner, narrative });
  };
  const add = async () => {
    const ok = await onApply({
      ...target,
      add_evidence: [{ kind, title: title.trim(), location: location.trim(), collected: collected || null, expires: expires || null }],
    });
    if (ok) { setTitle(""); setLocation(""); setExpires(""); }
  };
  const mine = findings.filter((f) => f.repository === repository && f.control.framework === framework && f.control.control === control.id);

  return (
    <aside className="cm-panel" aria-label="Cell details">
      <header className="cm-panel-head">
        <div>
          <h2>{control.id} · {repository}</h2>
          <p className="muted">{control.title}</p>
        </div>
        <button type="button" className="icon-btn" aria-label="Close details" onClick={onClose}><Icon name="x" /></button>
      </header>
      <p className="cm-desc">{control.description}</p>
      <div className="cm-status-row" role="group" aria-label="Status">
        {STATUSES.map((s) => (
          <button key={s} type="button" className={`cm-chip st-${s}`} aria-pressed={current === s} onClick={() => setStatus(s)}>
            {statusLabel(s)}
          </button>
        ))}
      </div>
      {asking && (
        <form className="cm-reason" aria-label="Not applicable" onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return;
          void onApply({ ...target, not_applicable: reason.trim() }).then((ok) => { if (ok) { setAsking(false); setReason(""); } });
        }}>
          <input className="input" aria-label="Reason not applicable" placeholder={`Why ${control.id} does not apply here`} value={reason}
            onChange={(e) => setReason(e.target.value)} required autoFocus />
          <button type="submit" className="btn btn-primary">Mark N/A</button>
          <button type="button" className="btn btn-ghost" onClick={() => setAsking(false)}>Cancel</button>
        </form>
      )}
      {cell && !cell.applicable && <p className="muted">Not applicable: {cell.not_applicable_reason}</p>}
      <label className="cm-field">Owner<input className="input" value={owner} onChange={(e) => setOwner(e.target.value)} onBlur={saveText} /></label>
      <label className="cm-field">Narrative<textarea className="input" rows={3} value={narrative} onChange={(e) => setNarrative(e.target.value)} onBlur={saveText} /></label>
      <label className="cm-field">Last reviewed
        <input className="input" type="date" value={cell?.last_reviewed ?? ""} onChange={(e) => e.target.value && void onApply({ ...target, last_reviewed: e.target.value })} />
      </label>

      {cell && (cell.adrs.length > 0 || cell.threats.length > 0) && (
        <>
          <h3>Satisfied by</h3>
          <ul className="cm-links" aria-label="Satisfied by">
            {cell.adrs.map((n) => <li key={`adr-${n}`}><span className="chip">ADR</span> ADR-{String(n).padStart(4, "0")}</li>)}
            {cell.threats.map((t) => (
              <li key={`${t.threat_id}-${t.mitigation}`}>
                <span className="chip">Threat</span> <span className="mono">{t.threat_id.slice(0, 8)}</span> in {t.threat_model}
                {t.mitigation && <div className="muted">by “{t.mitigation}”</div>}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Evidence</h3>
      {mine.length > 0 && <ul className="cm-findings">{mine.map((f, i) => <li key={i}>{f.kind.replace("_", " ")}: {f.title}{f.date ? ` (${f.date})` : ""}</li>)}</ul>}
      <ul className="cm-evidence" aria-label="Evidence">
        {(cell?.evidence ?? []).map((e) => {
          const expired = e.expires !== null && e.expires < now;
          const stale = !expired && daysBetween(e.collected, now) > STALE_AFTER_DAYS;
          return (
            <li key={e.id} className={expired ? "ev-expired" : stale ? "ev-stale" : undefined}>
              <div>
                <strong>{e.title}</strong> <span className="chip">{KINDS.find((k) => k.kind === e.kind)?.label ?? e.kind}</span>
                {expired && <span className="chip chip-bad">Expired</span>}
                {stale && <span className="chip chip-warn">Stale</span>}
                <div className="muted cm-loc">{e.location}</div>
                <div className="muted">Collected {e.collected}{e.expires ? ` · expires ${e.expires}` : ""}</div>
              </div>
              <button type="button" className="icon-btn" aria-label={`Remove ${e.title}`}
                onClick={() => void onApply({ ...target, remove_evidence: [e.id] })}><Icon name="trash" /></button>
            </li>
          );
        })}
        {(cell?.evidence.length ?? 0) === 0 && <li className="muted">No evidence yet.</li>}
      </ul>

      <form className="cm-add" aria-label="Add evidence" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <RadioStrip label="Evidence kind" value={kind} onChange={setKind} choices={KINDS.map((k) => ({ value: k.kind, label: k.label }))} />
        <input className="input" aria-label="Evidence title" placeholder="Title" value={title} onChange={(e) => setTitle(e.target.value)} required />
        <input className="input" aria-label="Evidence location" placeholder={KINDS.find((k) => k.kind === kind)?.placeholder} value={location}
          onChange={(e) => setLocation(e.target.value)} required />
        <div className="cm-dates">
          <label className="cm-field">Collected<input className="input" type="date" aria-label="Collected" value={collected} onChange={(e) => setCollected(e.target.value)} /></label>
          <label className="cm-field">Expires<input className="input" type="date" aria-label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} /></label>
        </div>
        <button type="submit" className="btn btn-primary"><Icon name="plus" />Add evidence</button>
      </form>
    </aside>
  );
}
