// ApplyResourceChange: create, update or delete, as the plan says. A failed create leaves nothing, a failed update
// or delete leaves the prior state, so a failure never corrupts the state.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import { finalState, keepPlannedValues } from "../results.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject, encodeObject } from "../schema.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.ApplyResourceChangeResponse, "diagnostics">;

export function applyResourceChange<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ApplyResourceChangeRequest,
): Promise<tfplugin6.ApplyResourceChangeResponse> {
  const res: Body = {};
  return guarded(rt.log, "ApplyResourceChange", res, async (diagnostics) => {
    const resource = rt.resource(req.typeName);
    const { schema } = resource;
    const prior = decodeObject(req.priorState, schema);
    const planned = decodeObject(req.plannedState, schema);
    const config = decodeObject(req.config, schema) ?? completeObject(schema, {});
    const ctx = rt.context(diagnostics);
    res.private = req.plannedPrivate;
    if (planned === null) {
      res.newState = encodeObject(prior, schema); // still there if delete fails
      if (prior !== null) await resource.delete(ctx, prior);
      res.newState = encodeObject(null, schema);
      return;
    }
    res.newState = encodeObject(prior, schema);
    const result = prior === null ? await resource.create(ctx, planned, config) : await resource.update(ctx, planned, prior, config);
    const state = finalState(schema, keepPlannedValues(schema, planned, result, diagnostics), "Apply");
    res.newState = encodeObject(state, schema);
  });
}
