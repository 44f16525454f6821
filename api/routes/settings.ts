// GET/PUT …/settings/identity (and GET …/history) for a settings owner: an account (mounted at
// /v1/accounts/{account_id}/settings/identity) or an enterprise (/v1/enterprises/{enterprise_id}/settings/identity).
// The two differ only in their SettingsOwner.
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { redactHistory } from "../redaction.ts";
import { createRoute, type z } from "@hono/zod-openapi";
import { SETTING_NAMES, type SettingsValues } from "../../schemas/settings.ts";
import type { HistoryEntry, SettingsRecord, Store } from "../db/store.ts";
import { preconditionFailed } from "../errors.ts";
import { IDEMPOTENCY_KEY_HEADER, invalidIdempotencyKey, parseIdempotencyKey } from "../idempotency.ts";
import { requireIfMatch, requireJsonBody } from "../middleware.ts";
import { afterOf, MAX_EMBEDDED_HISTORY, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, versionCursor } from "../pagination.ts";
import {
  HistoryPageSchema,
  IfMatchHeaderSchema,
  IncludeHistoryQuerySchema,
  SettingsUpdateBodySchema,
  settingsResponseSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import type { SettingsOwner } from "./owners.ts";
import { readOrWrite, resourceApp } from "./resource.ts";

export { ACCOUNT_OWNER, ENTERPRISE_OWNER, type SettingsOwner } from "./owners.ts";

export const ETAG_HEADER = {
  ETag: { description: "The entity_tag, quoted.", schema: { type: "string" as const } },
  ...REQUEST_ID_HEADER,
};

function settingsBody(owner: SettingsOwner, record: SettingsRecord, history?: { entries: HistoryEntry[]; next: string | null }) {
  return {
    [owner.idField]: record.ownerId,
    ...record.values,
    entity_tag: record.entityTag,
    updated_at: record.updatedAt,
    ...(history ? { history: history.entries, history_next_cursor: history.next } : {}),
  };
}


/** A page of history, newest first, and the cursor of the next (older) page. */
function historyPage(c: Context<AppEnv>, store: Store, owner: SettingsOwner, id: string, before: number | null, limit: number) {
  const page = pageOf(store.getHistoryPage(owner.kind, id, before, limit + 1), limit, (last) => last.version);
  // What the caller may not see of who made a change is redacted (api/redaction.ts).
  const entries = redactHistory(c, store, owner.kind, id, page.items);
  return { entries, next: nextCursor(versionCursor, page.next) };
}

export function settingsRoutes(owner: SettingsOwner) {
  const response = settingsResponseSchema(owner.idField, owner.responseComponent);
  // getAccountSettings, updateEnterpriseSettings, …
  const operationNoun = owner.noun[0]!.toUpperCase() + owner.noun.slice(1);
  const get = createRoute({
    method: "get",
    path: "/",
    operationId: `get${operationNoun}Settings`,
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
    operationId: `update${operationNoun}Settings`,
    tags: [owner.tag],
    summary: `Change some of an ${owner.noun}'s login-session settings (If-Match required)`,
    description:
      "A partial update: settings left out keep their values. Requires If-Match with the current entity_tag or `*`. " +
      "An update that changes nothing returns 200 with the same entity_tag and adds no history entry. An optional " +
      "Idempotency-Key is recorded in the history entry the change makes (a PUT is not replayed: If-Match already " +
      "keeps a repeated PUT from writing twice), so a client whose answer was lost can tell whether its change was made.",
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
  const history = createRoute({
    method: "get",
    path: "/history",
    operationId: `list${operationNoun}SettingsHistory`,
    tags: [owner.tag],
    summary: `Page through the change history of an ${owner.noun}'s login-session settings, newest first`,
    description: `limit: 1 to ${PAGE_LIMITS.history.max} entries per page (default ${PAGE_LIMITS.history.default}); pass next_cursor as cursor for the next (older) page.`,
    security: SECURITY,
    request: { params: owner.paramsSchema, query: pageQuerySchema(PAGE_LIMITS.history, versionCursor) },
    responses: {
      200: {
        description: "One page of history entries, newest first.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: HistoryPageSchema } },
      },
      ...errorResponses(400, 401, 404),
    },
  });
  return { get, put, history };
}

export function settingsApp(owner: SettingsOwner, { store, write }: RouteDeps) {
  const app = resourceApp(readOrWrite(owner.settingsAccess(store, false), owner.settingsAccess(store, true)));
  const routes = settingsRoutes(owner);

  app.openapi(routes.get, (c) => {
    const id = (c.req.valid("param") as Record<string, string>)[owner.idField]!;
    const record = store.getSettings(owner.kind, id);
    if (!record) throw owner.notFound(id);
    // Bounded: the newest entries only, oldest first, with the cursor of the rest; redacted for this caller.
    const history = c.req.valid("query").include_history === "true" ? historyPage(c, store, owner, id, null, MAX_EMBEDDED_HISTORY) : undefined;
    history?.entries.reverse();
    c.header("ETag", `"${record.entityTag}"`);
    return c.json(settingsBody(owner, record, history) as z.infer<typeof routes.get.responses[200]["content"]["application/json"]["schema"]>, 200);
  });

  app.openapi(routes.history, (c) => {
    const id = (c.req.valid("param") as Record<string, string>)[owner.idField]!;
    const { limit, cursor } = c.req.valid("query");
    const before = afterOf(versionCursor, cursor);
    if (!store.getSettings(owner.kind, id)) throw owner.notFound(id);
    const page = historyPage(c, store, owner, id, before, pageSize(limit, PAGE_LIMITS.history));
    return c.json({ history: page.entries, next_cursor: page.next }, 200);
  });

  app.openapi(routes.put, async (c) => {
    const id = (c.req.valid("param") as Record<string, string>)[owner.idField]!;
    const body = c.req.valid("json");
    const changes: Partial<SettingsValues> = {};
    for (const name of SETTING_NAMES) {
      const v = body[name];
      if (v !== undefined) changes[name] = v;
    }
    const p = c.get("principal");
    const header = c.req.header(IDEMPOTENCY_KEY_HEADER);
    const idempotencyKey = header === undefined ? null : parseIdempotencyKey(header);
    if (idempotencyKey === undefined) throw invalidIdempotencyKey();
    const actor = { keyId: p.keyId, keyName: p.keyName, accountId: p.accountId, enterpriseId: p.enterpriseId, idempotencyKey };
    const result = await write.updateSettings(owner.kind, id, c.get("precondition"), changes, actor);
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
