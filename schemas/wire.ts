// The API's response bodies as TypeScript types: written once here, used by the API (which produces them), the API
// client in client/ (through which the provider and the drift check read them) and the tests. The zod schemas in
// api/schemas.ts are what validates and documents them; api/wire-check.ts fails type-checking when the two disagree.
import type { SettingName, SettingsValues } from "./settings.ts";

/** Who owns a set of login-session settings (schemas/owners.ts defines them). */
export type { OwnerKind } from "./owners.ts";

/** One change of an owner's settings, oldest first in `history`. */
export interface HistoryEntry {
  version: number;
  changed_at: string;
  /**
   * The key that made the change: an account key has `account_id`, an enterprise key `enterprise_id`, the platform
   * administrator neither (both null).
   */
  changed_by: {
    /** The id of the API key that made the change. */
    key_id: string;
    key_name: string;
    account_id: string | null;
    enterprise_id: string | null;
    /** @deprecated The same API key id as `key_id` (the field's old, misleading name); read `key_id`. */
    iam_id: string;
  };
  /** The Idempotency-Key of the PUT that made the change; null when it sent none. */
  idempotency_key: string | null;
  action: "update";
  old: SettingsValues;
  new: SettingsValues;
}

/** `GET|PUT …/settings/identity`, without the owner's id. */
export type SettingsBody = SettingsValues & { entity_tag: string; updated_at: string; history?: HistoryEntry[] };
export type AccountSettingsBody = SettingsBody & { account_id: string };
export type EnterpriseSettingsBody = SettingsBody & { enterprise_id: string };

export interface TrustedProfile {
  profile_id: string;
  account_id: string;
  name: string;
  /** Canonical decimal seconds, or NOT_SET (the service default). */
  session_duration_in_seconds: string;
  entity_tag: string;
  created_at: string;
  updated_at: string;
}

/** "another_account": the value comes from an account the caller may not see (its id is then ANOTHER_ACCOUNT). */
export type EffectiveSource = "account" | "enterprise" | "default" | "another_account";

/**
 * Stands for an account (and its enterprise) the caller may not see, in answers about an identity. Not a valid
 * account id (it has a space and parentheses), so it is never mistaken for one.
 */
export const ANOTHER_ACCOUNT = "(another account)";

/** Stands for an enterprise the caller may not see (in a history entry: a former enterprise's key). */
export const ANOTHER_ENTERPRISE = "(another enterprise)";

/** One effective setting and where it comes from. */
export interface EffectiveValue {
  /** The canonical decimal string of the effective number, or "unlimited". */
  value: string;
  source: EffectiveSource;
  /** The account or enterprise whose value applies; null for the service default. */
  source_id: string | null;
  /** The account this answer is for (for an identity: the account that made it lowest); null when there is none. */
  account_id: string | null;
}

export type EffectiveSettings = Record<SettingName, EffectiveValue>;
export type AccountEffectiveSettings = EffectiveSettings & { account_id: string; enterprise_id: string | null };
/** `accounts`: the identity's accounts the caller may see, then ANOTHER_ACCOUNT once if it has others. */
export type IdentityEffectiveSettings = EffectiveSettings & { iam_id: string; accounts: string[] };
