import { useEffect, useRef, useState } from "react";
import { api, errorMessage, type Repository, type Workspace } from "../api";
import { Dialog, Icon } from "./Dialog";
import { useToast } from "./Toasts";

const NEW = "__new__";

export function WorkspaceSwitcher({ workspaces, current, onSwitched, onEdited }: {
  workspaces: Workspace[];
  current: Workspace | null;
  onSwitched: (w: Workspace) => void;
  /** The current workspace was renamed or its repositories changed. */
  onEdited: (w: Workspace) => void;
}) {
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  return (
    <div className="ws-switcher">
      <label className="sidebar-label" htmlFor="ws-select">Workspace</label>
      <div className="ws-row">
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
        <button type="button" className="icon-btn" aria-label="Edit workspace…" title="Edit workspace: name, description, repositories"
          disabled={!current} onClick={() => setEditing(true)}>
          <Icon name="pencil" />
        </button>
      </div>
      {editing && current && (
        <EditWorkspaceDialog
          workspace={current}
          onClose={() => setEditing(false)}
          onSaved={(w) => {
            setEditing(false);
            onEdited(w);
            toast.success(`Saved workspace "${w.name}"`);
          }}
        />
      )}
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

/**
 * Name, description and repositories of `workspace`, saved as one edit. A
 * refusal (a name taken, a repository records still name) is shown here and
 * what was typed stays.
 */
function EditWorkspaceDialog({ workspace, onClose, onSaved }: {
  workspace: Workspace;
  onClose: () => void;
  onSaved: (w: Workspace) => void;
}) {
  const [name, setName] = useState(workspace.name);
  const [description, setDescription] = useState(workspace.description);
  const [repos, setRepos] = useState<Repository[]>(workspace.repositories);
  const [adding, setAdding] = useState("");
  const [addingDescription, setAddingDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);
  // A refusal sits below the list; bring it into view in a scrolled dialog.
  useEffect(() => { if (error) alertRef.current?.scrollIntoView({ block: "nearest" }); }, [error]);
  const isNew = (r: string) => !workspace.repositories.some((x) => x.name === r);

  const add = () => {
    const repo = adding.trim();
    if (!repo) return;
    if (repos.some((r) => r.name.toLowerCase() === repo.toLowerCase())) {
      setError(`"${repo}" is already in the list.`);
      return;
    }
    setRepos([...repos, { name: repo, description: addingDescription.trim() }]);
    setAdding("");
    setAddingDescription("");
    setError(null);
  };

  const addOnEnter = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    }
  };

  const save = () => {
    setBusy(true);
    setError(null);
    const kept = new Set(repos.map((r) => r.name));
    api.updateWorkspace(workspace.id, {
      name: name.trim() === workspace.name ? null : name,
      description: description === workspace.description ? null : description,
      add_repositories: repos.filter((r) => isNew(r.name)),
      remove_repositories: workspace.repositories.filter((r) => !kept.has(r.name)).map((r) => r.name),
    }).then(onSaved, (e: unknown) => {
      setError(errorMessage(e));
      setBusy(false);
    });
  };

  return (
    <Dialog label="Edit workspace" title="Edit workspace" onClose={onClose} width="md"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" form="edit-ws" className="btn btn-primary" disabled={!name.trim() || busy}>Save</button>
        </>
      }>
      <form id="edit-ws" className="form" onSubmit={(e) => { e.preventDefault(); save(); }}>
        <div className="field">
          <label className="field-label" htmlFor="ws-edit-name">Name</label>
          <input id="ws-edit-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="ws-edit-description">Description</label>
          <textarea id="ws-edit-description" className="input" rows={3} value={description}
            onChange={(e) => setDescription(e.target.value)} />
        </div>
        <fieldset className="field">
          <legend className="field-label">Repositories</legend>
          {repos.length ? (
            <ul className="ws-repos" aria-label="Repositories">
              {repos.map((r) => (
                <li key={r.name}>
                  <span className="ws-repo-name">{r.name}</span>
                  {isNew(r.name) && <span className="chip">new</span>}
                  {r.description && <span className="ws-repo-desc">{r.description}</span>}
                  <button type="button" className="icon-btn subtle" aria-label={`Remove ${r.name}`} title={`Remove ${r.name}`}
                    onClick={() => setRepos(repos.filter((x) => x.name !== r.name))}>
                    <Icon name="x" />
                  </button>
                </li>
              ))}
            </ul>
          ) : <p className="hint">No repositories.</p>}
          <div className="input-row">
            <input className="input" aria-label="Repository to add" placeholder="e.g. payments-api" value={adding}
              onChange={(e) => setAdding(e.target.value)} onKeyDown={addOnEnter} />
            <input className="input" aria-label="What the repository holds" placeholder="What it holds (optional)" value={addingDescription}
              onChange={(e) => setAddingDescription(e.target.value)} onKeyDown={addOnEnter} />
            <button type="button" className="btn" disabled={!adding.trim()} onClick={add}>Add repository</button>
          </div>
          <span className="hint">A repository that ADRs, compliance cells, threat models or initiatives still name cannot be removed.</span>
        </fieldset>
        {error && <p ref={alertRef} className="error-text" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
