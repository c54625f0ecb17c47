// Canvas nodes: memoized so dragging one element re-renders only that one,
// which keeps diagrams of 1,000 elements smooth.
import { memo } from "react";
import { Handle, NodeResizer, Position, type Node, type NodeProps } from "@xyflow/react";
import type { Element, TrustBoundary } from "../api";
import { BOUNDARY_MIN, KIND_LABEL, boundaryRect, isLine, linePoints } from "./model";

export type ElementNodeData = { element: Element; open: number };
export type BoundaryNodeData = { boundary: TrustBoundary; count: number };
export type ElementNode = Node<ElementNodeData, "element">;
export type BoundaryNode = Node<BoundaryNodeData, "boundary">;

const SIDES = [Position.Top, Position.Right, Position.Bottom, Position.Left];

function ElementView({ data, selected }: NodeProps<ElementNode>) {
  const e = data.element;
  const outOfScope = e.out_of_scope != null;
  const label = `${KIND_LABEL[e.kind]} ${e.name}${outOfScope ? ", out of scope" : ""}${data.open ? `, ${data.open} open threats` : ""}`;
  return (
    <div className={`dfd-node dfd-${e.kind}${selected ? " is-selected" : ""}${outOfScope ? " is-out-of-scope" : ""}`} aria-label={label} data-testid={`node-${e.name}`}>
      {SIDES.map((p) => (
        <Handle key={p} id={p} type="source" position={p} className="dfd-handle" />
      ))}
      <span className="dfd-kind" aria-hidden="true">{KIND_ICON[e.kind]}</span>
      <span className="dfd-name">{e.name}</span>
      {data.open > 0 && (
        <span className="threat-badge" title={`${data.open} open threat${data.open === 1 ? "" : "s"}`} aria-hidden="true">
          {data.open}
        </span>
      )}
    </div>
  );
}

const KIND_ICON: Record<Element["kind"], string> = { external_entity: "▭", process: "◯", data_store: "≡" };

/** A boundary drawn as a line: the dashed line through its points (in the
 *  node's own box), its name at its middle; it holds nothing, so it has no
 *  resize handles. */
function BoundaryLineView({ boundary, selected }: { boundary: TrustBoundary; selected: boolean }) {
  const r = boundaryRect(boundary);
  const pts = linePoints(boundary).map((p) => ({ x: p.x - r.x, y: p.y - r.y }));
  const mid = pts[Math.floor((pts.length - 1) / 2)] ?? { x: 0, y: 0 };
  return (
    <div className={`dfd-boundary-line${selected ? " is-selected" : ""}`} aria-label={`Trust boundary ${boundary.name} (a line)`}
      style={{ width: r.width, height: r.height }}>
      <svg width={r.width} height={r.height} overflow="visible" aria-hidden="true">
        <polyline points={pts.map((p) => `${p.x},${p.y}`).join(" ")} />
      </svg>
      <span className="dfd-boundary-label" style={{ left: mid.x + 6, top: mid.y - 22 }}>{boundary.name}</span>
    </div>
  );
}

function BoundaryView({ data, selected }: NodeProps<BoundaryNode>) {
  if (isLine(data.boundary)) return <BoundaryLineView boundary={data.boundary} selected={selected} />;
  return (
    <div className={`dfd-boundary${selected ? " is-selected" : ""}`} aria-label={`Trust boundary ${data.boundary.name}`}>
      <NodeResizer isVisible={selected} minWidth={BOUNDARY_MIN.width} minHeight={BOUNDARY_MIN.height} color="var(--bad)" />
      <span className="dfd-boundary-label">{data.boundary.name}</span>
    </div>
  );
}

export const nodeTypes = { element: memo(ElementView), boundary: memo(BoundaryView) };
