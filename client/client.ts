// The typed client of the iamsession settings API: one method per route the provider, the drift check, the
// benchmarks and the tests call, each a single call of request(). It knows HTTP and the API's bodies, nothing of
// Terraform.
import { randomUUID } from "node:crypto";
import { ownerPath, type OwnerKind } from "../schemas/owners.ts";
import type { SettingName } from "../schemas/settings.ts";
import type {
  AccountEffectiveSettings,
  AccountSettingsBody,
  HistoryEntry,
  IdentityEffectiveSettings,
  SettingsBody,
  TrustedProfile,
} from "../schemas/wire.ts";
import { connect, request, type ClientOptions, type Connection } from "./request.ts";

/** One owner's settings: `account_id` or `enterprise_id` names the owner, depending on the kind. */
export type OwnerSettings = SettingsBody & { account_id?: string; enterprise_id?: string };

export type AccountSettings = AccountSettingsBody;

export type SettingsChanges = Partial<Record<SettingName, string>>;

export type TrustedProfileChanges = Partial<Pick<TrustedProfile, "name" | "session_duration_in_seconds">>;

export class IamsessionClient {
  private readonly conn: Connection;

  constructor(opts: ClientOptions) {
    this.conn = connect(opts);
  }

  get endpoint(): string {
    return this.conn.opts.endpoint;
  }

  /** The settings of an account or an enterprise (with `includeHistory`, who changed them and when). */
  getSettings(kind: OwnerKind, ownerId: string, includeHistory = false): Promise<OwnerSettings> {
    const q = includeHistory ? "?include_history=true" : "";
    return request<OwnerSettings>(this.conn, "GET", `${ownerPath(kind, ownerId)}/settings/identity${q}`);
  }

  /**
   * Partial update guarded by If-Match: a stale entity tag gets an ApiError with status 412 and changes nothing.
   * `changeKey` (one per logical change) is recorded in the history entry the change makes: after an
   * UncertainWriteError, the latest entry (getLatestChange) tells whether this change was made.
   */
  putSettings(kind: OwnerKind, ownerId: string, entityTag: string, changes: SettingsChanges, changeKey?: string): Promise<OwnerSettings> {
    return request<OwnerSettings>(this.conn, "PUT", `${ownerPath(kind, ownerId)}/settings/identity`, {
      body: changes,
      ifMatch: entityTag,
      idempotencyKey: changeKey,
    });
  }

  /** The latest entry of the settings' history (one entry read, however long the history), if any. */
  async getLatestChange(kind: OwnerKind, ownerId: string): Promise<HistoryEntry | undefined> {
    const page = await request<{ history: HistoryEntry[] }>(this.conn, "GET", `${ownerPath(kind, ownerId)}/settings/identity/history?limit=1`);
    return page.history[0];
  }

  getAccountSettings(accountId: string, includeHistory = false): Promise<AccountSettings> {
    return this.getSettings("account", accountId, includeHistory) as Promise<AccountSettings>;
  }

  putAccountSettings(accountId: string, entityTag: string, changes: SettingsChanges): Promise<AccountSettings> {
    return this.putSettings("account", accountId, entityTag, changes) as Promise<AccountSettings>;
  }

  /** One logical create: every attempt carries the same Idempotency-Key, so a retry never creates a second profile. */
  createTrustedProfile(
    accountId: string,
    body: { name: string; session_duration_in_seconds?: string },
    idempotencyKey: string = randomUUID(),
  ): Promise<TrustedProfile> {
    return request<TrustedProfile>(this.conn, "POST", profilesPath(accountId), { body, idempotencyKey });
  }

  getTrustedProfile(accountId: string, profileId: string): Promise<TrustedProfile> {
    return request<TrustedProfile>(this.conn, "GET", profilePath(accountId, profileId));
  }

  /** Partial update guarded by If-Match, like the settings (an uncertain failure: UncertainWriteError). */
  putTrustedProfile(accountId: string, profileId: string, entityTag: string, changes: TrustedProfileChanges): Promise<TrustedProfile> {
    return request<TrustedProfile>(this.conn, "PUT", profilePath(accountId, profileId), { body: changes, ifMatch: entityTag });
  }

  /** With an entity tag, a profile changed since then is not deleted (412). */
  async deleteTrustedProfile(accountId: string, profileId: string, entityTag?: string): Promise<void> {
    await request<unknown>(this.conn, "DELETE", profilePath(accountId, profileId), { ifMatch: entityTag });
  }

  getAccountEffectiveSettings(accountId: string): Promise<AccountEffectiveSettings> {
    return request<AccountEffectiveSettings>(this.conn, "GET", `${ownerPath("account", accountId)}/effective_settings/identity`);
  }

  getIdentityEffectiveSettings(iamId: string): Promise<IdentityEffectiveSettings> {
    return request<IdentityEffectiveSettings>(this.conn, "GET", `/v1/identities/${encodeURIComponent(iamId)}/effective_settings/identity`);
  }
}

function profilesPath(accountId: string): string {
  return `${ownerPath("account", accountId)}/trusted_profiles`;
}

function profilePath(accountId: string, profileId: string): string {
  return `${profilesPath(accountId)}/${encodeURIComponent(profileId)}`;
}
