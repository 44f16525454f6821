// ReadDataSource: the data source's result, with every configured value exactly as configured.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import { finalState } from "../results.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject, encodeObject } from "../schema.ts";
import { guarded } from "./guarded.ts";

type Body = Omit<tfplugin6.ReadDataSourceResponse, "diagnostics">;

export function readDataSource<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ReadDataSourceRequest,
): Promise<tfplugin6.ReadDataSourceResponse> {
  const res: Body = {};
  return guarded(rt.log, "ReadDataSource", res, async (diagnostics) => {
    const ds = rt.dataSource(req.typeName);
    const config = decodeObject(req.config, ds.schema) ?? completeObject(ds.schema, {});
    const result = completeObject(ds.schema, await ds.read(rt.context(diagnostics), config));
    // The CLI rejects a data source result that changes a configured value.
    for (const [name, v] of Object.entries(config)) if (v !== null) result[name] = v;
    res.state = encodeObject(finalState(ds.schema, result, "Read"), ds.schema);
  });
}
