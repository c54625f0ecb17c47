import { useState } from "react";
import { api, type Workspace } from "../api";
import { Dialog } from "./Dialog";
import { useToast } from "./Toasts";

const NEW = "__new__";

export function WorkspaceSwitcher({ workspaces, current, onSwitched }: {
  workspaces: Workspace[];
  current: Workspace | null;
  onSwitched: (w: Workspace) => void;
}) {
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  return (
    <div className="ws-switcher">
      <label className="sidebar-label" htmlFor="ws-select">Workspace</label>
      <select
        id="ws-select"
        aria-label="Workspace"
        className="select ws-select"
        value={current?.id ?? ""}
        onChange={(e) => {
          const id = e.target.value;
          if (id === NEW) {
            setCreating(true);
            return;
          }
          api.switchWorkspace(id).then(onSwitched, (err: unknown) => toast.error(err, "Could not switch workspace"));
        }}
      >
        {workspaces.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
        <option value={NEW}>New workspace…</option>
      </select>
      {creating && (
        <NewWorkspaceDialog
          onClose={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            onSwitched(w);
          }}
        />
      )}
    </div>
  );
}

function NewWorkspaceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (w: Workspace) => void }) {
  const [name, setName] = useState("");
  const [repos, setRepos] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    setBusy(true);
    const list = repos.split(/[\n,]/).map((r) => r.trim()).filter(Boolean);
    api.createWorkspace(name.trim(), list).then(onCreated, (e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    });
  };
  return (
    <Dialog label="New workspace" title="New workspace" onClose={onClose} width="sm"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" form="new-ws" className="btn btn-primary" disabled={!name.trim() || busy}>Create workspace</button>
        </>
      }>
      <form id="new-ws" className="form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <label className="field-label" htmlFor="ws-name">Name</label>
          <input id="ws-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Payments platform" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="ws-repos">Repositories</label>
          <textarea id="ws-repos" className="input" rows={4} value={repos} onChange={(e) => setRepos(e.target.value)}
            placeholder={"one per line, e.g.\npayments-api\npayments-web"} />
          <span className="hint">One repository name per line (or comma separated).</span>
        </div>
        {error && <p className="error-text" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
