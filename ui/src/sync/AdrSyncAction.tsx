import { useEffect, useState } from "react";
import { api, type DocumentSyncStatus } from "../api";
import { Icon } from "../components/Dialog";
import { useToast } from "../components/Toasts";
import { SyncBadge } from "./SyncPage";

/** The ADR editor's sync status and "Publish as PR" (shown once a repository is linked). */
export function AdrSyncAction({ number, revision }: { number: number; revision: number }) {
  const toast = useToast();
  const [doc, setDoc] = useState<DocumentSyncStatus | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api.syncOverview().then(
      (o) => setDoc(o.status.documents.find((d) => d.key === `adr:${number}`) ?? null),
      () => setDoc(null),
    );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => void load(), [number, revision]);

  if (!doc) return null;
  const publish = async () => {
    setBusy(true);
    try {
      const r = await api.syncPublish({ kind: "adrs", value: [number] });
      const pr = r.published[0];
      if (pr) toast.success(`Draft pull request #${pr.pull_number} is open`);
      else if (r.queued.length) toast.success("GitHub is unreachable: the publish is queued");
      else if (r.refused.length) toast.error(r.refused.join("; "), "Publish refused");
      else toast.success("GitHub already has this version");
      await load();
    } catch (e) {
      toast.error(e, "Publish failed");
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="adr-sync">
      <SyncBadge doc={doc} />
      {doc.pull_url && <a href={doc.pull_url} target="_blank" rel="noreferrer noopener">{doc.pull_url.replace(/^.*\/pull\//, "PR #")}</a>}
      <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void publish()} title="Publishes the last saved revision as a draft pull request">
        <Icon name="export" />{busy ? "Publishing…" : "Publish as PR"}
      </button>
    </span>
  );
}
