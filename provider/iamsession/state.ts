// The object value both the resources and the data sources hold for one owner's settings.
import { SETTING_NAMES } from "../../schemas/settings.ts";
import type { ObjectValue } from "../framework/index.ts";
import type { AccountSettings, OwnerSettings } from "./client.ts";
import { ACCOUNT, type OwnerSpec } from "./owners.ts";

/** `ownerId` is the id asked for; the API's answer names the same owner. */
export function ownerSettingsObject(owner: OwnerSpec, ownerId: string, s: OwnerSettings): ObjectValue {
  const id = s[owner.idAttribute] ?? ownerId;
  return {
    id,
    [owner.idAttribute]: id,
    ...Object.fromEntries(SETTING_NAMES.map((n) => [n, s[n]])),
    entity_tag: s.entity_tag,
  };
}

export function accountSettingsObject(s: AccountSettings): ObjectValue {
  return ownerSettingsObject(ACCOUNT, s.account_id, s);
}
