// Who belongs where (issue #6): account ↔ enterprise links, identities, and account memberships. Prepared statements;
// every write in one IMMEDIATE transaction.
import type Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import type { Role } from "../keys.ts";
import type { ApiKeyStore } from "./api-keys.ts";

export interface IdentityRecord {
  iam_id: string;
  name: string;
  /** user (the default) or service_id (issue #13: a service ID gets tokens, never a session). */
  kind: "user" | "service_id";
  created_at: string;
}

export interface MemberRecord {
  iam_id: string;
  name: string;
  role: Role;
}

export type InvitationState = "pending" | "accepted" | "declined" | "revoked" | "expired";

export interface InvitationRecord {
  invitation_id: string;
  account_id: string;
  iam_id: string;
  role: Role;
  /** "expired": pending past expires_at (stored as pending; it can no longer be accepted). */
  state: InvitationState;
  invited_by: string;
  created_at: string;
  expires_at: string;
  answered_at: string | null;
}

export type AnswerResult =
  | { outcome: "accepted"; accountId: string; role: Role }
  | { outcome: "declined"; invitation: InvitationRecord }
  | { outcome: "not_found" | "no_identity" }
  | { outcome: "not_pending"; invitation: InvitationRecord };

/** How long an invitation may be accepted: 7 days unless IAMSESSION_INVITATION_TTL says otherwise. */
export const DEFAULT_INVITATION_TTL_SECONDS = 7 * 24 * 3600;

export type LinkResult = "linked" | "no_account" | "no_enterprise";
export type AddMemberResult = "added" | "already_member" | "no_account" | "no_identity";

interface InvitationRow extends Omit<InvitationRecord, "state" | "invited_by"> {
  state: Exclude<InvitationState, "expired">;
  invited_by_key_id: string;
}

function toInvitation(row: InvitationRow, now: string): InvitationRecord {
  const { invited_by_key_id, ...rest } = row;
  return { ...rest, state: row.state === "pending" && row.expires_at <= now ? "expired" : row.state, invited_by: invited_by_key_id };
}

function now(): string {
  return new Date().toISOString();
}

export class DirectoryStore {
  readonly #db: Database.Database;
  readonly #stmts;
  readonly #keys: ApiKeyStore;

  constructor(db: Database.Database, keys: ApiKeyStore) {
    this.#db = db;
    this.#keys = keys;
    this.#stmts = {
      accountExists: db.prepare<[string], { one: number }>("SELECT 1 AS one FROM accounts WHERE account_id = ?"),
      enterpriseExists: db.prepare<[string], { one: number }>("SELECT 1 AS one FROM enterprises WHERE enterprise_id = ?"),
      enterpriseOf: db.prepare<[string], { enterprise_id: string }>(
        "SELECT enterprise_id FROM account_enterprise WHERE account_id = ?",
      ),
      link: db.prepare<[string, string, string]>(
        `INSERT INTO account_enterprise (account_id, enterprise_id, linked_at) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, linked_at = excluded.linked_at
         WHERE account_enterprise.enterprise_id <> excluded.enterprise_id`,
      ),
      unlink: db.prepare<[{ account_id: string; only_from: string | null }]>(
        "DELETE FROM account_enterprise WHERE account_id = @account_id AND (@only_from IS NULL OR enterprise_id = @only_from)",
      ),
      insertIdentity: db.prepare<[string, string, string, string]>(
        "INSERT INTO identities (iam_id, name, kind, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (iam_id) DO NOTHING",
      ),
      getIdentity: db.prepare<[string], IdentityRecord>("SELECT iam_id, name, kind, created_at FROM identities WHERE iam_id = ?"),
      addMember: db.prepare<[string, string, string, Role]>(
        "INSERT INTO account_members (account_id, iam_id, added_at, role) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      memberRole: db.prepare<[string, string], { role: Role }>("SELECT role FROM account_members WHERE account_id = ? AND iam_id = ?"),
      setMemberRole: db.prepare<[Role, string, string]>("UPDATE account_members SET role = ? WHERE account_id = ? AND iam_id = ?"),
      insertInvitation: db.prepare(
        `INSERT INTO invitations (invitation_id, account_id, iam_id, role, state, invited_by_key_id, created_at, expires_at)
         VALUES (@invitation_id, @account_id, @iam_id, @role, 'pending', @invited_by, @created_at, @expires_at)
         ON CONFLICT (account_id, iam_id) WHERE state = 'pending'
         DO UPDATE SET role = excluded.role, invited_by_key_id = excluded.invited_by_key_id, expires_at = excluded.expires_at`,
      ),
      pendingInvitation: db.prepare<[string, string], InvitationRow>(
        "SELECT * FROM invitations WHERE account_id = ? AND iam_id = ? AND state = 'pending'",
      ),
      invitation: db.prepare<[string], InvitationRow>("SELECT * FROM invitations WHERE invitation_id = ?"),
      invitationsOfAccount: db.prepare<[string, string, string, number], InvitationRow>(
        "SELECT * FROM invitations WHERE account_id = ? AND (created_at, invitation_id) > (?, ?) ORDER BY created_at, invitation_id LIMIT ?",
      ),
      invitationsOfIdentity: db.prepare<[string, string, string, number], InvitationRow>(
        "SELECT * FROM invitations WHERE iam_id = ? AND (created_at, invitation_id) > (?, ?) ORDER BY created_at, invitation_id LIMIT ?",
      ),
      answerInvitation: db.prepare<[string, string, string]>(
        "UPDATE invitations SET state = ?, answered_at = ? WHERE invitation_id = ? AND state = 'pending'",
      ),
      removeMember: db.prepare<[string, string]>("DELETE FROM account_members WHERE account_id = ? AND iam_id = ?"),
      membersPage: db.prepare<[string, string, number], MemberRecord>(
        `SELECT m.iam_id, i.name, m.role FROM account_members m JOIN identities i ON i.iam_id = m.iam_id
         WHERE m.account_id = ? AND m.iam_id > ? ORDER BY m.iam_id LIMIT ?`,
      ),
      accountsOf: db.prepare<[string], { account_id: string }>(
        "SELECT account_id FROM account_members WHERE iam_id = ? ORDER BY account_id",
      ),
      isMember: db.prepare<[string, string], number>("SELECT 1 FROM account_members WHERE account_id = ? AND iam_id = ?").pluck(),
    };
  }

  // --- enterprise links -------------------------------------------------------------------------------------------

  /** The enterprise an account is linked to, or null. */
  enterpriseOf(accountId: string): string | null {
    return this.#stmts.enterpriseOf.get(accountId)?.enterprise_id ?? null;
  }

  /** Links an account to an enterprise, replacing any other link (an account has at most one enterprise). */
  link(accountId: string, enterpriseId: string): LinkResult {
    return this.#db
      .transaction((): LinkResult => {
        if (!this.#stmts.accountExists.get(accountId)) return "no_account";
        if (!this.#stmts.enterpriseExists.get(enterpriseId)) return "no_enterprise";
        const previous = this.#stmts.enterpriseOf.get(accountId)?.enterprise_id;
        if (previous !== undefined && previous !== enterpriseId) this.#keys.revokeMintedBy(previous, accountId);
        this.#stmts.link.run(accountId, enterpriseId, now());
        return "linked";
      })
      .immediate();
  }

  /**
   * Removes the account's link (only if it is to `onlyFrom`, when given: an enterprise key unlinks only from its own
   * enterprise, even if the link changed since it was authorised); false when nothing was removed.
   */
  unlink(accountId: string, onlyFrom: string | null = null): boolean {
    return this.#db
      .transaction((): boolean => {
        const previous = this.#stmts.enterpriseOf.get(accountId)?.enterprise_id;
        if (this.#stmts.unlink.run({ account_id: accountId, only_from: onlyFrom }).changes === 0) return false;
        // Keys the enterprise's keys minted for the account go with the link (docs/api.md "Tenancy and keys").
        this.#keys.revokeMintedBy(previous!, accountId);
        return true;
      })
      .immediate();
  }

  // --- identities and memberships ---------------------------------------------------------------------------------

  /** Creates an identity; undefined when the id exists. */
  createIdentity(iamId: string, name: string, kind: IdentityRecord["kind"] = "user"): IdentityRecord | undefined {
    return this.#db
      .transaction((): IdentityRecord | undefined => {
        const createdAt = now();
        if (this.#stmts.insertIdentity.run(iamId, name, kind, createdAt).changes === 0) return undefined;
        return { iam_id: iamId, name, kind, created_at: createdAt };
      })
      .immediate();
  }

  getIdentity(iamId: string): IdentityRecord | undefined {
    return this.#stmts.getIdentity.get(iamId);
  }

  /**
   * Makes an identity a member of an account directly, without an invitation: only the platform administrator's
   * routes call this. A given role is set also on an existing membership; without one a new member is a viewer.
   */
  addMember(accountId: string, iamId: string, role?: Role): AddMemberResult {
    return this.#db
      .transaction((): AddMemberResult => {
        if (!this.#stmts.accountExists.get(accountId)) return "no_account";
        if (!this.#stmts.getIdentity.get(iamId)) return "no_identity";
        if (this.#stmts.addMember.run(accountId, iamId, now(), role ?? "viewer").changes > 0) return "added";
        if (role !== undefined) this.#stmts.setMemberRole.run(role, accountId, iamId);
        return "already_member";
      })
      .immediate();
  }

  /**
   * The role of identity `iamId` in account `accountId`: what its own sessions may do there (the same as a key of
   * that role), or undefined when it is not a member (pending, declined, revoked and expired invitations count for
   * nothing). Read fresh on every call, so a role change or a removal applies to the very next request.
   */
  memberRole(accountId: string, iamId: string): Role | undefined {
    return this.#stmts.memberRole.get(accountId, iamId)?.role;
  }

  /** Changes a member's role; false when the identity is not a member. */
  setMemberRole(accountId: string, iamId: string, role: Role): boolean {
    return this.#db.transaction((): boolean => this.#stmts.setMemberRole.run(role, accountId, iamId).changes > 0).immediate();
  }

  // --- invitations ------------------------------------------------------------------------------------------------

  /**
   * Invites an identity (whether or not the id exists: the answer must not tell) to an account. One pending
   * invitation per account and identity: inviting again updates its role and expiry.
   */
  invite(accountId: string, iamId: string, role: Role, invitedBy: string, ttlSeconds: number): InvitationRecord {
    return this.#db
      .transaction((): InvitationRecord => {
        const createdAt = new Date();
        this.#stmts.insertInvitation.run({
          invitation_id: `Invitation-${randomBytes(16).toString("hex")}`,
          account_id: accountId,
          iam_id: iamId,
          role,
          invited_by: invitedBy,
          created_at: createdAt.toISOString(),
          expires_at: new Date(createdAt.getTime() + ttlSeconds * 1000).toISOString(),
        });
        return toInvitation(this.#stmts.pendingInvitation.get(accountId, iamId)!, createdAt.toISOString());
      })
      .immediate();
  }

  /** At most `limit` of the account's invitations after [created_at, invitation_id] (from the start when null), oldest first. */
  invitationsOfAccount(accountId: string, after: [string, string] | null, limit: number): InvitationRecord[] {
    const at = now();
    return this.#stmts.invitationsOfAccount.all(accountId, after?.[0] ?? "", after?.[1] ?? "", limit).map((r) => toInvitation(r, at));
  }

  /** The same for the identity's invitations. */
  invitationsOfIdentity(iamId: string, after: [string, string] | null, limit: number): InvitationRecord[] {
    const at = now();
    return this.#stmts.invitationsOfIdentity.all(iamId, after?.[0] ?? "", after?.[1] ?? "", limit).map((r) => toInvitation(r, at));
  }

  /** Revokes a pending (or expired) invitation of the account; false when there is none. */
  revokeInvitation(accountId: string, invitationId: string): boolean {
    return this.#db
      .transaction((): boolean => {
        const row = this.#stmts.invitation.get(invitationId);
        if (!row || row.account_id !== accountId || row.state !== "pending") return false;
        return this.#stmts.answerInvitation.run("revoked", now(), invitationId).changes > 0;
      })
      .immediate();
  }

  /** The identity's answer to one of its invitations; accepting makes it a member with the invitation's role. */
  answerInvitation(iamId: string, invitationId: string, answer: "accept" | "decline"): AnswerResult {
    return this.#db
      .transaction((): AnswerResult => {
        const row = this.#stmts.invitation.get(invitationId);
        if (!row || row.iam_id !== iamId) return { outcome: "not_found" };
        const at = now();
        const invitation = toInvitation(row, at);
        if (invitation.state !== "pending") return { outcome: "not_pending", invitation };
        if (!this.#stmts.getIdentity.get(iamId)) return { outcome: "no_identity" };
        if (answer === "decline") {
          this.#stmts.answerInvitation.run("declined", at, invitationId);
          return { outcome: "declined", invitation: { ...invitation, state: "declined", answered_at: at } };
        }
        this.#stmts.answerInvitation.run("accepted", at, invitationId);
        if (this.#stmts.addMember.run(row.account_id, iamId, at, row.role).changes === 0) {
          this.#stmts.setMemberRole.run(row.role, row.account_id, iamId);
        }
        return { outcome: "accepted", accountId: row.account_id, role: row.role };
      })
      .immediate();
  }

  /** Removes a membership; false when there was none. */
  removeMember(accountId: string, iamId: string): boolean {
    return this.#db.transaction((): boolean => this.#stmts.removeMember.run(accountId, iamId).changes > 0).immediate();
  }

  /** At most `limit` members with an iam_id after `after` (from the start when null), by iam_id. */
  membersPage(accountId: string, after: string | null, limit: number): MemberRecord[] {
    return this.#stmts.membersPage.all(accountId, after ?? "", limit);
  }

  /** The accounts an identity belongs to, by account_id. */
  accountsOf(iamId: string): string[] {
    return this.#stmts.accountsOf.all(iamId).map((r) => r.account_id);
  }

  /** Whether the identity belongs to the account (the same memberships as accountsOf; one primary-key probe). */
  isMember(accountId: string, iamId: string): boolean {
    return this.#stmts.isMember.get(accountId, iamId) !== undefined;
  }
}
