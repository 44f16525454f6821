// The owners of login-session settings as the routes see them: an account or an enterprise. Everything that differs
// between the two for the settings routes is here.
import type { AccessCheck } from "../auth.ts";
import { accountAccess, enterpriseAccess } from "../auth.ts";
import { ACCOUNT, ENTERPRISE, type OwnerDefinition } from "../../schemas/owners.ts";
import type { Store } from "../db/store.ts";
import { accountNotFound, enterpriseNotFound, type ApiError } from "../errors.ts";
import { AccountIdParamsSchema, EnterpriseIdParamsSchema } from "../schemas.ts";

/** The model's owner kind (kind, noun, id field: schemas/owners.ts) plus what only the routes need. */
export interface SettingsOwner extends OwnerDefinition {
  tag: string;
  responseComponent: string;
  paramsSchema: typeof AccountIdParamsSchema | typeof EnterpriseIdParamsSchema;
  /** The access rule on the owner in the path, for reading or changing its settings. */
  settingsAccess(store: Store, write: boolean): AccessCheck;
  notFound(id: string): ApiError;
}

export const ACCOUNT_OWNER: SettingsOwner = {
  ...ACCOUNT,
  tag: "Account settings",
  responseComponent: "AccountIdentitySettings",
  paramsSchema: AccountIdParamsSchema,
  settingsAccess: (store, write) => accountAccess(store, write ? "write_settings" : "read_settings"),
  notFound: accountNotFound,
};

export const ENTERPRISE_OWNER: SettingsOwner = {
  ...ENTERPRISE,
  tag: "Enterprise settings",
  responseComponent: "EnterpriseIdentitySettings",
  paramsSchema: EnterpriseIdParamsSchema,
  settingsAccess: (store, write) => enterpriseAccess(store, write ? "write_settings" : "read_settings"),
  notFound: (id) => enterpriseNotFound(id),
};
