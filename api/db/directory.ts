// Who belongs where (issue #6): account ↔ enterprise links, identities, and account memberships. Prepared statements;
// every write in one IMMEDIATE transaction.
import type Database from "better-sqlite3";

export interface IdentityRecord {
  iam_id: string;
  name: string;
  /** user (the default) or service_id (issue #13: a service ID gets tokens, never a session). */
  kind: "user" | "service_id";
  created_at: string;
}

/** A membership's role: the roles an account key may have. */
export type MemberRole = "viewer" | "editor" | "administrator" | "owner";

export interface MemberRecord {
  iam_id: string;
  name: string;
  role: MemberRole;
}

export type LinkResult = "linked" | "no_account" | "no_enterprise";
export type AddMemberResult = "added" | "already_member" | "no_account" | "no_identity";

function now(): string {
  return new Date().toISOString();
}

export class DirectoryStore {
  readonly #db: Database.Database;
  readonly #stmts;

  constructor(db: Database.Database) {
    this.#db = db;
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
      addMember: db.prepare<[string, string, string, MemberRole]>(
        "INSERT INTO account_members (account_id, iam_id, added_at, role) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      memberRole: db.prepare<[string, string], { role: MemberRole }>("SELECT role FROM account_members WHERE account_id = ? AND iam_id = ?"),
      setMemberRole: db.prepare<[MemberRole, string, string]>("UPDATE account_members SET role = ? WHERE account_id = ? AND iam_id = ?"),
      removeMember: db.prepare<[string, string]>("DELETE FROM account_members WHERE account_id = ? AND iam_id = ?"),
      members: db.prepare<[string], MemberRecord>(
        `SELECT m.iam_id, i.name, m.role FROM account_members m JOIN identities i ON i.iam_id = m.iam_id
         WHERE m.account_id = ? ORDER BY m.iam_id`,
      ),
      accountsOf: db.prepare<[string], { account_id: string }>(
        "SELECT account_id FROM account_members WHERE iam_id = ? ORDER BY account_id",
      ),
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
    return this.#db.transaction((): boolean => this.#stmts.unlink.run({ account_id: accountId, only_from: onlyFrom }).changes > 0).immediate();
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
   * Makes an identity a member of an account (idempotent). A given role is set also on an existing membership;
   * without one a new member is a viewer and an existing one keeps its role.
   */
  addMember(accountId: string, iamId: string, role?: MemberRole): AddMemberResult {
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
   * The member's role in the account: what its own sessions may do there (as a key of that role), or undefined when
   * it is not a member. Read on every request, so a role change applies to the next one.
   */
  memberRole(accountId: string, iamId: string): MemberRole | undefined {
    return this.#stmts.memberRole.get(accountId, iamId)?.role;
  }

  /** Removes a membership; false when there was none. */
  removeMember(accountId: string, iamId: string): boolean {
    return this.#db.transaction((): boolean => this.#stmts.removeMember.run(accountId, iamId).changes > 0).immediate();
  }

  /** An account's members, by iam_id. */
  members(accountId: string): MemberRecord[] {
    return this.#stmts.members.all(accountId);
  }

  /** The accounts an identity belongs to, by account_id. */
  accountsOf(iamId: string): string[] {
    return this.#stmts.accountsOf.all(iamId).map((r) => r.account_id);
  }
}
