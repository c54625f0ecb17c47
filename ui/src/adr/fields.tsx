import { useId, useState } from "react";
import type { ConsideredOption } from "../api";
import { Icon } from "../components/Dialog";
import { MarkdownPreview, useRenderedMarkdown } from "../components/MarkdownPreview";
import { TabList, tabPanelProps } from "../components/Roving";

/** A Markdown textarea with a live preview beside it (or tabbed on narrow windows). */
export function MarkdownField({ label, value, onChange, placeholder, hint }: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  hint?: string;
}) {
  const id = useId();
  const [tab, setTab] = useState<"write" | "preview">("write");
  const { html, error } = useRenderedMarkdown(value);
  const rows = Math.min(24, Math.max(4, value.split("\n").length + 1));
  return (
    <section className="md-field" aria-label={label}>
      <div className="md-field-head">
        <label className="section-label" htmlFor={id}>{label}</label>
        <TabList label={`${label} view`} idBase={id} className="tabs" value={tab} onChange={setTab}
          choices={[{ value: "write", label: "Write" }, { value: "preview", label: "Preview" }]} />
      </div>
      {hint && <p className="hint">{hint}</p>}
      <div className={`md-split md-tab-${tab}`}>
        <div className="md-input-panel" {...tabPanelProps(id, "write")}>
          <textarea
            id={id}
            aria-label={label}
            className="input md-input"
            value={value}
            rows={rows}
            spellCheck
            placeholder={placeholder ?? "Markdown supported"}
            onChange={(e) => onChange(e.target.value)}
          />
        </div>
        <div className="md-preview" {...tabPanelProps(id, "preview")}>
          {error ? <p className="error-text">{error}</p> : <MarkdownPreview html={html} label={`${label} preview`} />}
        </div>
      </div>
    </section>
  );
}

/** An editable list of one-line strings. */
export function ListEditor({ label, display, items, onChange, placeholder, addLabel, tone }: {
  label: string;
  /** Visible heading when shorter than the accessible label. */
  display?: string;
  items: string[];
  onChange: (items: string[]) => void;
  placeholder?: string;
  addLabel?: string;
  tone?: "good" | "bad" | "neutral";
}) {
  const add = addLabel ?? `Add ${label.toLowerCase()}`;
  return (
    <div className={`list-editor ${tone ? `tone-${tone}` : ""}`} role="group" aria-label={label}>
      {display !== "" && <div className="list-editor-label" aria-hidden={display ? true : undefined}>{display ?? label}</div>}
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            <span className="bullet" aria-hidden="true" />
            <input
              className="input input-flat"
              aria-label={`${label} ${i + 1}`}
              value={item}
              placeholder={placeholder}
              onChange={(e) => onChange(items.map((x, j) => (j === i ? e.target.value : x)))}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  const next = [...items.slice(0, i + 1), "", ...items.slice(i + 1)];
                  onChange(next);
                  const ul = e.currentTarget.closest("ul");
                  window.setTimeout(() => ul?.querySelectorAll("input")[i + 1]?.focus(), 0);
                }
              }}
            />
            <button type="button" className="icon-btn subtle" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
              onClick={() => onChange(items.filter((_, j) => j !== i))}>
              <Icon name="x" size={14} />
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-ghost btn-sm" aria-label={display !== undefined ? `${add} (${label})` : undefined}
        onClick={(e) => {
          onChange([...items, ""]);
          const ul = e.currentTarget.parentElement?.querySelector("ul");
          window.setTimeout(() => ul?.querySelector<HTMLInputElement>("li:last-child input")?.focus(), 0);
        }}>
        <Icon name="plus" size={14} />{add}
      </button>
    </div>
  );
}

export function OptionsEditor({ options, onChange }: { options: ConsideredOption[]; onChange: (o: ConsideredOption[]) => void }) {
  const set = (i: number, patch: Partial<ConsideredOption>) =>
    onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <section className="options" aria-label="Considered options">
      <div className="section-label">Considered options</div>
      {options.length === 0 && <p className="muted">No options recorded yet.</p>}
      <ol className="option-list">
        {options.map((o, i) => (
          <li key={i} className="option-card">
            <div className="option-head">
              <span className="option-num">{i + 1}</span>
              <input className="input input-flat option-title" aria-label={`Option ${i + 1} title`} value={o.title}
                placeholder="Option title" onChange={(e) => set(i, { title: e.target.value })} />
              <button type="button" className="icon-btn subtle" aria-label={`Remove option ${i + 1}`}
                onClick={() => onChange(options.filter((_, j) => j !== i))}>
                <Icon name="trash" size={14} />
              </button>
            </div>
            <textarea className="input option-desc" aria-label={`Option ${i + 1} description`} rows={2} value={o.description}
              placeholder="Description (Markdown)" onChange={(e) => set(i, { description: e.target.value })} />
            <div className="option-args">
              <ListEditor label={`Pros of option ${i + 1}`} display="Pros" addLabel="Pro" tone="good" items={o.pros} onChange={(pros) => set(i, { pros })} placeholder="Good, because…" />
              <ListEditor label={`Cons of option ${i + 1}`} display="Cons" addLabel="Con" tone="bad" items={o.cons} onChange={(cons) => set(i, { cons })} placeholder="Bad, because…" />
              <ListEditor label={`Neutral for option ${i + 1}`} display="Neutral" addLabel="Neutral" tone="neutral" items={o.neutral} onChange={(neutral) => set(i, { neutral })} placeholder="Neutral, because…" />
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-sm" onClick={() => onChange([...options, { title: "", description: "", pros: [], cons: [], neutral: [] }])}>
        <Icon name="plus" size={14} />Add option
      </button>
    </section>
  );
}
