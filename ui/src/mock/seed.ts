// Demo content for the mock backend: the "Plasma Engine" workspace.
import type { Adr, AdrStatus, Workspace } from "../api";

export const PLASMA_ID = "7d0c6a2e-5b8f-4c39-9a51-1f3e2d4c5b60";
export const SANDBOX_ID = "b1e2c3d4-0000-4000-8000-00000000abcd";

export const seedWorkspaces: Workspace[] = [
  {
    id: PLASMA_ID,
    name: "Plasma Engine",
    description: "Event streaming engine: core, gateway, SDKs and infrastructure.",
    repositories: [
      { name: "plasma-core", description: "Stream processing core (Rust)" },
      { name: "plasma-gateway", description: "Ingest and query gateway" },
      { name: "plasma-sdk", description: "Client SDKs" },
      { name: "plasma-infra", description: "Terraform and Helm" },
    ],
    created_at: "2024-01-08T09:00:00Z",
  },
  {
    id: SANDBOX_ID,
    name: "Sandbox",
    description: "A scratch workspace.",
    repositories: [{ name: "playground", description: "" }],
    created_at: "2024-05-01T09:00:00Z",
  },
];

const s = (kind: Exclude<AdrStatus["kind"], "custom">): AdrStatus => ({ kind }) as AdrStatus;

let n = 0;
function adr(p: Partial<Adr> & Pick<Adr, "title" | "status">): Adr {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    id,
    workspace_id: PLASMA_ID,
    number: n,
    date: null,
    decision_makers: [],
    consulted: [],
    informed: [],
    tags: [],
    repositories: [],
    context: "",
    decision_drivers: [],
    considered_options: [],
    decision_outcome: "",
    consequences: { good: [], bad: [], neutral: [] },
    confirmation: "",
    links: [],
    sections: [],
    extra_front_matter: [],
    source_path: null,
    revision: 1,
    created_at: "2024-02-01T10:00:00Z",
    updated_at: "2024-02-01T10:00:00Z",
    ...p,
  };
}

export function seedAdrs(): Adr[] {
  n = 0;
  return [
    adr({
      title: "Record architecture decisions",
      status: s("accepted"),
      date: "2024-01-10",
      decision_makers: ["Ada Park"],
      tags: ["process"],
      repositories: ["plasma-core", "plasma-gateway", "plasma-sdk", "plasma-infra"],
      context:
        "We need to record the architectural decisions made on **Plasma Engine** so that new team members, security reviewers and auditors understand *why* the system looks the way it does.",
      decision_outcome:
        "Chosen option: **MADR 4**, because it is lightweight, Markdown-native and reviewable in pull requests.",
      consequences: { good: ["Decisions are discoverable"], bad: ["Some writing overhead"], neutral: [] },
      updated_at: "2024-01-10T12:00:00Z",
    }),
    adr({
      title: "Keep event payloads in Kafka for 7 days",
      status: s("superseded"),
      date: "2024-02-02",
      decision_makers: ["Ada Park", "Jonas Weber"],
      tags: ["storage", "retention"],
      repositories: ["plasma-core", "plasma-infra"],
      context: "Consumers replay events after outages. We need a retention window that covers a long weekend.",
      decision_outcome: "Chosen option: **7-day retention on the brokers**.",
      links: [{ kind: "superseded_by", target: 6 }],
      updated_at: "2024-06-03T08:30:00Z",
    }),
    adr({
      title: "Use gRPC between internal services",
      status: s("accepted"),
      date: "2024-02-20",
      decision_makers: ["Jonas Weber"],
      consulted: ["Priya Raman"],
      informed: ["SDK team"],
      tags: ["api", "networking"],
      repositories: ["plasma-core", "plasma-gateway"],
      context:
        "Services talk over ad-hoc JSON/HTTP today. Schemas drift, and we lack streaming.\n\nWe want typed contracts and backpressure-aware streams.",
      decision_drivers: ["Typed, versioned contracts", "Bidirectional streaming", "Mature Rust and Go support"],
      considered_options: [
        {
          title: "gRPC with protobuf",
          description: "HTTP/2, codegen for every language we ship.",
          pros: ["Streaming built in", "Strong tooling"],
          cons: ["Harder to debug with curl"],
          neutral: ["Needs an Envoy filter for browsers"],
        },
        {
          title: "JSON over HTTP with OpenAPI",
          description: "What we have, but with schemas.",
          pros: ["Familiar"],
          cons: ["No streaming", "Codegen quality varies"],
          neutral: [],
        },
      ],
      decision_outcome:
        "Chosen option: **gRPC with protobuf**, because it is the only option with first-class streaming.",
      consequences: {
        good: ["Contracts are reviewed as `.proto` changes"],
        bad: ["Browser clients need a translation layer"],
        neutral: ["Buf is added to CI"],
      },
      confirmation: "CI fails when a service exposes an endpoint not described in `proto/`.",
      links: [{ kind: "relates_to", target: 4 }],
      updated_at: "2024-03-01T15:10:00Z",
    }),
    adr({
      title: "Mutual TLS with SPIFFE identities for all service traffic",
      status: s("proposed"),
      date: "2024-05-14",
      decision_makers: ["Priya Raman"],
      consulted: ["Security guild"],
      tags: ["security", "networking"],
      repositories: ["plasma-gateway", "plasma-infra"],
      context:
        "Internal traffic is plain text inside the cluster. The SOC 2 auditors flagged lateral movement risk.",
      decision_drivers: ["Zero-trust posture", "Automatic certificate rotation"],
      decision_outcome: "Chosen option: **SPIRE-issued SVIDs with mTLS in every service**.",
      links: [{ kind: "relates_to", target: 3 }],
      updated_at: "2024-05-14T11:00:00Z",
    }),
    adr({
      title: "Adopt Istio as a service mesh",
      status: s("rejected"),
      date: "2024-04-02",
      decision_makers: ["Priya Raman", "Jonas Weber"],
      tags: ["networking"],
      repositories: ["plasma-infra"],
      context: "A mesh would give us mTLS and traffic policy without code changes.",
      decision_outcome: "Rejected: the operational cost outweighs the benefit for a team of our size.",
      updated_at: "2024-04-02T09:00:00Z",
    }),
    adr({
      title: "Tiered storage for event retention",
      status: s("accepted"),
      date: "2024-06-03",
      decision_makers: ["Ada Park"],
      tags: ["storage", "retention", "cost"],
      repositories: ["plasma-core", "plasma-infra"],
      context: "Seven days on broker disks is expensive and still too short for audit replays.",
      decision_outcome: "Chosen option: **Kafka tiered storage to S3, 90 days**.",
      links: [{ kind: "supersedes", target: 2 }],
      updated_at: "2024-06-03T08:30:00Z",
    }),
    adr({
      title: "Publish client SDKs from one monorepo",
      status: s("deprecated"),
      date: "2024-03-11",
      tags: ["sdk", "process"],
      repositories: ["plasma-sdk"],
      context: "Each SDK lives in its own repository and releases drift.",
      updated_at: "2024-07-01T10:00:00Z",
    }),
    adr({
      title: "Write the gateway hot path in Rust",
      status: s("draft"),
      date: null,
      decision_makers: ["Jonas Weber"],
      tags: ["performance"],
      repositories: ["plasma-gateway"],
      context: "The Go gateway spends 30% of CPU in GC under peak ingest.",
      updated_at: "2024-07-20T16:45:00Z",
    }),
  ];
}

const VERBS = ["Adopt", "Use", "Replace", "Retire", "Standardise on", "Evaluate", "Pin", "Split"];
const TOPICS = [
  "PostgreSQL", "Kafka", "Redis", "gRPC", "OpenTelemetry", "Terraform", "Helm", "Vault", "Envoy", "ClickHouse",
  "S3 lifecycle rules", "feature flags", "protobuf", "WebAssembly", "Rust", "SQLite", "NATS", "Prometheus",
  "Argo CD", "Bazel",
];
const AREAS = ["the gateway", "the core", "the SDKs", "ingest", "query planning", "billing", "auth", "CI"];
const TAGS = ["storage", "networking", "security", "process", "performance", "api", "cost", "observability", "sdk", "ops"];
const REPOS = [
  "plasma-core", "plasma-gateway", "plasma-sdk", "plasma-infra", "plasma-ui", "plasma-docs", "plasma-bench",
  "plasma-cli", "plasma-operator",
];
const STATUSES = ["accepted", "accepted", "proposed", "draft", "rejected", "deprecated"] as const;
const pick = <T>(xs: readonly T[], k: number): T => xs[k % xs.length] as T;

/**
 * Seeds `total` ADRs in the demo workspace (the eight hand-written ones plus
 * generated filler) for testing the list at scale: `?mock-adrs=10000`.
 * Deterministic: the same number gives the same records.
 */
export function manyAdrs(total: number): Adr[] {
  const base = seedAdrs();
  const out = base.slice(0, Math.max(0, total));
  const day = 86_400_000;
  const t0 = Date.parse("2020-01-01T09:00:00Z");
  for (let i = out.length + 1; i <= total; i++) {
    const nRepos = i % 11 === 0 ? 7 : (i % 4) + 1; // every 11th touches many repositories
    const nTags = i % 13 === 0 ? 6 : (i % 3) + 1;
    const at = new Date(t0 + i * day * 0.15).toISOString();
    out.push(adr({
      title: `${pick(VERBS, i)} ${pick(TOPICS, i * 7)} for ${pick(AREAS, i * 3)} (#${i})`,
      status: s(pick(STATUSES, i)),
      date: at.slice(0, 10),
      tags: Array.from({ length: nTags }, (_, k) => pick(TAGS, i + k * 3)).filter((t, k, xs) => xs.indexOf(t) === k),
      repositories: Array.from({ length: nRepos }, (_, k) => pick(REPOS, i + k)),
      context: `Generated record ${i} for testing the list with many decisions.`,
      created_at: at,
      updated_at: at,
    }));
  }
  // A few supersede chains among the generated records, so the notes show.
  for (let i = 20; i + 5 <= total; i += 97) {
    const old = out[i - 1];
    const nu = out[i + 4];
    if (!old || !nu) continue;
    old.status = s("superseded");
    old.links = [{ kind: "superseded_by", target: nu.number }];
    nu.links = [...nu.links, { kind: "supersedes", target: old.number }];
  }
  return out;
}
