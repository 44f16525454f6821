// Requests off the wire (wire.ts) into typed requests (rpcs.ts). Absent fields get their proto3 defaults, so
// handlers never see undefined: an absent value decodes as null, absent bytes are empty.
import type * as rpc from "./rpcs.ts";
import { DynamicValue, RawState } from "./values.ts";
import type { WireDynamicValue, WireRequests } from "./wire.ts";

const NO_BYTES = new Uint8Array();

const dynamicValue = (w: WireDynamicValue | undefined) => new DynamicValue(w?.msgpack, w?.json);

export const validateProviderConfigRequest = (w: WireRequests["ValidateProviderConfig"]): rpc.ValidateProviderConfigRequest => ({
  config: dynamicValue(w.config),
});

export const validateResourceConfigRequest = (w: WireRequests["ValidateResourceConfig"]): rpc.ValidateResourceConfigRequest => ({
  typeName: w.type_name ?? "",
  config: dynamicValue(w.config),
});

export const validateDataResourceConfigRequest = (
  w: WireRequests["ValidateDataResourceConfig"],
): rpc.ValidateDataResourceConfigRequest => ({
  typeName: w.type_name ?? "",
  config: dynamicValue(w.config),
});

export const configureProviderRequest = (w: WireRequests["ConfigureProvider"]): rpc.ConfigureProviderRequest => ({
  terraformVersion: w.terraform_version ?? "",
  config: dynamicValue(w.config),
});

export const upgradeResourceStateRequest = (w: WireRequests["UpgradeResourceState"]): rpc.UpgradeResourceStateRequest => ({
  typeName: w.type_name ?? "",
  version: Number(w.version ?? 0),
  rawState: new RawState(w.raw_state?.json, w.raw_state?.flatmap ?? {}),
});

export const readResourceRequest = (w: WireRequests["ReadResource"]): rpc.ReadResourceRequest => ({
  typeName: w.type_name ?? "",
  currentState: dynamicValue(w.current_state),
  private: w.private ?? NO_BYTES,
});

export const planResourceChangeRequest = (w: WireRequests["PlanResourceChange"]): rpc.PlanResourceChangeRequest => ({
  typeName: w.type_name ?? "",
  priorState: dynamicValue(w.prior_state),
  proposedNewState: dynamicValue(w.proposed_new_state),
  config: dynamicValue(w.config),
  priorPrivate: w.prior_private ?? NO_BYTES,
});

export const applyResourceChangeRequest = (w: WireRequests["ApplyResourceChange"]): rpc.ApplyResourceChangeRequest => ({
  typeName: w.type_name ?? "",
  priorState: dynamicValue(w.prior_state),
  plannedState: dynamicValue(w.planned_state),
  config: dynamicValue(w.config),
  plannedPrivate: w.planned_private ?? NO_BYTES,
});

export const importResourceStateRequest = (w: WireRequests["ImportResourceState"]): rpc.ImportResourceStateRequest => ({
  typeName: w.type_name ?? "",
  id: w.id ?? "",
});

export const readDataSourceRequest = (w: WireRequests["ReadDataSource"]): rpc.ReadDataSourceRequest => ({
  typeName: w.type_name ?? "",
  config: dynamicValue(w.config),
});
