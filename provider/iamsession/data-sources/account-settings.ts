// Data source iamsession_account_settings: reads one account's login-session settings.
import { checkAccountId } from "../../../schemas/identifiers.ts";
import type { DataSource } from "../../framework/index.ts";
import type { IamsessionClient } from "../../../client/index.ts";
import { withDiagnostic } from "../errors.ts";
import { computedSettingAttributes } from "../settings-attributes.ts";
import { accountSettingsObject } from "../state.ts";

export function accountSettingsDataSource(): DataSource<IamsessionClient> {
  return {
    typeName: "iamsession_account_settings",
    schema: {
      version: 0,
      description: "Reads the login-session settings of one account, as stored (`NOT_SET` where the service default applies).",
      attributes: {
        id: { type: "string", description: "The account id.", computed: true },
        account_id: {
          type: "string",
          description: "The account to read.",
          required: true,
          validators: [checkAccountId],
        },
        ...computedSettingAttributes(),
        entity_tag: { type: "string", description: "The settings' current entity tag.", computed: true },
      },
    },

    async read(ctx, config) {
      const accountId = config.account_id as string;
      const s = await withDiagnostic(
        () => ctx.providerData.getAccountSettings(accountId),
        `Reading the settings of account ${accountId}`,
      );
      return accountSettingsObject(s);
    },
  };
}
