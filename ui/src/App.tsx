import { useCallback, useEffect, useState } from "react";
import { api, type AdrSummary, type AppInfo, type RecordHit, type RecordKind, type Workspace } from "./api";
import { AdrEditor } from "./adr/AdrEditor";
import { AdrListPage } from "./adr/AdrListPage";
import { ExportDialog, ImportDialog, NewAdrDialog } from "./adr/dialogs";
import { SyncPage } from "./sync/SyncPage";
import { CompliancePage } from "./compliance/CompliancePage";
import { RoadmapPage } from "./roadmap/RoadmapPage";
import { SloPage } from "./roadmap/SloPage";
import { Icon } from "./components/Dialog";
import { SearchPalette } from "./components/SearchPalette";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { useToast } from "./components/Toasts";
import { WorkspaceSwitcher } from "./components/WorkspaceSwitcher";
import { useTheme } from "./lib/theme";
import { ThreatsPage } from "./threats/ThreatsPage";

type SectionId = "adrs" | "threats" | "compliance" | "roadmap" | "slos" | "sync";

/** Where a search hit of each kind opens. */
const SECTION_OF: Record<RecordKind, SectionId> = {
  threat_model: "threats",
  threat: "threats",
  control: "compliance",
  initiative: "roadmap",
  slo: "slos",
};
type Modal = null | "search" | "new" | "import" | "export" | "shortcuts";

const SECTIONS: { id: SectionId; label: string; icon: string }[] = [
  { id: "adrs", label: "ADRs", icon: "doc" },
  { id: "threats", label: "Threat models", icon: "shield" },
  { id: "compliance", label: "Compliance", icon: "check" },
  { id: "roadmap", label: "Roadmap", icon: "map" },
  { id: "slos", label: "SLOs", icon: "gauge" },
  { id: "sync", label: "GitHub sync", icon: "swap" },
];

const isMac = typeof navigator !== "undefined" && /Mac/i.test(navigator.platform);

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

export function App() {
  const toast = useToast();
  const [theme, toggleTheme] = useTheme();
  const [section, setSection] = useState<SectionId>("adrs");
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [all, setAll] = useState<AdrSummary[]>([]);
  const [version, setVersion] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [threatModels, setThreatModels] = useState<number | null>(null);
  // A record chosen in the search palette: its page opens on it (the seq
  // remounts the page, so choosing again from the same page works too).
  const [jump, setJump] = useState<{ hit: RecordHit; seq: number } | null>(null);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    Promise.all([api.listWorkspaces(), api.currentWorkspace()]).then(
      ([list, cur]) => {
        setWorkspaces(list);
        setWorkspace(cur);
      },
      (e: unknown) => toast.error(e, "Could not load workspaces"),
    );
    api.appInfo().then(setInfo, () => undefined);
  }, [toast]);

  useEffect(() => {
    let live = true;
    api.listAdrs({ status: null, tag: null, repository: null, query: null }).then(
      (r) => live && setAll(r),
      (e: unknown) => live && toast.error(e, "Could not load ADRs"),
    );
    // The sidebar shows the count before the Threats page is first opened.
    api.listThreatModels().then(
      (m) => live && setThreatModels(m.length),
      () => live && setThreatModels(null),
    );
    return () => {
      live = false;
    };
  }, [version, workspace?.id, toast]);

  const open = useCallback((id: string) => {
    setSection("adrs");
    setOpenId(id);
  }, []);

  const openRecord = useCallback((hit: RecordHit) => {
    setJump((j) => ({ hit, seq: (j?.seq ?? 0) + 1 }));
    setSection(SECTION_OF[hit.kind]);
  }, []);
  const jumpTo = (kind: RecordKind[]) => (jump && kind.includes(jump.hit.kind) ? jump.hit : null);
  const jumpKey = jump ? `-${jump.seq}` : "";

  // Global shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && !e.altKey && k === "k") {
        e.preventDefault();
        setModal((m) => (m === "search" ? null : "search"));
      } else if (mod && !e.altKey && !e.shiftKey && k === "n") {
        e.preventDefault();
        setModal("new");
      } else if (e.key === "?" && !mod && !isTyping(e.target)) {
        e.preventDefault();
        setModal("shortcuts");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const switched = (w: Workspace) => {
    setWorkspace(w);
    setOpenId(null);
    api.listWorkspaces().then(setWorkspaces, (e: unknown) => toast.error(e));
    refresh();
  };

  // An edit keeps the open page and record; pages read the repositories anew.
  const edited = (w: Workspace) => {
    setWorkspace(w);
    api.listWorkspaces().then(setWorkspaces, (e: unknown) => toast.error(e));
    refresh();
  };

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Plasma Plan</span>
        </div>
        <WorkspaceSwitcher workspaces={workspaces} current={workspace} onSwitched={switched} onEdited={edited} />
        <button type="button" className="search-trigger" onClick={() => setModal("search")} aria-keyshortcuts={isMac ? "Meta+K" : "Control+K"}>
          <Icon name="search" />
          <span>Search</span>
          <kbd aria-hidden="true">{isMac ? "⌘" : "Ctrl"} K</kbd>
        </button>
        <nav aria-label="Sections" className="nav">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <button type="button" className="nav-item" aria-current={section === s.id ? "page" : undefined}
                  onClick={() => { setSection(s.id); if (s.id === "adrs") setOpenId(null); }}>
                  <Icon name={s.icon} />
                  <span>{s.label}</span>
                  {s.id === "adrs" ? <span className="nav-count">{all.length}</span>
                    : s.id === "threats" ? (threatModels !== null && <span className="nav-count">{threatModels}</span>)
                    : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <button type="button" className="icon-btn" aria-label="Toggle theme" title={`Switch to ${theme === "dark" ? "light" : "dark"} theme`} onClick={toggleTheme}>
            <Icon name={theme === "dark" ? "sun" : "moon"} />
          </button>
          <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setModal("shortcuts")}>
            <Icon name="keyboard" />
          </button>
          <span className="version" title={info?.db_path}>{info ? `v${info.version}` : ""}</span>
        </div>
      </aside>

      <main className="main">
        {section === "adrs" ? (
          openId ? (
            <AdrEditor key={openId} id={openId} all={all} workspace={workspace}
              onClose={() => setOpenId(null)} onOpen={open} onChanged={refresh} />
          ) : (
            <AdrListPage workspace={workspace} all={all} version={version} dark={theme === "dark"} onOpen={open}
              onNew={() => setModal("new")} onImport={() => setModal("import")} onExport={() => setModal("export")} />
          )
        ) : section === "threats" ? (
          <ThreatsPage key={`threats${jumpKey}`} workspace={workspace} dark={theme === "dark"} onCount={setThreatModels}
            jump={jumpTo(["threat_model", "threat"])} />
        ) : section === "compliance" ? (
          <CompliancePage key={`compliance${jumpKey}`} workspace={workspace} jump={jumpTo(["control"])} />
        ) : section === "roadmap" ? (
          <RoadmapPage key={`${workspace?.id}${jumpKey}`} jump={jumpTo(["initiative"])} />
        ) : section === "slos" ? (
          <SloPage key={`${workspace?.id}${jumpKey}`} jump={jumpTo(["slo"])} />
        ) : (
          <SyncPage workspace={workspace} version={version} onChanged={refresh} />
        )}
      </main>

      {modal === "search" && <SearchPalette onClose={() => setModal(null)} onOpen={open} onOpenRecord={openRecord} />}
      {modal === "new" && (
        <NewAdrDialog onClose={() => setModal(null)}
          onCreated={(a) => { setModal(null); refresh(); open(a.id); toast.success(`Created ADR-${String(a.number).padStart(4, "0")}`); }} />
      )}
      {modal === "import" && <ImportDialog onClose={() => setModal(null)} onImported={refresh} />}
      {modal === "export" && <ExportDialog onClose={() => setModal(null)} />}
      {modal === "shortcuts" && <ShortcutsDialog onClose={() => setModal(null)} />}
    </div>
  );
}
