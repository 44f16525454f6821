// Effective settings (issue #6), as pure functions of the stored values: no database, no HTTP, so the rules can be
// tested on a table of cases (test/api/effective.test.ts).
//
//   account:  the stricter of the enterprise's and the account's value (smaller number; a limit beats unlimited).
//             An enterprise NOT_SET, or no enterprise, leaves the account's value; both NOT_SET: the service default.
//             A tie between enterprise and account (or between an enterprise and the default it equals) is credited
//             to the enterprise.
//   identity: the lowest effective value over every account the identity belongs to; ties go to the smallest
//             account id. An identity in no account gets the defaults, with account_id null.
//   max_sessions_exceeded_action: taken from the level whose max_sessions_per_identity is effective (its own value,
//             or the service default when that level leaves it NOT_SET); from the default when no level limits.
import {
  MAX_SESSIONS_EXCEEDED_ACTION,
  MAX_SESSIONS_PER_IDENTITY,
  NOT_SET,
  SETTINGS,
  effectiveChoice,
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

/** The action of the level that decided max_sessions_per_identity (`max`), with the same provenance. */
function actionFrom(max: EffectiveValue, levels: readonly AccountLevels[]): EffectiveValue {
  const decider = levels.find((l) => l.accountId === max.account_id);
  const name = MAX_SESSIONS_EXCEEDED_ACTION.name as SettingName;
  const stored =
    max.source === "account" ? (decider?.account[name] ?? NOT_SET) : max.source === "enterprise" ? (decider?.enterprise?.values[name] ?? NOT_SET) : NOT_SET;
  const value = effectiveChoice(MAX_SESSIONS_EXCEEDED_ACTION, stored);
  return stored === NOT_SET
    ? { value, source: "default", source_id: null, account_id: max.account_id }
    : { value, source: max.source, source_id: max.source_id, account_id: max.account_id };
}

function withAction(numeric: Omit<EffectiveSettings, "max_sessions_exceeded_action">, levels: readonly AccountLevels[]): EffectiveSettings {
  const max = numeric[MAX_SESSIONS_PER_IDENTITY.name as "max_sessions_per_identity"];
  return { ...numeric, max_sessions_exceeded_action: actionFrom(max, levels) };
}

/** The effective settings of one account. */
export function effectiveForAccount(levels: AccountLevels): EffectiveSettings {
  return withAction(Object.fromEntries(SETTINGS.map((def) => [def.name, strip(resolveOne(def, levels))])) as EffectiveSettings, [levels]);
}

/** The effective settings of an identity: per setting, the lowest over its accounts (ties: smallest account id). */
export function effectiveForIdentity(accounts: readonly AccountLevels[]): EffectiveSettings {
  const sorted = [...accounts].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  return withAction(Object.fromEntries(
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
  ) as EffectiveSettings, sorted);
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
  // The action follows the level of max_sessions_per_identity: the same account is shown, credited or hidden.
  const max = all.max_sessions_per_identity;
  const action = all.max_sessions_exceeded_action;
  const shownMax = settings.max_sessions_per_identity;
  settings.max_sessions_exceeded_action =
    max.account_id === null || visible(max.account_id)
      ? action
      : shownMax.source !== "another_account" && mine
        ? mine.max_sessions_exceeded_action
        : { value: action.value, source: "another_account", source_id: ANOTHER_ACCOUNT, account_id: ANOTHER_ACCOUNT };
  const ids = [...accounts.map((a) => a.accountId)].sort();
  const shown = ids.filter(visible);
  return { accounts: shown.length < ids.length ? [...shown, ANOTHER_ACCOUNT] : shown, settings };
}
