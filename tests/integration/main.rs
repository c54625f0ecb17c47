//! The one integration-test binary (as ripgrep does): every suite is a module.

// Tests fail loudly on the first unexpected error; unwrap says where.
#![allow(clippy::unwrap_used)]

mod cli;
mod cli_compliance;
mod cli_compliance_assessment;
mod cli_read_only;
mod cli_roadmap;
mod cli_scripting;
mod cli_sync;
mod cli_sync_resolve;
mod cli_threat_controls;
mod cli_threat_sessions;
mod cli_threats;
mod corpus_adr;
mod corpus_oscal;
mod corpus_slo;
mod corpus_threats;
mod e2e;
mod e2e_compliance;
mod e2e_diagram_bench;
mod e2e_large_diagram;
mod e2e_roadmap;
mod e2e_sync;
mod e2e_threats;
mod e2e_workspace;
mod support;
mod sync_docs;
mod workbench;
mod workbench_sync;
