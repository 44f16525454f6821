// iamsession-drift [dir]: what drifted, who changed it and when. Exit 0 no drift, 2 drift, 1 error.
import { escapeText } from "../schemas/text.ts";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { IamsessionClient } from "../client/index.ts";
import { checkedResources, findDrift, type DriftedSetting, type PlanJson } from "./find-drift.ts";
import { FORMATS, render, type Format, type Report, type ReportItem } from "./report.ts";
import { checkedTypes } from "./resource-types.ts";
import { resolveCli, runCli } from "./run-cli.ts";
import { authorsFor } from "./who-changed.ts";

const FAIL_ON = {
  /** Any change to an attribute the configuration sets, and any managed resource deleted on the server. */
  any: (d: DriftedSetting) => d.managed,
  /** Only changes that make a configured limit looser (longer times, more sessions). */
  loosened: (d: DriftedSetting) => d.managed && d.loosened,
  /** Also changes to attributes the configuration leaves to the server. */
  all: (_d: DriftedSetting) => true,
} as const;

const USAGE = `Usage: iamsession-drift [options] [dir]

Runs a refresh-only plan with the real Terraform/OpenTofu CLI in dir (default: .) and reports, for every resource
type of the iamsession provider (account settings, enterprise settings, trusted profiles), each attribute changed
and each resource deleted outside Terraform: resource, attribute, value in code, value on the server, who changed it
and when. The report lists what it checked.

Options:
  --format FORMAT     text (default), json, junit (JUnit XML) or github (GitHub Actions annotations)
  --json              the same as --format json
  --fail-on WHAT      what counts as drift: any (default; attributes set in code, deleted resources), loosened (only
                      looser limits), all (also attributes the code leaves to the server)
  --cli PATH          the terraform or tofu binary (default: TF_BINARY, then terraform or tofu on PATH)
  --endpoint URL      the API, for the history (default: IAMSESSION_ENDPOINT)
  --no-init           do not run init first when the directory has no .terraform
  -h, --help          this text

Exit codes: 0 no drift, 2 drift, 1 error. The API key comes from IAMSESSION_TOKEN.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        format: { type: "string" },
        "fail-on": { type: "string", default: "any" },
        cli: { type: "string" },
        endpoint: { type: "string" },
        "no-init": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`iamsession-drift: ${escapeText((err as Error).message)}\n\n${USAGE}`);
    return 1;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const failOn = args.values["fail-on"] as string;
  if (!(failOn in FAIL_ON)) {
    console.error(`iamsession-drift: --fail-on must be one of ${Object.keys(FAIL_ON).join(", ")}, got ${escapeText(String(failOn))}`);
    return 1;
  }
  const format = (args.values.format ?? (args.values.json ? "json" : "text")) as Format;
  if (!FORMATS.includes(format) || (args.values.json && format !== "json")) {
    console.error(`iamsession-drift: --format must be one of ${FORMATS.join(", ")} (--json means json), got ${args.values.format}`);
    return 1;
  }
  const dir = resolve(args.positionals[0] ?? ".");
  try {
    const cli = resolveCli(args.values.cli, env);
    const report = await check(cli, dir, failOn as keyof typeof FAIL_ON, args.values.endpoint, !args.values["no-init"], env);
    console.log(render(report, format));
    return report.drifted ? 2 : 0;
  } catch (err) {
    // Messages may carry the server's or the plan's text: escaped like the report.
    console.error(`iamsession-drift: ${escapeText((err as Error).message, "\n")}`);
    return 1;
  }
}

async function check(
  cli: string,
  dir: string,
  failOn: keyof typeof FAIL_ON,
  endpointFlag: string | undefined,
  init: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Report> {
  if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  if (init && !existsSync(join(dir, ".terraform"))) {
    await expectOk(cli, ["init", "-input=false", "-no-color"], dir, env, "init");
  }
  const scratch = mkdtempSync(join(tmpdir(), "iamsession-drift-"));
  try {
    const planFile = join(scratch, "refresh.tfplan");
    // -lock=false: a read-only check must not block a pipeline that applies at the same time.
    await expectOk(cli, ["plan", "-refresh-only", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`], dir, env, "plan -refresh-only");
    const shown = await expectOk(cli, ["show", "-json", "-no-color", planFile], dir, env, "show -json");
    const plan = JSON.parse(shown.stdout) as PlanJson & {
      configuration?: { provider_config?: Record<string, { expressions?: { endpoint?: { constant_value?: unknown } } }> };
    };
    const types = checkedTypes();
    const drifts = findDrift(plan, types);
    const items: ReportItem[] = drifts.map((d) => ({ ...d, changedBy: null, counts: FAIL_ON[failOn](d) }));
    if (drifts.length > 0) {
      const endpoint =
        endpointFlag ??
        env.IAMSESSION_ENDPOINT ??
        stringOrUndefined(plan.configuration?.provider_config?.iamsession?.expressions?.endpoint?.constant_value);
      if (!endpoint) throw new Error("drift found, but no API endpoint to read its history: set IAMSESSION_ENDPOINT or --endpoint");
      const client = new IamsessionClient({
        endpoint,
        token: env.IAMSESSION_TOKEN ?? "",
        timeoutMs: 30_000,
        maxRetries: 2,
        userAgent: "iamsession-drift",
      });
      const authors = await authorsFor(client, drifts);
      items.forEach((item, n) => (item.changedBy = authors[n]!));
    }
    return {
      drifted: items.some((i) => i.counts),
      failOn,
      generatedAt: new Date().toISOString(),
      types: types.map((t) => t.type),
      checked: checkedResources(plan, types),
      items,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function expectOk(cli: string, args: string[], dir: string, env: NodeJS.ProcessEnv, what: string) {
  const r = await runCli(cli, args, dir, env);
  if (r.code !== 0) {
    throw new Error(`${what} failed (exit ${r.code}):\n${(r.stderr || r.stdout).trim()}`);
  }
  return r;
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
