// ReadResource: the object as it is now, or null when it is gone (the CLI then plans a create).
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { finalState } from "../results.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject, encodeObject } from "../schema.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.ReadResourceResponse, "diagnostics">;

export function readResource<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ReadResourceRequest,
): Promise<tfplugin6.ReadResourceResponse> {
  const res: Body = {};
  return guarded(rt.log, "ReadResource", res, async (diagnostics) => {
    const resource = rt.resource(req.typeName);
    const current = decodeObject(req.currentState, resource.schema);
    // On failure the current state is returned unchanged (the value the CLI sent, not re-encoded), so an error
    // never wipes the state.
    res.newState = req.currentState;
    res.private = req.private;
    if (current === null) return;
    const result = await resource.read(rt.context(diagnostics), current);
    res.newState = encodeObject(result === null ? null : finalState(resource.schema, result, "Read"), resource.schema);
  });
}
