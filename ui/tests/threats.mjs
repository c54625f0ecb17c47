// Browser tests of the Threats section (diagram editor, threats panel,
// sessions) against the mock backend. Registered from run.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

/** A point (client coordinates) inside an element drawn on the far overview
 * canvas, nearest the canvas centre: a pixel in the fill colour of a process.
 */
async function overviewElementPoint(page) {
  return page.getByTestId("far-overview").evaluate((c) => {
    const { data, width, height } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    const fill = (x, y) => {
      const i = (y * width + x) * 4;
      return Math.abs(data[i] - 219) + Math.abs(data[i + 1] - 234) + Math.abs(data[i + 2] - 254) < 24 && data[i + 3] > 200;
    };
    let best = null, bestD = Infinity;
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        if (!fill(x, y)) continue;
        const d = Math.hypot(x - width / 2, y - height / 2);
        if (d < bestD) { bestD = d; best = { x, y }; }
      }
    }
    if (!best) throw new Error("no element drawn on the overview");
    const r = c.getBoundingClientRect(), ratio = c.width / r.width;
    return { x: r.left + best.x / ratio, y: r.top + best.y / ratio };
  });
}

export function registerThreatTests({ app, shots }) {
  const nav = (page) => page.getByRole("navigation", { name: "Sections" });
  const mockModel = (page, name) => page.evaluate((n) => window.__mock.threats.model(n), name);
  const saved = (page) => page.locator(".tm-bar").getByRole("status").filter({ hasText: /^Saved$/ }).waitFor();
  const canvasNode = (page, name) => page.locator(".react-flow__node").filter({ has: page.getByTestId(`node-${name}`) });
  /** Fits the diagram into view, then clicks the node (as a user would find it). */
  async function pick(page, name) {
    await page.locator(".tm-bar").getByRole("button", { name: "Fit" }).click();
    await page.waitForTimeout(300);
    await canvasNode(page, name).click();
  }

  async function openModel(page, name) {
    await nav(page).getByRole("button", { name: /Threat models/ }).click();
    await page.getByRole("button", { name, exact: true }).click();
    await page.locator(".dfd-canvas .react-flow__node").first().waitFor();
  }

  test("threats: draw a model with the palette, boundaries, flows, undo/redo, copy/paste, autosave", async () => {
    const { page, context, errors } = await app();
    await nav(page).getByRole("button", { name: /Threat models/ }).click();
    await page.getByRole("table", { name: "Threat models" }).waitFor();
    await page.getByRole("button", { name: "New threat model" }).click();
    await page.getByRole("textbox", { name: "Threat model name" }).fill("Checkout");
    await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
    await page.locator(".dfd-canvas").waitFor();

    const rail = page.getByRole("toolbar", { name: "Add to diagram" });
    await rail.getByRole("button", { name: "Trust boundary" }).click();
    await rail.getByRole("button", { name: "External entity" }).click();
    await rail.getByRole("button", { name: "Process" }).click();
    await rail.getByRole("button", { name: "Data store" }).click();
    assert.equal(await page.locator(".react-flow__node-element").count(), 3);
    assert.equal(await page.locator(".react-flow__node-boundary").count(), 1);

    // Added at the centre, all three landed inside the boundary drawn there.
    // The data store was just added and is selected.
    const props = page.getByLabel("Element properties");
    await props.getByRole("textbox", { name: "Name" }).fill("Orders DB");
    await props.getByRole("combobox", { name: "Move into boundary" }).selectOption({ label: "Trust boundary" });
    // The external entity moves out of the boundary from its panel, the process in.
    await pick(page, "External entity");
    await props.getByRole("combobox", { name: "Move into boundary" }).selectOption({ label: "(none: outside every boundary)" });
    await pick(page, "Process");
    await props.getByRole("combobox", { name: "Move into boundary" }).selectOption({ label: "Trust boundary" });
    await props.getByRole("combobox", { name: "Connect to" }).selectOption({ label: "Orders DB" });
    await props.getByRole("button", { name: "Connect" }).click();
    await page.getByLabel("Flow properties").waitFor();
    await page.getByLabel("Flow properties").getByRole("textbox", { name: "Protocol" }).fill("sql");
    await page.getByLabel("Flow properties").getByRole("checkbox", { name: "Encrypted in transit" }).check();
    await pick(page, "External entity");
    await props.getByRole("combobox", { name: "Connect to" }).selectOption({ label: "Process" });
    await props.getByRole("button", { name: "Connect" }).click();
    assert.equal(await page.locator(".react-flow__edge").count(), 2);

    await saved(page);
    let m = await mockModel(page, "Checkout");
    const d = m.model.diagrams[0];
    const boundary = d.boundaries[0];
    const byName = Object.fromEntries(d.elements.map((e) => [e.name, e]));
    assert.deepEqual(Object.keys(byName).sort(), ["External entity", "Orders DB", "Process"]);
    assert.equal(byName["Orders DB"].boundary, boundary.id);
    assert.equal(byName["Process"].boundary, boundary.id);
    assert.equal(byName["External entity"].boundary, null);
    // Containment agrees with the drawing: the element's box sits inside the boundary's.
    for (const e of [byName["Orders DB"], byName["Process"]]) {
      const r = e.position, b = boundary.position;
      assert.ok(r.x >= b.x && r.y >= b.y && r.x + r.width <= b.x + b.width && r.y + r.height <= b.y + b.height, JSON.stringify({ r, b }));
    }
    const sqlFlow = d.flows.find((f) => f.protocol === "sql");
    assert.equal(sqlFlow.encrypted_in_transit, true);
    // The plain-text flow is drawn in the legend's plain-text colour, the
    // encrypted one in the other; only trust boundaries are dashed. (A
    // selected flow is drawn in the accent colour: select a node instead.)
    await pick(page, "Orders DB");
    const strokes = await page.locator(".react-flow__edge").evaluateAll((edges) =>
      edges.map((e) => {
        const s = getComputedStyle(e.querySelector(".react-flow__edge-path"));
        return { plain: e.classList.contains("is-plain"), stroke: s.stroke, dash: s.strokeDasharray };
      }));
    const key = async (name) => page.getByRole("list", { name: "Legend" }).getByRole("listitem").filter({ hasText: name })
      .locator(".dfd-key").evaluate((k) => getComputedStyle(k).borderTopColor);
    const plainStroke = strokes.find((s) => s.plain), sealedStroke = strokes.find((s) => !s.plain);
    assert.ok(plainStroke && sealedStroke, JSON.stringify(strokes));
    assert.equal(plainStroke.stroke, await key("Plain-text flow"));
    assert.equal(sealedStroke.stroke, await key("Encrypted flow"));
    assert.notEqual(plainStroke.stroke, sealedStroke.stroke);
    assert.ok(strokes.every((s) => s.dash === "none"), JSON.stringify(strokes));

    // Undo removes the last flow, redo brings it back.
    await page.getByRole("button", { name: "Undo" }).click();
    assert.equal(await page.locator(".react-flow__edge").count(), 1);
    await page.getByRole("button", { name: "Redo" }).click();
    assert.equal(await page.locator(".react-flow__edge").count(), 2);

    // Out of scope, with a reason: faded on the canvas, kept in the model;
    // back in scope, the field is gone.
    await pick(page, "Orders DB");
    await props.getByRole("checkbox", { name: "Out of scope (no threats raised)" }).check();
    await props.getByRole("textbox", { name: "Reason out of scope" }).fill("Run by the data team");
    await canvasNode(page, "Orders DB").locator(".dfd-node.is-out-of-scope").waitFor();
    await saved(page);
    m = await mockModel(page, "Checkout");
    assert.equal(m.model.diagrams[0].elements.find((e) => e.name === "Orders DB").out_of_scope, "Run by the data team");
    await props.getByRole("checkbox", { name: "Out of scope (no threats raised)" }).uncheck();
    await canvasNode(page, "Orders DB").locator(".dfd-node:not(.is-out-of-scope)").waitFor();
    await saved(page);
    m = await mockModel(page, "Checkout");
    assert.equal(m.model.diagrams[0].elements.find((e) => e.name === "Orders DB").out_of_scope ?? null, null);

    // Copy and paste the selected element: a new one with a fresh name.
    await pick(page, "Orders DB");
    await page.keyboard.press("Control+c");
    await page.keyboard.press("Control+v");
    await canvasNode(page, "Orders DB 2").waitFor();
    // Delete removes the selection (the pasted copy).
    await page.keyboard.press("Delete");
    await canvasNode(page, "Orders DB 2").waitFor({ state: "detached" });
    await saved(page);
    m = await mockModel(page, "Checkout");
    assert.equal(m.model.diagrams[0].elements.length, 3);
    assert.ok(m.revision > 1);

    // Auto layout keeps containment and every element gets a position.
    await page.getByRole("button", { name: "Auto layout" }).click();
    await saved(page);
    m = await mockModel(page, "Checkout");
    assert.ok(m.model.diagrams[0].elements.every((e) => e.position));
    await page.screenshot({ path: join(shots, "threats-editor.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("threats: generate, filter, why it matched, mitigate, badge counts", async () => {
    const { page, context, errors } = await app();
    await openModel(page, "Payments");
    await page.getByRole("button", { name: "Generate threats" }).click();
    await page.getByRole("tab", { name: /Threats \(8\)/ }).waitFor();
    const list = page.getByRole("list", { name: "Threats" });
    assert.equal(await list.locator(".threat-item").count(), 8);
    // Badges: open threats per element.
    assert.equal((await canvasNode(page, "Ledger DB").locator(".threat-badge").textContent()).trim(), "2");

    await page.getByRole("combobox", { name: "Severity" }).selectOption("critical");
    assert.equal(await list.locator(".threat-item").count(), 1);
    await page.getByRole("combobox", { name: "Severity" }).selectOption("");
    await page.getByRole("combobox", { name: "STRIDE category" }).selectOption("information_disclosure");
    assert.equal(await list.locator(".threat-item").count(), 2);
    await page.getByRole("combobox", { name: "STRIDE category" }).selectOption("");

    const item = list.getByRole("listitem").filter({ hasText: "Credentials readable at rest" });
    await item.getByRole("button", { name: /Credentials readable at rest/ }).click();
    const why = item.getByLabel("Why this threat");
    await why.getByText("stores_credentials").waitFor();
    assert.match(await why.textContent(), /rule ID-DS-02/);
    await item.getByRole("button", { name: "Add mitigation" }).click();
    await item.getByRole("textbox", { name: "Mitigation" }).fill("Encrypt the ledger volume with KMS");
    await item.getByRole("combobox", { name: "Mitigation status" }).selectOption("done");
    await item.getByRole("textbox", { name: "Owner" }).fill("platform");
    await item.getByRole("combobox", { name: "Threat status" }).selectOption("mitigated");
    // A CVSS version other than 3.1 or 4.0 is refused while typing; a 4.0 vector is saved.
    const cvss = item.getByRole("textbox", { name: "CVSS vector" });
    await cvss.fill("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P");
    await item.getByText("CVSS 2.0 is not supported").waitFor();
    assert.equal(await item.getByRole("button", { name: "Save threat" }).isDisabled(), true);
    await cvss.fill("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    await item.getByRole("button", { name: "Save threat" }).click();
    await page.getByText("Threat saved").waitFor();
    assert.equal((await canvasNode(page, "Ledger DB").locator(".threat-badge").textContent()).trim(), "1");
    const m = await mockModel(page, "Payments");
    const t = m.model.threats.find((x) => x.rule_id === "ID-DS-02");
    assert.equal(t.status.kind, "mitigated");
    assert.equal(t.cvss, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    assert.deepEqual(t.mitigations.map((x) => [x.title, x.status, x.owner]), [["Encrypt the ledger volume with KMS", "done", "platform"]]);

    // Accepting a risk needs a justification; the backend's refusal is shown.
    const other = list.getByRole("listitem").filter({ hasText: "Spoofing of an external entity" });
    await other.getByRole("button", { name: /Spoofing of an external entity/ }).click();
    await other.getByRole("combobox", { name: "Threat status" }).selectOption("accepted");
    await other.getByRole("button", { name: "Save threat" }).click();
    await page.getByText(/needs a justification/).waitFor();
    await other.getByRole("textbox", { name: "Justification" }).fill("Customers sign in with passkeys");
    await other.getByRole("button", { name: "Save threat" }).click();
    await page.getByText("Threat saved").first().waitFor();
    await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("accepted");
    assert.equal(await list.locator(".threat-item").count(), 1);

    // Export the report into the picked folder.
    await page.getByRole("button", { name: "Export…" }).click();
    const dialog = page.getByRole("dialog", { name: "Export threat model" });
    await dialog.getByRole("button", { name: /Browse/ }).click();
    assert.equal(await dialog.getByRole("textbox", { name: "Report folder" }).inputValue(), "/home/demo/adr");
    await dialog.getByRole("button", { name: "Export", exact: true }).click();
    await dialog.getByRole("region", { name: "Report files" }).getByText("payments.svg").waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    const reports = await page.evaluate(() => window.__mock.threats.reports());
    assert.deepEqual(reports[0].files, ["payments.md", "payments-threats.csv", "payments.svg", "payments.mmd", "payments.dot"]);

    // The same dialog writes Threat Dragon JSON: the save picker is offered the model's file name.
    await page.getByRole("button", { name: "Export…" }).click();
    const td = page.getByRole("dialog", { name: "Export threat model" });
    await td.getByRole("radio", { name: /Threat Dragon/ }).check();
    assert.equal(await td.getByRole("button", { name: "Export", exact: true }).isDisabled(), true, "nothing to write to yet");
    await td.getByRole("button", { name: "Browse for a file" }).click();
    assert.equal(await td.getByRole("textbox", { name: "Threat Dragon JSON file" }).inputValue(), "/home/demo/adr/payments.json");
    await td.getByRole("button", { name: "Export", exact: true }).click();
    await td.getByRole("region", { name: "Exported file" }).getByText("/home/demo/adr/payments.json").waitFor();
    await td.getByRole("button", { name: "Done" }).click();
    // And Open Threat Model JSON, named so the two files do not collide.
    await page.getByRole("button", { name: "Export…" }).click();
    const otm = page.getByRole("dialog", { name: "Export threat model" });
    await otm.getByRole("radio", { name: /Open Threat Model/ }).check();
    await otm.getByRole("button", { name: "Browse for a file" }).click();
    assert.equal(await otm.getByRole("textbox", { name: "Open Threat Model JSON file" }).inputValue(), "/home/demo/adr/payments.otm.json");
    await otm.getByRole("button", { name: "Export", exact: true }).click();
    await otm.getByRole("region", { name: "Exported file" }).getByText("/home/demo/adr/payments.otm.json").waitFor();
    await otm.getByRole("button", { name: "Done" }).click();
    assert.deepEqual(await page.evaluate(() => window.__mock.threats.exports()), [
      { file: "/home/demo/adr/payments.json", model: "Payments", format: "threat_dragon" },
      { file: "/home/demo/adr/payments.otm.json", model: "Payments", format: "otm" },
    ]);
    await page.screenshot({ path: join(shots, "threats-panel.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("threats: the sidebar counts models at start; a threat links compliance controls", async () => {
    const { page, context, errors } = await app();
    // The count shows before the Threats page is ever opened.
    const models = await page.evaluate(() => window.__mock.threats.models().length);
    assert.ok(models > 0);
    await nav(page).getByRole("button", { name: /Threat models/ }).getByText(String(models), { exact: true }).waitFor();

    await openModel(page, "Payments");
    await page.getByRole("button", { name: "Generate threats" }).click();
    const list = page.getByRole("list", { name: "Threats" });
    const item = list.getByRole("listitem").filter({ hasText: "Credentials readable at rest" });
    await item.getByRole("button", { name: /Credentials readable at rest/ }).click();
    const links = item.getByRole("group", { name: "Compliance controls" });
    await links.getByText("No control cites this threat yet.").waitFor();

    // An unknown control is refused with the backend's message; nothing is linked.
    await links.getByRole("textbox", { name: "Control to link" }).fill("NOPE-9");
    await links.getByRole("button", { name: "Link control" }).click();
    await links.getByRole("alert").getByText(/no control "NOPE-9"/).waitFor();

    await links.getByRole("textbox", { name: "Control to link" }).fill("SDLC-03");
    await links.getByRole("combobox", { name: "Repository to link in" }).selectOption("plasma-core");
    await links.getByRole("button", { name: "Link control" }).click();
    await links.getByRole("listitem").filter({ hasText: "plasma-sdlc:SDLC-03" }).getByText("Dependency scanning in CI").waitFor();
    assert.equal(await links.getByRole("alert").count(), 0);
    await links.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "threat-control-links.png") });

    // The matrix cell carries the link (what the Compliance page and exports read).
    const m = await mockModel(page, "Payments");
    const threat = m.model.threats.find((x) => x.rule_id === "ID-DS-02");
    const cells = await page.evaluate(() => window.__mock.complianceCells());
    const cell = cells.find((c) => c.cell.control.control === "SDLC-03" && c.cell.repository === "plasma-core");
    assert.deepEqual(cell.cell.threats.map((t) => [t.threat_model, t.threat_id]), [["Payments", threat.id]]);

    await links.getByRole("button", { name: "Unlink plasma-sdlc:SDLC-03 in plasma-core" }).click();
    await links.getByText("No control cites this threat yet.").waitFor();

    // Linked again, the Compliance section shows it on the cell.
    await links.getByRole("textbox", { name: "Control to link" }).fill("plasma-sdlc:SDLC-03");
    await links.getByRole("combobox", { name: "Repository to link in" }).selectOption("plasma-core");
    await links.getByRole("button", { name: "Link control" }).click();
    await links.getByRole("listitem").filter({ hasText: "plasma-sdlc:SDLC-03" }).waitFor();
    await nav(page).getByRole("button", { name: /Compliance/ }).click();
    await page.getByRole("combobox", { name: "Framework" }).selectOption("plasma-sdlc");
    await page.getByRole("button", { name: "SDLC-03 in plasma-core: Not assessed" }).click();
    const satisfied = page.getByRole("complementary", { name: "Cell details" }).getByRole("list", { name: "Satisfied by" });
    assert.match(await satisfied.textContent(), new RegExp(`${threat.id.slice(0, 8)} in Payments`));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("threats: a model saved elsewhere is a conflict; keep mine saves over it", async () => {
    const { page, context } = await app();
    await openModel(page, "Payments");
    await page.evaluate(() => window.__mock.threats.editModelElsewhere("Payments", "changed in the CLI"));
    await page.getByRole("textbox", { name: "Model name" }).fill("Payments v2");
    await page.getByRole("alert").filter({ hasText: "Someone else saved this threat model" }).waitFor();
    await page.getByRole("button", { name: "Keep mine" }).click();
    await saved(page);
    const m = await mockModel(page, "Payments v2");
    assert.equal(m.revision, 3);
    await context.close();
  });

  test("threats: a session walks the model, rules, notes, pauses, ends with minutes", async () => {
    const { page, context, errors } = await app();
    await openModel(page, "Payments");
    await page.getByRole("button", { name: "Generate threats" }).click();
    await page.getByRole("tab", { name: /Threats \(8\)/ }).waitFor();
    await page.getByRole("tab", { name: "Session" }).click();
    await page.getByRole("textbox", { name: "Participants" }).fill("Ana, Bo");
    await page.getByRole("button", { name: "Start session" }).click();
    const panel = page.getByLabel("Threat session");
    await panel.getByRole("status").filter({ hasText: "Customer" }).waitFor();
    assert.match(await panel.getByRole("status").textContent(), /Spoofing/);
    await panel.getByRole("button", { name: "Confirm" }).click();
    await panel.getByText("Nothing left to rule on here.").waitFor();
    await panel.getByRole("button", { name: "Next step" }).click();
    await panel.getByRole("status").filter({ hasText: "Repudiation" }).waitFor();
    await panel.getByRole("textbox", { name: "New threat in this step" }).fill("Customer denies a refund request");
    await panel.getByRole("button", { name: "Add threat" }).click();
    await panel.getByRole("textbox", { name: "Note" }).fill("Check chargeback logs");
    await panel.getByRole("button", { name: "Add note" }).click();
    await panel.getByRole("button", { name: "Pause" }).click();
    assert.ok(await panel.getByRole("button", { name: "Next step" }).isDisabled());
    await panel.getByRole("button", { name: "Resume" }).click();
    // Walk on to the API and reject one suggestion with a reason.
    for (let i = 0; i < 10 && !(await panel.getByRole("status").textContent()).includes("Payments API"); i++) {
      await panel.getByRole("button", { name: "Next step" }).click();
      await page.waitForTimeout(50);
    }
    for (let i = 0; i < 6 && (await panel.getByRole("button", { name: "Reject…" }).count()) === 0; i++) {
      await panel.getByRole("button", { name: "Next step" }).click();
      await page.waitForTimeout(50);
    }
    await panel.getByRole("button", { name: "Reject…" }).first().click();
    await panel.getByRole("textbox", { name: "Reason" }).fill("Input is schema-validated at the gateway");
    await panel.getByRole("button", { name: "Reject", exact: true }).click();
    await panel.getByRole("button", { name: "End session" }).click();
    const minutes = page.getByLabel("Session minutes");
    await minutes.getByText(/Participants: Ana, Bo/).waitFor();
    const text = await minutes.textContent();
    for (const s of ["Confirmed: Spoofing of an external entity", "Added: Customer denies a refund request", "Check chargeback logs", "Input is schema-validated at the gateway"]) {
      assert.ok(text.includes(s), `minutes lack ${s}: ${text}`);
    }
    const m = await mockModel(page, "Payments");
    assert.ok(m.model.threats.some((t) => t.title === "Customer denies a refund request"));
    assert.ok(m.model.threats.some((t) => t.status.kind === "not_applicable"));
    await page.screenshot({ path: join(shots, "threats-session.png") });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("threats: 1,000 elements render only what is visible and stay interactive", async () => {
    const { page, context, errors } = await app({ query: "?mock-threat-elements=1000" });
    await nav(page).getByRole("button", { name: /Threat models/ }).click();
    // Everything React Flow mounts while the model opens.
    await page.evaluate(() => {
      const w = window;
      w.__mounted = { nodes: 0, edges: 0 };
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          w.__mounted.nodes += (n.matches(".react-flow__node") ? 1 : 0) + n.querySelectorAll(".react-flow__node").length;
          w.__mounted.edges += (n.matches(".react-flow__edge") ? 1 : 0) + n.querySelectorAll(".react-flow__edge").length;
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByRole("button", { name: "Large model (1000)", exact: true }).click();
    await page.locator(".rail-stats").filter({ hasText: "1000 elements" }).waitFor();
    // It opens fitted, far out: one canvas draws the diagram, and React
    // Flow mounts no nodes or edges at all, not even for a first frame at
    // 100 % before the fit (that cost WebKit a second).
    const overview = page.getByTestId("far-overview");
    await overview.waitFor();
    await page.getByRole("img", { name: "Mini map" }).waitFor();
    assert.deepEqual(await page.evaluate(() => window.__mounted), { nodes: 0, edges: 0 }, "mounted while opening");
    await page.locator(".tm-bar").getByRole("button", { name: "Fit" }).click();
    await page.waitForTimeout(400);
    assert.equal(await page.locator(".react-flow__node").count(), 0, "no nodes mounted far out");
    assert.equal(await page.locator(".react-flow__edge").count(), 0, "no edges mounted far out");
    assert.equal(await overview.getAttribute("data-drawn"), "1000", "the fitted overview draws every element");
    const painted = await overview.evaluate((c) => {
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n / (c.width * c.height);
    });
    assert.ok(painted > 0.05, `share of the overview painted: ${painted}`);
    // The minimap is a canvas too, and shows every element.
    const minimap = page.getByRole("img", { name: "Mini map" });
    assert.equal(await minimap.getAttribute("data-drawn"), "1000");
    assert.ok(await minimap.evaluate((c) => {
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2] > 200 && data[i] < 160 && data[i + 3] > 0) n++;
      return n;
    }) > 100, "the minimap paints the elements");
    // A click on an element's box picks it and zooms in to it.
    const point = await overviewElementPoint(page);
    await page.mouse.click(point.x, point.y);
    await overview.waitFor({ state: "detached" });
    const picked = await page.getByLabel("Element properties").getByRole("textbox", { name: "Name" }).inputValue();
    const selectedNode = page.locator(".react-flow__node.selected");
    await selectedNode.waitFor();
    assert.equal(await selectedNode.locator(".dfd-name").textContent(), picked);
    const centred = await selectedNode.evaluate((n) => {
      const r = n.getBoundingClientRect(), c = document.querySelector(".dfd-canvas").getBoundingClientRect();
      return Math.abs(r.left + r.width / 2 - (c.left + c.width / 2)) < 40 && Math.abs(r.top + r.height / 2 - (c.top + c.height / 2)) < 40;
    });
    assert.ok(centred, "the picked element is in the centre");
    await page.getByTestId(`node-${picked}`).waitFor();
    // At 100 %, far fewer nodes are in the DOM than the model has.
    await page.waitForTimeout(300);
    const zoomed = await page.locator(".react-flow__node").count();
    assert.ok(zoomed > 0 && zoomed < 200, `nodes in the DOM when zoomed in: ${zoomed}`);
    // Select all mounts no node that is out of view (React Flow renders a
    // node it has no size for, to measure it).
    await page.evaluate(() => {
      window.__mountedNodes = 0;
      new MutationObserver((ms) => {
        for (const m of ms) for (const n of m.addedNodes) if (n instanceof Element && n.classList.contains("react-flow__node")) window.__mountedNodes++;
      }).observe(document.querySelector(".react-flow__nodes"), { childList: true });
    });
    await page.locator(".dfd-canvas .react-flow__pane").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Control+a");
    await page.getByText(/items selected/).waitFor();
    await page.waitForTimeout(300);
    const mountedBySelectAll = await page.evaluate(() => window.__mountedNodes);
    assert.ok(mountedBySelectAll < 50, `nodes mounted by select all: ${mountedBySelectAll}`);
    // A click on empty canvas (no node or boundary under it) clears the selection.
    const empty = await page.locator(".dfd-canvas").evaluate((c) => {
      const r = c.getBoundingClientRect();
      for (let y = r.top + 20; y < r.bottom - 20; y += 15) {
        for (let x = r.left + 60; x < r.right - 20; x += 15) {
          const hit = document.elementFromPoint(x, y);
          if (hit && hit.classList.contains("react-flow__pane")) return { x, y };
        }
      }
      return null;
    });
    assert.ok(empty, "some empty canvas in view");
    await page.mouse.click(empty.x, empty.y);
    await page.getByText(/items selected/).waitFor({ state: "detached" });
    // Selecting and renaming one element still works at this size.
    // An element wholly in view, not under the minimap or controls.
    const target = await page.evaluate(() => {
      for (const n of document.querySelectorAll(".react-flow__node-element")) {
        const r = n.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest(".react-flow__node") === n) return { x, y };
      }
      return null;
    });
    assert.ok(target, "an element in view");
    await page.mouse.click(target.x, target.y);
    const props = page.getByLabel("Element properties");
    await props.getByRole("textbox", { name: "Name" }).fill("Renamed service");
    await page.getByTestId("node-Renamed service").waitFor();
    await saved(page);
    // A canvas edit autosaves the diagrams alone: the model's threats do
    // not cross IPC on every save.
    const cmds = await page.evaluate(() => window.__mock.calls.map((c) => c.cmd));
    assert.ok(cmds.includes("save_threat_diagrams"), "diagram edits saved as diagrams");
    assert.ok(!cmds.includes("save_threat_model"), `no whole-model save for canvas edits: ${cmds.join(", ")}`);
    // Thousands of threats: the list shows them a page at a time.
    await page.locator(".tm-bar").getByRole("button", { name: "Generate threats" }).click();
    const list = page.getByRole("list", { name: "Threats" });
    await list.waitFor();
    const total = Number((await page.locator(".threat-summary").textContent()).match(/^(\d+) threats/)[1]);
    assert.ok(total > 400, `threats generated: ${total}`);
    assert.equal(await list.locator(":scope > li").count(), 200, "the first page");
    await page.getByRole("button", { name: `Show 200 more (200 of ${total} shown)` }).click();
    assert.equal(await list.locator(":scope > li").count(), 400, "a second page");
    // A filter starts from the first page again.
    await page.getByRole("combobox", { name: "Severity" }).selectOption("medium");
    assert.ok(await list.locator(":scope > li").count() <= 200, "a filter shows its first page");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("threats: importing a file without positions lays the diagram out", async () => {
    const { page, context } = await app();
    await nav(page).getByRole("button", { name: /Threat models/ }).click();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.locator(".dfd-canvas .react-flow__node").first().waitFor();
    // The picker shows every kind of file the import reads (startleft writes `.otm`).
    const open = await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "plugin:dialog|open").at(-1).args.options);
    assert.deepEqual(open.filters[0].extensions, ["json", "yaml", "yml", "otm", "tm7"]);
    await page.waitForFunction(() => window.__mock.threats.model("Shop (imported)")?.revision > 1);
    const m = await mockModel(page, "Shop (imported)");
    const d = m.model.diagrams[0];
    assert.ok(d.elements.every((e) => e.position), "every element has a position");
    const b = d.boundaries[0].position;
    for (const e of d.elements.filter((x) => x.boundary)) {
      const r = e.position;
      assert.ok(r.x >= b.x && r.x + r.width <= b.x + b.width && r.y >= b.y && r.y + r.height <= b.y + b.height, "boundary holds its elements");
    }
    // A boundary drawn as a line stays a line (no box is made for it) and is drawn as one.
    const edge = d.boundaries.find((x) => x.name === "Internet edge");
    assert.equal(edge.position, null);
    assert.deepEqual(edge.line, [{ x: 120, y: -80 }, { x: 120, y: 640 }]);
    const line = page.getByLabel("Trust boundary Internet edge (a line)");
    await line.waitFor();
    assert.equal(await line.locator("polyline").count(), 1);
    // Its panel says what it is; it is no place to put an element.
    await line.locator(".dfd-boundary-label").click();
    await page.getByRole("note").filter({ hasText: "Drawn as a line" }).waitFor();
    assert.equal(await page.locator("[aria-label='Boundary properties'] select").count(), 0, "no 'inside' choice for a line");
    await page.screenshot({ path: join(shots, "threat-line-boundary.png") });
    await page.locator(".dfd-canvas .react-flow__node-element").first().click();
    const into = page.getByRole("combobox", { name: "Move into boundary" });
    await into.waitFor();
    assert.ok(!(await into.locator("option").allTextContents()).includes("Internet edge"), "a line holds no elements");
    // Dragged by its name, the whole line moves and stays a line.
    const label = await line.locator(".dfd-boundary-label").boundingBox();
    await page.mouse.move(label.x + 5, label.y + 5);
    await page.mouse.down();
    await page.mouse.move(label.x + 45, label.y + 5, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => {
      const m = window.__mock.threats.model("Shop (imported)");
      const b = m?.model.diagrams[0].boundaries.find((x) => x.name === "Internet edge");
      return b && b.line[0].x > 120;
    });
    const moved = (await mockModel(page, "Shop (imported)")).model.diagrams[0].boundaries.find((x) => x.name === "Internet edge");
    assert.equal(moved.position, null);
    assert.equal(moved.line.length, 2);
    assert.equal(moved.line[0].x, moved.line[1].x, "moved as a whole");
    assert.equal(moved.line[1].y - moved.line[0].y, 720);
    await context.close();
  });
}
