// Each resource is a sub-app whose access rule runs before anything else of its operations, and only for requests
// one of its operations answers: a method a path does not have stays 405 (with Allow), a path no resource has stays
// the app's 404, whoever asks and whatever account the path names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, createAccountWithKeys, settingsPath, startApiServer, type ApiServer, type Role } from "../helpers/api-server.ts";

let server: ApiServer;
let mine: { accountId: string; keys: Record<Role, string> };
let theirs: string;
beforeAll(async () => {
  server = await startApiServer();
  const a = await createAccountWithKeys(server);
  mine = { accountId: a.account.account_id, keys: a.keys };
  theirs = (await createAccountWithKeys(server)).account.account_id;
});
afterAll(async () => {
  await server?.dispose();
});

describe("resource sub-apps", () => {
  it("answers 405 with Allow before any access rule, for a viewer and for another tenant's account", async () => {
    for (const [path, allow] of [
      [settingsPath(mine.accountId), "GET, HEAD, PUT"],
      [settingsPath(theirs), "GET, HEAD, PUT"],
      [`/v1/accounts/${theirs}/trusted_profiles`, "GET, HEAD, POST"],
      [`/v1/accounts/${theirs}/members/someone`, "DELETE, PUT"],
      ["/v1/accounts", "POST"],
    ] as const) {
      const res = await apiRequest(server, "PATCH", path, { token: mine.keys.viewer });
      expect(res.status, path).toBe(405);
      expect(res.headers.get("allow"), path).toBe(allow);
      expect(res.body.errors[0].code).toBe("method_not_allowed");
    }
  });

  it("runs the access rule for HEAD as for GET", async () => {
    expect((await apiRequest(server, "HEAD", settingsPath(theirs), { token: mine.keys.owner })).status).toBe(404);
    expect((await apiRequest(server, "HEAD", settingsPath(mine.accountId), { token: mine.keys.viewer })).status).toBe(200);
  });

  it("runs the access rule before If-Match, content type and body: 404 for another tenant, 403 for a viewer", async () => {
    for (const path of [settingsPath(theirs), `/v1/accounts/${theirs}/trusted_profiles/Profile-0`]) {
      const res = await apiRequest(server, "PUT", path, { token: mine.keys.owner, rawBody: "not json" });
      expect(res.status, path).toBe(404);
      expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "account_id" });
    }
    const res = await apiRequest(server, "PUT", settingsPath(mine.accountId), { token: mine.keys.viewer, rawBody: "not json" });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe("forbidden");
  });

  it("leaves a path no resource has to the app's 404, also below a resource's mount point", async () => {
    for (const path of [`/v1/accounts/${theirs}/trusted_profiles/p/extra`, `/v1/accounts/${theirs}/settings/identity/x`, "/health/x"]) {
      const res = await apiRequest(server, "POST", path, { token: mine.keys.viewer });
      expect(res.status, path).toBe(404);
      expect(res.body.errors[0].message, path).toMatch(/^no route for POST /);
    }
  });
});
