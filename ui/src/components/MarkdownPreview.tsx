import { useEffect, useMemo, useState, type MouseEvent } from "react";
import { api } from "../api";
import { sanitizeHtml } from "../lib/sanitize";

/** Renders Markdown through the backend, debounced. */
export function useRenderedMarkdown(markdown: string, delay = 150): { html: string; error: string | null } {
  const [state, setState] = useState<{ html: string; error: string | null }>({ html: "", error: null });
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      api.renderMarkdown(markdown).then(
        (html) => live && setState({ html, error: null }),
        (e: unknown) => live && setState((s) => ({ html: s.html, error: e instanceof Error ? e.message : String(e) })),
      );
    }, delay);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [markdown, delay]);
  return state;
}

/**
 * The only place HTML from the backend enters the DOM. It is sanitized again
 * here (defence in depth), and link clicks never navigate the webview.
 */
export function MarkdownPreview({ html, label, empty = "Nothing to preview" }: { html: string; label: string; empty?: string }) {
  const safe = useMemo(() => sanitizeHtml(html), [html]);
  const [link, setLink] = useState<string | null>(null);
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest("a");
    if (a) {
      e.preventDefault();
      setLink(a.getAttribute("href") ?? "");
    }
  };
  return (
    <div className="preview-wrap">
      {safe.trim() ? (
        <div className="markdown" aria-label={label} role="region" onClick={onClick} onAuxClick={onClick}
          dangerouslySetInnerHTML={{ __html: safe }} />
      ) : (
        <div className="markdown markdown-empty" aria-label={label} role="region">{empty}</div>
      )}
      {link !== null && (
        <div className="link-note" role="status">
          Links are not opened from the preview: <code>{link || "(empty link)"}</code>
          <button type="button" className="link-btn" onClick={() => setLink(null)}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
