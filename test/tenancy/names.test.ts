// Names are text (issue #11): every name field refuses lone surrogates, control and bidi characters and overlong
// values with a 400 naming the field, and the database holds nothing of them; printers escape stored text anyway.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render, type Report } from "../../drift/report.ts";
import { protocolDiagnostics } from "../../provider/framework/diagnostics.ts";
import { describeLatestChange } from "../../provider/iamsession/history.ts";
import { MAX_NAME_LENGTH, escapeText } from "../../schemas/text.ts";
import { apiRequest, createAccount, createEnterprise, createTrustedProfile, startApiServer, trustedProfilesPath, type ApiServer } from "../helpers/api-server.ts";

let server: ApiServer;
let accountId: string;
let enterpriseId: string;
let profileId: string;
beforeAll(async () => {
  server = await startApiServer();
  accountId = (await createAccount(server)).account_id;
  enterpriseId = (await createEnterprise(server)).enterprise_id;
  profileId = (await createTrustedProfile(server, accountId)).profile_id;
});
afterAll(async () => {
  await server?.dispose();
});

const MARK = "HOSTILE";
const HOSTILE: Array<[string, string]> = [
  ["a lone high surrogate", `${MARK}\ud800`],
  ["a lone low surrogate", `${MARK}\udc00x`],
  ["a NUL", `${MARK}\u0000`],
  ["a newline", `${MARK}\nNo drift`],
  ["a carriage return", `${MARK}\rNo drift`],
  ["an escape sequence", `${MARK}\u001b[2K`],
  ["DEL", `${MARK}\u007f`],
  ["a C1 control (CSI)", `${MARK}\u009b2K`],
  ["a right-to-left override", `${MARK}\u202etfird oN`],
  ["a left-to-right isolate", `${MARK}\u2066x`],
  ["a right-to-left mark", `${MARK}\u200f`],
  ["a line separator", `${MARK}\u2028`],
  ["the empty string", ""],
  [`${MAX_NAME_LENGTH + 1} characters`, MARK + "x".repeat(MAX_NAME_LENGTH + 1 - MARK.length)],
];

interface NameRoute {
  what: string;
  method: string;
  path: () => string;
  body: (name: string) => Record<string, unknown>;
  extraHeaders?: Record<string, string>;
}

const ROUTES: NameRoute[] = [
  { what: "account", method: "POST", path: () => "/v1/accounts", body: (name) => ({ name }) },
  { what: "enterprise", method: "POST", path: () => "/v1/enterprises", body: (name) => ({ name }) },
  { what: "identity", method: "POST", path: () => "/v1/identities", body: (name) => ({ name }) },
  { what: "account key", method: "POST", path: () => `/v1/accounts/${accountId}/api_keys`, body: (name) => ({ role: "viewer", name }) },
  { what: "enterprise key", method: "POST", path: () => `/v1/enterprises/${enterpriseId}/api_keys`, body: (name) => ({ role: "viewer", name }) },
  { what: "trusted profile", method: "POST", path: () => trustedProfilesPath(accountId), body: (name) => ({ name }) },
  {
    what: "trusted profile update",
    method: "PUT",
    path: () => trustedProfilesPath(accountId, profileId),
    body: (name) => ({ name }),
    extraHeaders: { "if-match": "*" },
  },
];

describe("hostile names are refused", () => {
  for (const route of ROUTES) {
    it.each(HOSTILE)(`${route.what}: %s -> 400 naming the field`, async (_what, name) => {
      const res = await apiRequest(server, route.method, route.path(), { token: server.adminToken, json: route.body(name), headers: route.extraHeaders });
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].target).toEqual({ type: "field", name: "name" });
      expect(res.body.errors[0].message).toMatch(/^name: /);
    });
  }

  it("the database holds nothing of them", () => {
    const db = new Database(server.dbPath, { readonly: true });
    try {
      for (const [table, column] of [
        ["accounts", "name"],
        ["enterprises", "name"],
        ["identities", "name"],
        ["api_keys", "name"],
        ["trusted_profiles", "name"],
      ] as const) {
        const n = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE instr(${column}, ?) > 0 OR ${column} = ''`).get(MARK) as { n: number };
        expect(n.n, table).toBe(0);
      }
    } finally {
      db.close();
    }
  });

  it("accepts any well-formed text up to the limit in code points (200 emoji are 400 UTF-16 units), stored exactly", async () => {
    const name = "\u{1F600}".repeat(MAX_NAME_LENGTH);
    const res = await apiRequest(server, "POST", "/v1/accounts", { token: server.adminToken, json: { name: name } });
    expect(res.status, res.text).toBe(201);
    const ok = await apiRequest(server, "POST", "/v1/accounts", { token: server.adminToken, json: { name: "Zoë — ACME 東京 (prod)" } });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe("Zoë — ACME 東京 (prod)");
  });
});

describe("printers escape stored text", () => {
  // Text stored before these rules (or arriving from elsewhere) must still not rewrite the line it is printed on.
  const hostile = "ci\u202e\nNo drift\u001b[2K\ud800";

  it("escapeText leaves ordinary text alone and escapes control, bidi and lone surrogates", () => {
    expect(escapeText("Zoë 東京 \u{1F600} a\\b")).toBe("Zoë 東京 \u{1F600} a\\b");
    expect(escapeText(hostile)).toBe("ci\\u{202e}\\u{a}No drift\\u{1b}[2K\\u{d800}");
  });

  it("the drift report", () => {
    const report: Report = {
      drifted: true,
      failOn: "any",
      generatedAt: "2026-01-01T00:00:01Z",
      types: ["iamsession_account_settings"],
      checked: [{ address: "iamsession_account_settings.main", type: "iamsession_account_settings" }],
      items: [
        {
          address: "iamsession_account_settings.main",
          resourceType: "iamsession_account_settings",
          owner: { kind: "account", id: "acme" },
          change: "update",
          attribute: "session_invalidation_in_seconds",
          inCode: "900",
          lastApplied: "900",
          onServer: "7200",
          managed: true,
          loosened: true,
          counts: true,
          changedBy: { author: { keyId: "ApiKey-1", keyName: hostile, accountId: "acme", enterpriseId: null, at: "2026-01-01T00:00:00Z" } },
        },
      ],
    };
    // Every format for people or CI logs: text, JUnit and GitHub annotations.
    for (const format of ["text", "junit", "github"] as const) {
      const text = render(report, format);
      expect(text, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]|\p{Cs}/u);
      expect(text.split("\n").some((l) => l.startsWith("No drift")), format).toBe(false);
      expect(text, format).toContain("ci\\u{202e}\\u{a}No drift");
    }
  });

  it("the provider's diagnostics", () => {
    const described = describeLatestChange({
      changed_by: { key_id: "ApiKey-1", iam_id: "ApiKey-1", key_name: hostile, account_id: "acme", enterprise_id: null },
      changed_at: "t",
    } as never);
    expect(described).not.toMatch(/[\u0000-\u001f\u202e]|\p{Cs}/u);
    const [d] = protocolDiagnostics([{ severity: "error", summary: `changed by ${hostile}`, detail: `line one\n${hostile}` }]);
    expect(d!.summary).toBe(`changed by ${escapeText(hostile)}`);
    // The backstop keeps a detail's own line breaks (so text from the server is escaped where it is put in: above).
    expect(String(d!.detail)).toBe(`line one\n${escapeText(hostile, "\n")}`);
  });
});
