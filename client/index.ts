// The iamsession API client: what the provider, the drift check, the benchmarks and the tests import.
export { IamsessionClient, type AccountSettings, type OwnerSettings, type SettingsChanges, type TrustedProfileChanges } from "./client.ts";
export { ApiError, CertificateError, ConnectionError, UncertainWriteError, type CertificateProblem } from "./errors.ts";
export type { ClientOptions, RequestLog } from "./request.ts";
export type {
  AccountEffectiveSettings,
  EffectiveValue as EffectiveSetting,
  HistoryEntry,
  IdentityEffectiveSettings,
  TrustedProfile,
} from "../schemas/wire.ts";
export type { OwnerKind } from "../schemas/owners.ts";
