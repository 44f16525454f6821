// LoginSessionPolicy: one set of login-session settings in human units, applied to one account or many (one
// iamsession_account_settings resource per account). Invalid values fail synthesis with every problem named,
// rather than throwing at the first, so one synth shows everything to fix.
import { Annotations, Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { checkAccountId } from "../../schemas/identifiers.ts";
import { DESTROY_BEHAVIORS, isDestroyBehavior, type DestroyBehavior } from "../../schemas/owners.ts";
import { idleBeyondLifetime } from "../../schemas/setting-rules.ts";
import type { NumericSettingName, SettingName } from "../../schemas/settings.ts";
import { AccountSettings, type AccountSettingsConfig } from "./bindings.ts";
import {
  FIELD_SETTINGS,
  SESSION_SETTING_FIELDS,
  humanAmount,
  toSettingValue,
  type SessionSettings,
} from "./setting-values.ts";

export interface LoginSessionPolicyProps extends SessionSettings {
  /** The account (or accounts) the policy applies to. */
  readonly accounts: string | readonly string[];
  /** The provider configuration to use, when the stack has more than one. */
  readonly provider?: TerraformProvider;
  /**
   * What destroying the stack does to the accounts' settings: "reset" (the provider's default) returns them to
   * NOT_SET; "abandon" leaves them as they are (for handing accounts over to another stack).
   */
  readonly destroyBehavior?: DestroyBehavior;
}

/** Where each setting goes in the generated binding's configuration. */
const BINDING_KEYS: Record<NumericSettingName, keyof AccountSettingsConfig> = {
  session_expiration_in_seconds: "sessionExpirationInSeconds",
  session_invalidation_in_seconds: "sessionInvalidationInSeconds",
  max_sessions_per_identity: "maxSessionsPerIdentity",
};

export class LoginSessionPolicy extends Construct {
  /** The canonical strings written to every account (only the fields that were given and are valid). */
  readonly values: Readonly<Partial<Record<SettingName, string>>>;
  readonly accountIds: readonly string[];
  private readonly byAccount = new Map<string, AccountSettings>();

  constructor(scope: Construct, id: string, props: LoginSessionPolicyProps) {
    super(scope, id);
    const problems: string[] = [];
    const values: Partial<Record<SettingName, string>> = {};
    for (const field of SESSION_SETTING_FIELDS) {
      if (props[field] === undefined) continue;
      const converted = toSettingValue(field, props[field]);
      if (converted.ok) values[FIELD_SETTINGS[field].name as SettingName] = converted.value;
      else problems.push(converted.message);
    }
    this.values = values;
    if (props.destroyBehavior !== undefined && !isDestroyBehavior(props.destroyBehavior)) {
      const valid = DESTROY_BEHAVIORS.map((b) => JSON.stringify(b)).join(" or ");
      problems.push(`destroyBehavior: must be ${valid}, got ${JSON.stringify(props.destroyBehavior)}`);
    }

    const accounts = typeof props.accounts === "string" ? [props.accounts] : [...(props.accounts ?? [])];
    if (accounts.length === 0) problems.push("accounts: at least one account id is needed");
    const seen = new Set<string>();
    accounts.forEach((accountId, index) => {
      const isToken = Token.isUnresolved(accountId);
      if (!isToken) {
        const problem = checkAccountId(accountId);
        if (problem) problems.push(`accounts[${index}]: ${problem}`);
        if (seen.has(accountId)) {
          // Two resources for one account would overwrite each other on every apply.
          problems.push(`accounts[${index}]: account ${JSON.stringify(accountId)} is listed more than once`);
          return;
        }
        seen.add(accountId);
      }
      const config: Record<string, unknown> = { accountId, provider: props.provider, destroyBehavior: props.destroyBehavior };
      for (const [name, value] of Object.entries(values)) config[BINDING_KEYS[name as NumericSettingName]] = value;
      // A token cannot name a construct; its position can.
      const resource = new AccountSettings(this, isToken ? `account-${index}` : accountId, config as unknown as AccountSettingsConfig);
      this.byAccount.set(accountId, resource);
    });
    this.accountIds = [...this.byAccount.keys()];

    this.node.addValidation({ validate: () => problems });
    this.warnIdleBeyondLifetime(values);
  }

  /** The account settings resource for one account. */
  resourceFor(accountId: string): AccountSettings | undefined {
    return this.byAccount.get(accountId);
  }

  get resources(): AccountSettings[] {
    return [...this.byAccount.values()];
  }

  /** The provider warns about the same rule at plan time; saying it at synth time is earlier and cheaper. */
  private warnIdleBeyondLifetime(values: Partial<Record<SettingName, string>>): void {
    const found = idleBeyondLifetime(values);
    if (!found) return;
    const { idle, lifetime } = found;
    Annotations.of(this).addWarning(
      `maxIdle (${humanAmount(idle.def, idle.seconds)}) is longer than maxLifetime ` +
        `(${humanAmount(lifetime.def, lifetime.seconds)}): sessions end at their maximum lifetime first, so ` +
        "the idle limit has no effect",
    );
  }
}
