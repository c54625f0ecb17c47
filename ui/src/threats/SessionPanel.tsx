// A threat session: the reviewer walks the team element by element through
// the STRIDE categories that apply, rules on each suggested threat, adds new
// ones and notes, pauses and resumes, and ends with the minutes.
import { useCallback, useEffect, useState } from "react";
import { api, type SessionView, type ThreatModel } from "../api";
import { MarkdownPreview, useRenderedMarkdown } from "../components/MarkdownPreview";
import { useToast } from "../components/Toasts";
import { plural } from "../lib/format";
import { STRIDE_LABEL, targetName } from "./ThreatsPanel";

type Props = {
  model: ThreatModel;
  selected: Set<string>;
  /** Saves pending edits first; false when the model could not be saved. */
  beforeStart: () => Promise<boolean>;
  /** The model's revision after a step (a rejection or an added threat changes it). */
  onModelRevision: (revision: number) => Promise<void>;
  onFocusTarget: (id: string) => void;
};

function Minutes({ markdown }: { markdown: string }) {
  const { html } = useRenderedMarkdown(markdown, 0);
  return <MarkdownPreview html={html} label="Session minutes" />;
}

export function SessionPanel({ model, selected, beforeStart, onModelRevision, onFocusTarget }: Props) {
  const toast = useToast();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [view, setView] = useState<SessionView | null>(null);
  const [participants, setParticipants] = useState("");
  const [onlySelected, setOnlySelected] = useState(false);
  const [note, setNote] = useState("");
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [newTitle, setNewTitle] = useState("");
  const [minutes, setMinutes] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.listThreatSessions(model.id).then(
      (list) => {
        setSessions(list);
        setView((v) => v ?? list.find((s) => s.session.state !== "ended") ?? null);
      },
      (e: unknown) => toast.error(e, "Could not load sessions"),
    );
  }, [model.id, toast]);
  useEffect(load, [load]);

  const step = async (f: (v: SessionView) => Promise<SessionView>) => {
    if (!view) return;
    setBusy(true);
    try {
      const next = await f(view);
      setView(next);
      await onModelRevision(next.model_revision);
      if (next.current) onFocusTarget(next.current.target.id);
      if (next.session.state === "ended") {
        setMinutes(await api.sessionMinutes(next.session.id));
        load();
      }
    } catch (e) {
      toast.error(e);
      if (e instanceof Error && "code" in e && (e as { code: string }).code === "conflict") {
        setView(await api.threatSession(view.session.id));
      }
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!(await beforeStart())) return;
    const scope = onlySelected ? [...selected] : [];
    setBusy(true);
    try {
      const v = await api.startThreatSession(model.id, participants.split(",").map((p) => p.trim()).filter(Boolean), scope);
      setView(v);
      setMinutes(null);
      if (v.current) onFocusTarget(v.current.target.id);
      load();
    } catch (e) {
      toast.error(e, "Could not start the session");
    } finally {
      setBusy(false);
    }
  };

  if (minutes !== null) {
    return (
      <div className="panel-body session-panel">
        <div className="panel-actions">
          <button type="button" className="btn btn-sm" onClick={() => { setMinutes(null); setView(null); }}>Back to sessions</button>
        </div>
        <Minutes markdown={minutes} />
      </div>
    );
  }

  if (!view || view.session.state === "ended") {
    const past = (sessions ?? []).filter((s) => s.session.state === "ended");
    return (
      <div className="panel-body session-panel">
        <p className="muted small">A guided walk: every element, then every flow, through the STRIDE categories that apply to it.</p>
        <label className="field"><span className="field-label">Participants (comma separated)</span>
          <input className="input" aria-label="Participants" value={participants} placeholder="Ana (security), Bo (backend)" onChange={(e) => setParticipants(e.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={onlySelected && selected.size > 0} disabled={selected.size === 0} onChange={(e) => setOnlySelected(e.target.checked)} />
          <span>{selected.size === 0 ? "Only the selected items (select some on the diagram to narrow the scope)" : `Only the ${plural(selected.size, "selected item")}`}</span></label>
        <div className="panel-actions">
          <button type="button" className="btn btn-primary btn-sm" disabled={busy} onClick={() => void start()}>Start session</button>
        </div>
        {past.length > 0 && (
          <>
            <h3 className="panel-h">Earlier sessions</h3>
            <ul className="plain-list">
              {past.map((s) => (
                <li key={s.session.id}>
                  {new Date(s.started_at).toLocaleString()} · {s.session.participants.join(", ") || "no participants recorded"}
                  <button type="button" className="link-btn" onClick={() => api.sessionMinutes(s.session.id).then(setMinutes, (e: unknown) => toast.error(e))}>Minutes</button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    );
  }

  const s = view.session;
  const paused = s.state === "paused";
  const total = s.steps.length;
  const at = Math.min(s.cursor + 1, total);
  const id = s.id;
  return (
    <div className="panel-body session-panel" aria-label="Threat session">
      <div className="session-progress">
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={s.cursor} aria-label="Session progress">
          <span style={{ width: `${total ? (s.cursor / total) * 100 : 0}%` }} />
        </div>
        <span className="muted small">Step {at} of {total}{paused ? " · paused" : ""}</span>
      </div>
      {view.current ? (
        <div className="session-step" role="status">
          <div className="step-target">{view.current.target_name || targetName(model, view.current.target.id)}</div>
          <div className="step-category">{STRIDE_LABEL[view.current.category]}</div>
        </div>
      ) : (
        <div className="session-step" role="status"><div className="step-target">The walk is complete</div><div className="muted small">End the session to write the minutes.</div></div>
      )}
      {view.current && (
        <>
          <h3 className="panel-h">Suggested threats</h3>
          {view.suggestions.length === 0 && <p className="muted small">Nothing left to rule on here.</p>}
          <ul className="suggestions">
            {view.suggestions.map((t) => (
              <li key={t.id}>
                <div className="suggestion-head"><span className={`sev sev-${t.severity}`}>{t.severity}</span> {t.title}</div>
                {rejecting === t.id ? (
                  <div className="input-row">
                    <input className="input" aria-label="Reason" placeholder="Why it does not apply" value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />
                    <button type="button" className="btn btn-sm" disabled={!reason.trim() || busy || paused}
                      onClick={() => void step((v) => api.sessionRule(id, v.version, t.id, { kind: "reject", reason })).then(() => { setRejecting(null); setReason(""); })}>Reject</button>
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => setRejecting(null)}>Cancel</button>
                  </div>
                ) : (
                  <div className="input-row">
                    <button type="button" className="btn btn-sm" disabled={busy || paused} onClick={() => void step((v) => api.sessionRule(id, v.version, t.id, { kind: "confirm" }))}>Confirm</button>
                    <button type="button" className="btn btn-sm btn-ghost" disabled={busy || paused} onClick={() => { setRejecting(t.id); setReason(""); }}>Reject…</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
          <div className="input-row">
            <input className="input" aria-label="New threat in this step" placeholder="A threat the rules missed" value={newTitle} onChange={(e) => setNewTitle(e.target.value)} />
            <button type="button" className="btn btn-sm" disabled={!newTitle.trim() || busy || paused}
              onClick={() => {
                const cur = view.current;
                if (!cur) return;
                void step((v) => api.sessionAddThreat(id, v.version, { title: newTitle, category: cur.category, target: cur.target, description: "", likelihood: "medium", impact: "medium" })).then(() => setNewTitle(""));
              }}>Add threat</button>
          </div>
        </>
      )}
      <div className="input-row">
        <input className="input" aria-label="Note" placeholder="Note for the minutes" value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="button" className="btn btn-sm" disabled={!note.trim() || busy || paused} onClick={() => void step((v) => api.sessionNote(id, v.version, note)).then(() => setNote(""))}>Add note</button>
      </div>
      <div className="panel-actions session-actions">
        {view.current && <button type="button" className="btn btn-primary btn-sm" disabled={busy || paused} onClick={() => void step((v) => api.sessionNext(id, v.version))}>Next step</button>}
        {paused ? (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void step((v) => api.sessionResume(id, v.version))}>Resume</button>
        ) : (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void step((v) => api.sessionPause(id, v.version))}>Pause</button>
        )}
        <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => void step((v) => api.sessionEnd(id, v.version))}>End session</button>
      </div>
      <details className="session-log">
        <summary>Log ({s.log.length})</summary>
        <ol>{s.log.map((e, i) => <li key={i}><span className="muted">{new Date(e.at).toLocaleTimeString()}</span> {e.event.kind}{"title" in e.event ? `: ${e.event.title}` : ""}{"text" in e.event ? `: ${e.event.text}` : ""}</li>)}</ol>
      </details>
    </div>
  );
}
