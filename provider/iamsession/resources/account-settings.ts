// Resource iamsession_account_settings: the login-session settings of one account.
// An account cannot be deleted, so "destroy" resets its three settings to NOT_SET.
import { NOT_SET, SETTING_NAMES, type SettingName } from "../../../schemas/settings.ts";
import { checkAccountId } from "../../../schemas/identifiers.ts";
import { DiagnosticError, type ObjectValue, type Resource, type ResourceContext } from "../../framework/types.ts";
import type { AccountSettings, IamsessionClient } from "../client.ts";
import { ApiError } from "../client.ts";
import { toDiagnostic, withDiagnostic } from "../errors.ts";
import { settingAttributes, warnIdleBeyondLifetime } from "../settings-attributes.ts";
import { describeLatestChange } from "../history.ts";
import { accountSettingsObject } from "../state.ts";

type Ctx = ResourceContext<IamsessionClient>;

export function accountSettingsResource(): Resource<IamsessionClient> {
  return {
    typeName: "iamsession_account_settings",
    schema: {
      version: 0,
      description:
        "The login-session limits of one account. Settings left out of the configuration are left as the server " +
        "has them. An account cannot be deleted: destroying this resource resets all three settings to `NOT_SET` " +
        "(the service defaults).",
      attributes: {
        id: { type: "string", description: "The account id.", computed: true, useStateForUnknown: true },
        account_id: {
          type: "string",
          description: "The account whose settings are managed. Changing it replaces the resource.",
          required: true,
          requiresReplace: true,
          validators: [checkAccountId],
        },
        ...settingAttributes(),
        entity_tag: {
          type: "string",
          description: "The settings' current entity tag; every write is guarded by it (If-Match).",
          computed: true,
        },
      },
    },

    validateConfig: warnIdleBeyondLifetime,

    async create(ctx, planned, config) {
      const accountId = planned.account_id as string;
      const current = await withDiagnostic(() => ctx.providerData.getAccountSettings(accountId), "Reading the account's settings");
      return accountSettingsObject(await writeSettings(ctx, current, configuredChanges(config, current)));
    },

    async read(ctx, state) {
      const accountId = state.account_id as string;
      try {
        return accountSettingsObject(await ctx.providerData.getAccountSettings(accountId));
      } catch (err) {
        // The account is gone or no longer visible to this token: the CLI plans a create.
        if (err instanceof ApiError && err.status === 404) return null;
        throw toDiagnostic(err, `Reading the settings of account ${accountId}`);
      }
    },

    async update(ctx, planned, prior, config) {
      const current = await readUnchangedSince(ctx, prior);
      return accountSettingsObject(await writeSettings(ctx, current, configuredChanges(config, current)));
    },

    async delete(ctx, prior) {
      const current = await readUnchangedSince(ctx, prior);
      const reset = Object.fromEntries(SETTING_NAMES.map((n) => [n, NOT_SET])) as Record<SettingName, string>;
      await writeSettings(ctx, current, changesFrom(current, reset));
    },

    importState(_ctx, id) {
      const problem = checkAccountId(id);
      if (problem) {
        throw new DiagnosticError("Invalid import id", `The import id is the account id. ${problem}`);
      }
      return { id, account_id: id, ...nullSettings(), entity_tag: null };
    },
  };
}

function nullSettings(): Record<SettingName, null> {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, null])) as Record<SettingName, null>;
}

/** The settings the configuration sets (known, non-null) that differ from the server's. */
function configuredChanges(config: ObjectValue, current: AccountSettings): Partial<Record<SettingName, string>> {
  const wanted: Partial<Record<SettingName, string>> = {};
  for (const n of SETTING_NAMES) {
    const v = config[n];
    if (typeof v === "string") wanted[n] = v;
  }
  return changesFrom(current, wanted);
}

function changesFrom(
  current: AccountSettings,
  wanted: Partial<Record<SettingName, string>>,
): Partial<Record<SettingName, string>> {
  return Object.fromEntries(Object.entries(wanted).filter(([n, v]) => current[n as SettingName] !== v));
}

/**
 * Reads the settings and refuses to go on when they changed since Terraform last saw them (the entity tag in
 * state): the plan was made against other values, and writing now would silently overwrite somebody's change.
 */
async function readUnchangedSince(ctx: Ctx, prior: ObjectValue): Promise<AccountSettings> {
  const accountId = prior.account_id as string;
  const current = await withDiagnostic(
    () => ctx.providerData.getAccountSettings(accountId, true),
    `Reading the settings of account ${accountId}`,
  );
  if (typeof prior.entity_tag === "string" && prior.entity_tag !== current.entity_tag) {
    throw concurrentChange(accountId, prior.entity_tag, current);
  }
  return current;
}

/** PUT with If-Match on the entity tag just read; a 412 means someone wrote in between, and nothing was changed. */
async function writeSettings(
  ctx: Ctx,
  current: AccountSettings,
  changes: Partial<Record<SettingName, string>>,
): Promise<AccountSettings> {
  if (Object.keys(changes).length === 0) return current;
  const accountId = current.account_id;
  try {
    return await ctx.providerData.putAccountSettings(accountId, current.entity_tag, changes);
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      const latest = await ctx.providerData.getAccountSettings(accountId, true).catch(() => undefined);
      throw concurrentChange(accountId, current.entity_tag, latest);
    }
    throw toDiagnostic(err, `Writing the settings of account ${accountId}`);
  }
}

function concurrentChange(accountId: string, expectedTag: string, latest: AccountSettings | undefined): DiagnosticError {
  const who = latest ? describeLatestChange(latest) : "someone else";
  return new DiagnosticError(
    `The settings of account ${accountId} were changed outside this run`,
    `They were changed by ${who} after Terraform last read them (entity tag ${expectedTag}` +
      `${latest ? `, now ${latest.entity_tag}` : ""}). Nothing was written, so that change is kept. ` +
      "Run plan again to see the difference, then apply.",
  );
}
