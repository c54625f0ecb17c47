//! The GitHub token. It deliberately implements neither `Debug`, `Display`
//! nor `Serialize`, so it cannot end up in a log line, an error message, an
//! export or an IPC payload by accident; the bytes are wiped on drop.

use zeroize::Zeroizing;

pub struct GitHubToken(Zeroizing<String>);

impl GitHubToken {
    /// Trims surrounding whitespace (a token piped from a file ends in `\n`);
    /// refuses empty or multi-line input.
    pub fn new(raw: impl Into<String>) -> Result<GitHubToken, crate::SyncError> {
        let raw = Zeroizing::new(raw.into());
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(crate::SyncError::Invalid("the token is empty".into()));
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(crate::SyncError::Invalid(
                "the token contains spaces or line breaks; paste exactly one token".into(),
            ));
        }
        Ok(GitHubToken(Zeroizing::new(trimmed.to_string())))
    }

    /// The only way to read the token: for the `Authorization` header and
    /// the keychain, nowhere else.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl Clone for GitHubToken {
    fn clone(&self) -> GitHubToken {
        GitHubToken(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_rejects_bad_tokens() {
        let t = GitHubToken::new("  github_pat_abc123\n").expect("valid");
        assert_eq!(t.expose_secret(), "github_pat_abc123");
        assert!(GitHubToken::new(" \n").is_err());
        assert!(GitHubToken::new("two tokens").is_err());
    }
}
