// The checked-in schema the CDKTF bindings are generated from must be what the real CLIs read from the built
// provider, so that bindings and provider cannot disagree.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROVIDER_SCHEMA_PATH } from "../../scripts/generators/provider-schema.ts";
import { cliBinaries, makeWorkdir, tfInit, tfJson } from "../helpers/tf.ts";

const HOST = { terraform: "registry.terraform.io", tofu: "registry.opentofu.org" } as const;
const CHECKED_IN_ADDRESS = "registry.terraform.io/iamsession/iamsession";

const MAIN_TF = `
terraform {
  required_providers {
    iamsession = { source = "iamsession/iamsession" }
  }
}
`;

describe.each(cliBinaries())("$name", (cli) => {
  it("providers schema -json equals schemas/provider.schema.json", async () => {
    const wd = makeWorkdir({ "main.tf": MAIN_TF });
    await tfInit(wd, cli);
    const fromCli = await tfJson(wd, cli, ["providers", "schema", "-json"]);
    const checkedIn = JSON.parse(readFileSync(PROVIDER_SCHEMA_PATH, "utf8"));
    // The document is keyed by the CLI's default registry host; OpenTofu's differs from Terraform's.
    const expected = {
      ...checkedIn,
      provider_schemas: {
        [`${HOST[cli.name]}/iamsession/iamsession`]: checkedIn.provider_schemas[CHECKED_IN_ADDRESS],
      },
    };
    expect(fromCli).toEqual(expected);
  });
});
