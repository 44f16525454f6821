// The Hono application: middleware order, routes, and the error handling that keeps every answer in one format.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth.ts";
import type { AppEnv } from "./context.ts";
import type { Store } from "./db/store.ts";
import {
  ApiError,
  apiErrorResponse,
  fromHttpException,
  internalError,
  methodNotAllowed,
  payloadTooLarge,
  routeNotFound,
} from "./errors.ts";
import { docsApp } from "./docs.ts";
import { securityHeaders } from "./headers.ts";
import { requestContext, requestIds, type LogLine } from "./middleware.ts";
import type { FailureThrottle } from "./throttle.ts";
import { openApiDocument, registerOpenApiComponents } from "./openapi.ts";
import { accountsApp } from "./routes/accounts.ts";
import { accountApiKeysApp, enterpriseApiKeysApp, platformApiKeysApp } from "./routes/api-keys.ts";
import type { RouteDeps } from "./routes/common.ts";
import { accountEffectiveSettingsApp, identityEffectiveSettingsApp } from "./routes/effective-settings.ts";
import { enterpriseLinkApp, enterprisesApp } from "./routes/enterprises.ts";
import { healthApp } from "./routes/health.ts";
import { identitiesApp, membersApp } from "./routes/identities.ts";
import { accountInvitationsApp, identityInvitationsApp } from "./routes/invitations.ts";
import { ACCOUNT_OWNER, ENTERPRISE_OWNER } from "./routes/owners.ts";
import { validationHook } from "./routes/resource.ts";
import { settingsApp } from "./routes/settings.ts";
import { trustedProfilesApp } from "./routes/trusted-profiles.ts";

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppOptions {
  store: Store;
  /** Access log and internal errors; default: stderr. */
  log?: LogLine;
  /** Failed-authentication throttle (shared with any other credential check); null or absent: none. */
  throttle?: FailureThrottle | null;
  /** How long an invitation may be accepted; default 7 days. */
  invitationTtlSeconds?: number;
}

/**
 * Where each resource's sub-app is mounted, in the order of the OpenAPI document's paths. Each sub-app declares its
 * own access rule (api/routes/resource.ts).
 */
function resources(deps: RouteDeps): Array<[path: string, app: OpenAPIHono<AppEnv>]> {
  return [
    ["/health", healthApp()],
    ["/v1/accounts", accountsApp(deps)],
    ["/v1/accounts/:account_id/api_keys", accountApiKeysApp(deps)],
    ["/v1/accounts/:account_id/settings/identity", settingsApp(ACCOUNT_OWNER, deps)],
    ["/v1/enterprises", enterprisesApp(deps)],
    ["/v1/enterprises/:enterprise_id/api_keys", enterpriseApiKeysApp(deps)],
    ["/v1/platform/api_keys", platformApiKeysApp(deps)],
    ["/v1/accounts/:account_id/enterprise", enterpriseLinkApp(deps)],
    ["/v1/enterprises/:enterprise_id/settings/identity", settingsApp(ENTERPRISE_OWNER, deps)],
    ["/v1/identities", identitiesApp(deps)],
    ["/v1/accounts/:account_id/members", membersApp(deps)],
    ["/v1/accounts/:account_id/invitations", accountInvitationsApp(deps)],
    ["/v1/identities/:iam_id/invitations", identityInvitationsApp(deps)],
    ["/v1/accounts/:account_id/trusted_profiles", trustedProfilesApp(deps)],
    ["/v1/accounts/:account_id/effective_settings/identity", accountEffectiveSettingsApp(deps)],
    ["/v1/identities/:iam_id/effective_settings/identity", identityEffectiveSettingsApp(deps)],
  ];
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const throttle = options.throttle ?? null;
  const deps: RouteDeps = { store: options.store, invitationTtlSeconds: options.invitationTtlSeconds, throttle };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestIds());
  app.use("*", requestContext(log));
  app.use("*", ...securityHeaders());
  // Everything under /v1 needs a key; /health, the OpenAPI document and its reference at /docs are public.
  app.use("/v1/*", authenticate(deps.store, throttle));
  app.use("*", bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw payloadTooLarge(MAX_BODY_BYTES); } }));

  registerOpenApiComponents(app);
  for (const [path, resource] of resources(deps)) app.route(path, resource);

  let document: unknown;
  app.get("/openapi.json", (c) => c.json((document ??= openApiDocument(app)) as object, 200));
  app.route("/docs", docsApp("/openapi.json"));

  // A known path with a method it does not have: 405 with Allow (registered after every route, so only reached then).
  const allowed = new Map<string, Set<string>>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const set = allowed.get(r.path) ?? new Set<string>();
    set.add(r.method);
    if (r.method === "GET") set.add("HEAD");
    allowed.set(r.path, set);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].sort().join(", ");
    app.all(path, (c) => apiErrorResponse(c, methodNotAllowed(c.req.method, allow)));
  }

  app.notFound((c) => apiErrorResponse(c, routeNotFound(c.req.method, c.req.path)));

  app.onError((err, c) => {
    if (err instanceof ApiError) return apiErrorResponse(c, err);
    const mapped = err instanceof HTTPException ? fromHttpException(err) : undefined;
    if (mapped) return apiErrorResponse(c, mapped);
    log(`internal error in ${c.req.method} ${c.req.path} (trace ${c.get("requestId")}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return apiErrorResponse(c, internalError());
  });

  return app;
}
