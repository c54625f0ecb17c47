import { useCallback, useEffect, useMemo, useState } from "react";
import { api, pickSavePath, type InitiativeRow, type RoadmapFormat, type RoadmapOverview } from "../api";
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

function Timeline({ rows }: { rows: InitiativeRow[] }) {
  const quarters = useMemo(() => {
    const map = new Map<string, InitiativeRow[]>();
    for (const r of rows) {
      const q = quarterOf(r.start);
      map.set(q, [...(map.get(q) ?? []), r]);
    }
    return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [rows]);
  return (
    <section aria-label="Timeline by quarter" className="rm-timeline">
      {quarters.map(([q, items]) => (
        <div key={q} className="rm-quarter" role="group" aria-label={q}>
          <h3>{q}</h3>
          <ul>
            {items.map((r) => (
              <li key={r.initiative.id} className={r.schedule.critical ? "rm-item rm-critical" : "rm-item"}>
                <strong>{r.initiative.title}</strong>
                <span className="muted rm-dates"> {r.start} → {r.finish}</span>
                {r.schedule.critical ? <span className="rm-badge">critical</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** Layered drawing: a node's column is the length of its longest chain of prerequisites. */
function DependencyGraph({ rows, edges }: { rows: InitiativeRow[]; edges: [string, string][] }) {
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
          <g key={r.initiative.key} transform={`translate(${p.x},${p.y})`}>
            <rect width="180" height="40" rx="6" className={critical.has(r.initiative.key) ? "rm-node rm-node-critical" : "rm-node"} />
            <text x="10" y="25">{r.initiative.key}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function RoadmapPage() {
  const toast = useToast();
  const [overview, setOverview] = useState<RoadmapOverview | null>(null);
  const [title, setTitle] = useState("");
  const [from, setFrom] = useState("");
  const [on, setOn] = useState("");
  const [format, setFormat] = useState<RoadmapFormat>("mermaid");
  const [out, setOut] = useState("");
  const [written, setWritten] = useState<string[]>([]);

  const load = useCallback(() => {
    api.roadmapOverview().then(setOverview, (e: unknown) => toast.error(e, "Could not load the roadmap"));
  }, [toast]);
  useEffect(load, [load]);

  const add = async () => {
    if (!title.trim()) return;
    try {
      const created = await api.createInitiative(null, title);
      setTitle("");
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
      toast.success(`Wrote ${report.files.length} file${report.files.length === 1 ? "" : "s"}`);
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
  return (
    <div className="page rm-page">
      <header className="page-header">
        <h1>Roadmap</h1>
      </header>
      <p className="rm-summary">
        {rows.length} initiatives · critical path ({overview.duration} days):{" "}
        <span aria-label="Critical path">{overview.critical_path.join(" → ") || "none"}</span>
      </p>
      <div className="rm-toolbar">
        <form className="rm-card" aria-label="Add an initiative" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <label className="field"><span className="field-label">New initiative</span>
            <input className="input" aria-label="New initiative" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Title" /></label>
          <button type="submit" className="btn btn-primary" disabled={!title.trim()}>Add initiative</button>
        </form>
        <form className="rm-card" aria-label="Add a dependency" onSubmit={(e) => { e.preventDefault(); void depend(); }}>
          <label className="field"><span className="field-label">Initiative</span>
            <select className="select" aria-label="Initiative" value={from} onChange={(e) => setFrom(e.target.value)}>
              <option value="">Choose…</option>
              {keys.map((k) => <option key={k} value={k}>{k}</option>)}
            </select></label>
          <label className="field"><span className="field-label">Depends on</span>
            <select className="select" aria-label="Depends on" value={on} onChange={(e) => setOn(e.target.value)}>
              <option value="">Choose…</option>
              {keys.map((k) => <option key={k} value={k}>{k}</option>)}
            </select></label>
          <button type="submit" className="btn" disabled={!from || !on}>Add dependency</button>
        </form>
        <form className="rm-card" aria-label="Export the roadmap" onSubmit={(e) => { e.preventDefault(); void exportTo(); }}>
          <label className="field"><span className="field-label">Format</span>
            <select className="select" aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as RoadmapFormat)}>
              <option value="mermaid">Mermaid gantt</option>
              <option value="md">Markdown</option>
              <option value="csv">CSV</option>
            </select></label>
          <label className="field rm-file"><span className="field-label">File</span>
            <input className="input mono" aria-label="Export to file" value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/roadmap.mmd" /></label>
          <button type="button" className="btn" onClick={() => void browse()}>Browse…</button>
          <button type="submit" className="btn" disabled={!out.trim()}>Export roadmap</button>
        </form>
      </div>
      {written.length > 0 ? <ul aria-label="Written files" className="rm-written">{written.map((f) => <li key={f}><code>{f}</code></li>)}</ul> : null}
      <h2>Timeline</h2>
      <Timeline rows={rows} />
      <h2>Dependencies</h2>
      <DependencyGraph rows={rows} edges={overview.edges} />
      <h2>Plan and readiness</h2>
      <table aria-label="Initiatives in dependency order" className="rm-table">
        <thead>
          <tr><th>#</th><th>Initiative</th><th>Start</th><th>Finish</th><th>Slack</th><th>Depends on</th><th>Readiness</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.initiative.id}>
              <td>{r.order}</td>
              <td>{r.initiative.title} <code>{r.initiative.key}</code></td>
              <td className="rm-date">{r.start}</td>
              <td className="rm-date">{r.finish}</td>
              <td>{r.schedule.critical ? "critical" : `${r.schedule.slack} d`}</td>
              <td>{r.initiative.depends_on.join(", ")}</td>
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
    </div>
  );
}
