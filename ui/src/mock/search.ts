// The mock's side of "search everything": the same word-prefix rule as
// plasma_models::text_search, over the mock's own records.
import type { Framework, Initiative, RecordHit, RecordKind, Slo, StoredThreatModel } from "../api";

const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function rank(q: string[], fields: string[]): number | null {
  if (q.length === 0) return null;
  let score = 0;
  for (const w of q) {
    let best = 0;
    fields.forEach((f, i) => {
      for (const x of words(f)) if (x.startsWith(w)) best = Math.max(best, (i === 0 ? 4 : 1) * (x === w ? 2 : 1));
    });
    if (best === 0) return null;
    score += best;
  }
  return score;
}

const mark = (text: string, q: string[]) =>
  text.replace(/[\p{L}\p{N}]+/gu, (w) => (q.some((x) => w.toLowerCase().startsWith(x)) ? `«${w}»` : w));

function snippet(texts: string[], q: string[]): string {
  const t = texts.find((x) => words(x).some((w) => q.some((y) => w.startsWith(y)))) ?? texts[0] ?? "";
  const line = t.replace(/\s+/g, " ");
  return mark(line.length > 160 ? `${line.slice(0, 160)}…` : line, q);
}

function best(kind: RecordKind, hits: [number, Omit<RecordHit, "kind">][]): RecordHit[] {
  return hits.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([, h]) => ({ kind, ...h }));
}

export function searchRecords(query: string, src: {
  models: StoredThreatModel[];
  frameworks: Framework[];
  initiatives: Initiative[];
  slos: Slo[];
}): RecordHit[] {
  const q = words(query);
  if (q.length === 0) return [];
  const out: RecordHit[] = [];
  const hit = <T,>(items: T[], kind: RecordKind, f: (x: T) => [string[], Omit<RecordHit, "kind" | "snippet">, string[]]) =>
    out.push(...best(kind, items.flatMap((x) => {
      const [fields, h, texts] = f(x);
      const r = rank(q, fields);
      return r === null ? [] : [[r, { ...h, snippet: snippet(texts, q) }] as [number, Omit<RecordHit, "kind">]];
    })));
  hit(src.models, "threat_model", (s) => {
    const elements = (s.model.diagrams ?? []).reduce((n, d) => n + (d.elements ?? []).length, 0);
    const description = s.model.description ?? "";
    return [[s.model.name, description],
      { id: s.model.id, parent_id: "", title: s.model.name, context: `${elements} elements, ${(s.model.threats ?? []).length} threats` },
      [description, s.model.name]];
  });
  hit(src.models.flatMap((s) => (s.model.threats ?? []).map((t) => ({ s, t }))), "threat", ({ s, t }) => [[t.title, t.description ?? ""],
    { id: t.id, parent_id: s.model.id, title: t.title, context: s.model.name }, [t.title, t.description ?? ""]]);
  hit(src.frameworks.flatMap((f) => f.controls.map((c) => ({ f, c }))), "control", ({ f, c }) => [[c.title, c.id, c.group ?? "", c.description ?? ""],
    { id: `${f.id}:${c.id}`, parent_id: f.id, title: `${c.id} ${c.title}`, context: f.name }, [c.description ?? "", c.title]]);
  hit(src.initiatives, "initiative", (i) => [[i.title, i.key, i.description ?? "", i.owner ?? ""],
    { id: i.key, parent_id: "", title: i.title, context: i.key }, [i.description ?? "", i.title]]);
  hit(src.slos, "slo", (s) => {
    const handle = `${s.service}/${s.name}`;
    const description = s.description ?? "";
    return [[s.display_name ?? "", handle, description],
      { id: handle, parent_id: "", title: s.display_name || handle, context: `${s.service} · objective ${s.objective}%` },
      [description, handle]];
  });
  return out;
}

