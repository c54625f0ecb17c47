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

/**
 * WCAG 1.4.11: the border that marks a text field or select (its own, or its
 * wrapper's, as in a search box) must reach 3:1 against the colours inside
 * and outside it. Colours are read from the computed styles, composited over
 * the backgrounds beneath, through a canvas (it parses every CSS colour form).
 * A field with no border width is drawn by its wrapper; one whose border is
 * transparent (a title edited in place) draws no boundary and is skipped.
 */
async function fieldBorderFailures(page, screen) {
  const { checked, failures } = await page.evaluate(() => {
    const ctx = Object.assign(document.createElement("canvas"), { width: 1, height: 1 }).getContext("2d", { willReadFrequently: true });
    const rgba = (css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return { r, g, b, a: a / 255 };
    };
    const over = (top, below) => ({
      r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1,
    });
    /** The opaque colour seen behind `el`'s content: its background over its ancestors'. */
    const backdrop = (el) => {
      const layers = [];
      for (let at = el; at; at = at.parentElement) {
        const c = rgba(getComputedStyle(at).backgroundColor);
        if (c.a > 0) layers.push(c);
        if (c.a === 1) break;
      }
      return layers.reverse().reduce((below, top) => over(top, below), { r: 255, g: 255, b: 255, a: 1 });
    };
    const luminance = ({ r, g, b }) => {
      const [R, G, B] = [r, g, b].map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const contrast = (x, y) => {
      const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
      return (hi + 0.05) / (lo + 0.05);
    };
    const SIDES = ["Top", "Right", "Bottom", "Left"];
    const drawn = (s, side) => parseFloat(s[`border${side}Width`]) > 0 && s[`border${side}Style`] !== "none";
    const border = (el) => {
      const s = getComputedStyle(el);
      const side = SIDES.find((at) => drawn(s, at) && rgba(s[`border${at}Color`]).a > 0);
      return side ? rgba(s[`border${side}Color`]) : null;
    };
    const fields = [...document.querySelectorAll("input, select, textarea")].filter((el) => !el.disabled
      && !["checkbox", "radio", "range", "color", "file", "hidden", "button", "submit"].includes(el.type)
      && el.checkVisibility({ visibilityProperty: true }));
    const failures = [];
    let checked = 0;
    for (const field of fields) {
      const own = getComputedStyle(field);
      const box = SIDES.some((side) => drawn(own, side)) ? field : field.parentElement;
      if (!border(box)) continue;
      checked++;
      const outside = backdrop(box.parentElement);
      const line = over(border(box), outside);
      const ratio = Math.min(contrast(line, outside), contrast(line, backdrop(box)));
      if (ratio < 3) {
        const name = field.getAttribute("aria-label") || field.getAttribute("placeholder") || field.id || field.name;
        failures.push(`${field.tagName.toLowerCase()} "${name}" border ${ratio.toFixed(2)}:1`);
      }
    }
    return { checked, failures };
  });
  return { checked, failures: failures.map((f) => ({ key: `field-border ${f}`, line: `[${screen}] field border below 3:1: ${f}` })) };
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
      // A roving tabindex (tabs, radio strips, the matrix grid) leaves one stop per widget.
      if (el.tabIndex < 0 || !el.checkVisibility({ visibilityProperty: true })) return false;
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
      let fieldsChecked = 0;
      const scan = async (screen) => {
        const fields = await fieldBorderFailures(page, screen);
        fieldsChecked += fields.checked;
        for (const v of [...await axeViolations(page, screen), ...fields.failures]) if (!violations.has(v.key)) violations.set(v.key, v.line);
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
      await page.getByRole("tab", { name: "Decision graph" }).click();
      await page.getByRole("img", { name: "Decision graph of this workspace" }).waitFor();
      await scan("decision graph");
      await page.getByRole("tab", { name: "List" }).click();

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
      // The bars repeat the label buttons for the mouse: out of the accessibility tree and the Tab order.
      const timeline = page.getByRole("region", { name: "Timeline" });
      assert.deepEqual(await timeline.locator(".gantt-bar").evaluateAll((bars) => bars.map((b) => [b.closest("[aria-hidden=true]") !== null, b.tabIndex])),
        [[true, -1], [true, -1], [true, -1]]);
      assert.equal(await timeline.getByRole("button").count(), 3);
      await section(page, /SLOs/, page.getByRole("status", { name: "Error budget" }));
      await scan("SLOs with one open");
      await section(page, /GitHub sync/, page.getByRole("form", { name: "Link a repository" }));
      await page.getByRole("form", { name: "Link a repository" }).getByLabel("Repository").fill("plasma/engine-decisions");
      await page.getByRole("button", { name: "Link repository" }).click();
      await page.getByRole("table", { name: "Sync status" }).waitFor();
      await scan("GitHub sync");

      assert.deepEqual(errors, []);
      await context.close();
      assert.ok(fieldsChecked > 30, `only ${fieldsChecked} field borders checked`);
      assert.equal(violations.size, 0, `${violations.size} accessibility violations:\n${[...violations.values()].join("\n")}`);
    });
  }

  test("keyboard: Tab reaches every control of the ADR editor and the compliance page in order, each with a focus ring; the matrix is one stop", async () => {
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
    // The grid is one Tab stop: the cell clicked last.
    const cells = compliance.expected.filter((c) => / in plasma-[\w-]+: [^\d]/.test(c)); // not the heat map's percentages
    assert.equal(cells.length, 1, `matrix stops: ${cells.join(", ")}`);
    assert.match(cells[0], /^button ".+ in plasma-core: /);
    assert.deepEqual(compliance.reached, compliance.expected);
    assert.deepEqual(compliance.withoutRing, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("keyboard: tabs move with Left/Right/Home/End and show their panel; radio strips move with the arrows; each is one Tab stop", async () => {
    const { page, context, errors } = await app();
    const focused = (locator) => locator.evaluate((el) => el === document.activeElement);
    const stops = (strip) => strip.locator("[tabindex='0']").allTextContents();

    // The ADR list's view switch.
    const view = page.getByRole("tablist", { name: "View" });
    assert.deepEqual(await stops(view), ["List"]);
    await view.getByRole("tab", { name: "List" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tabpanel", { name: "Decision graph" }).getByRole("img", { name: "Decision graph of this workspace" }).waitFor();
    assert.ok(await focused(view.getByRole("tab", { name: "Decision graph", selected: true })));
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tabpanel", { name: "List" }).getByRole("table", { name: "Architecture decision records" }).waitFor();
    assert.ok(await focused(view.getByRole("tab", { name: "List", selected: true })), "Right on the last tab wraps to the first");

    // The threat model inspector: each tab controls the panel named by it.
    await section(page, /Threat models/, page.getByRole("table", { name: "Threat models" }));
    await page.getByRole("button", { name: "Payments", exact: true }).click();
    const inspector = page.getByRole("tablist", { name: "Inspector tabs" });
    await inspector.getByRole("tab", { name: "Properties", selected: true }).focus();
    assert.deepEqual(await stops(inspector), ["Properties"]);
    for (const [key, name] of [["ArrowRight", /^Threats \(/], ["ArrowRight", "Session"], ["ArrowRight", "Properties"],
      ["ArrowLeft", "Session"], ["Home", "Properties"], ["End", "Session"], ["ArrowLeft", /^Threats \(/]]) {
      await page.keyboard.press(key);
      const tab = inspector.getByRole("tab", { name, selected: true });
      assert.ok(await focused(tab), `${key} focuses the tab ${name}`);
      assert.equal(await page.getByRole("tabpanel", { name }).getAttribute("id"), await tab.getAttribute("aria-controls"));
      assert.equal((await stops(inspector)).length, 1);
    }
    await page.getByRole("tabpanel", { name: /^Threats \(/ }).getByRole("button", { name: "Add threat" }).waitFor();

    // The SLO editor's SLI type is a value: a radio group, every arrow moves and checks, wrapping.
    await section(page, /SLOs/, page.getByRole("status", { name: "Error budget" }));
    const sli = page.getByRole("radiogroup", { name: "SLI type" });
    const kinds = await sli.getByRole("radio").allTextContents();
    let at = kinds.indexOf(await sli.getByRole("radio", { checked: true }).textContent());
    assert.ok(at >= 0);
    await sli.getByRole("radio", { checked: true }).focus();
    for (const [key, step] of [["ArrowRight", 1], ["ArrowDown", 1], ["ArrowUp", -1], ["ArrowLeft", -1], ["ArrowLeft", -1], ["End", 0], ["Home", 0]]) {
      await page.keyboard.press(key);
      at = key === "End" ? kinds.length - 1 : key === "Home" ? 0 : (at + step + kinds.length) % kinds.length;
      const radio = sli.getByRole("radio", { name: kinds[at], exact: true });
      assert.equal(await radio.getAttribute("aria-checked"), "true", `${key} checks ${kinds[at]}`);
      assert.ok(await focused(radio), `${key} focuses ${kinds[at]}`);
      assert.deepEqual(await stops(sli), [kinds[at]]);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("keyboard: the compliance matrix is a grid: arrows, Home/End, Ctrl+Home/End and Page keys move, Enter and Space open a cell, far rows scroll in", async () => {
    const { page, context, errors } = await app({ query: "?mock-controls=5000" });
    const grid = page.getByRole("grid", { name: "Compliance matrix" });
    await section(page, /Compliance/, grid);
    const focus = () => page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      // Seen, not only scrolled to: the point at its centre is it (not the sticky header, not outside the grid).
      const seen = el.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
      return { at: el.dataset.at ?? null, name: el.getAttribute("aria-label") ?? el.textContent.trim(), seen };
    });
    const press = async (key, at) => {
      await page.keyboard.press(key);
      const now = await focus();
      assert.equal(now.at, at, `${key} moves to ${at}`);
      assert.ok(now.seen, `${key}: cell ${at} is in view`);
      return now.name;
    };

    // One Tab stop, on the first control's first repository.
    await page.getByRole("searchbox", { name: "Filter controls" }).focus();
    await page.keyboard.press("Tab");
    const first = await focus();
    assert.equal(first.at, "1:2");
    assert.match(first.name, / in plasma-core: /);
    const columns = await grid.getByRole("columnheader").count();
    const rows = Number(await grid.getAttribute("aria-rowcount")) - 1;
    assert.match(await press("ArrowRight", "1:3"), / in plasma-gateway: /);
    const lastRepo = await grid.getByRole("columnheader").last().getAttribute("title");
    assert.match(await press("End", `1:${columns - 1}`), new RegExp(` in ${lastRepo}: `));
    assert.match(await press("Home", "1:0"), /^Select /);
    await press("ArrowLeft", "1:0");
    assert.equal(await press("ArrowUp", "0:0"), "Select all controls");
    assert.equal(await press("ArrowUp", "0:0"), "Select all controls");
    await press("ArrowDown", "1:0");
    await press("Control+End", `${rows}:${columns - 1}`);
    await press("Control+Home", "0:0");
    // Shift+Tab leaves the grid, Tab comes back to the cell it left.
    await press("ArrowDown", "1:0");
    await press("ArrowRight", "1:1");
    await page.keyboard.press("Shift+Tab");
    assert.equal((await focus()).at, null);
    await press("Tab", "1:1");

    // Enter and Space open the cell's drawer, as a click does.
    const cell = await press("ArrowRight", "1:2");
    await page.keyboard.press("Enter");
    const drawer = page.getByRole("complementary", { name: "Cell details" });
    await drawer.getByRole("heading", { name: `${cell.split(" in ")[0]} · plasma-core` }).waitFor();
    await press("ArrowRight", "1:3");
    await page.keyboard.press(" ");
    await drawer.getByRole("heading", { name: / · plasma-gateway$/ }).waitFor();
    assert.ok(await page.evaluate(() => document.activeElement.dataset.at === "1:3"), "focus stays in the grid");

    // The 5,000-control catalog: past the rendered rows, each move scrolls its row in.
    await page.getByRole("combobox", { name: "Framework" }).selectOption("bulk");
    await page.getByRole("rowheader", { name: /B-00001/ }).waitFor();
    await grid.getByRole("button", { name: /^B-00001 in plasma-core: / }).focus();
    for (let i = 2; i <= 40; i++) await press("ArrowDown", `${i}:2`);
    assert.match((await focus()).name, /^B-00040 in plasma-core: /);
    await press("PageDown", `${40 + (await page.evaluate(() => document.activeElement.closest("[role=grid]").clientHeight) / 34 | 0) - 2}:2`);
    await press("Control+End", `5000:${columns - 1}`);
    assert.match((await focus()).name, new RegExp(`^B-05000 in ${lastRepo}: `));
    for (let i = 4999; i >= 4970; i--) await press("ArrowUp", `${i}:${columns - 1}`);
    await press("Control+Home", "0:0");
    await press("ArrowDown", "1:0");
    assert.ok(await grid.getByRole("rowheader").count() < 100, "still virtualized");
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
