// The data-flow diagram on React Flow. The threat model is the truth:
// nodes and edges are derived from it (reusing unchanged node objects so
// memoized nodes skip rendering), and every canvas change is written back.
import { forwardRef, useCallback, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from "react";
import {
  Background, ConnectionMode, Controls, getViewportForBounds, MarkerType, MiniMap, ReactFlow, useReactFlow, useStore,
  type Connection, type Edge, type EdgeChange, type Node, type NodeChange, type Viewport,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { Diagram, ElementKind } from "../api";
import {
  boundariesParentFirst, boundaryRect, descendants, diagramBounds, fitBoundaries, innermostAt, isLine, newBoundary, newElement, newFlow,
  nextName, overlaps, placeBoundary, placeElement, rectOf, removeItems, shiftBoundary, viewRect, KIND_LABEL, type Rect,
} from "./model";
import { nodeTypes, type BoundaryNode, type ElementNode } from "./nodes";
import { CanvasMiniMap, elementAt, FarOverview, UnderCanvas } from "./FarOverview";

/** Below this zoom, names and flow labels are too small to read: a large
 * diagram is drawn on one canvas instead ({@link FarOverview}). React Flow
 * then keeps its nodes hidden and gets no edges, so a pan frame runs no
 * per-node work and WebKit, painting without a GPU, paints one bitmap. */
const FAR_ZOOM = 0.45;
/** Small diagrams keep their names at any zoom, and React Flow's minimap:
 * they paint fast anyway. */
const FAR_MIN_ELEMENTS = 200;
/** Closer in, a large diagram's flows with an end within this share of the
 * view's size beyond each side are React Flow edges; the rest only pass
 * through the view and are lines on a canvas ({@link UnderCanvas}). */
const NEAR_MARGIN = 0.25;

/** Fit's margin, as a share of the view (React Flow's `padding`). */
const FIT_PADDING = 0.08;
const MIN_ZOOM = 0.01;

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

export type CanvasHandle = {
  addElement: (kind: ElementKind) => void;
  addBoundary: () => void;
  fit: () => void;
  /** Centres the view on an element, boundary or flow (at least 100 %). */
  show: (id: string) => void;
};

type Props = {
  diagram: Diagram;
  openCounts: Map<string, number>;
  selected: Set<string>;
  onSelect: Dispatch<SetStateAction<Set<string>>>;
  /** A diagram edit; `history: false` while a drag is in progress. */
  onChange: (f: (d: Diagram) => Diagram, opts?: { history?: boolean }) => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  dark: boolean;
};

type AnyNode = ElementNode | BoundaryNode;

const NO_EDGES: Edge[] = [];
const NO_FLOWS = new Set<string>();

/** A cached node is reused only where it is still drawn (a parent may have moved). */
function samePlace(n: { position: { x: number; y: number }; width?: number; height?: number }, p: { x: number; y: number }, r: Rect): boolean {
  return n.position.x === p.x && n.position.y === p.y && n.width === r.width && n.height === r.height;
}

/** The facing sides of two boxes, so flows leave and enter where they point. */
function sides(a: Rect | undefined, b: Rect | undefined): [string, string] {
  if (!a || !b) return ["right", "left"];
  const dx = b.x + b.width / 2 - (a.x + a.width / 2);
  const dy = b.y + b.height / 2 - (a.y + a.height / 2);
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? ["right", "left"] : ["left", "right"];
  return dy >= 0 ? ["bottom", "top"] : ["top", "bottom"];
}

export const DiagramCanvas = forwardRef<CanvasHandle, Props>(function DiagramCanvas(
  { diagram, openCounts, selected, onSelect, onChange, onDragStart, onDragEnd, dark },
  ref,
) {
  const flow = useReactFlow();
  const cache = useRef(new Map<string, AnyNode>());
  const edgeCache = useRef(new Map<string, Edge>());
  const diagramRef = useRef(diagram);
  diagramRef.current = diagram;

  // Every node carries its size as `measured`: React Flow renders a node
  // without one, visible or not, to measure it, so selecting or moving all
  // of a 1,000-element diagram would mount 1,000 nodes for a frame.
  const nodes = useMemo(() => {
    const abs = new Map<string, Rect>(diagram.boundaries.map((b) => [b.id, boundaryRect(b)]));
    const rel = (r: Rect, parent: string | null | undefined) => {
      const p = parent ? abs.get(parent) : undefined;
      return p ? { x: r.x - p.x, y: r.y - p.y } : { x: r.x, y: r.y };
    };
    const known = new Set(abs.keys());
    const next = new Map<string, AnyNode>();
    const out: AnyNode[] = [];
    const counts = new Map<string, number>();
    for (const e of diagram.elements) if (e.boundary) counts.set(e.boundary, (counts.get(e.boundary) ?? 0) + 1);
    for (const b of boundariesParentFirst(diagram.boundaries)) {
      const r = boundaryRect(b);
      const parentId = b.parent && known.has(b.parent) ? b.parent : undefined;
      const position = rel(r, parentId);
      const isSel = selected.has(b.id);
      const count = counts.get(b.id) ?? 0;
      const prev = cache.current.get(b.id) as BoundaryNode | undefined;
      const node: BoundaryNode =
        prev && prev.data.boundary === b && prev.selected === isSel && prev.parentId === parentId && prev.data.count === count && samePlace(prev, position, r)
          ? prev
          : {
              id: b.id, type: "boundary", position, parentId, selected: isSel, width: r.width, height: r.height, measured: { width: r.width, height: r.height },
              data: { boundary: b, count }, zIndex: 0, dragHandle: undefined, ariaLabel: `Trust boundary ${b.name}`,
              // A line's box is mostly empty: only the line and its name take the pointer.
              ...(isLine(b) ? { style: { pointerEvents: "none" as const } } : {}),
            };
      next.set(b.id, node);
      out.push(node);
    }
    for (const e of diagram.elements) {
      const r = rectOf(e);
      const parentId = e.boundary && known.has(e.boundary) ? e.boundary : undefined;
      const open = openCounts.get(e.id) ?? 0;
      const isSel = selected.has(e.id);
      const prev = cache.current.get(e.id) as ElementNode | undefined;
      const position = rel(r, parentId);
      const node: ElementNode =
        prev && prev.data.element === e && prev.data.open === open && prev.selected === isSel && prev.parentId === parentId && samePlace(prev, position, r)
          ? prev
          : {
              id: e.id, type: "element", position, parentId, selected: isSel, width: r.width, height: r.height, measured: { width: r.width, height: r.height },
              data: { element: e, open }, zIndex: 10, ariaLabel: `${KIND_LABEL[e.kind]} ${e.name}`,
            };
      next.set(e.id, node);
      out.push(node);
    }
    cache.current = next;
    return out;
  }, [diagram, openCounts, selected]);

  const edges = useMemo(() => {
    const next = new Map<string, Edge>();
    const rects = new Map(diagram.elements.map((e) => [e.id, rectOf(e)]));
    const out = diagram.flows.map((f) => {
      const isSel = selected.has(f.id);
      const open = openCounts.get(f.id) ?? 0;
      const [sourceHandle, targetHandle] = sides(rects.get(f.source), rects.get(f.target));
      const prev = edgeCache.current.get(f.id);
      if (prev && prev.data?.flow === f && prev.selected === isSel && prev.data?.open === open && prev.sourceHandle === sourceHandle && prev.targetHandle === targetHandle) {
        next.set(f.id, prev);
        return prev;
      }
      const label = [f.name.trim(), f.protocol && f.protocol.toUpperCase(), open ? `⚠ ${open}` : ""].filter(Boolean).join(" · ");
      const edge: Edge = {
        id: f.id, source: f.source, target: f.target, sourceHandle, targetHandle, selected: isSel, label, zIndex: 20,
        data: { flow: f, open },
        className: `dfd-flow${f.encrypted_in_transit ? "" : " is-plain"}${open ? " has-threats" : ""}${f.out_of_scope != null ? " is-out-of-scope" : ""}`,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        markerStart: f.bidirectional ? { type: MarkerType.ArrowClosed, width: 18, height: 18 } : undefined,
        ariaLabel: `Data flow ${f.name}`,
        labelBgPadding: [6, 3], labelBgBorderRadius: 4,
      };
      next.set(f.id, edge);
      return edge;
    });
    edgeCache.current = next;
    return out;
  }, [diagram.flows, diagram.elements, selected, openCounts]);

  const absOf = useCallback((id: string | null | undefined): { x: number; y: number } => {
    if (!id) return { x: 0, y: 0 };
    const b = diagramRef.current.boundaries.find((x) => x.id === id);
    return b ? boundaryRect(b) : { x: 0, y: 0 };
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<AnyNode>[]) => {
      const sel = changes.filter((c) => c.type === "select");
      // Functional update: node and edge changes of one click arrive in two calls.
      if (sel.length) {
        onSelect((prev) => {
          const next = new Set(prev);
          for (const c of sel) {
            if (c.type !== "select") continue;
            if (c.selected) next.add(c.id);
            else next.delete(c.id);
          }
          return next;
        });
      }
      const removed = new Set(changes.flatMap((c) => (c.type === "remove" ? [c.id] : [])));
      const moves = changes.filter((c) => c.type === "position" && c.position);
      const sizes = changes.filter((c) => c.type === "dimensions" && c.resizing !== undefined && c.dimensions);
      if (!removed.size && !moves.length && !sizes.length) return;
      const dragging = moves.some((c) => c.type === "position" && c.dragging) || sizes.some((c) => c.type === "dimensions" && c.resizing);
      onChange(
        (d) => {
          let out = d;
          if (removed.size) out = removeItems(out, removed);
          // One pass over the elements for all moved nodes: moving every
          // selected node of a 1,000-element diagram stays linear per frame.
          const moved = new Map<string, { x: number; y: number }>();
          for (const c of moves) if (c.type === "position" && c.position) moved.set(c.id, c.position);
          if (moved.size) {
            let changed = false;
            const elements = out.elements.map((e) => {
              const pos = moved.get(e.id);
              if (!pos) return e;
              moved.delete(e.id);
              const p = absOf(e.boundary);
              const r = rectOf(e);
              const x = Math.round(p.x + pos.x);
              const y = Math.round(p.y + pos.y);
              if (x === r.x && y === r.y) return e;
              changed = true;
              return { ...e, position: { ...r, x, y } };
            });
            if (changed) out = { ...out, elements };
          }
          // What is left moved are boundaries.
          for (const [id, pos] of moved) {
            const b = out.boundaries.find((x) => x.id === id);
            if (b) {
              const p = absOf(b.parent);
              const r = boundaryRect(b);
              out = shiftBoundary(out, b.id, Math.round(p.x + pos.x - r.x), Math.round(p.y + pos.y - r.y));
            }
          }
          for (const c of sizes) {
            if (c.type !== "dimensions" || !c.dimensions) continue;
            const { width, height } = c.dimensions;
            out = { ...out, boundaries: out.boundaries.map((b) => (b.id === c.id ? { ...b, position: { ...boundaryRect(b), width: Math.round(width), height: Math.round(height) } } : b)) };
          }
          return out;
        },
        { history: removed.size > 0 || (!dragging && moves.length > 0) },
      );
    },
    [onSelect, onChange, absOf],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const sel = changes.filter((c) => c.type === "select");
      // Functional update: node and edge changes of one click arrive in two calls.
      if (sel.length) {
        onSelect((prev) => {
          const next = new Set(prev);
          for (const c of sel) {
            if (c.type !== "select") continue;
            if (c.selected) next.add(c.id);
            else next.delete(c.id);
          }
          return next;
        });
      }
      const removed = new Set(changes.flatMap((c) => (c.type === "remove" ? [c.id] : [])));
      if (removed.size) onChange((d) => removeItems(d, removed));
    },
    [onSelect, onChange],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || c.source === c.target) return;
      const d = diagramRef.current;
      if (!d.elements.some((e) => e.id === c.source) || !d.elements.some((e) => e.id === c.target)) return;
      const f = newFlow(nextName(d.flows.map((x) => x.name), "Data flow"), c.source, c.target);
      onChange((dd) => ({ ...dd, flows: [...dd.flows, f] }));
      onSelect(new Set([f.id]));
    },
    [onChange, onSelect],
  );

  /** Dropping an element or boundary updates which boundary holds it. */
  const onNodeDragStop = useCallback(
    (_: unknown, __: Node, dragged: Node[]) => {
      onChange(
        (d) => {
          let out = d;
          for (const n of dragged) {
            const el = out.elements.find((e) => e.id === n.id);
            if (el) {
              const r = rectOf(el);
              const inner = innermostAt(out.boundaries, r.x + r.width / 2, r.y + r.height / 2);
              const boundary = inner?.id ?? null;
              if (boundary !== el.boundary) out = { ...out, elements: out.elements.map((e) => (e.id === el.id ? { ...e, boundary } : e)) };
              continue;
            }
            const b = out.boundaries.find((x) => x.id === n.id);
            if (b && !isLine(b)) {
              const r = boundaryRect(b);
              const inner = innermostAt(out.boundaries, r.x + r.width / 2, r.y + 8, descendants(out.boundaries, b.id));
              const parent = inner?.id ?? null;
              if (parent !== b.parent) out = { ...out, boundaries: out.boundaries.map((x) => (x.id === b.id ? { ...x, parent } : x)) };
            }
          }
          return fitBoundaries(out);
        },
        { history: false },
      );
      onDragEnd();
    },
    [onChange, onDragEnd],
  );

  const centre = useCallback(() => {
    const el = document.querySelector(".dfd-canvas");
    const box = el?.getBoundingClientRect();
    if (!box) return { x: 200, y: 200 };
    return flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
  }, [flow]);

  useImperativeHandle(
    ref,
    () => ({
      addElement: (kind: ElementKind) => {
        const c = centre();
        const d = diagramRef.current;
        const e = newElement(kind, nextName(d.elements.map((x) => x.name), KIND_LABEL[kind]), c.x, c.y);
        onChange((dd) => placeElement(dd, e));
        onSelect(new Set([e.id]));
      },
      addBoundary: () => {
        const c = centre();
        const d = diagramRef.current;
        const b = newBoundary(nextName(d.boundaries.map((x) => x.name), "Trust boundary"), c.x, c.y);
        onChange((dd) => placeBoundary(dd, b));
        onSelect(new Set([b.id]));
      },
      fit: () => void flow.fitView({ padding: FIT_PADDING, duration: 200, maxZoom: 1.2, includeHiddenNodes: true }),
      show: (id: string) => {
        // From the model, not React Flow: far out it holds no edges.
        const d = diagramRef.current;
        const centreOf = (itemId: string) => {
          const e = d.elements.find((x) => x.id === itemId);
          const b = e ? undefined : d.boundaries.find((x) => x.id === itemId);
          const r = e ? rectOf(e) : b ? boundaryRect(b) : null;
          return r && { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        };
        let at = centreOf(id);
        if (!at) {
          const f = d.flows.find((x) => x.id === id);
          const a = f ? centreOf(f.source) : null;
          const b = f ? centreOf(f.target) : null;
          if (a && b) at = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        }
        if (at) void flow.setCenter(at.x, at.y, { zoom: Math.max(flow.getZoom(), 1), duration: 200 });
      },
    }),
    [centre, flow, onChange, onSelect],
  );

  const onDragStartCb = useCallback(() => onDragStart(), [onDragStart]);

  // The first view is the fitted one, computed here from the model before
  // React Flow mounts: with its `fitView`, a large diagram was first drawn
  // at 100 % (nodes mounted, every flow an edge whose label is measured),
  // then fitted and hidden again, which cost WebKit about a second.
  const box = useRef<HTMLDivElement>(null);
  const [initial, setInitial] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (initial || !el) return;
    const bounds = diagramBounds(diagramRef.current);
    const { clientWidth: w, clientHeight: h } = el;
    setInitial(bounds && w && h ? getViewportForBounds(bounds, w, h, MIN_ZOOM, 1, FIT_PADDING) : { x: 0, y: 0, zoom: 1 });
  }, [initial]);
  // Until React Flow has applied that view, its store still says 100 %.
  const ready = useStore((s) => s.panZoom !== null);
  const zoomedOut = useStore((s) => s.transform[2] < FAR_ZOOM);
  const large = diagram.elements.length >= FAR_MIN_ELEMENTS;
  const far = large && (ready ? zoomedOut : (initial?.zoom ?? 0) < FAR_ZOOM);
  // Far out: the same nodes, hidden (one copy per node object, so an
  // unchanged node stays the same object), and no edges.
  const hiddenCopies = useRef(new WeakMap<AnyNode, AnyNode>());
  const shownNodes = useMemo(() => {
    if (!far) return nodes;
    return nodes.map((n) => {
      let h = hiddenCopies.current.get(n);
      if (!h) {
        h = { ...n, hidden: true };
        hiddenCopies.current.set(n, h);
      }
      return h;
    });
  }, [far, nodes]);
  // Closer in, which flows are edges: recomputed only when the view leaves
  // the window it was computed for, not on every pan frame (the selector
  // returns the same window until then, so a pan re-renders nothing here).
  const nearRef = useRef<Rect | null>(null);
  const near = useStore(useCallback((st: { transform: [number, number, number]; width: number; height: number; panZoom: unknown }) => {
    // (A small diagram ignores `near`: all its flows are edges.)
    if (!large || !st.width || !st.height || !st.panZoom) return null;
    const view = viewRect(st.transform, st.width, st.height);
    const w = nearRef.current;
    // Kept while the view is inside it and has not zoomed in much.
    if (w && inside(view, w) && w.width <= view.width * (1 + 2 * NEAR_MARGIN) * 1.25) return w;
    const next = {
      x: view.x - view.width * NEAR_MARGIN, y: view.y - view.height * NEAR_MARGIN,
      width: view.width * (1 + 2 * NEAR_MARGIN), height: view.height * (1 + 2 * NEAR_MARGIN),
    };
    nearRef.current = next;
    return next;
  }, [large]));
  const [shownEdges, passing] = useMemo((): [Edge[], Set<string> | null] => {
    if (far) return [NO_EDGES, null];
    if (!large) return [edges, null];
    // (Not placed yet: no flow is an edge until the view is known.)
    if (!near) return [NO_EDGES, null];
    const nearby = new Set(diagram.elements.filter((e) => overlaps(rectOf(e), near, 0)).map((e) => e.id));
    const shown: Edge[] = [];
    const rest = new Set<string>();
    for (const e of edges) {
      if (nearby.has(e.source) || nearby.has(e.target) || e.selected) shown.push(e);
      else rest.add(e.id);
    }
    return [shown, rest];
  }, [far, large, near, edges, diagram.elements]);

  // Far out, the nodes are hidden: a click on the overview picks the
  // element under it and zooms in to it.
  const onPaneClick = useCallback((event: React.MouseEvent) => {
    if (!far) return;
    const id = elementAt(diagramRef.current, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    if (!id) return;
    onSelect(new Set([id]));
    const n = diagramRef.current.elements.find((e) => e.id === id);
    if (n) {
      const r = rectOf(n);
      void flow.setCenter(r.x + r.width / 2, r.y + r.height / 2, { zoom: 1, duration: 200 });
    }
  }, [far, flow, onSelect]);

  return (
    <div className={`dfd-canvas${far ? " is-far" : ""}${large ? " is-large" : ""}`} aria-label="Data-flow diagram" ref={box}>
      {initial && <ReactFlow
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={onDragStartCb}
        onNodeDragStop={onNodeDragStop}
        onPaneClick={onPaneClick}
        connectionMode={ConnectionMode.Loose}
        onlyRenderVisibleElements
        defaultViewport={initial}
        fitViewOptions={{ padding: FIT_PADDING, maxZoom: 1 }}
        minZoom={MIN_ZOOM}
        maxZoom={3}
        deleteKeyCode={["Backspace", "Delete"]}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        selectionKeyCode="Shift"
        colorMode={dark ? "dark" : "light"}
        proOptions={{ hideAttribution: true }}
        elevateNodesOnSelect={false}
      >
        <Background gap={24} />
        {far && <FarOverview diagram={diagram} openCounts={openCounts} selected={selected} dark={dark} />}
        {large && !far && <UnderCanvas diagram={diagram} flows={passing ?? NO_FLOWS} selected={selected} dark={dark} />}
        {large ? (
          <CanvasMiniMap diagram={diagram} openCounts={openCounts} dark={dark} />
        ) : (
          <MiniMap pannable zoomable ariaLabel="Mini map" nodeStrokeWidth={2} style={{ width: 150, height: 100 }}
            nodeColor={(n) => (n.type === "boundary" ? "transparent" : n.data && (n.data as { open?: number }).open ? "#e5484d" : "#8583ff")}
            nodeStrokeColor={(n) => (n.type === "boundary" ? "#e5484d" : "transparent")} />
        )}
        <Controls showInteractive={false} />
      </ReactFlow>}
    </div>
  );
});
