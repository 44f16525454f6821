// The owners of login-session settings: an account, or an enterprise whose limits apply to all its accounts. The
// settings resource and data source are built from one of these, so their logic exists once.
import { checkAccountId, checkEnterpriseId } from "../../schemas/identifiers.ts";
import type { OwnerKind } from "./client.ts";

export interface OwnerSpec {
  kind: OwnerKind;
  /** The word used in messages: "account", "enterprise". */
  noun: string;
  /** The attribute (and API field) naming the owner. */
  idAttribute: "account_id" | "enterprise_id";
  checkId(value: unknown): string | undefined;
}

export const ACCOUNT: OwnerSpec = { kind: "account", noun: "account", idAttribute: "account_id", checkId: checkAccountId };

export const ENTERPRISE: OwnerSpec = {
  kind: "enterprise",
  noun: "enterprise",
  idAttribute: "enterprise_id",
  checkId: checkEnterpriseId,
};
