// iamsession_trusted_profile end to end (issue #6): the real CLIs (Terraform and OpenTofu) run the real provider
// from the filesystem mirror against the real API on a real SQLite file.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRUSTED_PROFILE_ID_PATTERN } from "../../schemas/identifiers.ts";
import { NOT_SET, TRUSTED_PROFILE_SESSION_DURATION } from "../../schemas/settings.ts";
import { apiRequest, createAccount, createApiKey, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, stateResources, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { PROVIDER, apiRequests, example, unique } from "../helpers/e2e.ts";

const ADDRESS = "iamsession_trusted_profile.contractors";

function block(accountId: string, name: string, duration?: string): string {
  const line = duration === undefined ? "" : `  session_duration_in_seconds = ${JSON.stringify(duration)}\n`;
  return `resource "iamsession_trusted_profile" "contractors" {\n  account_id = ${JSON.stringify(accountId)}\n  name = ${JSON.stringify(name)}\n${line}}\n`;
}

interface Profile {
  profile_id: string;
  account_id: string;
  name: string;
  session_duration_in_seconds: string;
  entity_tag: string;
}

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const profilePath = (accountId: string, profileId: string) => `/v1/accounts/${accountId}/trusted_profiles/${profileId}`;
  const getProfile = (accountId: string, profileId: string) => apiRequest<Profile>(server, "GET", profilePath(accountId, profileId), { token: server.adminToken });
  const putProfile = (accountId: string, profileId: string, json: Partial<Profile>, token = server.adminToken) =>
    apiRequest<Profile>(server, "PUT", profilePath(accountId, profileId), { token, json, headers: { "if-match": "*" } });
  async function createProfile(accountId: string, json: Partial<Profile>): Promise<Profile> {
    const res = await apiRequest<Profile>(server, "POST", `/v1/accounts/${accountId}/trusted_profiles`, { token: server.adminToken, json });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  /** A new account, an administrator key of it, and a workdir whose CLI uses that key. */
  async function setup(files: (accountId: string) => Record<string, string>, accountId = `acct-${unique()}`) {
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "administrator");
    const wd = makeWorkdir(files(accountId), { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: key.key });
    await tfOk(wd, cli, ["init", "-input=false"]);
    return { wd, accountId, token: key.key };
  }
  const plan = (wd: Workdir, extra: string[] = []) => tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode", ...extra]);
  const apply = (wd: Workdir, extra: string[] = []) => tfOk(wd, cli, ["apply", "-input=false", "-auto-approve", ...extra]);
  const expectEmptyPlan = async (wd: Workdir) => {
    const r = await plan(wd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  };
  const profileState = async (wd: Workdir) => (await stateResources(wd, cli))[ADDRESS] as unknown as Profile & { id: string };

  it("the docs' example: create, empty plan, update in place, drift detected and restored, destroy deletes", async () => {
    const main = (id: string) => example("resources/iamsession_trusted_profile/resource.tf").replace("acme-production", id);
    const { wd, accountId } = await setup((id) => ({ "provider.tf": example("provider/provider.tf"), "main.tf": main(id) }), `acme-production-${unique()}`);
    const created = await plan(wd);
    expect(created.code).toBe(2);
    expect(created.stdout).toMatch(/profile_id\s+= \(known after apply\)/);
    await apply(wd);

    const state = await profileState(wd);
    expect(state.profile_id).toMatch(TRUSTED_PROFILE_ID_PATTERN);
    expect(state).toMatchObject({ id: `${accountId}/${state.profile_id}`, account_id: accountId, name: "contractors", session_duration_in_seconds: "7200" });
    const onServer = await getProfile(accountId, state.profile_id);
    expect(onServer.status).toBe(200);
    expect(onServer.body).toMatchObject({ name: "contractors", session_duration_in_seconds: "7200", entity_tag: state.entity_tag });
    await expectEmptyPlan(wd);

    // Update in place: the profile keeps its id.
    writeFileSync(join(wd.dir, "main.tf"), main(accountId).replace('"7200"', '"3600"').replace(/name(\s+)= "contractors"/, 'name$1= "external contractors"'));
    const update = await plan(wd);
    expect(update.code, update.stderr).toBe(2);
    expect(update.stdout).toContain("0 to add, 1 to change, 0 to destroy");
    expect(update.stdout).toMatch(/session_duration_in_seconds\s+= "7200" -> "3600"/);
    await apply(wd);
    expect((await getProfile(accountId, state.profile_id)).body).toMatchObject({ name: "external contractors", session_duration_in_seconds: "3600" });
    expect((await profileState(wd)).profile_id).toBe(state.profile_id);
    await expectEmptyPlan(wd);

    // Drift through the API shows in the plan, and apply restores the code's value.
    expect((await putProfile(accountId, state.profile_id, { session_duration_in_seconds: "1800" })).status).toBe(200);
    const drift = await plan(wd);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/session_duration_in_seconds\s+= "1800" -> "3600"/);
    await apply(wd);
    expect((await getProfile(accountId, state.profile_id)).body.session_duration_in_seconds).toBe("3600");
    await expectEmptyPlan(wd);

    // A new account_id replaces the profile.
    const other = `other-${unique()}`;
    await createAccount(server, { accountId: other });
    writeFileSync(join(wd.dir, "main.tf"), main(other).replace('"7200"', '"3600"').replace(/name(\s+)= "contractors"/, 'name$1= "external contractors"'));
    const replace = await plan(wd, ["-refresh=false"]);
    expect(replace.stdout).toMatch(/must be replaced/);
    expect(replace.stdout).toMatch(/account_id\s+= "[^"]+" -> "[^"]+" # forces replacement/);

    writeFileSync(join(wd.dir, "main.tf"), main(accountId));
    await tfOk(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
    expect((await getProfile(accountId, state.profile_id)).status).toBe(404);
  });

  it("an omitted session duration is NOT_SET on a new profile, with no diff afterwards", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + block(id, "no duration") }));
    await apply(wd);
    const state = await profileState(wd);
    expect(state.session_duration_in_seconds).toBe(NOT_SET);
    expect((await getProfile(accountId, state.profile_id)).body.session_duration_in_seconds).toBe(NOT_SET);
    await expectEmptyPlan(wd);
  });

  it("a profile deleted outside Terraform is planned as a create, and apply creates it again", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + block(id, "ephemeral", "900") }));
    await apply(wd);
    const first = await profileState(wd);
    const del = await apiRequest(server, "DELETE", profilePath(accountId, first.profile_id), { token: server.adminToken });
    expect(del.status).toBe(204);

    const r = await plan(wd);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("1 to add, 0 to change, 0 to destroy");
    await apply(wd);
    const second = await profileState(wd);
    expect(second.profile_id).not.toBe(first.profile_id);
    expect((await getProfile(accountId, second.profile_id)).body.session_duration_in_seconds).toBe("900");
    await expectEmptyPlan(wd);
  });

  it("import by the CLI command (as the docs show), then plan is empty", async () => {
    const main = (id: string) => example("resources/iamsession_trusted_profile/resource.tf").replace("acme-production", id);
    const { wd, accountId } = await setup((id) => ({ "provider.tf": example("provider/provider.tf"), "main.tf": main(id) }), `acme-production-${unique()}`);
    const existing = await createProfile(accountId, { name: "contractors", session_duration_in_seconds: "7200" });
    const command = example("resources/iamsession_trusted_profile/import.sh")
      .split("\n")
      .find((l) => l.startsWith("terraform import"))!
      .replace(/acme-production\/Profile-[0-9a-f]{32}/, `${accountId}/${existing.profile_id}`)
      .split(" ")
      .slice(1);
    await tfOk(wd, cli, command);
    expect(await profileState(wd)).toMatchObject({
      id: `${accountId}/${existing.profile_id}`,
      profile_id: existing.profile_id,
      name: "contractors",
      session_duration_in_seconds: "7200",
    });
    await expectEmptyPlan(wd);

    for (const bad of [accountId, `${accountId}/not-a-profile`]) {
      const r = await tf(wd, cli, ["import", "iamsession_trusted_profile.other", bad]);
      expect(r.code).toBe(1);
    }
  });

  it("an import block (as the docs show) adopts the profile through plan and apply", async () => {
    const { wd, accountId } = await setup(
      (id) => ({
        "provider.tf": example("provider/provider.tf"),
        "main.tf": example("resources/iamsession_trusted_profile/resource.tf").replace("acme-production", id),
      }),
      `acme-production-${unique()}`,
    );
    const existing = await createProfile(accountId, { name: "contractors", session_duration_in_seconds: "7200" });
    writeFileSync(
      join(wd.dir, "import.tf"),
      example("resources/iamsession_trusted_profile/import-block.tf").replace(/acme-production\/Profile-[0-9a-f]{32}/, `${accountId}/${existing.profile_id}`),
    );
    const planned = await plan(wd);
    expect(planned.stdout, planned.stderr).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
    await apply(wd);
    await expectEmptyPlan(wd);
    expect((await profileState(wd)).profile_id).toBe(existing.profile_id);
  });

  it.each(["899", "43201", "03600", "3600.0", "not_set", ""])(
    "session_duration_in_seconds = %j fails validate and plan with the attribute and range, before any API call",
    async (value) => {
      const { wd } = await setup((id) => ({ "main.tf": PROVIDER + block(id, "p", value) }));
      const before = apiRequests(server);
      for (const command of [["validate"], ["plan", "-input=false"]]) {
        const r = await tf(wd, cli, command);
        expect(r.code, r.stdout).toBe(1);
        expect(r.stderr).toContain(`session_duration_in_seconds = ${JSON.stringify(value)}`);
        expect(r.stderr).toContain(`from ${TRUSTED_PROFILE_SESSION_DURATION.min} to ${TRUSTED_PROFILE_SESSION_DURATION.max}`);
        expect(r.stderr).toContain("NOT_SET");
      }
      expect(apiRequests(server)).toBe(before);
    },
  );

  it("a change made after the plan is never overwritten: apply fails and the change is kept", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + block(id, "p", "900") }));
    await apply(wd);
    const { profile_id } = await profileState(wd);
    writeFileSync(join(wd.dir, "main.tf"), PROVIDER + block(accountId, "p", "1200"));
    await tfOk(wd, cli, ["plan", "-input=false", "-out=change.tfplan"]);
    expect((await putProfile(accountId, profile_id, { session_duration_in_seconds: "3600" })).status).toBe(200);

    const r = await tf(wd, cli, ["apply", "-input=false", "change.tfplan"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Trusted profile ${profile_id} of account ${accountId} was changed outside this run`);
    expect((await getProfile(accountId, profile_id)).body.session_duration_in_seconds).toBe("3600");
  });
});
