// vitest global setup (runs once per `vitest run`, before any test file): builds the provider as the SHIPPED single
// executable for this machine's platform (scripts/build-sea.mjs; the Node 24 binary it is made from is cached in
// ~/.cache/iamsession/node), the plain bundle (test/e2e/protocol.test.ts drives it directly) and the fixture
// provider, lays out a filesystem mirror in a temp dir, builds the construct library (scripts/build-constructs.ts), and
// resolves the CLIs (building OpenTofu if needed, which
// can take ~4 minutes on a fresh machine). Tests read the results with test/helpers/tf.ts (cliBinaries(),
// mirrorDir(), makeWorkdir()), which use vitest's inject("tfClis" | "tfMirrorDir" | "tfTempRoot").
// The same values are exported as IAMSESSION_TF_MIRROR / IAMSESSION_TF_CLIS for tools outside vitest.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildLibrary } from "../scripts/build-constructs.ts";
import { REPO_ROOT, resolveCliBinaries } from "./helpers/tf.ts";

function node(script: string, args: string[]): string {
  return execFileSync(process.execPath, [join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), "iamsession-tf-"));
  const mirror = join(root, "mirror");
  const fixtureBinary = join(root, "build", "terraform-provider-fixture");
  try {
    node("scripts/build-provider.mjs", []);
    const platform = node("scripts/node-runtime.mjs", ["--host-platform"]).trim();
    const executable = node("scripts/build-sea.mjs", ["--platform", platform, "--out", join(root, "sea")]).trim();
    node("scripts/provider-mirror.mjs", [mirror, "--binary", executable, "--platform", platform]);
    node("scripts/build-provider.mjs", ["--entry", "test/fixtures/fixture-main.ts", "--out", fixtureBinary]);
    node("scripts/provider-mirror.mjs", [mirror, "--name", "fixture", "--binary", fixtureBinary]);

    // The construct library, as the CDK tests use it: jsii's build (lib/, what test/cdktf imports), its npm tarball
    // for each CDK line and its Python package source. Skipped when its sources have not changed since the last build.
    await buildLibrary("cdktf", { python: true });
    await buildLibrary("cdktn");

    const clis = resolveCliBinaries();
    project.provide("tfMirrorDir", mirror);
    project.provide("tfClis", clis);
    project.provide("tfTempRoot", join(root, "work"));
    project.provide("providerExecutable", executable);
    process.env.IAMSESSION_TF_MIRROR = mirror;
    process.env.IAMSESSION_TF_CLIS = JSON.stringify(clis);
  } catch (err) {
    // vitest runs no teardown for a setup that threw: the builds' half-made files are removed here.
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return () => rmSync(root, { recursive: true, force: true });
}
