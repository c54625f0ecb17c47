// The open threat model: load, local edits with undo/redo, autosave with
// optimistic concurrency (like the ADR editor), and server operations
// (generate, threat decisions, sessions) that run after pending edits are saved.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, isConflict, onWindowCloseRequested, type Diagram, type StoredThreatModel, type ThreatModel } from "../api";
import { useToast } from "../components/Toasts";
import { autoLayout, needsLayout } from "./model";

export type SaveState = "saved" | "dirty" | "saving" | "conflict" | "error";

const AUTOSAVE_MS = 700;
const HISTORY_MAX = 200;

export type ThreatDoc = ReturnType<typeof useThreatDoc>;

export function useThreatDoc(id: string) {
  const toast = useToast();
  const [model, setModelState] = useState<ThreatModel | null>(null);
  const [revision, setRevision] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [historyLen, setHistoryLen] = useState({ past: 0, future: 0 });

  const modelRef = useRef<ThreatModel | null>(null);
  const revisionRef = useRef(0);
  const dirtyRef = useRef(false);
  const conflictRef = useRef(false);
  const timerRef = useRef<number | undefined>(undefined);
  const inflight = useRef<Promise<void> | null>(null);
  const past = useRef<Diagram[][]>([]);
  const future = useRef<Diagram[][]>([]);

  const syncHistory = () => setHistoryLen({ past: past.current.length, future: future.current.length });

  /** The model as the store has it (last loaded or saved). */
  const storedRef = useRef<ThreatModel | null>(null);

  const adopt = useCallback((stored: StoredThreatModel) => {
    storedRef.current = stored.model;
    modelRef.current = stored.model;
    revisionRef.current = stored.revision;
    setModelState(stored.model);
    setRevision(stored.revision);
  }, []);

  const save = useCallback(async (): Promise<void> => {
    if (inflight.current) {
      await inflight.current;
    }
    const sent = modelRef.current;
    if (!dirtyRef.current || conflictRef.current || !sent) return;
    window.clearTimeout(timerRef.current);
    setSaveState("saving");
    // When only the diagrams changed since the store's copy (a drag, an
    // edit on the canvas), only they cross IPC: a large model's thousands
    // of threats are not serialized, sent and parsed back on every autosave.
    const base = storedRef.current;
    const keys = new Set([...Object.keys(sent), ...Object.keys(base ?? {})] as (keyof ThreatModel)[]);
    const onlyDiagrams = !!base && [...keys].every((k) => k === "diagrams" || sent[k] === base[k]);
    const request = onlyDiagrams
      ? api.saveThreatDiagrams(sent.id, revisionRef.current, sent.diagrams)
      : api.saveThreatModel(sent.id, revisionRef.current, sent).then((saved) => saved.revision);
    const p = request.then(
      (revision) => {
        storedRef.current = sent;
        revisionRef.current = revision;
        setRevision(revision);
        if (modelRef.current === sent) {
          dirtyRef.current = false;
          setSaveState("saved");
        } else {
          timerRef.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
          setSaveState("dirty");
        }
      },
      (e: unknown) => {
        if (isConflict(e)) {
          conflictRef.current = true;
          setSaveState("conflict");
        } else {
          setSaveState("error");
          toast.error(e, "Could not save the threat model");
        }
      },
    );
    inflight.current = p.finally(() => {
      inflight.current = null;
    });
    await inflight.current;
  }, [toast]);

  useEffect(() => {
    let live = true;
    // User Timing marks (no cost, nothing sent anywhere): how long opening a
    // model waits for the backend, for profilers and the diagram benchmark.
    performance.mark("threat-model:request");
    api.getThreatModel(id).then(
      (stored) => {
        performance.mark("threat-model:received");
        if (!live) return;
        // Imported diagrams without positions get a layout (saved as an edit).
        if (stored.model.diagrams.some(needsLayout)) {
          adopt(stored);
          const laid = { ...stored.model, diagrams: stored.model.diagrams.map((d) => (needsLayout(d) ? autoLayout(d) : d)) };
          modelRef.current = laid;
          setModelState(laid);
          dirtyRef.current = true;
          setSaveState("dirty");
          timerRef.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
        } else {
          adopt(stored);
        }
      },
      (e: unknown) => live && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
      window.clearTimeout(timerRef.current);
    };
  }, [id, adopt, save]);

  /** A local edit. `history: false` for intermediate states (a drag in progress). */
  const edit = useCallback(
    (f: (m: ThreatModel) => ThreatModel, opts: { history?: boolean } = {}) => {
      const cur = modelRef.current;
      if (!cur) return;
      const next = f(cur);
      if (next === cur) return;
      if (opts.history !== false && next.diagrams !== cur.diagrams) {
        past.current.push(cur.diagrams);
        if (past.current.length > HISTORY_MAX) past.current.shift();
        future.current = [];
        syncHistory();
      }
      modelRef.current = next;
      setModelState(next);
      dirtyRef.current = true;
      if (!conflictRef.current) {
        setSaveState("dirty");
        window.clearTimeout(timerRef.current);
        timerRef.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
      }
    },
    [save],
  );

  /** Records `before` as an undo step (the end of a drag). */
  const checkpoint = useCallback((before: Diagram[]) => {
    if (modelRef.current && before !== modelRef.current.diagrams) {
      past.current.push(before);
      future.current = [];
      syncHistory();
    }
  }, []);

  const undo = useCallback(() => {
    const prev = past.current.pop();
    if (!prev || !modelRef.current) return;
    future.current.push(modelRef.current.diagrams);
    syncHistory();
    edit((m) => ({ ...m, diagrams: prev }), { history: false });
  }, [edit]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next || !modelRef.current) return;
    past.current.push(modelRef.current.diagrams);
    syncHistory();
    edit((m) => ({ ...m, diagrams: next }), { history: false });
  }, [edit]);

  /** Saves pending edits, then runs a server operation on the saved revision. */
  const serverOp = useCallback(
    async <T,>(op: (modelId: string, revision: number) => Promise<T>, after?: (result: T) => StoredThreatModel | null | Promise<StoredThreatModel | null>): Promise<T | null> => {
      if (conflictRef.current) {
        toast.error("Resolve the conflict first (reload theirs or keep yours).");
        return null;
      }
      await save();
      const m = modelRef.current;
      if (!m || conflictRef.current || dirtyRef.current) return null;
      try {
        const result = await op(m.id, revisionRef.current);
        const stored = after ? await after(result) : (result as unknown as StoredThreatModel);
        if (stored && modelRef.current === m) adopt(stored);
        return result;
      } catch (e) {
        if (isConflict(e)) {
          conflictRef.current = true;
          setSaveState("conflict");
        } else {
          toast.error(e);
        }
        return null;
      }
    },
    [save, adopt, toast],
  );

  /** After a session step: take the model's new revision if the step changed it. */
  const refreshIfBehind = useCallback(
    async (modelRevision: number) => {
      if (modelRevision !== revisionRef.current && !dirtyRef.current) {
        adopt(await api.getThreatModel(id));
      }
    },
    [id, adopt],
  );

  const reloadTheirs = useCallback(() => {
    api.getThreatModel(id).then(
      (stored) => {
        conflictRef.current = false;
        dirtyRef.current = false;
        adopt(stored);
        setSaveState("saved");
      },
      (e: unknown) => toast.error(e, "Could not reload"),
    );
  }, [id, adopt, toast]);

  const keepMine = useCallback(() => {
    api.getThreatModel(id).then(
      (stored) => {
        // Compared with theirs, so a whole-model difference sends the whole model.
        storedRef.current = stored.model;
        revisionRef.current = stored.revision;
        setRevision(stored.revision);
        conflictRef.current = false;
        dirtyRef.current = true;
        void save();
      },
      (e: unknown) => toast.error(e, "Could not reload"),
    );
  }, [id, save, toast]);

  // Closing the window waits (bounded) for the last save.
  useEffect(
    () =>
      onWindowCloseRequested(async () => {
        if (dirtyRef.current) await save();
      }),
    [save],
  );
  // Leaving the editor saves what is pending.
  useEffect(
    () => () => {
      if (dirtyRef.current && !conflictRef.current) void save();
    },
    [save],
  );

  return {
    model, revision, saveState, loadError, edit, checkpoint, undo, redo,
    canUndo: historyLen.past > 0, canRedo: historyLen.future > 0,
    save, serverOp, refreshIfBehind, reloadTheirs, keepMine, adopt,
  };
}
