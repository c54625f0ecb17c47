import { defaultRangeExtractor, useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import {
  api, pickFolder, pickSavePath,
  type Cell, type CellUpdate, type ComplianceFormat, type CoverageReport, type EvidenceFinding, type Framework,
  type FrameworkSummary, type ImplementationStatus, type StoredCell, type Workspace, type RecordHit,
} from "../api";
import { Icon } from "../components/Dialog";
import { useToast } from "../components/Toasts";
import { plural } from "../lib/format";
import { AssessmentImportDialog } from "./AssessmentImportDialog";
import { CatalogImportDialog } from "./CatalogImportDialog";
import { EvidencePanel } from "./EvidencePanel";
import { HeatMap } from "./HeatMap";
import { cellKey, isGap, shortNames, STATUSES, statusClass, statusLabel } from "./status";
import "./compliance.css";

const ROW_HEIGHT = 34;

/** A cell of the matrix grid: row 0 is the header row, column 0 the select boxes, column 1 the controls. */
type GridPos = { row: number; col: number };

/**
 * Where a key moves in a grid of `rows` × `cols` (the grid keyboard pattern),
 * or null for a key that does not move; `page` is how many rows a Page key skips.
 */
function gridMove(e: KeyboardEvent, at: GridPos, rows: number, cols: number, page: number): GridPos | null {
  const clamp = (row: number, col: number) => ({ row: Math.max(0, Math.min(rows - 1, row)), col: Math.max(0, Math.min(cols - 1, col)) });
  switch (e.key) {
    case "ArrowUp": return clamp(at.row - 1, at.col);
    case "ArrowDown": return clamp(at.row + 1, at.col);
    case "ArrowLeft": return clamp(at.row, at.col - 1);
    case "ArrowRight": return clamp(at.row, at.col + 1);
    case "PageUp": return clamp(at.row - page, at.col);
    case "PageDown": return clamp(at.row + page, at.col);
    case "Home": return e.ctrlKey ? clamp(0, 0) : clamp(at.row, 0);
    case "End": return e.ctrlKey ? clamp(rows - 1, cols - 1) : clamp(at.row, cols - 1);
    default: return null;
  }
}

type StatusFilter = "all" | "not_assessed" | ImplementationStatus;

const EXPORTS: { format: ComplianceFormat; label: string; ext: string }[] = [
  { format: "xlsx", label: "XLSX", ext: "xlsx" },
  { format: "csv", label: "CSV", ext: "csv" },
  { format: "md", label: "Markdown", ext: "md" },
  { format: "oscal", label: "OSCAL", ext: "json" },
];

export function CompliancePage({ workspace, jump = null }: {
  workspace: Workspace | null;
  /** A control chosen in the search palette: its framework, filtered to it. */
  jump?: RecordHit | null;
}) {
  const toast = useToast();
  const repos = useMemo(() => workspace?.repositories.map((r) => r.name) ?? [], [workspace]);
  const [frameworks, setFrameworks] = useState<FrameworkSummary[]>([]);
  const [frameworkId, setFrameworkId] = useState<string | null>(jump?.parent_id || null);
  const [framework, setFramework] = useState<Framework | null>(null);
  const [cells, setCells] = useState<StoredCell[]>([]);
  const [coverage, setCoverage] = useState<CoverageReport | null>(null);
  const [findings, setFindings] = useState<EvidenceFinding[]>([]);
  const [status, setStatus] = useState<StatusFilter>("all");
  const [repoFilter, setRepoFilter] = useState("all");
  const [gapsOnly, setGapsOnly] = useState(false);
  const [text, setText] = useState(jump ? jump.id.slice(jump.parent_id.length + 1) : "");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState<{ control: string; repository: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const [assessing, setAssessing] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [fws, stored, cov, found] = await Promise.all([
        api.complianceFrameworks(), api.complianceCells(), api.complianceCoverage(null), api.complianceEvidenceFindings(),
      ]);
      setFrameworks(fws);
      setCells(stored);
      setCoverage(cov);
      setFindings(found);
      setFrameworkId((cur) => cur ?? fws.find((f) => f.in_scope)?.id ?? fws[0]?.id ?? null);
    } catch (e) {
      toast.error(e, "Could not load the compliance matrix");
    }
  }, [toast]);

  // Also after an edit of the workspace: its repositories are the columns.
  useEffect(() => { void reload(); }, [reload, workspace]);

  useEffect(() => {
    if (!frameworkId) return;
    let live = true;
    api.complianceFramework(frameworkId).then((f) => { if (live) setFramework(f); }, (e: unknown) => toast.error(e));
    setSelected(new Set());
    setFocus(null);
    return () => { live = false; };
  }, [frameworkId, toast]);

  const byKey = useMemo(() => {
    const m = new Map<string, StoredCell>();
    for (const c of cells) m.set(cellKey(c.cell.control.framework, c.cell.control.control, c.cell.repository), c);
    return m;
  }, [cells]);

  const short = useMemo(() => shortNames(repos), [repos]);
  const columns = repoFilter === "all" ? repos : repos.filter((r) => r === repoFilter);
  const rows = useMemo(() => {
    if (!framework) return [];
    const needle = text.trim().toLowerCase();
    return framework.controls.filter((c) => {
      if (needle && !`${c.id} ${c.title} ${c.group}`.toLowerCase().includes(needle)) return false;
      const here = columns.map((r) => byKey.get(cellKey(framework.id, c.id, r))?.cell ?? null);
      if (gapsOnly && !here.some(isGap)) return false;
      if (status === "all") return true;
      return here.some((cell) => (status === "not_assessed" ? !cell || cell.status === null : cell?.status === status));
    });
  }, [framework, text, columns, byKey, gapsOnly, status]);

  // The grid is one Tab stop (the cell last focused); arrows move it. Its row
  // is always rendered, so Tab and the arrows find it however far it scrolled.
  const [gridAt, setGridAt] = useState<GridPos>({ row: 1, col: 2 });
  const stop = { row: Math.min(gridAt.row, rows.length), col: Math.min(gridAt.col, columns.length + 1) };
  const focusStop = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 12,
    initialRect: { width: 1000, height: 600 },
    // The sticky header row sits above the rows: the offsets count it, and scrolling up keeps a row out from under it.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    rangeExtractor: (range) => {
      const shown = defaultRangeExtractor(range);
      const index = stop.row - 1;
      return index < 0 || shown.includes(index) ? shown : [...shown, index].sort((a, b) => a - b);
    },
  });

  const isStop = (row: number, col: number) => stop.row === row && stop.col === col;
  const cellProps = (row: number, col: number) => ({ "data-at": `${row}:${col}`, tabIndex: isStop(row, col) ? 0 : -1 });
  useLayoutEffect(() => {
    if (!focusStop.current) return;
    focusStop.current = false;
    scrollRef.current?.querySelector<HTMLElement>(`[data-at="${stop.row}:${stop.col}"]`)?.focus({ preventScroll: true });
  }, [stop.row, stop.col]);
  const onGridFocus = (target: EventTarget) => {
    const at = (target as HTMLElement).dataset.at?.split(":").map(Number);
    if (at?.length === 2 && (at[0] !== stop.row || at[1] !== stop.col)) setGridAt({ row: at[0] ?? 0, col: at[1] ?? 0 });
  };
  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!(e.target as HTMLElement).dataset.at || e.altKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 2);
    const next = gridMove(e, stop, rows.length + 1, columns.length + 2, page);
    if (!next) return;
    e.preventDefault();
    if (next.row > 0) virtualizer.scrollToIndex(next.row - 1, { align: "auto" });
    focusStop.current = true;
    setGridAt(next);
  };

  const apply = async (update: Omit<CellUpdate, "add_evidence" | "remove_evidence" | "adrs" | "threats"> & Partial<CellUpdate>) => {
    try {
      await api.updateComplianceCells({ add_evidence: [], remove_evidence: [], adrs: [], threats: [], ...update });
      await reload();
      return true;
    } catch (e) {
      toast.error(e, "Not saved");
      return false;
    }
  };

  const doExport = async (format: ComplianceFormat, ext: string) => {
    try {
      const path = await pickSavePath("Export the compliance matrix", `compliance-${frameworkId ?? "scope"}.${ext}`);
      if (!path) return;
      const written = await api.exportCompliance(frameworkId, format, path);
      toast.success(`Exported ${written}`);
    } catch (e) {
      toast.error(e, "Export failed");
    }
  };

  const doPack = async () => {
    try {
      const dir = await pickFolder("Choose an empty folder for the evidence pack");
      if (!dir) return;
      const report = await api.complianceEvidencePack(frameworkId, dir);
      toast.success(`Evidence pack: ${report.zip} (${report.files} files${report.missing.length ? `, ${report.missing.length} missing` : ""})`);
    } catch (e) {
      toast.error(e, "Evidence pack failed");
    }
  };

  const current = frameworks.find((f) => f.id === frameworkId) ?? null;
  const toggleScope = async (inScope: boolean) => {
    if (!current) return;
    try {
      await api.setComplianceScope(inScope ? [current.id] : [], inScope ? [] : [current.id]);
      await reload();
    } catch (e) {
      toast.error(e, "Scope not changed");
    }
  };

  const toggleRow = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const focusCell = focus && framework ? byKey.get(cellKey(framework.id, focus.control, focus.repository)) ?? null : null;
  const focusControl = focus && framework ? framework.controls.find((c) => c.id === focus.control) ?? null : null;
  const own = coverage?.frameworks.find((f) => f.framework === frameworkId);

  return (
    <div className="page compliance-page">
      <header className="page-header">
        <div>
          <h1>Compliance</h1>
          <p className="page-sub">
            {workspace ? <>{workspace.name} · </> : null}
            {framework ? `${framework.name}: ${framework.controls.length} controls × ${repos.length} repositories` : "Loading…"}
            {own?.percent != null ? <span className="sub-count"> · {own.percent.toFixed(0)}% covered</span> : null}
            {findings.length ? <span className="sub-count cm-warn"> · {findings.length} evidence findings</span> : null}
          </p>
        </div>
        <div className="page-actions" role="group" aria-label="Export and import">
          {EXPORTS.map((x) => (
            <button key={x.format} type="button" className="btn" onClick={() => void doExport(x.format, x.ext)}>
              <Icon name="export" />{x.label}
            </button>
          ))}
          <button type="button" className="btn" onClick={() => void doPack()}><Icon name="export" />Evidence pack…</button>
          <button type="button" className="btn" onClick={() => setImporting(true)}><Icon name="import" />Import catalog…</button>
          <button type="button" className="btn" onClick={() => setAssessing(true)}><Icon name="import" />Import OSCAL states…</button>
        </div>
      </header>
      {assessing && <AssessmentImportDialog frameworks={frameworks} current={frameworkId} onClose={() => setAssessing(false)}
        onImported={(r) => {
          if (r.framework) setFrameworkId(r.framework);
          void reload();
          toast.success(`Imported ${r.title}: ${plural(r.updated.length, "cell")} updated`);
        }} />}
      {importing && <CatalogImportDialog onClose={() => setImporting(false)}
        onImported={(r) => { setFrameworkId(r.framework); void reload(); toast.success(`Imported ${r.name}: ${r.controls} controls`); }} />}

      {coverage && <HeatMap coverage={coverage} frameworks={frameworks} repositories={repos} short={short}
        onPick={(fw, repo) => { setFrameworkId(fw); setRepoFilter(repo); }} />}

      <div className="toolbar" role="search">
        <label className="field-inline">Framework
          <select className="select" aria-label="Framework" value={frameworkId ?? ""} onChange={(e) => setFrameworkId(e.target.value)}>
            {frameworks.map((f) => <option key={f.id} value={f.id}>{f.name}{f.in_scope ? "" : " (out of scope)"}</option>)}
          </select>
        </label>
        {current && (
          <label className="field-inline" title="Frameworks in scope count in coverage, gaps, evidence findings and the heat map">
            <input type="checkbox" checked={current.in_scope} onChange={(e) => void toggleScope(e.target.checked)} />In scope
          </label>
        )}
        <label className="field-inline">Status
          <select className="select" aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            <option value="all">Any</option>
            <option value="not_assessed">Not assessed</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <label className="field-inline">Repository
          <select className="select" aria-label="Repository filter" value={repoFilter} onChange={(e) => setRepoFilter(e.target.value)}>
            <option value="all">All</option>
            {repos.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label className="field-inline"><input type="checkbox" checked={gapsOnly} onChange={(e) => setGapsOnly(e.target.checked)} />Gaps only</label>
        <input className="input" type="search" aria-label="Filter controls" placeholder="Filter controls…" value={text} onChange={(e) => setText(e.target.value)} />
        <span className="toolbar-count" role="status" aria-live="polite">{rows.length} {rows.length === 1 ? "control" : "controls"}</span>
      </div>

      {selected.size > 0 && <BulkBar count={selected.size} columns={columns}
        onApply={(u) => apply({ ...u, controls: [...selected].map((c) => `${frameworkId}:${c}`), repositories: columns })
          .then((ok) => { if (ok) setSelected(new Set()); })}
        onClear={() => setSelected(new Set())} />}

      <div className="cm-body">
        <div className="cm-grid" ref={scrollRef} role="grid" aria-label="Compliance matrix" aria-rowcount={rows.length + 1}
          style={{ ["--cm-cols" as string]: columns.length }} onKeyDown={onGridKey} onFocus={(e) => onGridFocus(e.target)}>
          <div className="cm-row cm-head" role="row" aria-rowindex={1}>
            <span role="columnheader" className="cm-check">
              <input type="checkbox" aria-label="Select all controls" checked={allSelected} {...cellProps(0, 0)}
                onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))} />
            </span>
            <span role="columnheader" className="cm-control" {...cellProps(0, 1)}>Control</span>
            {columns.map((r, i) => <span key={r} role="columnheader" className="cm-cell-head" title={r} {...cellProps(0, i + 2)}>{short.get(r) ?? r}</span>)}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((v) => {
              const c = rows[v.index];
              if (!c || !framework) return null;
              const row = v.index + 1;
              return (
                <div key={v.key} className="cm-row" role="row" aria-rowindex={row + 1}
                  style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start - ROW_HEIGHT}px)` }}>
                  <span role="gridcell" className="cm-check">
                    <input type="checkbox" aria-label={`Select ${c.id}`} checked={selected.has(c.id)} onChange={() => toggleRow(c.id)} {...cellProps(row, 0)} />
                  </span>
                  <span role="rowheader" className="cm-control" title={c.description} {...cellProps(row, 1)}>
                    <b>{c.id}</b> {c.title}
                  </span>
                  {columns.map((r, i) => {
                    const cell = byKey.get(cellKey(framework.id, c.id, r))?.cell ?? null;
                    const active = focus?.control === c.id && focus.repository === r;
                    const evidence = cell?.evidence.length ?? 0;
                    return (
                      <span key={r} role="gridcell" className="cm-cell-wrap">
                        <button type="button" className={`cm-cell ${statusClass(cell)}${active ? " cm-active" : ""}`}
                          aria-pressed={active} onClick={() => setFocus({ control: c.id, repository: r })} {...cellProps(row, i + 2)}>
                          {/* Named by its text (no aria-label), so the name holds what is shown: "CC6.1 in plasma-core: Implemented, 2 evidence". */}
                          <span className="sr-only">{c.id} in {r}: </span>{cellStatusText(cell)}
                          {evidence > 0 ? <span className="cm-ev-count"><span className="sr-only">, </span>{evidence}<span className="sr-only"> evidence</span></span> : null}
                        </button>
                      </span>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
        {focus && focusControl && framework && (
          <EvidencePanel framework={framework.id} control={focusControl} repository={focus.repository}
            stored={focusCell} findings={findings} onApply={apply} onClose={() => setFocus(null)} />
        )}
      </div>
    </div>
  );
}

function cellStatusText(cell: Cell | null): string {
  if (!cell) return "Not assessed";
  if (!cell.applicable) return "N/A";
  return cell.status ? statusLabel(cell.status) : "Not assessed";
}

function BulkBar({ count, columns, onApply, onClear }: {
  count: number;
  columns: string[];
  onApply: (u: Omit<CellUpdate, "controls" | "repositories" | "add_evidence" | "remove_evidence" | "adrs" | "threats">) => Promise<void>;
  onClear: () => void;
}) {
  const [status, setStatus] = useState<"" | ImplementationStatus>("");
  const [reason, setReason] = useState("");
  const [owner, setOwner] = useState("");
  const [reviewed, setReviewed] = useState("");
  const submit = () => void onApply({
    status: status && status !== "not_applicable" ? status : null,
    not_applicable: status === "not_applicable" ? reason : null,
    owner: owner.trim() ? owner.trim() : null,
    narrative: null,
    last_reviewed: reviewed || null,
  });
  return (
    <div className="cm-bulk" role="region" aria-label="Bulk edit">
      <strong>{count} controls × {columns.length} repositories</strong>
      <select className="select" aria-label="Bulk status" value={status} onChange={(e) => setStatus(e.target.value as ImplementationStatus | "")}>
        <option value="">Status: keep</option>
        {STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
      </select>
      {status === "not_applicable" && <input className="input" aria-label="Reason not applicable" placeholder="Why it does not apply" value={reason} onChange={(e) => setReason(e.target.value)} />}
      <input className="input" aria-label="Bulk owner" placeholder="Owner: keep" value={owner} onChange={(e) => setOwner(e.target.value)} />
      <label className="field-inline">Reviewed <input className="input" type="date" aria-label="Bulk reviewed date" value={reviewed} onChange={(e) => setReviewed(e.target.value)} /></label>
      <button type="button" className="btn btn-primary" onClick={submit}>Apply</button>
      <button type="button" className="btn btn-ghost" onClick={onClear}>Clear selection</button>
    </div>
  );
}
