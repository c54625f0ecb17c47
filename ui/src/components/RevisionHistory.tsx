// A record's saved revisions, newest first, folded under "History (n)":
// the SLO and initiative editors show them alike.
import { useEffect, useState } from "react";
import type { RevisionSummary } from "../api";
import { plural } from "../lib/format";

/** `load` (memoized by the caller) runs again whenever `revision` changes (a save). */
export function RevisionHistory({ label, load, revision }: {
  label: string;
  load: () => Promise<RevisionSummary[]>;
  revision: number;
}) {
  const [history, setHistory] = useState<RevisionSummary[] | null>(null);
  useEffect(() => {
    let live = true;
    load().then((h) => live && setHistory(h), () => live && setHistory([]));
    return () => { live = false; };
  }, [load, revision]);
  return (
    <details className="slo-history">
      <summary>History{history ? ` (${plural(history.length, "revision")})` : ""}</summary>
      {history === null ? <p className="muted small">Loading…</p> : (
        <ol aria-label={label} className="slo-history-list">
          {history.map((h) => (
            <li key={h.revision}>
              <span className="slo-rev">r{h.revision}</span>
              <span>{h.summary}</span>
              <time className="muted small" dateTime={h.saved_at}>{new Date(h.saved_at).toLocaleString()}</time>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
