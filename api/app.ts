// The Hono application: middleware order, routes, and the error handling that keeps every answer in one format.
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth.ts";
import type { AppEnv } from "./context.ts";
import type { Store } from "./db/store.ts";
import { ApiError, errorResponse, fromHttpException, fromZodIssues, payloadTooLarge } from "./errors.ts";
import { requestContext, type LogLine } from "./middleware.ts";
import { openApiDocument, registerOpenApiComponents } from "./openapi.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerApiKeyRoutes } from "./routes/api-keys.ts";
import { registerEffectiveSettingsRoutes } from "./routes/effective-settings.ts";
import { registerEnterpriseRoutes } from "./routes/enterprises.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerIdentityRoutes } from "./routes/identities.ts";
import { ACCOUNT_OWNER, ENTERPRISE_OWNER, registerSettingsRoutes } from "./routes/settings.ts";
import { registerTrustedProfileRoutes } from "./routes/trusted-profiles.ts";
import { registerIdentityCredentialRoutes } from "./routes/identity-credentials.ts";
import { registerSessionListRoutes } from "./routes/session-lists.ts";
import { registerSessionRoutes, type LoginThrottle } from "./routes/sessions.ts";
import { systemClock, type Clock } from "./sessions/clock.ts";
import { SessionEngine } from "./sessions/engine.ts";

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppOptions {
  store: Store;
  /** Access log and internal errors; default: stderr. */
  log?: LogLine;
  /** The session engine's clock; default (and always in production): the system clock. */
  clock?: Clock;
  /** Failed-login throttle; default none. */
  throttle?: LoginThrottle;
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

/** Turns zod validation failures (body, query, params, headers) into the error format. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    return errorResponse(c, 400, fromZodIssues(result.target, result.error.issues));
  }
};

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? systemClock;
  const store = options.store;
  const sessions = new SessionEngine({ store: lazy(() => store.sessions), policy: lazy(() => store.policy), clock });
  const deps = { store, sessions, clock };
  const sessionAuth = { engine: sessions, credentials: lazy(() => store.credentials), policy: lazy(() => store.policy), clock };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestContext(log));
  app.use("/v1/*", authenticate(deps.store, sessionAuth));
  app.use("/openapi.json", authenticate(deps.store, sessionAuth));
  app.use("*", bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw payloadTooLarge(MAX_BODY_BYTES); } }));

  registerOpenApiComponents(app);
  registerHealthRoutes(app);
  registerAccountRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerSettingsRoutes(app, ACCOUNT_OWNER, deps);
  registerEnterpriseRoutes(app, deps);
  registerSettingsRoutes(app, ENTERPRISE_OWNER, deps);
  registerIdentityRoutes(app, deps);
  registerTrustedProfileRoutes(app, deps);
  registerEffectiveSettingsRoutes(app, deps);
  registerSessionRoutes(app, { ...deps, ...(options.throttle ? { throttle: options.throttle } : {}) });
  registerSessionListRoutes(app, deps);
  registerIdentityCredentialRoutes(app, deps);

  let document: unknown;
  app.get("/openapi.json", (c) => c.json((document ??= openApiDocument(app)) as object, 200));

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
    app.all(path, (c) =>
      errorResponse(c, 405, [{ code: "method_not_allowed", message: `${c.req.method} is not allowed here; allowed: ${allow}` }], {
        Allow: allow,
      }),
    );
  }

  app.notFound((c) => errorResponse(c, 404, [{ code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }]));

  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.items, err.headers);
    if (err instanceof HTTPException) {
      const mapped = fromHttpException(err);
      return errorResponse(c, mapped.status, mapped.items, mapped.headers);
    }
    log(`internal error in ${c.req.method} ${c.req.path} (trace ${c.get("requestId")}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return errorResponse(c, 500, [{ code: "internal_error", message: "internal error; the trace identifies this request in the server log" }]);
  });

  return app;
}
