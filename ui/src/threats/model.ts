// Pure helpers over the threat-model document: geometry, containment,
// edits that keep the model valid, a layered auto-layout, copy and paste.
// No React here, so every rule is easy to read and to test.
import type { Diagram, Element, ElementKind, Flow, Rect as WireRect, Threat, ThreatModel, TrustBoundary } from "../api";

/** A box in diagram units (the wire type allows null for non-finite numbers). */
export type Rect = { x: number; y: number; width: number; height: number };

export function box(r: WireRect): Rect {
  return { x: r.x ?? 0, y: r.y ?? 0, width: r.width ?? 0, height: r.height ?? 0 };
}

export const ELEMENT_SIZE: Record<ElementKind, { width: number; height: number }> = {
  external_entity: { width: 150, height: 64 },
  process: { width: 150, height: 72 },
  data_store: { width: 160, height: 60 },
};

export const KIND_LABEL: Record<ElementKind, string> = {
  external_entity: "External entity",
  process: "Process",
  data_store: "Data store",
};

export const BOUNDARY_MIN = { width: 240, height: 160 };

export function uuid(): string {
  return crypto.randomUUID();
}

export function rectOf(e: Element): Rect {
  return e.position ? box(e.position) : { x: 0, y: 0, ...ELEMENT_SIZE[e.kind] };
}

/** A boundary drawn as a line (Threat Dragon's boundary curve): it holds
 *  nothing; a flow drawn across it crosses it. */
export function isLine(b: TrustBoundary): boolean {
  return (b.line?.length ?? 0) >= 2;
}

/** The points of a line boundary (non-finite coordinates as 0). */
export function linePoints(b: TrustBoundary): { x: number; y: number }[] {
  return (b.line ?? []).map((p) => ({ x: p.x ?? 0, y: p.y ?? 0 }));
}

export function boundaryRect(b: TrustBoundary): Rect {
  if (isLine(b)) {
    // The box around the line, at least a few units wide for a straight one.
    const pts = linePoints(b);
    const x0 = Math.min(...pts.map((p) => p.x));
    const y0 = Math.min(...pts.map((p) => p.y));
    const x1 = Math.max(...pts.map((p) => p.x));
    const y1 = Math.max(...pts.map((p) => p.y));
    return { x: x0, y: y0, width: Math.max(x1 - x0, 4), height: Math.max(y1 - y0, 4) };
  }
  return b.position ? box(b.position) : { x: 0, y: 0, width: 320, height: 220 };
}

export function contains(outer: Rect, x: number, y: number): boolean {
  return x >= outer.x && y >= outer.y && x <= outer.x + outer.width && y <= outer.y + outer.height;
}

/** Boundaries with a parent come after it (React Flow wants parents first). */
export function boundariesParentFirst(boundaries: TrustBoundary[]): TrustBoundary[] {
  const byId = new Map(boundaries.map((b) => [b.id, b]));
  const depth = (b: TrustBoundary): number => {
    let d = 0;
    const seen = new Set<string>();
    let p = b.parent ? byId.get(b.parent) : undefined;
    while (p && !seen.has(p.id)) {
      seen.add(p.id);
      d += 1;
      p = p.parent ? byId.get(p.parent) : undefined;
    }
    return d;
  };
  return [...boundaries].sort((a, b) => depth(a) - depth(b));
}

/** Ids of `id` and every boundary nested in it. */
export function descendants(boundaries: TrustBoundary[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const b of boundaries) {
      if (b.parent && out.has(b.parent) && !out.has(b.id)) {
        out.add(b.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The smallest boundary whose box holds the point, skipping `except`. */
export function innermostAt(boundaries: TrustBoundary[], x: number, y: number, except: Set<string> = new Set()): TrustBoundary | null {
  let best: TrustBoundary | null = null;
  let bestArea = Infinity;
  for (const b of boundaries) {
    if (except.has(b.id) || !b.position) continue;
    const r = box(b.position);
    if (contains(r, x, y) && r.width * r.height < bestArea) {
      best = b;
      bestArea = r.width * r.height;
    }
  }
  return best;
}

/** Open threats per element or flow id (not obsolete, status open). */
export function openThreatCounts(threats: Threat[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of threats) {
    if (t.obsolete || t.status.kind !== "open") continue;
    out.set(t.target.id, (out.get(t.target.id) ?? 0) + 1);
  }
  return out;
}

export function updateDiagram(model: ThreatModel, index: number, f: (d: Diagram) => Diagram): ThreatModel {
  const diagrams = model.diagrams.map((d, i) => (i === index ? f(d) : d));
  return { ...model, diagrams };
}

export function nextName(existing: string[], base: string): string {
  const taken = new Set(existing);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`)) return `${base} ${i}`;
}

export function newElement(kind: ElementKind, name: string, x: number, y: number): Element {
  const size = ELEMENT_SIZE[kind];
  return {
    id: uuid(),
    kind,
    name,
    description: "",
    boundary: null,
    position: { x: Math.round(x - size.width / 2), y: Math.round(y - size.height / 2), ...size },
    props: {
      stores_credentials: false, is_log: false, encrypted_at_rest: false, signed: false, privilege: "standard",
      web_application: false, api_gateway: false, queue_or_stream: false, llm_component: false,
      handles_untrusted_input: kind === "external_entity", sanitizes_input: false, has_access_control: false,
      hardened: false, tags: [],
    },
  };
}

export function newFlow(name: string, source: string, target: string): Flow {
  return {
    id: uuid(), name, source, target, bidirectional: false, protocol: "", port: null, authenticated: false,
    authorized: false, encrypted_in_transit: false, crosses_public_network: false, data: [], position: null, points: [],
  };
}

export function newBoundary(name: string, x: number, y: number): TrustBoundary {
  return { id: uuid(), name, parent: null, position: { x: Math.round(x - 180), y: Math.round(y - 120), width: 360, height: 240 } };
}

/**
 * Removes elements, flows and boundaries by id. Flows touching a removed
 * element go too; what a removed boundary held moves to its parent.
 */
export function removeItems(d: Diagram, ids: Set<string>): Diagram {
  const removedBoundaries = new Map(d.boundaries.filter((b) => ids.has(b.id)).map((b) => [b.id, b]));
  const lift = (parent: string | null): string | null => {
    let p = parent;
    const seen = new Set<string>();
    while (p && removedBoundaries.has(p) && !seen.has(p)) {
      seen.add(p);
      p = removedBoundaries.get(p)?.parent ?? null;
    }
    return p;
  };
  const elements = d.elements.filter((e) => !ids.has(e.id)).map((e) => (e.boundary && removedBoundaries.has(e.boundary) ? { ...e, boundary: lift(e.boundary) } : e));
  const kept = new Set(elements.map((e) => e.id));
  const flows = d.flows.filter((f) => !ids.has(f.id) && kept.has(f.source) && kept.has(f.target));
  const boundaries = d.boundaries.filter((b) => !ids.has(b.id)).map((b) => (b.parent && removedBoundaries.has(b.parent) ? { ...b, parent: lift(b.parent) } : b));
  return { ...d, elements, flows, boundaries };
}

/**
 * Puts an element (or boundary) into `boundary` (null = top level) and moves
 * it so the drawing agrees with the containment: inside the boundary's box,
 * or just outside it when it leaves.
 */
export function moveInto(d: Diagram, id: string, boundary: string | null): Diagram {
  const target = boundary ? d.boundaries.find((b) => b.id === boundary) : undefined;
  const place = (r: Rect, oldParent: string | null): Rect => {
    if (target?.position) {
      const t = box(target.position);
      if (contains(t, r.x + r.width / 2, r.y + r.height / 2)) return r;
      // The first free cell of a grid inside the boundary (it grows to fit).
      const others = d.elements.filter((e) => e.id !== id).map(rectOf);
      for (let i = 0; i < 200; i++) {
        const c = { ...r, x: t.x + 24 + (i % 3) * (r.width + 32), y: t.y + 40 + Math.floor(i / 3) * (r.height + 32) };
        if (!others.some((o) => overlaps(c, o))) return c;
      }
      return { ...r, x: t.x + 24, y: t.y + 40 };
    }
    const oldB = oldParent ? d.boundaries.find((b) => b.id === oldParent) : undefined;
    const old = oldB?.position ? box(oldB.position) : undefined;
    if (old && contains(old, r.x + r.width / 2, r.y + r.height / 2)) {
      // Out to the left of the boundary it leaves, clear of other elements.
      const others = d.elements.filter((e) => e.id !== id).map(rectOf);
      for (let i = 0; i < 200; i++) {
        const c = { ...r, x: old.x - r.width - 60, y: old.y + i * (r.height + 32) };
        if (!others.some((o) => overlaps(c, o))) return c;
      }
    }
    return r;
  };
  const el = d.elements.find((e) => e.id === id);
  if (el) {
    const r = rectOf(el);
    const moved = place(r, el.boundary);
    const elements = d.elements.map((e) => (e.id === id ? { ...e, boundary, position: moved } : e));
    return fitBoundaries({ ...d, elements });
  }
  const b = d.boundaries.find((x) => x.id === id);
  if (!b) return d;
  if (boundary && descendants(d.boundaries, id).has(boundary)) return d; // no cycles
  const r = boundaryRect(b);
  const moved = place(r, b.parent);
  const dx = moved.x - r.x;
  const dy = moved.y - r.y;
  return fitBoundaries(shiftBoundary({ ...d, boundaries: d.boundaries.map((x) => (x.id === id ? { ...x, parent: boundary } : x)) }, id, dx, dy));
}

/** Moves a boundary and everything inside it. */
export function shiftBoundary(d: Diagram, id: string, dx: number, dy: number): Diagram {
  if (!dx && !dy) return d;
  const inside = descendants(d.boundaries, id);
  const move = (r: WireRect | null) => (r ? { ...box(r), x: (r.x ?? 0) + dx, y: (r.y ?? 0) + dy } : r);
  const shift = (b: TrustBoundary): TrustBoundary =>
    isLine(b) ? { ...b, line: linePoints(b).map((p) => ({ x: p.x + dx, y: p.y + dy })) } : { ...b, position: move(b.position) };
  return {
    ...d,
    boundaries: d.boundaries.map((b) => (inside.has(b.id) ? shift(b) : b)),
    elements: d.elements.map((e) => (e.boundary && inside.has(e.boundary) ? { ...e, position: move(e.position) } : e)),
  };
}

/** Grows boundaries (deepest first) so each holds its elements and boundaries. */
export function fitBoundaries(d: Diagram, pad = 24): Diagram {
  // Lines hold nothing and are never resized into boxes.
  const order = boundariesParentFirst(d.boundaries).reverse().filter((b) => !isLine(b));
  const rects = new Map(d.boundaries.map((b) => [b.id, boundaryRect(b)]));
  const grown = new Set<string>();
  for (const b of order) {
    const r = rects.get(b.id);
    if (!r) continue;
    const kids: Rect[] = [
      ...d.elements.filter((e) => e.boundary === b.id).map(rectOf),
      ...d.boundaries.filter((c) => c.parent === b.id).map((c) => rects.get(c.id) ?? boundaryRect(c)),
    ];
    if (!kids.length) continue;
    const x0 = Math.min(r.x, ...kids.map((k) => k.x - pad));
    const y0 = Math.min(r.y, ...kids.map((k) => k.y - pad - 16));
    const x1 = Math.max(r.x + r.width, ...kids.map((k) => k.x + k.width + pad));
    const y1 = Math.max(r.y + r.height, ...kids.map((k) => k.y + k.height + pad));
    if (x0 !== r.x || y0 !== r.y || x1 !== r.x + r.width || y1 !== r.y + r.height) {
      rects.set(b.id, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      grown.add(b.id);
    }
  }
  if (!grown.size) return d;
  return { ...d, boundaries: d.boundaries.map((b) => (grown.has(b.id) ? { ...b, position: rects.get(b.id) ?? b.position } : b)) };
}

/**
 * A layered layout (longest path from the sources, left to right), for
 * diagrams whose elements have no positions. Elements of one boundary sit
 * together in each layer; boundaries are then sized to fit.
 */
export function autoLayout(d: Diagram): Diagram {
  const ids = d.elements.map((e) => e.id);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const f of d.flows) {
    if (!out.has(f.source) || !indeg.has(f.target) || f.source === f.target) continue;
    out.get(f.source)?.push(f.target);
    indeg.set(f.target, (indeg.get(f.target) ?? 0) + 1);
  }
  // Kahn's order; what remains (cycles) goes to layer 0 and is reached later.
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const left = new Map(indeg);
  const seen = new Set<string>();
  while (queue.length) {
    const id = queue.shift() as string;
    seen.add(id);
    for (const t of out.get(id) ?? []) {
      layer.set(t, Math.max(layer.get(t) ?? 0, (layer.get(id) ?? 0) + 1));
      left.set(t, (left.get(t) ?? 1) - 1);
      if (left.get(t) === 0) queue.push(t);
    }
  }
  const boundaryOrder = new Map(boundariesParentFirst(d.boundaries).map((b, i) => [b.id, i + 1]));
  const layers: Element[][] = [];
  for (const e of d.elements) {
    const l = seen.has(e.id) ? layer.get(e.id) ?? 0 : 0;
    (layers[l] ??= []).push(e);
  }
  const positions = new Map<string, Rect>();
  const colW = 280;
  const rowH = 120;
  // A layer of hundreds wraps into several columns, so the whole diagram
  // is about as wide as a screen instead of a thin strip.
  const maxRows = Math.max(6, Math.ceil(Math.sqrt((d.elements.length * colW) / rowH / 1.6)));
  let column = 0;
  for (const col of layers) {
    if (!col) continue;
    col.sort((a, b) => (boundaryOrder.get(a.boundary ?? "") ?? 0) - (boundaryOrder.get(b.boundary ?? "") ?? 0));
    col.forEach((e, j) => {
      const x = 60 + (column + Math.floor(j / maxRows)) * colW;
      positions.set(e.id, { x, y: 60 + (j % maxRows) * rowH, ...ELEMENT_SIZE[e.kind] });
    });
    column += Math.ceil(col.length / maxRows);
  }
  const elements = d.elements.map((e) => ({ ...e, position: positions.get(e.id) ?? rectOf(e) }));
  // Boundaries start as the box of what they hold, then grow to fit children.
  const boundaries = d.boundaries.map((b) => {
    if (isLine(b)) return b; // a line keeps its points and gets no box
    const inside = descendants(d.boundaries, b.id);
    const rs = elements.filter((e) => e.boundary && inside.has(e.boundary)).map(rectOf);
    if (!rs.length) return { ...b, position: b.position ?? { x: 60, y: 60, ...BOUNDARY_MIN } };
    const x0 = Math.min(...rs.map((r) => r.x)) - 24;
    const y0 = Math.min(...rs.map((r) => r.y)) - 40;
    const x1 = Math.max(...rs.map((r) => r.x + r.width)) + 24;
    const y1 = Math.max(...rs.map((r) => r.y + r.height)) + 24;
    return { ...b, position: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
  });
  return fitBoundaries({ ...d, elements, boundaries });
}

/** The part of the diagram a view shows: React Flow's transform `[x, y, zoom]` over a pane of `width` × `height`. */
export function viewRect([x, y, zoom]: readonly [number, number, number], width: number, height: number): Rect {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

/** The box around every element and boundary of a diagram; null when it has none. */
export function diagramBounds(d: Diagram): Rect | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const grow = (r: Rect) => {
    x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width); y1 = Math.max(y1, r.y + r.height);
  };
  for (const b of d.boundaries) grow(boundaryRect(b));
  for (const e of d.elements) grow(rectOf(e));
  return x0 <= x1 && y0 <= y1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** Whether two boxes come closer than `gap` (0: whether they overlap at all). */
export function overlaps(a: Rect, b: Rect, gap = 16): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/** `r` moved along a widening ring around where it is until it overlaps no element. */
export function freeSpot(d: Diagram, r: Rect): Rect {
  const taken = d.elements.map(rectOf);
  const walls = d.boundaries.map(boundaryRect);
  // Either wholly inside a boundary or clear of it: never across its edge.
  const clean = (c: Rect) => walls.every((w) => !overlaps(c, w, 0) || (c.x >= w.x && c.y >= w.y + 20 && c.x + c.width <= w.x + w.width && c.y + c.height <= w.y + w.height));
  const stepX = r.width + 32;
  const stepY = r.height + 32;
  for (let ring = 0; ring < 30; ring++) {
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const c = { ...r, x: r.x + dx * stepX, y: r.y + dy * stepY };
        if (!taken.some((t) => overlaps(c, t)) && clean(c)) return c;
      }
    }
  }
  return r;
}

/** Adds an element where the user asked, in a free spot, inside the boundary drawn there. */
export function placeElement(d: Diagram, e: Element): Diagram {
  const r = freeSpot(d, rectOf(e));
  const inner = innermostAt(d.boundaries, r.x + r.width / 2, r.y + r.height / 2);
  return fitBoundaries({ ...d, elements: [...d.elements, { ...e, position: r, boundary: inner?.id ?? null }] });
}

/** Adds a boundary where it covers no element (so nothing lands in it by accident). */
export function placeBoundary(d: Diagram, b: TrustBoundary): Diagram {
  const r = boundaryRect(b);
  const taken = [...d.elements.map(rectOf), ...d.boundaries.map(boundaryRect)];
  let spot = r;
  for (let i = 0; i < 40 && taken.some((t) => overlaps(spot, t)); i++) {
    spot = { ...r, x: r.x + ((i % 4) + 1) * (r.width / 2) * (i % 2 ? -1 : 1), y: r.y + Math.floor(i / 4) * (r.height / 2 + 24) };
  }
  if (taken.some((t) => overlaps(spot, t))) {
    const right = Math.max(...taken.map((t) => t.x + t.width));
    spot = { ...r, x: right + 60 };
  }
  return { ...d, boundaries: [...d.boundaries, { ...b, position: spot }] };
}

export function needsLayout(d: Diagram): boolean {
  return d.elements.length > 0 && d.elements.every((e) => !e.position);
}

export type Clip = { elements: Element[]; flows: Flow[]; boundaries: TrustBoundary[] };

/** What Ctrl+C takes: the selected items and the flows between them. */
export function copySelection(d: Diagram, selected: Set<string>): Clip | null {
  const boundaries = d.boundaries.filter((b) => selected.has(b.id));
  const inBoundary = new Set(boundaries.flatMap((b) => [...descendants(d.boundaries, b.id)]));
  const allBoundaries = d.boundaries.filter((b) => inBoundary.has(b.id));
  const elements = d.elements.filter((e) => selected.has(e.id) || (e.boundary && inBoundary.has(e.boundary)));
  const ids = new Set(elements.map((e) => e.id));
  const flows = d.flows.filter((f) => ids.has(f.source) && ids.has(f.target));
  if (!elements.length && !allBoundaries.length) return null;
  return structuredClone({ elements, flows, boundaries: allBoundaries });
}

/** Pastes a clip with fresh ids, shifted; returns the new diagram and the new ids. */
export function paste(d: Diagram, clip: Clip, offset = 40): { diagram: Diagram; ids: string[] } {
  const map = new Map<string, string>();
  const fresh = (id: string) => {
    const n = uuid();
    map.set(id, n);
    return n;
  };
  const shift = (r: WireRect | null) => (r ? { ...box(r), x: (r.x ?? 0) + offset, y: (r.y ?? 0) + offset } : r);
  const names = [...d.elements.map((e) => e.name)];
  const boundaries = clip.boundaries.map((b) => ({ ...b, id: fresh(b.id), position: shift(b.position) }));
  for (const b of boundaries) {
    const old = clip.boundaries.find((x) => map.get(x.id) === b.id);
    b.parent = old?.parent ? map.get(old.parent) ?? old.parent : null;
    if (b.parent && !map.has(old?.parent ?? "") && !d.boundaries.some((x) => x.id === b.parent)) b.parent = null;
  }
  const elements = clip.elements.map((e) => {
    const name = nextName(names, e.name);
    names.push(name);
    const boundary = e.boundary ? map.get(e.boundary) ?? (d.boundaries.some((b) => b.id === e.boundary) ? e.boundary : null) : null;
    return { ...e, id: fresh(e.id), name, boundary, position: shift(e.position) };
  });
  const flows = clip.flows.map((f) => ({ ...f, id: fresh(f.id), source: map.get(f.source) ?? f.source, target: map.get(f.target) ?? f.target, points: [] }));
  return {
    diagram: fitBoundaries({ ...d, elements: [...d.elements, ...elements], flows: [...d.flows, ...flows], boundaries: [...d.boundaries, ...boundaries] }),
    ids: [...elements.map((e) => e.id), ...boundaries.map((b) => b.id)],
  };
}
