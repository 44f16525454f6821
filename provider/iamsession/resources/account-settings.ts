// Resource iamsession_account_settings: the login-session settings of one account.
// An account cannot be deleted, so "destroy" resets its four settings to NOT_SET.
import type { Resource } from "../../framework/index.ts";
import type { IamsessionClient } from "../../../client/index.ts";
import { ACCOUNT } from "../../../schemas/owners.ts";
import { ownerSettingsResource } from "./owner-settings.ts";

export function accountSettingsResource(): Resource<IamsessionClient> {
  return ownerSettingsResource({
    owner: ACCOUNT,
    typeName: "iamsession_account_settings",
    description:
      "The login-session limits of one account. Settings left out of the configuration are left as the server " +
      "has them. An account cannot be deleted: destroying this resource resets all four settings to `NOT_SET` " +
      "(the service defaults).",
    idDescription: "The account id.",
    ownerIdDescription: "The account whose settings are managed. Changing it replaces the resource.",
  });
}
