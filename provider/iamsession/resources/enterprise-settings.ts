// Resource iamsession_enterprise_settings: the login-session settings of one enterprise, which bound those of every
// account in it (the stricter of the two applies). An enterprise is not deleted by this resource, so "destroy"
// resets its four settings to NOT_SET, after which each account's own settings apply.
import type { Resource } from "../../framework/index.ts";
import type { IamsessionClient } from "../../../client/index.ts";
import { ENTERPRISE } from "../../../schemas/owners.ts";
import { ownerSettingsResource } from "./owner-settings.ts";

export function enterpriseSettingsResource(): Resource<IamsessionClient> {
  return ownerSettingsResource({
    owner: ENTERPRISE,
    typeName: "iamsession_enterprise_settings",
    description:
      "The login-session limits of one enterprise. For every account in the enterprise the stricter of the " +
      "enterprise's and the account's value applies (the smaller number; a limit beats unlimited); an enterprise " +
      "setting of `NOT_SET` leaves each account's own value in force. Settings left out of the configuration are " +
      "left as the server has them. Destroying this resource resets all four settings to `NOT_SET`; the " +
      "enterprise itself is not deleted.",
    idDescription: "The enterprise id.",
    ownerIdDescription: "The enterprise whose settings are managed. Changing it replaces the resource.",
  });
}
