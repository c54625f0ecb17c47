// In-memory compliance matrix for the mock backend: a few real control ids,
// cells with revisions, and the same roll-up shapes the Rust side returns.
import type {
  AssessmentImportReport,
  CatalogImportReport,
  Cell,
  CellUpdate,
  Coverage,
  CoverageReport,
  EvidenceFinding,
  Framework,
  FrameworkSummary,
  Gap,
  ImplementationStatus,
  StoredCell,
  ThreatControlEdit,
  ThreatControlLink,
} from "../api";

type Fail = (code: "not_found" | "invalid", message: string) => never;

function catalog(id: string, name: string, controls: [string, string, string][]): Framework {
  return {
    id, name, version: "mock", source: "Plasma Plan mock", notice: "", bundled: true,
    controls: controls.map(([cid, group, title]) => ({ id: cid, group, title, description: `${title}.` })),
  };
}

/** `?mock-controls=N` adds N generated controls to a "bulk" framework. */
function extraControls(): number {
  const n = Number(new URLSearchParams(window.location.search).get("mock-controls") ?? "");
  return Number.isInteger(n) && n > 0 ? Math.min(n, 20_000) : 0;
}

function seedFrameworks(): Framework[] {
  const fws = [
    catalog("plasma-sdlc", "Program SDLC", [
      ["SDLC-01", "Source", "Branch protection on the default branch"],
      ["SDLC-02", "Source", "Signed commits"],
      ["SDLC-03", "Build", "Dependency scanning in CI"],
      ["SDLC-04", "Build", "Reproducible release builds"],
    ]),
    catalog("soc2", "SOC 2 (2017 TSC)", [
      ["CC6.1", "Logical access", "Logical access security software and infrastructure"],
      ["CC6.6", "Logical access", "Boundary protection"],
      ["CC7.2", "System operations", "Monitoring of system components"],
      ["CC8.1", "Change management", "Changes are authorized, tested and approved"],
    ]),
    catalog("gdpr", "GDPR", [
      ["Art.25", "Principles", "Data protection by design and by default"],
      ["Art.32", "Security", "Security of processing"],
    ]),
  ];
  const extra = extraControls();
  if (extra) {
    fws.push(catalog("bulk", "Bulk catalog", Array.from({ length: extra }, (_, i) =>
      [`B-${String(i + 1).padStart(5, "0")}`, `Family ${Math.floor(i / 50) + 1}`, `Generated control ${i + 1}`] as [string, string, string])));
  }
  return fws;
}

export interface ComplianceState {
  frameworks: Framework[];
  scope: string[];
  cells: StoredCell[];
}

export function freshCompliance(): ComplianceState {
  const frameworks = seedFrameworks();
  const scope = frameworks.map((f) => f.id);
  const today = isoToday();
  const cells: StoredCell[] = [{
    cell: {
      control: { framework: "plasma-sdlc", control: "SDLC-01" }, repository: "plasma-core", applicable: true,
      not_applicable_reason: "", status: "implemented", owner: "platform", narrative: "Required reviews and status checks.",
      last_reviewed: today,
      evidence: [{ id: "00000000-0000-4000-8000-0000000000e1", kind: "link", title: "Branch protection settings",
        location: "https://github.com/plasma/plasma-core/settings/branches", collected: "2024-01-10", expires: "2025-01-10" }],
      threats: [], adrs: [],
    },
    revision: 1, updated_at: new Date().toISOString(),
  }];
  return { frameworks, scope, cells };
}

export function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

const WEIGHT: Record<ImplementationStatus, number> = {
  implemented: 1, alternative: 1, partial: 0.5, planned: 0, not_applicable: 0,
};

function emptyCell(framework: string, control: string, repository: string): Cell {
  return {
    control: { framework, control }, repository, applicable: true, not_applicable_reason: "", status: null,
    owner: "", narrative: "", last_reviewed: null, evidence: [], threats: [], adrs: [],
  };
}

export function summaries(s: ComplianceState): FrameworkSummary[] {
  return s.frameworks.map((f) => ({
    id: f.id, name: f.name, version: f.version, source: f.source, notice: f.notice, bundled: f.bundled,
    controls: f.controls.length, in_scope: s.scope.includes(f.id),
  }));
}

/**
 * The mock's catalog import: any .json/.yaml/.yml/.xml file is read as a
 * three-control OSCAL catalog named after the file, a .csv as a CSV; other
 * files are refused as the real importer refuses them. Out of scope until
 * put in, as imported catalogs are.
 */
export function importCatalog(s: ComplianceState, file: string, id: string | null, fail: Fail): CatalogImportReport {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? "";
  if (!["json", "yaml", "yml", "xml", "csv"].includes(ext)) {
    fail("invalid", `${file}: not an OSCAL catalog or profile (JSON, YAML or XML) or a CSV file`);
  }
  const stem = file.replace(/^.*\//, "").replace(/\.[^.]+$/, "");
  const fid = id?.trim() || stem.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  if (s.frameworks.some((f) => f.id === fid && f.bundled)) fail("invalid", `${file}: "${fid}" is a bundled catalog; import under another id with --id`);
  const fw: Framework = {
    ...catalog(fid, `Imported ${stem}`, [["AC-1", "Access Control", "Policy and procedures"], ["AC-2", "Access Control", "Account management"], ["AU-2", "Audit and Accountability", "Event logging"]]),
    bundled: false, version: "1.0", source: file,
  };
  const existing = s.frameworks.findIndex((f) => f.id === fid);
  if (existing >= 0) s.frameworks[existing] = fw; else s.frameworks.push(fw);
  return { file, format: ext === "csv" ? "csv" : "oscal-catalog", framework: fid, name: fw.name, controls: fw.controls.length, action: existing >= 0 ? "updated" : "created" };
}

/** The mock of `import_compliance_assessment`: the file names the state.
 *  A name with "broken" fails as a malformed file; otherwise SDLC-02 of the
 *  first repository becomes implemented with a narrative, and a component
 *  named after no repository is reported. */
export function importAssessment(s: ComplianceState, repos: string[], file: string, fw: string | null, fail: Fail): AssessmentImportReport {
  if (!/\.(json|ya?ml)$/i.test(file)) fail("invalid", `${file}: not an OSCAL component definition or SSP (JSON or YAML)`);
  if (file.includes("broken")) fail("invalid", `${file}: $.component-definition.components[0].control-implementations[0]: "done" is not an implementation state`);
  const framework = fw ?? "plasma-sdlc";
  const repository = repos[0] ?? "";
  const control = { framework, control: "SDLC-02" };
  let stored = s.cells.find((x) => x.cell.control.framework === framework && x.cell.control.control === "SDLC-02" && x.cell.repository === repository);
  if (!stored) {
    stored = { cell: emptyCell(framework, "SDLC-02", repository), revision: 0, updated_at: "" };
    s.cells.push(stored);
  }
  const narrative = "Commits are signed with Sigstore gitsign (from the OSCAL component definition).";
  const changed = stored.cell.status === "implemented" && stored.cell.narrative === narrative ? [] : ["status", "narrative"];
  stored.cell.status = "implemented";
  stored.cell.narrative = narrative;
  if (changed.length) stored.revision += 1;
  const cell = { control, repository, component: repository, oscal_control: "sdlc-02", changed };
  return {
    file, model: "component-definition", title: "Plasma Engine components", framework, rows: 2,
    updated: changed.length ? [cell] : [], unchanged: changed.length ? [] : [cell],
    unmatched_components: ["Mainframe Billing"], unmatched_controls: [], duplicates: [],
  };
}

export function framework(s: ComplianceState, id: string, fail: Fail): Framework {
  return structuredClone(s.frameworks.find((f) => f.id === id) ?? fail("not_found", `no framework "${id}"`));
}

function resolve(s: ComplianceState, text: string, fail: Fail): { framework: string; control: string } {
  const [fw, ctl] = text.includes(":") ? text.split(":", 2) as [string, string] : ["", text];
  const hits = s.frameworks.filter((f) => (!fw || f.id === fw) && f.controls.some((c) => c.id === ctl));
  if (hits.length !== 1) fail("not_found", `no control "${text}"`);
  return { framework: hits[0]!.id, control: ctl };
}

export function update(s: ComplianceState, repos: string[], u: CellUpdate, fail: Fail): StoredCell[] {
  const targets = u.repositories.length ? u.repositories : repos;
  for (const r of targets) if (!repos.includes(r)) fail("not_found", `no repository "${r}" in this workspace`);
  const controls = u.controls.map((c) => resolve(s, c, fail));
  const out: StoredCell[] = [];
  const next = structuredClone(s.cells);
  for (const c of controls) {
    for (const repo of targets) {
      let stored = next.find((x) => x.cell.control.framework === c.framework && x.cell.control.control === c.control && x.cell.repository === repo);
      if (!stored) {
        stored = { cell: emptyCell(c.framework, c.control, repo), revision: 0, updated_at: "" };
        next.push(stored);
      }
      const cell = stored.cell;
      if (u.not_applicable != null) {
        if (!u.not_applicable.trim()) fail("invalid", "a reason is required to mark a control not applicable");
        cell.applicable = false; cell.not_applicable_reason = u.not_applicable; cell.status = "not_applicable";
      }
      if (u.status != null) {
        cell.status = u.status;
        if (u.status !== "not_applicable") { cell.applicable = true; cell.not_applicable_reason = ""; }
      }
      if (u.owner != null) cell.owner = u.owner;
      if (u.narrative != null) cell.narrative = u.narrative;
      if (u.last_reviewed != null) cell.last_reviewed = u.last_reviewed;
      for (const id of u.remove_evidence) {
        if (!cell.evidence.some((e) => e.id === id)) fail("not_found", `no evidence ${id} on ${c.framework}:${c.control} in ${repo}`);
        cell.evidence = cell.evidence.filter((e) => e.id !== id);
      }
      for (const e of u.add_evidence) {
        if (!e.title.trim() || !e.location.trim()) fail("invalid", "evidence needs a title and a location");
        cell.evidence.push({
          id: crypto.randomUUID(), kind: e.kind ?? (/^https?:\/\//.test(e.location) ? "link" : "file"), title: e.title,
          location: e.location, collected: e.collected ?? isoToday(), expires: e.expires ?? null,
        });
      }
      stored.revision += 1;
      stored.updated_at = new Date().toISOString();
      out.push(structuredClone(stored));
    }
  }
  s.cells = next;
  return out;
}

function count(fw: string | null, repo: string | null, cells: (Cell | null)[]): Coverage {
  const c: Coverage = {
    framework: fw, repository: repo, cells: cells.length, not_applicable: 0, not_assessed: 0, implemented: 0,
    partial: 0, planned: 0, alternative: 0, raised_by_mappings: 0, percent: null, percent_with_mappings: null,
  };
  let score = 0;
  for (const cell of cells) {
    if (cell && (!cell.applicable || cell.status === "not_applicable")) { c.not_applicable++; continue; }
    const st = cell?.status ?? null;
    if (st === null) c.not_assessed++;
    else if (st !== "not_applicable") { c[st]++; score += WEIGHT[st]; }
  }
  const applicable = c.cells - c.not_applicable;
  c.percent = applicable ? Math.round((score / applicable) * 1000) / 10 : 100;
  c.percent_with_mappings = c.percent;
  return c;
}

export function coverage(s: ComplianceState, repos: string[], fw: string | null): CoverageReport {
  const ids = fw ? [fw] : s.scope;
  const byKey = new Map(s.cells.map((x) => [`${x.cell.control.framework}:${x.cell.control.control}@${x.cell.repository}`, x.cell]));
  const cellsOf = (f: string, r: string) =>
    (s.frameworks.find((x) => x.id === f)?.controls ?? []).map((c) => byKey.get(`${f}:${c.id}@${r}`) ?? null);
  return {
    frameworks: ids.map((f) => count(f, null, repos.flatMap((r) => cellsOf(f, r)))),
    repositories: repos.map((r) => count(null, r, ids.flatMap((f) => cellsOf(f, r)))),
    heat_map: ids.flatMap((f) => repos.map((r) => count(f, r, cellsOf(f, r)))),
  };
}

export function gaps(s: ComplianceState, repos: string[], fw: string | null): Gap[] {
  const ids = fw ? [fw] : s.scope;
  const out: Gap[] = [];
  for (const f of s.frameworks.filter((x) => ids.includes(x.id))) {
    for (const c of f.controls) {
      for (const r of repos) {
        const cell = s.cells.find((x) => x.cell.control.framework === f.id && x.cell.control.control === c.id && x.cell.repository === r)?.cell;
        const done = cell && (!cell.applicable || cell.status === "implemented" || cell.status === "alternative" || cell.status === "not_applicable");
        if (!done) {
          out.push({ control: { framework: f.id, control: c.id }, title: c.title, repository: r, status: cell?.status ?? null,
            owner: cell?.owner ?? "", mapped_credit: null, mapped_from: null });
        }
      }
    }
  }
  return out;
}

export function findings(s: ComplianceState): EvidenceFinding[] {
  const today = isoToday();
  const out: EvidenceFinding[] = [];
  for (const { cell } of s.cells) {
    for (const e of cell.evidence) {
      if (e.expires && e.expires < today) {
        out.push({ kind: "expired", control: cell.control, repository: cell.repository, evidence_id: e.id, title: e.title, date: e.expires });
      }
    }
  }
  return out;
}

/** The controls that link a threat, as `threat_control_links` returns them. */
export function threatLinks(s: ComplianceState, threatId: string): ThreatControlLink[] {
  const out: ThreatControlLink[] = [];
  for (const { cell } of s.cells) {
    for (const t of cell.threats.filter((x) => x.threat_id === threatId)) {
      const fw = s.frameworks.find((f) => f.id === cell.control.framework);
      out.push({
        control: `${cell.control.framework}:${cell.control.control}`,
        title: fw?.controls.find((c) => c.id === cell.control.control)?.title ?? "",
        repository: cell.repository, status: cell.applicable ? cell.status : "not_applicable", mitigation: t.mitigation,
      });
    }
  }
  return out.sort((a, b) => `${a.control} ${a.repository}`.localeCompare(`${b.control} ${b.repository}`));
}

/** Links (`link`) or unlinks a threat and a control in the named repositories. */
export function editThreatLink(s: ComplianceState, repos: string[], e: ThreatControlEdit, link: boolean, modelName: string,
  fail: Fail): ThreatControlLink[] {
  const c = resolve(s, e.control, fail);
  const targets = e.repositories.length ? e.repositories : repos;
  for (const r of targets) if (!repos.includes(r)) fail("not_found", `no repository "${r}" in this workspace`);
  const wanted = { threat_model: modelName, threat_id: e.threat, mitigation: e.mitigation };
  const same = (t: typeof wanted) => t.threat_id === wanted.threat_id && t.mitigation === wanted.mitigation;
  let changed = 0;
  for (const repo of targets) {
    let stored = s.cells.find((x) => x.cell.control.framework === c.framework && x.cell.control.control === c.control && x.cell.repository === repo);
    if (!stored && link) {
      stored = { cell: emptyCell(c.framework, c.control, repo), revision: 0, updated_at: "" };
      s.cells.push(stored);
    }
    if (!stored) continue;
    const had = stored.cell.threats.some(same);
    if (link && !had) stored.cell.threats.push(wanted);
    if (!link && had) stored.cell.threats = stored.cell.threats.filter((t) => !same(t));
    if (link || had) { changed++; stored.revision += 1; }
  }
  if (!link && changed === 0) fail("not_found", `control ${c.framework}:${c.control} does not link this threat in ${e.repositories.join(", ") || "any repository"}`);
  return threatLinks(s, e.threat);
}
