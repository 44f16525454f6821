// Trusted profiles of an account (issue #6): list, create, read, partial update with If-Match, delete (If-Match
// optional). session_duration_in_seconds is validated by the settings model (TRUSTED_PROFILE_SESSION_DURATION).
import { createRoute } from "@hono/zod-openapi";
import { NOT_SET } from "../../schemas/settings.ts";
import { accountAccess } from "../auth.ts";
import type { TrustedProfile } from "../db/trusted-profiles.ts";
import { preconditionFailed as staleTag, profileNotFound } from "../errors.ts";
import { writeOnce } from "../idempotency.ts";
import { parseIfMatch, requireIfMatch, requireJsonBody } from "../middleware.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, pairCursor } from "../pagination.ts";
import {
  AccountIdParamsSchema,
  CreateTrustedProfileBodySchema,
  IfMatchHeaderSchema,
  OptionalIfMatchHeaderSchema,
  TrustedProfileParamsSchema,
  TrustedProfileSchema,
  TrustedProfilesSchema,
  UpdateTrustedProfileBodySchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps, CREATED_HEADERS, resourcePath } from "./common.ts";
import { readOrWrite, resourceApp } from "./resource.ts";
import { ETAG_HEADER } from "./settings.ts";

const TAG = "Trusted profiles";
const listPath = "/";
const itemPath = "/{profile_id}";

const preconditionFailed = () => staleTag({ subject: "the trusted profile", plural: false });

const profileContent = { "application/json": { schema: TrustedProfileSchema } };


export function trustedProfileRoutes() {
  const list = createRoute({
    method: "get",
    path: listPath,
    operationId: "listTrustedProfiles",
    tags: [TAG],
    summary: "List an account's trusted profiles",
    description: `limit: 1 to ${PAGE_LIMITS.trustedProfiles.max} profiles per page (default ${PAGE_LIMITS.trustedProfiles.default}); pass next_cursor as cursor for the next page.`,
    security: SECURITY,
    request: { params: AccountIdParamsSchema, query: pageQuerySchema(PAGE_LIMITS.trustedProfiles, pairCursor) },
    responses: {
      200: { description: "One page of the account's trusted profiles, oldest first.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: TrustedProfilesSchema } } },
      ...errorResponses(400, 401, 404),
    },
  });
  const create = createRoute({
    method: "post",
    path: listPath,
    operationId: "createTrustedProfile",
    tags: [TAG],
    summary: "Create a trusted profile (editor, administrator, owner)",
    security: SECURITY,
    middleware: [requireJsonBody()] as const,
    request: {
      params: AccountIdParamsSchema,
      body: { required: true, content: { "application/json": { schema: CreateTrustedProfileBodySchema } } },
    },
    responses: {
      201: {
        description: "The profile, with its entity_tag (also the ETag header); Location is its path.",
        headers: { ...ETAG_HEADER, ...CREATED_HEADERS },
        content: profileContent,
      },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
  const get = createRoute({
    method: "get",
    path: itemPath,
    operationId: "getTrustedProfile",
    tags: [TAG],
    summary: "Read a trusted profile",
    security: SECURITY,
    request: { params: TrustedProfileParamsSchema },
    responses: {
      200: { description: "The profile, with its entity_tag (also the ETag header).", headers: ETAG_HEADER, content: profileContent },
      ...errorResponses(400, 401, 404),
    },
  });
  const put = createRoute({
    method: "put",
    path: itemPath,
    operationId: "updateTrustedProfile",
    tags: [TAG],
    summary: "Change a trusted profile (If-Match required)",
    description: "A partial update. An update that changes nothing returns 200 with the same entity_tag.",
    security: SECURITY,
    middleware: [requireIfMatch(), requireJsonBody()] as const,
    request: {
      params: TrustedProfileParamsSchema,
      headers: IfMatchHeaderSchema,
      body: { required: true, content: { "application/json": { schema: UpdateTrustedProfileBodySchema } } },
    },
    responses: {
      200: { description: "The profile after the change, with the new entity_tag (also the ETag header).", headers: ETAG_HEADER, content: profileContent },
      ...errorResponses(400, 401, 403, 404, 412, 413, 415, 428),
    },
  });
  const remove = createRoute({
    method: "delete",
    path: itemPath,
    operationId: "deleteTrustedProfile",
    tags: [TAG],
    summary: "Delete a trusted profile (If-Match optional)",
    security: SECURITY,
    request: { params: TrustedProfileParamsSchema, headers: OptionalIfMatchHeaderSchema },
    responses: {
      204: { description: "The profile was deleted.", headers: REQUEST_ID_HEADER },
      ...errorResponses(400, 401, 403, 404, 412),
    },
  });
  return { list, create, get, put, remove };
}

/** Mounted at /v1/accounts/{account_id}/trusted_profiles. */
export function trustedProfilesApp(deps: RouteDeps) {
  const { store, write } = deps;
  const app = resourceApp(readOrWrite(accountAccess(store, "read_settings"), accountAccess(store, "write_trusted_profiles")));
  const routes = trustedProfileRoutes();
  const withTag = (c: { header(name: string, value: string): void }, profile: TrustedProfile) => {
    c.header("ETag", `"${profile.entity_tag}"`);
    return profile;
  };

  app.openapi(routes.list, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = afterOf(pairCursor, cursor);
    const size = pageSize(limit, PAGE_LIMITS.trustedProfiles);
    const page = pageOf(store.profiles.listPage(accountId, after, size + 1), size, (p): [string, string] => [p.created_at, p.profile_id]);
    return c.json({ trusted_profiles: page.items, next_cursor: nextCursor(pairCursor, page.next) }, 200);
  });

  app.openapi(routes.create, async (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const profile = await writeOnce(c, deps, (s) => s.profiles.create(accountId, body.name, body.session_duration_in_seconds ?? NOT_SET));
    c.header("Location", resourcePath("v1", "accounts", accountId, "trusted_profiles", profile.profile_id));
    return c.json(withTag(c, profile), 201);
  });

  app.openapi(routes.get, (c) => {
    const { account_id: accountId, profile_id: profileId } = c.req.valid("param");
    const profile = store.profiles.get(accountId, profileId);
    if (!profile) throw profileNotFound(profileId);
    return c.json(withTag(c, profile), 200);
  });

  app.openapi(routes.put, async (c) => {
    const { account_id: accountId, profile_id: profileId } = c.req.valid("param");
    const body = c.req.valid("json");
    const result = await write.profiles.update(accountId, profileId, c.get("precondition"), {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.session_duration_in_seconds !== undefined ? { session_duration_in_seconds: body.session_duration_in_seconds } : {}),
    });
    switch (result.outcome) {
      case "not_found":
        throw profileNotFound(profileId);
      case "precondition_failed":
        throw preconditionFailed();
      default:
        return c.json(withTag(c, result.profile), 200);
    }
  });

  app.openapi(routes.remove, async (c) => {
    const { account_id: accountId, profile_id: profileId } = c.req.valid("param");
    const header = c.req.header("if-match");
    const precondition = header === undefined || header.trim() === "" ? undefined : parseIfMatch(header);
    switch (await write.profiles.delete(accountId, profileId, precondition)) {
      case "not_found":
        throw profileNotFound(profileId);
      case "precondition_failed":
        throw preconditionFailed();
      default:
        return c.body(null, 204);
    }
  });
  return app;
}
