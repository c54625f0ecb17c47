import { useEffect, useMemo, useState } from "react";
import { api, errorMessage, type Adr, type AdrDraft, type RevisionSummary } from "../api";
import { Icon } from "../components/Dialog";
import { diffLines } from "../lib/diff";
import { draftToLines, relativeTime, toDraft } from "../lib/format";

type Props = {
  adr: Adr;
  current: AdrDraft;
  version: number;
  onClose: () => void;
  onRestore: (revision: number) => Promise<void>;
};

export function HistoryPanel({ adr, current, version, onClose, onRestore }: Props) {
  const [revs, setRevs] = useState<RevisionSummary[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [old, setOld] = useState<Adr | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.adrRevisions(adr.id).then(
      (r) => live && setRevs(r),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [adr.id, version]);

  useEffect(() => {
    if (selected === null) return;
    let live = true;
    api.adrRevision(adr.id, selected).then(
      (a) => live && setOld(a),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [adr.id, selected]);

  const diff = useMemo(
    () => (old && old.revision === selected ? diffLines(draftToLines(toDraft(old)), draftToLines(current)) : null),
    [old, current, selected],
  );
  const changes = diff ? diff.filter((d) => d.kind !== "same").length : 0;

  return (
    <aside className="history" aria-label="History">
      <header className="history-head">
        <h2>History</h2>
        <button type="button" className="icon-btn" aria-label="Close history" onClick={onClose}><Icon name="x" /></button>
      </header>
      {error && <p className="error-text" role="alert">{error}</p>}
      {revs === null ? (
        <p className="muted pad">Loading…</p>
      ) : (
        <ul className="rev-list" role="listbox" aria-label="Revisions">
          {revs.map((r) => (
            <li key={r.revision} role="option" aria-selected={selected === r.revision} tabIndex={0}
              className="rev-item"
              onClick={() => setSelected(r.revision)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  setSelected(r.revision);
                }
              }}>
              <div className="rev-line">
                <span className="rev-num">r{r.revision}</span>
                {r.revision === adr.revision && <span className="rev-current">current</span>}
                <time dateTime={r.saved_at} title={new Date(r.saved_at).toLocaleString()}>{relativeTime(r.saved_at)}</time>
              </div>
              <div className="rev-summary">{r.summary}</div>
            </li>
          ))}
        </ul>
      )}
      {selected !== null && (
        <section className="rev-diff" aria-label={`Changes since revision ${selected}`}>
          <div className="rev-diff-head">
            <span>Revision {selected} → current · {changes} changed {changes === 1 ? "line" : "lines"}</span>
            <button type="button" className="btn btn-sm btn-primary" disabled={busy || selected === adr.revision}
              onClick={() => {
                setBusy(true);
                void onRestore(selected).finally(() => setBusy(false));
              }}>
              Restore this revision
            </button>
          </div>
          {diff === null ? (
            <p className="muted pad">Loading…</p>
          ) : changes === 0 ? (
            <p className="muted pad">No differences from the current text.</p>
          ) : (
            <pre className="diff" aria-label="Line diff">
              {diff.map((d, i) => (
                <div key={i} className={`diff-${d.kind}`}>
                  <span className="diff-sign" aria-hidden="true">{d.kind === "add" ? "+" : d.kind === "del" ? "−" : " "}</span>
                  {d.kind === "add" ? <ins>{d.text || " "}</ins> : d.kind === "del" ? <del>{d.text || " "}</del> : d.text || " "}
                </div>
              ))}
            </pre>
          )}
        </section>
      )}
    </aside>
  );
}
