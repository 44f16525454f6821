// GET/PUT …/settings/identity for a settings owner: an account (mounted at /v1/accounts/{account_id}/settings/identity)
// or an enterprise (/v1/enterprises/{enterprise_id}/settings/identity). The two differ only in their SettingsOwner.
import { redactHistory } from "../redaction.ts";
import { createRoute, type z } from "@hono/zod-openapi";
import { SETTING_NAMES, type SettingsValues } from "../../schemas/settings.ts";
import type { HistoryEntry, SettingsRecord } from "../db/store.ts";
import { preconditionFailed } from "../errors.ts";
import { requireIfMatch, requireJsonBody } from "../middleware.ts";
import { IfMatchHeaderSchema, IncludeHistoryQuerySchema, SettingsUpdateBodySchema, settingsResponseSchema } from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import type { SettingsOwner } from "./owners.ts";
import { readOrWrite, resourceApp } from "./resource.ts";

export { ACCOUNT_OWNER, ENTERPRISE_OWNER, type SettingsOwner } from "./owners.ts";

export const ETAG_HEADER = {
  ETag: { description: "The entity_tag, quoted.", schema: { type: "string" as const } },
  ...REQUEST_ID_HEADER,
};

function settingsBody(owner: SettingsOwner, record: SettingsRecord, history?: HistoryEntry[]) {
  return {
    [owner.idField]: record.ownerId,
    ...record.values,
    entity_tag: record.entityTag,
    updated_at: record.updatedAt,
    ...(history ? { history } : {}),
  };
}

export function settingsRoutes(owner: SettingsOwner) {
  const response = settingsResponseSchema(owner.idField, owner.responseComponent);
  const get = createRoute({
    method: "get",
    path: "/",
    tags: [owner.tag],
    summary: `Read an ${owner.noun}'s login-session settings`,
    security: SECURITY,
    request: { params: owner.paramsSchema, query: IncludeHistoryQuerySchema },
    responses: {
      200: {
        description: `The ${owner.noun}'s settings and entity_tag (also the ETag header).`,
        headers: ETAG_HEADER,
        content: { "application/json": { schema: response } },
      },
      ...errorResponses(400, 401, 404),
    },
  });
  const put = createRoute({
    method: "put",
    path: "/",
    tags: [owner.tag],
    summary: `Change some of an ${owner.noun}'s login-session settings (If-Match required)`,
    description:
      "A partial update: settings left out keep their values. Requires If-Match with the current entity_tag or `*`. " +
      "An update that changes nothing returns 200 with the same entity_tag and adds no history entry.",
    security: SECURITY,
    middleware: [requireIfMatch(), requireJsonBody()] as const,
    request: {
      params: owner.paramsSchema,
      headers: IfMatchHeaderSchema,
      body: { required: true, content: { "application/json": { schema: SettingsUpdateBodySchema } } },
    },
    responses: {
      200: {
        description: `The ${owner.noun}'s settings after the change, with the new entity_tag (also the ETag header).`,
        headers: ETAG_HEADER,
        content: { "application/json": { schema: response } },
      },
      ...errorResponses(400, 401, 403, 404, 412, 413, 415, 428),
    },
  });
  return { get, put };
}

export function settingsApp(owner: SettingsOwner, { store }: RouteDeps) {
  const app = resourceApp(readOrWrite(owner.settingsAccess(store, false), owner.settingsAccess(store, true)));
  const routes = settingsRoutes(owner);

  app.openapi(routes.get, (c) => {
    const id = (c.req.valid("param") as Record<string, string>)[owner.idField]!;
    const record = store.getSettings(owner.kind, id);
    if (!record) throw owner.notFound(id);
    const history =
      c.req.valid("query").include_history === "true" ? redactHistory(c, store, owner.kind, id, store.getHistory(owner.kind, id)) : undefined;
    c.header("ETag", `"${record.entityTag}"`);
    return c.json(settingsBody(owner, record, history) as z.infer<typeof routes.get.responses[200]["content"]["application/json"]["schema"]>, 200);
  });

  app.openapi(routes.put, (c) => {
    const id = (c.req.valid("param") as Record<string, string>)[owner.idField]!;
    const body = c.req.valid("json");
    const changes: Partial<SettingsValues> = {};
    for (const name of SETTING_NAMES) {
      const v = body[name];
      if (v !== undefined) changes[name] = v;
    }
    const p = c.get("principal");
    const result = store.updateSettings(owner.kind, id, c.get("precondition"), changes, {
      keyId: p.keyId,
      keyName: p.keyName,
      accountId: p.accountId,
      enterpriseId: p.enterpriseId,
    });
    switch (result.outcome) {
      case "not_found":
        throw owner.notFound(id);
      case "precondition_failed":
        throw preconditionFailed({ subject: `the ${owner.noun}'s settings`, plural: true });
      default:
        c.header("ETag", `"${result.record.entityTag}"`);
        return c.json(settingsBody(owner, result.record) as z.infer<typeof routes.put.responses[200]["content"]["application/json"]["schema"]>, 200);
    }
  });
  return app;
}
