// The object value both the resources and the data sources hold for one owner's settings.
import { SETTING_NAMES } from "../../schemas/settings.ts";
import type { ObjectValue } from "../framework/index.ts";
import type { AccountSettings, OwnerSettings } from "../../client/index.ts";
import { ACCOUNT, type OwnerDefinition } from "../../schemas/owners.ts";

/** `ownerId` is the id asked for; the API's answer names the same owner. */
export function ownerSettingsObject(owner: OwnerDefinition, ownerId: string, s: OwnerSettings): ObjectValue {
  const id = s[owner.idField] ?? ownerId;
  return {
    id,
    [owner.idField]: id,
    ...Object.fromEntries(SETTING_NAMES.map((n) => [n, s[n]])),
    entity_tag: s.entity_tag,
  };
}

export function accountSettingsObject(s: AccountSettings): ObjectValue {
  return ownerSettingsObject(ACCOUNT, s.account_id, s);
}
