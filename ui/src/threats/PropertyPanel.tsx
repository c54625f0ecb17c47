// The property panel: what the STRIDE rules read about the selected
// element, flow or boundary, plus keyboard equivalents of canvas gestures
// (connect to, move into boundary), and the model's data assets.
import { useState } from "react";
import type { DataAsset, Diagram, Element, ElementKind, ElementProps, Flow, Privilege, ThreatModel, TrustBoundary } from "../api";
import { descendants, isLine, KIND_LABEL, moveInto, newFlow, nextName, removeItems, uuid } from "./model";

type Props = {
  model: ThreatModel;
  diagram: Diagram;
  selected: Set<string>;
  onDiagram: (f: (d: Diagram) => Diagram) => void;
  onModel: (f: (m: ThreatModel) => ThreatModel) => void;
  onSelect: (ids: Set<string>) => void;
  onShowThreats: (targetId: string) => void;
  openCounts: Map<string, number>;
};

const ELEMENT_FLAGS: [keyof ElementProps, string][] = [
  ["handles_untrusted_input", "Handles untrusted input"],
  ["sanitizes_input", "Sanitizes input"],
  ["has_access_control", "Has access control"],
  ["web_application", "Web application"],
  ["api_gateway", "API gateway"],
  ["queue_or_stream", "Queue or stream"],
  ["llm_component", "LLM / AI component"],
  ["stores_credentials", "Stores credentials"],
  ["is_log", "Is a log"],
  ["encrypted_at_rest", "Encrypted at rest"],
  ["signed", "Signed"],
  ["hardened", "Hardened"],
];

const FLOW_FLAGS: [keyof Flow, string][] = [
  ["authenticated", "Authenticated"],
  ["authorized", "Authorized"],
  ["encrypted_in_transit", "Encrypted in transit"],
  ["crosses_public_network", "Crosses a public network"],
  ["bidirectional", "Both ways"],
];

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

function Text({ label, value, onChange, placeholder, multiline }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; multiline?: boolean }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {multiline ? (
        <textarea className="input" rows={3} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input className="input" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      )}
    </label>
  );
}

/** Out of scope: the rules skip it; the reason goes into the report. */
function Scope({ value, onChange }: { value: string | null | undefined; onChange: (v: string | undefined) => void }) {
  const out = value != null;
  return (
    <fieldset className="props">
      <legend>Scope</legend>
      <Check label="Out of scope (no threats raised)" checked={out} onChange={(v) => onChange(v ? "" : undefined)} />
      {out && <Text label="Reason out of scope" value={value} placeholder="Why it needs no threats here" onChange={(v) => onChange(v)} />}
    </fieldset>
  );
}

function boundaryOptions(d: Diagram, exclude: Set<string>) {
  return d.boundaries.filter((b) => !exclude.has(b.id) && !isLine(b));
}

export function PropertyPanel({ model, diagram, selected, onDiagram, onModel, onSelect, onShowThreats, openCounts }: Props) {
  const ids = [...selected];
  if (ids.length > 1) {
    return (
      <div className="panel-body">
        <p className="muted">{ids.length} items selected. Drag them together, copy (Ctrl+C) or delete them.</p>
        <button type="button" className="btn btn-sm" onClick={() => { onDiagram((d) => removeItems(d, selected)); onSelect(new Set()); }}>Delete selected</button>
      </div>
    );
  }
  const id = ids[0];
  const el = id ? diagram.elements.find((e) => e.id === id) : undefined;
  if (el) return <ElementProps_ el={el} {...{ model, diagram, onDiagram, onSelect, onShowThreats, openCounts }} />;
  const flow = id ? diagram.flows.find((f) => f.id === id) : undefined;
  if (flow) return <FlowProps flow={flow} {...{ model, diagram, onDiagram, onModel, onShowThreats, openCounts }} />;
  const b = id ? diagram.boundaries.find((x) => x.id === id) : undefined;
  if (b) return <BoundaryProps b={b} diagram={diagram} onDiagram={onDiagram} />;
  return <ModelProps model={model} onModel={onModel} />;
}

function ElementProps_({ el, model, diagram, onDiagram, onSelect, onShowThreats, openCounts }: {
  el: Element; model: ThreatModel; diagram: Diagram; onDiagram: Props["onDiagram"]; onSelect: Props["onSelect"]; onShowThreats: Props["onShowThreats"]; openCounts: Map<string, number>;
}) {
  const [connectTo, setConnectTo] = useState("");
  const set = (f: (e: Element) => Element) => onDiagram((d) => ({ ...d, elements: d.elements.map((x) => (x.id === el.id ? f(x) : x)) }));
  const setProp = <K extends keyof ElementProps>(k: K, v: ElementProps[K]) => set((e) => ({ ...e, props: { ...e.props, [k]: v } }));
  const others = diagram.elements.filter((e) => e.id !== el.id);
  const open = openCounts.get(el.id) ?? 0;
  const total = model.threats.filter((t) => t.target.id === el.id && !t.obsolete).length;
  const connect = () => {
    if (!connectTo) return;
    const f = newFlow(nextName(diagram.flows.map((x) => x.name), "Data flow"), el.id, connectTo);
    onDiagram((d) => ({ ...d, flows: [...d.flows, f] }));
    setConnectTo("");
    onSelect(new Set([f.id]));
  };
  return (
    <div className="panel-body" aria-label="Element properties">
      <div className="panel-kind">{KIND_LABEL[el.kind]}</div>
      <Text label="Name" value={el.name} onChange={(name) => set((e) => ({ ...e, name }))} />
      <label className="field">
        <span className="field-label">Kind</span>
        <select className="select" value={el.kind} onChange={(e) => set((x) => ({ ...x, kind: e.target.value as ElementKind }))}>
          {(Object.keys(KIND_LABEL) as ElementKind[]).map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Inside trust boundary</span>
        <select className="select" aria-label="Move into boundary" value={el.boundary ?? ""} onChange={(e) => onDiagram((d) => moveInto(d, el.id, e.target.value || null))}>
          <option value="">(none: outside every boundary)</option>
          {diagram.boundaries.filter((b) => !isLine(b)).map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      </label>
      <Text label="Description" value={el.description} multiline onChange={(description) => set((e) => ({ ...e, description }))} />
      <div className="field">
        <span className="field-label">Connect a data flow to</span>
        <div className="input-row">
          <select className="select" aria-label="Connect to" value={connectTo} onChange={(e) => setConnectTo(e.target.value)}>
            <option value="">Choose an element…</option>
            {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
          <button type="button" className="btn btn-sm" disabled={!connectTo} onClick={connect}>Connect</button>
        </div>
      </div>
      <fieldset className="props">
        <legend>What the rules read</legend>
        {ELEMENT_FLAGS.map(([k, label]) => (
          <Check key={k} label={label} checked={Boolean(el.props[k])} onChange={(v) => setProp(k, v as never)} />
        ))}
        <label className="field">
          <span className="field-label">Privilege level</span>
          <select className="select" value={el.props.privilege} onChange={(e) => setProp("privilege", e.target.value as Privilege)}>
            {(["low", "standard", "high", "root"] as Privilege[]).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <Text label="Tags (comma separated)" value={el.props.tags.join(", ")} onChange={(v) => setProp("tags", v.split(",").map((t) => t.trim()).filter(Boolean))} />
      </fieldset>
      <Scope value={el.out_of_scope} onChange={(v) => set((e) => ({ ...e, out_of_scope: v }))} />
      <button type="button" className="link-btn" onClick={() => onShowThreats(el.id)}>
        {total} threats, {open} open: show them
      </button>
    </div>
  );
}

function FlowProps({ flow, model, diagram, onDiagram, onModel, onShowThreats, openCounts }: {
  flow: Flow; model: ThreatModel; diagram: Diagram; onDiagram: Props["onDiagram"]; onModel: Props["onModel"]; onShowThreats: Props["onShowThreats"]; openCounts: Map<string, number>;
}) {
  const [assetName, setAssetName] = useState("");
  const set = (f: (x: Flow) => Flow) => onDiagram((d) => ({ ...d, flows: d.flows.map((x) => (x.id === flow.id ? f(x) : x)) }));
  const name = (id: string) => diagram.elements.find((e) => e.id === id)?.name ?? "?";
  const addAsset = () => {
    const n = assetName.trim();
    if (!n) return;
    const a: DataAsset = { id: uuid(), name: n, classification: "confidential", tags: [], retention: null, confidentiality: "high", integrity: "medium", availability: "medium" };
    onModel((m) => ({ ...m, data_assets: [...m.data_assets, a], diagrams: m.diagrams.map((d) => ({ ...d, flows: d.flows.map((x) => (x.id === flow.id ? { ...x, data: [...x.data, a.id] } : x)) })) }));
    setAssetName("");
  };
  return (
    <div className="panel-body" aria-label="Flow properties">
      <div className="panel-kind">Data flow</div>
      <Text label="Name" value={flow.name} onChange={(v) => set((x) => ({ ...x, name: v }))} />
      <p className="flow-ends">{name(flow.source)} {flow.bidirectional ? "⇄" : "→"} {name(flow.target)}
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => set((x) => ({ ...x, source: x.target, target: x.source }))}>Reverse</button>
      </p>
      <div className="input-row">
        <Text label="Protocol" value={flow.protocol} placeholder="https, grpc, sql…" onChange={(v) => set((x) => ({ ...x, protocol: v.toLowerCase() }))} />
        <label className="field field-narrow">
          <span className="field-label">Port</span>
          <input className="input" inputMode="numeric" value={flow.port ?? ""} onChange={(e) => {
            const n = Number(e.target.value);
            set((x) => ({ ...x, port: e.target.value === "" || !Number.isInteger(n) || n < 0 ? null : n }));
          }} />
        </label>
      </div>
      <fieldset className="props">
        <legend>What the rules read</legend>
        {FLOW_FLAGS.map(([k, label]) => (
          <Check key={k} label={label} checked={Boolean(flow[k])} onChange={(v) => set((x) => ({ ...x, [k]: v }))} />
        ))}
      </fieldset>
      <Scope value={flow.out_of_scope} onChange={(v) => set((x) => ({ ...x, out_of_scope: v }))} />
      <fieldset className="props">
        <legend>Data carried</legend>
        {model.data_assets.length === 0 && <p className="muted small">No data assets yet.</p>}
        {model.data_assets.map((a) => (
          <Check key={a.id} label={`${a.name} (${a.classification}${a.tags.length ? `, ${a.tags.join(", ").toUpperCase()}` : ""})`} checked={flow.data.includes(a.id)}
            onChange={(v) => set((x) => ({ ...x, data: v ? [...x.data, a.id] : x.data.filter((d) => d !== a.id) }))} />
        ))}
        <div className="input-row">
          <input className="input" aria-label="New data asset" placeholder="New data asset" value={assetName} onChange={(e) => setAssetName(e.target.value)}
            onKeyDown={(e) => { if (e.key === "Enter") addAsset(); }} />
          <button type="button" className="btn btn-sm" disabled={!assetName.trim()} onClick={addAsset}>Add</button>
        </div>
      </fieldset>
      <button type="button" className="link-btn" onClick={() => onShowThreats(flow.id)}>
        {openCounts.get(flow.id) ?? 0} open threats on this flow: show them
      </button>
    </div>
  );
}

function BoundaryProps({ b, diagram, onDiagram }: { b: TrustBoundary; diagram: Diagram; onDiagram: Props["onDiagram"] }) {
  const inside = descendants(diagram.boundaries, b.id);
  const held = diagram.elements.filter((e) => e.boundary === b.id);
  return (
    <div className="panel-body" aria-label="Boundary properties">
      <div className="panel-kind">Trust boundary</div>
      <Text label="Name" value={b.name} onChange={(name) => onDiagram((d) => ({ ...d, boundaries: d.boundaries.map((x) => (x.id === b.id ? { ...x, name } : x)) }))} />
      {isLine(b) ? (
        <p className="muted small" role="note">
          Drawn as a line (as Threat Dragon draws it): it holds no elements, and a flow drawn across it crosses it, which
          the threat rules take into account. Drag the line to move it.
        </p>
      ) : (<>
      <label className="field">
        <span className="field-label">Inside trust boundary</span>
        <select className="select" value={b.parent ?? ""} onChange={(e) => onDiagram((d) => moveInto(d, b.id, e.target.value || null))}>
          <option value="">(none: top level)</option>
          {boundaryOptions(diagram, inside).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
      </label>
      <div className="field">
        <span className="field-label">Holds</span>
        {held.length ? <ul className="plain-list">{held.map((e) => <li key={e.id}>{e.name}</li>)}</ul> : <p className="muted small">Nothing yet: drag elements in, or pick this boundary in an element's panel.</p>}
      </div>
      </>)}
    </div>
  );
}

function ModelProps({ model, onModel }: { model: ThreatModel; onModel: Props["onModel"] }) {
  const setAsset = (id: string, f: (a: DataAsset) => DataAsset) => onModel((m) => ({ ...m, data_assets: m.data_assets.map((a) => (a.id === id ? f(a) : a)) }));
  const TAGS = ["pii", "phi", "pci", "credentials"] as const;
  return (
    <div className="panel-body" aria-label="Model properties">
      <div className="panel-kind">Threat model</div>
      <Text label="Description" value={model.description} multiline onChange={(description) => onModel((m) => ({ ...m, description }))} />
      <Text label="Repositories (comma separated)" value={model.repositories.join(", ")} onChange={(v) => onModel((m) => ({ ...m, repositories: v.split(",").map((x) => x.trim()).filter(Boolean) }))} />
      <h3 className="panel-h">Data assets</h3>
      {model.data_assets.length === 0 && <p className="muted small">Add data assets from a flow's panel; edit them here.</p>}
      {model.data_assets.map((a) => (
        <div key={a.id} className="asset">
          <input className="input input-flat" aria-label="Data asset name" value={a.name} onChange={(e) => setAsset(a.id, (x) => ({ ...x, name: e.target.value }))} />
          <div className="input-row">
            <select className="select" aria-label="Classification" value={a.classification} onChange={(e) => setAsset(a.id, (x) => ({ ...x, classification: e.target.value as DataAsset["classification"] }))}>
              {["public", "internal", "confidential", "restricted"].map((c) => <option key={c}>{c}</option>)}
            </select>
            {TAGS.map((t) => (
              <Check key={t} label={t.toUpperCase()} checked={a.tags.includes(t)} onChange={(v) => setAsset(a.id, (x) => ({ ...x, tags: v ? [...x.tags, t] : x.tags.filter((y) => y !== t) }))} />
            ))}
          </div>
          <div className="cia">
            {(["confidentiality", "integrity", "availability"] as const).map((k) => (
              <label key={k} className="field">
                <span className="field-label">{k.charAt(0).toUpperCase() + k.slice(1)}</span>
                <select className="select" aria-label={k} value={a[k]} onChange={(e) => setAsset(a.id, (x) => ({ ...x, [k]: e.target.value }))}>
                  {["low", "medium", "high"].map((r) => <option key={r}>{r}</option>)}
                </select>
              </label>
            ))}
          </div>
          <div className="input-row">
            <label className="field asset-retention">
              <span className="field-label">Retention</span>
              <input className="input" aria-label="Retention" placeholder="e.g. 30 days" value={a.retention ?? ""} onChange={(e) => setAsset(a.id, (x) => ({ ...x, retention: e.target.value || null }))} />
            </label>
            <button type="button" className="btn btn-sm btn-ghost" aria-label={`Remove data asset ${a.name}`}
              onClick={() => onModel((m) => ({ ...m, data_assets: m.data_assets.filter((x) => x.id !== a.id), diagrams: m.diagrams.map((d) => ({ ...d, flows: d.flows.map((f) => ({ ...f, data: f.data.filter((x) => x !== a.id) })) })) }))}>Remove</button>
          </div>
        </div>
      ))}
    </div>
  );
}
