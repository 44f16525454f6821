// The owners of login-session settings as the routes see them: an account or an enterprise. Everything that differs
// between the two for the settings routes is here.
import type { AccessCheck } from "../auth.ts";
import { accountAccess, enterpriseAccess } from "../auth.ts";
import type { OwnerKind, Store } from "../db/store.ts";
import { accountNotFound, enterpriseNotFound, type ApiError } from "../errors.ts";
import { AccountIdParamsSchema, EnterpriseIdParamsSchema } from "../schemas.ts";

export interface SettingsOwner {
  kind: OwnerKind;
  /** The owner's id in the path and in responses. */
  idField: "account_id" | "enterprise_id";
  tag: string;
  noun: string;
  /** The owner in operationIds: getAccountSettings, updateEnterpriseSettings. */
  operationNoun: string;
  responseComponent: string;
  paramsSchema: typeof AccountIdParamsSchema | typeof EnterpriseIdParamsSchema;
  /** The access rule on the owner in the path, for reading or changing its settings. */
  settingsAccess(store: Store, write: boolean): AccessCheck;
  notFound(id: string): ApiError;
}

export const ACCOUNT_OWNER: SettingsOwner = {
  kind: "account",
  idField: "account_id",
  tag: "Account settings",
  noun: "account",
  operationNoun: "Account",
  responseComponent: "AccountIdentitySettings",
  paramsSchema: AccountIdParamsSchema,
  settingsAccess: (store, write) => accountAccess(store, write ? "write_settings" : "read_settings"),
  notFound: accountNotFound,
};

export const ENTERPRISE_OWNER: SettingsOwner = {
  kind: "enterprise",
  idField: "enterprise_id",
  tag: "Enterprise settings",
  noun: "enterprise",
  operationNoun: "Enterprise",
  responseComponent: "EnterpriseIdentitySettings",
  paramsSchema: EnterpriseIdParamsSchema,
  settingsAccess: (store, write) => enterpriseAccess(store, write ? "write_settings" : "read_settings"),
  notFound: (id) => enterpriseNotFound(id),
};
