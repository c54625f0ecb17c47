// A large diagram zoomed far out, drawn on one <canvas> instead of a
// thousand DOM nodes and SVG edges: WebKit on Linux paints without a GPU, and
// repainting every node on each frame of a pan made it stutter. The React
// Flow nodes stay laid out but hidden (CSS, `.is-far`); a click picks the
// element under the pointer and zooms to it.
import { useEffect, useRef } from "react";
import { useStore } from "@xyflow/react";
import type { Diagram, ElementKind } from "../api";
import { boundaryRect, rectOf, type Rect } from "./model";

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

export function FarOverview({ diagram, openCounts, selected, dark }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [x, y, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext("2d");
    if (!el || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    if (el.width !== Math.round(width * ratio) || el.height !== Math.round(height * ratio)) {
      el.width = Math.round(width * ratio);
      el.height = Math.round(height * ratio);
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);
    const px = 1 / zoom; // one screen pixel in diagram units
    const visible = (r: Rect) =>
      r.x * zoom + x < width && (r.x + r.width) * zoom + x > 0 && r.y * zoom + y < height && (r.y + r.height) * zoom + y > 0;

    ctx.lineWidth = 1.5 * px;
    ctx.strokeStyle = "#e5484d";
    ctx.setLineDash([6 * px, 4 * px]);
    for (const b of diagram.boundaries) {
      const r = boundaryRect(b);
      if (visible(r)) ctx.strokeRect(r.x, r.y, r.width, r.height);
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

    for (const e of diagram.elements) {
      const r = rectOf(e);
      if (!visible(r)) continue;
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
  }, [diagram, openCounts, selected, dark, x, y, zoom, width, height]);

  return <canvas ref={canvas} className="dfd-overview" style={{ width, height }} aria-hidden="true" data-testid="far-overview" />;
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
