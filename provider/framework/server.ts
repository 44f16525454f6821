// The tfplugin6.Provider handlers on top of the framework interface (types.ts), and serveProvider(), the whole
// provider process in one call. Knows nothing of HTTP or of any particular provider.
import { containsUnknown, CtyNumber, type CtyType, type CtyValue } from "../protocol/cty/types.ts";
import { ctyEqual } from "../protocol/cty/equal.ts";
import { fromJsonValue, jsonObject, parseJsonExact } from "../protocol/cty/json.ts";
import { decodeMsgpack, encodeMsgpack } from "../protocol/cty/msgpack.ts";
import { createLogger, type Logger } from "../protocol/logger.ts";
import { servePlugin, type ProviderHandlers, type RunningPlugin } from "../protocol/plugin-server.ts";
import type { Message } from "../protocol/proto/services.ts";
import { addError, attributePathToProto, diagnosticsToProto } from "./diagnostics.ts";
import { completeObject, planChange, requiresReplace } from "./plan.ts";
import { objectType, toProtoSchema } from "./schema.ts";
import {
  DiagnosticError,
  Diagnostics,
  type DataSource,
  type ObjectValue,
  type ProviderDefinition,
  type Resource,
  type ResourceContext,
  type Schema,
} from "./types.ts";
import { validateAttributes } from "./validate.ts";

export interface ServeOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Runs the provider process: handshake, gRPC server, and these handlers until the CLI shuts it down. */
export function serveProvider<P>(def: ProviderDefinition<P>, opts: ServeOptions = {}): Promise<RunningPlugin> {
  const logger = opts.logger ?? createLogger();
  return servePlugin({ provider: createProviderHandlers(def, logger), logger, env: opts.env });
}

function decodeValue(dv: Message | undefined | null, type: CtyType): CtyValue {
  if (!dv) return null;
  if (dv.msgpack?.length) return decodeMsgpack(dv.msgpack, type);
  if (dv.json?.length) return fromJsonValue(parseJsonExact(Buffer.from(dv.json).toString("utf8")), type);
  return null;
}

const encodeValue = (value: CtyValue, type: CtyType): Message => ({ msgpack: encodeMsgpack(value, type) });
const asObject = (v: CtyValue): ObjectValue | null => (v === null ? null : (v as ObjectValue));

/** tfplugin6.Provider handlers (by RPC name) for a provider definition; usable without a process, for tests. */
export function createProviderHandlers<P>(def: ProviderDefinition<P>, log: Logger = createLogger()): ProviderHandlers {
  const resources = new Map<string, Resource<P>>(def.resources.map((r) => [r.typeName, r]));
  const dataSources = new Map<string, DataSource<P>>(def.dataSources.map((d) => [d.typeName, d]));
  const providerType = objectType(def.schema);
  let configured = false;
  let providerData: P | undefined;

  const context = (diagnostics: Diagnostics): ResourceContext<P> => ({
    diagnostics,
    get providerData(): P {
      if (!configured) {
        throw new DiagnosticError(
          "Provider not configured",
          "The provider was called before ConfigureProvider succeeded; check the provider configuration's errors.",
        );
      }
      return providerData as P;
    },
  });

  /** Runs a handler body, turning anything thrown into a diagnostic; the body's partial response is kept. */
  async function guarded(rpc: string, body: (d: Diagnostics, res: Message) => Promise<void> | void): Promise<Message> {
    const diagnostics = new Diagnostics();
    const response: Message = {};
    try {
      await body(diagnostics, response);
    } catch (err) {
      if (!(err instanceof DiagnosticError)) {
        log.error("unexpected error", { rpc, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
      addError(diagnostics, err);
    }
    response.diagnostics = diagnosticsToProto(diagnostics.items);
    return response;
  }

  function lookup<T>(map: Map<string, T>, typeName: string, kind: string): T {
    const found = map.get(typeName);
    if (!found) throw new DiagnosticError(`Unknown ${kind} type`, `This provider has no ${kind} "${typeName}".`);
    return found;
  }

  /** Resource results: every attribute present, nothing unknown. */
  function finalState(schema: Schema, value: ObjectValue, what: string): ObjectValue {
    const out = completeObject(schema, value);
    for (const [name, v] of Object.entries(out)) {
      if (containsUnknown(v)) {
        throw new DiagnosticError("Provider returned an unknown value", `${what} left "${name}" unknown.`, [name]);
      }
    }
    return out;
  }

  let schemaResponse: Message | undefined;
  const capabilities = { plan_destroy: false, get_provider_schema_optional: false };

  return {
    GetMetadata: () => ({
      server_capabilities: capabilities,
      resources: def.resources.map((r) => ({ type_name: r.typeName })),
      data_sources: def.dataSources.map((d) => ({ type_name: d.typeName })),
      diagnostics: [],
    }),

    GetProviderSchema: () =>
      (schemaResponse ??= {
        provider: toProtoSchema(def.schema),
        resource_schemas: Object.fromEntries(def.resources.map((r) => [r.typeName, toProtoSchema(r.schema)])),
        data_source_schemas: Object.fromEntries(def.dataSources.map((d) => [d.typeName, toProtoSchema(d.schema)])),
        server_capabilities: capabilities,
        diagnostics: [],
      }),

    GetResourceIdentitySchemas: () => ({ identity_schemas: {}, diagnostics: [] }),

    GetFunctions: () => ({ diagnostics: [] }),

    ValidateProviderConfig: (req) =>
      guarded("ValidateProviderConfig", (diagnostics) => {
        const config = asObject(decodeValue(req.config, providerType)) ?? completeObject(def.schema, {});
        validateAttributes(def.schema, config, diagnostics);
        def.validateConfig?.({ config, diagnostics });
      }),

    ValidateResourceConfig: (req) =>
      guarded("ValidateResourceConfig", (diagnostics) => {
        const resource = lookup(resources, req.type_name, "resource");
        const config = asObject(decodeValue(req.config, objectType(resource.schema)));
        if (config === null) return;
        validateAttributes(resource.schema, config, diagnostics);
        resource.validateConfig?.({ config, diagnostics });
      }),

    ValidateDataResourceConfig: (req) =>
      guarded("ValidateDataResourceConfig", (diagnostics) => {
        const ds = lookup(dataSources, req.type_name, "data source");
        const config = asObject(decodeValue(req.config, objectType(ds.schema)));
        if (config === null) return;
        validateAttributes(ds.schema, config, diagnostics);
        ds.validateConfig?.({ config, diagnostics });
      }),

    ConfigureProvider: (req) =>
      guarded("ConfigureProvider", async (diagnostics) => {
        const config = asObject(decodeValue(req.config, providerType)) ?? completeObject(def.schema, {});
        log.debug("configuring provider", { terraform_version: req.terraform_version });
        const data = await def.configure(config, diagnostics);
        if (!diagnostics.hasErrors()) {
          providerData = data;
          configured = true;
        }
      }),

    UpgradeResourceState: (req) =>
      guarded("UpgradeResourceState", (diagnostics, res) => {
        const resource = lookup(resources, req.type_name, "resource");
        const type = objectType(resource.schema);
        const version = Number(req.version ?? 0);
        const json = req.raw_state?.json as Uint8Array | undefined;
        if (!json?.length) {
          if (req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length) {
            throw new DiagnosticError("Unsupported state format", "Legacy flatmap state cannot be upgraded.");
          }
          res.upgraded_state = encodeValue(null, type);
          return;
        }
        if (version > resource.schema.version) {
          throw new DiagnosticError(
            "Resource state from a newer provider",
            `The state of ${req.type_name} has schema version ${version}; this provider knows up to ` +
              `${resource.schema.version}. Use the provider version that wrote it.`,
          );
        }
        const raw = parseJsonExact(Buffer.from(json).toString("utf8"));
        let state: CtyValue;
        if (version < resource.schema.version && resource.upgradeState) {
          state = completeObject(resource.schema, resource.upgradeState(version, jsonObject(raw)));
        } else {
          // Same shape: attributes the schema no longer has are dropped, new ones start null.
          state = fromJsonValue(raw, type);
        }
        void diagnostics;
        res.upgraded_state = encodeValue(state, type);
      }),

    ReadResource: (req) =>
      guarded("ReadResource", async (diagnostics, res) => {
        const resource = lookup(resources, req.type_name, "resource");
        const type = objectType(resource.schema);
        const current = asObject(decodeValue(req.current_state, type));
        // On failure the current state is returned unchanged, so an error never wipes the state.
        res.new_state = encodeValue(current, type);
        res.private = req.private;
        if (current === null) return;
        const result = await resource.read(context(diagnostics), current);
        res.new_state = encodeValue(result === null ? null : finalState(resource.schema, result, "Read"), type);
      }),

    PlanResourceChange: (req) =>
      guarded("PlanResourceChange", async (diagnostics, res) => {
        const resource = lookup(resources, req.type_name, "resource");
        const type = objectType(resource.schema);
        const prior = asObject(decodeValue(req.prior_state, type));
        const proposed = asObject(decodeValue(req.proposed_new_state, type));
        const config = asObject(decodeValue(req.config, type));
        res.planned_private = req.prior_private;
        const planned = planChange(resource.schema, prior, proposed === null ? null : config);
        if (planned !== null && config !== null && resource.modifyPlan) {
          await resource.modifyPlan({ config, prior, planned, diagnostics, ...providerDataOf(context(diagnostics)) });
        }
        const finalPlan = planned === null ? null : completeObject(resource.schema, planned);
        res.planned_state = encodeValue(finalPlan, type);
        res.requires_replace = requiresReplace(resource.schema, prior, finalPlan).map(attributePathToProto);
      }),

    ApplyResourceChange: (req) =>
      guarded("ApplyResourceChange", async (diagnostics, res) => {
        const resource = lookup(resources, req.type_name, "resource");
        const type = objectType(resource.schema);
        const prior = asObject(decodeValue(req.prior_state, type));
        const planned = asObject(decodeValue(req.planned_state, type));
        const config = asObject(decodeValue(req.config, type)) ?? completeObject(resource.schema, {});
        const ctx = context(diagnostics);
        res.private = req.planned_private;
        if (planned === null) {
          res.new_state = encodeValue(prior, type); // still there if delete fails
          if (prior !== null) await resource.delete(ctx, prior);
          res.new_state = encodeValue(null, type);
          return;
        }
        // A failed create leaves nothing; a failed update leaves the prior state, so nothing is corrupted.
        res.new_state = encodeValue(prior, type);
        const result =
          prior === null
            ? await resource.create(ctx, planned, config)
            : await resource.update(ctx, planned, prior, config);
        const state = finalState(resource.schema, keepPlannedValues(resource.schema, planned, result, diagnostics), "Apply");
        res.new_state = encodeValue(state, type);
      }),

    ImportResourceState: (req) =>
      guarded("ImportResourceState", async (diagnostics, res) => {
        const resource = lookup(resources, req.type_name, "resource");
        if (!resource.importState) {
          throw new DiagnosticError("Resource import not supported", `${req.type_name} cannot be imported.`);
        }
        const state = completeObject(resource.schema, await resource.importState(context(diagnostics), req.id));
        res.imported_resources = [
          { type_name: req.type_name, state: encodeValue(state, objectType(resource.schema)) },
        ];
      }),

    ReadDataSource: (req) =>
      guarded("ReadDataSource", async (diagnostics, res) => {
        const ds = lookup(dataSources, req.type_name, "data source");
        const type = objectType(ds.schema);
        const config = asObject(decodeValue(req.config, type)) ?? completeObject(ds.schema, {});
        const result = completeObject(ds.schema, await ds.read(context(diagnostics), config));
        // The CLI rejects a data source result that changes a configured value.
        for (const [name, v] of Object.entries(config)) if (v !== null) result[name] = v;
        res.state = encodeValue(finalState(ds.schema, result, "Read"), type);
      }),

    StopProvider: () => {
      log.debug("stop requested");
      return { Error: "" };
    },
  };
}

// modifyPlan gets providerData only when configured; reading it earlier throws a clear diagnostic.
function providerDataOf<P>(ctx: ResourceContext<P>): { providerData: P } {
  return Object.defineProperty({} as { providerData: P }, "providerData", {
    get: () => ctx.providerData,
    enumerable: true,
  });
}

/**
 * Known planned values must come back unchanged (the CLI checks it). Where the resource returned the same value in
 * another form (a number written differently), the planned form is kept; where it returned a different value, the
 * state records what really happened and the apply fails with an error naming the attribute, rather than a state
 * that claims the plan succeeded.
 */
function keepPlannedValues(schema: Schema, planned: ObjectValue, result: ObjectValue, diagnostics: Diagnostics): ObjectValue {
  const out: ObjectValue = { ...result };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const p = planned[name] ?? null;
    if (containsUnknown(p)) continue;
    if (ctyEqual(p, result[name] ?? null, attr.type)) {
      out[name] = p;
    } else {
      diagnostics.error(
        "Applied value differs from the plan",
        `The plan said ${name} = ${describe(p)}, but after apply it is ${describe(result[name] ?? null)}. ` +
          "The state records the value as it is now; run plan to see the difference.",
        [name],
      );
    }
  }
  return out;
}

function describe(v: CtyValue): string {
  if (v === null) return "null";
  if (v instanceof CtyNumber) return v.text;
  return JSON.stringify(v);
}
