import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AdrSyncAction } from "../sync/AdrSyncAction";
import { api, errorMessage, isConflict, onWindowCloseRequested, type Adr, type AdrDraft, type AdrSummary, type Workspace } from "../api";
import { Icon } from "../components/Dialog";
import { StatusPill } from "../components/StatusPill";
import { TokenInput } from "../components/TokenInput";
import { useToast } from "../components/Toasts";
import { clearLocalDrafts, readLocalDraft, writeLocalDraft, type LocalDraft } from "../lib/drafts";
import { adrRef, LINK_LABEL, relativeTime, sameDraft, statusFromLabel, statusLabel, statusTargets, toDraft } from "../lib/format";
import { ListEditor, MarkdownField, OptionsEditor } from "./fields";
import { HistoryPanel } from "./HistoryPanel";
import { SupersedeDialog } from "./SupersedeDialog";

export type SaveState = "saved" | "dirty" | "saving" | "conflict" | "error";

const SAVE_TEXT: Record<SaveState, string> = {
  saved: "Saved",
  dirty: "Unsaved changes",
  saving: "Saving…",
  conflict: "Conflict",
  error: "Not saved",
};

const AUTOSAVE_MS = 700;
/** How long closing the window waits for the last save. */
const CLOSE_SAVE_MAX_MS = 2000;
const UNDO_GROUP_MS = 1000;

type Props = {
  id: string;
  all: AdrSummary[];
  workspace: Workspace | null;
  onClose: () => void;
  onOpen: (id: string) => void;
  onChanged: () => void;
};

export function AdrEditor({ id, all, workspace, onClose, onOpen, onChanged }: Props) {
  const toast = useToast();
  const [adr, setAdr] = useState<Adr | null>(null);
  const [draft, setDraft] = useState<AdrDraft | null>(null);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [localOffer, setLocalOffer] = useState<LocalDraft | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [supersedeOpen, setSupersedeOpen] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [, setUndoTick] = useState(0);

  const adrRef_ = useRef<Adr | null>(null);
  const draftRef = useRef<AdrDraft | null>(null);
  const dirtyRef = useRef(false);
  const conflictRef = useRef(false);
  const savingRef = useRef<Promise<void> | null>(null);
  const timerRef = useRef<number | undefined>(undefined);
  const past = useRef<AdrDraft[]>([]);
  const future = useRef<AdrDraft[]>([]);
  const groupStart = useRef(0);
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;

  // ---- loading -----------------------------------------------------------
  useEffect(() => {
    let live = true;
    api.getAdr(id).then(
      (a) => {
        if (!live) return;
        const d = toDraft(a);
        adrRef_.current = a;
        draftRef.current = d;
        setAdr(a);
        setDraft(d);
        const local = readLocalDraft(id);
        if (local && !sameDraft(local.draft, d) && (local.baseRevision >= a.revision || local.savedAt > a.updated_at)) {
          setLocalOffer(local);
        } else if (local) {
          clearLocalDrafts(id);
        }
      },
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);

  // ---- saving ------------------------------------------------------------
  const save = useCallback(async (): Promise<void> => {
    window.clearTimeout(timerRef.current);
    while (savingRef.current) await savingRef.current;
    const base = adrRef_.current;
    const sent = draftRef.current;
    if (!dirtyRef.current || conflictRef.current || !base || !sent) return;
    setSaveState("saving");
    const p = api.saveAdr(base.id, base.revision, sent).then(
      (saved) => {
        adrRef_.current = saved;
        setAdr(saved);
        clearLocalDrafts(base.id);
        if (draftRef.current === sent) {
          dirtyRef.current = false;
          setSaveState("saved");
        } else if (draftRef.current) {
          writeLocalDraft(base.id, saved.revision, draftRef.current);
          setSaveState("dirty");
          timerRef.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
        }
        setHistoryVersion((v) => v + 1);
        onChangedRef.current();
      },
      (e: unknown) => {
        if (isConflict(e)) {
          conflictRef.current = true;
          setSaveState("conflict");
        } else {
          setSaveState("error");
          toast.error(e, "Could not save");
        }
      },
    );
    savingRef.current = p.finally(() => {
      savingRef.current = null;
    });
    await savingRef.current;
  }, [toast]);

  const schedule = useCallback(() => {
    window.clearTimeout(timerRef.current);
    timerRef.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
  }, [save]);

  /** Sets the draft as the user's edit: local backup, dirty, autosave. */
  const apply = useCallback(
    (next: AdrDraft) => {
      draftRef.current = next;
      setDraft(next);
      dirtyRef.current = true;
      const base = adrRef_.current;
      if (base) writeLocalDraft(base.id, base.revision, next);
      if (!conflictRef.current) {
        setSaveState("dirty");
        schedule();
      }
    },
    [schedule],
  );

  const update = useCallback(
    (fn: (d: AdrDraft) => AdrDraft) => {
      const prev = draftRef.current;
      if (!prev) return;
      const now = Date.now();
      if (now - groupStart.current > UNDO_GROUP_MS) {
        past.current.push(prev);
        if (past.current.length > 200) past.current.shift();
        groupStart.current = now;
      }
      future.current = [];
      apply(fn(prev));
      setUndoTick((t) => t + 1);
    },
    [apply],
  );

  const undo = useCallback(() => {
    const prev = past.current.pop();
    const cur = draftRef.current;
    if (!prev || !cur) return;
    future.current.push(cur);
    groupStart.current = 0;
    apply(prev);
    setUndoTick((t) => t + 1);
  }, [apply]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    const cur = draftRef.current;
    if (!next || !cur) return;
    past.current.push(cur);
    groupStart.current = 0;
    apply(next);
    setUndoTick((t) => t + 1);
  }, [apply]);

  /** Replaces editor state with a server copy (after reload/restore/supersede); undoable. */
  const adoptServer = useCallback((a: Adr) => {
    const cur = draftRef.current;
    if (cur) past.current.push(cur);
    future.current = [];
    groupStart.current = 0;
    const d = toDraft(a);
    adrRef_.current = a;
    draftRef.current = d;
    dirtyRef.current = false;
    conflictRef.current = false;
    clearLocalDrafts(a.id);
    setAdr(a);
    setDraft(d);
    setSaveState("saved");
    setUndoTick((t) => t + 1);
    setHistoryVersion((v) => v + 1);
  }, []);

  // Flush on unmount (switching ADR), window close and hiding.
  useEffect(() => {
    const flush = () => {
      if (dirtyRef.current) void save();
    };
    const onVis = () => document.visibilityState === "hidden" && flush();
    window.addEventListener("beforeunload", flush);
    document.addEventListener("visibilitychange", onVis);
    return () => {
      window.removeEventListener("beforeunload", flush);
      document.removeEventListener("visibilitychange", onVis);
      flush();
    };
  }, [save]);

  // Closing the app window: await the pending save (bounded) before Tauri
  // destroys the window. Whatever does not make it stays in localStorage.
  useEffect(
    () =>
      onWindowCloseRequested(async () => {
        if (!dirtyRef.current && !savingRef.current) return;
        let timer: number | undefined;
        const cap = new Promise<void>((resolve) => {
          timer = window.setTimeout(resolve, CLOSE_SAVE_MAX_MS);
        });
        await Promise.race([save(), cap]);
        window.clearTimeout(timer);
      }),
    [save],
  );

  // Editor shortcuts: save, undo, redo.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      if (document.querySelector("[role=dialog]")) return;
      const k = e.key.toLowerCase();
      if (k === "s") {
        e.preventDefault();
        if (dirtyRef.current) void save();
        else setSaveState((s) => (s === "error" ? s : "saved"));
      } else if (k === "z" && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((k === "z" && e.shiftKey) || k === "y") {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, undo, redo]);

  // ---- conflict handling -------------------------------------------------
  const reloadTheirs = () => {
    api.getAdr(id).then(adoptServer, (e: unknown) => toast.error(e, "Could not reload"));
  };
  const keepMine = () => {
    api.getAdr(id).then(
      (fresh) => {
        adrRef_.current = fresh;
        setAdr(fresh);
        conflictRef.current = false;
        dirtyRef.current = true;
        void save();
      },
      (e: unknown) => toast.error(e, "Could not reload"),
    );
  };

  const byNumber = useMemo(() => new Map(all.map((a) => [a.number, a])), [all]);
  const repoSuggestions = useMemo(
    () => [...new Set([...(workspace?.repositories.map((r) => r.name) ?? []), ...all.flatMap((a) => a.repositories)])].sort(),
    [workspace, all],
  );
  const tagSuggestions = useMemo(() => [...new Set(all.flatMap((a) => a.tags))].sort(), [all]);
  const peopleSuggestions = useMemo(() => {
    const d = draft;
    return d ? [...new Set([...d.decision_makers, ...d.consulted, ...d.informed])] : [];
  }, [draft]);

  if (loadError) {
    return (
      <div className="page">
        <div className="banner banner-error" role="alert">
          <Icon name="alert" />
          <span>Could not open this ADR: {loadError}</span>
          <button type="button" className="btn btn-sm" onClick={onClose}>Back to decisions</button>
        </div>
      </div>
    );
  }
  if (!adr || !draft) {
    return <div className="page"><p className="muted loading">Loading…</p></div>;
  }

  const set = <K extends keyof AdrDraft>(k: K) => (v: AdrDraft[K]) => update((d) => ({ ...d, [k]: v }));
  const targets = statusTargets(adr.status);
  if (!targets.some((t) => statusLabel(t) === statusLabel(draft.status))) targets.unshift(draft.status);

  return (
    <div className={`editor ${historyOpen ? "with-panel" : ""}`}>
      <div className="editor-main">
        <div className="editor-bar">
          <button type="button" className="btn btn-ghost btn-sm" onClick={onClose} aria-label="Back to decisions">
            <Icon name="back" />Decisions
          </button>
          <span className="crumb-sep" aria-hidden="true">/</span>
          <span className="adr-num">{adrRef(adr.number)}</span>
          <StatusPill status={adr.status} />
          <span className={`save-state save-${saveState}`} role="status" aria-live="polite">
            <span className="save-dot" aria-hidden="true" />
            {SAVE_TEXT[saveState]}
          </span>
          <span className="spacer" />
          <button type="button" className="icon-btn" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={past.current.length === 0} onClick={undo}>
            <Icon name="undo" />
          </button>
          <button type="button" className="icon-btn" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={future.current.length === 0} onClick={redo}>
            <Icon name="redo" />
          </button>
          <button type="button" className={`btn btn-sm ${historyOpen ? "is-active" : ""}`} aria-pressed={historyOpen}
            onClick={() => setHistoryOpen((o) => !o)}>
            <Icon name="history" />History
          </button>
          <button type="button" className="btn btn-sm" aria-label="Supersede" disabled={adr.status.kind === "superseded"}
            onClick={() => setSupersedeOpen(true)}>
            <Icon name="swap" />Supersede…
          </button>
          <AdrSyncAction number={adr.number} revision={adr.revision} />
        </div>

        {saveState === "conflict" && (
          <div className="banner banner-warn" role="alert">
            <Icon name="alert" />
            <div className="banner-text">
              <strong>Someone else saved {adrRef(adr.number)} while you were editing.</strong>
              <span>Your changes are kept here and on this computer; nothing was lost. Choose which version to keep.</span>
            </div>
            <button type="button" className="btn btn-sm" onClick={reloadTheirs}>Reload theirs</button>
            <button type="button" className="btn btn-sm btn-primary" onClick={keepMine}>Keep mine (overwrite)</button>
          </div>
        )}
        {localOffer && (
          <div className="banner banner-info" role="alert">
            <Icon name="history" />
            <div className="banner-text">
              <strong>Unsaved changes found.</strong>
              <span>Edits from {relativeTime(localOffer.savedAt)} on this computer were never saved.</span>
            </div>
            <button type="button" className="btn btn-sm btn-primary" onClick={() => { update(() => localOffer.draft); setLocalOffer(null); }}>
              Restore unsaved changes
            </button>
            <button type="button" className="btn btn-sm" onClick={() => { clearLocalDrafts(id); setLocalOffer(null); }}>Discard</button>
          </div>
        )}

        <form className="editor-form" onSubmit={(e) => e.preventDefault()}
          onBlur={() => { if (dirtyRef.current) void save(); }}>
          <input className="title-input" aria-label="Title" value={draft.title} placeholder="Decision title"
            onChange={(e) => set("title")(e.target.value)} />

          {draft.links.length > 0 && (
            <div className="link-chips" role="group" aria-label="Links">
              {draft.links.map((l, i) => {
                const target = byNumber.get(l.target);
                return (
                  <button key={`${l.kind}-${l.target}-${i}`} type="button" className={`link-chip link-${l.kind}`}
                    disabled={!target} title={target?.title}
                    onClick={() => target && onOpen(target.id)}>
                    <Icon name="link" size={12} />
                    {LINK_LABEL[l.kind]} {adrRef(l.target)}
                    {/* The space (not drawn in the flex chip) keeps "ADR-0004" and the title apart in the name. */}
                    {target && <>{" "}<span className="link-chip-title">{target.title}</span></>}
                  </button>
                );
              })}
            </div>
          )}

          <div className="meta-grid">
            <div className="field">
              <label className="field-label" htmlFor="adr-status">Status</label>
              <select id="adr-status" aria-label="Status" className="select" value={statusLabel(draft.status)}
                disabled={adr.status.kind === "superseded"}
                onChange={(e) => set("status")(statusFromLabel(e.target.value))}>
                {targets.map((t) => <option key={statusLabel(t)} value={statusLabel(t)}>{statusLabel(t)}</option>)}
              </select>
            </div>
            <div className="field">
              <label className="field-label" htmlFor="adr-date">Date</label>
              <input id="adr-date" aria-label="Date" type="date" className="input" value={draft.date ?? ""}
                onChange={(e) => set("date")(e.target.value || null)} />
            </div>
            <TokenInput label="Decision makers" values={draft.decision_makers} onChange={set("decision_makers")} suggestions={peopleSuggestions} placeholder="Add a person…" />
            <TokenInput label="Consulted" values={draft.consulted} onChange={set("consulted")} suggestions={peopleSuggestions} placeholder="Add a person or team…" />
            <TokenInput label="Informed" values={draft.informed} onChange={set("informed")} suggestions={peopleSuggestions} placeholder="Add a person or team…" />
            <TokenInput label="Tags" values={draft.tags} onChange={set("tags")} suggestions={tagSuggestions} placeholder="Add a tag…" />
            <div className="meta-wide">
              <TokenInput label="Repositories" values={draft.repositories} onChange={set("repositories")} suggestions={repoSuggestions} placeholder="Add a repository…" />
            </div>
          </div>

          <MarkdownField label="Context and problem statement" value={draft.context} onChange={set("context")}
            placeholder="What is the issue motivating this decision?" />

          <section className="card-section" aria-label="Decision drivers">
            <div className="section-label">Decision drivers</div>
            <ListEditor label="Decision drivers" display="" items={draft.decision_drivers} onChange={set("decision_drivers")}
              addLabel="Add driver" placeholder="A force or concern that shapes the decision" />
          </section>

          <OptionsEditor options={draft.considered_options} onChange={set("considered_options")} />

          <MarkdownField label="Decision outcome" value={draft.decision_outcome} onChange={set("decision_outcome")}
            placeholder={'Chosen option: "…", because …'} />

          <section className="card-section" aria-label="Consequences">
            <div className="section-label">Consequences</div>
            <div className="consequences">
              <ListEditor label="Good consequences" display="Good" tone="good" items={draft.consequences.good}
                onChange={(good) => set("consequences")({ ...draft.consequences, good })} addLabel="Add good" placeholder="Good, because…" />
              <ListEditor label="Bad consequences" display="Bad" tone="bad" items={draft.consequences.bad}
                onChange={(bad) => set("consequences")({ ...draft.consequences, bad })} addLabel="Add bad" placeholder="Bad, because…" />
              <ListEditor label="Neutral consequences" display="Neutral" tone="neutral" items={draft.consequences.neutral}
                onChange={(neutral) => set("consequences")({ ...draft.consequences, neutral })} addLabel="Add neutral" placeholder="Neutral, because…" />
            </div>
          </section>

          <MarkdownField label="Confirmation" value={draft.confirmation} onChange={set("confirmation")}
            placeholder="How will compliance with this decision be confirmed?" />

          {draft.sections.map((s, i) => (
            <div key={i} className="extra-section">
              <div className="extra-section-head">
                <input className="input input-flat section-heading" aria-label={`Section ${i + 1} heading`} value={s.heading}
                  onChange={(e) => set("sections")(draft.sections.map((x, j) => (j === i ? { ...x, heading: e.target.value } : x)))} />
                <button type="button" className="icon-btn subtle" aria-label={`Remove section ${s.heading || i + 1}`}
                  onClick={() => set("sections")(draft.sections.filter((_, j) => j !== i))}>
                  <Icon name="trash" size={14} />
                </button>
              </div>
              <MarkdownField label={s.heading || `Section ${i + 1}`} value={s.body}
                onChange={(body) => set("sections")(draft.sections.map((x, j) => (j === i ? { ...x, body } : x)))} />
            </div>
          ))}
          <div>
            <button type="button" className="btn btn-sm" onClick={() => set("sections")([...draft.sections, { heading: "More information", level: 2, body: "" }])}>
              <Icon name="plus" size={14} />Add section
            </button>
          </div>
          <p className="editor-foot muted">
            Revision {adr.revision} · updated {relativeTime(adr.updated_at)}
            {adr.source_path ? <> · imported from <code>{adr.source_path}</code></> : null}
          </p>
        </form>
      </div>

      {historyOpen && (
        <HistoryPanel
          adr={adr}
          current={draft}
          version={historyVersion}
          onClose={() => setHistoryOpen(false)}
          onRestore={async (revision) => {
            await save();
            if (conflictRef.current) return;
            const base = adrRef_.current;
            if (!base) return;
            try {
              const restored = await api.restoreAdrRevision(base.id, revision, base.revision);
              adoptServer(restored);
              onChangedRef.current();
              toast.success(`Restored revision ${revision}`);
            } catch (e) {
              toast.error(e, "Could not restore");
            }
          }}
        />
      )}
      {supersedeOpen && (
        <SupersedeDialog
          adr={adr}
          all={all}
          onClose={() => setSupersedeOpen(false)}
          onSupersede={async (target) => {
            await save();
            if (conflictRef.current) throw new Error("Resolve the save conflict first.");
            const base = adrRef_.current;
            if (!base) return;
            let newId: string;
            if (target.kind === "existing") newId = target.id;
            else newId = (await api.createAdr(target.title, "madr4_full")).id;
            const result = await api.supersedeAdr(base.id, newId);
            const old = result.find((a) => a.id === base.id);
            const nu = result.find((a) => a.id === newId);
            if (old) adoptServer(old);
            onChangedRef.current();
            setSupersedeOpen(false);
            toast.success(`${adrRef(base.number)} is now superseded by ${nu ? adrRef(nu.number) : "the new ADR"}`);
            if (target.kind === "new") onOpen(newId);
          }}
        />
      )}
    </div>
  );
}
