// The object value both the resource and the data source hold for one account's settings.
import { SETTING_NAMES } from "../../schemas/settings.ts";
import type { ObjectValue } from "../framework/types.ts";
import type { AccountSettings } from "./client.ts";

export function accountSettingsObject(s: AccountSettings): ObjectValue {
  return {
    id: s.account_id,
    account_id: s.account_id,
    ...Object.fromEntries(SETTING_NAMES.map((n) => [n, s[n]])),
    entity_tag: s.entity_tag,
  };
}
