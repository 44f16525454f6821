// The login-session settings of one owner (an account or an enterprise), as a resource. The owner cannot be deleted
// through this API, so "destroy" resets its four settings to NOT_SET (or, with destroy_behavior = "abandon", leaves
// them as they are). One factory serves every owner kind, so the read-then-PUT (guarded-write.ts), the
// concurrent-change refusal and the reset on destroy exist once.
import { randomUUID } from "node:crypto";
import { NOT_SET, SETTING_NAMES, type SettingName } from "../../../schemas/settings.ts";
import { DiagnosticError, type ObjectValue, type Resource, type ResourceContext } from "../../framework/index.ts";
import { ApiError, type HistoryEntry, type IamsessionClient, type OwnerSettings, type SettingsChanges } from "../../../client/index.ts";
import { DESTROY_BEHAVIORS, isDestroyBehavior, type OwnerDefinition } from "../../../schemas/owners.ts";
import { toDiagnostic, withDiagnostic } from "../errors.ts";
import { guardedWrite, readUnchangedSince, refusalWords, type GuardedObject, type Refusal } from "../guarded-write.ts";
import { describeLatestChange } from "../history.ts";
import { settingAttributes, warnIdleBeyondLifetime } from "../settings-attributes.ts";
import { ownerSettingsObject } from "../state.ts";

type Ctx = ResourceContext<IamsessionClient>;
type Changes = SettingsChanges;

/** What destroying the resource does to the server's settings; null in configuration means "reset". */
function checkDestroyBehavior(value: unknown): string | undefined {
  return isDestroyBehavior(value)
    ? undefined
    : `destroy_behavior must be one of ${DESTROY_BEHAVIORS.map((b) => `"${b}"`).join(", ")}; got ${JSON.stringify(value)}`;
}

export interface OwnerSettingsResourceOptions {
  owner: OwnerDefinition;
  typeName: string;
  /** The resource's description. */
  description: string;
  /** Descriptions of the computed `id` and of the owner id attribute. */
  idDescription: string;
  ownerIdDescription: string;
}

export function ownerSettingsResource(opts: OwnerSettingsResourceOptions): Resource<IamsessionClient> {
  const { owner } = opts;
  const idAttr = owner.idField;
  const ownerIdOf = (v: ObjectValue) => v[idAttr] as string;
  // destroy_behavior lives only in configuration and state: it is carried from the plan (or prior state), never read.
  const toState = (ownerId: string, s: OwnerSettings, from: ObjectValue): ObjectValue => ({
    ...ownerSettingsObject(owner, ownerId, s),
    destroy_behavior: from.destroy_behavior ?? null,
  });
  const what = (ownerId: string) => `the settings of ${owner.noun} ${ownerId}`;

  /** The owner's settings as a guarded object; a refusal reads the latest history entry alone, to say who changed them. */
  const guarded = (ctx: Ctx, ownerId: string): GuardedObject<OwnerSettings> => ({
    read: () => ctx.providerData.getSettings(owner.kind, ownerId),
    readAction: `Reading ${what(ownerId)}`,
    changedSince: async (expectedTag, now, how) =>
      concurrentChange(ownerId, expectedTag, now, await ctx.providerData.getLatestChange(owner.kind, ownerId).catch(() => undefined), how),
  });

  /**
   * PUT with If-Match on the entity tag just read, under a fresh change key (recorded in the history entry); nothing
   * to change, nothing sent. After a failure that leaves the outcome open, it is a success only when the server holds
   * exactly what was sent and its latest history entry is this change.
   */
  async function writeSettings(ctx: Ctx, ownerId: string, current: OwnerSettings, changes: Changes): Promise<OwnerSettings> {
    if (Object.keys(changes).length === 0) return current;
    const changeKey = randomUUID();
    const expected = { ...pickSettings(current), ...changes };
    return guardedWrite(
      guarded(ctx, ownerId),
      current.entity_tag,
      () => ctx.providerData.putSettings(owner.kind, ownerId, current.entity_tag, changes, changeKey),
      `Writing ${what(ownerId)}`,
      async () => {
        const now = await ctx.providerData.getSettings(owner.kind, ownerId);
        const latest = await ctx.providerData.getLatestChange(owner.kind, ownerId);
        const holdsWhatWasSent = SETTING_NAMES.every((n) => now[n] === expected[n]);
        return holdsWhatWasSent && latest?.idempotency_key === changeKey ? { value: now } : undefined;
      },
    );
  }

  function concurrentChange(
    ownerId: string,
    expectedTag: string,
    now: OwnerSettings | undefined,
    latest: HistoryEntry | undefined,
    how: Refusal,
  ): DiagnosticError {
    return new DiagnosticError(
      `The settings of ${owner.noun} ${ownerId} were changed outside this run`,
      `They were changed by ${describeLatestChange(latest)} after Terraform last read them (entity tag ${expectedTag}` +
        `${now ? `, now ${now.entity_tag}` : ""}). ${refusalWords(how)} ` +
        "Run plan again to see the difference, then apply.",
    );
  }

  return {
    typeName: opts.typeName,
    schema: {
      // 1: max_sessions_exceeded_action (issue #13).
      version: 1,
      description: opts.description,
      attributes: {
        id: { type: "string", description: opts.idDescription, computed: true, useStateForUnknown: true },
        [idAttr]: {
          type: "string",
          description: opts.ownerIdDescription,
          required: true,
          requiresReplace: true,
          validators: [owner.checkId],
        },
        ...settingAttributes(),
        entity_tag: {
          type: "string",
          description: "The settings' current entity tag; every write is guarded by it (If-Match).",
          computed: true,
        },
        destroy_behavior: {
          type: "string",
          description:
            `What destroying this resource does to the ${owner.noun}'s settings: \`"reset"\` (the default) sets every ` +
            'setting to `NOT_SET`; `"abandon"` leaves them as they are and only forgets them in state. Like any ' +
            "destroy-time setting, a change takes effect once applied: apply it before the destroy that relies on it.",
          optional: true,
          validators: [checkDestroyBehavior],
        },
      },
    },

    validateConfig: warnIdleBeyondLifetime,

    // Version 0 had no max_sessions_exceeded_action: it starts null (unknown) and the next read fills it in.
    upgradeState(fromVersion, state) {
      if (fromVersion === 0) return { ...(state as ObjectValue), max_sessions_exceeded_action: null };
      return state as ObjectValue;
    },

    async create(ctx, planned, config) {
      const ownerId = ownerIdOf(planned);
      const current = await withDiagnostic(
        () => ctx.providerData.getSettings(owner.kind, ownerId),
        `Reading the ${owner.noun}'s settings`,
      );
      return toState(ownerId, await writeSettings(ctx, ownerId, current, configuredChanges(config, current)), planned);
    },

    async read(ctx, state) {
      const ownerId = ownerIdOf(state);
      try {
        return toState(ownerId, await ctx.providerData.getSettings(owner.kind, ownerId), state);
      } catch (err) {
        // The owner is gone or no longer visible to this token: the CLI plans a create.
        if (err instanceof ApiError && err.status === 404) return null;
        throw toDiagnostic(err, `Reading ${what(ownerId)}`);
      }
    },

    async update(ctx, planned, prior, config) {
      const ownerId = ownerIdOf(prior);
      const current = await readUnchangedSince(guarded(ctx, ownerId), prior.entity_tag);
      return toState(ownerId, await writeSettings(ctx, ownerId, current, configuredChanges(config, current)), planned);
    },

    async delete(ctx, prior) {
      if (prior.destroy_behavior === "abandon") return;
      const ownerId = ownerIdOf(prior);
      const current = await readUnchangedSince(guarded(ctx, ownerId), prior.entity_tag);
      const reset = Object.fromEntries(SETTING_NAMES.map((n) => [n, NOT_SET])) as Record<SettingName, string>;
      await writeSettings(ctx, ownerId, current, changesFrom(current, reset));
    },

    importState(_ctx, id) {
      const problem = owner.checkId(id);
      if (problem) {
        throw new DiagnosticError("Invalid import id", `The import id is the ${owner.noun} id. ${problem}`);
      }
      return { id, [idAttr]: id, ...nullSettings(), entity_tag: null, destroy_behavior: null };
    },
  };
}

function nullSettings(): Record<SettingName, null> {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, null])) as Record<SettingName, null>;
}

/** The settings the configuration sets (known, non-null) that differ from the server's. */
function configuredChanges(config: ObjectValue, current: OwnerSettings): Changes {
  const wanted: Changes = {};
  for (const n of SETTING_NAMES) {
    const v = config[n];
    if (typeof v === "string") wanted[n] = v;
  }
  return changesFrom(current, wanted);
}

function changesFrom(current: OwnerSettings, wanted: Changes): Changes {
  return Object.fromEntries(Object.entries(wanted).filter(([n, v]) => current[n as SettingName] !== v));
}

function pickSettings(s: OwnerSettings): Record<SettingName, string> {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, s[n]])) as Record<SettingName, string>;
}
