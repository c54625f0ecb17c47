import { Fragment, useEffect, useState } from "react";
import { api, type SearchHit } from "../api";
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

export function SearchPalette({ onClose, onOpen }: { onClose: () => void; onOpen: (id: string) => void }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState("");

  useEffect(() => {
    const q = query.trim();
    let live = true;
    const t = window.setTimeout(() => {
      if (!q) {
        setHits([]);
        setSearched("");
        return;
      }
      api.search(q).then(
        (h) => {
          if (!live) return;
          setHits(h);
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

  const choose = (h: SearchHit | undefined) => {
    if (!h) return;
    onOpen(h.adr_id);
    onClose();
  };

  return (
    <Dialog label="Search" onClose={onClose} width="lg" placement="top" className="palette">
      <div className="palette-input">
        <Icon name="search" />
        <input
          data-autofocus
          aria-label="Search everything"
          placeholder="Search decisions, context, outcomes…"
          value={query}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="palette-results"
          aria-activedescendant={hits[active] ? `hit-${hits[active]?.adr_id}` : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, hits.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              choose(hits[active]);
            }
          }}
        />
        <kbd>Esc</kbd>
      </div>
      {error && <p className="palette-msg error-text" role="alert">{error}</p>}
      {hits.length > 0 ? (
        <ul role="listbox" id="palette-results" aria-label="Search results" className="palette-results">
          {hits.map((h, i) => (
            <li
              key={h.adr_id}
              id={`hit-${h.adr_id}`}
              role="option"
              aria-selected={i === active}
              className="palette-hit"
              onMouseMove={() => setActive(i)}
              onClick={() => choose(h)}
            >
              <div className="palette-hit-head">
                <span className="adr-num">{adrRef(h.number)}</span>
                <span className="palette-hit-title">{h.title}</span>
                <StatusPill status={h.status} />
              </div>
              <div className="palette-snippet"><Snippet text={h.snippet} /></div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="palette-msg">
          {searched ? <>No decisions match “{searched}”.</> : "Type to search every ADR in this workspace."}
        </p>
      )}
      <div className="palette-foot">
        <span><kbd>↑</kbd><kbd>↓</kbd> to move</span>
        <span><kbd>Enter</kbd> to open</span>
      </div>
    </Dialog>
  );
}
