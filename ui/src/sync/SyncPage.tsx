import { useCallback, useEffect, useRef, useState } from "react";
import {
  api,
  isConflict,
  type ConflictItem,
  type ConflictView,
  type ItemTake,
  type DocumentSyncStatus,
  type PublishTarget,
  type SignInPrompt,
  type SyncOverview,
  type SyncProgress,
  type Workspace,
} from "../api";
import { Dialog, Icon } from "../components/Dialog";
import { useToast } from "../components/Toasts";

const BADGES: Record<string, { label: string; tone: string }> = {
  not_published: { label: "Local only", tone: "muted" },
  in_review: { label: "PR open", tone: "info" },
  published: { label: "Merged", tone: "ok" },
  synced: { label: "Published", tone: "ok" },
  closed: { label: "PR closed", tone: "muted" },
  queued: { label: "Queued", tone: "warn" },
  conflict: { label: "Conflict", tone: "bad" },
  removed_remote: { label: "Removed on GitHub", tone: "warn" },
};

export function SyncBadge({ doc }: { doc: Pick<DocumentSyncStatus, "status" | "local_changes"> }) {
  const b = BADGES[doc.status] ?? { label: doc.status, tone: "muted" };
  return (
    <span className="sync-badges">
      <span className={`sync-badge tone-${b.tone}`}>{b.label}</span>
      {doc.local_changes && doc.status !== "not_published" && <span className="sync-badge tone-edit">Edited here</span>}
    </span>
  );
}

/** "adr:3" → the ADR number, for a publish target. */
function adrNumber(key: string): number | null {
  const m = /^adr:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

function targetFor(doc: DocumentSyncStatus): PublishTarget {
  const n = adrNumber(doc.key);
  // Every other document (threat model, matrix, roadmap, SLO) by its sync key.
  return n !== null ? { kind: "adrs", value: [n] } : { kind: "document", value: doc.key };
}

export function SyncPage({ workspace, version, onChanged }: { workspace: Workspace | null; version: number; onChanged: () => void }) {
  const toast = useToast();
  const [overview, setShownOverview] = useState<SyncOverview | null>(null);
  // A slow load (asking GitHub who is signed in) must not overwrite a newer
  // overview, e.g. the one a link returned meanwhile: only the latest counts.
  const generation = useRef(0);
  const setOverview = useCallback((o: SyncOverview) => {
    generation.current += 1;
    setShownOverview(o);
  }, []);
  const [busy, setBusy] = useState<string | null>(null);
  const [unlinking, setUnlinking] = useState(false);
  const [repo, setRepo] = useState("");
  const [base, setBase] = useState("main");
  const [apiUrl, setApiUrl] = useState("");
  const [editingLink, setEditingLink] = useState(false);
  const [prompt, setPrompt] = useState<SignInPrompt | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);

  const load = useCallback(() => {
    const asked = ++generation.current;
    api.syncOverview().then((o) => {
      if (asked === generation.current) setShownOverview(o);
    }, (e: unknown) => toast.error(e, "Could not load the sync status"));
  }, [toast]);

  useEffect(load, [load, version, workspace?.id]);

  const link = overview?.links[0] ?? null;
  useEffect(() => {
    if (link) {
      setRepo(link.repo);
      setBase(link.base_branch);
      setApiUrl(link.api_url === "https://api.github.com" ? "" : link.api_url);
    }
  }, [link]);

  async function run<T>(label: string, work: () => Promise<T>, done: (r: T) => void) {
    setBusy(label);
    setProgress(null);
    setCancelling(false);
    try {
      done(await work());
    } catch (e) {
      toast.error(e, `${label} failed`);
      // Another window or process changed what this page shows (a pull
      // rewrote a conflict): show it as it is now.
      if (isConflict(e)) load();
    } finally {
      setBusy(null);
      setProgress(null);
      setCancelling(false);
    }
  }

  const cancel = () => {
    setCancelling(true);
    api.syncCancel().catch((e: unknown) => toast.error(e, "Could not cancel"));
  };

  const submitLink = (e: React.FormEvent) => {
    e.preventDefault();
    void run("Linking", () => api.syncLink(repo.trim(), base.trim() || null, apiUrl.trim() || null), (o) => {
      setOverview(o);
      setEditingLink(false);
      toast.success(`Linked ${repo.trim()}`);
    });
  };

  const signIn = () =>
    run("Sign-in", api.syncSignInStart, (p) => {
      setPrompt(p);
      api.syncSignInFinish().then(
        (account) => {
          setPrompt(null);
          toast.success(`Signed in as ${account.login ?? "your GitHub account"}`);
          load();
        },
        (e: unknown) => {
          setPrompt(null);
          toast.error(e, "Sign-in failed");
        },
      );
    });

  const publish = (target: PublishTarget, what: string) =>
    run(`Publishing ${what}`, () => api.syncPublish(target, setProgress), (r) => {
      const parts = [
        r.cancelled && "Cancelled; the rest was not sent",
        r.published.length && `${r.published.length} pull request${r.published.length > 1 ? "s" : ""} opened or updated`,
        r.queued.length && `${r.queued.length} queued (GitHub unreachable)`,
        r.refused.length && `${r.refused.length} refused by a conflict`,
        r.up_to_date.length && `${r.up_to_date.length} already up to date`,
      ].filter(Boolean);
      toast.success(parts.join(" · ") || "Nothing to publish");
      setSelected(new Set());
      load();
    });

  const pull = () =>
    run("Pulling", () => api.syncPull(setProgress), (r) => {
      const parts = [
        r.cancelled && "Cancelled; the next pull reads the rest",
        r.base_unchanged && "GitHub has no new changes",
        r.taken.length + r.merged.length && `${r.taken.length + r.merged.length} updated from GitHub`,
        r.imported.length && `${r.imported.length} imported`,
        r.conflicts.length && `${r.conflicts.length} conflict${r.conflicts.length > 1 ? "s" : ""} to resolve`,
        r.pull_requests.length && r.pull_requests.join(", "),
      ].filter(Boolean);
      toast.success(parts.join(" · ") || "Up to date");
      for (const n of r.notices) toast.info(n);
      load();
      onChanged();
    });

  const resolve = (c: ConflictView, side: "local" | "remote") =>
    run("Resolving", () => api.syncResolve(c.key, side, c.version), () => {
      toast.success(side === "local" ? `Kept your version of ${c.key}` : `Took GitHub's version of ${c.key}`);
      load();
      onChanged();
    });

  const resolveItems = (c: ConflictView, choices: Record<string, ItemTake>) =>
    run("Resolving", () => api.syncResolveItems(c.key, Object.entries(choices).map(([item, take]) => ({ item, take })), c.version), (left) => {
      toast.success(left.items.length === 0 ? `Resolved ${c.key}; saved as a new revision`
        : `${left.items.length} item${left.items.length === 1 ? "" : "s"} of ${c.key} still to resolve`);
      load();
      onChanged();
    });

  const docs = overview?.status.documents ?? [];
  const toggle = (key: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const selectedAdrs = docs.filter((d) => selected.has(d.key)).map((d) => adrNumber(d.key)).filter((n): n is number => n !== null);

  return (
    <div className="page sync-page">
      <header className="page-header">
        <div>
          <h1>GitHub sync</h1>
          <p className="page-sub">Publish decisions, threat models, compliance matrices, the roadmap and SLOs as draft pull requests, and bring reviewers' edits back.</p>
        </div>
        {link && (
          <div className="page-actions">
            <button type="button" className="btn" onClick={pull} disabled={busy !== null}>
              <Icon name="import" /> Pull
            </button>
            <button type="button" className="btn btn-primary" disabled={busy !== null}
              onClick={() => (selectedAdrs.length ? publish({ kind: "adrs", value: selectedAdrs }, `${selectedAdrs.length} selected`) : publish({ kind: "all" }, "all changes"))}>
              <Icon name="export" /> {selectedAdrs.length ? `Publish ${selectedAdrs.length} selected` : "Publish all changes"}
            </button>
          </div>
        )}
      </header>

      {busy && (
        <div className="sync-progress" role="status" aria-label="Sync progress">
          <span className="spinner" aria-hidden="true" />
          <span className="sync-progress-label">{cancelling ? "Cancelling after the current request" : busy}…</span>
          {progress && (
            <>
              <progress className="sync-progress-bar" max={Math.max(progress.total, 1)} value={Math.min(progress.step, progress.total)}
                aria-label={`${progress.step} of ${progress.total}`} />
              <span className="sync-progress-count">{progress.step} of {progress.total}</span>
              <span className="sync-progress-detail muted" title={progress.request}>
                {progress.document && <strong>{progress.document}</strong>} {progress.request}
              </span>
            </>
          )}
          {(busy.startsWith("Publishing") || busy === "Pulling") && (
            <button type="button" className="btn btn-small" onClick={cancel} disabled={cancelling}>Cancel</button>
          )}
        </div>
      )}

      <div className="sync-cards">
        <section className="card" aria-labelledby="sync-repo-h">
          <h2 id="sync-repo-h"><Icon name="link" /> Repository</h2>
          {link && !editingLink ? (
            <div className="sync-link">
              <div className="sync-repo-name">{link.repo}</div>
              <div className="muted">base <code>{link.base_branch}</code> · {link.api_url}</div>
              {link.last_commit && <div className="muted">last pulled <code>{link.last_commit.slice(0, 7)}</code></div>}
              <div className="form-actions">
                <button type="button" className="btn btn-small" onClick={() => setEditingLink(true)}>Change</button>
                <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setUnlinking(true)}>Unlink</button>
              </div>
            </div>
          ) : (
            <form className="sync-form" onSubmit={submitLink} aria-label="Link a repository">
              <label>Repository<input className="input" value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="owner/repo" required /></label>
              <label>Base branch<input className="input" value={base} onChange={(e) => setBase(e.target.value)} placeholder="main" /></label>
              <label>API URL <span className="muted">(GitHub Enterprise only)</span><input className="input" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://api.github.com" /></label>
              <div className="form-actions">
                {link && <button type="button" className="btn" onClick={() => setEditingLink(false)}>Cancel</button>}
                <button type="submit" className="btn btn-primary" disabled={busy !== null || !repo.trim()}>Link repository</button>
              </div>
            </form>
          )}
        </section>

        <section className="card" aria-labelledby="sync-account-h">
          <h2 id="sync-account-h"><Icon name="shield" /> GitHub account</h2>
          {prompt ? (
            <div className="device-code">
              <p>Open <a href={prompt.verification_uri} target="_blank" rel="noreferrer noopener">{prompt.verification_uri}</a> and enter this code:</p>
              <div className="user-code" aria-label="Device code">{prompt.user_code}</div>
              <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(prompt.user_code)}>Copy code</button>
              <p className="muted">Waiting for approval… the code expires in {Math.round(prompt.expires_in / 60)} minutes.</p>
            </div>
          ) : overview?.account ? (
            <div className="sync-link">
              <div className="sync-repo-name">{overview.account.login ?? "Signed in"}</div>
              <div className="muted">{overview.account.api_url} · {overview.account.from_environment ? "token from GITHUB_TOKEN" : "token kept in the OS keychain"}</div>
              {!overview.account.from_environment && <button type="button" className="btn btn-small" disabled={busy !== null}
                onClick={() => void run("Signing out", api.syncSignOut, (o) => { setOverview(o); toast.success("Signed out"); })}>Sign out</button>}
            </div>
          ) : (
            <div className="sync-link">
              <p className="muted">Not signed in. The token goes straight into the OS keychain; Plasma Plan never shows or stores it.</p>
              <button type="button" className="btn btn-primary" onClick={() => void signIn()} disabled={busy !== null}>Sign in with GitHub</button>
            </div>
          )}
        </section>
      </div>

      {overview && overview.conflicts.length > 0 && (
        <section className="card conflicts" aria-labelledby="sync-conflicts-h">
          <h2 id="sync-conflicts-h"><Icon name="alert" /> Conflicts ({overview.conflicts.length})</h2>
          {overview.conflicts.map((c) => (
            <ConflictCard key={`${c.key}:${c.items.map((i) => i.item).join("|")}`} conflict={c}
              title={docs.find((d) => d.key === c.key)?.title ?? c.key} busy={busy !== null}
              onWhole={(side) => void resolve(c, side)} onApply={(choices) => void resolveItems(c, choices)} />
          ))}
        </section>
      )}

      {link && (
        <section className="card" aria-labelledby="sync-docs-h">
          <h2 id="sync-docs-h"><Icon name="doc" /> Documents
            <span className="muted sync-counts">
              {overview?.status.queued ? ` · ${overview.status.queued} queued` : ""}
              {overview?.status.conflicts ? ` · ${overview.status.conflicts} in conflict` : ""}
            </span>
          </h2>
          {docs.length > 0 && <div className="sync-table-wrap">
            <table className="sync-table" aria-label="Sync status">
              <thead><tr><th className="col-check"><span className="sr-only">Select</span></th><th>Document</th><th>Path</th><th>Status</th><th>Pull request</th><th /></tr></thead>
              <tbody>
                {docs.map((d) => (
                  <tr key={d.key}>
                    <td className="col-check">
                      {adrNumber(d.key) !== null && <input type="checkbox" aria-label={`Select ${d.title}`} checked={selected.has(d.key)} onChange={() => toggle(d.key)} />}
                    </td>
                    <td>{d.title}{d.last_error && <div className="row-note" title={d.last_error}>{d.last_error}</div>}</td>
                    <td><code className="muted">{d.path}</code></td>
                    <td><SyncBadge doc={d} /></td>
                    <td>{d.pull_url ? <a href={d.pull_url} target="_blank" rel="noreferrer noopener">{d.pull_url.replace(/^.*\/pull\//, "#")}</a> : <span className="muted">—</span>}</td>
                    <td><button type="button" className="btn btn-small" disabled={busy !== null} aria-label={`Publish ${d.title}`} onClick={() => void publish(targetFor(d), d.title)}>Publish</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>}
          {docs.length === 0 && <p className="muted">No documents in this workspace yet.</p>}
        </section>
      )}
      {unlinking && link && (
        <Dialog label="Unlink repository" title={`Unlink ${link.repo}?`} width="sm" onClose={() => setUnlinking(false)}
          footer={<><button type="button" className="btn" onClick={() => setUnlinking(false)}>Cancel</button>
            <button type="button" className="btn btn-primary" onClick={() => {
              const r = link.repo;
              setUnlinking(false);
              void run("Unlinking", () => api.syncUnlink(r), (o) => { setOverview(o); toast.success(`Unlinked ${r}`); });
            }}>Unlink</button></>}>
          <p>Plasma Plan forgets what it published to {link.repo}: branches, pull requests and merge bases. Your records stay as
            they are and nothing on GitHub is deleted; linking it again starts afresh. Refused while conflicts or queued publishes wait.</p>
        </Dialog>
      )}
      {!link && overview && <p className="muted sync-hint">Link a repository to see what is published.</p>}
      {overview === null && busy === null && <p className="muted">Loading…</p>}
    </div>
  );
}

/** "section:decision outcome" → "Section: decision outcome"; JSON paths stay as they are. */
function itemLabel(item: string): string {
  if (item === "preamble") return "Title and front matter";
  const m = /^section:(.*)$/.exec(item);
  return m ? `Section: ${m[1]}` : item;
}

function ConflictCard({ conflict: c, title, busy, onWhole, onApply }: {
  conflict: ConflictView;
  title: string;
  busy: boolean;
  onWhole: (side: "local" | "remote") => void;
  onApply: (choices: Record<string, ItemTake>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, ItemTake>>({});
  const chosen = c.items.filter((i) => choices[i.item]).length;
  const choose = (item: string, take: ItemTake | null) =>
    setChoices((all) => {
      const next = { ...all };
      if (take) next[item] = take;
      else delete next[item];
      return next;
    });
  return (
    <article className="conflict" aria-label={`Conflict in ${c.key}`}>
      <header className="conflict-head">
        <strong>{title}</strong>
        <span className="muted">{c.items.length} item{c.items.length === 1 ? "" : "s"} changed on both sides</span>
        <span className="spacer" />
        <button type="button" className="btn" disabled={busy} onClick={() => onWhole("local")}>Keep all mine</button>
        <button type="button" className="btn" disabled={busy} onClick={() => onWhole("remote")}>Take all theirs</button>
      </header>
      {c.items.map((i) => (
        <ConflictItemRow key={i.item} item={i} take={choices[i.item] ?? null} onChoose={(t) => choose(i.item, t)} />
      ))}
      <footer className="conflict-foot">
        <span className="muted">{chosen} of {c.items.length} item{c.items.length === 1 ? "" : "s"} chosen</span>
        <button type="button" className="btn btn-primary" disabled={busy || chosen === 0} onClick={() => onApply(choices)}>
          {chosen === c.items.length ? "Apply choices" : "Apply chosen items"}
        </button>
      </footer>
    </article>
  );
}

function ConflictItemRow({ item: i, take, onChoose }: { item: ConflictItem; take: ItemTake | null; onChoose: (t: ItemTake | null) => void }) {
  const label = itemLabel(i.item);
  const side = (name: string, text: string | null, kind: "mine" | "theirs" | null) => {
    const on = take?.kind === kind && kind !== null;
    return (
      <div className={`conflict-side${on ? " chosen" : ""}`}>
        <div className="side-h">{name}</div>
        <pre>{text ?? "(absent)"}</pre>
        {kind && (
          <button type="button" className={`btn btn-small${on ? " btn-primary" : ""}`} aria-pressed={on}
            onClick={() => onChoose(on ? null : { kind })}>
            {kind === "mine" ? "Use mine" : "Use theirs"}
          </button>
        )}
      </div>
    );
  };
  return (
    <div className="conflict-item" role="group" aria-label={label}>
      <div className="conflict-label">{label}</div>
      <div className="conflict-sides three">
        {side("Base (last sync)", i.base, null)}
        {side("Mine (this app)", i.local, "mine")}
        {side("Theirs (GitHub)", i.remote, "theirs")}
      </div>
      {take?.kind === "edited" ? (
        <div className="conflict-edit">
          <label className="side-h" htmlFor={`edit-${i.item}`}>Merged text</label>
          <textarea id={`edit-${i.item}`} className="input" rows={Math.min(12, Math.max(3, take.text.split("\n").length + 1))}
            aria-label={`Merged text for ${label}`} value={take.text}
            onChange={(e) => onChoose({ kind: "edited", text: e.target.value })} />
          <button type="button" className="btn btn-small" onClick={() => onChoose(null)}>Discard edit</button>
        </div>
      ) : (
        <button type="button" className="btn btn-small conflict-edit-btn"
          onClick={() => onChoose({ kind: "edited", text: i.local ?? i.remote ?? "" })}>
          {i.text ? "Edit merged text" : "Edit merged value (JSON)"}
        </button>
      )}
    </div>
  );
}
