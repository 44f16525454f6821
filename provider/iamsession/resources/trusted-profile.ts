// Resource iamsession_trusted_profile: a trusted profile of an account (federated identities assume it) and the
// session duration of the sessions it creates. Created with POST, changed with a PUT guarded by If-Match, deleted
// with DELETE; a profile deleted outside Terraform is planned again as a create.
import { randomUUID } from "node:crypto";
import { checkAccountId, checkTrustedProfileId } from "../../../schemas/identifiers.ts";
import { TRUSTED_PROFILE_SESSION_DURATION } from "../../../schemas/settings.ts";
import { DiagnosticError, type ObjectValue, type Resource, type ResourceContext } from "../../framework/index.ts";
import { ApiError, ConnectionError, type IamsessionClient, type TrustedProfile, type TrustedProfileChanges } from "../../../client/index.ts";
import { mayHaveBeenApplied, toDiagnostic } from "../errors.ts";
import { guardedWrite, readUnchangedSince, refusalWords, type GuardedObject, type Refusal } from "../guarded-write.ts";
import { describeSetting, settingValidator } from "../settings-attributes.ts";

type Ctx = ResourceContext<IamsessionClient>;

const DURATION = TRUSTED_PROFILE_SESSION_DURATION.name;

export function trustedProfileResource(): Resource<IamsessionClient> {
  return {
    typeName: "iamsession_trusted_profile",
    schema: {
      version: 0,
      description:
        "A trusted profile of one account: federated identities that assume it get login sessions limited by the " +
        "profile's own session duration. Destroying this resource deletes the profile.",
      attributes: {
        id: {
          type: "string",
          description: "`<account_id>/<profile_id>`, also the import id.",
          computed: true,
          useStateForUnknown: true,
        },
        account_id: {
          type: "string",
          description: "The account the profile belongs to. Changing it replaces the profile.",
          required: true,
          requiresReplace: true,
          validators: [checkAccountId],
        },
        name: {
          type: "string",
          description: "The profile's name.",
          required: true,
          validators: [checkName],
        },
        [DURATION]: {
          type: "string",
          description: `${describeSetting(TRUSTED_PROFILE_SESSION_DURATION)} When omitted, the value on the server is left as it is (\`"NOT_SET"\` for a new profile).`,
          optional: true,
          computed: true,
          validators: [settingValidator(TRUSTED_PROFILE_SESSION_DURATION)],
        },
        profile_id: {
          type: "string",
          description: "The id the service gave the profile (`Profile-` and 32 hexadecimal digits).",
          computed: true,
          useStateForUnknown: true,
        },
        entity_tag: {
          type: "string",
          description: "The profile's current entity tag; every change is guarded by it (If-Match).",
          computed: true,
        },
      },
    },

    async create(ctx, planned, config) {
      const accountId = planned.account_id as string;
      const body: { name: string; session_duration_in_seconds?: string } = { name: planned.name as string };
      if (typeof config[DURATION] === "string") body.session_duration_in_seconds = config[DURATION];
      // One key for this create, on every retry: the API answers a repeat with the profile it already created.
      const idempotencyKey = randomUUID();
      const action = `Creating a trusted profile in account ${accountId}`;
      try {
        return profileObject(await ctx.providerData.createTrustedProfile(accountId, body, idempotencyKey));
      } catch (err) {
        const uncertain =
          (err instanceof ApiError && err.status >= 500 && err.code !== "database_busy") ||
          (err instanceof ConnectionError && !err.certainlyNotSent);
        if (!uncertain) throw toDiagnostic(err, action);
        throw mayHaveBeenApplied(
          action,
          err,
          "If it was created, it is not in Terraform's state: list the account's trusted profiles " +
            `(GET /v1/accounts/${accountId}/trusted_profiles), then import it ` +
            `(terraform import <address> ${accountId}/<profile_id>) or delete it before applying again.`,
        );
      }
    },

    async read(ctx, state) {
      const { accountId, profileId } = idsOf(state);
      try {
        return profileObject(await ctx.providerData.getTrustedProfile(accountId, profileId));
      } catch (err) {
        // Deleted outside Terraform (or no longer visible to this token): the CLI plans a create.
        if (err instanceof ApiError && err.status === 404) return null;
        throw toDiagnostic(err, `Reading trusted profile ${profileId} of account ${accountId}`);
      }
    },

    async update(ctx, planned, prior, config) {
      const { accountId, profileId } = idsOf(prior);
      const profile = guarded(ctx, prior);
      const current = await readUnchangedSince(profile, prior.entity_tag);
      const changes: TrustedProfileChanges = {};
      if (typeof planned.name === "string" && planned.name !== current.name) changes.name = planned.name;
      const duration = config[DURATION];
      if (typeof duration === "string" && duration !== current.session_duration_in_seconds) {
        changes.session_duration_in_seconds = duration;
      }
      if (Object.keys(changes).length === 0) return profileObject(current);
      const expected = { ...current, ...changes };
      const updated = await guardedWrite(
        profile,
        current.entity_tag,
        () => ctx.providerData.putTrustedProfile(accountId, profileId, current.entity_tag, changes),
        `Changing trusted profile ${profileId} of account ${accountId}`,
        // Read back: a success when the profile holds exactly what was sent, under a new entity tag.
        async () => {
          const now = await ctx.providerData.getTrustedProfile(accountId, profileId);
          const applied =
            now.entity_tag !== current.entity_tag &&
            now.name === expected.name &&
            now.session_duration_in_seconds === expected.session_duration_in_seconds;
          return applied ? { value: now } : undefined;
        },
      );
      return profileObject(updated);
    },

    async delete(ctx, prior) {
      const { accountId, profileId } = idsOf(prior);
      const tag = typeof prior.entity_tag === "string" ? prior.entity_tag : undefined;
      await guardedWrite(
        guarded(ctx, prior),
        tag || undefined,
        () =>
          ctx.providerData.deleteTrustedProfile(accountId, profileId, tag).catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 404) return; // already gone: nothing to do
            throw err;
          }),
        `Deleting trusted profile ${profileId} of account ${accountId}`,
        // Read back: gone is what was asked for.
        async () => {
          try {
            await ctx.providerData.getTrustedProfile(accountId, profileId);
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) return { value: undefined };
          }
          return undefined;
        },
      );
    },

    importState(_ctx, id) {
      const parts = id.split("/");
      const problem =
        parts.length !== 2
          ? `expected <account_id>/<profile_id>, got ${JSON.stringify(id)}`
          : (checkAccountId(parts[0]) ?? checkTrustedProfileId(parts[1]));
      if (problem) {
        throw new DiagnosticError(
          "Invalid import id",
          `The import id is the account id and the profile id joined by a slash, for example ` +
            `acme-production/Profile-0123456789abcdef0123456789abcdef. ${problem}`,
        );
      }
      const [accountId, profileId] = parts as [string, string];
      return { id, account_id: accountId, profile_id: profileId, name: null, [DURATION]: null, entity_tag: null };
    },
  };
}

function checkName(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? undefined : "name must not be empty";
}

function idsOf(v: ObjectValue): { accountId: string; profileId: string } {
  return { accountId: v.account_id as string, profileId: v.profile_id as string };
}

export function profileObject(p: TrustedProfile): ObjectValue {
  return {
    id: `${p.account_id}/${p.profile_id}`,
    account_id: p.account_id,
    name: p.name,
    [DURATION]: p.session_duration_in_seconds,
    profile_id: p.profile_id,
    entity_tag: p.entity_tag,
  };
}

/** The profile in state as a guarded object: writes to it are refused when it changed since Terraform read it. */
function guarded(ctx: Ctx, prior: ObjectValue): GuardedObject<TrustedProfile> {
  const { accountId, profileId } = idsOf(prior);
  return {
    read: () => ctx.providerData.getTrustedProfile(accountId, profileId),
    readAction: `Reading trusted profile ${profileId} of account ${accountId}`,
    changedSince: (expectedTag, latest, how) => concurrentChange(accountId, profileId, expectedTag, latest, how),
  };
}

function concurrentChange(
  accountId: string,
  profileId: string,
  expectedTag: string,
  latest: TrustedProfile | undefined,
  how: Refusal,
): DiagnosticError {
  const when = latest?.updated_at ? ` at ${latest.updated_at}` : "";
  return new DiagnosticError(
    `Trusted profile ${profileId} of account ${accountId} was changed outside this run`,
    `It was changed${when} after Terraform last read it (entity tag ${expectedTag}` +
      `${latest ? `, now ${latest.entity_tag}` : ""}). ${refusalWords(how)} ` +
      "Run plan again to see the difference, then apply.",
  );
}
