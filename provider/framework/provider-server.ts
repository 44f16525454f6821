// A provider definition as a tfplugin6 ProviderServer: one handler per RPC (rpc/), sharing one runtime. Knows
// nothing of HTTP or of any particular provider. An RPC's way: gRPC (protocol/plugin-server.ts) → typed request
// (protocol/tfplugin6/service.ts, fromproto.ts) → this object → rpc/<rpc>.ts → the resource's method, and back
// through toproto.ts.
import { createLogger, type Logger } from "../protocol/logger.ts";
import type { ProviderServer } from "../protocol/tfplugin6/index.ts";
import { applyResourceChange } from "./rpc/apply-resource-change.ts";
import { configureProvider } from "./rpc/configure-provider.ts";
import { getFunctions } from "./rpc/get-functions.ts";
import { getMetadata } from "./rpc/get-metadata.ts";
import { getProviderSchema } from "./rpc/get-provider-schema.ts";
import { getResourceIdentitySchemas } from "./rpc/get-resource-identity-schemas.ts";
import { importResourceState } from "./rpc/import-resource-state.ts";
import { planResourceChange } from "./rpc/plan-resource-change.ts";
import { readDataSource } from "./rpc/read-data-source.ts";
import { readResource } from "./rpc/read-resource.ts";
import { stopProvider } from "./rpc/stop-provider.ts";
import { upgradeResourceState } from "./rpc/upgrade-resource-state.ts";
import { validateDataResourceConfig } from "./rpc/validate-data-resource-config.ts";
import { validateProviderConfig } from "./rpc/validate-provider-config.ts";
import { validateResourceConfig } from "./rpc/validate-resource-config.ts";
import { ProviderRuntime } from "./runtime.ts";
import type { ProviderDefinition } from "./types.ts";

/** The provider's RPC handlers; usable without a process, for tests. */
export function createProviderServer<P>(def: ProviderDefinition<P>, log: Logger = createLogger()): ProviderServer {
  const rt = new ProviderRuntime(def, log);
  // Built once: the CLI asks for the schema several times per process, and it never changes.
  let schema: ReturnType<typeof getProviderSchema> | undefined;
  return {
    GetMetadata: () => getMetadata(rt),
    GetProviderSchema: () => (schema ??= getProviderSchema(rt)),
    GetResourceIdentitySchemas: () => getResourceIdentitySchemas(),
    GetFunctions: () => getFunctions(),
    ValidateProviderConfig: (req) => validateProviderConfig(rt, req),
    ValidateResourceConfig: (req) => validateResourceConfig(rt, req),
    ValidateDataResourceConfig: (req) => validateDataResourceConfig(rt, req),
    ConfigureProvider: (req) => configureProvider(rt, req),
    UpgradeResourceState: (req) => upgradeResourceState(rt, req),
    ReadResource: (req) => readResource(rt, req),
    PlanResourceChange: (req) => planResourceChange(rt, req),
    ApplyResourceChange: (req) => applyResourceChange(rt, req),
    ImportResourceState: (req) => importResourceState(rt, req),
    ReadDataSource: (req) => readDataSource(rt, req),
    StopProvider: () => stopProvider(log),
  };
}
