// GetResourceIdentitySchemas: OpenTofu >= 1.12 asks; no resource here declares an identity.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";

export function getResourceIdentitySchemas(): tfplugin6.GetResourceIdentitySchemasResponse {
  return { identitySchemas: {}, diagnostics: [] };
}
