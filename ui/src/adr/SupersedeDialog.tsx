import { useState } from "react";
import { errorMessage, type Adr, type AdrSummary } from "../api";
import { Dialog } from "../components/Dialog";
import { RadioStrip } from "../components/Roving";
import { StatusPill } from "../components/StatusPill";
import { adrRef } from "../lib/format";

export type SupersedeTarget = { kind: "existing"; id: string } | { kind: "new"; title: string };

export function SupersedeDialog({ adr, all, onClose, onSupersede }: {
  adr: Adr;
  all: AdrSummary[];
  onClose: () => void;
  onSupersede: (t: SupersedeTarget) => Promise<void>;
}) {
  // Newest first: the superseding decision is usually the most recent one.
  const candidates = all.filter((a) => a.id !== adr.id && a.status.kind !== "superseded").sort((a, b) => b.number - a.number);
  const [mode, setMode] = useState<"existing" | "new">(candidates.length ? "existing" : "new");
  const [pick, setPick] = useState<string>("");
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = mode === "existing" ? !!pick : !!title.trim();

  const submit = () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    onSupersede(mode === "existing" ? { kind: "existing", id: pick } : { kind: "new", title: title.trim() }).catch((e: unknown) => {
      setError(errorMessage(e));
      setBusy(false);
    });
  };

  return (
    <Dialog label="Supersede" title={`Supersede ${adrRef(adr.number)}`} onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" form="supersede-form" className="btn btn-primary" disabled={!ready || busy}>
            {busy ? "Superseding…" : "Supersede"}
          </button>
        </>
      }>
      <form id="supersede-form" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <p className="muted">
          “{adr.title}” will be marked <strong>superseded</strong>, and linked both ways to the decision that replaces it.
        </p>
        <RadioStrip label="Superseding decision" value={mode} onChange={setMode} choices={[
          { value: "existing", label: "Existing ADR", disabled: !candidates.length },
          { value: "new", label: "New ADR" },
        ]} />
        {mode === "existing" ? (
          <div role="radiogroup" aria-label="Superseded by" className="pick-list">
            {candidates.map((c) => (
              <label key={c.id} className={`pick ${pick === c.id ? "is-selected" : ""}`}>
                <input type="radio" name="superseder" value={c.id} checked={pick === c.id} onChange={() => setPick(c.id)} />
                <span className="adr-num">{adrRef(c.number)}</span>
                <span className="pick-title">{c.title}</span>
                <StatusPill status={c.status} />
              </label>
            ))}
          </div>
        ) : (
          <div className="field">
            <label className="field-label" htmlFor="supersede-title">Title of the new ADR</label>
            <input id="supersede-title" className="input" value={title} onChange={(e) => setTitle(e.target.value)}
              placeholder={`Replaces: ${adr.title}`} data-autofocus />
          </div>
        )}
        {error && <p className="error-text" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
