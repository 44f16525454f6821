// The construct library for iamsession stacks: what example stacks and users import.
export { AccountSettings, DataIamsessionAccountSettings, IamsessionProvider } from "./bindings.ts";
export { Duration } from "./duration.ts";
export { LoginSessionPolicy, type LoginSessionPolicyProps } from "./login-session-policy.ts";
export { PolicyPresets, type PolicyPresetName } from "./presets.ts";
export { SessionPolicyGuard, type SessionPolicyLimits, type SessionPolicyViolation } from "./session-policy-guard.ts";
export { NOT_SET, UNLIMITED, type SessionSettings } from "./setting-values.ts";
