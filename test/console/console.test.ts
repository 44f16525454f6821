// The web console (issue #16) in a real Chromium (Debian's, driven by playwright-core) against the real API over HTTP
// on a real SQLite file: sign in and out, each tile edited with valid and invalid values, NOT_SET and Unlimited, the
// concurrent-change message, an enterprise's provenance, managed-as-code, a viewer, sessions ended in one context and
// seen in another, the idle timeout, and CSRF from another origin. One browser process, a few contexts.
// Screenshots of the main pages go to a temp folder, removed at the end; when a test failed they are kept in
// test-results/console-screenshots/ (gitignored, replaced by the next failing run), or all go to IAMSESSION_SCREENSHOTS.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP } from "../../api/routes/console.ts";
import { addMember, apiRequest, createAccount, createApiKey, createEnterprise, createIdentity, linkAccount, putEnterpriseSettings } from "../helpers/api-server.ts";
import { consoleLogin, cookieValue, setPassword, startInProcessServer, type InProcessServer } from "../helpers/session-server.ts";
import { REPO_ROOT } from "../helpers/tf.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PASSWORD = "correct horse battery staple";

let server: InProcessServer;
let browser: Browser;
let shots: string;
/** Where the screenshots of a failed run are kept for the developer to look at (the README's test section). */
const KEPT_SCREENSHOTS = join(REPO_ROOT, "test-results", "console-screenshots");
let setUp = false;
let failed = false;
let attacker: Server;
let attackerUrl: string;
let accountId: string;
let enterpriseId: string;
const editor = { iamId: "IBMid-console-editor", name: "Erin Editor" };
const viewer = { iamId: "IBMid-console-viewer", name: "Vic Viewer" };
const admin = { iamId: "IBMid-console-admin", name: "Ada Admin" };
let pipelineKey: string;


// axe-core's own file, put in the page over the DevTools protocol (page.evaluate is not subject to the page's CSP,
// so the console keeps its real policy while it is audited). Its WCAG A and AA rules up to 2.2: contrast, labels,
// names, ARIA, target size, language, landmarks' structure.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Every axe violation of WCAG 2.2 A/AA on the page as it is now, one line each (rule, element, why). */
async function audit(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    type Result = { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[]; failureSummary: string }> }> };
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`));
  }, WCAG_AA);
}

/** A main screen: photographed for the artefacts and audited (0 violations), as it is now. */
async function screen(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  expect(await audit(page), `axe on ${name}`).toEqual([]);
}

async function signIn(page: Page, who: { iamId: string }, password = PASSWORD) {
  await page.goto(`${server.url}/console/`);
  await page.getByLabel("Identity ID").fill(who.iamId);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Account", { exact: true }).fill(accountId);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function newSignedIn(who: { iamId: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, who);
  await page.getByRole("heading", { name: "Login session settings" }).waitFor();
  return { context, page };
}

/** A context fails fast: every wait here is for something the page shows after a request or two (a login's KDF). */
async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(20_000);
  return context;
}

/** WCAG's contrast ratio of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The focused element's name and focus indicator: its outline and the background it is drawn on. */
async function focused(page: Page): Promise<{ name: string; outlineStyle: string; outlineWidth: number; outlineColor: string; background: string }> {
  return page.evaluate(`(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    let background = "rgb(255, 255, 255)";
    for (let p = e.parentElement; p; p = p.parentElement) {
      const bg = getComputedStyle(p).backgroundColor;
      if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") { background = bg; break; }
    }
    return { name: e.getAttribute("aria-label") || e.id || e.textContent.trim(), outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor, background };
  })()`);
}

/** Focus is on `name` and visibly so: an outline of at least 2 px with 3:1 contrast against what is around it. */
async function expectFocusOn(page: Page, name: string) {
  const f = await focused(page);
  expect(f.name).toBe(name);
  expect(f.outlineStyle, `${name}'s focus outline`).not.toBe("none");
  expect(f.outlineWidth).toBeGreaterThanOrEqual(2);
  expect(contrast(f.outlineColor, f.background), `${name}: ${f.outlineColor} on ${f.background}`).toBeGreaterThanOrEqual(3);
}

function tile(page: Page, title: string) {
  return page.locator(".tile", { has: page.getByRole("heading", { name: title, exact: true }) });
}

beforeAll(async () => {
  // IAMSESSION_SCREENSHOTS names a folder that keeps every screenshot; otherwise a temp folder (see afterAll).
  shots = process.env.IAMSESSION_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "iamsession-console-screenshots-"));
  mkdirSync(shots, { recursive: true });
  server = await startInProcessServer();
  // The enterprise is stricter on idle time (15 minutes) than the account will be.
  enterpriseId = (await createEnterprise(server)).enterprise_id;
  expect((await putEnterpriseSettings(server, enterpriseId, { session_invalidation_in_seconds: "900" })).status).toBe(200);
  accountId = (await createAccount(server)).account_id;
  await linkAccount(server, accountId, enterpriseId);
  for (const [who, role] of [[editor, "editor"], [viewer, "viewer"], [admin, "administrator"]] as const) {
    await createIdentity(server, { iamId: who.iamId, name: who.name });
    await addMember(server, accountId, who.iamId, { role });
    await setPassword(server, who.iamId, PASSWORD);
  }
  pipelineKey = (await createApiKey(server, accountId, "editor", { name: "terraform-pipeline" })).key;
  browser = await chromium.launch({ executablePath: CHROMIUM });
  // Another origin on the same site (127.0.0.1, another port): SameSite=Lax sends the cookie there, so only the
  // Origin check stands between it and the API.
  attacker = createServer((req, res) => {
    const target = server.url;
    const page = `<!doctype html><title>evil</title><script>
      const t = ${JSON.stringify(target)}, u = ${JSON.stringify(editor.iamId)}, a = ${JSON.stringify(accountId)};
      window.results = Promise.allSettled([
        // Simple requests (no preflight): the browser sends them, with the cookie and this page's Origin.
        fetch(t + "/v1/identities/" + u + "/api_keys", { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: '{"name":"csrf"}' }),
        fetch(t + "/v1/sessions", { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: '{}' }),
        // A PUT or DELETE needs a CORS preflight first, which the API never grants: the browser must not send them.
        fetch(t + "/v1/accounts/" + a + "/settings/identity", { method: "PUT", credentials: "include", headers: { "Content-Type": "application/json", "If-Match": "*" }, body: '{"max_sessions_per_identity":"1"}' }),
        fetch(t + "/v1/session", { method: "DELETE", credentials: "include" }),
      // The answers are opaque to this page (or blocked by CORP): it only matters what was sent.
      ]).then(() => "sent");
    </script>`;
    // A page that frames the console: frame-ancestors 'none' and X-Frame-Options DENY must keep it out.
    const framing = `<!doctype html><title>framing</title><iframe id="f" src="${target}/console/" title="console"></iframe>`;
    res.writeHead(200, { "Content-Type": "text/html" }).end(req.url === "/" ? page : req.url === "/frame" ? framing : "");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  setUp = true;
}, 120_000);

afterEach(({ task }) => {
  if (task.result?.state === "fail") failed = true;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
  await server?.dispose();
  if (!shots) return;
  if (process.env.IAMSESSION_SCREENSHOTS) {
    console.log(`console screenshots: ${shots}`);
    return;
  }
  if (failed || !setUp) {
    rmSync(KEPT_SCREENSHOTS, { recursive: true, force: true });
    cpSync(shots, KEPT_SCREENSHOTS, { recursive: true });
    console.log(`console screenshots of the failed run: ${KEPT_SCREENSHOTS}`);
  }
  rmSync(shots, { recursive: true, force: true });
});

describe("the web console in Chromium", () => {
  it("serves its pages with a strict CSP, frame-ancestors 'none', and no third-party request", async () => {
    // Every answer under /console (the redirect, each file, the model, a miss) has the same headers, which agree:
    // no framing at all, by the CSP and by the legacy header.
    for (const path of ["/console", "/console/", "/console/console.js", "/console/console.css", "/console/favicon.svg", "/console/model.json", "/console/nope.js"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect([200, 308, 404]).toContain(res.status);
      expect(res.headers.get("content-security-policy"), path).toBe(CONSOLE_CSP);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    // Strict: every fetch directive is 'self' or 'none', nothing inline, no eval, no data:, no wildcard.
    const directives = new Map(CONSOLE_CSP.split(/;\s*/).map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    for (const [name, sources] of directives) {
      for (const source of sources) expect(["'self'", "'none'"], `${name} ${source}`).toContain(source);
    }
    const context = await newContext();
    const page = await context.newPage();
    const foreign: string[] = [];
    const violations: string[] = [];
    page.on("request", (r) => { if (!r.url().startsWith(server.url)) foreign.push(r.url()); });
    page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(`${server.url}/console/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screen(page, "01-sign-in");
    // The audit can fail: an unlabelled field and pale text put in this same page (under its CSP) are reported.
    await page.evaluate(`{
      const form = document.querySelector("form");
      const input = Object.assign(document.createElement("input"), { id: "audit-control" });
      const pale = Object.assign(document.createElement("p"), { textContent: "pale" });
      pale.style.color = "#b0b0b0";
      form.append(input, pale);
    }`);
    const found = await audit(page);
    expect(found.some((v) => v.startsWith("label ") && v.includes("#audit-control")), found.join("\n")).toBe(true);
    expect(found.some((v) => v.startsWith("color-contrast ")), found.join("\n")).toBe(true);
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    // The policy is enforced: an inline script put in the page does not run, and the browser reports it.
    const blocked = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective + " " + e.blockedURI), { once: true });
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
    }).then((v) => [v, window.inlineRan === true])`);
    expect(blocked).toEqual(["script-src-elem inline", false]);
    await context.close();
  });

  it("cannot be framed, not even by a page on the same host", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${attackerUrl}/frame`);
    const frame = page.frameLocator("#f");
    await page.locator("#f").waitFor();
    // The browser fetched the console's page but refused to show it: its script and style were never loaded.
    await expect.poll(() => requested).toContain("/console/");
    await page.waitForLoadState("load");
    expect(requested).not.toContain("/console/console.js");
    // In its place Chromium shows its own error page ("127.0.0.1 refused to connect").
    expect(page.frames().find((f) => f !== page.mainFrame())!.url()).toMatch(/^chrome-error:/);
    expect(await frame.getByRole("heading", { name: "Sign in" }).count()).toBe(0);
    await context.close();
  });

  it("refuses a wrong password, signs in, and signs out clearing the cookie", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, editor, "wrong password");
    // A wrong password costs a memory-hard KDF run: on a loaded machine that takes a while.
    await page.locator("#sign-in-error", { hasText: "not right" }).waitFor({ timeout: 30_000 });
    await screen(page, "02-sign-in-refused");
    // By keyboard alone: the error moved focus to the password; Enter submits the form.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe("password");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Login session settings" }).waitFor();
    expect(await page.locator("#who-text").textContent()).toContain("Erin Editor");
    const cookie = (await context.cookies()).find((c) => c.name === "__Host-iamsession");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("#signed-out-reason").textContent()).toContain("You have signed out");
    expect((await context.cookies()).find((c) => c.name === "__Host-iamsession")).toBeUndefined();
    // The old token no longer works.
    const res = await apiRequest(server, "GET", "/v1/session", { headers: { cookie: `__Host-iamsession=${cookie!.value}` } });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe("logout");
    await context.close();
  });

  it("shows NOT_SET as the service default, the valid ranges, and the enterprise's stricter idle time", async () => {
    const { context, page } = await newSignedIn(editor);
    expect(await page.locator("#session_expiration_in_seconds-value").textContent()).toBe("Service default (24 hours)");
    expect(await page.locator("#session_invalidation_in_seconds-value").textContent()).toBe("Service default (2 hours)");
    expect(await page.locator("#max_sessions_per_identity-value").textContent()).toBe("Service default (Unlimited)");
    expect(await page.locator("#max_sessions_exceeded_action-value").textContent()).toBe("Service default (End the oldest session)");
    expect(await tile(page, "Active sessions").textContent()).toContain("Valid range: 15 minutes to 24 hours");
    expect(await tile(page, "Sign out due to inactivity").textContent()).toContain("Valid range: 15 minutes to 2 hours");
    const applies = await page.locator("#session_invalidation_in_seconds-applies").textContent();
    expect(applies).toContain(`Applies in this account: 15 minutes, from enterprise ${enterpriseId}`);
    expect(await page.locator(".lead").textContent()).toContain(`in enterprise ${enterpriseId}`);
    await screen(page, "03-settings");
    await context.close();
  });

  it("edits each tile in hours and minutes or sessions: invalid values get the API's message, valid ones are saved as seconds", async () => {
    const { context, page } = await newSignedIn(editor);
    const put = async (t: string, fill: () => Promise<void>) => {
      await tile(page, t).getByRole("button", { name: `Edit ${t}` }).click();
      await fill();
      await tile(page, t).getByRole("button", { name: "Save" }).click();
    };

    // Active sessions: 10 minutes is below the range; 2 h 30 min is saved as 9000 s.
    await put("Active sessions", async () => {
      await screen(page, "04-edit-form");
      await page.getByLabel("Hours", { exact: true }).fill("0");
      await page.getByLabel("Minutes", { exact: true }).fill("10");
    });
    const err = tile(page, "Active sessions").locator(".error");
    await err.waitFor();
    expect(await err.textContent()).toContain("session_expiration_in_seconds");
    expect(await err.textContent()).toMatch(/900/);
    expect(await page.getByLabel("Minutes", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // What was typed stays, next to the message.
    expect(await page.getByLabel("Minutes", { exact: true }).inputValue()).toBe("10");
    expect(await page.getByLabel("Set a time").isChecked()).toBe(true);
    await screen(page, "05-invalid-time");
    await page.getByLabel("Hours", { exact: true }).fill("2");
    await page.getByLabel("Minutes", { exact: true }).fill("30");
    await tile(page, "Active sessions").getByRole("button", { name: "Save" }).click();
    await page.getByText("Active sessions saved.").first().waitFor();
    expect(await page.locator("#session_expiration_in_seconds-value").textContent()).toBe("2 hours 30 minutes");

    // Sign out due to inactivity: 3 hours is above the range; 1 hour is saved (the enterprise's 15 minutes still apply).
    await put("Sign out due to inactivity", async () => {
      await page.getByLabel("Hours", { exact: true }).fill("3");
      await page.getByLabel("Minutes", { exact: true }).fill("0");
    });
    await tile(page, "Sign out due to inactivity").locator(".error").waitFor();
    expect(await tile(page, "Sign out due to inactivity").locator(".error").textContent()).toContain("session_invalidation_in_seconds");
    await page.getByLabel("Hours", { exact: true }).fill("1");
    await tile(page, "Sign out due to inactivity").getByRole("button", { name: "Save" }).click();
    await page.getByText("Sign out due to inactivity saved.").first().waitFor();
    expect(await page.locator("#session_invalidation_in_seconds-value").textContent()).toBe("1 hour");
    expect(await page.locator("#session_invalidation_in_seconds-applies").textContent()).toContain(`15 minutes, from enterprise ${enterpriseId}`);

    // Concurrent sessions: 0 is refused; 3 with "Refuse the new login" is saved; then back to Unlimited.
    await put("Concurrent sessions", async () => {
      await page.getByLabel("Limit sessions").check();
      await page.getByLabel("Sessions per identity").fill("0");
    });
    await tile(page, "Concurrent sessions").locator(".error").first().waitFor();
    await screen(page, "06-invalid-count");
    expect(await tile(page, "Concurrent sessions").locator(".error").first().textContent()).toContain("max_sessions_per_identity");
    await page.getByLabel("Sessions per identity").fill("3");
    await page.getByLabel("When the concurrent-session limit is reached").selectOption("DENY_NEW");
    await tile(page, "Concurrent sessions").getByRole("button", { name: "Save" }).click();
    await page.getByText("Concurrent sessions saved.").first().waitFor();
    expect(await page.locator("#max_sessions_per_identity-value").textContent()).toBe("3 sessions");
    expect(await page.locator("#max_sessions_exceeded_action-value").textContent()).toBe("Refuse the new login");
    expect(await page.locator("#max_sessions_exceeded_action-applies").textContent()).toBe("Applies in this account: Refuse the new login, from this account.");
    await put("Concurrent sessions", async () => {
      await page.getByLabel("Unlimited (service default)").check();
    });
    await page.getByText("Concurrent sessions saved.").first().waitFor();
    expect(await page.locator("#max_sessions_per_identity-value").textContent()).toBe("Service default (Unlimited)");
    // The stored action no longer applies: it is taken from where the limit is (the service default's: none).
    expect(await page.locator("#max_sessions_exceeded_action-value").textContent()).toBe("Refuse the new login");
    expect(await page.locator("#max_sessions_exceeded_action-applies").textContent()).toBe(
      "Applies in this account: End the oldest session, from the service default.It follows the session limit that applies (Unlimited, from the service default); with no limit, no login ever reaches it.");

    // Back to NOT_SET.
    await put("Sign out due to inactivity", async () => {
      await page.getByLabel("Service default (2 hours)").check();
    });
    await page.getByText("Sign out due to inactivity saved.").first().waitFor();
    expect(await page.locator("#session_invalidation_in_seconds-value").textContent()).toBe("Service default (2 hours)");

    // What the API stored: seconds.
    const stored = await apiRequest(server, "GET", `/v1/accounts/${accountId}/settings/identity?include_history=true`, { token: server.adminToken });
    expect(stored.body.session_expiration_in_seconds).toBe("9000");
    expect(stored.body.session_invalidation_in_seconds).toBe("NOT_SET");
    expect(stored.body.max_sessions_exceeded_action).toBe("DENY_NEW");
    // The history list: who, when, old → new, newest first.
    const history = page.locator("#history tbody tr");
    expect(await history.count()).toBe(stored.body.history.length);
    expect(await history.last().textContent()).toContain("Maximum session time: Service default (24 hours) → 2 hours 30 minutes");
    expect(await history.last().textContent()).toContain(editor.iamId);
    await screen(page, "07-settings-history");
    await context.close();
  });

  it("shows a concurrent change as 'changed by X at T — reload' instead of overwriting it, then warns that the settings are managed as code", async () => {
    const { context, page } = await newSignedIn(editor);
    await tile(page, "Active sessions").getByRole("button", { name: "Edit Active sessions" }).click();
    await page.getByLabel("Hours", { exact: true }).fill("4");
    await page.getByLabel("Minutes", { exact: true }).fill("0");
    // Meanwhile a pipeline changes the same settings.
    const res = await apiRequest(server, "PUT", `/v1/accounts/${accountId}/settings/identity`, { token: pipelineKey, headers: { "if-match": "*" }, json: { session_expiration_in_seconds: "3600" } });
    expect(res.status).toBe(200);
    await tile(page, "Active sessions").getByRole("button", { name: "Save" }).click();
    const conflict = page.locator("#conflict");
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/Changed by terraform-pipeline .* at .+ UTC — reload/);
    await screen(page, "08-concurrent-change");
    const after = await apiRequest(server, "GET", `/v1/accounts/${accountId}/settings/identity`, { token: server.adminToken });
    expect(after.body.session_expiration_in_seconds).toBe("3600");
    await conflict.getByRole("button", { name: "Reload" }).click();
    await page.locator("#managed").waitFor();
    expect(await page.locator("#session_expiration_in_seconds-value").textContent()).toBe("1 hour");
    expect(await page.locator("#managed").textContent()).toContain("terraform-pipeline");
    await tile(page, "Active sessions").getByRole("button", { name: "Edit Active sessions" }).click();
    await page.locator("#managed-confirm").waitFor();
    expect(await page.locator("#managed-confirm").textContent()).toContain("drift");
    await screen(page, "09-managed-as-code");
    expect(await page.getByLabel("Hours", { exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Edit anyway" }).click();
    await page.getByLabel("Hours", { exact: true }).waitFor();
    await context.close();
  });

  it("lets a viewer see the settings but not edit them (and the API refuses the viewer's session a change)", async () => {
    const { context, page } = await newSignedIn(viewer);
    await page.locator("#read-only").waitFor();
    expect(await page.getByRole("button", { name: /^Edit / }).count()).toBe(0);
    await screen(page, "10-viewer");
    const status = await page.evaluate(async (path) => {
      const r = await fetch(path, { method: "PUT", headers: { "Content-Type": "application/json", "If-Match": "*" }, body: JSON.stringify({ max_sessions_per_identity: "1" }) });
      return [r.status, ((await r.json()) as { errors: Array<{ code: string }> }).errors[0]!.code];
    }, `/v1/accounts/${accountId}/settings/identity`);
    expect(status).toEqual([403, "forbidden"]);
    await context.close();
  });

  it("ends a session from My sessions, and the other browser context is signed out with its reason", async () => {
    const one = await newSignedIn(editor);
    const two = await newSignedIn(editor);
    await one.page.getByRole("link", { name: "My sessions" }).click();
    await one.page.getByRole("heading", { name: "My sessions" }).waitFor();
    const rows = one.page.locator("#my-sessions tbody tr");
    expect(await rows.filter({ hasText: "This session" }).count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Console");
    // This session first, then the other active ones, then the ended ones.
    const states = await rows.locator(".badge").allTextContents();
    expect(states[0]).toBe("This session");
    expect(states.slice(1)).toEqual([...states.slice(1)].sort((a, b) => Number(a === "Ended") - Number(b === "Ended")));
    expect(states).toContain("Ended");
    await screen(one.page, "11-my-sessions");
    await one.page.getByRole("button", { name: "End all other sessions" }).click();
    await one.page.getByText("Your other sessions were ended.").first().waitFor();
    expect(await rows.filter({ hasText: "ended from another of your sessions" }).count()).toBeGreaterThan(0);
    await two.page.reload();
    await two.page.locator("#signed-out-reason").waitFor();
    expect(await two.page.locator("#signed-out-reason").textContent()).toBe("Your session has ended: ended from another of your sessions.");
    await two.context.close();

    // An administrator of the account sees the account's sessions and ends the editor's.
    const adm = await newSignedIn(admin);
    await adm.page.getByRole("link", { name: "My sessions" }).click();
    const accountRows = adm.page.locator("#account-sessions tbody tr", { hasText: editor.iamId }).filter({ hasText: "Active" });
    await accountRows.first().waitFor();
    await screen(adm.page, "12-account-sessions");
    await accountRows.first().getByRole("button", { name: /^End / }).click();
    await adm.page.getByText("The session was ended.").first().waitFor();
    await one.page.getByRole("link", { name: "Settings" }).click();
    await one.page.locator("#signed-out-reason").waitFor();
    expect(await one.page.locator("#signed-out-reason").textContent()).toBe("Your session has ended: ended by an administrator.");
    await screen(one.page, "13-ended-by-admin");
    await one.context.close();

    // Idle: the enterprise's 15 minutes (and the write interval W) pass without a request.
    server.clock.advance(900 + 61);
    await adm.page.reload();
    await adm.page.locator("#signed-out-reason").waitFor();
    expect(await adm.page.locator("#signed-out-reason").textContent()).toBe("Your session has ended: signed out after 15 minutes of inactivity.");
    await adm.context.close();
  });

  it("works by keyboard alone (Tab to Edit, Enter, arrows, typing, Enter saves, Escape cancels) with focus always visible", async () => {
    // The pipeline's change makes Edit ask first (managed as code).
    const piped = await apiRequest(server, "PUT", `/v1/accounts/${accountId}/settings/identity`, { token: pipelineKey, headers: { "if-match": "*" }, json: { session_invalidation_in_seconds: "3600" } });
    expect(piped.status).toBe(200);
    const { context, page } = await newSignedIn(editor);
    const idle = tile(page, "Sign out due to inactivity");
    const edit = "Edit Sign out due to inactivity";
    const box = (await idle.getByRole("button", { name: edit }).boundingBox())!;
    const around = { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 };
    const unfocused = await page.screenshot({ clip: around });
    // From the page's heading (where focus starts), Tab forward to the tile's Edit button.
    for (let n = 0; n < 10 && (await focused(page)).name !== edit; n++) await page.keyboard.press("Tab");
    await expectFocusOn(page, edit);
    expect((await page.screenshot({ clip: around })).equals(unfocused), "the focused button looks different").toBe(false);
    // The latest change came from the pipeline: Enter asks first; Escape closes the question, back on Edit.
    await page.keyboard.press("Enter");
    await page.locator("#managed-confirm").waitFor();
    await expectFocusOn(page, "managed-edit-anyway");
    await page.keyboard.press("Escape");
    await page.locator("#managed-confirm").waitFor({ state: "detached" });
    await expectFocusOn(page, edit);
    await page.keyboard.press("Enter");
    await page.locator("#managed-confirm").waitFor();
    await page.keyboard.press("Enter");
    // The form opens on the chosen option ("Set a time"); arrows move between the options, Tab goes to the fields.
    await idle.locator("form").waitFor();
    await expectFocusOn(page, "session_invalidation_in_seconds-set");
    await page.keyboard.press("ArrowUp");
    await expectFocusOn(page, "session_invalidation_in_seconds-notset");
    expect(await page.getByLabel("Service default (2 hours)").isChecked()).toBe(true);
    await page.keyboard.press("ArrowDown");
    await expectFocusOn(page, "session_invalidation_in_seconds-set");
    expect(await page.getByLabel("Set a time").isChecked()).toBe(true);
    await page.keyboard.press("Tab");
    await expectFocusOn(page, "session_invalidation_in_seconds-hours");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("1");
    await page.keyboard.press("Tab");
    await expectFocusOn(page, "session_invalidation_in_seconds-minutes");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("30");
    await page.keyboard.press("Enter");
    await page.getByText("Sign out due to inactivity saved.").first().waitFor();
    await expectFocusOn(page, edit);
    expect(await page.locator("#session_invalidation_in_seconds-value").textContent()).toBe("1 hour 30 minutes");
    const stored = await apiRequest(server, "GET", `/v1/accounts/${accountId}/settings/identity`, { token: server.adminToken });
    expect(stored.body.session_invalidation_in_seconds).toBe("5400");
    // Escape leaves an opened form without saving what was changed in it.
    await page.keyboard.press("Enter");
    await idle.locator("form").waitFor();
    await expectFocusOn(page, "session_invalidation_in_seconds-set");
    await page.keyboard.press("ArrowUp");
    expect(await page.getByLabel("Service default (2 hours)").isChecked()).toBe(true);
    await page.keyboard.press("Escape");
    await idle.locator("form").waitFor({ state: "detached" });
    await expectFocusOn(page, edit);
    expect(await page.locator("#session_invalidation_in_seconds-value").textContent()).toBe("1 hour 30 minutes");
    await context.close();
  });

  it("refuses a state-changing request and a login sent from another origin (CSRF)", async () => {
    const { context, page } = await newSignedIn(editor);
    const before = (await apiRequest(server, "GET", `/v1/identities/${editor.iamId}/api_keys`, { token: server.adminToken })).body.api_keys.length;
    const logged = server.logLines.length;
    await page.goto(attackerUrl);
    expect(await page.evaluate(() => (globalThis as unknown as { results: Promise<string> }).results)).toBe("sent");
    // The server's access log says what it answered (the page itself may not read an opaque, CORP-blocked answer).
    const answered = () => server.logLines.slice(logged).filter((l) => / \/v1\/(identities|sessions?\b|accounts)/.test(l)).map((l) => l.split(" ").slice(1, 4).join(" "));
    await expect.poll(answered, { timeout: 20_000 }).toHaveLength(4);
    expect(answered().sort()).toEqual([
      `POST /v1/identities/${editor.iamId}/api_keys 403`, "POST /v1/sessions 403",
      // Only the preflights of the PUT and the DELETE arrived, unanswered by any Access-Control-Allow-*.
      `OPTIONS /v1/accounts/${accountId}/settings/identity 401`, "OPTIONS /v1/session 401",
    ].sort());
    const after = (await apiRequest(server, "GET", `/v1/identities/${editor.iamId}/api_keys`, { token: server.adminToken })).body.api_keys.length;
    expect(after).toBe(before);
    // The same request from the console's own origin is accepted, so it is the origin that was refused.
    const cookie = (await context.cookies()).find((c) => c.name === "__Host-iamsession")!.value;
    const own = await apiRequest(server, "POST", `/v1/identities/${editor.iamId}/api_keys`, { json: { name: "own" }, headers: { cookie: `__Host-iamsession=${cookie}`, origin: server.url } });
    expect(own.status, own.text).toBe(201);
    const evil = await apiRequest(server, "POST", `/v1/identities/${editor.iamId}/api_keys`, { json: { name: "evil" }, headers: { cookie: `__Host-iamsession=${cookie}`, origin: attackerUrl } });
    expect(evil.status).toBe(403);
    expect(evil.body.errors[0].message).toContain("must come from this origin");
    await context.close();
  });

  it("refuses every state-changing request the console makes, sent with the cookie from another origin or with no Origin", async () => {
    const signIn = async (who: { iamId: string }) => `__Host-iamsession=${cookieValue((await consoleLogin(server, accountId, who.iamId, PASSWORD)).headers.get("set-cookie"))}`;
    const [mine, other, adm] = [await signIn(editor), await signIn(editor), await signIn(admin)];
    const otherId = (await apiRequest(server, "GET", "/v1/session", { headers: { cookie: other } })).body.session.session_id as string;
    const settings = `/v1/accounts/${accountId}/settings/identity`;
    const stored = async () => (await apiRequest(server, "GET", settings, { token: server.adminToken })).headers.get("etag");
    const etag = await stored();
    const u = editor.iamId;
    // Every changing request of console/console.js (and the account-wide end, which it does not use).
    const changes: Array<[method: string, path: string, cookie: string, json?: unknown]> = [
      ["PUT", settings, mine, { max_sessions_per_identity: "1" }],
      ["POST", `/v1/identities/${u}/api_keys`, mine, { name: "csrf" }],
      ["DELETE", `/v1/identities/${u}/sessions/${otherId}`, mine],
      ["DELETE", `/v1/identities/${u}/sessions`, mine],
      ["DELETE", `/v1/accounts/${accountId}/sessions/${otherId}`, adm],
      ["DELETE", `/v1/accounts/${accountId}/sessions`, adm],
      ["DELETE", "/v1/session", mine],
    ];
    for (const [method, path, cookie, json] of changes) {
      for (const origin of [attackerUrl, "null", undefined]) {
        const headers: Record<string, string> = { cookie, "if-match": "*", ...(origin ? { origin } : {}) };
        const res = await apiRequest(server, method, path, { json, headers });
        expect(res.status, `${method} ${path} from ${origin ?? "no Origin"}: ${res.text}`).toBe(403);
        expect(res.body.errors[0].code).toBe("forbidden");
        expect(res.body.errors[0].message).toContain(`Origin was ${origin ?? "missing"}`);
      }
    }
    // A login from another origin (login CSRF); without Origin it is a CLI's or curl's, not a browser's.
    const login = await apiRequest(server, "POST", "/v1/sessions", { json: { account_id: accountId, channel: "console", iam_id: u, password: PASSWORD }, headers: { origin: attackerUrl } });
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
    // Nothing changed: the settings, the keys, and all three sessions.
    expect(await stored()).toBe(etag);
    expect((await apiRequest(server, "GET", `/v1/identities/${u}/api_keys`, { token: server.adminToken })).body.api_keys.map((k: { name: string }) => k.name)).not.toContain("csrf");
    for (const cookie of [mine, other, adm]) expect((await apiRequest(server, "GET", "/v1/session", { headers: { cookie } })).status).toBe(200);
    // From the console's own origin the same cookie ends the other session, so it was the origin that was refused.
    const own = await apiRequest(server, "DELETE", `/v1/identities/${u}/sessions/${otherId}`, { headers: { cookie: mine, origin: server.url } });
    expect(own.status, own.text).toBeLessThan(300);
    expect((await apiRequest(server, "GET", "/v1/session", { headers: { cookie: other } })).status).toBe(401);
  });
});
