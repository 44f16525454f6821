// iamsession_enterprise_settings end to end (issue #6): the real CLIs (Terraform and OpenTofu) run the real provider
// from the filesystem mirror against the real API on a real SQLite file, with an enterprise key.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_SET, SESSION_EXPIRATION, SESSION_INVALIDATION, MAX_SESSIONS_PER_IDENTITY } from "../../schemas/settings.ts";
import { apiRequest, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, stateResources, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { PROVIDER, apiRequests, example, unique } from "../helpers/e2e.ts";

const SETTINGS = ["session_expiration_in_seconds", "session_invalidation_in_seconds", "max_sessions_per_identity"] as const;

function block(enterpriseId: string, values: Record<string, string>, name = "this"): string {
  const lines = Object.entries(values).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
  return `resource "iamsession_enterprise_settings" "${name}" {\n  enterprise_id = ${JSON.stringify(enterpriseId)}\n${lines.join("\n")}\n}\n`;
}

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const admin = <T = any>(method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
    apiRequest<T>(server, method, path, { token: server.adminToken, json, headers });

  async function ok<T = any>(p: Promise<{ status: number; text: string; body: T }>, status = 200): Promise<T> {
    const res = await p;
    expect(res.status, res.text).toBe(status);
    return res.body;
  }

  /** A new enterprise and a key of it (administrator unless told). */
  async function enterprise(enterpriseId = `ent-${unique()}`, role = "administrator", keyName?: string) {
    await ok(admin("POST", "/v1/enterprises", { enterprise_id: enterpriseId, name: `enterprise ${enterpriseId}` }), 201);
    const key = await ok<{ id: string; key: string }>(
      admin("POST", `/v1/enterprises/${enterpriseId}/api_keys`, { role, ...(keyName ? { name: keyName } : {}) }),
      201,
    );
    return { enterpriseId, token: key.key, keyId: key.id };
  }

  const settingsPath = (id: string, history = false) => `/v1/enterprises/${id}/settings/identity${history ? "?include_history=true" : ""}`;
  const getEnterprise = (id: string) => ok<Record<string, string>>(admin("GET", settingsPath(id)));
  const putEnterprise = (id: string, values: Record<string, string>, token = server.adminToken) =>
    ok(apiRequest(server, "PUT", settingsPath(id), { token, json: values, headers: { "if-match": "*" } }));

  async function workdir(files: Record<string, string>, token: string): Promise<Workdir> {
    const wd = makeWorkdir(files, { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token });
    await tfOk(wd, cli, ["init", "-input=false"]);
    return wd;
  }
  const plan = (wd: Workdir, extra: string[] = []) => tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode", ...extra]);
  const apply = (wd: Workdir, extra: string[] = []) => tfOk(wd, cli, ["apply", "-input=false", "-auto-approve", ...extra]);
  const expectEmptyPlan = async (wd: Workdir) => {
    const r = await plan(wd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  };

  it("the docs' example: create, empty plan, update in place, drift detected and restored, destroy resets to NOT_SET", async () => {
    const { enterpriseId, token } = await enterprise(`acme-enterprise-${unique()}`);
    const main = () => example("resources/iamsession_enterprise_settings/resource.tf").replace("acme-enterprise", enterpriseId);
    const wd = await workdir({ "provider.tf": example("provider/provider.tf"), "main.tf": main() }, token);

    const created = await plan(wd);
    expect(created.code).toBe(2);
    expect(created.stdout).toContain("1 to add, 0 to change, 0 to destroy");
    await apply(wd);
    expect(await getEnterprise(enterpriseId)).toMatchObject({
      enterprise_id: enterpriseId,
      session_expiration_in_seconds: "28800",
      session_invalidation_in_seconds: "3600",
      max_sessions_per_identity: "3",
    });
    const state = (await stateResources(wd, cli))["iamsession_enterprise_settings.acme"]!;
    expect(state).toMatchObject({ id: enterpriseId, enterprise_id: enterpriseId, entity_tag: (await getEnterprise(enterpriseId)).entity_tag });
    await expectEmptyPlan(wd);

    // Update in place.
    writeFileSync(join(wd.dir, "main.tf"), main().replace('"3600"', '"1800"').replace('"3"', `"${NOT_SET}"`));
    const update = await plan(wd);
    expect(update.code).toBe(2);
    expect(update.stdout).toContain("0 to add, 1 to change, 0 to destroy");
    expect(update.stdout).toMatch(/session_invalidation_in_seconds\s+= "3600" -> "1800"/);
    await apply(wd);
    expect(await getEnterprise(enterpriseId)).toMatchObject({ session_invalidation_in_seconds: "1800", max_sessions_per_identity: NOT_SET });
    await expectEmptyPlan(wd);

    // Drift: a change made through the API shows in the plan, and apply restores the code's value.
    await putEnterprise(enterpriseId, { session_expiration_in_seconds: "43200" });
    const drift = await plan(wd);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/session_expiration_in_seconds\s+= "43200" -> "28800"/);
    await apply(wd);
    expect((await getEnterprise(enterpriseId)).session_expiration_in_seconds).toBe("28800");
    await expectEmptyPlan(wd);

    // A new enterprise_id replaces the resource.
    const other = await enterprise();
    writeFileSync(join(wd.dir, "main.tf"), main().replace(enterpriseId, other.enterpriseId));
    const replace = await plan(wd, ["-refresh=false"]);
    expect(replace.stdout).toMatch(/must be replaced/);
    expect(replace.stdout).toMatch(/enterprise_id\s+= "[^"]+" -> "[^"]+" # forces replacement/);

    writeFileSync(join(wd.dir, "main.tf"), main());
    await tfOk(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
    expect(await getEnterprise(enterpriseId)).toMatchObject(Object.fromEntries(SETTINGS.map((n) => [n, NOT_SET])));
  });

  it("an omitted setting is left as the server has it, with no diff", async () => {
    const { enterpriseId, token } = await enterprise();
    await putEnterprise(enterpriseId, { max_sessions_per_identity: "7" });
    const wd = await workdir({ "main.tf": PROVIDER + block(enterpriseId, { session_invalidation_in_seconds: "900" }) }, token);
    await apply(wd);
    expect(await getEnterprise(enterpriseId)).toMatchObject({ session_invalidation_in_seconds: "900", max_sessions_per_identity: "7" });
    await putEnterprise(enterpriseId, { max_sessions_per_identity: "4" });
    await expectEmptyPlan(wd);
    await apply(wd, ["-refresh-only"]);
    expect((await stateResources(wd, cli))["iamsession_enterprise_settings.this"]!.max_sessions_per_identity).toBe("4");
    expect((await getEnterprise(enterpriseId)).max_sessions_per_identity).toBe("4");
  });

  it("import by the CLI command (as the docs show), then plan is empty", async () => {
    const { enterpriseId, token } = await enterprise(`acme-enterprise-${unique()}`);
    await putEnterprise(enterpriseId, { session_expiration_in_seconds: "28800", session_invalidation_in_seconds: "3600", max_sessions_per_identity: "3" });
    const wd = await workdir(
      {
        "provider.tf": example("provider/provider.tf"),
        "main.tf": example("resources/iamsession_enterprise_settings/resource.tf").replace("acme-enterprise", enterpriseId),
      },
      token,
    );
    const command = example("resources/iamsession_enterprise_settings/import.sh")
      .split("\n")
      .find((l) => l.startsWith("terraform import"))!
      .replace("acme-enterprise", enterpriseId)
      .split(" ")
      .slice(1);
    await tfOk(wd, cli, command);
    expect((await stateResources(wd, cli))["iamsession_enterprise_settings.acme"]).toMatchObject({
      id: enterpriseId,
      enterprise_id: enterpriseId,
      session_expiration_in_seconds: "28800",
      max_sessions_per_identity: "3",
    });
    await expectEmptyPlan(wd);

    const bad = await tf(wd, cli, ["import", "iamsession_enterprise_settings.acme", "Not An Id"]);
    expect(bad.code).toBe(1);
  });

  it("an import block (as the docs show) adopts the settings through plan and apply", async () => {
    const { enterpriseId, token } = await enterprise(`acme-enterprise-${unique()}`);
    await putEnterprise(enterpriseId, { session_expiration_in_seconds: "28800", session_invalidation_in_seconds: "3600", max_sessions_per_identity: "3" });
    const wd = await workdir(
      {
        "provider.tf": example("provider/provider.tf"),
        "main.tf": example("resources/iamsession_enterprise_settings/resource.tf").replace("acme-enterprise", enterpriseId),
        "import.tf": example("resources/iamsession_enterprise_settings/import-block.tf").replace("acme-enterprise", enterpriseId),
      },
      token,
    );
    const planned = await plan(wd);
    expect(planned.stdout).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
    await apply(wd);
    await expectEmptyPlan(wd);
  });

  it.each([
    ["session_expiration_in_seconds", "86401", SESSION_EXPIRATION],
    ["session_invalidation_in_seconds", "899", SESSION_INVALIDATION],
    ["session_invalidation_in_seconds", "not_set", SESSION_INVALIDATION],
    ["max_sessions_per_identity", "0", MAX_SESSIONS_PER_IDENTITY],
  ] as const)("%s = %j fails validate and plan with the attribute and range, before any API call", async (attr, value, def) => {
    const { enterpriseId, token } = await enterprise();
    const wd = await workdir({ "main.tf": PROVIDER + block(enterpriseId, { [attr]: value }) }, token);
    const before = apiRequests(server);
    for (const command of [["validate"], ["plan", "-input=false"]]) {
      const r = await tf(wd, cli, command);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toContain(`${attr} = ${JSON.stringify(value)}`);
      expect(r.stderr).toContain(`from ${def.min} to ${def.max}`);
    }
    expect(apiRequests(server)).toBe(before);
  });

  it("a change made after the plan is never overwritten: apply fails, names who changed it, and keeps it", async () => {
    const { enterpriseId, token } = await enterprise();
    const wd = await workdir({ "main.tf": PROVIDER + block(enterpriseId, { session_invalidation_in_seconds: "900" }) }, token);
    await apply(wd);
    writeFileSync(join(wd.dir, "main.tf"), PROVIDER + block(enterpriseId, { session_invalidation_in_seconds: "1200" }));
    await tfOk(wd, cli, ["plan", "-input=false", "-out=change.tfplan"]);

    const other = await ok<{ id: string; key: string }>(
      admin("POST", `/v1/enterprises/${enterpriseId}/api_keys`, { role: "administrator", name: "console-operator" }),
      201,
    );
    await putEnterprise(enterpriseId, { session_invalidation_in_seconds: "3600" }, other.key);

    const r = await tf(wd, cli, ["apply", "-input=false", "change.tfplan"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The settings of enterprise ${enterpriseId} were changed outside this run`);
    expect(r.stderr).toContain(other.id);
    expect(r.stderr).toContain("console-operator");
    expect((await getEnterprise(enterpriseId)).session_invalidation_in_seconds).toBe("3600");
  });

  it("a key of another enterprise cannot see it: the error says so and nothing is written", async () => {
    const target = await enterprise();
    const stranger = await enterprise();
    const wd = await workdir({ "main.tf": PROVIDER + block(target.enterpriseId, { max_sessions_per_identity: "2" }) }, stranger.token);
    const r = await tf(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 404/);
    expect((await getEnterprise(target.enterpriseId)).max_sessions_per_identity).toBe(NOT_SET);
  });
});
