// One resource = one OpenAPIHono sub-app, mounted on the app with app.route() (api/app.ts). A resource declares its
// access rule once, when its sub-app is made; the sub-app runs that rule as the first middleware of each of its
// operations — before If-Match, content type and body validation, so no 428/415/400 reveals what a key may not see.
// The rule runs only for requests one of the resource's operations answers: 404 (no route) and 405 (another method)
// stay the app's, as before.
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { errorResponse, fromZodIssues } from "../errors.ts";

/** The operation a request is for, as its route declares it (method in lower case, path relative to the mount). */
export interface Operation {
  method: string;
  path: string;
}

/** Throws the ApiError (404 for what the caller may not see, 403 for what its role may not do) or returns. */
export type AccessRule = (c: Context<AppEnv>, operation: Operation) => void;

/** Public: no rule (only GET /health). */
export const PUBLIC: AccessRule = () => {};

/** Turns zod validation failures (body, query, params, headers) into the error format. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    return errorResponse(c, 400, fromZodIssues(result.target, result.error.issues));
  }
};

/** A resource's sub-app: each operation registered with `openapi()` runs `access` first. */
export function resourceApp(access: AccessRule): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const register = app.openapi;
  app.openapi = ((route, handler, hook) => {
    const operation: Operation = { method: route.method, path: route.path };
    // The same method and path as the operation (zod-openapi's {param} → Hono's :param), registered just before it.
    app.on(route.method.toUpperCase(), route.path.replaceAll(/\/{(.+?)}/g, "/:$1"), async (c, next) => {
      access(c, operation);
      await next();
    });
    return register(route, handler, hook);
  }) as typeof register;
  return app;
}

/** A rule that depends only on whether the operation reads (GET) or writes. */
export function readOrWrite(read: (c: Context<AppEnv>) => void, write: (c: Context<AppEnv>) => void): AccessRule {
  return (c, operation) => (operation.method === "get" ? read(c) : write(c));
}
