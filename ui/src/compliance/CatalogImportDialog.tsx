// Import a control catalog: an OSCAL catalog or profile (JSON, YAML or XML;
// a profile is resolved against the catalog beside it) or a CSV file.
import { useState } from "react";
import { api, pickCatalogFile, type CatalogImportReport } from "../api";
import { FolderInput } from "../adr/dialogs";
import { Dialog, ImportFooter } from "../components/Dialog";
import { useReportAction } from "../lib/useReportAction";

const ACTION_LABEL: Record<CatalogImportReport["action"], string> = {
  created: "Added",
  updated: "Updated",
  unchanged: "Already up to date:",
};

export function CatalogImportDialog({ onClose, onImported }: {
  onClose: () => void;
  /** After a successful import: the framework to show. */
  onImported: (report: CatalogImportReport) => void;
}) {
  const [file, setFile] = useState("");
  const [id, setId] = useState("");
  const { busy, error, setError, report, setReport, submit } = useReportAction(() => api.importComplianceCatalog(file.trim(), id.trim() || null), onImported);

  return (
    <Dialog label="Import a control catalog" title="Import a control catalog" onClose={onClose}
      footer={<ImportFooter form="catalog-import-form" ready={!!file.trim()} busy={busy} done={!!report} onClose={onClose} />}>
      <form id="catalog-import-form" className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="catalog-file">Catalog file</label>
          <FolderInput id="catalog-file" label="Catalog file" pickerTitle="Import a control catalog"
            placeholder="/path/to/NIST_SP-800-53_rev5_catalog.json" browseLabel="Browse for a file"
            pick={pickCatalogFile} value={file} onChange={(v) => { setFile(v); setReport(null); }} onError={setError} />
          <p className="hint">
            An OSCAL catalog or profile in JSON, YAML or XML (a profile is resolved against the catalog it imports,
            found beside it), or CSV with <code>id</code> and <code>title</code> columns (<code>group</code> and{" "}
            <code>description</code> optional). Importing the same catalog again updates it in place.
          </p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="catalog-id">Framework id <span className="muted">(optional)</span></label>
          <input id="catalog-id" className="input mono" value={id} spellCheck={false} placeholder="from the catalog's title"
            onChange={(e) => setId(e.target.value)} />
          <p className="hint">A short id for the command line and exports, such as <code>nist-800-53-moderate</code>.</p>
        </div>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && (
        <div className="report" role="region" aria-label="Import result">
          <p>
            {ACTION_LABEL[report.action]} <strong>{report.name}</strong> (<code>{report.framework}</code>):{" "}
            {report.controls} {report.controls === 1 ? "control" : "controls"}, read as {FORMAT_LABEL[report.format] ?? report.format}.
          </p>
          <p className="hint">Put it in scope to count it in coverage, gaps and the heat map.</p>
        </div>
      )}
    </Dialog>
  );
}

const FORMAT_LABEL: Record<string, string> = {
  "oscal-catalog": "an OSCAL catalog",
  "oscal-profile": "an OSCAL profile, resolved against its catalog",
  csv: "CSV",
};
