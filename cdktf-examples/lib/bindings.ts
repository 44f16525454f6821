// The one import point for the generated bindings (../.gen, produced by `npm run generate`). The modules are
// imported one by one: the generated provider index uses extension-less re-exports that ESM cannot load.
export { AccountSettings, type AccountSettingsConfig } from "../.gen/providers/iamsession/account-settings/index.ts";
export {
  DataIamsessionAccountSettings,
  type DataIamsessionAccountSettingsConfig,
} from "../.gen/providers/iamsession/data-iamsession-account-settings/index.ts";
export { IamsessionProvider, type IamsessionProviderConfig } from "../.gen/providers/iamsession/provider/index.ts";
