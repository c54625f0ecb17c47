import type { CoverageReport, FrameworkSummary } from "../api";

/** Coverage by framework (rows) and repository (columns); click to filter. */
export function HeatMap({ coverage, frameworks, repositories, short, onPick }: {
  coverage: CoverageReport;
  frameworks: FrameworkSummary[];
  repositories: string[];
  short: Map<string, string>;
  onPick: (framework: string, repository: string) => void;
}) {
  const ids = coverage.frameworks.map((f) => f.framework).filter((f): f is string => f !== null);
  const name = (id: string) => frameworks.find((f) => f.id === id)?.name ?? id;
  return (
    <div className="cm-heat-wrap">
      <table className="cm-heat" aria-label="Coverage heat map">
        <thead>
          <tr><th scope="col">Framework</th>{repositories.map((r) => <th key={r} scope="col" title={r}>{short.get(r) ?? r}</th>)}<th scope="col">All</th></tr>
        </thead>
        <tbody>
          {ids.map((fw) => {
            const total = coverage.frameworks.find((f) => f.framework === fw);
            return (
              <tr key={fw}>
                <th scope="row">{name(fw)}</th>
                {repositories.map((r) => {
                  const c = coverage.heat_map.find((h) => h.framework === fw && h.repository === r);
                  const pct = c?.percent ?? 0;
                  return (
                    <td key={r}>
                      <button type="button" className="cm-heat-cell" style={{ ["--pct" as string]: pct }}
                        aria-label={`${name(fw)} in ${r}: ${pct.toFixed(0)}%`}
                        title={c ? `${c.implemented} implemented, ${c.partial} partial, ${c.planned} planned, ${c.not_assessed} not assessed, ${c.not_applicable} N/A` : ""}
                        onClick={() => onPick(fw, r)}>
                        {pct.toFixed(0)}%
                      </button>
                    </td>
                  );
                })}
                <td className="cm-heat-total">{(total?.percent ?? 0).toFixed(0)}%</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
