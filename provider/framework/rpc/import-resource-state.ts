// ImportResourceState: an import id into a (partial) state; the CLI then reads it with ReadResource.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { encodeObject } from "../schema.ts";
import { DiagnosticError } from "../types.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.ImportResourceStateResponse, "diagnostics">;

export function importResourceState<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ImportResourceStateRequest,
): Promise<tfplugin6.ImportResourceStateResponse> {
  const res: Body = {};
  return guarded(rt.log, "ImportResourceState", res, async (diagnostics) => {
    const resource = rt.resource(req.typeName);
    if (!resource.importState) {
      throw new DiagnosticError("Resource import not supported", `${req.typeName} cannot be imported.`);
    }
    const state = completeObject(resource.schema, await resource.importState(rt.context(diagnostics), req.id));
    res.importedResources = [{ typeName: req.typeName, state: encodeObject(state, resource.schema) }];
  });
}
