import type { AdrStatus } from "../api";
import { statusLabel } from "../lib/format";

export function StatusPill({ status }: { status: AdrStatus | string }) {
  const label = typeof status === "string" ? status : statusLabel(status);
  const kind = typeof status === "string" ? status.toLowerCase() : status.kind;
  return <span className={`pill pill-${kind}`}>{label}</span>;
}
