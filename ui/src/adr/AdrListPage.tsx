import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { api, type AdrFilter, type AdrSummary, type Workspace } from "../api";
import { Icon } from "../components/Dialog";
import { TabList, tabPanelProps } from "../components/Roving";
import { StatusPill } from "../components/StatusPill";
import { useToast } from "../components/Toasts";
import { adrRef, formatDate, relativeTime, STATUS_ORDER, statusLabel } from "../lib/format";
import { DecisionGraph } from "./DecisionGraph";

type Props = {
  workspace: Workspace | null;
  all: AdrSummary[];
  version: number;
  dark: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
  onImport: () => void;
  onExport: () => void;
};

const EMPTY: AdrFilter = { status: null, tag: null, repository: null, query: null };

export function AdrListPage({ workspace, all, version, dark, onOpen, onNew, onImport, onExport }: Props) {
  const toast = useToast();
  const [filter, setFilter] = useState<AdrFilter>(EMPTY);
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<AdrSummary[] | null>(null);
  const [view, setView] = useState<"list" | "graph">("list");
  const viewIds = useId();

  // Debounce the text query into the filter.
  useEffect(() => {
    const t = window.setTimeout(() => setFilter((f) => ({ ...f, query: query.trim() || null })), 150);
    return () => window.clearTimeout(t);
  }, [query]);

  useEffect(() => {
    let live = true;
    api.listAdrs(filter).then(
      (r) => live && setRows(r),
      (e: unknown) => live && (toast.error(e, "Could not load ADRs"), setRows((x) => x ?? [])),
    );
    return () => {
      live = false;
    };
  }, [filter, version, toast]);

  const tags = useMemo(() => [...new Set(all.flatMap((a) => a.tags))].sort(), [all]);
  const repos = useMemo(() => {
    const names = new Set([...(workspace?.repositories.map((r) => r.name) ?? []), ...all.flatMap((a) => a.repositories)]);
    return [...names].sort();
  }, [all, workspace]);
  const statuses = useMemo(() => {
    const present = new Set(all.map((a) => statusLabel(a.status)));
    return [...STATUS_ORDER, ...[...present].filter((s) => !(STATUS_ORDER as readonly string[]).includes(s))];
  }, [all]);
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const a of all) c.set(statusLabel(a.status), (c.get(statusLabel(a.status)) ?? 0) + 1);
    return c;
  }, [all]);

  const filtered = filter.status || filter.tag || filter.repository || filter.query;
  // A new filter starts the table again at the top.
  const filterKey = JSON.stringify(filter);
  const clear = () => {
    setQuery("");
    setFilter(EMPTY);
  };

  return (
    <div className={`page ${view === "list" ? "list-page" : ""}`}>
      <header className="page-header">
        <div>
          <h1>Decisions</h1>
          <p className="page-sub">
            {workspace ? <>{workspace.name} · </> : null}
            {all.length} {all.length === 1 ? "record" : "records"}
            {["accepted", "proposed", "draft"].map((s) => counts.get(s) ? <span key={s} className="sub-count"> · {counts.get(s)} {s}</span> : null)}
          </p>
        </div>
        <div className="page-actions">
          <TabList label="View" idBase={viewIds} className="segmented" value={view} onChange={setView} choices={[
            { value: "list", label: <><Icon name="list" />List</> },
            { value: "graph", label: <><Icon name="graph" />Decision graph</> },
          ]} />
          <button type="button" className="btn" onClick={onImport}><Icon name="import" />Import…</button>
          <button type="button" className="btn" onClick={onExport}><Icon name="export" />Export…</button>
          <button type="button" className="btn btn-primary" onClick={onNew}><Icon name="plus" />New ADR</button>
        </div>
      </header>

      <div className="view-panel" {...tabPanelProps(viewIds, view)}>
      {view === "graph" ? (
        <DecisionGraph dark={dark} version={version} />
      ) : (
        <>
          {(all.length > 0 || filtered) && <div className="toolbar" role="search">
            <div className="search-box">
              <Icon name="search" />
              <input aria-label="Search ADRs" placeholder="Search ADRs" value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
            <select className="select" aria-label="Filter by status" value={filter.status ?? ""}
              onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value || null }))}>
              <option value="">All statuses</option>
              {statuses.map((s) => <option key={s} value={s}>{s}{counts.get(s) ? ` (${counts.get(s)})` : ""}</option>)}
            </select>
            <select className="select" aria-label="Filter by tag" value={filter.tag ?? ""}
              onChange={(e) => setFilter((f) => ({ ...f, tag: e.target.value || null }))}>
              <option value="">All tags</option>
              {tags.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
            <select className="select" aria-label="Filter by repository" value={filter.repository ?? ""}
              onChange={(e) => setFilter((f) => ({ ...f, repository: e.target.value || null }))}>
              <option value="">All repositories</option>
              {repos.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
            {filtered && <button type="button" className="btn btn-ghost" onClick={clear}>Clear filters</button>}
            <span className="toolbar-count" role="status" aria-live="polite">
              {rows === null ? "Loading…" : filtered ? `${rows.length} of ${all.length} shown` : `${rows.length} shown`}
            </span>
          </div>}

          {rows !== null && rows.length === 0 && !filtered && (
            <div className="empty">
              <div className="empty-icon"><Icon name="doc" size={28} /></div>
              <h2>No decisions yet</h2>
              <p>Record the first architecture decision for this workspace, or import existing Markdown ADRs.</p>
              <div className="empty-actions">
                <button type="button" className="btn btn-primary" onClick={onNew}><Icon name="plus" />New ADR</button>
                <button type="button" className="btn" onClick={onImport}><Icon name="import" />Import</button>
              </div>
            </div>
          )}
          {rows !== null && rows.length === 0 && filtered && (
            <div className="empty">
              <h2>No matching decisions</h2>
              <p>Nothing matches these filters.</p>
              <div className="empty-actions">
                <button type="button" className="btn" onClick={clear}>Clear filters</button>
              </div>
            </div>
          )}
          {rows !== null && rows.length > 0 && (
            <AdrTable key={filterKey} rows={rows} onOpen={onOpen} />
          )}
        </>
      )}
      </div>
    </div>
  );
}

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 10;
/** Typical row height; real heights (one or two lines) are measured. */
const ROW_ESTIMATE = 56;
/** Chips shown per cell before the rest collapse into "+N". */
const MAX_CHIPS = 3;

/**
 * Up to MAX_CHIPS chips; beyond that the first MAX_CHIPS - 1 and a "+N" chip
 * whose tooltip (and screen-reader text) lists the rest. Keeps rows short.
 */
function Chips({ items, kind, className }: { items: string[]; kind: string; className?: string }) {
  const shown = items.length > MAX_CHIPS ? items.slice(0, MAX_CHIPS - 1) : items;
  const rest = items.slice(shown.length);
  return (
    <div className="chips">
      {shown.map((t) => <span key={t} className={`chip ${className ?? ""}`}>{t}</span>)}
      {rest.length > 0 && (
        <span className="chip chip-more" title={rest.join(", ")}>
          {`+${rest.length}`}
          <span className="sr-only"> more {kind}: {rest.join(", ")}</span>
        </span>
      )}
    </div>
  );
}

/**
 * The ADR table, virtualized: only the rows in (and near) view are in the
 * DOM, between two spacer rows that keep the scroll height. It scrolls inside
 * `.table-wrap` so the header stays in place.
 */
function AdrTable({ rows, onOpen }: { rows: AdrSummary[]; onOpen: (id: string) => void }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(37);
  useLayoutEffect(() => {
    if (headRef.current) setHeadHeight(headRef.current.offsetHeight);
  }, []);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => wrapRef.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: OVERSCAN,
    // The header row sits above the first item inside the scroller.
    scrollMargin: headHeight,
    // Render a first screenful before the scroller has been measured.
    initialRect: { width: 0, height: typeof window === "undefined" ? 800 : window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - headHeight : 0;
  const padBottom = last ? virtualizer.getTotalSize() - (last.end - headHeight) : 0;

  return (
    <div className="table-wrap" ref={wrapRef}>
      <table className="adr-table" aria-label="Architecture decision records" aria-rowcount={rows.length + 1}>
        <colgroup>
          <col className="col-num" />
          <col className="col-title" />
          <col className="col-status" />
          <col className="col-date" />
          <col className="col-tags" />
          <col className="col-repos" />
          <col className="col-updated" />
        </colgroup>
        <thead ref={headRef}>
          <tr aria-rowindex={1}>
            <th scope="col" className="col-num">ID</th>
            <th scope="col">Title</th>
            <th scope="col" className="col-status">Status</th>
            <th scope="col" className="col-date">Date</th>
            <th scope="col">Tags</th>
            <th scope="col">Repositories</th>
            <th scope="col" className="col-updated">Updated</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr className="spacer-row" aria-hidden="true"><td colSpan={7} style={{ height: padTop }} /></tr>}
          {items.map((v) => {
            const a = rows[v.index];
            if (!a) return null;
            return (
              <tr key={v.key} ref={virtualizer.measureElement} data-index={v.index} aria-rowindex={v.index + 2}
                className={`adr-row status-${a.status.kind}`} onClick={() => onOpen(a.id)}>
                <td className="col-num"><span className="adr-num">{adrRef(a.number)}</span></td>
                <td className="col-title">
                  <button type="button" className="row-link" onClick={(e) => { e.stopPropagation(); onOpen(a.id); }}>
                    {a.title}
                  </button>
                  {a.superseded_by.length > 0 && (
                    <span className="row-note">→ superseded by {a.superseded_by.map(adrRef).join(", ")}</span>
                  )}
                  {a.supersedes.length > 0 && (
                    <span className="row-note">supersedes {a.supersedes.map(adrRef).join(", ")}</span>
                  )}
                </td>
                <td className="col-status"><StatusPill status={a.status} /></td>
                <td className="col-date">{formatDate(a.date)}</td>
                <td><Chips items={a.tags} kind="tags" /></td>
                <td><Chips items={a.repositories} kind="repositories" className="chip-repo" /></td>
                <td className="col-updated muted">{relativeTime(a.updated_at)}</td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr className="spacer-row" aria-hidden="true"><td colSpan={7} style={{ height: padBottom }} /></tr>}
        </tbody>
      </table>
    </div>
  );
}
