// Canvas nodes: memoized so dragging one element re-renders only that one,
// which keeps diagrams of 1,000 elements smooth.
import { memo } from "react";
import { Handle, NodeResizer, Position, type Node, type NodeProps } from "@xyflow/react";
import type { Element, TrustBoundary } from "../api";
import { BOUNDARY_MIN, KIND_LABEL } from "./model";

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

function BoundaryView({ data, selected }: NodeProps<BoundaryNode>) {
  return (
    <div className={`dfd-boundary${selected ? " is-selected" : ""}`} aria-label={`Trust boundary ${data.boundary.name}`}>
      <NodeResizer isVisible={selected} minWidth={BOUNDARY_MIN.width} minHeight={BOUNDARY_MIN.height} color="var(--bad)" />
      <span className="dfd-boundary-label">{data.boundary.name}</span>
    </div>
  );
}

export const nodeTypes = { element: memo(ElementView), boundary: memo(BoundaryView) };
