import { useEffect, useRef, type ReactNode } from "react";

type Props = {
  label: string;
  title?: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  width?: "sm" | "md" | "lg";
  className?: string;
  /** Palette-style dialogs sit near the top of the window. */
  placement?: "center" | "top";
};

/** A modal dialog: Escape or a click outside closes it; focus is trapped and restored. */
export function Dialog({ label, title, onClose, children, footer, width = "md", className, placement = "center" }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>("[data-autofocus], input, select, textarea, button:not(.dialog-close)");
    (first ?? el)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        closeRef.current();
      } else if (e.key === "Tab" && el) {
        const items = Array.from(
          el.querySelectorAll<HTMLElement>("a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])"),
        ).filter((x) => x.offsetParent !== null);
        const a = items[0];
        const z = items[items.length - 1];
        if (!a || !z) return;
        // From the ends, or from anywhere not on one of its controls (the
        // dialog itself when it has no field to focus), Tab wraps around inside.
        const onControl = items.includes(document.activeElement as HTMLElement);
        if (e.shiftKey && (document.activeElement === a || !onControl)) {
          e.preventDefault();
          z.focus();
        } else if (!e.shiftKey && (document.activeElement === z || !onControl)) {
          e.preventDefault();
          a.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      previous?.focus?.();
    };
  }, []);

  return (
    <div
      className={`backdrop backdrop-${placement}`}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        className={`dialog dialog-${width} ${className ?? ""}`}
      >
        {title !== undefined && (
          <header className="dialog-header">
            <h2>{title}</h2>
            <button type="button" className="icon-btn dialog-close" aria-label="Close" onClick={onClose}>
              <Icon name="x" />
            </button>
          </header>
        )}
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>
  );
}

const PATHS: Record<string, string> = {
  x: "M4 4l8 8M12 4l-8 8",
  pencil: "M10.5 2.5l3 3L5.5 13.5H2.5v-3zM9 4l3 3",
  search: "M7 12.5a5.5 5.5 0 1 0 0-11 5.5 5.5 0 0 0 0 11zM11 11l3.5 3.5",
  plus: "M8 3v10M3 8h10",
  sun: "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1",
  moon: "M13.5 9.5A6 6 0 0 1 6.5 2.5a6 6 0 1 0 7 7z",
  doc: "M4 1.5h5.5L12.5 4.5v10h-8.5zM9.5 1.5v3h3M6 8h4.5M6 10.5h4.5",
  shield: "M8 1.5l5.5 2v4c0 3.5-2.5 6-5.5 7-3-1-5.5-3.5-5.5-7v-4z",
  check: "M2.5 8.5l3.5 3.5 7.5-8",
  map: "M1.5 3.5l4-1.5 5 2 4-1.5v10l-4 1.5-5-2-4 1.5zM5.5 2v10.5M10.5 4v10.5",
  undo: "M5 3L2 6l3 3M2 6h7.5a4 4 0 0 1 0 8H7",
  redo: "M11 3l3 3-3 3M14 6H6.5a4 4 0 0 0 0 8H9",
  history: "M2 8a6 6 0 1 0 1.8-4.3M2 2v3.5h3.5M8 4.5V8l2.5 1.5",
  back: "M10 3L5 8l5 5",
  import: "M8 2v8M5 7l3 3 3-3M2.5 11v2.5h11V11",
  export: "M8 10V2M5 5l3-3 3 3M2.5 11v2.5h11V11",
  graph: "M4 4.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM12 9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM4 14.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM5.3 3.8l5.4 2.7M5.3 12.2l5.4-2.7",
  list: "M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01",
  trash: "M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4",
  keyboard: "M1.5 4h13v8h-13zM4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6",
  link: "M7 9a3 3 0 0 0 4.2 0l2-2a3 3 0 0 0-4.2-4.2l-1 1M9 7a3 3 0 0 0-4.2 0l-2 2a3 3 0 0 0 4.2 4.2l1-1",
  swap: "M3 5h10l-3-3M13 11H3l3 3",
  alert: "M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5h.01",
  folder: "M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z",
  gauge: "M2 11.5a6 6 0 1 1 12 0M8 11.5l3-4M8 11.5h.01",
};

/**
 * The footer of an import dialog: Cancel (Done once a report is shown) and
 * the submit button of `form`, enabled when `ready` and not `busy`.
 */
export function ImportFooter({ form, ready, busy, done, onClose }: {
  form: string;
  ready: boolean;
  busy: boolean;
  done: boolean;
  onClose: () => void;
}) {
  return (
    <>
      <button type="button" className="btn" onClick={onClose}>{done ? "Done" : "Cancel"}</button>
      <button type="submit" form={form} className="btn btn-primary" disabled={!ready || busy}>
        {busy ? "Importing…" : "Import"}
      </button>
    </>
  );
}

export function Icon({ name, size = 16 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5"
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon">
      <path d={PATHS[name] ?? ""} />
    </svg>
  );
}
