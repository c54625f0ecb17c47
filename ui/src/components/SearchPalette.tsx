import { Fragment, useEffect, useState, type ReactNode } from "react";
import { api, type RecordHit, type RecordKind, type SearchHit, type SearchResults } from "../api";
import { adrRef } from "../lib/format";
import { Dialog, Icon } from "./Dialog";
import { StatusPill } from "./StatusPill";

/** Turns «match» markers into <mark> elements, as text (never HTML). */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(/(«[^»]*»)/g);
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith("«") && p.endsWith("»") ? <mark key={i}>{p.slice(1, -1)}</mark> : <Fragment key={i}>{p}</Fragment>,
      )}
    </>
  );
}

/** Headings of the palette's groups, in the order they are shown. */
const GROUPS: [RecordKind, string][] = [
  ["threat_model", "Threat models"],
  ["threat", "Threats"],
  ["control", "Controls"],
  ["initiative", "Initiatives"],
  ["slo", "SLOs"],
];

type Item = { key: string; adr: SearchHit; record?: undefined } | { key: string; record: RecordHit; adr?: undefined };

export function SearchPalette({ onClose, onOpen, onOpenRecord }: {
  onClose: () => void;
  onOpen: (id: string) => void;
  onOpenRecord: (hit: RecordHit) => void;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<SearchResults | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState("");

  useEffect(() => {
    const q = query.trim();
    let live = true;
    const t = window.setTimeout(() => {
      if (!q) {
        setFound(null);
        setSearched("");
        return;
      }
      api.searchEverything(q).then(
        (r) => {
          if (!live) return;
          setFound(r);
          setActive(0);
          setError(null);
          setSearched(q);
        },
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    }, 80);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [query]);

  // One list for the arrow keys: decisions first, then each kind in turn.
  const items: Item[] = [
    ...(found?.adrs ?? []).map((adr): Item => ({ key: `adr-${adr.adr_id}`, adr })),
    ...GROUPS.flatMap(([kind]) =>
      (found?.records ?? []).filter((r) => r.kind === kind).map((record): Item => ({ key: `${kind}-${record.id}`, record }))),
  ];

  const choose = (item: Item | undefined) => {
    if (!item) return;
    if (item.adr) onOpen(item.adr.adr_id);
    else onOpenRecord(item.record);
    onClose();
  };

  const row = (item: Item, i: number) => (
    <li
      key={item.key}
      id={`hit-${item.key}`}
      role="option"
      aria-selected={i === active}
      className="palette-hit"
      onMouseMove={() => setActive(i)}
      onClick={() => choose(item)}
    >
      {item.adr ? (
        <>
          <div className="palette-hit-head">
            <span className="adr-num">{adrRef(item.adr.number)}</span>
            <span className="palette-hit-title">{item.adr.title}</span>
            <StatusPill status={item.adr.status} />
          </div>
          <div className="palette-snippet"><Snippet text={item.adr.snippet} /></div>
        </>
      ) : (
        <>
          <div className="palette-hit-head">
            <span className="palette-hit-title">{item.record.title}</span>
            <span className="palette-hit-context">{item.record.context}</span>
          </div>
          {item.record.snippet && item.record.snippet.replace(/[«»]/g, "") !== item.record.title
            ? <div className="palette-snippet"><Snippet text={item.record.snippet} /></div> : null}
        </>
      )}
    </li>
  );

  // Group headings between the rows, indices still counting rows only.
  const rows: ReactNode[] = [];
  let last: string | null = null;
  items.forEach((item, i) => {
    const group = item.adr ? "Decisions" : GROUPS.find(([k]) => k === item.record.kind)?.[1] ?? "";
    if (group !== last) {
      rows.push(<li key={`group-${group}`} role="presentation" className="palette-group">{group}</li>);
      last = group;
    }
    rows.push(row(item, i));
  });

  return (
    <Dialog label="Search" onClose={onClose} width="lg" placement="top" className="palette">
      <div className="palette-input">
        <Icon name="search" />
        <input
          data-autofocus
          aria-label="Search everything"
          placeholder="Search decisions, threats, controls, initiatives, SLOs…"
          value={query}
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls="palette-results"
          aria-activedescendant={items[active] ? `hit-${items[active]?.key}` : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, items.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              choose(items[active]);
            }
          }}
        />
        <kbd>Esc</kbd>
      </div>
      {error && <p className="palette-msg error-text" role="alert">{error}</p>}
      {items.length > 0 ? (
        <ul role="listbox" id="palette-results" aria-label="Search results" className="palette-results">
          {rows}
        </ul>
      ) : (
        <p className="palette-msg">
          {searched ? <>Nothing in this workspace matches “{searched}”.</> : "Type to search every decision, threat model, threat, control, initiative and SLO in this workspace."}
        </p>
      )}
      <div className="palette-foot">
        <span><kbd>↑</kbd><kbd>↓</kbd> to move</span>
        <span><kbd>Enter</kbd> to open</span>
      </div>
    </Dialog>
  );
}
