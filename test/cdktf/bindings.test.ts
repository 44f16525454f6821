// The schema document and the generated bindings are derived artifacts: regenerating them must change nothing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/generate.ts";
import { PROVIDER_SOURCE, generator as bindingsGenerator } from "../../scripts/generators/cdktf-bindings.ts";
import { PROVIDER_SCHEMA_PATH, generator as schemaGenerator, renderProviderSchema } from "../../scripts/generators/provider-schema.ts";
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

describe("cdktf-examples/.gen bindings", () => {
  it("are exactly what @cdktf/provider-generator makes of the schema (npm run generate)", async () => {
    expect(await staleFiles([bindingsGenerator])).toEqual([]);
  }, 60_000);

  it("declare the provider's source address in synthesised stacks", () => {
    expect(synth(newStack()).terraform?.required_providers?.iamsession).toEqual({ source: PROVIDER_SOURCE });
  });
});
