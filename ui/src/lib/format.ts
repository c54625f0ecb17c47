import type { Adr, AdrDraft, AdrStatus, LinkKind } from "../api";

export const adrRef = (n: number) => `ADR-${String(n).padStart(4, "0")}`;

export const statusLabel = (s: AdrStatus) => (s.kind === "custom" ? s.label : s.kind);

export const STATUS_ORDER = ["draft", "proposed", "accepted", "rejected", "deprecated", "superseded"] as const;

export function statusFromLabel(label: string): AdrStatus {
  const l = label.toLowerCase();
  if ((STATUS_ORDER as readonly string[]).includes(l) && l !== "custom") {
    return { kind: l } as AdrStatus;
  }
  return { kind: "custom", label };
}

/** Targets the Rust lifecycle accepts from `from` (mirrors models::AdrStatus::check_transition). */
export function statusTargets(from: AdrStatus): AdrStatus[] {
  const map: Record<string, string[]> = {
    draft: ["draft", "proposed", "accepted", "rejected"],
    proposed: ["proposed", "draft", "accepted", "rejected"],
    accepted: ["accepted", "deprecated"],
    rejected: ["rejected", "proposed", "draft"],
    deprecated: ["deprecated", "accepted"],
    superseded: ["superseded"],
    custom: ["draft", "proposed", "accepted", "rejected", "deprecated"],
  };
  const labels = map[from.kind] ?? [];
  const out = labels.map(statusFromLabel);
  if (from.kind === "custom") out.unshift(from);
  return out;
}

export const LINK_LABEL: Record<LinkKind, string> = {
  supersedes: "Supersedes",
  superseded_by: "Superseded by",
  amends: "Amends",
  amended_by: "Amended by",
  relates_to: "Relates to",
};

export const TEMPLATE_LABEL = {
  madr4_full: "MADR 4 full",
  madr4_minimal: "MADR 4 minimal",
  nygard: "Nygard",
} as const;

export function toDraft(a: Adr): AdrDraft {
  return {
    title: a.title,
    status: a.status,
    date: a.date,
    decision_makers: a.decision_makers,
    consulted: a.consulted,
    informed: a.informed,
    tags: a.tags,
    repositories: a.repositories,
    context: a.context,
    decision_drivers: a.decision_drivers,
    considered_options: a.considered_options,
    decision_outcome: a.decision_outcome,
    consequences: a.consequences,
    confirmation: a.confirmation,
    links: a.links,
    sections: a.sections,
    extra_front_matter: a.extra_front_matter,
  };
}

export const sameDraft = (a: AdrDraft, b: AdrDraft) => JSON.stringify(a) === JSON.stringify(b);

const rtf = typeof Intl !== "undefined" && "RelativeTimeFormat" in Intl
  ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
  : null;

export function relativeTime(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const sec = Math.round((t - now) / 1000);
  const abs = Math.abs(sec);
  if (!rtf) return new Date(t).toLocaleString();
  if (abs < 45) return "just now";
  if (abs < 3600) return rtf.format(Math.round(sec / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(sec / 3600), "hour");
  if (abs < 86400 * 30) return rtf.format(Math.round(sec / 86400), "day");
  return new Date(t).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatDate(d: string | null): string {
  if (!d) return "—";
  const t = Date.parse(`${d}T00:00:00`);
  if (Number.isNaN(t)) return d;
  return new Date(t).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** Renders a draft's fields as plain text lines, for revision diffs. */
export function draftToLines(d: AdrDraft): string[] {
  const out: string[] = [];
  const list = (name: string, xs: string[]) => {
    if (xs.length) out.push(`${name}: ${xs.join(", ")}`);
  };
  out.push(`# ${d.title}`, `Status: ${statusLabel(d.status)}`, `Date: ${d.date ?? "—"}`);
  list("Decision makers", d.decision_makers);
  list("Consulted", d.consulted);
  list("Informed", d.informed);
  list("Tags", d.tags);
  list("Repositories", d.repositories);
  const block = (h: string, body: string) => {
    if (!body.trim()) return;
    out.push("", `## ${h}`, ...body.split("\n"));
  };
  block("Context and problem statement", d.context);
  if (d.decision_drivers.length) out.push("", "## Decision drivers", ...d.decision_drivers.map((x) => `* ${x}`));
  if (d.considered_options.length) {
    out.push("", "## Considered options");
    for (const o of d.considered_options) {
      out.push(`### ${o.title}`);
      if (o.description) out.push(...o.description.split("\n"));
      out.push(...o.pros.map((x) => `+ ${x}`), ...o.cons.map((x) => `- ${x}`), ...o.neutral.map((x) => `~ ${x}`));
    }
  }
  block("Decision outcome", d.decision_outcome);
  const c = d.consequences;
  if (c.good.length || c.bad.length || c.neutral.length) {
    out.push("", "## Consequences", ...c.good.map((x) => `Good: ${x}`), ...c.bad.map((x) => `Bad: ${x}`), ...c.neutral.map((x) => `Neutral: ${x}`));
  }
  block("Confirmation", d.confirmation);
  for (const s of d.sections) block(s.heading, s.body);
  if (d.links.length) out.push("", "## Links", ...d.links.map((l) => `${LINK_LABEL[l.kind]} ${adrRef(l.target)}`));
  return out;
}

/** A Markdown text as one line of plain text for a list's preview: no
 * heading marks, emphasis, code ticks or link targets (imported descriptions
 * are Markdown: Threat Composer's open with `**Motivation**`). */
export function markdownPreview(md: string): string {
  return md
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+)/gm, "")
    .replace(/(\*\*|__|`+|~~)/g, "")
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** `1 file`, `3 files`: a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A file name from a title: lower case words joined by "-", nothing a file system could trip on. */
export function fileSlug(title: string): string {
  return title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
}
