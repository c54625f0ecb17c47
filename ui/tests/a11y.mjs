// Accessibility: every screen checked by axe-core (WCAG 2.x A and AA rules)
// in the light and the dark theme, with the mock backend. Registered from run.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Runs axe on the page once its transitions have ended; one readable line per failing node. */
async function axeViolations(page, screen) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript });
  // A dialog fading in has not reached its colours yet (spinners never end, so they are not awaited).
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished)));
  const found = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => ({
      rule: v.id, impact: v.impact, target: n.target.join(" "), summary: n.failureSummary.replace(/\s+/g, " ").trim(),
    })));
  }, WCAG_AA);
  return found.map((v) => ({ key: `${v.rule} ${v.target}`, line: `[${screen}] ${v.rule} (${v.impact}) ${v.target}: ${v.summary}` }));
}

const TABBABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), "
  + "textarea:not([disabled]), [tabindex]:not([tabindex='-1']), [contenteditable='true']";

/**
 * Presses Tab from `start` once per control in `scope` (document order, one
 * stop per radio group) and reports, per stop, which control had focus and
 * whether it (or its wrapper) looked different from unfocused: a focus ring.
 */
async function tabThrough(page, scope, start) {
  await page.mouse.move(0, 0);
  await start.focus();
  const expected = await scope.evaluate((root, selector) => {
    const radioGroups = new Set();
    const controls = [...root.querySelectorAll(selector)].filter((el) => {
      if (!el.checkVisibility({ visibilityProperty: true })) return false;
      if (el.type !== "radio") return true;
      const group = el.name || el;
      const stop = el.checked || ![...root.querySelectorAll(`input[type=radio][name="${el.name}"]`)].some((r) => r.checked);
      if (radioGroups.has(group) || !stop) return false;
      radioGroups.add(group);
      return true;
    });
    const look = (el) => [el, el.parentElement].map((x) => {
      const s = getComputedStyle(x);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join(" ");
    }).join(" / ");
    const describe = (el) => `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)
      || el.getAttribute("placeholder") || el.id || el.name || ""}"`;
    window.__tabbing = { controls, unfocused: controls.map(look), look, describe };
    return controls.map(describe);
  }, TABBABLE);
  const stops = [];
  // A date input takes one Tab per part (month, day, year): count it once.
  for (let presses = 0; stops.length < expected.length && presses < expected.length * 4; presses++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const { controls, unfocused, look, describe, last } = window.__tabbing;
      const el = document.activeElement;
      if (el === last) return null;
      window.__tabbing.last = el;
      const at = controls.indexOf(el);
      return { control: describe(el), ring: at >= 0 && look(el) !== unfocused[at] };
    });
    if (stop) stops.push(stop);
  }
  return { expected, reached: stops.map((s) => s.control), withoutRing: stops.filter((s) => !s.ring).map((s) => s.control) };
}

export function registerA11yTests({ app }) {
  const nav = (page) => page.getByRole("navigation", { name: "Sections" });
  const section = async (page, name, ready) => {
    await nav(page).getByRole("button", { name }).click();
    await ready.waitFor();
  };

  for (const theme of ["light", "dark"]) {
    test(`accessibility: axe finds no WCAG A/AA violation on any screen (${theme} theme)`, async () => {
      const { page, context, errors } = await app({ theme });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      // Keyed by rule and target: the sidebar, say, is reported on the first screen only.
      const violations = new Map();
      const scan = async (screen) => {
        for (const v of await axeViolations(page, screen)) if (!violations.has(v.key)) violations.set(v.key, v.line);
      };

      await scan("ADR list");
      await page.getByRole("button", { name: "New ADR" }).first().click();
      await page.getByRole("dialog", { name: "New ADR" }).waitFor();
      await scan("new ADR dialog");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Import…" }).click();
      await page.getByRole("dialog", { name: "Import ADRs" }).waitFor();
      await scan("ADR import dialog");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+k");
      await page.getByRole("combobox", { name: "Search everything" }).fill("grpc");
      await page.getByRole("dialog", { name: "Search" }).getByRole("option").first().waitFor();
      await scan("search dialog");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Decision graph" }).click();
      await page.getByRole("img", { name: "Decision graph of this workspace" }).waitFor();
      await scan("decision graph");
      await page.getByRole("button", { name: "List" }).click();

      await page.getByRole("button", { name: "Use gRPC between internal services", exact: true }).click();
      await page.getByRole("textbox", { name: "Title", exact: true }).waitFor();
      await page.locator(".md-preview").first().waitFor();
      // Names read as words: the chip's number and title are apart.
      await page.getByRole("group", { name: "Links" })
        .getByRole("button", { name: "Relates to ADR-0004 Mutual TLS with SPIFFE identities for all service traffic", exact: true }).waitFor();
      await scan("ADR editor with preview");
      await page.getByRole("button", { name: "History" }).click();
      await page.getByRole("complementary", { name: "History" }).getByRole("option").first().click();
      await scan("revision history");

      await section(page, /Threat models/, page.getByRole("table", { name: "Threat models" }));
      await scan("threat models");
      await page.getByRole("button", { name: "Payments", exact: true }).click();
      await page.locator(".dfd-canvas .react-flow__node").first().waitFor();
      await page.locator(".tm-bar").getByRole("button", { name: "Fit" }).click();
      await page.waitForTimeout(300);
      await page.locator(".react-flow__node").filter({ has: page.getByTestId("node-Ledger DB") }).click();
      await page.getByRole("complementary", { name: "Inspector" }).getByRole("textbox").first().waitFor();
      await scan("diagram editor with property panel");
      await page.getByRole("button", { name: "Generate threats" }).click();
      await page.getByRole("tab", { name: /Threats \(8\)/ }).click();
      const threat = page.getByRole("list", { name: "Threats" }).getByRole("listitem").filter({ hasText: "Credentials readable at rest" });
      await threat.getByRole("button", { name: /Credentials readable at rest/ }).click();
      await threat.getByRole("textbox", { name: "CVSS vector" }).waitFor();
      await scan("threats tab");
      await page.getByRole("tab", { name: "Session" }).click();
      await page.getByRole("button", { name: "Start session" }).waitFor();
      await scan("session tab");

      await section(page, /Compliance/, page.getByRole("grid", { name: "Compliance matrix" }));
      await page.getByRole("grid", { name: "Compliance matrix" }).getByRole("button", { name: /in plasma-core: / }).first().click();
      await page.getByRole("complementary", { name: "Cell details" }).waitFor();
      await scan("compliance heat map, matrix and cell drawer");
      await page.getByRole("button", { name: "Import catalog…" }).click();
      await page.getByRole("dialog").waitFor();
      await scan("catalog import dialog");
      await page.keyboard.press("Escape");

      await section(page, /Roadmap/, page.getByRole("table", { name: "Initiatives in dependency order" }));
      await scan("roadmap");
      await section(page, /SLOs/, page.getByRole("status", { name: "Error budget" }));
      await scan("SLOs with one open");
      await section(page, /GitHub sync/, page.getByRole("form", { name: "Link a repository" }));
      await page.getByRole("form", { name: "Link a repository" }).getByLabel("Repository").fill("plasma/engine-decisions");
      await page.getByRole("button", { name: "Link repository" }).click();
      await page.getByRole("table", { name: "Sync status" }).waitFor();
      await scan("GitHub sync");

      assert.deepEqual(errors, []);
      await context.close();
      assert.equal(violations.size, 0, `${violations.size} accessibility violations:\n${[...violations.values()].join("\n")}`);
    });
  }

  test("keyboard: Tab reaches every control of the ADR editor and the compliance matrix in order, each with a focus ring", async () => {
    const { page, context, errors } = await app();
    const main = page.locator("main");
    const lastOfSidebar = page.getByRole("button", { name: "Keyboard shortcuts" });
    await page.getByRole("button", { name: "Use gRPC between internal services", exact: true }).click();
    await page.getByRole("textbox", { name: "Title", exact: true }).waitFor();
    const editor = await tabThrough(page, main, lastOfSidebar);
    assert.ok(editor.expected.length > 15, `editor controls: ${editor.expected.join(", ")}`);
    assert.deepEqual(editor.reached, editor.expected);
    assert.deepEqual(editor.withoutRing, []);

    await section(page, /Compliance/, page.getByRole("grid", { name: "Compliance matrix" }));
    await page.getByRole("grid", { name: "Compliance matrix" }).getByRole("button", { name: /in plasma-core: / }).first().click();
    await page.getByRole("complementary", { name: "Cell details" }).waitFor();
    const compliance = await tabThrough(page, main, lastOfSidebar);
    const cells = compliance.expected.filter((c) => / in plasma-/.test(c));
    assert.ok(cells.length >= 16, `matrix cells: ${cells.join(", ")}`);
    assert.deepEqual(compliance.reached, compliance.expected);
    assert.deepEqual(compliance.withoutRing, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("keyboard: dialogs keep Tab inside and give focus back to what opened them", async () => {
    const { page, context, errors } = await app();
    for (const [opener, name] of [[page.getByRole("button", { name: "New ADR" }).first(), "New ADR"],
      [page.getByRole("button", { name: "Import…" }), "Import ADRs"],
      [page.getByRole("button", { name: "Search", exact: true }), "Search"],
      [page.getByRole("button", { name: "Keyboard shortcuts" }), "Keyboard shortcuts"]]) {
      await opener.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name });
      await dialog.waitFor();
      const focusInside = () => dialog.evaluate((d) => d.contains(document.activeElement));
      assert.ok(await focusInside(), `${name}: focus moves into the dialog`);
      const controls = await dialog.evaluate((d, selector) => [...d.querySelectorAll(selector)]
        .filter((el) => el.checkVisibility({ visibilityProperty: true })).length, TABBABLE);
      for (const key of ["Shift+Tab", "Tab"]) {
        for (let i = 0; i <= controls + 1; i++) {
          await page.keyboard.press(key);
          assert.ok(await focusInside(), `${name}: focus left the dialog after ${i + 1} × ${key}`);
        }
      }
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      assert.ok(await opener.evaluate((el) => el === document.activeElement), `${name}: focus is back on its opener`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
