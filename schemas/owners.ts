// The owners of login-session settings, defined once: an account, or an enterprise whose limits apply to all its
// accounts. The API's routes, the client's URLs, the provider's resources, the test helpers and the CDKTF library
// read their URL segment, id field and id check from here.
import { checkAccountId, checkEnterpriseId } from "./identifiers.ts";

export type OwnerKind = "account" | "enterprise";

export interface OwnerDefinition {
  readonly kind: OwnerKind;
  /** The word used in messages: "account", "enterprise". */
  readonly noun: string;
  /** The collection's URL segment: `/v1/accounts/{id}/…`, `/v1/enterprises/{id}/…`. */
  readonly segment: "accounts" | "enterprises";
  /** The field (and provider attribute) naming the owner. */
  readonly idField: "account_id" | "enterprise_id";
  /** Undefined when the value is a valid id, else a message naming the field and the rule. */
  checkId(value: unknown): string | undefined;
}

export const ACCOUNT: OwnerDefinition = {
  kind: "account",
  noun: "account",
  segment: "accounts",
  idField: "account_id",
  checkId: checkAccountId,
};

export const ENTERPRISE: OwnerDefinition = {
  kind: "enterprise",
  noun: "enterprise",
  segment: "enterprises",
  idField: "enterprise_id",
  checkId: checkEnterpriseId,
};

export const OWNERS: Readonly<Record<OwnerKind, OwnerDefinition>> = { account: ACCOUNT, enterprise: ENTERPRISE };

/** `/v1/accounts/acme` — the owner's URL, its id encoded; every owner route hangs below it. */
export function ownerPath(kind: OwnerKind, ownerId: string): string {
  return `/v1/${OWNERS[kind].segment}/${encodeURIComponent(ownerId)}`;
}

/**
 * What destroying a settings resource does to the server's settings: "reset" (the default) sets them to NOT_SET,
 * "abandon" leaves them as they are. The provider's attribute and the CDKTF library's prop both check against it.
 */
export const DESTROY_BEHAVIORS = ["reset", "abandon"] as const;

export type DestroyBehavior = (typeof DESTROY_BEHAVIORS)[number];

export function isDestroyBehavior(value: unknown): value is DestroyBehavior {
  return (DESTROY_BEHAVIORS as readonly unknown[]).includes(value);
}

