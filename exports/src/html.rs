//! Markdown to HTML for previews: pulldown-cmark, then ammonia.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{html::push_html, Parser};

/// Renders Markdown (tables, strikethrough, task lists) and sanitizes the
/// result: no scripts, styles, frames or objects, no `on*` attributes, only
/// http(s)/mailto/tel-style URLs (no `javascript:` or `data:`), and links get
/// `rel="noopener noreferrer"`.
pub fn render_markdown(markdown: &str) -> String {
    let mut raw = String::new();
    push_html(&mut raw, Parser::new_ext(markdown, crate::md::options()));
    let schemes: HashSet<&str> = ["http", "https", "mailto", "tel"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer"))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("code", ["class"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            ("code", "class") if !value.starts_with("language-") => None,
            _ => Some(Cow::Borrowed(value)),
        })
        .clean(&raw)
        .to_string()
}
