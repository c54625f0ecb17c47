//! GitHub sync: the only crate that talks to the network or the OS keychain.
//!
//! Layout: [`secret`] (the token type that cannot be printed), [`keychain`]
//! (where the token lives), [`github`] (the REST client: retries, rate limits,
//! ETags), [`device_flow`] (OAuth sign-in without a client secret),
//! [`layout`] (which file each document kind maps to), [`merge`] (three-way
//! merge over items with stable ids), [`plan`] (what a publish or a pull will
//! do, computed purely from local and remote state) and [`apply`] (carrying a
//! plan out against GitHub). Plan and apply are separate steps, as in Yaak's
//! sync: the plan is data that tests can check without a network.

pub mod apply;
pub mod device_flow;
mod error;
pub mod github;
pub mod keychain;
pub mod layout;
pub mod merge;
pub mod plan;
pub mod secret;

pub use error::SyncError;
pub use github::{GitHub, RetryPolicy};
pub use layout::{DocumentKind, Layout};
pub use secret::GitHubToken;

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// The public GitHub REST endpoint; Enterprise Server uses `https://HOST/api/v3`.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
