// The provider's resources and data sources without the CLIs: the client's routes for them, the settings-resource
// factory (account and enterprise share one implementation), plan-time validation, import ids, and the effective
// settings data source.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Diagnostics, UNKNOWN, type ObjectValue, type Resource } from "../../provider/framework/index.ts";
import { validateAttributes } from "../../provider/framework/validate.ts";
import { IamsessionClient, type HistoryEntry, type OwnerSettings, type TrustedProfile } from "../../client/index.ts";
import { effectiveSettingsDataSource } from "../../provider/iamsession/data-sources/effective-settings.ts";
import { describeLatestChange } from "../../provider/iamsession/history.ts";
import { createIamsessionProvider } from "../../provider/iamsession/provider.ts";
import { accountSettingsResource } from "../../provider/iamsession/resources/account-settings.ts";
import { enterpriseSettingsResource } from "../../provider/iamsession/resources/enterprise-settings.ts";
import { trustedProfileResource } from "../../provider/iamsession/resources/trusted-profile.ts";
import { NOT_SET, TRUSTED_PROFILE_SESSION_DURATION } from "../../schemas/settings.ts";

// --- the client against a real local HTTP server ---------------------------------------------------------------

interface Seen {
  method: string;
  url: string;
  ifMatch?: string;
  body: string;
}
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function serve(answer: (req: IncomingMessage) => { status: number; body?: unknown }): Promise<{ client: IamsessionClient; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, ifMatch: req.headers["if-match"] as string | undefined, body });
      const a = answer(req);
      if (a.body === undefined) res.writeHead(a.status).end();
      else res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.body));
    });
  });
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => {
      const endpoint = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      resolve({ client: new IamsessionClient({ endpoint, token: "t", timeoutMs: 2000, maxRetries: 0 }), seen });
    }),
  );
}

describe("IamsessionClient routes for enterprises, trusted profiles and effective settings", () => {
  it("addresses settings by owner kind", async () => {
    const { client, seen } = await serve(() => ({ status: 200, body: { enterprise_id: "e1", entity_tag: "t2" } }));
    await client.getSettings("enterprise", "e1", true);
    await client.putSettings("enterprise", "e1", "t1", { max_sessions_per_identity: "3" });
    await client.getSettings("account", "a/b");
    expect(seen.map((s) => [s.method, s.url, s.ifMatch])).toEqual([
      ["GET", "/v1/enterprises/e1/settings/identity?include_history=true", undefined],
      ["PUT", "/v1/enterprises/e1/settings/identity", '"t1"'],
      ["GET", "/v1/accounts/a%2Fb/settings/identity", undefined],
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ max_sessions_per_identity: "3" });
  });

  it("creates, reads, changes (If-Match) and deletes trusted profiles; a 204 has no body", async () => {
    const { client, seen } = await serve((req) =>
      req.method === "DELETE" ? { status: 204 } : { status: req.method === "POST" ? 201 : 200, body: { profile_id: "P" } },
    );
    await client.createTrustedProfile("a1", { name: "n" });
    await client.getTrustedProfile("a1", "P");
    await client.putTrustedProfile("a1", "P", "t1", { session_duration_in_seconds: "900" });
    await expect(client.deleteTrustedProfile("a1", "P", "t2")).resolves.toBeUndefined();
    await client.deleteTrustedProfile("a1", "P");
    expect(seen.map((s) => [s.method, s.url, s.ifMatch])).toEqual([
      ["POST", "/v1/accounts/a1/trusted_profiles", undefined],
      ["GET", "/v1/accounts/a1/trusted_profiles/P", undefined],
      ["PUT", "/v1/accounts/a1/trusted_profiles/P", '"t1"'],
      ["DELETE", "/v1/accounts/a1/trusted_profiles/P", '"t2"'],
      ["DELETE", "/v1/accounts/a1/trusted_profiles/P", undefined],
    ]);
  });

  it("reads effective settings of an account and of an identity", async () => {
    const { client, seen } = await serve(() => ({ status: 200, body: {} }));
    await client.getAccountEffectiveSettings("a1");
    await client.getIdentityEffectiveSettings("IBMid-x:y");
    expect(seen.map((s) => s.url)).toEqual([
      "/v1/accounts/a1/effective_settings/identity",
      "/v1/identities/IBMid-x%3Ay/effective_settings/identity",
    ]);
  });
});

// --- resources with a scripted client ----------------------------------------------------------------------------

const diagnosticsOf = (schema: Resource["schema"], config: ObjectValue) => {
  const d = new Diagnostics();
  validateAttributes(schema, config, d);
  return d.items;
};

describe("the settings-resource factory", () => {
  it("gives the enterprise resource the account resource's schema, with enterprise_id in place of account_id", () => {
    const account = accountSettingsResource().schema.attributes;
    const enterprise = enterpriseSettingsResource().schema.attributes;
    expect(Object.keys(enterprise).sort()).toEqual(
      Object.keys(account).map((k) => (k === "account_id" ? "enterprise_id" : k)).sort(),
    );
    for (const name of ["session_expiration_in_seconds", "session_invalidation_in_seconds", "max_sessions_per_identity", "entity_tag"]) {
      expect({ ...enterprise[name], validators: undefined }).toEqual({ ...account[name], validators: undefined });
    }
    expect(enterprise.enterprise_id).toMatchObject({ required: true, requiresReplace: true });
  });

  it("validates the enterprise's settings at plan time, naming the attribute and the range", () => {
    const schema = enterpriseSettingsResource().schema;
    const items = diagnosticsOf(schema, {
      id: null,
      enterprise_id: "e1",
      session_expiration_in_seconds: "100000",
      session_invalidation_in_seconds: "not_set",
      max_sessions_per_identity: "3",
      entity_tag: null,
    });
    expect(items.map((d) => d.attribute)).toEqual([["session_expiration_in_seconds"], ["session_invalidation_in_seconds"]]);
    expect(items[0]!.detail).toContain("from 900 to 86400");
    expect(diagnosticsOf(schema, { enterprise_id: "Bad Id" } as ObjectValue)[0]!.attribute).toEqual(["enterprise_id"]);
  });

  it("imports by enterprise id and rejects a malformed one", async () => {
    const r = enterpriseSettingsResource();
    expect(await r.importState!({} as never, "e1")).toMatchObject({ id: "e1", enterprise_id: "e1" });
    expect(() => r.importState!({} as never, "E 1")).toThrow(/enterprise id/);
  });

  it("refuses to overwrite an enterprise change made since the last read, naming who made it", async () => {
    const current: OwnerSettings = {
      enterprise_id: "e1",
      session_expiration_in_seconds: "3600",
      session_invalidation_in_seconds: NOT_SET,
      max_sessions_per_identity: NOT_SET,
      max_sessions_exceeded_action: NOT_SET,
      entity_tag: "t9",
      updated_at: "2026-11-25T00:00:00.000Z",
      history: [
        {
          version: 2,
          changed_at: "2025-01-01T00:00:00Z",
          changed_by: { key_id: "key-123", iam_id: "key-123", key_name: "console", account_id: null, enterprise_id: "e1" },
          idempotency_key: null,
          action: "update",
          old: {} as never,
          new: {} as never,
        },
      ],
    };
    const puts: unknown[] = [];
    const client = {
      getSettings: async (kind: string, id: string) => (kind === "enterprise" && id === "e1" ? current : Promise.reject(new Error(kind))),
      getLatestChange: async (kind: string, id: string) => (kind === "enterprise" && id === "e1" ? current.history![0] : undefined),
      putSettings: async (...args: unknown[]) => void puts.push(args),
    } as unknown as IamsessionClient;
    const ctx = { providerData: client, diagnostics: new Diagnostics() };
    const prior = { id: "e1", enterprise_id: "e1", session_expiration_in_seconds: "1800", entity_tag: "t1" } as ObjectValue;
    const err = await enterpriseSettingsResource().update(ctx, prior, prior, prior).catch((e) => e);
    expect(err.summary).toBe("The settings of enterprise e1 were changed outside this run");
    expect(err.detail).toContain("key-123 (console) of enterprise e1 at 2025-01-01T00:00:00Z");
    expect(puts).toEqual([]);
  });
});

describe("describeLatestChange", () => {
  const changedBy = (changed_by: { account_id: string | null; enterprise_id: string | null }): HistoryEntry => ({
    version: 2,
    changed_at: "2025-01-01T00:00:00Z",
    changed_by: { key_id: "key-1", iam_id: "key-1", key_name: "ci", ...changed_by },
    idempotency_key: null,
    action: "update",
    old: {} as never,
    new: {} as never,
  });

  it("names the account of an account key, the enterprise of an enterprise key, and the platform administrator when neither", () => {
    expect(describeLatestChange(changedBy({ account_id: "a1", enterprise_id: null }))).toBe("key-1 (ci) of account a1 at 2025-01-01T00:00:00Z");
    expect(describeLatestChange(changedBy({ account_id: null, enterprise_id: "e1" }))).toBe("key-1 (ci) of enterprise e1 at 2025-01-01T00:00:00Z");
    expect(describeLatestChange(changedBy({ account_id: null, enterprise_id: null }))).toBe(
      "key-1 (ci) (platform administrator) at 2025-01-01T00:00:00Z",
    );
    expect(describeLatestChange(undefined)).toBe("someone else");
  });
});

describe("iamsession_trusted_profile", () => {
  const schema = trustedProfileResource().schema;
  const config = (duration: string | null, name: string | null = "p") =>
    ({ id: null, account_id: "a1", name, session_duration_in_seconds: duration, profile_id: null, entity_tag: null }) as ObjectValue;

  it("validates the session duration from the settings model (900..43200 or NOT_SET)", () => {
    expect(TRUSTED_PROFILE_SESSION_DURATION).toMatchObject({ min: 900, max: 43200 });
    for (const ok of ["900", "43200", NOT_SET]) expect(diagnosticsOf(schema, config(ok))).toEqual([]);
    for (const bad of ["899", "43201", "3600.0", "03600", "not_set", " 900"]) {
      const items = diagnosticsOf(schema, config(bad));
      expect(items).toHaveLength(1);
      expect(items[0]!.attribute).toEqual(["session_duration_in_seconds"]);
      expect(items[0]!.detail).toContain("from 900 to 43200");
    }
    expect(diagnosticsOf(schema, config(null, ""))[0]!.attribute).toEqual(["name"]);
  });

  it("imports <account_id>/<profile_id> and explains a malformed id", async () => {
    const r = trustedProfileResource();
    const pid = `Profile-${"ab".repeat(16)}`;
    expect(await r.importState!({} as never, `a1/${pid}`)).toMatchObject({ id: `a1/${pid}`, account_id: "a1", profile_id: pid });
    for (const bad of ["a1", `a1/${pid}/x`, "a1/Profile-xyz", `A 1/${pid}`]) {
      expect(() => r.importState!({} as never, bad)).toThrow(/account id and the profile id/);
    }
  });

  it("updates with the entity tag it read, and only what changed", async () => {
    const profile: TrustedProfile = { profile_id: "P", account_id: "a1", name: "p", session_duration_in_seconds: "3600", entity_tag: "t1", created_at: "2026-11-25T00:00:00.000Z", updated_at: "2026-11-25T00:00:00.000Z" };
    const puts: unknown[][] = [];
    const client = {
      getTrustedProfile: async () => profile,
      putTrustedProfile: async (...args: unknown[]) => {
        puts.push(args);
        return { ...profile, session_duration_in_seconds: "900", entity_tag: "t2" };
      },
    } as unknown as IamsessionClient;
    const ctx = { providerData: client, diagnostics: new Diagnostics() };
    const prior = { id: "a1/P", account_id: "a1", name: "p", session_duration_in_seconds: "3600", profile_id: "P", entity_tag: "t1" };
    const planned: ObjectValue = { ...prior, session_duration_in_seconds: "900", entity_tag: UNKNOWN };
    const state = await trustedProfileResource().update(ctx, planned, prior, planned);
    expect(puts).toEqual([["a1", "P", "t1", { session_duration_in_seconds: "900" }]]);
    expect(state).toMatchObject({ id: "a1/P", session_duration_in_seconds: "900", entity_tag: "t2" });

    const stale = await trustedProfileResource().update(ctx, planned, { ...prior, entity_tag: "t0" }, planned).catch((e) => e);
    expect(stale.summary).toBe("Trusted profile P of account a1 was changed outside this run");
    expect(puts).toHaveLength(1);
  });
});

describe("iamsession_effective_settings", () => {
  const ds = effectiveSettingsDataSource();
  const validate = (config: ObjectValue) => {
    const diagnostics = new Diagnostics();
    ds.validateConfig!({ config, diagnostics });
    return diagnostics.items;
  };
  const empty = { enterprise_id: null, accounts: null, session_expiration_in_seconds: null, session_invalidation_in_seconds: null, max_sessions_per_identity: null };

  it("needs exactly one of account_id and iam_id, pointing at the attribute", () => {
    expect(validate({ ...empty, account_id: "a1", iam_id: null })).toEqual([]);
    expect(validate({ ...empty, account_id: null, iam_id: "IBMid-1" })).toEqual([]);
    expect(validate({ ...empty, account_id: null, iam_id: null })).toMatchObject([{ severity: "error", attribute: ["account_id"] }]);
    expect(validate({ ...empty, account_id: "a1", iam_id: "IBMid-1" })).toMatchObject([{ severity: "error", attribute: ["iam_id"] }]);
    // Decided at read time when a value is not known yet.
    expect(validate({ ...empty, account_id: UNKNOWN, iam_id: null })).toEqual([]);
    expect(validate({ ...empty, account_id: UNKNOWN, iam_id: "IBMid-1" })).toEqual([]);
  });

  it("maps the API's provenance onto object attributes", async () => {
    const v = (value: string, source: string, source_id: string | null, account_id: string | null) => ({ value, source, source_id, account_id });
    const client = {
      getAccountEffectiveSettings: async () => ({
        account_id: "a1",
        enterprise_id: "e1",
        session_expiration_in_seconds: v("3600", "enterprise", "e1", "a1"),
        session_invalidation_in_seconds: v("900", "account", "a1", "a1"),
        max_sessions_per_identity: v("unlimited", "default", null, "a1"),
      }),
      getIdentityEffectiveSettings: async () => ({
        iam_id: "IBMid-1",
        accounts: ["a1", "a2"],
        session_expiration_in_seconds: v("3600", "enterprise", "e1", "a1"),
        session_invalidation_in_seconds: v("900", "account", "a2", "a2"),
        max_sessions_per_identity: v("unlimited", "default", null, "a1"),
      }),
    } as unknown as IamsessionClient;
    const ctx = { providerData: client, diagnostics: new Diagnostics() };
    expect(await ds.read(ctx, { ...empty, account_id: "a1", iam_id: null })).toMatchObject({
      enterprise_id: "e1",
      accounts: ["a1"],
      max_sessions_per_identity: { value: "unlimited", source: "default", source_id: null, account_id: "a1" },
    });
    expect(await ds.read(ctx, { ...empty, account_id: null, iam_id: "IBMid-1" })).toMatchObject({
      enterprise_id: null,
      accounts: ["a1", "a2"],
      session_invalidation_in_seconds: { value: "900", source: "account", source_id: "a2", account_id: "a2" },
    });
  });
});

describe("the provider", () => {
  it("registers the issue #6 resources and data source", () => {
    const p = createIamsessionProvider({});
    expect(p.resources.map((r) => r.typeName)).toEqual([
      "iamsession_account_settings",
      "iamsession_enterprise_settings",
      "iamsession_trusted_profile",
    ]);
    expect(p.dataSources.map((d) => d.typeName)).toEqual(["iamsession_account_settings", "iamsession_effective_settings"]);
  });
});
