// The example suite both CDK lines run (test/e2e/cdk-examples-cdktf.test.ts, …-cdktn.test.ts): each example copied
// outside the repository and installed, then, with Terraform and OpenTofu side by side, synth, a lock file from the
// filesystem mirror, diff, deploy, the values read back through the API, and a second diff that finds nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  apiRequest,
  createAccount,
  createEnterprise,
  getEnterpriseSettings,
  getSettings,
  startApiServer,
  trustedProfilesPath,
  type ApiServer,
} from "../helpers/api-server.ts";
import { cdk, cdkEnv, cdkLine, cdkOk, copyPrepared, prepareExample, type CdkLine } from "../helpers/cdk.ts";
import { unique } from "../helpers/e2e.ts";
import { cliBinaries, mirrorDir, type Cli } from "../helpers/tf.ts";
import type { Flavour } from "../../scripts/build-constructs.ts";
import { PROVIDER_SOURCE, providerVersionConstraint } from "../../scripts/generators/construct-library.ts";

interface Example {
  name: string;
  /** Creates what the stack manages on the API and returns the stack's environment and a check of the result. */
  setup(server: ApiServer): Promise<{ env: NodeJS.ProcessEnv; resources: number; check(): Promise<void> }>;
}

const EXAMPLES: Example[] = [
  {
    name: "single-account",
    async setup(server) {
      const account = await createAccount(server, { accountId: `acme-${unique()}` });
      return {
        env: { IAMSESSION_ACCOUNT_ID: account.account_id },
        resources: 1,
        check: async () =>
          expect(await getSettings(server, account.account_id)).toMatchObject({
            session_invalidation_in_seconds: "1800",
            session_expiration_in_seconds: "43200",
            max_sessions_per_identity: "3",
          }),
      };
    },
  },
  {
    name: "many-accounts",
    async setup(server) {
      const ids = (await Promise.all([1, 2, 3].map((i) => createAccount(server, { accountId: `fin-${i}-${unique()}` })))).map((a) => a.account_id);
      return {
        env: { IAMSESSION_ACCOUNT_IDS: ids.join(",") },
        resources: 3,
        check: async () => {
          for (const id of ids) {
            expect(await getSettings(server, id)).toMatchObject({
              session_invalidation_in_seconds: "900",
              session_expiration_in_seconds: "3600",
              max_sessions_per_identity: "2",
            });
          }
        },
      };
    },
  },
  {
    name: "guarded",
    async setup(server) {
      const account = await createAccount(server, { accountId: `team-${unique()}` });
      const enterprise = await createEnterprise(server, { enterpriseId: `ent-${unique()}` });
      return {
        env: { IAMSESSION_ACCOUNT_ID: account.account_id, IAMSESSION_ENTERPRISE_ID: enterprise.enterprise_id },
        resources: 3,
        check: async () => {
          expect(await getSettings(server, account.account_id)).toMatchObject({
            session_invalidation_in_seconds: "1800",
            session_expiration_in_seconds: "28800",
            max_sessions_per_identity: "5",
          });
          expect(await getEnterpriseSettings(server, enterprise.enterprise_id)).toMatchObject({
            session_invalidation_in_seconds: "1800",
            session_expiration_in_seconds: "28800",
            max_sessions_per_identity: "5",
          });
          const profiles = await apiRequest(server, "GET", trustedProfilesPath(account.account_id), { token: server.adminToken });
          expect(JSON.stringify(profiles.body)).toContain('"contractors"');
        },
      };
    },
  },
];

/** synth → lock → diff → deploy → read back → diff again, in one prepared copy of the example, with one CLI. */
async function deployWith(line: CdkLine, dir: string, cli: Cli, example: Example, server: ApiServer): Promise<void> {
  const { env: stackEnv, resources, check } = await example.setup(server);
  const env = cdkEnv(line, cli, { ...stackEnv, IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: server.adminToken });
  await cdkOk(line, dir, ["synth"], env);
  const stackDir = join(dir, "cdktf.out", "stacks", example.name);
  const synthesised = readFileSync(join(stackDir, "cdk.tf.json"), "utf8");
  expect(synthesised).not.toContain(server.adminToken);
  expect(JSON.parse(synthesised).terraform.required_providers.iamsession).toEqual({ source: PROVIDER_SOURCE, version: providerVersionConstraint() });

  // The lock file the CLIs' `providers lock` step would otherwise fetch from the public registry (README: "Lock").
  execFileSync(cli.path, ["providers", "lock", `-fs-mirror=${mirrorDir()}`, "-platform=linux_amd64"], { cwd: stackDir, env, stdio: "pipe" });

  const diff = await cdkOk(line, dir, ["diff", example.name, "--skip-synth"], env);
  expect(diff.stdout).toContain(`Plan: ${resources} to add, 0 to change, 0 to destroy`);
  await cdkOk(line, dir, ["deploy", example.name, "--skip-synth", "--auto-approve"], env);
  await check();
  const again = await cdkOk(line, dir, ["diff", example.name, "--skip-synth"], env);
  expect(again.stdout).toContain("No changes.");
}

export function cdkExampleSuite(flavour: Flavour): void {
  describe(`${flavour} CLI`, () => {
    let server: ApiServer;
    let line: CdkLine;
    const prepared = new Map<string, string>();
    beforeAll(async () => {
      server = await startApiServer();
      line = await cdkLine(flavour);
    });
    afterAll(async () => {
      await server?.dispose();
    });

    const root = () => {
      const dir = join(inject("tfTempRoot"), "cdk");
      mkdirSync(dir, { recursive: true });
      return dir;
    };

    for (const example of EXAMPLES) {
      it(`${example.name}: copied out, npm install, get; then with each Terraform CLI synth, lock, diff, deploy, diff`, async () => {
        const dir = await prepareExample(line, example.name, root());
        prepared.set(example.name, dir);
        expect(existsSync(join(dir, ".gen", "providers", "iamsession", "trusted-profile", "index.ts"))).toBe(true);
        const [first, ...others] = cliBinaries();
        // One copy per CLI, run side by side: each has its own synthesised stack, lock file and state.
        await Promise.all([
          deployWith(line, dir, first!, example, server),
          ...others.map((cli) => deployWith(line, copyPrepared(dir), cli, example, server)),
        ]);
      }, 600_000);
    }

    it("guarded with IAMSESSION_LOOSEN=1: synthesis fails listing every violation, account, enterprise and trusted profile", async () => {
      const dir = prepared.get("guarded") ?? (await prepareExample(line, "guarded", root()));
      const env = cdkEnv(line, undefined, { IAMSESSION_LOOSEN: "1", IAMSESSION_ACCOUNT_ID: "team-tools", IAMSESSION_ENTERPRISE_ID: "acme" });
      const result = await cdk(line, dir, ["synth"], env);
      expect(result.code).not.toBe(0);
      const lines = `${result.stdout}\n${result.stderr}`.split("\n").map((l) => l.trim()).filter((l) => /^\[guarded\//.test(l));
      expect([...new Set(lines)]).toEqual([
        `[guarded/team/team-tools] session_invalidation_in_seconds = "7200" (2 hours) exceeds maxIdle (30 minutes (1800 s))`,
        `[guarded/team/team-tools] max_sessions_per_identity = "NOT_SET" (service default: unlimited) allows unlimited sessions, which forbidUnlimitedSessions forbids`,
        `[guarded/enterprise] session_invalidation_in_seconds = "NOT_SET" (service default: 2 hours (7200 s)) exceeds maxIdle (30 minutes (1800 s))`,
        `[guarded/contractors] session_duration_in_seconds = "43200" (12 hours) exceeds maxTrustedProfileSessionDuration (8 hours (28800 s))`,
      ]);
    }, 300_000);
  });
}
