// The schema document and everything generated from it are derived artifacts: regenerating them must change nothing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROVIDER_SCHEMA_PATH, generator as schemaGenerator, renderProviderSchema } from "../../scripts/generators/provider-schema.ts";
import { PROVIDER_SOURCE, generator as libraryGenerator, providerVersionConstraint } from "../../scripts/generators/construct-library.ts";
import { staleFiles } from "../../scripts/generate.ts";
import { SETTINGS } from "../../schemas/settings.ts";
import { newStack, synth } from "./synth.ts";

describe("schemas/provider.schema.json", () => {
  it("is what the provider's declarations produce (npm run generate)", async () => {
    expect(readFileSync(PROVIDER_SCHEMA_PATH, "utf8")).toBe(renderProviderSchema());
    expect(await staleFiles([schemaGenerator])).toEqual([]);
  });

  it("has the shape of `providers schema -json`", () => {
    const doc = JSON.parse(readFileSync(PROVIDER_SCHEMA_PATH, "utf8"));
    expect(doc.format_version).toBe("1.0");
    const provider = doc.provider_schemas["registry.terraform.io/iamsession/iamsession"];
    const resource = provider.resource_schemas.iamsession_account_settings.block.attributes;
    for (const s of SETTINGS) {
      expect(resource[s.name]).toMatchObject({ type: "string", description_kind: "markdown", optional: true, computed: true });
      expect(resource[s.name]).not.toHaveProperty("required");
    }
    expect(provider.provider.block.attributes.token).toMatchObject({ sensitive: true, optional: true });
  });
});

describe("generated files (npm run generate)", () => {
  it("are exactly what the generators make of schemas/: the construct library's model and bindings", async () => {
    expect(await staleFiles([libraryGenerator])).toEqual([]);
  }, 60_000);

  it("pin the provider in synthesised stacks to this release's minor line", () => {
    const version = JSON.parse(readFileSync("package.json", "utf8")).version as string;
    expect(providerVersionConstraint()).toBe(`~> ${version.split(".").slice(0, 2).join(".")}`);
    expect(synth(newStack()).terraform?.required_providers?.iamsession).toEqual({ source: PROVIDER_SOURCE, version: providerVersionConstraint() });
  });

  it("the construct library's package version is the project's", () => {
    const root = JSON.parse(readFileSync("package.json", "utf8")).version;
    expect(JSON.parse(readFileSync("constructs/package.json", "utf8")).version).toBe(root);
  });
});
