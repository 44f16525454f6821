// The OpenAPI document: generated from the route schemas, checked in as schemas/openapi.json, served at /openapi.json.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS, TRUSTED_PROFILE_SESSION_DURATION } from "../../schemas/settings.ts";
import { staleFiles } from "../../scripts/generate.ts";
import { OPENAPI_JSON_PATH, generator as openapiGenerator, renderOpenApiJson } from "../../scripts/generators/openapi.ts";
import { apiRequest, startApiServer, type ApiServer } from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

const checkedIn = () => readFileSync(OPENAPI_JSON_PATH, "utf8");

describe("OpenAPI document", () => {
  it("schemas/openapi.json is up to date (regenerate: npm run generate)", async () => {
    expect(renderOpenApiJson()).toBe(checkedIn());
    expect(await staleFiles([openapiGenerator])).toEqual([]);
  });

  it("is served at /openapi.json, identical to schemas/openapi.json", async () => {
    const res = await apiRequest(server, "GET", "/openapi.json", { token: server.adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(checkedIn()));
  });

  it("is OpenAPI 3.1 with every route and the setting schemas from the settings model", () => {
    const doc = JSON.parse(checkedIn());
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/health",
      "/v1/accounts",
      "/v1/accounts/{account_id}",
      "/v1/accounts/{account_id}/api_keys",
      "/v1/accounts/{account_id}/api_keys/{key_id}",
      "/v1/accounts/{account_id}/effective_settings/identity",
      "/v1/accounts/{account_id}/enterprise",
      "/v1/accounts/{account_id}/federation_keys",
      "/v1/accounts/{account_id}/invitations",
      "/v1/accounts/{account_id}/invitations/{invitation_id}",
      "/v1/accounts/{account_id}/members",
      "/v1/accounts/{account_id}/members/{iam_id}",
      "/v1/accounts/{account_id}/sessions",
      "/v1/accounts/{account_id}/sessions/{session_id}",
      "/v1/accounts/{account_id}/settings/identity",
      "/v1/accounts/{account_id}/settings/identity/history",
      "/v1/accounts/{account_id}/trusted_profiles",
      "/v1/accounts/{account_id}/trusted_profiles/{profile_id}",
      "/v1/enterprises",
      "/v1/enterprises/{enterprise_id}/api_keys",
      "/v1/enterprises/{enterprise_id}/api_keys/{key_id}",
      "/v1/enterprises/{enterprise_id}/settings/identity",
      "/v1/enterprises/{enterprise_id}/settings/identity/history",
      "/v1/identities",
      "/v1/identities/{iam_id}/api_keys",
      "/v1/identities/{iam_id}/api_keys/{key_id}",
      "/v1/identities/{iam_id}/effective_settings/identity",
      "/v1/identities/{iam_id}/invitations",
      "/v1/identities/{iam_id}/invitations/{invitation_id}/accept",
      "/v1/identities/{iam_id}/invitations/{invitation_id}/decline",
      "/v1/identities/{iam_id}/password",
      "/v1/identities/{iam_id}/sessions",
      "/v1/identities/{iam_id}/sessions/{session_id}",
      "/v1/platform/api_keys",
      "/v1/platform/api_keys/{key_id}",
      "/v1/session",
      "/v1/sessions",
      "/v1/tokens",
    ]);
    const update = doc.components.schemas.IdentitySettingsUpdate;
    expect(update.additionalProperties).toBe(false);
    for (const def of SETTINGS) {
      const prop = update.properties[def.name];
      expect(prop.type).toBe("string");
      expect(prop.description).toContain(`${def.min} to ${def.max}`);
      expect(prop.examples).toEqual([String(def.min), String(def.max), "NOT_SET"]);
      const pattern = new RegExp(prop.pattern);
      for (const ok of [String(def.min), String(def.max), "NOT_SET"]) expect(pattern.test(ok)).toBe(true);
      for (const bad of ["0900", " 900", "1e3", "-1", "not_set", ""]) expect(pattern.test(bad)).toBe(false);
    }
    // The trusted profile's duration comes from the same settings model.
    const profile = doc.components.schemas.CreateTrustedProfileRequest.properties.session_duration_in_seconds;
    expect(profile.description).toContain(`${TRUSTED_PROFILE_SESSION_DURATION.min} to ${TRUSTED_PROFILE_SESSION_DURATION.max}`);
    expect(doc.components.schemas.EnterpriseIdentitySettings.properties).toHaveProperty("enterprise_id");
    expect(doc.components.schemas.EffectiveSettingValue.properties.source.enum).toEqual(["account", "enterprise", "default", "another_account"]);
    expect(doc.components.securitySchemes.Bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
