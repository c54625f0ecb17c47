//! The one integration-test binary (as ripgrep does): every suite is a module.

mod cli;
mod corpus_adr;
mod e2e;
mod support;
mod workbench;
