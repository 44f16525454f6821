// Compile-time check that the zod schemas (which validate and document the API) describe exactly the response
// types in schemas/wire.ts (which the provider, the drift check and the tests read). `tsc` fails on a difference.
import type { z } from "@hono/zod-openapi";
import type {
  AccountEffectiveSettings,
  EffectiveValue,
  HistoryEntry,
  IdentityEffectiveSettings,
  TrustedProfile,
} from "../schemas/wire.ts";
import type {
  AccountEffectiveSettingsSchema,
  EffectiveValueSchema,
  HistoryEntrySchema,
  IdentityEffectiveSettingsSchema,
  TrustedProfileSchema,
} from "./schemas.ts";
import type { CurrentSessionBody, SessionBody, SessionListBody, SessionLimitsBody } from "../schemas/session-wire.ts";
import type { CurrentSessionSchema, SessionLimitsSchema, SessionListSchema, SessionSchema } from "./session-schemas.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type WireChecks = [
  Assert<Same<z.infer<typeof HistoryEntrySchema>, HistoryEntry>>,
  Assert<Same<z.infer<typeof TrustedProfileSchema>, TrustedProfile>>,
  Assert<Same<z.infer<typeof EffectiveValueSchema>, EffectiveValue>>,
  Assert<Same<z.infer<typeof AccountEffectiveSettingsSchema>, AccountEffectiveSettings>>,
  Assert<Same<z.infer<typeof IdentityEffectiveSettingsSchema>, IdentityEffectiveSettings>>,
  Assert<Same<z.infer<typeof SessionSchema>, SessionBody>>,
  Assert<Same<z.infer<typeof SessionLimitsSchema>, SessionLimitsBody>>,
  Assert<Same<z.infer<typeof CurrentSessionSchema>, CurrentSessionBody>>,
  Assert<Same<z.infer<typeof SessionListSchema>, SessionListBody>>,
];
