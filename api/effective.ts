// Effective settings (issue #6), as pure functions of the stored values: no database, no HTTP, so the rules can be
// tested on a table of cases (test/api/effective.test.ts).
//
//   account:  the stricter of the enterprise's and the account's value (smaller number; a limit beats unlimited).
//             An enterprise NOT_SET, or no enterprise, leaves the account's value; both NOT_SET: the service default.
//             A tie between enterprise and account (or between an enterprise and the default it equals) is credited
//             to the enterprise.
//   identity: the lowest effective value over every account the identity belongs to; ties go to the smallest
//             account id. An identity in no account gets the defaults, with account_id null.
import {
  NOT_SET,
  SETTINGS,
  effectiveNumber,
  type SettingDefinition,
  type SettingName,
  type SettingsValues,
} from "../schemas/settings.ts";
import { ANOTHER_ACCOUNT, type EffectiveSettings, type EffectiveSource, type EffectiveValue } from "../schemas/wire.ts";

export type { EffectiveSettings, EffectiveSource, EffectiveValue };


export interface AccountLevels {
  accountId: string;
  account: SettingsValues;
  /** The linked enterprise and its settings, or null when the account has none. */
  enterprise: { enterpriseId: string; values: SettingsValues } | null;
}

interface Resolved extends EffectiveValue {
  number: number;
}

export function formatEffective(n: number): string {
  return n === Infinity ? "unlimited" : String(n);
}

function resolveOne(def: SettingDefinition, levels: AccountLevels): Resolved {
  const name = def.name as SettingName;
  const accountValue = levels.account[name];
  // The account's own answer: its value, or the default when NOT_SET.
  let best: Resolved =
    accountValue === NOT_SET
      ? { number: effectiveNumber(def, NOT_SET), value: "", source: "default", source_id: null, account_id: levels.accountId }
      : { number: effectiveNumber(def, accountValue), value: "", source: "account", source_id: levels.accountId, account_id: levels.accountId };
  const enterpriseValue = levels.enterprise?.values[name] ?? NOT_SET;
  if (levels.enterprise && enterpriseValue !== NOT_SET) {
    const n = effectiveNumber(def, enterpriseValue);
    if (n <= best.number) {
      best = { number: n, value: "", source: "enterprise", source_id: levels.enterprise.enterpriseId, account_id: levels.accountId };
    }
  }
  return { ...best, value: formatEffective(best.number) };
}

function strip({ number: _n, ...value }: Resolved): EffectiveValue {
  return value;
}

/** The effective settings of one account. */
export function effectiveForAccount(levels: AccountLevels): EffectiveSettings {
  return Object.fromEntries(SETTINGS.map((def) => [def.name, strip(resolveOne(def, levels))])) as EffectiveSettings;
}

/** The effective settings of an identity: per setting, the lowest over its accounts (ties: smallest account id). */
export function effectiveForIdentity(accounts: readonly AccountLevels[]): EffectiveSettings {
  const sorted = [...accounts].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  return Object.fromEntries(
    SETTINGS.map((def) => {
      let best: Resolved | undefined;
      for (const levels of sorted) {
        const r = resolveOne(def, levels);
        if (!best || r.number < best.number) best = r;
      }
      const value: EffectiveValue = best
        ? strip(best)
        : { value: formatEffective(effectiveNumber(def, NOT_SET)), source: "default", source_id: null, account_id: null };
      return [def.name, value];
    }),
  ) as EffectiveSettings;
}

/**
 * An identity's effective settings as a caller that sees only some of its accounts may be told (issue #11): the
 * values stay (they are what applies to the identity), but an account the caller may not see — its id, its
 * enterprise, its own values — is replaced by ANOTHER_ACCOUNT. A value a visible account ties with is credited to
 * the visible one.
 */
export function effectiveForIdentityAs(
  accounts: readonly AccountLevels[],
  visible: (accountId: string) => boolean,
): { accounts: string[]; settings: EffectiveSettings } {
  const all = effectiveForIdentity(accounts);
  const seen = accounts.filter((a) => visible(a.accountId));
  const mine = seen.length > 0 ? effectiveForIdentity(seen) : undefined;
  const settings = Object.fromEntries(
    SETTINGS.map((def) => {
      const v = all[def.name as SettingName];
      if (v.account_id === null || visible(v.account_id)) return [def.name, v];
      const tie = mine?.[def.name as SettingName];
      if (tie && tie.value === v.value) return [def.name, tie];
      const redacted: EffectiveValue = { value: v.value, source: "another_account", source_id: ANOTHER_ACCOUNT, account_id: ANOTHER_ACCOUNT };
      return [def.name, redacted];
    }),
  ) as EffectiveSettings;
  const ids = [...accounts.map((a) => a.accountId)].sort();
  const shown = ids.filter(visible);
  return { accounts: shown.length < ids.length ? [...shown, ANOTHER_ACCOUNT] : shown, settings };
}
