// Import implementation states, narratives and owners from an OSCAL
// component definition or system security plan into the matrix: each
// component is a repository (by name), each implemented requirement a cell.
import { useState } from "react";
import { api, pickAssessmentFile, type AssessedCell, type AssessmentImportReport } from "../api";
import { FolderInput } from "../adr/dialogs";
import { Dialog, ImportFooter } from "../components/Dialog";
import { useReportAction } from "../lib/useReportAction";
import { plural } from "../lib/format";

const MODEL_LABEL: Record<string, string> = {
  "component-definition": "an OSCAL component definition",
  "system-security-plan": "an OSCAL system security plan",
};

const cellName = (c: AssessedCell) => `${c.control.control} in ${c.repository}`;

export function AssessmentImportDialog({ frameworks, current, onClose, onImported }: {
  frameworks: { id: string; name: string }[];
  /** The framework shown on the page: the default to match against. */
  current: string | null;
  onClose: () => void;
  /** After an import that changed cells: the framework they belong to. */
  onImported: (report: AssessmentImportReport) => void;
}) {
  const [file, setFile] = useState("");
  // "" = let the import pick the framework whose controls match most rows.
  const [framework, setFramework] = useState(current ?? "");
  const { busy, error, setError, report, setReport, submit } = useReportAction(() => api.importComplianceAssessment(file.trim(), framework || null), onImported);

  return (
    <Dialog label="Import an OSCAL assessment" title="Import implementation states from OSCAL" onClose={onClose}
      footer={<ImportFooter form="assessment-import-form" ready={!!file.trim()} busy={busy} done={!!report} onClose={onClose} />}>
      <form id="assessment-import-form" className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="assessment-file">Component definition or SSP</label>
          <FolderInput id="assessment-file" label="Component definition or SSP" pickerTitle="Import an OSCAL assessment"
            placeholder="/path/to/component-definition.json" browseLabel="Browse for a file"
            pick={pickAssessmentFile} value={file} onChange={(v) => { setFile(v); setReport(null); }} onError={setError} />
          <p className="hint">
            OSCAL JSON, YAML or XML, such as the component definition the OSCAL export writes. Each component is matched to
            the repository of its name (or the uuid the export gave it), each implemented requirement to a control; its
            implementation status, description and responsible party become the cell&apos;s status, narrative and owner, its
            links and remarks the cell&apos;s evidence. In an SSP, components that are no repository (policies, processes)
            count for the system&apos;s repository, under their names. Nothing else changes.
          </p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="assessment-framework">Framework</label>
          <select id="assessment-framework" className="select" value={framework} onChange={(e) => setFramework(e.target.value)}>
            <option value="">The one whose controls match most requirements</option>
            {frameworks.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </div>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {report && (
        <div className="report" role="region" aria-label="Import result">
          <p>
            Read {MODEL_LABEL[report.model] ?? report.model} <strong>{report.title}</strong>: {plural(report.rows, "requirement")}
            {report.framework ? <> against <code>{report.framework}</code></> : null}.{" "}
            <strong>{plural(report.updated.length, "cell")} updated</strong>, {report.unchanged.length} unchanged.
          </p>
          {report.updated.length > 0 && (
            <ul className="notice-list" aria-label="Updated cells">
              {report.updated.map((c) => <li key={`${c.control.framework}:${c.control.control}@${c.repository}`}>
                <code>{cellName(c)}</code><span>{c.changed.join(", ")}</span></li>)}
            </ul>
          )}
          {report.unmatched_components.length > 0 && (
            <p className="hint" role="note">No repository named {report.unmatched_components.map((c) => `“${c}”`).join(", ")}: their requirements were left out.</p>
          )}
          {report.unmatched_controls.length > 0 && (
            <p className="hint" role="note">Not controls of this framework: {report.unmatched_controls.join(", ")}.</p>
          )}
          {report.duplicates.length > 0 && (
            <p className="hint" role="note">Named twice (the first counted): {report.duplicates.join(", ")}.</p>
          )}
        </div>
      )}
    </Dialog>
  );
}
