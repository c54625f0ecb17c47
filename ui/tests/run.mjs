// Browser tests: Vite (mock backend) + Debian Chromium via playwright-core.
// Run with `npm test`. Screenshots land in test-results/ (git-ignored).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { chromium } from "playwright-core";
import { registerThreatTests } from "./threats.mjs";
import { registerA11yTests } from "./a11y.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const shots = join(root, "test-results");
mkdirSync(shots, { recursive: true });

let server;
let browser;
let base;

before(async () => {
  server = await createServer({
    root,
    mode: "mock",
    logLevel: "error",
    server: { port: 0, strictPort: false, host: "127.0.0.1", hmr: false },
  });
  await server.listen();
  const addr = server.httpServer.address();
  base = `http://127.0.0.1:${addr.port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page = fresh mock backend and empty localStorage. */
async function app({ theme = "light", width = 1440, height = 900, query = "" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme });
  context.setDefaultTimeout(10_000);
  // As in the app (tauri.conf.json `freezePrototype`).
  await context.addInitScript(() => Object.freeze(Object.prototype));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("dialog", (d) => d.dismiss());
  await page.goto(base + query);
  await page.getByRole("table", { name: "Architecture decision records" }).waitFor();
  return { page, context, errors };
}

const rows = (page) => page.getByRole("table", { name: "Architecture decision records" }).locator("tbody tr");
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c), cmd);
const saveStatus = (page) => page.locator(".editor-bar").getByRole("status");

async function openAdr(page, title) {
  await page.getByRole("button", { name: title, exact: true }).click();
  await page.getByRole("textbox", { name: "Title", exact: true }).waitFor();
  assert.equal(await page.getByRole("textbox", { name: "Title", exact: true }).inputValue(), title);
}

test("list renders the seeded ADRs of the demo workspace", async () => {
  const { page, context, errors } = await app();
  assert.equal(await rows(page).count(), 8);
  await page.getByRole("button", { name: "Use gRPC between internal services" }).waitFor();
  assert.ok(await page.getByRole("cell", { name: "ADR-0003" }).isVisible());
  assert.equal(await page.getByRole("combobox", { name: "Workspace" }).locator("option:checked").textContent(), "Plasma Engine");
  assert.ok(await page.getByRole("navigation", { name: "Sections" }).isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});

test("many tags or repositories collapse into a +N chip listing the rest", async () => {
  const { page, context } = await app();
  const row = rows(page).filter({ hasText: "Record architecture decisions" });
  const repoCell = row.locator("td").nth(5);
  assert.deepEqual(await repoCell.locator(".chip-repo").allTextContents(), ["plasma-core", "plasma-gateway"]);
  const more = repoCell.locator(".chip-more");
  assert.equal(await more.getAttribute("title"), "plasma-sdk, plasma-infra");
  assert.match(await more.textContent(), /^\+2 more repositories: plasma-sdk, plasma-infra$/);
  assert.equal(await more.evaluate((el) => el.firstChild.textContent), "+2");
  // Three fit without a "+N".
  const tiered = rows(page).filter({ hasText: "Tiered storage for event retention" });
  assert.deepEqual(await tiered.locator("td").nth(4).locator(".chip").allTextContents(), ["storage", "retention", "cost"]);
  await context.close();
});

test("10,000 ADRs: the list is virtualized, scrolls to the last one and filters", async () => {
  const { page, context, errors } = await app({ query: "?mock-adrs=10000" });
  const table = page.getByRole("table", { name: "Architecture decision records" });
  await page.getByRole("status").filter({ hasText: "10000 shown" }).waitFor();
  assert.equal(await table.getAttribute("aria-rowcount"), "10001");
  const domRows = () => page.locator(".adr-table tbody tr.adr-row").count();
  const first = await domRows();
  assert.ok(first >= 10 && first < 200, `rows in the DOM at the top: ${first}`);
  await page.getByRole("button", { name: "Record architecture decisions", exact: true }).waitFor();
  await page.getByText("→ superseded by ADR-0006").waitFor();
  await page.screenshot({ path: join(shots, "list-10000-top.png") });

  // Rows stay short however many chips a record has (every 11th has 7 repositories).
  const heights = await page.locator(".adr-table tbody tr.adr-row").evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
  assert.ok(Math.max(...heights) <= 90, `row heights: ${Math.max(...heights)}`);
  const many = rows(page).filter({ hasText: "(#11)" }).locator(".chip-more").last();
  assert.equal(await many.getAttribute("title"), "plasma-ui, plasma-docs, plasma-bench, plasma-cli, plasma-operator");

  // Scroll to the very end (row heights are measured on the way, so repeat
  // until the last row sits inside the scroller's viewport).
  const wrap = page.locator(".table-wrap");
  const lastTitle = await page.evaluate(() => window.__mock.adr(10000).title);
  const lastInView = () => wrap.evaluate((el) => {
    const tr = [...el.querySelectorAll("tr.adr-row")].at(-1);
    if (tr?.getAttribute("aria-rowindex") !== "10001") return false;
    const r = tr.getBoundingClientRect();
    const w = el.getBoundingClientRect();
    return r.top >= w.top && r.bottom <= w.bottom + 1;
  });
  for (let i = 0; i < 20 && !(await lastInView()); i++) {
    await wrap.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(100);
  }
  assert.ok(await lastInView(), "the last ADR is scrolled into view");
  await page.getByRole("button", { name: lastTitle, exact: true }).waitFor();
  assert.ok(await page.getByRole("cell", { name: "ADR-10000" }).isVisible());
  const atEnd = await domRows();
  assert.ok(atEnd < 200, `rows in the DOM at the end: ${atEnd}`);
  assert.equal(await page.getByRole("button", { name: "Record architecture decisions", exact: true }).count(), 0);
  assert.equal(await page.locator(".adr-table tbody tr.adr-row").last().getAttribute("aria-rowindex"), "10001");
  await page.screenshot({ path: join(shots, "list-10000-end.png") });

  // Back to the top.
  await wrap.evaluate((el) => { el.scrollTop = 0; });
  await page.getByRole("button", { name: "Record architecture decisions", exact: true }).waitFor();

  // Text filter: 500 of the generated titles mention Kafka (and so does ADR-0002).
  await page.getByRole("textbox", { name: "Search ADRs" }).fill("kafka");
  await page.getByRole("status").filter({ hasText: /of 10000 shown/ }).waitFor();
  const shown = Number(/(\d+) of 10000 shown/.exec(await page.getByRole("status").filter({ hasText: "shown" }).textContent())[1]);
  assert.ok(shown > 200 && shown < 10000, `kafka matches ${shown}`);
  assert.ok((await domRows()) < 200);
  await page.getByRole("button", { name: "Keep event payloads in Kafka for 7 days" }).waitFor();
  // A single record by its number.
  await page.getByRole("textbox", { name: "Search ADRs" }).fill("(#9876)");
  await page.getByRole("status").filter({ hasText: /^1 of 10000 shown$/ }).waitFor();
  assert.equal(await domRows(), 1);
  await page.getByRole("cell", { name: "ADR-9876" }).waitFor();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByRole("status").filter({ hasText: /^10000 shown$/ }).waitFor();
  assert.ok((await domRows()) < 200);
  assert.deepEqual(errors, []);
  await context.close();
});

test("filters by status, tag and text", async () => {
  const { page, context } = await app();
  await page.getByRole("combobox", { name: "Filter by status" }).selectOption("accepted");
  await page.waitForFunction(() => document.querySelectorAll(".adr-table tbody tr").length === 3);
  const last = (await calls(page, "list_adrs")).at(-1);
  assert.equal(last.args.filter.status, "accepted");
  assert.match(await page.getByRole("status").filter({ hasText: "shown" }).textContent(), /3 of 8 shown/);
  await page.getByRole("combobox", { name: "Filter by tag" }).selectOption("storage");
  await page.waitForFunction(() => document.querySelectorAll(".adr-table tbody tr").length === 1);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByRole("textbox", { name: "Search ADRs" }).fill("spiffe");
  await page.waitForFunction(() => document.querySelectorAll(".adr-table tbody tr").length === 1);
  await page.getByRole("button", { name: "Mutual TLS with SPIFFE identities for all service traffic" }).waitFor();
  await context.close();
});

test("creates an ADR from a template", async () => {
  const { page, context } = await app();
  await page.getByRole("button", { name: "New ADR" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New ADR" });
  await dialog.getByRole("textbox", { name: "Title", exact: true }).fill("Adopt OpenTelemetry");
  await dialog.getByRole("radio", { name: /Nygard/ }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await page.getByRole("textbox", { name: "Context and problem statement" }).waitFor();
  assert.equal(await page.getByRole("textbox", { name: "Title", exact: true }).inputValue(), "Adopt OpenTelemetry");
  assert.match(await page.getByRole("textbox", { name: "Context and problem statement" }).inputValue(), /motivating this decision/);
  const c = (await calls(page, "create_adr")).at(-1);
  assert.deepEqual(c.args, { title: "Adopt OpenTelemetry", template: "nygard" });
  assert.ok(await page.getByText("ADR-0009", { exact: true }).isVisible());
  await context.close();
});

test("Ctrl+N opens the new ADR dialog and Escape closes it", async () => {
  const { page, context } = await app();
  await page.keyboard.press("Control+n");
  await page.getByRole("dialog", { name: "New ADR" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog", { name: "New ADR" }).waitFor({ state: "detached" });
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  await context.close();
});

test("editing the title autosaves with the expected revision", async () => {
  const { page, context } = await app();
  await openAdr(page, "Use gRPC between internal services");
  const title = page.getByRole("textbox", { name: "Title", exact: true });
  await title.fill("Use gRPC between all internal services");
  assert.equal(await saveStatus(page).textContent(), "Unsaved changes");
  await page.waitForFunction(() => document.querySelector(".editor-bar [role=status]")?.textContent === "Saved");
  let saves = await calls(page, "save_adr");
  assert.equal(saves.length, 1);
  assert.equal(saves[0].args.expectedRevision, 1);
  assert.equal(saves[0].args.draft.title, "Use gRPC between all internal services");
  // A second edit is saved against the new revision.
  await title.fill("Use gRPC between internal services (v2)");
  await page.keyboard.press("Control+s");
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "save_adr").length === 2);
  saves = await calls(page, "save_adr");
  assert.equal(saves[1].args.expectedRevision, 2);
  // Back to the list: the row shows the new title.
  await page.getByRole("button", { name: "Back to decisions" }).click();
  await page.getByRole("button", { name: "Use gRPC between internal services (v2)" }).waitFor();
  await context.close();
});

test("a save conflict keeps the user's text and offers both resolutions", async () => {
  const { page, context } = await app();
  await openAdr(page, "Mutual TLS with SPIFFE identities for all service traffic");
  const id = await page.evaluate(() => window.__mock.adr(4).id);
  await page.evaluate((i) => window.__mock.editElsewhere(i, "Their title"), id);
  const ctx = page.getByRole("textbox", { name: "Context and problem statement" });
  await ctx.fill("My careful analysis that must not be lost.");
  await page.getByRole("alert").filter({ hasText: "Someone else saved" }).waitFor();
  assert.equal(await saveStatus(page).textContent(), "Conflict");
  assert.equal(await ctx.inputValue(), "My careful analysis that must not be lost.");
  const local = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("plasma.draft.")).map((k) => localStorage.getItem(k)));
  assert.ok(local.some((v) => v.includes("My careful analysis")), "draft mirrored to localStorage");
  // More typing during a conflict does not retry blindly.
  await ctx.fill("My careful analysis that must not be lost. More.");
  await page.waitForTimeout(900);
  assert.equal(await saveStatus(page).textContent(), "Conflict");
  await page.getByRole("button", { name: "Keep mine (overwrite)" }).click();
  await page.waitForFunction(() => document.querySelector(".editor-bar [role=status]")?.textContent === "Saved");
  const stored = await page.evaluate(() => window.__mock.adr(4));
  assert.equal(stored.context, "My careful analysis that must not be lost. More.");
  assert.equal(stored.revision, 3);
  // Reload theirs replaces the text with the stored copy.
  await page.evaluate((i) => window.__mock.editElsewhere(i, "Their newer title"), id);
  await ctx.fill("Another edit");
  await page.getByRole("button", { name: "Reload theirs" }).click();
  await page.waitForFunction(() => document.querySelector(".editor-bar [role=status]")?.textContent === "Saved");
  assert.equal(await page.getByRole("textbox", { name: "Title", exact: true }).inputValue(), "Their newer title");
  // ...and is undoable.
  await page.getByRole("button", { name: "Undo" }).click();
  assert.equal(await ctx.inputValue(), "Another edit");
  await context.close();
});

test("leaving the editor flushes pending edits at once", async () => {
  const { page, context, errors } = await app();
  await openAdr(page, "Tiered storage for event retention");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Tiered storage for event retention (S3)");
  await page.getByRole("button", { name: "Back to decisions" }).click();
  await page.getByRole("button", { name: "Tiered storage for event retention (S3)" }).waitFor({ timeout: 2000 });
  const saves = await calls(page, "save_adr");
  assert.equal(saves.length, 1);
  assert.equal(saves[0].args.expectedRevision, 1);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("plasma.draft.")).length), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("line diff (LCS) marks added and removed lines", async () => {
  const { diffLines } = await server.ssrLoadModule("/src/lib/diff.ts");
  const d = diffLines(["a", "b", "c", "d"], ["a", "c", "x", "d"]);
  assert.deepEqual(d.map((l) => `${l.kind}:${l.text}`), ["same:a", "del:b", "same:c", "add:x", "same:d"]);
  assert.deepEqual(diffLines([], ["n"]), [{ kind: "add", text: "n" }]);
});

test("a Markdown description previews as one line of plain text", async () => {
  const { markdownPreview } = await server.ssrLoadModule("/src/lib/format.ts");
  assert.equal(
    markdownPreview("**Motivation:** `We've` included\n\n## Goal\n\nA [tool](https://x.test) for *humans* and snake_case_names.\n- one\n> quoted"),
    "Motivation: We've included Goal A tool for humans and snake_case_names. one quoted",
  );
  assert.equal(markdownPreview("2 * 3 * 4 and a_b"), "2 * 3 * 4 and a_b");
});

test("Ctrl+K opens search, shows highlighted hits, Enter opens the ADR", async () => {
  const { page, context } = await app();
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog", { name: "Search" });
  await dialog.waitFor();
  await dialog.getByRole("combobox", { name: "Search everything" }).fill("lateral");
  const hit = dialog.getByRole("option").first();
  await hit.waitFor();
  assert.match(await hit.textContent(), /ADR-0004/);
  assert.match(await hit.textContent(), /proposed/);
  assert.equal(await hit.locator("mark").first().textContent(), "lateral");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.getByRole("textbox", { name: "Title", exact: true }).inputValue(), "Mutual TLS with SPIFFE identities for all service traffic");
  await context.close();
});

test("Ctrl+K finds every kind of record and opens each where it lives", async () => {
  const { page, context, errors } = await app();
  const search = async (q) => {
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Search" });
    await dialog.waitFor();
    await dialog.getByRole("combobox", { name: "Search everything" }).fill(q);
    await dialog.getByRole("option").first().waitFor();
    return dialog;
  };
  // "mutual" is in an ADR's title and an initiative's: both, in groups.
  let dialog = await search("mutual");
  const results = dialog.getByRole("listbox", { name: "Search results" });
  await results.getByText("Initiatives").waitFor();
  assert.deepEqual(await results.locator(".palette-group").allTextContents(), ["Decisions", "Initiatives"]);
  const options = await dialog.getByRole("option").allTextContents();
  assert.match(options[0], /ADR-0004/);
  assert.match(options[1], /Mutual TLS between services/);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  await page.getByRole("complementary", { name: "Initiative mtls" }).waitFor();

  // A threat model by a word of its description opens in the editor.
  dialog = await search("card payments");
  assert.deepEqual(await dialog.locator(".palette-group").allTextContents(), ["Threat models"]);
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  const modelName = page.getByRole("textbox", { name: "Model name" });
  await modelName.waitFor();
  assert.equal(await modelName.inputValue(), "Payments");

  // A control opens the compliance matrix filtered to it.
  dialog = await search("branch protection");
  const control = dialog.getByRole("option").filter({ hasText: "Branch protection" }).first();
  await control.click();
  await dialog.waitFor({ state: "detached" });
  const filter = page.getByRole("searchbox", { name: "Filter controls" });
  await filter.waitFor();
  assert.notEqual(await filter.inputValue(), "");

  // Nothing found says so.
  await page.keyboard.press("Control+k");
  dialog = page.getByRole("dialog", { name: "Search" });
  await dialog.getByRole("combobox", { name: "Search everything" }).fill("zzqx");
  await dialog.getByText("Nothing in this workspace matches “zzqx”.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("hostile Markdown HTML never executes and links do not navigate", async () => {
  const { page, context } = await app();
  await openAdr(page, "Write the gateway hot path in Rust");
  const payload = [
    '<img src=x onerror="window.__pwned=1">',
    "",
    "[click me](javascript:window.__pwned=2)",
    "",
    '<a href="javascript:window.__pwned=3" id="jslink">raw link</a> <a href="https://example.invalid/x">external</a>',
    "",
    "<script>window.__pwned=4</script>",
    '<svg onload="window.__pwned=5"></svg><iframe src="javascript:window.__pwned=6"></iframe>',
    '<div onmouseover="window.__pwned=7">hover</div>',
  ].join("\n");
  await page.getByRole("textbox", { name: "Context and problem statement" }).fill(payload);
  const preview = page.getByRole("region", { name: "Context and problem statement preview" });
  await preview.getByText("raw link").waitFor();
  const url = page.url();
  await preview.getByText("click me").click();
  await preview.getByText("raw link").click();
  await preview.getByText("hover").hover();
  await preview.getByText("external").click();
  await page.waitForTimeout(300);
  assert.equal(page.url(), url, "the webview did not navigate");
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const html = await preview.innerHTML();
  assert.doesNotMatch(html, /onerror|onload|onmouseover|javascript:|<script|<iframe|<svg/i);
  await page.getByRole("status").filter({ hasText: "Links are not opened" }).waitFor();
  await context.close();
});

test("undo and redo coalesce typing into groups", async () => {
  const { page, context } = await app();
  await openAdr(page, "Record architecture decisions");
  const title = page.getByRole("textbox", { name: "Title", exact: true });
  await title.fill("Record architecture decisions A");
  await page.waitForTimeout(1100);
  await title.press("End");
  await title.pressSequentially(" B", { delay: 20 });
  await page.keyboard.press("Control+z");
  assert.equal(await title.inputValue(), "Record architecture decisions A");
  await page.keyboard.press("Control+z");
  assert.equal(await title.inputValue(), "Record architecture decisions");
  await page.keyboard.press("Control+Shift+z");
  assert.equal(await title.inputValue(), "Record architecture decisions A");
  await page.getByRole("button", { name: "Redo" }).click();
  assert.equal(await title.inputValue(), "Record architecture decisions A B");
  await context.close();
});

test("offers to restore unsaved local changes after a crash", async () => {
  const { page, context } = await app();
  const id = await page.evaluate(() => window.__mock.adr(5).id);
  await page.evaluate((i) => {
    const draft = { ...window.__mock.adr(5) };
    draft.context = "Recovered after a crash";
    localStorage.setItem(`plasma.draft.${i}.1`, JSON.stringify({ draft, baseRevision: 1, savedAt: new Date().toISOString() }));
  }, id);
  await openAdr(page, "Adopt Istio as a service mesh");
  await page.getByRole("button", { name: "Restore unsaved changes" }).click();
  assert.equal(await page.getByRole("textbox", { name: "Context and problem statement" }).inputValue(), "Recovered after a crash");
  await page.waitForFunction(() => document.querySelector(".editor-bar [role=status]")?.textContent === "Saved");
  assert.equal((await page.evaluate(() => window.__mock.adr(5))).context, "Recovered after a crash");
  await context.close();
});

test("history shows a diff and restores a revision", async () => {
  const { page, context } = await app();
  await openAdr(page, "Keep event payloads in Kafka for 7 days");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Keep event payloads in Kafka for 14 days");
  await page.waitForFunction(() => document.querySelector(".editor-bar [role=status]")?.textContent === "Saved");
  await page.getByRole("button", { name: "History" }).click();
  const panel = page.getByRole("complementary", { name: "History" });
  await panel.getByRole("option").nth(1).waitFor();
  assert.match(await panel.getByRole("option").first().textContent(), /Edited title/);
  await panel.getByRole("option").filter({ hasText: "Created" }).click();
  const diff = panel.getByLabel("Line diff");
  await diff.waitFor();
  assert.equal(await diff.locator("del").first().textContent(), "# Keep event payloads in Kafka for 7 days");
  assert.equal(await diff.locator("ins").first().textContent(), "# Keep event payloads in Kafka for 14 days");
  await panel.getByRole("button", { name: "Restore this revision" }).click();
  await page.waitForFunction(() => document.querySelector("input[aria-label=Title]")?.value === "Keep event payloads in Kafka for 7 days");
  assert.equal((await page.evaluate(() => window.__mock.adr(2))).revision, 3);
  await context.close();
});

test("supersede links both ADRs and the chip opens the other one", async () => {
  const { page, context } = await app();
  await openAdr(page, "Mutual TLS with SPIFFE identities for all service traffic");
  await page.getByRole("button", { name: "Supersede" }).click();
  const dialog = page.getByRole("dialog", { name: "Supersede" });
  await dialog.getByRole("radio", { name: /Write the gateway hot path in Rust/ }).check();
  await dialog.getByRole("button", { name: "Supersede" }).click();
  await dialog.waitFor({ state: "detached" });
  const chip = page.getByRole("button", { name: /Superseded by ADR-0008/ });
  await chip.waitFor();
  assert.equal(await page.getByRole("combobox", { name: "Status" }).inputValue(), "superseded");
  await chip.click();
  await page.waitForFunction(() => document.querySelector("input[aria-label=Title]")?.value === "Write the gateway hot path in Rust");
  await page.getByRole("button", { name: /Supersedes ADR-0004/ }).waitFor();
  await context.close();
});

test("import shows the report; export lists written files", async () => {
  const { page, context } = await app();
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import ADRs" });
  await dialog.getByRole("textbox", { name: "Folder to import" }).fill("/repos/plasma/docs/decisions");
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  const report = dialog.getByRole("region", { name: "Import report" });
  await report.waitFor();
  assert.match(await report.textContent(), /0010-broken\.md:3/);
  assert.match(await report.textContent(), /README\.md/);
  // A second file with a number already taken in the folder is imported under a new one, and said so.
  assert.match(await report.textContent(), /Renumbered.*0009-sample-traces\.md.*also used by 0009-use-opentelemetry\.md.*imported as ADR-0010/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".adr-table tbody tr").length === 10);
  await page.getByRole("button", { name: "Export…" }).click();
  const ex = page.getByRole("dialog", { name: "Export ADRs" });
  await ex.getByRole("textbox", { name: "Export folder" }).fill("/tmp/out");
  await ex.getByRole("button", { name: "Export", exact: true }).click();
  await ex.getByText("/tmp/out/0003-use-grpc-between-internal-services.md").waitFor();
  await context.close();
});

test("Browse… fills the folder from the native folder picker", async () => {
  const { page, context } = await app();
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import ADRs" });
  const input = dialog.getByRole("textbox", { name: "Folder to import" });
  await dialog.getByRole("button", { name: "Browse for a folder" }).click();
  await page.waitForFunction(() => document.querySelector("#import-dir")?.value === "/home/demo/adr");
  const open = (await calls(page, "plugin:dialog|open")).at(-1);
  assert.deepEqual(open.args, { options: { directory: true, multiple: false, title: "Choose the folder to import ADRs from" } });
  // Cancelling the picker keeps what is there; typing still works.
  await page.evaluate(() => window.__mock.setPickedFolder(null));
  await dialog.getByRole("button", { name: "Browse for a folder" }).click();
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "plugin:dialog|open").length === 2);
  await page.waitForTimeout(100);
  assert.equal(await input.inputValue(), "/home/demo/adr");
  await input.fill("/repos/plasma/docs/decisions");
  await page.evaluate(() => window.__mock.setPickedFolder("/home/demo/adr"));
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByRole("region", { name: "Import report" }).waitFor();
  assert.equal((await calls(page, "import_adrs")).at(-1).args.dir, "/repos/plasma/docs/decisions");
  await page.screenshot({ path: join(shots, "import-browse.png") });
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.getByRole("button", { name: "Export…" }).click();
  const ex = page.getByRole("dialog", { name: "Export ADRs" });
  await ex.getByRole("button", { name: "Browse for a folder" }).click();
  await page.waitForFunction(() => document.querySelector("#export-dir")?.value === "/home/demo/adr");
  assert.equal((await calls(page, "plugin:dialog|open")).at(-1).args.options.title, "Choose the folder to export ADRs to");
  await ex.getByRole("button", { name: "Export", exact: true }).click();
  await ex.getByText("/home/demo/adr/0003-use-grpc-between-internal-services.md").waitFor();
  await context.close();
});

test("closing the window waits for the pending autosave", async () => {
  const { page, context, errors } = await app();
  await openAdr(page, "Adopt Istio as a service mesh");
  await page.evaluate(() => window.__mock.setLatency(300));
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Adopt Linkerd as a service mesh");
  // Close before the 700 ms autosave fires: the handler saves and the close waits for it.
  const t = await page.evaluate(async () => {
    const start = performance.now();
    await window.__mock.requestWindowClose();
    return { ms: performance.now() - start, title: window.__mock.adr(5).title };
  });
  assert.equal(t.title, "Adopt Linkerd as a service mesh");
  assert.ok(t.ms >= 250 && t.ms < 1500, `close waited ${t.ms} ms`);
  assert.equal((await calls(page, "save_adr")).length, 1);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("plasma.draft.")).length), 0);
  // Nothing pending: the window closes at once.
  const idle = await page.evaluate(async () => {
    const start = performance.now();
    await window.__mock.requestWindowClose();
    return performance.now() - start;
  });
  assert.ok(idle < 100, `idle close took ${idle} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a hung save delays closing by at most ~2 s and the draft stays local", async () => {
  const { page, context } = await app();
  await openAdr(page, "Adopt Istio as a service mesh");
  await page.evaluate(() => window.__mock.setLatency(10_000));
  await page.getByRole("textbox", { name: "Context and problem statement" }).fill("Typed just before closing");
  const ms = await page.evaluate(async () => {
    const start = performance.now();
    await window.__mock.requestWindowClose();
    return performance.now() - start;
  });
  assert.ok(ms >= 1900 && ms < 2800, `close waited ${ms} ms`);
  const local = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("plasma.draft.")).map((k) => localStorage.getItem(k)));
  assert.ok(local.some((v) => v.includes("Typed just before closing")), "draft kept in localStorage");
  await context.close();
});

test("backend errors are shown as alerts", async () => {
  const { page, context } = await app();
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import ADRs" });
  await dialog.getByRole("textbox", { name: "Folder to import" }).fill("/missing/folder");
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByRole("alert").filter({ hasText: "Folder not found" }).waitFor();
  await context.close();
});

async function openCompliance(page) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /Compliance/ }).click();
  await page.getByRole("grid", { name: "Compliance matrix" }).waitFor();
}

const heat = (page, name) => page.getByRole("table", { name: "Coverage heat map" }).getByRole("button", { name });

test("compliance: marking a control implemented with evidence raises coverage", async () => {
  const { page, context, errors } = await app();
  await openCompliance(page);
  await page.getByRole("combobox", { name: "Framework" }).selectOption("soc2");
  await page.getByRole("button", { name: "CC6.1 in plasma-core: Not assessed" }).waitFor();
  assert.match(await heat(page, /^SOC 2 \(2017 TSC\) in plasma-core:/).getAttribute("aria-label"), /: 0%$/);

  await page.getByRole("button", { name: "CC6.1 in plasma-core: Not assessed" }).click();
  const panel = page.getByRole("complementary", { name: "Cell details" });
  await panel.getByRole("button", { name: "Implemented" }).click();
  await page.getByRole("button", { name: "CC6.1 in plasma-core: Implemented" }).waitFor();
  await panel.getByRole("textbox", { name: "Evidence title" }).fill("SSO enforcement");
  await panel.getByRole("textbox", { name: "Evidence location" }).fill("https://idp.example.com/policies/sso");
  await panel.getByLabel("Expires").fill("2099-01-01");
  await panel.getByRole("button", { name: "Add evidence" }).click();
  await panel.getByRole("list", { name: "Evidence" }).getByText("SSO enforcement").waitFor();

  // 1 of 4 SOC 2 controls implemented in plasma-core.
  await heat(page, "SOC 2 (2017 TSC) in plasma-core: 25%").waitFor();
  const sent = await calls(page, "update_compliance_cells");
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0].args.update.controls, ["soc2:CC6.1"]);
  assert.deepEqual(sent[0].args.update.repositories, ["plasma-core"]);
  assert.equal(sent[0].args.update.status, "implemented");
  assert.equal(sent[1].args.update.add_evidence[0].expires, "2099-01-01");
  assert.equal(sent[1].args.update.add_evidence[0].kind, "link");
  assert.deepEqual(errors, []);
  await context.close();
});

test("compliance: expired evidence is highlighted; bulk edit and filters", async () => {
  const { page, context } = await app();
  await openCompliance(page);
  await page.getByRole("button", { name: "SDLC-01 in plasma-core: Implemented" }).click();
  const item = page.getByRole("list", { name: "Evidence" }).locator("li.ev-expired");
  await item.getByText("Expired").waitFor();

  await page.getByRole("checkbox", { name: "Select SDLC-02" }).check();
  await page.getByRole("checkbox", { name: "Select SDLC-03" }).check();
  await page.getByRole("combobox", { name: "Bulk status" }).selectOption("planned");
  await page.getByRole("region", { name: "Bulk edit" }).getByRole("button", { name: "Apply" }).click();
  await page.getByRole("button", { name: "SDLC-03 in plasma-gateway: Planned" }).waitFor();
  const [bulk] = await calls(page, "update_compliance_cells");
  assert.deepEqual(bulk.args.update.controls, ["plasma-sdlc:SDLC-02", "plasma-sdlc:SDLC-03"]);
  assert.equal(bulk.args.update.status, "planned");

  // Not applicable needs a reason, asked for inline.
  await page.getByRole("button", { name: "SDLC-04 in plasma-sdk: Not assessed" }).click();
  const panel = page.getByRole("complementary", { name: "Cell details" });
  await panel.getByRole("button", { name: "Not applicable" }).click();
  await panel.getByRole("textbox", { name: "Reason not applicable" }).fill("SDK ships no release images");
  await panel.getByRole("button", { name: "Mark N/A" }).click();
  await page.getByRole("button", { name: "SDLC-04 in plasma-sdk: N/A" }).waitFor();
  await panel.getByText("Not applicable: SDK ships no release images").waitFor();

  await page.getByRole("combobox", { name: "Status filter" }).selectOption("implemented");
  assert.equal(await page.getByRole("status").filter({ hasText: / controls?$/ }).textContent(), "1 control");
  await page.getByRole("combobox", { name: "Status filter" }).selectOption("all");
  await page.getByRole("searchbox", { name: "Filter controls" }).fill("signed");
  assert.equal(await page.getByRole("status").filter({ hasText: / controls?$/ }).textContent(), "1 control");
  await page.screenshot({ path: join(shots, "compliance.png") });
  await context.close();
});

test("compliance: importing a catalog selects it, explains a refusal, and scope adds it to the heat map", async () => {
  const { page, context, errors } = await app();
  await openCompliance(page);
  await page.getByRole("button", { name: "Import catalog…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import a control catalog" });
  const importButton = dialog.getByRole("button", { name: "Import", exact: true });
  assert.equal(await importButton.isDisabled(), true, "nothing to import yet");

  // A file that is no catalog is refused, with the reason, and nothing is added.
  await dialog.getByRole("textbox", { name: "Catalog file" }).fill("/home/demo/notes.txt");
  await importButton.click();
  await dialog.getByRole("alert").getByText(/notes\.txt: not an OSCAL catalog or profile/).waitFor();
  assert.equal(await page.getByRole("combobox", { name: "Framework" }).locator("option").count(), 3);

  // The picker's file (an OSCAL XML catalog) imports under the id typed in.
  await dialog.getByRole("button", { name: "Browse for a file" }).click();
  assert.match(await dialog.getByRole("textbox", { name: "Catalog file" }).inputValue(), /resolved-profile_catalog\.xml$/);
  await dialog.getByRole("textbox", { name: "Framework id" }).fill("fedramp-low");
  await importButton.click();
  await dialog.getByRole("region", { name: "Import result" }).getByText(/Added .*: 3 controls, read as an OSCAL catalog/).waitFor();
  const sent = await calls(page, "import_compliance_catalog");
  assert.deepEqual(sent.map((c) => c.args.id), [null, "fedramp-low"]);
  await dialog.getByRole("button", { name: "Done" }).click();

  // The new catalog is shown, out of scope until put in.
  const select = page.getByRole("combobox", { name: "Framework" });
  assert.equal(await select.inputValue(), "fedramp-low");
  await page.getByRole("rowheader", { name: /AC-2/ }).waitFor();
  const scope = page.getByRole("checkbox", { name: "In scope" });
  assert.equal(await scope.isChecked(), false);
  assert.equal(await heat(page, /^Imported FedRAMP/).count(), 0);
  await scope.check();
  await heat(page, /^Imported FedRAMP.* in plasma-core: 0%$/).waitFor();
  const [scoped] = await calls(page, "set_compliance_scope");
  assert.deepEqual([scoped.args.enable, scoped.args.disable], [["fedramp-low"], []]);
  assert.equal(await scope.isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("compliance: OSCAL implementation states import into the matrix; a malformed file is refused", async () => {
  const { page, context, errors } = await app();
  await openCompliance(page);
  await page.getByRole("combobox", { name: "Framework" }).selectOption("plasma-sdlc");
  await page.getByRole("button", { name: "SDLC-02 in plasma-core: Not assessed" }).waitFor();
  await page.getByRole("button", { name: "Import OSCAL states…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import an OSCAL assessment" });
  const importButton = dialog.getByRole("button", { name: "Import", exact: true });
  assert.equal(await importButton.isDisabled(), true, "nothing to import yet");
  // The framework shown is the one matched against, unless another is chosen.
  assert.equal(await dialog.getByRole("combobox", { name: "Framework" }).inputValue(), "plasma-sdlc");

  // A malformed file: the reason, with where in the file, and no change.
  await dialog.getByRole("textbox", { name: "Component definition or SSP" }).fill("/home/demo/broken-component-definition.json");
  await importButton.click();
  await dialog.getByRole("alert").getByText(/\$\.component-definition\.components\[0\].*"done" is not an implementation state/).waitFor();
  await page.getByRole("button", { name: "SDLC-02 in plasma-core: Not assessed" }).waitFor();

  await dialog.getByRole("textbox", { name: "Component definition or SSP" }).fill("/home/demo/component-definition.json");
  await importButton.click();
  const result = dialog.getByRole("region", { name: "Import result" });
  await result.getByText(/1 cell updated/).waitFor();
  assert.match(await result.getByRole("list", { name: "Updated cells" }).textContent(), /SDLC-02 in plasma-core.*status, narrative/);
  await result.getByRole("note").filter({ hasText: "No repository named “Mainframe Billing”" }).waitFor();
  const [sent] = await calls(page, "import_compliance_assessment");
  assert.equal(sent.args.framework, "plasma-sdlc");
  await dialog.getByRole("button", { name: "Done" }).click();
  // The matrix shows the imported state.
  await page.getByRole("button", { name: "SDLC-02 in plasma-core: Implemented" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("compliance: 5,000 controls stay virtualized", async () => {
  const { page, context } = await app({ query: "?mock-controls=5000" });
  await openCompliance(page);
  await page.getByRole("combobox", { name: "Framework" }).selectOption("bulk");
  await page.getByRole("rowheader", { name: /B-00001/ }).waitFor();
  const rendered = await page.getByRole("grid", { name: "Compliance matrix" }).getByRole("rowheader").count();
  assert.ok(rendered < 100, `${rendered} rows in the DOM`);
  await page.getByRole("searchbox", { name: "Filter controls" }).fill("Generated control 4999");
  await page.getByRole("rowheader", { name: /B-04999/ }).waitFor();
  await context.close();
});

test("sections, workspace switcher, graph and theme", async () => {
  const { page, context } = await app();
  const nav = page.getByRole("navigation", { name: "Sections" });
  // Every section is a real page now: each shows its own heading, none a placeholder.
  for (const [button, heading] of [[/Threat models/, "Threat models"], [/Compliance/, "Compliance"],
    [/Roadmap/, "Roadmap"], [/SLOs/, "Service level objectives"], [/GitHub sync/, "GitHub sync"]]) {
    await nav.getByRole("button", { name: button }).click();
    await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
  }
  assert.equal(await page.getByText("Coming in a later release").count(), 0);
  assert.equal(await nav.locator(".nav-soon").count(), 0);
  await nav.getByRole("button", { name: /ADRs/ }).click();
  await page.getByRole("tab", { name: "Decision graph" }).click();
  const img = page.getByRole("img", { name: "Decision graph of this workspace" });
  await img.waitFor();
  assert.match(await img.getAttribute("src"), /^data:image\/svg\+xml;charset=utf-8,/);
  await page.getByRole("tab", { name: "List" }).click();
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByRole("button", { name: "Toggle theme" }).click();
  const afterT = await page.evaluate(() => document.documentElement.dataset.theme);
  assert.notEqual(before, afterT);
  assert.equal(await page.evaluate(() => localStorage.getItem("plasma.theme")), afterT);
  await page.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Sandbox" });
  await page.getByRole("heading", { name: "No decisions yet" }).waitFor();
  await page.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "New workspace…" });
  const dialog = page.getByRole("dialog", { name: "New workspace" });
  await dialog.getByLabel("Name").fill("Payments");
  await dialog.getByLabel("Repositories").fill("payments-api\npayments-web");
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForFunction(() => document.querySelector("#ws-select option:checked")?.textContent === "Payments");
  await context.close();
});

test("workspace: Edit workspace… adds a repository (a matrix column) and explains why a referenced one stays", async () => {
  const { page, context, errors } = await app();
  await openCompliance(page);
  const matrix = page.getByRole("grid", { name: "Compliance matrix" });
  assert.equal(await matrix.locator("[role=columnheader][title='plasma-docs']").count(), 0);

  await page.getByRole("button", { name: "Edit workspace…" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit workspace" });
  assert.equal(await dialog.getByRole("textbox", { name: "Name" }).inputValue(), "Plasma Engine");
  const list = dialog.getByRole("list", { name: "Repositories" });
  assert.deepEqual(await list.locator(".ws-repo-name").allTextContents(), ["plasma-core", "plasma-gateway", "plasma-sdk", "plasma-infra"]);
  await dialog.getByRole("textbox", { name: "Description" }).fill("Engine, gateway, SDKs, infrastructure and docs.");
  await dialog.getByRole("textbox", { name: "Repository to add" }).fill("plasma-docs");
  await dialog.getByRole("textbox", { name: "What the repository holds" }).fill("Program handbook and runbooks");
  await dialog.getByRole("button", { name: "Add repository" }).click();
  await list.getByText("plasma-docs").waitFor();
  await list.getByText("Program handbook and runbooks").waitFor();
  assert.equal(await dialog.getByRole("textbox", { name: "What the repository holds" }).inputValue(), "", "cleared for the next one");
  // The same name twice is caught before anything is sent.
  await dialog.getByRole("textbox", { name: "Repository to add" }).fill("PLASMA-DOCS");
  await dialog.getByRole("textbox", { name: "Repository to add" }).press("Enter");
  await dialog.getByRole("alert").getByText('"PLASMA-DOCS" is already in the list.').waitFor();
  await dialog.getByRole("textbox", { name: "Repository to add" }).fill("");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "detached" });

  const [sent] = await calls(page, "update_workspace");
  assert.deepEqual(sent.args.edit, {
    name: null, description: "Engine, gateway, SDKs, infrastructure and docs.",
    add_repositories: [{ name: "plasma-docs", description: "Program handbook and runbooks" }], remove_repositories: [],
  });
  // The matrix (still open) gains the column, and its heat map the repository.
  await matrix.locator("[role=columnheader][title='plasma-docs']").waitFor();
  await page.getByRole("button", { name: "SDLC-01 in plasma-docs: Not assessed" }).waitFor();
  await heat(page, /^Program SDLC in plasma-docs: /).waitFor();

  // plasma-core is named by ADRs and an assessed cell: refused, explained, nothing lost.
  await page.getByRole("button", { name: "Edit workspace…" }).click();
  await dialog.getByRole("textbox", { name: "Name" }).fill("Plasma Engine (renamed)");
  await dialog.getByRole("button", { name: "Remove plasma-core" }).click();
  assert.equal(await list.getByText("plasma-core", { exact: true }).count(), 0);
  await dialog.getByRole("button", { name: "Save" }).click();
  const alert = dialog.getByRole("alert");
  await alert.getByText(/repository "plasma-core" cannot be removed/).waitFor();
  const why = await alert.textContent();
  assert.match(why, /\d+ ADRs \(ADR-0001/);
  assert.match(why, /assessed compliance cells? \(SDLC-01/);
  assert.match(why, /remove it from those records first/);
  assert.equal(await dialog.getByRole("textbox", { name: "Name" }).inputValue(), "Plasma Engine (renamed)");
  assert.equal(await list.getByText("plasma-core", { exact: true }).count(), 0);
  await page.screenshot({ path: join(shots, "workspace-edit-refused.png") });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // Nothing changed: same name, plasma-core still a column.
  assert.equal(await page.getByRole("combobox", { name: "Workspace" }).locator("option:checked").textContent(), "Plasma Engine");
  await matrix.locator("[role=columnheader][title='plasma-core']").waitFor();
  assert.equal((await calls(page, "update_workspace")).length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("roadmap: order, critical path, gates, adding an initiative and a dependency", async () => {
  const { page, context, errors } = await app();
  const nav = page.getByRole("navigation", { name: "Sections" });
  await nav.getByRole("button", { name: /Roadmap/ }).click();
  const table = page.getByRole("table", { name: "Initiatives in dependency order" });
  await table.waitFor();
  const order = async () => (await table.locator("tbody tr td:nth-child(2) code").allTextContents());
  assert.deepEqual(await order(), ["ci", "compose", "mtls"]);
  assert.equal(await page.getByLabel("Critical path").textContent(), "ci → mtls");
  // ADR 1 is accepted, ADR 4 only proposed.
  const mtls = table.locator("tbody tr").filter({ hasText: "mtls" });
  assert.match(await mtls.textContent(), /Accepted ADR: ADR 4 is proposed, not accepted/);
  assert.match(await table.locator("tbody tr").filter({ hasText: "Reusable CI" }).textContent(), /✓ Accepted ADR/);
  // The Gantt timeline (a row per initiative, in plan order, critical ones marked), and the graph.
  const timeline = page.getByRole("region", { name: "Timeline" });
  assert.deepEqual(await timeline.locator(".gantt-row .gantt-label strong").allTextContents(), ["Reusable CI workflows", "Local dev with Docker Compose", "Mutual TLS between services"]);
  assert.match(await timeline.locator(".gantt-row").filter({ hasText: "Mutual TLS" }).textContent(), /2026-04-\d\d → .*critical/);
  assert.equal(await timeline.locator(".gantt-critical").count(), 2);
  // Bars sit on the axis by date: the second quarter's starts right of the first's.
  const barLeft = async (text) => parseFloat(await timeline.locator(".gantt-row").filter({ hasText: text }).locator(".gantt-bar").evaluate((b) => b.style.left));
  assert.ok(await barLeft("Mutual TLS") > await barLeft("Reusable CI"));
  assert.deepEqual(await timeline.locator(".gantt-quarter").allTextContents(), ["2026-Q1", "2026-Q2"]);
  assert.ok(await page.getByRole("img", { name: "Dependency graph" }).isVisible());

  await page.getByRole("button", { name: "New initiative", exact: true }).click();
  await page.getByRole("textbox", { name: "New initiative", exact: true }).fill("Runbooks and pager");
  await page.getByRole("button", { name: "Add initiative" }).click();
  await page.getByRole("dialog", { name: "New initiative" }).waitFor({ state: "detached" });
  await table.locator("tbody tr").filter({ hasText: "runbooks-and-pager" }).waitFor();
  await page.getByRole("combobox", { name: "Initiative", exact: true }).selectOption("compose");
  await page.getByRole("combobox", { name: "Depends on", exact: true }).selectOption("runbooks-and-pager");
  await page.getByRole("button", { name: "Add dependency" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll("table[aria-label='Initiatives in dependency order'] tbody tr td:nth-child(2) code")]
    .map((c) => c.textContent).join(",") === "ci,mtls,runbooks-and-pager,compose");
  const calls = await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "add_dependency"));
  assert.deepEqual(calls.map((c) => c.args), [{ key: "compose", on: "runbooks-and-pager" }]);

  // A cycle is refused and said so; the plan stays as it was.
  await page.getByRole("combobox", { name: "Initiative", exact: true }).selectOption("runbooks-and-pager");
  await page.getByRole("combobox", { name: "Depends on", exact: true }).selectOption("compose");
  await page.getByRole("button", { name: "Add dependency" }).click();
  await page.getByText(/Could not add the dependency: the dependencies form a cycle/).waitFor();
  assert.deepEqual(await order(), ["ci", "mtls", "runbooks-and-pager", "compose"]);
  await page.getByRole("button", { name: "Export…", exact: true }).click();
  await page.getByRole("textbox", { name: "Export to file", exact: true }).fill("/tmp/plan/roadmap.mmd");
  await page.getByRole("button", { name: "Export roadmap" }).click();
  await page.getByRole("list", { name: "Written files" }).getByText("/tmp/plan/roadmap.mmd").waitFor();
  const exports = await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "export_roadmap"));
  assert.deepEqual(exports.map((c) => c.args), [{ format: "mermaid", out: "/tmp/plan/roadmap.mmd" }]);
  await page.screenshot({ path: join(shots, "roadmap-light.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("SLO editor shows the error budget live and saves with the revision", async () => {
  const { page, context, errors } = await app();
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /SLOs/ }).click();
  const figures = page.getByRole("status", { name: "Error budget" });
  await figures.waitFor();
  assert.match(await figures.textContent(), /Error budget: 43\.2 minutes of 43,200 · 10,000 events/);
  const alerts = page.getByRole("table", { name: "Burn-rate alerts" });
  assert.deepEqual(await alerts.locator("tbody tr td:nth-child(4)").allTextContents(), ["0.0144", "0.006", "0.003", "0.001"]);
  await page.getByRole("textbox", { name: "Objective (%)", exact: true }).fill("99.5");
  assert.match(await figures.textContent(), /216 minutes/);
  assert.match(await figures.textContent(), /50,000 events/);
  await page.getByRole("textbox", { name: "Window", exact: true }).fill("28d");
  assert.match(await figures.textContent(), /201\.6 minutes of 40,320/);
  await page.getByRole("textbox", { name: "Objective (%)", exact: true }).fill("100");
  await page.getByRole("alert").filter({ hasText: "Give an objective above 0 and below 100" }).waitFor();
  assert.ok(await page.getByRole("button", { name: "Save SLO" }).isDisabled());
  await page.getByRole("textbox", { name: "Objective (%)", exact: true }).fill("99.5");
  await page.getByRole("button", { name: "Save SLO" }).click();
  await page.getByText("Saved plasma-engine-gateway/requests-availability (revision 2)").waitFor();
  const saves = await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "save_slo"));
  assert.equal(saves.length, 1);
  assert.equal(saves[0].args.expectedRevision, 1);
  assert.equal(saves[0].args.slo.objective, 99.5);
  assert.deepEqual(saves[0].args.slo.window.length, { count: 28, unit: "day" });
  const list = page.getByRole("table", { name: "SLOs" });
  assert.match(await list.locator("tbody tr").first().textContent(), /99\.5%.*28d rolling.*201\.6 min/);
  // DORA targets read as sentences.
  const dora = page.getByRole("list", { name: "DORA targets" });
  assert.deepEqual((await dora.locator("li strong").allTextContents()),
    ["at least 1 per week", "below 1 day", "below 15 %", "below 4 hours"]);
  assert.match(await dora.locator("li").nth(2).textContent(), /Change failure rate.*all environments/);
  await page.screenshot({ path: join(shots, "slo-light.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

async function openSlos(page) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /SLOs/ }).click();
  await page.getByRole("table", { name: "SLOs" }).waitFor();
}
const sloRowText = (page, handle) =>
  page.getByRole("table", { name: "SLOs" }).locator("tbody tr").filter({ hasText: handle }).innerText();
const sloHandles = (page) => page.getByRole("table", { name: "SLOs" }).locator("tbody tr .slo-pick").allTextContents();

test("SLOs: create one (a refused name is explained), edit its SLI and description, see its history, delete it", async () => {
  const { page, context, errors } = await app();
  await openSlos(page);
  await page.getByText("Plasma Engine · 2 SLOs · 2 services").waitFor();
  await page.getByRole("button", { name: "New SLO" }).click();
  const dialog = page.getByRole("dialog", { name: "New SLO" });
  // The service offers the workspace's repositories and starts with the first.
  assert.equal(await dialog.getByRole("combobox", { name: "Service" }).inputValue(), "plasma-core");
  assert.deepEqual(await dialog.locator("datalist option").evaluateAll((os) => os.map((o) => o.value)),
    ["plasma-core", "plasma-gateway", "plasma-sdk", "plasma-infra"]);
  await dialog.getByRole("combobox", { name: "Service" }).fill("plasma-gateway");
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Query Latency");
  await dialog.getByRole("textbox", { name: "Description" }).fill("Queries answer fast.");
  await dialog.getByRole("textbox", { name: "Objective (%)" }).fill("99.95");
  await dialog.getByRole("textbox", { name: "Window", exact: true }).fill("28d");
  assert.ok(await dialog.getByRole("button", { name: "Create SLO" }).isDisabled(), "no SLI queries yet");
  await dialog.getByRole("textbox", { name: "Good events query" }).fill('sum(rate(queries_total{code!~"5.."}[5m]))');
  await dialog.getByRole("textbox", { name: "Total events query" }).fill("sum(rate(queries_total[5m]))");
  assert.match(await dialog.getByRole("status", { name: "Budget preview" }).textContent(), /20\.2 minutes per 28d/);
  await dialog.getByRole("button", { name: "Create SLO" }).click();
  // The backend refuses the name: the dialog stays open and says why.
  await dialog.getByRole("alert").filter({ hasText: /name: use 1 to 63 lower-case letters/ }).waitFor();
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("query-latency");
  await page.screenshot({ path: join(shots, "slo-new.png") });
  await dialog.getByRole("button", { name: "Create SLO" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("Plasma Engine · 3 SLOs · 3 services").waitFor();
  assert.ok((await sloHandles(page)).includes("plasma-gateway/query-latency"));
  const created = (await calls(page, "create_slo")).at(-1).args.slo;
  assert.deepEqual(created, {
    service: "plasma-gateway", name: "query-latency", display_name: "", description: "Queries answer fast.",
    sli: { kind: "ratio", counter: "good", numerator_query: 'sum(rate(queries_total{code!~"5.."}[5m]))', total_query: "sum(rate(queries_total[5m]))", source: "prometheus" },
    objective: 99.95, window: "28d", calendar: false, expected_events: null,
  });
  // The new SLO is open in the editor, its SLI shown.
  const editor = page.getByRole("region", { name: "SLO plasma-gateway/query-latency" });
  await editor.waitFor();
  assert.equal(await editor.getByRole("textbox", { name: "Total events query" }).inputValue(), "sum(rate(queries_total[5m]))");
  assert.ok(await editor.getByRole("button", { name: "Save SLO" }).isDisabled(), "nothing to save yet");

  // Edit: description, the SLI's total query and the objective.
  await editor.getByRole("textbox", { name: "Description" }).fill("Queries answer without errors.");
  await editor.getByRole("textbox", { name: "Total events query" }).fill('sum(rate(queries_total{route!="/health"}[5m]))');
  await editor.getByRole("button", { name: "Save SLO" }).click();
  await page.getByText("Saved plasma-gateway/query-latency (revision 2)").waitFor();
  const saved = (await calls(page, "save_slo")).at(-1).args;
  assert.equal(saved.expectedRevision, 1);
  assert.equal(saved.slo.description, "Queries answer without errors.");
  assert.equal(saved.slo.sli.total_query, 'sum(rate(queries_total{route!="/health"}[5m]))');
  const history = page.getByRole("region", { name: "SLO plasma-gateway/query-latency" }).locator("details.slo-history");
  await history.locator("summary").filter({ hasText: "History (2 revisions)" }).click();
  assert.deepEqual(await history.getByRole("list", { name: "SLO history" }).locator("li > span:nth-child(2)").allTextContents(),
    ["Edited description, sli", "Created"]);
  // A validation error from the backend is shown in the editor, not only in a toast.
  const edit2 = page.getByRole("region", { name: "SLO plasma-gateway/query-latency" });
  await edit2.getByRole("textbox", { name: "Good events query" }).fill("   ");
  assert.ok(await edit2.getByRole("button", { name: "Save SLO" }).isDisabled(), "an empty query cannot be saved");
  await edit2.getByRole("textbox", { name: "Good events query" }).fill("sum(rate(ok[5m]))");
  await page.screenshot({ path: join(shots, "slo-editor.png"), fullPage: true });
  // An error-ratio SLI (Sloth's raw): one query, saved as its own kind.
  await edit2.getByRole("radiogroup", { name: "SLI type" }).getByRole("radio", { name: "Error ratio" }).click();
  assert.equal(await edit2.getByRole("textbox", { name: "Error ratio query" }).inputValue(), "sum(rate(ok[5m]))", "the query carries over");
  await edit2.getByRole("textbox", { name: "Error ratio query" }).fill("slo:sli_error:ratio_rate5m");
  await edit2.getByRole("button", { name: "Save SLO" }).click();
  await page.getByText("Saved plasma-gateway/query-latency (revision 3)").waitFor();
  assert.deepEqual((await calls(page, "save_slo")).at(-1).args.slo.sli, { kind: "error_ratio", query: "slo:sli_error:ratio_rate5m", source: "prometheus" });
  // A Sloth plugin SLI: its id and options, typed as key: value lines (a
  // line being typed, without its colon yet, is kept as a key).
  await edit2.getByRole("radiogroup", { name: "SLI type" }).getByRole("radio", { name: "Sloth plugin" }).click();
  assert.ok(await edit2.getByRole("button", { name: "Save SLO" }).isDisabled(), "a plugin SLI needs its id");
  await edit2.getByRole("textbox", { name: "Sloth SLI plugin id" }).fill("sloth-common/coredns/availability");
  await edit2.getByRole("textbox", { name: "Plugin options" }).fill('filter: job="coredns"\nexclude_errors');
  assert.equal(await edit2.getByRole("textbox", { name: "Plugin options" }).inputValue(), 'filter: job="coredns"\nexclude_errors');
  await edit2.getByRole("button", { name: "Save SLO" }).click();
  await page.getByText("Saved plasma-gateway/query-latency (revision 4)").waitFor();
  assert.deepEqual((await calls(page, "save_slo")).at(-1).args.slo.sli,
    { kind: "plugin", id: "sloth-common/coredns/availability", options: { filter: 'job="coredns"', exclude_errors: "" } });
  assert.ok((await sloRowText(page, "plasma-gateway/query-latency")).includes("plugin sloth-common/coredns/availability"));

  // Delete, after confirming.
  await edit2.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete SLO" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  assert.equal((await calls(page, "remove_slo")).length, 0);
  await edit2.getByRole("button", { name: "Delete" }).click();
  await confirm.getByRole("button", { name: "Delete SLO" }).click();
  await page.getByText("Deleted plasma-gateway/query-latency").waitFor();
  await page.getByText("Plasma Engine · 2 SLOs · 2 services").waitFor();
  assert.deepEqual((await calls(page, "remove_slo")).map((c) => c.args), [{ handle: "plasma-gateway/query-latency" }]);
  assert.ok(!(await sloHandles(page)).includes("plasma-gateway/query-latency"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("SLOs: import a folder from the folder picker lists each file, the skipped and the failed", async () => {
  const { page, context, errors } = await app();
  await openSlos(page);
  await page.evaluate(() => window.__mock.setPickedFolder("/home/demo/slo-specs"));
  await page.getByRole("button", { name: "Import folder…" }).click();
  const dialog = page.getByRole("dialog", { name: "SLO folder import" });
  const report = dialog.getByRole("region", { name: "Import report" });
  await report.waitFor();
  assert.equal((await calls(page, "plugin:dialog|open")).at(-1).args.options.title, "Choose a folder of OpenSLO or Sloth files");
  assert.deepEqual((await calls(page, "import_slo_folder")).map((c) => c.args), [{ dir: "/home/demo/slo-specs" }]);
  assert.deepEqual(await report.locator(".stat").allTextContents(), ["1created", "1updated", "0unchanged", "0files with errors"]);
  assert.match(await report.getByRole("list", { name: "Imported files" }).textContent(), /checkout\.openslo\.yaml.*checkout\/availability created/);
  assert.match(await report.getByRole("list", { name: "Skipped files" }).textContent(), /deploy\.yaml: apiVersion "apps\/v1" Deployment/);
  assert.equal(await report.getByRole("list", { name: "Files with errors" }).count(), 0);
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByText("Plasma Engine · 3 SLOs · 3 services").waitFor();

  // A broken file is listed with its reason; the others still import.
  await page.evaluate(() => window.__mock.setPickedFolder("/home/demo/broken-specs"));
  await page.getByRole("button", { name: "Import folder…" }).click();
  await report.getByRole("list", { name: "Files with errors" }).getByText("broken.yaml: /0/spec: no objectives").waitFor();
  assert.deepEqual(await report.locator(".stat").allTextContents(), ["0created", "1updated", "1unchanged", "1file with errors"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("SLOs: import from the file picker shows the report; export OpenSLO and Sloth to a picked folder; empty state", async () => {
  const { page, context, errors } = await app();
  await openSlos(page);
  await page.getByRole("button", { name: "Import…" }).click();
  const report = page.getByRole("dialog", { name: "SLO import" }).getByRole("region", { name: "Import report" });
  await report.waitFor();
  const open = (await calls(page, "plugin:dialog|open")).at(-1).args.options;
  assert.equal(open.title, "Import SLOs");
  assert.deepEqual(open.filters[0].extensions, ["yaml", "yml", "json"]);
  assert.deepEqual((await calls(page, "import_slo_file")).map((c) => c.args), [{ file: "/home/demo/slo/checkout.openslo.yaml" }]);
  assert.deepEqual(await report.locator(".stat").allTextContents(), ["1created", "1updated", "0unchanged", "1notes"]);
  assert.match(await report.getByRole("list", { name: "Import notes" }).textContent(), /metadata\.annotations/);
  await page.screenshot({ path: join(shots, "slo-import.png") });
  await page.getByRole("dialog", { name: "SLO import" }).getByRole("button", { name: "Done" }).click();
  await page.getByText("Plasma Engine · 3 SLOs · 3 services").waitFor();
  assert.ok((await sloHandles(page)).includes("checkout/availability"));

  // Cancelling the picker imports nothing; a file the backend refuses says why.
  await page.evaluate(() => window.__mock.setPickedSloFile(null));
  await page.getByRole("button", { name: "Import…" }).click();
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "plugin:dialog|open").length === 2);
  await page.waitForTimeout(100);
  assert.equal((await calls(page, "import_slo_file")).length, 1);
  await page.evaluate(() => window.__mock.setPickedSloFile("/home/demo/slo/broken.yaml"));
  await page.getByRole("button", { name: "Import…" }).click();
  await page.getByRole("alert").filter({ hasText: "Could not import: /home/demo/slo/broken.yaml: line 7" }).waitFor();

  // Export: OpenSLO to a folder from the picker, then Sloth.
  await page.evaluate(() => window.__mock.setPickedFolder("/home/demo/slos"));
  await page.getByRole("button", { name: "Export…" }).click();
  const ex = page.getByRole("dialog", { name: "Export SLOs" });
  await ex.getByRole("button", { name: "Browse for a folder" }).click();
  await page.waitForFunction(() => document.querySelector("#slo-export-dir")?.value === "/home/demo/slos");
  await ex.getByRole("button", { name: "Export", exact: true }).click();
  const written = ex.getByRole("region", { name: "Export report" });
  await written.getByText("Wrote 3 files to /home/demo/slos").waitFor();
  assert.deepEqual(await written.locator(".file-list li").allTextContents(),
    ["checkout.openslo.yaml", "plasma-engine-content.openslo.yaml", "plasma-engine-gateway.openslo.yaml"]);
  await ex.getByRole("radio", { name: "Sloth (prometheus/v1)" }).click();
  await ex.getByRole("button", { name: "Export", exact: true }).click();
  await written.getByText("plasma-engine-gateway.sloth.yaml").waitFor();
  assert.deepEqual((await calls(page, "export_slos")).map((c) => c.args),
    [{ format: "open_slo", dir: "/home/demo/slos" }, { format: "sloth", dir: "/home/demo/slos" }]);
  await ex.getByRole("button", { name: "Done" }).click();

  // Another workspace without SLOs: the empty state offers the actions, not CLI commands.
  await page.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Sandbox" });
  await page.getByRole("heading", { name: "No SLOs yet" }).waitFor();
  assert.equal(await page.getByText(/plasma slo/).count(), 0);
  await page.getByText("Sandbox · 0 SLOs · 0 services").waitFor();
  await page.locator(".empty").getByRole("button", { name: "New SLO" }).click();
  await page.getByRole("dialog", { name: "New SLO" }).getByRole("button", { name: "Cancel" }).click();
  assert.ok(await page.locator(".empty").getByRole("button", { name: "Import a file" }).isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});

async function openRoadmap(page) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /Roadmap/ }).click();
  await page.getByRole("table", { name: "Initiatives in dependency order" }).waitFor();
}

test("roadmap: editing an initiative's dates and duration moves it on the timeline and changes the critical path; conflicts are explained", async () => {
  const { page, context, errors } = await app();
  await openRoadmap(page);
  const timeline = page.getByRole("region", { name: "Timeline" });
  const composeRow = timeline.locator(".gantt-row").filter({ hasText: "Local dev with Docker Compose" });
  assert.match(await composeRow.textContent(), /2026-01-\d\d → 2026-01-\d\d/);
  const leftBefore = parseFloat(await composeRow.locator(".gantt-bar").evaluate((b) => b.style.left));
  await timeline.getByRole("button", { name: /^Local dev with Docker Compose / }).click();
  const drawer = page.getByRole("complementary", { name: "Initiative compose" });
  assert.equal(await drawer.getByRole("textbox", { name: "Title" }).inputValue(), "Local dev with Docker Compose");
  assert.equal(await drawer.getByRole("textbox", { name: "Duration (days)" }).inputValue(), "5");
  // Dates: the duration follows the span between them.
  await drawer.getByLabel("Start date").fill("2026-05-04");
  await drawer.getByLabel("End date").fill("2026-05-14");
  assert.equal(await drawer.getByRole("textbox", { name: "Duration (days)" }).inputValue(), "10");
  await drawer.getByRole("combobox", { name: "Status" }).selectOption("planned");
  await drawer.getByRole("textbox", { name: "Owner" }).fill("Platform team");
  await drawer.getByRole("combobox", { name: "Repositories" }).fill("plasma-infra");
  await drawer.getByRole("combobox", { name: "Repositories" }).press("Enter");
  await drawer.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved compose (revision 2)").waitFor();
  const saved = (await calls(page, "save_initiative")).at(-1).args;
  assert.equal(saved.expectedRevision, 1);
  assert.deepEqual([saved.initiative.start, saved.initiative.end, saved.initiative.estimate_days, saved.initiative.status, saved.initiative.owner, saved.initiative.repositories],
    ["2026-05-04", "2026-05-14", 10, "planned", "Platform team", ["plasma-infra"]]);
  // The timeline moved it to Q2 with its new dates; the editor stays open on the new revision.
  await composeRow.getByText("2026-05-04 → 2026-05-14").waitFor();
  assert.ok(parseFloat(await composeRow.locator(".gantt-bar").evaluate((b) => b.style.left)) > leftBefore);
  assert.equal(await page.getByLabel("Critical path").textContent(), "ci → mtls");
  await drawer.getByText("revision 2").waitFor();
  // Its history lists the revision with what changed.
  const history = drawer.locator("details.slo-history");
  await history.locator("summary").filter({ hasText: "History (2 revisions)" }).click();
  const entries = await history.getByRole("list", { name: "Initiative history" }).locator("li > span:nth-child(2)").allTextContents();
  assert.equal(entries[1], "Created");
  assert.deepEqual(entries[0].replace(/^Edited /, "").split(", ").sort(), ["end", "estimate_days", "owner", "repositories", "start", "status"]);

  // A longer duration puts it on the critical path; a set end moves with it.
  await drawer.getByRole("textbox", { name: "Duration (days)" }).fill("30");
  assert.equal(await drawer.getByLabel("End date").inputValue(), "2026-06-03");
  await drawer.getByRole("button", { name: "Save" }).click();
  await page.waitForFunction(() => document.querySelector("[aria-label='Critical path']")?.textContent === "compose");
  await page.getByText(/critical path \(30 days\)/).waitFor();
  await composeRow.getByText("2026-05-04 → 2026-06-03").waitFor();
  assert.match(await composeRow.getAttribute("class"), /gantt-critical/);
  await page.screenshot({ path: join(shots, "roadmap-editor.png"), fullPage: false });

  // An end before the start is caught before saving.
  await drawer.getByLabel("End date").fill("2026-04-01");
  await drawer.getByRole("alert").filter({ hasText: "The end is before the start." }).waitFor();
  assert.ok(await drawer.getByRole("button", { name: "Save" }).isDisabled());
  await drawer.getByLabel("End date").fill("2026-06-03");

  // Someone else saves meanwhile: the save is refused and the editor offers to reload.
  await page.evaluate(() => window.__mock.editInitiativeElsewhere("compose", "Dev containers"));
  await drawer.getByRole("textbox", { name: "Title" }).fill("Local dev with Tilt");
  await drawer.getByRole("button", { name: "Save" }).click();
  await drawer.getByRole("alert").filter({ hasText: /Someone else saved this initiative.*changed elsewhere/ }).waitFor();
  await drawer.getByRole("button", { name: "Reload" }).click();
  await page.waitForFunction(() => document.querySelector("aside[aria-label='Initiative compose'] input[aria-label=Title]")?.value === "Dev containers");
  assert.deepEqual(errors, []);
  await context.close();
});

test("roadmap: remove a dependency with its ×, delete an initiative after confirming", async () => {
  const { page, context, errors } = await app();
  await openRoadmap(page);
  const table = page.getByRole("table", { name: "Initiatives in dependency order" });
  const order = () => table.locator("tbody tr td:nth-child(2) code").allTextContents();
  // ci cannot go while mtls depends on it: the dialog says so.
  await table.getByRole("button", { name: "Reusable CI workflows" }).click();
  const drawer = page.getByRole("complementary", { name: "Initiative ci" });
  await drawer.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete initiative" });
  await confirm.getByText("mtls depends on it. Remove that dependency first.").waitFor();
  assert.ok(await confirm.getByRole("button", { name: "Delete initiative" }).isDisabled());
  await confirm.getByRole("button", { name: "Cancel" }).click();

  await table.getByRole("button", { name: "Remove the dependency of mtls on ci" }).click();
  await page.getByText("mtls no longer depends on ci").waitFor();
  assert.deepEqual((await calls(page, "remove_dependency")).map((c) => c.args), [{ key: "mtls", on: "ci" }]);
  await page.waitForFunction(() => document.querySelector("[aria-label='Critical path']")?.textContent === "mtls");
  assert.equal(await table.getByRole("list", { name: "mtls depends on" }).locator("li").count(), 0);
  assert.equal(await page.getByRole("img", { name: "Dependency graph" }).locator("line").count(), 0);

  await drawer.getByRole("button", { name: "Delete" }).click();
  await confirm.getByRole("button", { name: "Delete initiative" }).click();
  await page.getByText("Deleted ci").waitFor();
  await page.waitForFunction(() => document.querySelectorAll("table[aria-label='Initiatives in dependency order'] tbody tr").length === 2);
  assert.deepEqual(await order(), ["compose", "mtls"]);
  assert.deepEqual((await calls(page, "remove_initiative")).map((c) => c.args), [{ key: "ci" }]);
  assert.equal(await page.getByRole("complementary", { name: "Initiative ci" }).count(), 0);
  assert.match(await page.getByRole("region", { name: "Timeline" }).textContent(), /^(?!.*Reusable CI)/s);
  assert.deepEqual(errors, []);
  await context.close();
});
registerThreatTests({ app, shots });
registerA11yTests({ app });

test("screenshots (light and dark)", async () => {
  for (const theme of ["light", "dark"]) {
    const { page, context } = await app({ theme });
    await page.screenshot({ path: join(shots, `list-${theme}.png`) });
    await openAdr(page, "Use gRPC between internal services");
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(shots, `editor-${theme}.png`) });
    await page.getByRole("button", { name: "History" }).click();
    await page.getByRole("complementary", { name: "History" }).getByRole("option").first().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, `history-${theme}.png`) });
    await page.getByRole("button", { name: "Back to decisions" }).click();
    await page.keyboard.press("Control+k");
    await page.getByRole("combobox", { name: "Search everything" }).fill("grpc");
    await page.getByRole("dialog", { name: "Search" }).getByRole("option").first().waitFor();
    await page.screenshot({ path: join(shots, `search-${theme}.png`) });
    await page.keyboard.press("Escape");
    await page.getByRole("tab", { name: "Decision graph" }).click();
    await page.getByRole("img", { name: "Decision graph of this workspace" }).waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(shots, `graph-${theme}.png`) });
    await context.close();
  }
});

test("GitHub sync: link, sign in, publish, status badges and resolving a conflict", async () => {
  const { page, context, errors } = await app();
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /GitHub sync/ }).click();
  const form = page.getByRole("form", { name: "Link a repository" });
  await form.getByLabel("Repository").fill("not a repo");
  await form.getByRole("button", { name: "Link repository" }).click();
  await page.getByRole("alert").filter({ hasText: "is not owner/repo" }).waitFor();
  await form.getByLabel("Repository").fill("plasma/engine-decisions");
  await form.getByRole("button", { name: "Link repository" }).click();
  await page.getByText("plasma/engine-decisions", { exact: true }).waitFor();
  const table = page.getByRole("table", { name: "Sync status" });
  assert.equal(await table.locator("tbody tr").count(), 8);
  assert.equal(await table.getByText("Local only").count(), 8);

  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByText("Signed in as octocat").waitFor();
  await page.getByText("octocat", { exact: true }).waitFor();

  await table.getByRole("checkbox", { name: /ADR-0003/ }).check();
  await page.getByRole("button", { name: "Publish 1 selected" }).click();
  await page.getByText("1 pull request opened or updated").waitFor();
  const row = table.locator("tbody tr").filter({ hasText: "ADR-0003" });
  await row.getByText("PR open").waitFor();
  assert.equal(await row.getByRole("link", { name: "#1" }).getAttribute("href"), "https://github.com/plasma/engine-decisions/pull/1");
  assert.deepEqual((await calls(page, "sync_publish")).map((c) => c.args.target), [{ kind: "adrs", value: [3] }]);

  await page.evaluate(() => window.__mock.syncConflict(3, "Chosen option: REST, because reviewers asked."));
  await page.getByRole("button", { name: "Pull" }).click();
  const conflict = page.getByRole("article", { name: "Conflict in adr:3" });
  await conflict.getByText("Chosen option: REST, because reviewers asked.").waitFor();
  assert.equal(await row.getByText("Conflict").count(), 1);
  await page.screenshot({ path: join(shots, "sync-conflict.png"), fullPage: true });
  // Unlinking now would throw the conflict away: refused, the link stays.
  await page.getByRole("button", { name: "Unlink", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Unlink repository" });
  await confirm.getByText(/Your records stay/).waitFor();
  await confirm.getByRole("button", { name: "Unlink", exact: true }).click();
  await page.getByText(/is not unlinked: it has 1 unresolved conflict/).waitFor();
  assert.equal(await conflict.count(), 1);
  await conflict.getByRole("button", { name: "Take all theirs" }).click();
  await conflict.waitFor({ state: "detached" });
  await row.getByText("Published").waitFor();
  assert.equal((await page.evaluate(() => window.__mock.adr(3))).decision_outcome, "Chosen option: REST, because reviewers asked.");
  assert.deepEqual((await calls(page, "sync_resolve")).map((c) => c.args), [{ key: "adr:3", side: "remote", version: 1 }]);
  await page.screenshot({ path: join(shots, "sync.png"), fullPage: true });
  // With nothing waiting, unlinking goes through: the link form is back, the record kept.
  await page.getByRole("button", { name: "Unlink", exact: true }).click();
  await page.getByRole("dialog", { name: "Unlink repository" }).getByRole("button", { name: "Unlink", exact: true }).click();
  await page.getByText("Unlinked plasma/engine-decisions").waitFor();
  await page.getByRole("form", { name: "Link a repository" }).waitFor();
  assert.equal(await page.getByRole("table", { name: "Sync status" }).count(), 0);
  assert.deepEqual((await calls(page, "sync_unlink")).map((c) => c.args.repo), ["plasma/engine-decisions", "plasma/engine-decisions"]);
  assert.equal((await page.evaluate(() => window.__mock.adr(3))).decision_outcome, "Chosen option: REST, because reviewers asked.");
  assert.deepEqual(errors, []);
  await context.close();
});

test("GitHub sync: a long publish shows n of m progress and Cancel stops it between requests", async () => {
  const { page, context, errors } = await app();
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /GitHub sync/ }).click();
  await page.getByRole("form", { name: "Link a repository" }).getByLabel("Repository").fill("plasma/engine-decisions");
  await page.getByRole("button", { name: "Link repository" }).click();
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByText("Signed in as octocat").waitFor();
  await page.evaluate(() => window.__mock.setSyncStepMs(150));

  await page.getByRole("button", { name: "Publish all changes" }).click();
  const status = page.getByRole("status", { name: "Sync progress" });
  // Any step before the last (a loaded machine may poll past step 2).
  await status.getByText(/^[2-7] of 8$/).waitFor();
  const bar = status.getByRole("progressbar");
  assert.equal(await bar.getAttribute("max"), "8");
  assert.match(await status.textContent(), /ADR-000[2-8]/);
  await page.screenshot({ path: join(shots, "sync-progress.png") });
  await status.getByRole("button", { name: "Cancel" }).click();
  await page.getByText(/Cancelled; the rest was not sent/).waitFor();
  await status.waitFor({ state: "detached" });
  assert.equal((await calls(page, "sync_cancel")).length, 1);

  const table = page.getByRole("table", { name: "Sync status" });
  const open = await table.getByText("PR open").count();
  assert.ok(open >= 1 && open < 8, `some drafts went out before the cancel, not all (${open})`);
  assert.equal(await table.getByText("Local only").count(), 8 - open, "the rest stays local, untouched");

  // The next publish sends only the rest.
  await page.evaluate(() => window.__mock.setSyncStepMs(0));
  await page.getByRole("button", { name: "Publish all changes" }).click();
  await page.getByText(`${8 - open} pull request${8 - open > 1 ? "s" : ""} opened or updated`).waitFor();
  assert.equal(await table.getByText("PR open").count(), 8);
  assert.deepEqual(errors, []);
  await context.close();
});

test("GitHub sync: conflicts are resolved item by item, side by side, with a hand-merged text", async () => {
  const { page, context, errors } = await app();
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: /GitHub sync/ }).click();
  await page.getByRole("form", { name: "Link a repository" }).getByLabel("Repository").fill("plasma/engine-decisions");
  await page.getByRole("button", { name: "Link repository" }).click();
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByText("Signed in as octocat").waitFor();
  const mine = await page.evaluate(() => window.__mock.adr(3));
  await page.evaluate(() => window.__mock.syncConflict(3, "Chosen option: REST, because reviewers asked.", "Reviewers say latency matters most."));
  await page.getByRole("button", { name: "Pull" }).click();
  const conflict = page.getByRole("article", { name: "Conflict in adr:3" });
  const contextItem = conflict.getByRole("group", { name: "Section: context and problem statement" });
  const decisionItem = conflict.getByRole("group", { name: "Section: decision outcome" });
  await decisionItem.getByText("Chosen option: REST, because reviewers asked.").waitFor();
  await contextItem.getByText("Reviewers say latency matters most.").waitFor();
  assert.equal(await decisionItem.locator(".side-h").count(), 3, "base, mine and theirs side by side");
  const apply = conflict.getByRole("button", { name: /^Apply/ });
  assert.equal(await apply.isDisabled(), true, "nothing chosen yet");

  // Hand-merge the decision only: the context stays in conflict.
  await decisionItem.getByRole("button", { name: "Edit merged text" }).click();
  const editor = decisionItem.getByRole("textbox", { name: "Merged text for Section: decision outcome" });
  assert.equal(await editor.inputValue(), mine.decision_outcome, "starts from my text");
  await editor.fill("Chosen option: REST outside, gRPC inside.");
  await conflict.getByText("1 of 2 items chosen").waitFor();
  await page.screenshot({ path: join(shots, "sync-conflict-items.png"), fullPage: true });
  await conflict.getByRole("button", { name: "Apply chosen items" }).click();
  await page.getByText("1 item of adr:3 still to resolve").waitFor();
  await decisionItem.waitFor({ state: "detached" });
  assert.equal((await page.evaluate(() => window.__mock.adr(3))).revision, mine.revision, "nothing saved until every item is chosen");

  // Another window's pull rewrites the conflict while this one shows it:
  // the choice made on the old view is refused, nothing is saved, and the
  // page shows the conflict as it is now.
  await page.evaluate(() => window.__mock.changeConflictElsewhere("adr:3"));
  const overviews = () => window.__mock.calls.filter((c) => c.cmd === "sync_overview").length;
  const loadsBefore = await page.evaluate(overviews);
  await contextItem.getByRole("button", { name: "Use mine" }).click();
  await conflict.getByRole("button", { name: "Apply choices" }).click();
  await page.getByText(/The sync conflict for adr:3 in plasma\/engine-decisions was changed elsewhere/i).waitFor();
  assert.equal((await page.evaluate(() => window.__mock.adr(3))).revision, mine.revision, "nothing saved from a stale view");
  await page.waitForFunction((n) => window.__mock.calls.filter((c) => c.cmd === "sync_overview").length > n, loadsBefore);

  // The choice made stays chosen on the reloaded conflict: apply it again.
  assert.equal(await contextItem.getByRole("button", { name: "Use mine" }).getAttribute("aria-pressed"), "true");
  await conflict.getByRole("button", { name: "Apply choices" }).click();
  await conflict.waitFor({ state: "detached" });
  await page.getByText("Resolved adr:3; saved as a new revision").waitFor();
  const after = await page.evaluate(() => window.__mock.adr(3));
  assert.equal(after.context, mine.context);
  assert.equal(after.decision_outcome, "Chosen option: REST outside, gRPC inside.");
  assert.equal(after.revision, mine.revision + 1);
  assert.deepEqual((await calls(page, "sync_resolve_items")).map((c) => c.args), [
    { key: "adr:3", choices: [{ item: "section:decision outcome", take: { kind: "edited", text: "Chosen option: REST outside, gRPC inside." } }], version: 1 },
    { key: "adr:3", choices: [{ item: "section:context and problem statement", take: { kind: "mine" } }], version: 2 },
    { key: "adr:3", choices: [{ item: "section:context and problem statement", take: { kind: "mine" } }], version: 3 },
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the ADR editor shows its sync status and publishes it as a PR", async () => {
  const { page, context, errors } = await app();
  const nav = page.getByRole("navigation", { name: "Sections" });
  await openAdr(page, "Use gRPC between internal services");
  assert.equal(await page.getByRole("button", { name: "Publish as PR" }).count(), 0, "no action before a repository is linked");
  await nav.getByRole("button", { name: /GitHub sync/ }).click();
  await page.getByRole("form", { name: "Link a repository" }).getByLabel("Repository").fill("plasma/engine-decisions");
  await page.getByRole("button", { name: "Link repository" }).click();
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByText("Signed in as octocat").waitFor();
  await nav.getByRole("button", { name: /ADRs/ }).click();
  await openAdr(page, "Use gRPC between internal services");
  const bar = page.locator(".editor-bar");
  await bar.getByText("Local only").waitFor();
  await bar.getByRole("button", { name: "Publish as PR" }).click();
  await page.getByText("Draft pull request #1 is open").waitFor();
  await bar.getByText("PR open").waitFor();
  assert.equal(await bar.getByRole("link", { name: "PR #1" }).getAttribute("href"), "https://github.com/plasma/engine-decisions/pull/1");
  assert.deepEqual((await calls(page, "sync_publish")).map((c) => c.args.target), [{ kind: "adrs", value: [3] }]);
  assert.deepEqual(errors, []);
  await context.close();
});
