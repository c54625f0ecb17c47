import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { errorMessage } from "../api";
import { Icon } from "./Dialog";

type Toast = { id: number; kind: "error" | "info" | "success"; text: string };
type Api = { error: (e: unknown, prefix?: string) => void; info: (text: string) => void; success: (text: string) => void };

const Ctx = createContext<Api | null>(null);

export function useToast(): Api {
  const v = useContext(Ctx);
  if (!v) throw new Error("useToast outside ToastProvider");
  return v;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (kind: Toast["kind"], text: string) => {
      const id = next.current++;
      setToasts((t) => [...t.filter((x) => x.text !== text), { id, kind, text }].slice(-4));
      window.setTimeout(() => dismiss(id), kind === "error" ? 9000 : 3500);
    },
    [dismiss],
  );
  const api = useMemo<Api>(
    () => ({
      error: (e, prefix) => push("error", prefix ? `${prefix}: ${errorMessage(e)}` : errorMessage(e)),
      info: (text) => push("info", text),
      success: (text) => push("success", text),
    }),
    [push],
  );
  return (
    <Ctx.Provider value={api}>
      {children}
      <div className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
            <span className="toast-text">{t.text}</span>
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              <Icon name="x" size={14} />
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}
