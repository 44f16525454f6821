// The Hono application: middleware order, routes, and the error handling that keeps every answer in one format.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth.ts";
import type { AppEnv } from "./context.ts";
import type { Store } from "./db/store.ts";
import { isBusyError, WriteBusyError } from "./db/write-queue.ts";
import { remote, type Writer } from "./db/writer.ts";
import {
  ApiError,
  apiErrorResponse,
  databaseBusy,
  fromHttpException,
  internalError,
  methodNotAllowed,
  payloadTooLarge,
  routeNotFound,
} from "./errors.ts";
import { docsApp } from "./docs.ts";
import { securityHeaders } from "./headers.ts";
import { idempotencyKey } from "./idempotency.ts";
import { requestContext, requestIds, type LogLine } from "./middleware.ts";
import type { FailureThrottle } from "./throttle.ts";
import { openApiDocument, registerOpenApiComponents } from "./openapi.ts";
import { accountApp, accountsApp } from "./routes/accounts.ts";
import { consoleApp } from "./routes/console.ts";
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
import { federationKeysApp, identityKeysApp, passwordApp } from "./routes/identity-credentials.ts";
import { accountSessionsApp, identitySessionsApp } from "./routes/session-lists.ts";
import { currentSessionApp, loginApp, tokensApp } from "./routes/sessions.ts";
import { systemClock, type Clock } from "./sessions/clock.ts";
import { SessionEngine } from "./sessions/engine.ts";
import { sessionStoreOn } from "./db/sessions.ts";

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppOptions {
  store: Store;
  /** Where writes run (the writer thread in the server). */
  writer: Writer;
  /** Access log and internal errors; default: stderr. */
  log?: LogLine;
  /** The session engine's clock; default (and always in production): the system clock. */
  clock?: Clock;
  /** Failed-authentication throttle (shared with any other credential check); null or absent: none. */
  throttle?: FailureThrottle | null;
  /** How long an invitation may be accepted; default 7 days. */
  invitationTtlSeconds?: number;
}

/** Forwards to `get()` on first use, so building the app (e.g. for the OpenAPI document) touches no database. */
function lazy<T extends object>(get: () => T): T {
  let target: T | undefined;
  return new Proxy({} as T, {
    get: (_o, prop) => {
      target ??= get();
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/**
 * Where each resource's sub-app is mounted, in the order of the OpenAPI document's paths. Each sub-app declares its
 * own access rule (api/routes/resource.ts).
 */
function resources(deps: RouteDeps): Array<[path: string, app: OpenAPIHono<AppEnv>]> {
  return [
    ["/health", healthApp()],
    ["/v1/accounts", accountsApp(deps)],
    ["/v1/accounts/:account_id", accountApp(deps)],
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
    // The session engine (issue #13).
    ["/v1/sessions", loginApp(deps)],
    ["/v1/tokens", tokensApp(deps)],
    ["/v1/session", currentSessionApp(deps)],
    ["/v1/identities/:iam_id/sessions", identitySessionsApp(deps)],
    ["/v1/accounts/:account_id/sessions", accountSessionsApp(deps)],
    ["/v1/identities/:iam_id/password", passwordApp(deps)],
    ["/v1/identities/:iam_id/api_keys", identityKeysApp(deps)],
    ["/v1/accounts/:account_id/federation_keys", federationKeysApp(deps)],
  ];
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? systemClock;
  const store = options.store;
  const throttle = options.throttle ?? null;
  const write = remote<Store>(options.writer);
  const sessions = new SessionEngine({ store: lazy(() => sessionStoreOn(store.sessions, write.sessions)), policy: lazy(() => store.policy), clock });
  const deps: RouteDeps = { store, writer: options.writer, write, invitationTtlSeconds: options.invitationTtlSeconds, throttle, sessions, clock };
  const sessionAuth = {
    engine: sessions,
    credentials: lazy(() => store.credentials),
    policy: lazy(() => store.policy),
    directory: lazy(() => store.directory),
    clock,
    throttle,
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestIds());
  app.use("*", requestContext(log));
  app.use("*", ...securityHeaders());
  // Everything under /v1 needs a key, a session or an access token; /health, the OpenAPI document and its
  // reference at /docs are public.
  app.use("/v1/*", authenticate(deps.store, throttle, sessionAuth));
  app.use("*", bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw payloadTooLarge(MAX_BODY_BYTES); } }));
  app.use("/v1/*", idempotencyKey(deps.store, log));

  registerOpenApiComponents(app);
  for (const [path, resource] of resources(deps)) app.route(path, resource);

  // The web console (issue #16): static pages on the same origin, outside the OpenAPI document.
  app.route("/", consoleApp());

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
    // Another connection held the lock past the write's budget (or kept a read from starting): 503, never 500.
    if (err instanceof WriteBusyError || isBusyError(err)) return apiErrorResponse(c, databaseBusy());
    log(`internal error in ${c.req.method} ${c.req.path} (trace ${c.get("requestId")}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return apiErrorResponse(c, internalError());
  });

  return app;
}
