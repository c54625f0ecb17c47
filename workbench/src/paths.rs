use std::path::PathBuf;

/// The database both shells share by default: the OS data directory
/// (`~/.local/share/plasma-plan/plasma.db` on Linux).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("plasma-plan")
        .join("plasma.db")
}

/// `--db PATH` wins, then `PLASMA_DB`, then the default.
pub fn resolve_db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| {
        std::env::var_os("PLASMA_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .unwrap_or_else(default_db_path)
}
