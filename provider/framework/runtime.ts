// What one provider process keeps between RPCs: the definition's resources and data sources by type name and,
// once ConfigureProvider succeeded, what configure() returned.
import type { Logger } from "../protocol/logger.ts";
import {
  DiagnosticError,
  type DataSource,
  type Diagnostics,
  type ProviderDefinition,
  type Resource,
  type ResourceContext,
} from "./types.ts";

export class ProviderRuntime<P> {
  private readonly resources: Map<string, Resource<P>>;
  private readonly dataSources: Map<string, DataSource<P>>;
  private configured = false;
  private providerData: P | undefined;

  constructor(
    readonly def: ProviderDefinition<P>,
    readonly log: Logger,
  ) {
    this.resources = new Map(def.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(def.dataSources.map((d) => [d.typeName, d]));
  }

  resource(typeName: string): Resource<P> {
    return lookup(this.resources, typeName, "resource");
  }

  dataSource(typeName: string): DataSource<P> {
    return lookup(this.dataSources, typeName, "data source");
  }

  /** Called only when configure() reported no error, so a failed configuration stays unconfigured. */
  configure(data: P): void {
    this.providerData = data;
    this.configured = true;
  }

  /** What a resource method gets; providerData throws a clear diagnostic until the provider is configured. */
  context(diagnostics: Diagnostics): ResourceContext<P> {
    const runtime = this;
    return {
      diagnostics,
      get providerData(): P {
        if (!runtime.configured) {
          throw new DiagnosticError(
            "Provider not configured",
            "The provider was called before ConfigureProvider succeeded; check the provider configuration's errors.",
          );
        }
        return runtime.providerData as P;
      },
    };
  }
}

function lookup<T>(map: Map<string, T>, typeName: string, kind: string): T {
  const found = map.get(typeName);
  if (!found) throw new DiagnosticError(`Unknown ${kind} type`, `This provider has no ${kind} "${typeName}".`);
  return found;
}
