// The construct library for iamsession stacks: what stacks import, in TypeScript and (through jsii) Python.
export { Duration } from "./duration.js";
export { DestroyBehavior, MaxSessionsExceededAction } from "./generated/model.js";
export { LoginSessionPolicy, type LoginSessionPolicyProps } from "./login-session-policy.js";
export { PolicyPreset, PolicyPresets } from "./presets.js";
export { SessionPolicyGuard, type SessionPolicyLimits, type SessionPolicyViolation } from "./session-policy-guard.js";
export { SettingValue, type SessionSettings } from "./setting-values.js";
export * from "./provider/account-settings/index.js";
export * from "./provider/data-iamsession-account-settings/index.js";
export * from "./provider/data-iamsession-effective-settings/index.js";
export * from "./provider/enterprise-settings/index.js";
export * from "./provider/provider/index.js";
export * from "./provider/trusted-profile/index.js";

import { SettingValue as Values } from "./setting-values.js";
/** TypeScript shorthand for SettingValue.NOT_SET (jsii languages use the class constant). */
export const NOT_SET = Values.NOT_SET;
/** TypeScript shorthand for SettingValue.UNLIMITED. */
export const UNLIMITED = Values.UNLIMITED;
