// One threat model: the diagram editor, its properties, its threats and
// threat sessions, with generate and report export in the toolbar.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { api, pickSavePath, type Diagram, type ThreatReportFiles, type ThreatExportFormat, type ElementKind, type Rating, type Stride, type ThreatEdit, type ThreatModel, type ThreatTarget } from "../api";
import { FolderInput } from "../adr/dialogs";
import { fileSlug } from "../lib/format";
import { Dialog, Icon } from "../components/Dialog";
import { TabList, tabPanelProps } from "../components/Roving";
import { useToast } from "../components/Toasts";
import { DiagramCanvas, type CanvasHandle } from "./DiagramCanvas";
import { autoLayout, copySelection, openThreatCounts, paste, updateDiagram, type Clip } from "./model";
import { PropertyPanel } from "./PropertyPanel";
import { SessionPanel } from "./SessionPanel";
import { ThreatsPanel } from "./ThreatsPanel";
import { useThreatDoc, type SaveState } from "./useThreatDoc";

const SAVE_LABEL: Record<SaveState, string> = { saved: "Saved", dirty: "Unsaved changes", saving: "Saving…", conflict: "Conflict", error: "Not saved" };
type Tab = "properties" | "threats" | "session";

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function ThreatModelEditor({ id, dark, onClose, onChanged, initialThreat = null }: {
  id: string; dark: boolean; onClose: () => void; onChanged: () => void;
  /** Opens on the Threats tab with this threat in view (from search). */
  initialThreat?: string | null;
}) {
  const toast = useToast();
  const doc = useThreatDoc(id);
  const { model } = doc;
  const [diagramIndex, setDiagramIndex] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tab, setTab] = useState<Tab>(initialThreat ? "threats" : "properties");
  const tabIds = useId();
  // The element or flow whose threats the Threats tab lists: for a threat
  // opened from search, its target (set once the model is here).
  const [focus, setFocus] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | "generate" | "report">(null);
  const canvas = useRef<CanvasHandle>(null);
  const clip = useRef<Clip | null>(null);
  const dragStart = useRef<Diagram[] | null>(null);

  const diagram = model?.diagrams[diagramIndex] ?? model?.diagrams[0];
  // Marks the first commit with the model (see useThreatDoc's marks).
  const shown = model !== null;
  const focusedFromSearch = useRef(false);
  useEffect(() => {
    if (!initialThreat || !model || focusedFromSearch.current) return;
    focusedFromSearch.current = true;
    const t = model.threats.find((x) => x.id === initialThreat);
    if (!t) return;
    // Its element selected on the canvas too (shown once the canvas is up).
    setFocus(t.target.id);
    setSelected(new Set([t.target.id]));
    window.setTimeout(() => canvas.current?.show(t.target.id), 0);
  }, [initialThreat, model]);
  useEffect(() => {
    if (shown) performance.mark("threat-model:rendered");
  }, [shown]);
  const openCounts = useMemo(() => openThreatCounts(model?.threats ?? []), [model?.threats]);

  const { edit } = doc;
  const onDiagram = useCallback(
    (f: (d: Diagram) => Diagram, opts?: { history?: boolean }) => edit((m) => updateDiagram(m, diagramIndex, f), opts),
    [edit, diagramIndex],
  );
  const onModel = useCallback((f: (m: ThreatModel) => ThreatModel) => edit(f), [edit]);
  const onDragStart = useCallback(() => { dragStart.current = doc.model?.diagrams ?? null; }, [doc.model]);
  const { checkpoint } = doc;
  const onDragEnd = useCallback(() => {
    if (dragStart.current) checkpoint(dragStart.current);
    dragStart.current = null;
  }, [checkpoint]);

  // Shortcuts: undo/redo, copy/paste, select all.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || isTyping(e.target)) return;
      const k = e.key.toLowerCase();
      if (k === "z" && !e.shiftKey) { e.preventDefault(); doc.undo(); }
      else if ((k === "z" && e.shiftKey) || k === "y") { e.preventDefault(); doc.redo(); }
      else if (k === "c" && diagram) { clip.current = copySelection(diagram, selected); }
      else if (k === "v" && clip.current) {
        e.preventDefault();
        const c = clip.current;
        let ids: string[] = [];
        onDiagram((d) => { const r = paste(d, c); ids = r.ids; return r.diagram; });
        setSelected(new Set(ids));
      } else if (k === "a" && diagram) {
        e.preventDefault();
        setSelected(new Set([...diagram.elements.map((x) => x.id), ...diagram.boundaries.map((x) => x.id)]));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [doc, diagram, selected, onDiagram]);

  const generate = async () => {
    setBusy("generate");
    const r = await doc.serverOp((mid) => api.generateThreats(mid), () => api.getThreatModel(id));
    setBusy(null);
    if (r) {
      toast.success(`Threats generated: ${r.counts.new} new, ${r.counts.kept} kept, ${r.counts.obsolete} obsolete`);
      setTab("threats");
      onChanged();
    }
  };

  const [reportOpen, setReportOpen] = useState(false);
  const exportReport = async (dir: string): Promise<ThreatReportFiles | null> => {
    setBusy("report");
    const r = await doc.serverOp((mid) => api.threatReport(mid, dir), () => null);
    setBusy(null);
    if (r) toast.success(`Report written to ${r.dir}`);
    return r;
  };
  const exportModel = async (file: string, format: ThreatExportFormat): Promise<string | null> => {
    setBusy("report");
    const r = await doc.serverOp((mid) => api.exportThreatModel(mid, file, format), () => null);
    setBusy(null);
    if (r) toast.success(`${FILE_FORMATS[format].what} written to ${r}`);
    return r;
  };

  const saveThreat = async (threatId: string, e: ThreatEdit) => {
    const r = await doc.serverOp((mid, rev) => api.updateThreat(mid, rev, threatId, e));
    if (r) toast.success("Threat saved");
    return r !== null;
  };
  const addThreat = async (title: string, category: Stride, target: ThreatTarget, likelihood: Rating, impact: Rating) => {
    const r = await doc.serverOp((mid, rev) => api.addThreat(mid, rev, { title, category, target, likelihood, impact, description: "" }));
    return r !== null;
  };

  // Selected and brought into view: in a large diagram it may be off screen.
  const selectTarget = useCallback((tid: string) => {
    setSelected(new Set([tid]));
    setFocus(tid);
    canvas.current?.show(tid);
  }, []);

  if (doc.loadError) {
    return (
      <div className="page">
        <div className="banner banner-error" role="alert">
          <Icon name="alert" /><span>Could not open this threat model: {doc.loadError}</span>
          <button type="button" className="btn btn-sm" onClick={onClose}>Back to threat models</button>
        </div>
      </div>
    );
  }
  if (!model || !diagram) return <div className="page"><p className="muted loading">Loading…</p></div>;

  const addAt = (kind: ElementKind) => canvas.current?.addElement(kind);

  return (
    <div className="tm-editor">
      <header className="tm-bar editor-bar">
        <button type="button" className="icon-btn" aria-label="Back to threat models" onClick={onClose}><Icon name="back" /></button>
        <input className="input input-flat tm-name" aria-label="Model name" value={model.name}
          onChange={(e) => edit((m) => ({ ...m, name: e.target.value }))} />
        {model.diagrams.length > 1 && (
          <select className="select" aria-label="Diagram" value={diagramIndex} onChange={(e) => { setDiagramIndex(Number(e.target.value)); setSelected(new Set()); }}>
            {model.diagrams.map((d, i) => <option key={d.id} value={i}>{d.name}</option>)}
          </select>
        )}
        <span className={`save-state save-${doc.saveState}`} role="status"><span className="save-dot" />{SAVE_LABEL[doc.saveState]}</span>
        <span className="spacer" />
        <button type="button" className="icon-btn" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!doc.canUndo} onClick={doc.undo}><Icon name="undo" /></button>
        <button type="button" className="icon-btn" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!doc.canRedo} onClick={doc.redo}><Icon name="redo" /></button>
        <button type="button" className="btn btn-sm" onClick={() => { onDiagram((d) => autoLayout(d)); window.setTimeout(() => canvas.current?.fit(), 50); }}>Auto layout</button>
        <button type="button" className="btn btn-sm" onClick={() => canvas.current?.fit()}>Fit</button>
        <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => setReportOpen(true)}><Icon name="export" /> Export…</button>
        <button type="button" className="btn btn-primary btn-sm" disabled={busy !== null} onClick={() => void generate()}>
          <Icon name="shield" /> {busy === "generate" ? "Generating…" : "Generate threats"}
        </button>
      </header>
      {doc.saveState === "conflict" && (
        <div className="banner banner-warn" role="alert">
          <Icon name="alert" />
          <span className="banner-text">Someone else saved this threat model while you were editing it. Your changes are kept here until you choose.</span>
          <button type="button" className="btn btn-sm" onClick={doc.reloadTheirs}>Reload theirs</button>
          <button type="button" className="btn btn-sm btn-primary" onClick={doc.keepMine}>Keep mine</button>
        </div>
      )}
      {reportOpen && <ExportDialog name={model.name} onClose={() => setReportOpen(false)} onReport={exportReport} onModelFile={exportModel} />}
      <div className="tm-body">
        <div className="palette-rail" role="toolbar" aria-label="Add to diagram">
          <span className="rail-label" title="Drag from a node's edge to another to draw a flow. Drop nodes into a boundary to place them inside. Shift-drag selects many. Ctrl+C / Ctrl+V copy, Delete removes.">Add</span>
          <button type="button" className="palette-item" onClick={() => addAt("external_entity")} draggable={false} title="External entity or actor (added at the centre)">
            <span className="pi pi-external_entity" aria-hidden="true" /> External entity
          </button>
          <button type="button" className="palette-item" onClick={() => addAt("process")} title="Process (added at the centre)">
            <span className="pi pi-process" aria-hidden="true" /> Process
          </button>
          <button type="button" className="palette-item" onClick={() => addAt("data_store")} title="Data store (added at the centre)">
            <span className="pi pi-data_store" aria-hidden="true" /> Data store
          </button>
          <button type="button" className="palette-item" onClick={() => canvas.current?.addBoundary()} title="Trust boundary (added at the centre)">
            <span className="pi pi-boundary" aria-hidden="true" /> Trust boundary
          </button>
          <div className="rail-help muted small">
            Drag from a node's edge to another to draw a flow. Drop nodes into a boundary to place them inside.
            Shift-drag selects many. Ctrl+C / Ctrl+V copy, Delete removes.
          </div>
          <div className="rail-stats muted small">
            {diagram.elements.length} elements · {diagram.flows.length} flows · {diagram.boundaries.length} boundaries
          </div>
          <ul className="rail-legend muted" aria-label="Legend">
            <li><span className="dfd-key" aria-hidden="true" />Encrypted flow</li>
            <li><span className="dfd-key dfd-key-plain" aria-hidden="true" />Plain-text flow</li>
            <li><span className="dfd-key dfd-key-boundary" aria-hidden="true" />Trust boundary</li>
          </ul>
        </div>
        <ReactFlowProvider>
          <DiagramCanvas ref={canvas} diagram={diagram} openCounts={openCounts} selected={selected} onSelect={setSelected}
            onChange={onDiagram} onDragStart={onDragStart} onDragEnd={onDragEnd} dark={dark} />
        </ReactFlowProvider>
        <aside className="tm-side" aria-label="Inspector">
          <TabList label="Inspector tabs" idBase={tabIds} className="tm-tabs" tabClassName="tm-tab" value={tab} onChange={setTab} choices={[
            { value: "properties", label: "Properties" },
            { value: "threats", label: `Threats (${model.threats.filter((x) => !x.obsolete && x.status.kind === "open").length})` },
            { value: "session", label: "Session" },
          ]} />
          <div className="tm-side-body" {...tabPanelProps(tabIds, tab)}>
            {tab === "properties" && (
              <PropertyPanel model={model} diagram={diagram} selected={selected} onDiagram={onDiagram} onModel={onModel} onSelect={setSelected}
                openCounts={openCounts} onShowThreats={(tid) => { setFocus(tid); setTab("threats"); }} />
            )}
            {tab === "threats" && (
              <ThreatsPanel model={model} focus={focus} onFocus={setFocus} onSave={saveThreat} onAdd={addThreat} onSelectTarget={selectTarget}
                openThreat={initialThreat} />
            )}
            {tab === "session" && (
              <SessionPanel model={model} selected={selected}
                beforeStart={async () => { await doc.save(); return doc.saveState !== "conflict"; }}
                onModelRevision={doc.refreshIfBehind}
                onFocusTarget={(tid) => { setSelected(new Set([tid])); canvas.current?.show(tid); }} />
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}

type ExportKind = "report" | ThreatExportFormat;

/** What each model file is called in the dialog and its picker. */
const FILE_FORMATS: Record<ThreatExportFormat, { what: string; suffix: string }> = {
  threat_dragon: { what: "Threat Dragon JSON", suffix: "" },
  otm: { what: "Open Threat Model JSON", suffix: ".otm" },
};

const EXPORT_KINDS: { kind: ExportKind; label: string; hint: string }[] = [
  { kind: "report", label: "Report", hint: "A folder with the Markdown report, the threats as CSV, and the diagram as SVG, Mermaid and DOT." },
  { kind: "threat_dragon", label: "OWASP Threat Dragon v2 JSON", hint: "One file with the diagram, boundaries, threats and mitigations, for Threat Dragon (Plasma Plan imports it too)." },
  { kind: "otm", label: "Open Threat Model (OTM) JSON", hint: "Trust zones, components, data flows, assets, threats and mitigations, for IriusRisk and other OTM tools." },
];

/**
 * Where to write what: the report (a folder: Markdown, threat CSV, the
 * diagram as SVG, Mermaid and DOT) or the model as OWASP Threat Dragon v2
 * or Open Threat Model JSON (a file other tools open). Paths are typed in or
 * chosen with the native picker.
 */
function ExportDialog({ name, onClose, onReport, onModelFile }: {
  name: string;
  onClose: () => void;
  onReport: (dir: string) => Promise<ThreatReportFiles | null>;
  onModelFile: (file: string, format: ThreatExportFormat) => Promise<string | null>;
}) {
  const [kind, setKind] = useState<ExportKind>("report");
  const [dir, setDir] = useState("");
  const [file, setFile] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ThreatReportFiles | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const target = kind === "report" ? dir : file;
  const format = kind === "report" ? null : FILE_FORMATS[kind];
  const fileName = `${fileSlug(name) || "threat-model"}${format?.suffix ?? ""}.json`;
  const submit = async () => {
    setBusy(true);
    setError(null);
    if (kind === "report") {
      const r = await onReport(dir.trim());
      if (r) setReport(r);
    } else {
      const w = await onModelFile(file.trim(), kind);
      if (w) setWritten(w);
    }
    setBusy(false);
  };
  const done = report !== null || written !== null;
  return (
    <Dialog label="Export threat model" title={`Export "${name}"`} onClose={onClose}
      footer={<>
        <button type="button" className="btn" onClick={onClose}>{done ? "Done" : "Cancel"}</button>
        <button type="submit" form="tm-export-form" className="btn btn-primary" disabled={!target.trim() || busy}>{busy ? "Exporting…" : "Export"}</button>
      </>}>
      <form id="tm-export-form" className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="field">
          <span className="field-label" id="tm-export-kind">What to export</span>
          <div role="radiogroup" aria-labelledby="tm-export-kind" className="template-grid">
            {EXPORT_KINDS.map((k) => (
              <label key={k.kind} className={`template-card ${kind === k.kind ? "is-selected" : ""}`}>
                <input type="radio" name="tm-export-kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
                <span className="template-name">{k.label}</span>
                <span className="template-hint">{k.hint}</span>
              </label>
            ))}
          </div>
        </div>
        {kind === "report" ? (
          <div className="field">
            <label className="field-label" htmlFor="tm-report-dir">Report folder</label>
            <FolderInput id="tm-report-dir" label="Report folder" pickerTitle="Choose the folder for the threat report"
              value={dir} onChange={setDir} onError={setError} />
          </div>
        ) : format && (
          <div className="field">
            <label className="field-label" htmlFor="tm-export-file">{format.what} file</label>
            <FolderInput id="tm-export-file" label={`${format.what} file`} pickerTitle={`Save the threat model as ${format.what}`}
              placeholder={`/path/to/${fileName}`} browseLabel="Browse for a file"
              pick={() => pickSavePath(`Save the threat model as ${format.what}`, fileName)}
              value={file} onChange={setFile} onError={setError} />
          </div>
        )}
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && kind === "report" && (
        <div className="report" role="region" aria-label="Report files">
          <p>Wrote {report.files.length} files to <code>{report.dir}</code></p>
          <ul className="file-list">{report.files.map((f) => <li key={f}><code>{f}</code></li>)}</ul>
        </div>
      )}
      {written && kind !== "report" && (
        <div className="report" role="region" aria-label="Exported file">
          <p>Wrote <code>{written}</code></p>
        </div>
      )}
    </Dialog>
  );
}
