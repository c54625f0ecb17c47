import { useEffect, useState } from "react";
import { api } from "../api";

/** The workspace's decision graph, drawn by Rust. Shown as an <img> so nothing in the SVG can run. */
export function DecisionGraph({ dark, version }: { dark: boolean; version: number }) {
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.decisionGraphSvg(dark).then(
      (s) => live && (setSvg(s), setError(null)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [dark, version]);
  return (
    <section className="graph" aria-label="Decision graph">
      <div className="graph-legend" aria-label="Legend">
        <span className="legend-item"><span className="legend-line legend-supersedes" />Supersedes</span>
        <span className="legend-item"><span className="legend-line legend-relates" />Relates to / amends</span>
        {["accepted", "proposed", "draft", "rejected", "deprecated", "superseded"].map((s) => (
          <span key={s} className="legend-item legend-status"><span className={`legend-dot dot-${s}`} />{s}</span>
        ))}
      </div>
      {error && <p className="error-text" role="alert">Could not draw the graph: {error}</p>}
      {svg === null && !error && <p className="muted">Drawing graph…</p>}
      {svg !== null && (
        <div className="graph-canvas">
          <img alt="Decision graph of this workspace" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />
        </div>
      )}
    </section>
  );
}
