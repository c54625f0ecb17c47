import { useRef, useState } from "react";
import { api, errorMessage, pickFolder, type Adr, type ExportReport, type ImportNotice, type ImportReport, type Template } from "../api";
import { Dialog, Icon, ImportFooter } from "../components/Dialog";
import { adrRef, TEMPLATE_LABEL } from "../lib/format";

const TEMPLATE_HINT: Record<Template, string> = {
  madr4_full: "Context, drivers, options with pros and cons, outcome, consequences, confirmation.",
  madr4_minimal: "Context, considered options and the decision outcome.",
  nygard: "Michael Nygard's classic: context, decision, consequences.",
};

export function NewAdrDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (a: Adr) => void }) {
  const [title, setTitle] = useState("");
  const [template, setTemplate] = useState<Template>("madr4_full");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!title.trim()) return;
    setBusy(true);
    api.createAdr(title.trim(), template).then(onCreated, (e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    });
  };
  return (
    <Dialog label="New ADR" title="New decision record" onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" form="new-adr" className="btn btn-primary" disabled={!title.trim() || busy}>Create</button>
        </>
      }>
      <form id="new-adr" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="new-title">Title</label>
          <input id="new-title" aria-label="Title" className="input input-lg" value={title} data-autofocus
            placeholder="e.g. Use PostgreSQL for the control plane" onChange={(e) => setTitle(e.target.value)} />
        </div>
        <fieldset className="field">
          <legend className="field-label">Template</legend>
          <div role="radiogroup" aria-label="Template" className="template-grid">
            {(Object.keys(TEMPLATE_LABEL) as Template[]).map((t) => (
              <label key={t} className={`template-card ${template === t ? "is-selected" : ""}`}>
                <input type="radio" name="template" value={t} checked={template === t} onChange={() => setTemplate(t)} />
                <span className="template-name">{TEMPLATE_LABEL[t]}</span>
                <span className="template-hint">{TEMPLATE_HINT[t]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {error && <p className="error-text" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}

function Notices({ title, items }: { title: string; items: ImportNotice[] }) {
  if (!items.length) return null;
  return (
    <section className="report-section">
      <h3>{title} ({items.length})</h3>
      <ul className="notice-list">
        {items.map((n, i) => (
          <li key={`${n.file}-${i}`}>
            <code>{n.file}{n.line !== null ? `:${n.line}` : ""}</code>
            <span>{n.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A path text field with a "Browse…" button that fills it from the native picker. */
/**
 * A path typed in or chosen with a native picker: a folder by default, or
 * whatever `pick` asks for (a file to open, a file to save).
 */
export function FolderInput({ id, label, pickerTitle, value, onChange, onError, pick, placeholder = "/path/to/repo/docs/decisions", browseLabel = "Browse for a folder" }: {
  id: string;
  label: string;
  pickerTitle: string;
  value: string;
  onChange: (v: string) => void;
  onError: (message: string | null) => void;
  pick?: () => Promise<string | null>;
  placeholder?: string;
  browseLabel?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [picking, setPicking] = useState(false);
  const browse = () => {
    setPicking(true);
    (pick ? pick() : pickFolder(pickerTitle)).then(
      (path) => {
        setPicking(false);
        if (path === null) return;
        onChange(path);
        onError(null);
        input.current?.focus();
      },
      (e: unknown) => {
        setPicking(false);
        onError(errorMessage(e));
      },
    );
  };
  return (
    <div className="input-row">
      <input ref={input} id={id} aria-label={label} className="input mono" value={value}
        placeholder={placeholder} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      <button type="button" className="btn" aria-label={browseLabel} title={pickerTitle} disabled={picking} onClick={browse}>
        <Icon name="folder" />Browse…
      </button>
    </div>
  );
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [dir, setDir] = useState("");
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    setBusy(true);
    setError(null);
    api.importAdrs(dir.trim()).then(
      (r) => {
        setReport(r);
        setBusy(false);
        onImported();
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };
  const nums = (xs: number[]) => (xs.length ? xs.map(adrRef).join(", ") : "");
  return (
    <Dialog label="Import ADRs" title="Import ADRs from a folder" onClose={onClose}
      footer={<ImportFooter form="import-form" ready={!!dir.trim()} busy={busy} done={!!report} onClose={onClose} />}>
      <form id="import-form" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="import-dir">Folder to import</label>
          <FolderInput id="import-dir" label="Folder to import" pickerTitle="Choose the folder to import ADRs from"
            value={dir} onChange={setDir} onError={setError} />
          <span className="hint">MADR, Nygard / adr-tools and log4brains Markdown files. Re-importing updates changed records.</span>
        </div>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && (
        <div className="report" aria-label="Import report" role="region">
          <div className="stat-row">
            <div className="stat"><strong>{report.created.length}</strong><span>created</span></div>
            <div className="stat"><strong>{report.updated.length}</strong><span>updated</span></div>
            <div className="stat"><strong>{report.unchanged.length}</strong><span>unchanged</span></div>
            <div className="stat stat-warn"><strong>{report.skipped.length}</strong><span>skipped</span></div>
            <div className="stat stat-bad"><strong>{report.failed.length}</strong><span>failed</span></div>
          </div>
          {report.created.length > 0 && <p className="muted">Created: {nums(report.created)}</p>}
          {report.updated.length > 0 && <p className="muted">Updated: {nums(report.updated)}</p>}
          <Notices title="Renumbered" items={report.renumbered} />
          <Notices title="Skipped" items={report.skipped} />
          <Notices title="Failed" items={report.failed} />
        </div>
      )}
    </Dialog>
  );
}

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const [dir, setDir] = useState("");
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ExportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    setBusy(true);
    setError(null);
    api.exportAdrs(dir.trim()).then(
      (r) => {
        setReport(r);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };
  return (
    <Dialog label="Export ADRs" title="Export ADRs as MADR Markdown" onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>{report ? "Done" : "Cancel"}</button>
          <button type="submit" form="export-form" className="btn btn-primary" disabled={!dir.trim() || busy}>
            {busy ? "Exporting…" : "Export"}
          </button>
        </>
      }>
      <form id="export-form" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="export-dir">Export folder</label>
          <FolderInput id="export-dir" label="Export folder" pickerTitle="Choose the folder to export ADRs to"
            value={dir} onChange={setDir} onError={setError} />
        </div>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && (
        <div className="report" role="region" aria-label="Export report">
          <p>Wrote {report.files.length} {report.files.length === 1 ? "file" : "files"} to <code>{report.dir}</code></p>
          <ul className="file-list">
            {report.files.map((f) => <li key={f}><code>{f}</code></li>)}
          </ul>
        </div>
      )}
    </Dialog>
  );
}
