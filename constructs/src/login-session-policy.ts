// LoginSessionPolicy: one set of login-session settings in human units, applied to one account or many (one
// iamsession_account_settings resource per account). Invalid values fail synthesis with every problem named,
// rather than throwing at the first, so one synth shows everything to fix.
import { Annotations, Token, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  DestroyBehavior,
  IDLE_BEYOND_LIFETIME_WHY,
  MAX_SESSIONS_EXCEEDED_ACTION_FACTS,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
} from "./generated/model.js";
import { PolicyPreset, PolicyPresets } from "./presets.js";
import { AccountSettings } from "./provider/account-settings/index.js";
import {
  FIELD_SETTINGS,
  SESSION_SETTING_FIELDS,
  effectiveNumber,
  humanAmount,
  toActionValue,
  toSettingValue,
  type SessionSettings,
} from "./setting-values.js";

/** What a LoginSessionPolicy applies, and to which accounts. */
export interface LoginSessionPolicyProps extends SessionSettings {
  /** The account (or accounts) the policy applies to. */
  readonly accounts: string | string[];
  /** A preset to start from: the settings given explicitly here override the preset's. */
  readonly preset?: PolicyPreset;
  /** The provider configuration to use, when the stack has more than one. */
  readonly provider?: TerraformProvider;
  /**
   * What destroying the stack does to the accounts' settings: RESET (the provider's default) returns them to
   * NOT_SET; ABANDON leaves them as they are (for handing accounts over to another stack).
   */
  readonly destroyBehavior?: DestroyBehavior;
}

/** Where each setting goes in the generated binding's configuration. */
const BINDING_KEYS: Record<string, string> = {
  session_expiration_in_seconds: "sessionExpirationInSeconds",
  session_invalidation_in_seconds: "sessionInvalidationInSeconds",
  max_sessions_per_identity: "maxSessionsPerIdentity",
  max_sessions_exceeded_action: "maxSessionsExceededAction",
};

/** One set of login-session settings, written to every listed account (an iamsession_account_settings each). */
export class LoginSessionPolicy extends Construct {
  /** The canonical strings written to every account, by attribute (only the fields that were given and are valid). */
  public readonly values: Record<string, string>;
  /** The accounts the policy manages, in order, each once. */
  public readonly accountIds: string[];
  private readonly byAccount = new Map<string, AccountSettings>();

  public constructor(scope: Construct, id: string, props: LoginSessionPolicyProps) {
    super(scope, id);
    const problems: string[] = [];
    let base: SessionSettings = {};
    if (props.preset !== undefined) {
      if ((Object.values(PolicyPreset) as string[]).includes(props.preset)) base = PolicyPresets.of(props.preset);
      else problems.push(`preset: must be one of ${Object.values(PolicyPreset).map((p) => JSON.stringify(p)).join(", ")}, got ${JSON.stringify(props.preset)}`);
    }
    const values: Record<string, string> = {};
    for (const field of SESSION_SETTING_FIELDS) {
      const given = props[field] !== undefined ? props[field] : base[field];
      if (given === undefined) continue;
      const def = FIELD_SETTINGS[field];
      const converted = toSettingValue(field, def, given);
      if (converted.ok) values[def.name] = converted.value;
      else problems.push(converted.message);
    }
    const action = props.maxSessionsExceededAction !== undefined ? props.maxSessionsExceededAction : base.maxSessionsExceededAction;
    if (action !== undefined) {
      const converted = toActionValue(action);
      if (converted.ok) values[MAX_SESSIONS_EXCEEDED_ACTION_FACTS.name] = converted.value;
      else problems.push(converted.message);
    }
    this.values = values;
    const behaviors = Object.values(DestroyBehavior) as string[];
    if (props.destroyBehavior !== undefined && !behaviors.includes(props.destroyBehavior)) {
      problems.push(`destroyBehavior: must be ${behaviors.map((b) => JSON.stringify(b)).join(" or ")}, got ${JSON.stringify(props.destroyBehavior)}`);
    }

    const accounts = typeof props.accounts === "string" ? [props.accounts] : [...(props.accounts ?? [])];
    if (accounts.length === 0) problems.push("accounts: at least one account id is needed");
    const seen = new Set<string>();
    accounts.forEach((accountId, index) => {
      const isToken = Token.isUnresolved(accountId);
      if (!isToken) {
        if (typeof accountId !== "string" || !ACCOUNT_ID_PATTERN.test(accountId)) {
          problems.push(`accounts[${index}]: account_id must be ${ACCOUNT_ID_RULE}; got ${JSON.stringify(accountId)}`);
        }
        if (seen.has(accountId)) {
          // Two resources for one account would overwrite each other on every apply.
          problems.push(`accounts[${index}]: account ${JSON.stringify(accountId)} is listed more than once`);
          return;
        }
        seen.add(accountId);
      }
      const config: Record<string, unknown> = { accountId, provider: props.provider, destroyBehavior: props.destroyBehavior };
      for (const [name, value] of Object.entries(values)) config[BINDING_KEYS[name]!] = value;
      // A token cannot name a construct; its position can.
      const resource = new AccountSettings(this, isToken ? `account-${index}` : accountId, config as any);
      this.byAccount.set(accountId, resource);
    });
    this.accountIds = [...this.byAccount.keys()];

    this.node.addValidation({ validate: () => problems });
    this.warnIdleBeyondLifetime(values);
  }

  /** The account settings resource for one account, if the policy manages it. */
  public resourceFor(accountId: string): AccountSettings | undefined {
    return this.byAccount.get(accountId);
  }

  /** Every account settings resource of the policy, in account order. */
  public get resources(): AccountSettings[] {
    return [...this.byAccount.values()];
  }

  /** The provider warns about the same rule (schemas/setting-rules.ts) at plan time; synth time is earlier and cheaper. */
  private warnIdleBeyondLifetime(values: Record<string, string>): void {
    const idle = values[SESSION_INVALIDATION.name];
    const lifetime = values[SESSION_EXPIRATION.name];
    if (idle === undefined || lifetime === undefined) return;
    const idleSeconds = effectiveNumber(SESSION_INVALIDATION, idle);
    const lifetimeSeconds = effectiveNumber(SESSION_EXPIRATION, lifetime);
    if (idleSeconds > lifetimeSeconds) {
      Annotations.of(this).addWarning(
        `maxIdle (${humanAmount(SESSION_INVALIDATION, idleSeconds)}) is longer than maxLifetime ` +
          `(${humanAmount(SESSION_EXPIRATION, lifetimeSeconds)}): ${IDLE_BEYOND_LIFETIME_WHY}`,
      );
    }
  }
}
