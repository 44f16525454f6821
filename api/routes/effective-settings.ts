// Effective settings (issue #6), read-only and computed from the current rows on every request (no cache), in one
// read snapshot: GET /v1/accounts/{account_id}/effective_settings/identity and
// GET /v1/identities/{iam_id}/effective_settings/identity. The rules are in api/effective.ts.
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, identityAccess, identityVisible, isPlatformAdmin, roleOnAccount } from "../auth.ts";
import { accountNotFound, identityNotFound } from "../errors.ts";
import type { Store } from "../db/store.ts";
import { effectiveForAccount, effectiveForIdentityAs, type AccountLevels } from "../effective.ts";
import {
  AccountEffectiveSettingsSchema,
  AccountIdParamsSchema,
  IamIdParamsSchema,
  IdentityEffectiveSettingsSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { resourceApp } from "./resource.ts";

const TAG = "Effective settings";

/** The stored values that decide an account's effective settings; undefined when the account does not exist. */
function levelsOf(store: Store, accountId: string): AccountLevels | undefined {
  const account = store.getSettings("account", accountId);
  if (!account) return undefined;
  const enterpriseId = store.directory.enterpriseOf(accountId);
  const enterprise = enterpriseId === null ? undefined : store.getSettings("enterprise", enterpriseId);
  return {
    accountId,
    account: account.values,
    enterprise: enterpriseId !== null && enterprise ? { enterpriseId, values: enterprise.values } : null,
  };
}

export const effectiveSettingsRoutes = {
  account: createRoute({
    method: "get",
    path: "/",
    operationId: "getAccountEffectiveSettings",
    tags: [TAG],
    summary: "The settings that apply to an account, and where each comes from",
    description:
      "For each setting the stricter of the enterprise's and the account's value (a limit beats unlimited); an enterprise " +
      'NOT_SET or no enterprise leaves the account\'s; both NOT_SET: the service default. A tie is credited to the enterprise.',
    security: SECURITY,
    request: { params: AccountIdParamsSchema },
    responses: {
      200: { description: "The effective settings.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: AccountEffectiveSettingsSchema } } },
      ...errorResponses(400, 401, 404),
    },
  }),
  identity: createRoute({
    method: "get",
    path: "/",
    operationId: "getIdentityEffectiveSettings",
    tags: [TAG],
    summary: "The settings that apply to all of an identity's sessions, and which account decides each",
    description:
      "For each setting the lowest effective value over every account the identity belongs to (ties: the smallest " +
      "account_id); defaults, with account_id null, for an identity in no account. Platform administrator, or a key " +
      "with any role on at least one of the identity's accounts.",
    security: SECURITY,
    request: { params: IamIdParamsSchema },
    responses: {
      200: { description: "The effective settings.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: IdentityEffectiveSettingsSchema } } },
      ...errorResponses(400, 401, 404),
    },
  }),
};

/** Mounted at /v1/accounts/{account_id}/effective_settings/identity. */
export function accountEffectiveSettingsApp({ store }: RouteDeps) {
  const app = resourceApp(accountAccess(store, "read_settings"));
  app.openapi(effectiveSettingsRoutes.account, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const levels = store.snapshot(() => levelsOf(store, accountId));
    // The access rule found the account and accounts are never deleted; this is only a safety net.
    if (!levels) throw accountNotFound(accountId);
    return c.json({ account_id: accountId, enterprise_id: levels.enterprise?.enterpriseId ?? null, ...effectiveForAccount(levels) }, 200);
  });
  return app;
}

/** Mounted at /v1/identities/{iam_id}/effective_settings/identity. */
export function identityEffectiveSettingsApp({ store }: RouteDeps) {
  const app = resourceApp(identityAccess(store));
  app.openapi(effectiveSettingsRoutes.identity, (c) => {
    const { iam_id: iamId } = c.req.valid("param");
    const p = c.get("principal");
    const answer = store.snapshot(() => {
      // The access rule checked visibility; checked again in the snapshot the answer is computed from, so a
      // membership removed in between never shows the identity to a key that no longer sees it.
      if (!identityVisible(store, p, iamId)) return undefined;
      const accounts = store.directory.accountsOf(iamId);
      const levels = accounts.map((a) => levelsOf(store, a)).filter((l): l is AccountLevels => l !== undefined);
      // Accounts the caller cannot see are told as "(another account)" (issue #11); the values stay.
      const visible = (a: string) => isPlatformAdmin(p) || p.iamId === iamId || roleOnAccount(store, p, a) !== undefined;
      const told = effectiveForIdentityAs(levels, visible);
      return { iam_id: iamId, accounts: told.accounts, ...told.settings };
    });
    if (!answer) throw identityNotFound(iamId);
    return c.json(answer, 200);
  });
  return app;
}
