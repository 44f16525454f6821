// PlanResourceChange: the framework's planning rules (plan.ts) applied to one resource; no resource code runs.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { protocolPath } from "../diagnostics.ts";
import { completeObject, planChange, requiresReplace } from "../plan.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject, encodeObject } from "../schema.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.PlanResourceChangeResponse, "diagnostics">;

export function planResourceChange<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.PlanResourceChangeRequest,
): Promise<tfplugin6.PlanResourceChangeResponse> {
  const res: Body = {};
  return guarded(rt.log, "PlanResourceChange", res, () => {
    const { schema } = rt.resource(req.typeName);
    const prior = decodeObject(req.priorState, schema);
    const proposed = decodeObject(req.proposedNewState, schema);
    const config = decodeObject(req.config, schema);
    res.plannedPrivate = req.priorPrivate;
    const planned = planChange(schema, prior, proposed === null ? null : config);
    const finalPlan = planned === null ? null : completeObject(schema, planned);
    res.plannedState = encodeObject(finalPlan, schema);
    res.requiresReplace = requiresReplace(schema, prior, finalPlan).map(protocolPath);
  });
}
