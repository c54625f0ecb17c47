//! Runs the workspace's corpus conformance suite against this crate alone.
#[path = "../../tests/integration/corpus_adr.rs"]
mod corpus_adr;
