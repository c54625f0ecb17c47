import { Icon } from "./Dialog";

export type FutureSection = "compliance";

const COPY: Record<FutureSection, { title: string; icon: string; lead: string; points: string[]; today?: string }> = {
  compliance: {
    title: "Compliance",
    icon: "check",
    lead: "Map SOC 2, ISO 27001, GDPR and HIPAA controls to the repositories that implement them, with evidence.",
    points: [
      "Control catalogue with owners and review dates",
      "Evidence links to ADR confirmations",
      "Gap reports an auditor can read",
    ],
  },
};

export function ComingSoon({ section }: { section: FutureSection }) {
  const c = COPY[section];
  return (
    <div className="page">
      <header className="page-header">
        <h1>{c.title}</h1>
      </header>
      <div className="coming-soon">
        <div className="coming-soon-icon"><Icon name={c.icon} size={28} /></div>
        <h2>Coming in a later release</h2>
        <p>{c.lead}</p>
        <ul>
          {c.points.map((p) => <li key={p}>{p}</li>)}
        </ul>
        <p className="muted">{c.today ?? "Architecture decision records and threat models are available today."}</p>
      </div>
    </div>
  );
}
