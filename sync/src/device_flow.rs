//! OAuth device flow (RFC 8628 as GitHub implements it): the app shows a
//! short code, the user enters it at `verification_uri` in a browser, and the
//! app polls for the token. Needs only the OAuth app's public client id — no
//! client secret ships with the app.

use std::time::Duration;

use serde::Deserialize;

use crate::{GitHubToken, Result, SyncError};

/// The web host that serves `/login/...` for an API URL:
/// `api.github.com` → `github.com`, `HOST/api/v3` → `HOST`.
pub fn web_url_for(api_url: &str) -> String {
    let api = api_url.trim_end_matches('/');
    if let Some(rest) = api.strip_suffix("/api/v3") {
        return rest.to_string();
    }
    api.replace("://api.github.com", "://github.com")
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: u64,
    pub interval: u64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    interval: Option<u64>,
}

pub struct DeviceFlow {
    web: String,
    client_id: String,
    agent: ureq::Agent,
}

impl DeviceFlow {
    pub fn new(api_url: &str, client_id: &str) -> Result<DeviceFlow> {
        if client_id.trim().is_empty() {
            return Err(SyncError::DeviceFlow(
                "no OAuth client id: pass --client-id or set PLASMA_GITHUB_CLIENT_ID (the id of your organisation's GitHub OAuth app with device flow enabled)".into(),
            ));
        }
        Ok(DeviceFlow {
            web: web_url_for(api_url),
            client_id: client_id.trim().to_string(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
        })
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<String> {
        let url = format!("{}{path}", self.web);
        match self
            .agent
            .post(&url)
            .set("Accept", "application/json")
            .send_form(form)
        {
            Ok(r) => r
                .into_string()
                .map_err(|e| SyncError::Network(e.to_string())),
            Err(ureq::Error::Status(code, r)) => Err(SyncError::DeviceFlow(format!(
                "{path} answered {code}: {}",
                r.into_string()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect::<String>()
            ))),
            Err(ureq::Error::Transport(t)) => Err(SyncError::Network(t.to_string())),
        }
    }

    /// Step 1: ask for a user code to show.
    pub fn start(&self, scope: &str) -> Result<DeviceCode> {
        let body = self.post(
            "/login/device/code",
            &[("client_id", &self.client_id), ("scope", scope)],
        )?;
        serde_json::from_str(&body)
            .map_err(|e| SyncError::DeviceFlow(format!("device code answer: {e}")))
    }

    /// Step 2: poll until the user approves, denies, or the code expires.
    /// `sleep` is injected so tests need not wait real seconds.
    pub fn poll(&self, code: &DeviceCode, sleep: &dyn Fn(Duration)) -> Result<GitHubToken> {
        let mut interval = code.interval.max(1);
        let mut waited = 0;
        loop {
            if waited > code.expires_in {
                return Err(SyncError::DeviceFlow(
                    "the code expired; run the login again".into(),
                ));
            }
            sleep(Duration::from_secs(interval));
            waited += interval;
            let body = self.post(
                "/login/oauth/access_token",
                &[
                    ("client_id", &self.client_id),
                    ("device_code", &code.device_code),
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ],
            )?;
            let answer: TokenAnswer = serde_json::from_str(&body)
                .map_err(|e| SyncError::DeviceFlow(format!("token answer: {e}")))?;
            if let Some(token) = answer.access_token {
                return GitHubToken::new(token);
            }
            match answer.error.as_deref() {
                Some("authorization_pending") => {}
                // GitHub asks to slow down by 5 s and says the new interval.
                Some("slow_down") => interval = answer.interval.unwrap_or(interval + 5),
                Some(other) => {
                    return Err(SyncError::DeviceFlow(format!(
                        "{other}: {}",
                        answer.error_description.unwrap_or_default()
                    )))
                }
                None => {
                    return Err(SyncError::DeviceFlow(
                        "answer had neither a token nor an error".into(),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_host_for_api_hosts() {
        assert_eq!(web_url_for("https://api.github.com"), "https://github.com");
        assert_eq!(web_url_for("https://ghe.corp/api/v3/"), "https://ghe.corp");
        assert_eq!(
            web_url_for("http://127.0.0.1:9000"),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn a_client_id_is_required() {
        assert!(matches!(
            DeviceFlow::new("https://api.github.com", " "),
            Err(SyncError::DeviceFlow(_))
        ));
    }
}
