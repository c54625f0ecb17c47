// Crash safety: every keystroke is mirrored to localStorage under a key per
// ADR id and the revision the edits are based on.
import type { AdrDraft } from "../api";

const PREFIX = "plasma.draft.";

export type LocalDraft = { draft: AdrDraft; baseRevision: number; savedAt: string };

const key = (id: string, revision: number) => `${PREFIX}${id}.${revision}`;

export function writeLocalDraft(id: string, baseRevision: number, draft: AdrDraft) {
  try {
    const v: LocalDraft = { draft, baseRevision, savedAt: new Date().toISOString() };
    localStorage.setItem(key(id, baseRevision), JSON.stringify(v));
  } catch {
    /* storage full or unavailable: the autosave still runs */
  }
}

function keysFor(id: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(`${PREFIX}${id}.`)) out.push(k);
  }
  return out;
}

/** The newest local draft for an ADR, if any. */
export function readLocalDraft(id: string): LocalDraft | null {
  try {
    let best: LocalDraft | null = null;
    for (const k of keysFor(id)) {
      const raw = localStorage.getItem(k);
      if (!raw) continue;
      const v = JSON.parse(raw) as LocalDraft;
      if (!best || v.baseRevision > best.baseRevision || (v.baseRevision === best.baseRevision && v.savedAt > best.savedAt)) best = v;
    }
    return best;
  } catch {
    return null;
  }
}

export function clearLocalDrafts(id: string) {
  try {
    keysFor(id).forEach((k) => localStorage.removeItem(k));
  } catch {
    /* ignore */
  }
}
