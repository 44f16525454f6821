// npm run console:screenshot: regenerates docs/console-settings.png, the README's picture of the console's Settings
// page. A real API on a temporary SQLite file, a small seeded account in an enterprise, and Debian's Chromium
// (CHROMIUM_PATH, default /usr/bin/chromium) driven by playwright-core.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { chromium, type Browser } from "playwright-core";
import { createApp } from "../api/app.ts";
import { createPlatformAdminKey } from "../api/bootstrap.ts";
import { openDatabase } from "../api/db/database.ts";
import { Store } from "../api/db/store.ts";
import { localWriter } from "../api/db/writer.ts";

const OUT = fileURLToPath(new URL("../docs/console-settings.png", import.meta.url));
// Everything made from here on (the database's folder, the server, the browser) is undone in the finally below.
const dir = mkdtempSync(join(tmpdir(), "iamsession-screenshot-"));
let db: ReturnType<typeof openDatabase> | undefined;
let server: ReturnType<typeof serve> | undefined;
let browser: Browser | undefined;
let url = "";
let admin = "";

async function call(method: string, path: string, json?: unknown, token = admin, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(json ? { "content-type": "application/json" } : {}), ...headers }, body: json ? JSON.stringify(json) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

try {
  db = openDatabase(join(dir, "iamsession.db"));
  const store = new Store(db);
  admin = createPlatformAdminKey(store, "screenshot").key;
  const app = createApp({ store, writer: localWriter(store, db), log: () => {} });
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await call("POST", "/v1/enterprises", { enterprise_id: "example-corp", name: "Example Corp" });
  await call("PUT", "/v1/enterprises/example-corp/settings/identity", { session_invalidation_in_seconds: "900" }, admin, { "if-match": "*" });
  await call("POST", "/v1/accounts", { account_id: "acme-prod", name: "Acme production" });
  await call("PUT", "/v1/accounts/acme-prod/enterprise", { enterprise_id: "example-corp" });
  const pipeline = (await call("POST", "/v1/accounts/acme-prod/api_keys", { role: "editor", name: "terraform-pipeline" })) as { key: string };
  await call("PUT", "/v1/accounts/acme-prod/settings/identity", { session_expiration_in_seconds: "28800", session_invalidation_in_seconds: "3600", max_sessions_per_identity: "3" }, pipeline.key, { "if-match": "*" });
  await call("POST", "/v1/identities", { iam_id: "IBMid-jane", name: "Jane Doe" });
  await call("PUT", "/v1/accounts/acme-prod/members/IBMid-jane", { role: "editor" });
  await call("PUT", "/v1/identities/IBMid-jane/password", { password: "correct horse battery staple" });

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  const page = await browser.newPage({ viewport: { width: 1040, height: 800 } });
  await page.goto(`${url}/console/`);
  await page.getByLabel("Identity ID").fill("IBMid-jane");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
  await page.getByLabel("Account", { exact: true }).fill("acme-prod");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Login session settings" }).waitFor();
  // The whole page: a viewport-high picture cut the Concurrent sessions tile in the middle.
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser?.close();
  server?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
}
