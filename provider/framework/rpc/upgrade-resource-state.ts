// UpgradeResourceState: called for every resource in state on every plan, with the state as stored (JSON) and
// the schema version that wrote it; answers it in the current shape.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { encodeObject, objectType } from "../schema.ts";
import { DiagnosticError, type ObjectValue, type Resource } from "../types.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.UpgradeResourceStateResponse, "diagnostics">;

export function upgradeResourceState<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.UpgradeResourceStateRequest,
): Promise<tfplugin6.UpgradeResourceStateResponse> {
  const res: Body = {};
  return guarded(rt.log, "UpgradeResourceState", res, () => {
    const resource = rt.resource(req.typeName);
    const { rawState, version } = req;
    if (!rawState.hasJson) {
      if (Object.keys(rawState.flatmap).length) {
        throw new DiagnosticError("Unsupported state format", "Legacy flatmap state cannot be upgraded.");
      }
      res.upgradedState = encodeObject(null, resource.schema);
      return;
    }
    if (version > resource.schema.version) {
      throw new DiagnosticError(
        "Resource state from a newer provider",
        `The state of ${req.typeName} has schema version ${version}; this provider knows up to ` +
          `${resource.schema.version}. Use the provider version that wrote it.`,
      );
    }
    res.upgradedState = encodeObject(upgraded(resource, version, rawState), resource.schema);
  });
}

function upgraded<P>(resource: Resource<P>, version: number, rawState: tfplugin6.RawState): ObjectValue | null {
  if (version < resource.schema.version && resource.upgradeState) {
    return completeObject(resource.schema, resource.upgradeState(version, rawState.object()));
  }
  // Same shape: attributes the schema no longer has are dropped, new ones start null.
  return rawState.decode(objectType(resource.schema)) as ObjectValue | null;
}
