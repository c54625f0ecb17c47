// The Threats section: the workspace's threat models, create, import,
// rename, delete, and the editor of the open one.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, pickThreatModelFile, type RecordHit, type ThreatModelSummary, type Workspace } from "../api";
import { Dialog, Icon } from "../components/Dialog";
import { useToast } from "../components/Toasts";
import { markdownPreview } from "../lib/format";
import { ThreatModelEditor } from "./ThreatModelEditor";
import "./threats.css";

export function ThreatsPage({ workspace, dark, onCount, jump }: {
  workspace: Workspace | null; dark: boolean; onCount: (n: number) => void;
  /** A model or threat chosen in the search palette: opened at once. */
  jump?: RecordHit | null;
}) {
  const toast = useToast();
  const [models, setModels] = useState<ThreatModelSummary[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(jump ? (jump.kind === "threat" ? jump.parent_id : jump.id) : null);
  const [openThreat, setOpenThreat] = useState<string | null>(jump?.kind === "threat" ? jump.id : null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [deleting, setDeleting] = useState<ThreatModelSummary | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    api.listThreatModels().then(
      (m) => { if (live) { setModels(m); onCount(m.length); } },
      (e: unknown) => live && toast.error(e, "Could not load threat models"),
    );
    return () => { live = false; };
  }, [version, workspace?.id, toast, onCount]);

  // Another workspace: back to its list (not on the first render, which
  // may open what the search palette chose).
  const shownWorkspace = useRef(workspace?.id);
  useEffect(() => {
    if (shownWorkspace.current === workspace?.id) return;
    shownWorkspace.current = workspace?.id;
    setOpenId(null);
  }, [workspace?.id]);

  const create = async () => {
    try {
      const m = await api.createThreatModel(name);
      setCreating(false);
      setName("");
      refresh();
      setOpenId(m.model.id);
    } catch (e) {
      toast.error(e, "Could not create the threat model");
    }
  };

  const importFile = async () => {
    try {
      const file = await pickThreatModelFile();
      if (!file) return;
      const r = await api.importThreatModel(file);
      toast.success(`Imported "${r.model.name}" (${r.format.replace("_", " ")}): ${r.model.elements} elements, ${r.model.threats} threats`);
      refresh();
      setOpenId(r.model.id);
    } catch (e) {
      toast.error(e, "Could not import");
    }
  };

  if (openId) {
    return <ThreatModelEditor key={openId} id={openId} dark={dark} initialThreat={openThreat}
      onClose={() => { setOpenId(null); setOpenThreat(null); refresh(); }} onChanged={refresh} />;
  }

  return (
    <div className="page list-page">
      <header className="page-header">
        <div>
          <h1>Threat models</h1>
          <p className="page-sub">Data-flow diagrams, STRIDE threats from 140 rules, mitigations and threat sessions.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => void importFile()}><Icon name="import" /> Import</button>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}><Icon name="plus" /> New threat model</button>
        </div>
      </header>
      {models === null ? (
        <p className="muted loading">Loading…</p>
      ) : models.length === 0 ? (
        <div className="empty">
          <div className="empty-icon"><Icon name="shield" size={28} /></div>
          <h2>No threat models yet</h2>
          <p className="muted">Draw a data-flow diagram of a service, or import one from OWASP Threat Dragon, Open Threat Model, pytm, Threagile, AWS Threat Composer or the Microsoft Threat Modeling Tool.</p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New threat model</button>
            <button type="button" className="btn" onClick={() => void importFile()}>Import a file</button>
          </div>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="adr-table tm-table" aria-label="Threat models">
            <colgroup>
              <col className="tm-col-name" /><col /><col /><col /><col /><col /><col className="tm-col-actions" />
            </colgroup>
            <thead>
              <tr><th>Name</th><th>Elements</th><th>Flows</th><th>Threats</th><th>Unmitigated</th><th>Updated</th><th aria-label="Actions" /></tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} className="adr-row">
                  <td><button type="button" className="row-link" onClick={() => setOpenId(m.id)}>{m.name}</button>
                    {m.description && <Preview markdown={m.description} />}</td>
                  <td>{m.elements}</td>
                  <td>{m.flows}</td>
                  <td>{m.threats - m.obsolete}</td>
                  <td>{m.unmitigated > 0 ? <span className="stat-warn">{m.unmitigated}</span> : 0}</td>
                  <td className="muted">{new Date(m.updated_at).toLocaleDateString()}</td>
                  <td><button type="button" className="icon-btn" aria-label={`Delete ${m.name}`} onClick={() => setDeleting(m)}><Icon name="trash" /></button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <Dialog label="New threat model" title="New threat model" width="sm" onClose={() => setCreating(false)}
          footer={<><button type="button" className="btn" onClick={() => setCreating(false)}>Cancel</button>
            <button type="button" className="btn btn-primary" disabled={!name.trim()} onClick={() => void create()}>Create</button></>}>
          <label className="field"><span className="field-label">Name</span>
            <input className="input" aria-label="Threat model name" value={name} placeholder="Checkout service" onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => { if (e.key === "Enter" && name.trim()) void create(); }} /></label>
        </Dialog>
      )}
      {deleting && (
        <Dialog label="Delete threat model" title={`Delete "${deleting.name}"?`} width="sm" onClose={() => setDeleting(null)}
          footer={<><button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
            <button type="button" className="btn btn-primary" onClick={() => {
              const d = deleting;
              setDeleting(null);
              api.deleteThreatModel(d.id).then(() => { toast.success(`Deleted "${d.name}"`); refresh(); }, (e: unknown) => toast.error(e, "Could not delete"));
            }}>Delete</button></>}>
          <p>Its diagram, {deleting.threats} threats, history and sessions go with it. Export a report first if you need a record.</p>
        </Dialog>
      )}
    </div>
  );
}

/** A model's description as one line of plain text, the whole of it on hover. */
function Preview({ markdown }: { markdown: string }) {
  const text = markdownPreview(markdown);
  return <div className="muted small tm-desc" title={text}>{text}</div>;
}
