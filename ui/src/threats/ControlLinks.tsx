// The compliance controls a threat (or one of its mitigations) satisfies.
// The link lives on the compliance matrix cell, so it shows on both sides.
import { useEffect, useState } from "react";
import { api, type Mitigation, type ThreatControlLink, type Workspace } from "../api";
import { useToast } from "../components/Toasts";
import { statusLabel } from "../compliance/status";


type Props = { modelId: string; threatId: string; mitigations: Mitigation[] };

export function ControlLinks({ modelId, threatId, mitigations }: Props) {
  const toast = useToast();
  const [links, setLinks] = useState<ThreatControlLink[] | null>(null);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [control, setControl] = useState("");
  const [repository, setRepository] = useState("");
  const [mitigation, setMitigation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.threatControlLinks(modelId, threatId).then(
      (l) => live && setLinks(l),
      // A threat not saved yet has no links; anything else is worth saying.
      (e: unknown) => { if (live) { setLinks([]); if ((e as { code?: string }).code !== "not_found") toast.error(e, "Could not load control links"); } },
    );
    api.currentWorkspace().then((w) => live && setWorkspace(w), () => undefined);
    return () => { live = false; };
  }, [modelId, threatId, toast]);

  const edit = (c: string, repo: string, m: string) => ({
    model: modelId, threat: threatId, mitigation: m, control: c.trim(), repositories: repo ? [repo] : [],
  });
  const link = async () => {
    if (!control.trim()) { setError("Name a control, e.g. SDLC-06 or iso27001-2022:A.8.4"); return; }
    setBusy(true);
    try {
      setLinks(await api.linkThreatControl(edit(control, repository, mitigation)));
      setControl("");
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const unlink = async (l: ThreatControlLink) => {
    try {
      setLinks(await api.unlinkThreatControl(edit(l.control, l.repository, l.mitigation)));
    } catch (e) {
      toast.error(e, "Could not remove the link");
    }
  };

  return (
    <div className="field control-links" role="group" aria-label="Compliance controls">
      <span className="field-label">Compliance controls</span>
      {links === null ? <p className="muted small">Loading…</p>
        : links.length === 0 ? <p className="muted small">No control cites this threat yet.</p>
        : (
          <ul className="link-list">
            {links.map((l) => (
              <li key={`${l.control}|${l.repository}|${l.mitigation}`}>
                <span className="mono">{l.control}</span>
                <span className={`cl-status st-${l.status ?? "none"}`}>{l.status ? statusLabel(l.status) : "Not assessed"}</span>
                <button type="button" className="icon-btn" aria-label={`Unlink ${l.control} in ${l.repository}`} onClick={() => void unlink(l)}>×</button>
                <span className="link-title">{l.title}</span>
                <span className="link-where muted small">{l.repository}{l.mitigation && ` · ${l.mitigation}`}</span>
              </li>
            ))}
          </ul>
        )}
      <input className="input mono" aria-label="Control to link" placeholder="Control, e.g. SDLC-06" value={control}
          onChange={(e) => setControl(e.target.value)} onKeyDown={(e) => { if (e.key === "Enter") void link(); }} />
      <div className="input-row">
        <select className="select" aria-label="Repository to link in" value={repository} onChange={(e) => setRepository(e.target.value)}>
          <option value="">All repositories</option>
          {(workspace?.repositories ?? []).map((r) => <option key={r.name} value={r.name}>{r.name}</option>)}
        </select>
        {mitigations.length > 0 && (
          <select className="select" aria-label="Satisfied by" value={mitigation} onChange={(e) => setMitigation(e.target.value)}>
            <option value="">The whole threat</option>
            {mitigations.filter((m) => m.title.trim()).map((m) => <option key={m.id} value={m.title}>{m.title}</option>)}
          </select>
        )}
        <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void link()}>Link control</button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
    </div>
  );
}
