// Defence in depth: the Rust side already sanitizes rendered Markdown, but the
// preview must stay safe even if it did not. Parsed with DOMParser (inert: no
// scripts run, no images load), then filtered by an allow-list.

const ALLOWED_TAGS = new Set([
  "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2", "h3",
  "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
  "s", "samp", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
  "thead", "tr", "ul", "dl", "dt", "dd", "figure", "figcaption", "section", "small",
]);
const DROP_WITH_CONTENT = new Set([
  "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "link",
  "meta", "base", "form", "frame", "frameset", "textarea", "select", "button",
]);
const ALLOWED_ATTRS = new Set([
  "href", "src", "alt", "title", "class", "id", "colspan", "rowspan", "align", "start", "type",
  "checked", "disabled", "open", "lang", "dir", "width", "height",
]);

function safeUrl(value: string, forImage: boolean): boolean {
  // Strip whitespace and control characters browsers ignore in schemes.
  // eslint-disable-next-line no-control-regex
  const v = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (v.startsWith("#") || v.startsWith("/") || v.startsWith("./") || v.startsWith("../")) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v)?.[1];
  if (!scheme) return true; // relative
  if (forImage) return scheme === "data" ? v.startsWith("data:image/") && !v.startsWith("data:image/svg") : scheme === "asset";
  return scheme === "http" || scheme === "https" || scheme === "mailto";
}

function clean(node: Element) {
  for (const child of Array.from(node.children)) {
    const tag = child.tagName.toLowerCase();
    if (DROP_WITH_CONTENT.has(tag)) {
      child.remove();
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) {
      // Unwrap: keep the text, lose the element.
      clean(child);
      child.replaceWith(...Array.from(child.childNodes));
      continue;
    }
    for (const attr of Array.from(child.attributes)) {
      const name = attr.name.toLowerCase();
      let ok = ALLOWED_ATTRS.has(name);
      if (ok && (name === "href" || name === "src")) ok = safeUrl(attr.value, name === "src");
      if (tag === "input" && name === "type") ok = attr.value === "checkbox";
      if (!ok) child.removeAttribute(attr.name);
    }
    if (tag === "input") child.setAttribute("disabled", "");
    clean(child);
  }
}

export function sanitizeHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  clean(doc.body);
  // Remove comments too (conditional-comment tricks).
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.parentNode?.removeChild(c));
  return doc.body.innerHTML;
}
