// A large diagram drawn on one <canvas> instead of a thousand DOM nodes and
// SVG edges: WebKit on Linux paints without a GPU, and React Flow runs a
// store selector per mounted node, edge and minimap node on every frame of a
// pan. Far out, the nodes are hidden and the edges left out of React Flow
// (DiagramCanvas), this canvas draws the diagram, and a click picks the
// element under the pointer and zooms to it. The minimap of a large diagram
// is a canvas too, at every zoom.
import { useCallback, useEffect, useRef, type PointerEvent as ReactPointerEvent, type WheelEvent as ReactWheelEvent } from "react";
import { useReactFlow, useStore } from "@xyflow/react";
import type { Diagram, ElementKind } from "../api";
import { boundaryRect, diagramBounds, isLine, linePoints, overlaps, rectOf, viewRect, type Rect } from "./model";
import type { TrustBoundary } from "../api";

/** Strokes a boundary: its box, or the line a line boundary is. */
function strokeBoundary(ctx: CanvasRenderingContext2D, b: TrustBoundary, r: Rect) {
  if (!isLine(b)) {
    ctx.strokeRect(r.x, r.y, r.width, r.height);
    return;
  }
  const pts = linePoints(b);
  ctx.beginPath();
  pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  ctx.stroke();
}

const FILL: Record<ElementKind, string> = {
  external_entity: "#e5e7eb",
  process: "#dbeafe",
  data_store: "#fef3c7",
};
const STROKE: Record<ElementKind, string> = {
  external_entity: "#374151",
  process: "#1d4ed8",
  data_store: "#b45309",
};

type Props = { diagram: Diagram; openCounts: Map<string, number>; selected: Set<string>; dark: boolean };

/** Sizes the canvas backing store to `width` × `height` CSS pixels; returns the pixel ratio. */
function fitBacking(el: HTMLCanvasElement, width: number, height: number): number {
  const ratio = window.devicePixelRatio || 1;
  if (el.width !== Math.round(width * ratio) || el.height !== Math.round(height * ratio)) {
    el.width = Math.round(width * ratio);
    el.height = Math.round(height * ratio);
  }
  return ratio;
}

/** A canvas over the flow pane, drawn in diagram coordinates: its ref, the
 * view, and `begin`, which sizes and clears it and sets the view's
 * transform (null before it is mounted). */
function useViewCanvas() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [x, y, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const begin = useCallback(() => {
    const el = canvas.current;
    const ctx = el?.getContext("2d");
    if (!el || !ctx) return null;
    const ratio = fitBacking(el, width, height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);
    return { el, ctx };
  }, [x, y, zoom, width, height]);
  return { canvas, x, y, zoom, width, height, begin };
}

export function FarOverview({ diagram, openCounts, selected, dark }: Props) {
  const { canvas, x, y, zoom, width, height, begin } = useViewCanvas();

  useEffect(() => {
    const started = begin();
    if (!started) return;
    const { el, ctx } = started;
    const px = 1 / zoom; // one screen pixel in diagram units
    const view = viewRect([x, y, zoom], width, height);
    const visible = (r: Rect) => overlaps(r, view, 0);

    ctx.lineWidth = 1.5 * px;
    ctx.strokeStyle = "#e5484d";
    ctx.setLineDash([6 * px, 4 * px]);
    for (const b of diagram.boundaries) {
      const r = boundaryRect(b);
      if (visible(r)) strokeBoundary(ctx, b, r);
    }
    ctx.setLineDash([]);

    const centres = new Map<string, { x: number; y: number }>();
    for (const e of diagram.elements) {
      const r = rectOf(e);
      centres.set(e.id, { x: r.x + r.width / 2, y: r.y + r.height / 2 });
    }
    ctx.strokeStyle = dark ? "#9ca3af" : "#6b7280";
    ctx.lineWidth = px;
    ctx.beginPath();
    for (const f of diagram.flows) {
      const a = centres.get(f.source);
      const b = centres.get(f.target);
      if (!a || !b) continue;
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
    ctx.stroke();

    let drawn = 0;
    for (const e of diagram.elements) {
      const r = rectOf(e);
      if (!visible(r)) continue;
      drawn++;
      ctx.globalAlpha = e.out_of_scope != null ? 0.45 : 1;
      ctx.fillStyle = FILL[e.kind];
      ctx.fillRect(r.x, r.y, r.width, r.height);
      // Open threats: a red outline (a badge would cover the element at
      // this scale).
      const open = (openCounts.get(e.id) ?? 0) > 0;
      ctx.lineWidth = (selected.has(e.id) ? 3 : open ? 1.5 : 1) * px;
      ctx.strokeStyle = selected.has(e.id) ? "#6e56cf" : open ? "#dc2626" : STROKE[e.kind];
      ctx.strokeRect(r.x, r.y, r.width, r.height);
    }
    ctx.globalAlpha = 1;
    // How many elements are in view: what the tests and a screen reader's
    // summary can check without reading pixels.
    el.dataset.drawn = String(drawn);
  }, [begin, diagram, openCounts, selected, dark, x, y, zoom, width, height]);

  return <canvas ref={canvas} className="dfd-overview" style={{ width, height }} aria-hidden="true" data-testid="far-overview" />;
}

/** What a large diagram draws under its nodes closer in, on one canvas:
 * the trust boundaries' dashed boxes, and the flows that only pass through
 * the view (neither end near it) as thin lines. Without a GPU, WebKit paints
 * a dashed, rounded CSS border as many small paths on every pan frame
 * (about a third of a 100 % pan frame in the 1,000-element benchmark), and
 * hundreds of long SVG edges crossing the view cost hundreds of
 * milliseconds; strokes on a canvas cost little. The boundary nodes stay
 * React Flow nodes (label, selection, drag, resize), with no border of
 * their own. A flow becomes a React Flow edge again (label, arrow,
 * selectable) as soon as one of its ends comes near the view. */
export function UnderCanvas({ diagram, flows, selected, dark }: { diagram: Diagram; flows: Set<string>; selected: Set<string>; dark: boolean }) {
  const { canvas, x, y, zoom, width, height, begin } = useViewCanvas();

  useEffect(() => {
    const started = begin();
    if (!started) return;
    const { el, ctx } = started;
    const view = viewRect([x, y, zoom], width, height);
    // A 2 px dashed red box, as `.dfd-boundary` draws it in a small
    // diagram, solid when selected. Only the stretch of each side inside
    // the view is stroked, its dashes anchored at the box's corner (so they
    // do not crawl as the view pans): a large boundary's whole outline at
    // 100 % would be thousands of dashes, nearly all out of sight. No wash
    // inside: several nested boundaries would blend it over the whole view.
    const red = dark ? "255, 107, 107" : "196, 37, 47";
    const dash = [6 / zoom, 5 / zoom];
    const pad = 4 / zoom;
    const vx0 = view.x - pad, vy0 = view.y - pad, vx1 = view.x + view.width + pad, vy1 = view.y + view.height + pad;
    let boxes = 0;
    ctx.lineWidth = 2 / zoom;
    const side = (fixed: number, from: number, to: number, horizontal: boolean, lo: number, hi: number, flo: number, fhi: number) => {
      if (fixed < flo || fixed > fhi) return;
      const a = Math.max(from, lo), b = Math.min(to, hi);
      if (a >= b) return;
      ctx.lineDashOffset = a - from;
      ctx.beginPath();
      if (horizontal) { ctx.moveTo(a, fixed); ctx.lineTo(b, fixed); } else { ctx.moveTo(fixed, a); ctx.lineTo(fixed, b); }
      ctx.stroke();
    };
    for (const b of diagram.boundaries) {
      const r = boundaryRect(b);
      if (!overlaps(r, view, 0)) continue;
      boxes++;
      const on = selected.has(b.id);
      ctx.setLineDash(on ? [] : dash);
      ctx.strokeStyle = `rgba(${red}, ${on ? 1 : 0.75})`;
      if (isLine(b)) {
        strokeBoundary(ctx, b, r);
        continue;
      }
      const x0 = r.x + 1 / zoom, y0 = r.y + 1 / zoom, x1 = r.x + r.width - 1 / zoom, y1 = r.y + r.height - 1 / zoom;
      side(y0, x0, x1, true, vx0, vx1, vy0, vy1);
      side(y1, x0, x1, true, vx0, vx1, vy0, vy1);
      side(x0, y0, y1, false, vy0, vy1, vx0, vx1);
      side(x1, y0, y1, false, vy0, vy1, vx0, vx1);
    }
    ctx.setLineDash([]);
    ctx.lineDashOffset = 0;
    el.dataset.boundaries = String(boxes);

    const byId = new Map(diagram.elements.map((e) => [e.id, e]));
    const centre = (id: string) => {
      const e = byId.get(id);
      if (!e) return null;
      const r = rectOf(e);
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    };
    ctx.strokeStyle = dark ? "#6b7280" : "#9ca3af";
    ctx.lineWidth = 1.25 / zoom;
    ctx.beginPath();
    let drawn = 0;
    for (const f of diagram.flows) {
      if (!flows.has(f.id)) continue;
      const a = centre(f.source);
      const b = centre(f.target);
      if (!a || !b) continue;
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      drawn++;
    }
    ctx.stroke();
    el.dataset.drawn = String(drawn);
  }, [begin, diagram, flows, selected, dark, x, y, zoom, width, height]);

  return <canvas ref={canvas} className="dfd-passing" style={{ width, height }} aria-hidden="true" data-testid="passing-flows" />;
}

/** The element whose box holds diagram point `p`, topmost (last drawn) first. */
export function elementAt(diagram: Diagram, p: { x: number; y: number }): string | null {
  for (let i = diagram.elements.length - 1; i >= 0; i--) {
    const e = diagram.elements[i];
    if (!e) continue;
    const r = rectOf(e);
    if (p.x >= r.x && p.y >= r.y && p.x <= r.x + r.width && p.y <= r.y + r.height) return e.id;
  }
  return null;
}

const MINI_W = 200;
const MINI_H = 150;

/** The box around every element and boundary and the view, as React Flow's minimap frames it. */
function frameOf(diagram: Diagram, view: Rect): Rect {
  const b = diagramBounds(diagram);
  if (!b) return view;
  const x0 = Math.min(b.x, view.x), y0 = Math.min(b.y, view.y);
  const x1 = Math.max(b.x + b.width, view.x + view.width), y1 = Math.max(b.y + b.height, view.y + view.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The minimap of a large diagram: one canvas instead of an SVG rect per node
 * (React Flow's minimap subscribes each of them to every pan frame). Click or
 * drag to move the view there; the wheel zooms. */
export function CanvasMiniMap({ diagram, openCounts, dark }: Omit<Props, "selected">) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useReactFlow();
  const transform = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const zoom = transform[2];
  const view = viewRect(transform, width, height);
  const frame = frameOf(diagram, view);
  const scale = Math.min(MINI_W / frame.width, MINI_H / frame.height) || 1;
  // Centred in the minimap, as React Flow's is.
  const offX = (MINI_W - frame.width * scale) / 2 - frame.x * scale;
  const offY = (MINI_H - frame.height * scale) / 2 - frame.y * scale;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext("2d");
    if (!el || !ctx) return;
    const ratio = fitBacking(el, MINI_W, MINI_H);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, MINI_W, MINI_H);
    ctx.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * offX, ratio * offY);
    const px = 1 / scale;
    ctx.lineWidth = px;
    // Neutral outlines: colour in the minimap means an element.
    ctx.strokeStyle = dark ? "#6b7280" : "#9ca3af";
    for (const b of diagram.boundaries) strokeBoundary(ctx, b, boundaryRect(b));
    for (const e of diagram.elements) {
      const r = rectOf(e);
      ctx.fillStyle = (openCounts.get(e.id) ?? 0) > 0 ? "#e5484d" : "#8583ff";
      // At least a pixel, so a small element in a wide diagram still shows.
      ctx.fillRect(r.x, r.y, Math.max(r.width, px), Math.max(r.height, px));
    }
    // The view: everything outside it dimmed, as React Flow's mask does.
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const vx = view.x * scale + offX, vy = view.y * scale + offY, vw = view.width * scale, vh = view.height * scale;
    ctx.fillStyle = dark ? "rgba(20, 20, 24, 0.55)" : "rgba(240, 240, 240, 0.6)";
    ctx.beginPath();
    ctx.rect(0, 0, MINI_W, MINI_H);
    ctx.rect(vx, vy, vw, vh);
    ctx.fill("evenodd");
    ctx.strokeStyle = dark ? "#9ca3af" : "#6b7280";
    ctx.lineWidth = 1;
    ctx.strokeRect(vx, vy, vw, vh);
    el.dataset.drawn = String(diagram.elements.length);
  });

  const moveTo = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const px = (event.clientX - box.left - offX) / scale;
    const py = (event.clientY - box.top - offY) / scale;
    void flow.setCenter(px, py, { zoom });
  };
  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    moveTo(event);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.buttons & 1) moveTo(event);
  };
  const onWheel = (event: ReactWheelEvent<HTMLCanvasElement>) => {
    void flow.zoomTo(zoom * Math.pow(2, -event.deltaY / 500));
  };

  return (
    <canvas
      ref={canvas}
      className="react-flow__panel react-flow__minimap bottom right dfd-minimap"
      style={{ width: MINI_W, height: MINI_H }}
      role="img"
      aria-label="Mini map"
      data-testid="canvas-minimap"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onWheel={onWheel}
    />
  );
}
