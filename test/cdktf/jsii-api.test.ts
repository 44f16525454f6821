// The construct library's API as jsii sees it (constructs/.jsii, built by the global setup) and as Python gets it
// (jsii-pacmak's source): what TypeScript users spread and import must survive into the other languages, and
// every public type and member carries its documentation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyPreset, PolicyPresets, SettingValue, NOT_SET, UNLIMITED } from "../../constructs/lib/index.js";
import { NOT_SET as MODEL_NOT_SET } from "../../schemas/settings.ts";

const assembly = JSON.parse(readFileSync("constructs/.jsii", "utf8"));
const types = assembly.types as Record<string, any>;
const T = (name: string) => types[`@iamsession/cdktf.${name}`];

describe("the jsii assembly", () => {
  it("keeps the presets, NOT_SET, UNLIMITED and the destroy behaviour as jsii types", () => {
    expect(T("PolicyPresets").kind).toBe("class");
    expect(T("PolicyPresets").properties.map((p: any) => p.name).sort()).toEqual(["balanced", "financial", "relaxed"]);
    expect(T("PolicyPreset").members.map((m: any) => m.name)).toEqual(["FINANCIAL", "BALANCED", "RELAXED"]);
    expect(T("SettingValue").properties.map((p: any) => [p.name, p.const])).toEqual([["NOT_SET", true], ["UNLIMITED", true]]);
    expect(T("DestroyBehavior").members.map((m: any) => m.name)).toEqual(["RESET", "ABANDON"]);
    expect(T("MaxSessionsExceededAction").members.map((m: any) => m.name)).toEqual(["END_OLDEST", "END_LEAST_RECENTLY_USED", "END_NEXT_EXPIRING", "DENY_NEW", "NOT_SET"]);
    for (const name of ["LoginSessionPolicyProps", "SessionSettings", "SessionPolicyLimits", "SessionPolicyViolation"]) {
      expect(T(name)?.kind, name).toBe("interface");
      expect(T(name).datatype, name).toBe(true);
    }
    expect(T("LoginSessionPolicyProps").properties.find((p: any) => p.name === "destroyBehavior").type).toEqual({ fqn: "@iamsession/cdktf.DestroyBehavior" });
  });

  it("documents every type and member of the library's own API", () => {
    const own = ["Duration", "LoginSessionPolicy", "LoginSessionPolicyProps", "PolicyPreset", "PolicyPresets", "SessionPolicyGuard", "SessionPolicyLimits", "SessionPolicyViolation", "SessionSettings", "SettingValue", "DestroyBehavior", "MaxSessionsExceededAction"];
    const undocumented: string[] = [];
    for (const name of own) {
      const t = T(name);
      if (!t.docs?.summary) undocumented.push(name);
      for (const m of [...(t.properties ?? []), ...(t.methods ?? []), ...(t.members ?? [])]) {
        if (!m.docs?.summary) undocumented.push(`${name}.${m.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("has TypeScript conveniences equal to the jsii constants and the model", () => {
    expect(NOT_SET).toBe(SettingValue.NOT_SET);
    expect(SettingValue.NOT_SET).toBe(MODEL_NOT_SET);
    expect(UNLIMITED).toBe(SettingValue.UNLIMITED);
    expect(PolicyPresets.of(PolicyPreset.FINANCIAL)).toEqual(PolicyPresets.financial);
  });
});

describe("the Python package source (jsii-pacmak)", () => {
  const python = readFileSync(join("constructs", "dist", "python", "src", "iamsession_cdktf", "__init__.py"), "utf8");
  it("offers the same names", () => {
    for (const decl of [
      "class PolicyPresets(",
      "class PolicyPreset(enum.Enum)",
      "class SettingValue(",
      "def NOT_SET(cls) -> builtins.str",
      "def UNLIMITED(cls) -> builtins.str",
      "class DestroyBehavior(enum.Enum)",
      "class LoginSessionPolicy(",
      "class SessionPolicyGuard(",
      "def financial(cls)",
    ]) {
      expect(python, decl).toContain(decl);
    }
  });
});

describe("the CDK Terrain flavour (constructs/flavours/cdktn, built from the same sources)", () => {
  const cdktn = JSON.parse(readFileSync("constructs/flavours/cdktn/.jsii", "utf8"));
  it("has the same API under its own name, on cdktn", () => {
    const names = (a: any, prefix: string) => Object.keys(a.types).map((n) => n.slice(prefix.length)).sort();
    expect(names(cdktn, "@iamsession/cdktn.")).toEqual(names(assembly, "@iamsession/cdktf."));
    expect(Object.keys(cdktn.dependencies).sort()).toEqual(["cdktn", "constructs"]);
    expect(Object.keys(assembly.dependencies).sort()).toEqual(["cdktf", "constructs"]);
    expect(cdktn.types["@iamsession/cdktn.AccountSettings"].base).toBe("cdktn.TerraformResource");
  });
});
