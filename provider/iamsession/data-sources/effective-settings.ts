// Data source iamsession_effective_settings: the limits that really apply to an account (the stricter of its own
// and its enterprise's) or to an identity (the lowest over every account it belongs to), each with where it came
// from. Read-only; computed by the API on every request.
import { checkAccountId, checkIamId } from "../../../schemas/identifiers.ts";
import { MAX_SESSIONS_EXCEEDED_ACTION, SETTINGS, SETTING_NAMES, describeValidChoices, type SettingName } from "../../../schemas/settings.ts";
import {
  DiagnosticError,
  isUnknown,
  type AttributeSchema,
  type CtyType,
  type DataSource,
  type ObjectValue,
} from "../../framework/index.ts";
import type { EffectiveSetting, IamsessionClient } from "../../../client/index.ts";
import type { EffectiveSettings } from "../../../schemas/wire.ts";
import { withDiagnostic } from "../errors.ts";

/** The type of each setting's attribute: the value and its provenance. */
export const EFFECTIVE_SETTING_TYPE: CtyType = [
  "object",
  { value: "string", source: "string", source_id: "string", account_id: "string" },
];

const KEYS = ["account_id", "iam_id"] as const;

function effectiveAttributes(): Record<SettingName, AttributeSchema> {
  return Object.fromEntries(
    (SETTINGS.map((def) => [
      def.name,
      {
        type: EFFECTIVE_SETTING_TYPE,
        description:
          `The effective ${def.title.toLowerCase()} (\`${def.name}\`). \`value\`: the number that applies, as a ` +
          `string${def.serviceDefault === "unlimited" ? ', or `"unlimited"` when no level limits it' : ""}; ` +
          "`source`: `account`, `enterprise` or `default` (the service default), or `another_account` for an " +
          "identity's account the token may not see; `source_id`: the account or enterprise id that set it (null for " +
          "the default); `account_id`: the account whose answer it is (for an identity, the account that made it " +
          'lowest; null for an identity in no account). An account the token may not see reads `"(another account)"`.',
        computed: true,
      } satisfies AttributeSchema,
    ]) as Array<[string, AttributeSchema]>).concat([
      [
        MAX_SESSIONS_EXCEEDED_ACTION.name,
        {
          type: EFFECTIVE_SETTING_TYPE,
          description:
            `The effective \`${MAX_SESSIONS_EXCEEDED_ACTION.name}\`: what a login does at the concurrent-session limit. ` +
            `\`value\`: ${describeValidChoices(MAX_SESSIONS_EXCEEDED_ACTION).replace(/, or "NOT_SET"$/, "")}; it comes from the level whose ` +
            "`max_sessions_per_identity` is effective (`source`, `source_id` and `account_id` as for the other settings; " +
            "`source` is `default` when that level leaves the action `NOT_SET`).",
          computed: true,
        } satisfies AttributeSchema,
      ],
    ]),
  ) as Record<SettingName, AttributeSchema>;
}

export function effectiveSettingsDataSource(): DataSource<IamsessionClient> {
  return {
    typeName: "iamsession_effective_settings",
    schema: {
      version: 0,
      description:
        "Reads the login-session limits that really apply, with where each comes from: for an account, the " +
        "stricter of the account's and its enterprise's settings (the service default where both are `NOT_SET`); " +
        "for an identity, the lowest effective value over every account it belongs to. Set exactly one of " +
        "`account_id` and `iam_id`.",
      attributes: {
        account_id: {
          type: "string",
          description: "The account to read. Exactly one of `account_id` and `iam_id` is required.",
          optional: true,
          validators: [checkAccountId],
        },
        iam_id: {
          type: "string",
          description: "The identity (IAM id) to read. Exactly one of `account_id` and `iam_id` is required.",
          optional: true,
          validators: [checkIamId],
        },
        enterprise_id: {
          type: "string",
          description: "The enterprise the account belongs to; null when it belongs to none, and for an identity.",
          computed: true,
        },
        accounts: {
          type: ["list", "string"],
          description:
            'The accounts considered: the identity\'s accounts the token may see (then `"(another account)"` once if it ' +
            "belongs to others), or the one account.",
          computed: true,
        },
        ...effectiveAttributes(),
      },
    },

    validateConfig({ config, diagnostics }) {
      // Only decided when both are known: an unknown value is checked again at read time.
      if (KEYS.some((k) => config[k] !== null && isUnknown(config[k]))) return;
      const problem = exactlyOne(config);
      if (problem) diagnostics.error(problem.summary, problem.detail, problem.attribute);
    },

    async read(ctx, config) {
      const problem = exactlyOne(config);
      if (problem) throw problem;
      const client = ctx.providerData;
      if (typeof config.account_id === "string") {
        const accountId = config.account_id;
        const e = await withDiagnostic(
          () => client.getAccountEffectiveSettings(accountId),
          `Reading the effective settings of account ${accountId}`,
        );
        return { account_id: accountId, iam_id: null, enterprise_id: e.enterprise_id ?? null, accounts: [accountId], ...settingsOf(e) };
      }
      const iamId = config.iam_id as string;
      const e = await withDiagnostic(
        () => client.getIdentityEffectiveSettings(iamId),
        `Reading the effective settings of identity ${iamId}`,
      );
      return { account_id: null, iam_id: iamId, enterprise_id: null, accounts: [...(e.accounts ?? [])], ...settingsOf(e) };
    },
  };
}

function exactlyOne(config: ObjectValue): DiagnosticError | undefined {
  const set = KEYS.filter((k) => config[k] !== null && config[k] !== undefined);
  if (set.length === 1) return undefined;
  if (set.length === 0) {
    return new DiagnosticError(
      "Missing account_id or iam_id",
      'Set exactly one of "account_id" (the effective settings of an account) and "iam_id" (of an identity).',
      ["account_id"],
    );
  }
  return new DiagnosticError(
    "Conflicting account_id and iam_id",
    'Set exactly one of "account_id" and "iam_id", not both: an account\'s and an identity\'s effective settings ' +
      "are read separately.",
    ["iam_id"],
  );
}

function settingsOf(e: EffectiveSettings): Record<SettingName, ObjectValue> {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, provenance(e[n])])) as Record<SettingName, ObjectValue>;
}

function provenance(s: EffectiveSetting | undefined): ObjectValue {
  return {
    value: s?.value ?? null,
    source: s?.source ?? null,
    source_id: s?.source_id ?? null,
    account_id: s?.account_id ?? null,
  };
}
