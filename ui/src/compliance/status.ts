import type { Cell, ImplementationStatus } from "../api";

export const STATUSES: ImplementationStatus[] = ["implemented", "partial", "planned", "alternative", "not_applicable"];

const LABELS: Record<ImplementationStatus, string> = {
  implemented: "Implemented",
  partial: "Partial",
  planned: "Planned",
  alternative: "Alternative",
  not_applicable: "Not applicable",
};

export function statusLabel(s: ImplementationStatus): string {
  return LABELS[s];
}

export function cellKey(framework: string, control: string, repository: string): string {
  return `${framework}\u0000${control}\u0000${repository}`;
}

export function statusClass(cell: Cell | null): string {
  if (!cell || (cell.applicable && cell.status === null)) return "st-none";
  if (!cell.applicable) return "st-not_applicable";
  return `st-${cell.status ?? "none"}`;
}

/** A cell that still needs work: applicable and not (yet) met. */
export function isGap(cell: Cell | null): boolean {
  if (!cell) return true;
  if (!cell.applicable) return false;
  return cell.status !== "implemented" && cell.status !== "alternative" && cell.status !== "not_applicable";
}

/** Evidence collected longer ago than this is stale (as in the workbench). */
export const STALE_AFTER_DAYS = 365;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Column labels: the repositories' shared prefix (`plasma-engine-`) dropped. */
export function shortNames(names: string[]): Map<string, string> {
  let prefix = names.length > 1 ? names[0] ?? "" : "";
  for (const n of names) while (prefix && !n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf("-") + 1;
  return new Map(names.map((n) => [n, n.slice(cut) || n]));
}
