// Read-then-write with If-Match, written once for every resource: a write is refused (and nothing is changed) when
// the object changed since Terraform last saw it, whether that shows in the read before the write (the entity tag
// in state is not the server's: nothing is sent) or in the write itself (412: someone wrote in between, and the API
// refused this write). A write whose outcome is open (UncertainWriteError: a timeout, a lost connection, a 5xx) is
// read back: confirmed, it is a success; otherwise the diagnostic says it MAY have been applied, never that nothing
// was written.
import type { DiagnosticError } from "../framework/index.ts";
import { ApiError, UncertainWriteError } from "../../client/index.ts";
import { CHECK_WITH_PLAN, mayHaveBeenApplied, toDiagnostic, withDiagnostic } from "./errors.ts";

/** How a refused write ended: not sent (the read showed the change first) or refused by the API (412). */
export type Refusal = "not_sent" | "refused";

/** One object on the server that is written under an entity tag. */
export interface GuardedObject<T extends { entity_tag: string }> {
  /** Reads the object as it is now. */
  read(): Promise<T>;
  /** What reading it is, for a failure's diagnostic: "Reading trusted profile … of account …". */
  readAction: string;
  /** The refusal: the object changed since `expectedTag`; `latest` is the object now, when it could be read. */
  changedSince(expectedTag: string, latest: T | undefined, how: Refusal): DiagnosticError | Promise<DiagnosticError>;
}

/** Reads the object and refuses to go on when its entity tag is not `priorTag` (the tag in state, when there is one). */
export async function readUnchangedSince<T extends { entity_tag: string }>(obj: GuardedObject<T>, priorTag: unknown): Promise<T> {
  const current = await withDiagnostic(() => obj.read(), obj.readAction);
  if (typeof priorTag === "string" && priorTag !== current.entity_tag) throw await obj.changedSince(priorTag, current, "not_sent");
  return current;
}

/**
 * Runs a write sent with If-Match on `entityTag`. A 412 becomes the refusal. An uncertain failure is settled by
 * `confirm` (read back: `{ value }` when the server shows this very write, undefined when it cannot tell). Any other
 * failure becomes a diagnostic saying what `action` was.
 */
export async function guardedWrite<T extends { entity_tag: string }, R>(
  obj: GuardedObject<T>,
  entityTag: string | undefined,
  write: () => Promise<R>,
  action: string,
  confirm: () => Promise<{ value: R } | undefined>,
): Promise<R> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UncertainWriteError) {
      const confirmed = await confirm().catch(() => undefined);
      if (confirmed) return confirmed.value;
      throw mayHaveBeenApplied(action, err, CHECK_WITH_PLAN);
    }
    if (err instanceof ApiError && err.status === 412 && entityTag !== undefined) {
      const latest = await obj.read().catch(() => undefined);
      throw await obj.changedSince(entityTag, latest, "refused");
    }
    throw toDiagnostic(err, action);
  }
}

/** The second sentence of a refusal: what became of Terraform's own change. */
export function refusalWords(how: Refusal): string {
  return how === "refused"
    ? "The API refused Terraform's change (If-Match no longer matched), so that change is kept."
    : "Terraform did not send its change, so that change is kept.";
}
