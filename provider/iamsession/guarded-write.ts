// Read-then-write with If-Match, written once for every resource: a write is refused (and nothing is changed) when
// the object changed since Terraform last saw it, whether that shows in the read before the write (the entity tag
// in state is not the server's) or in the write itself (412: someone wrote in between).
import type { DiagnosticError } from "../framework/index.ts";
import { ApiError } from "../../client/index.ts";
import { toDiagnostic, withDiagnostic } from "./errors.ts";

/** One object on the server that is written under an entity tag. */
export interface GuardedObject<T extends { entity_tag: string }> {
  /** Reads the object as it is now (with whatever the refusal needs to say who changed it). */
  read(): Promise<T>;
  /** What reading it is, for a failure's diagnostic: "Reading trusted profile … of account …". */
  readAction: string;
  /** The refusal: the object changed since `expectedTag`; `latest` is the object now, when it could be read. */
  changedSince(expectedTag: string, latest: T | undefined): DiagnosticError;
}

/** Reads the object and refuses to go on when its entity tag is not `priorTag` (the tag in state, when there is one). */
export async function readUnchangedSince<T extends { entity_tag: string }>(obj: GuardedObject<T>, priorTag: unknown): Promise<T> {
  const current = await withDiagnostic(() => obj.read(), obj.readAction);
  if (typeof priorTag === "string" && priorTag !== current.entity_tag) throw obj.changedSince(priorTag, current);
  return current;
}

/**
 * Runs a write sent with If-Match on `entityTag`. A 412 means someone wrote in between and nothing was changed: it
 * becomes the refusal, naming who changed the object when it can be read again. Any other failure becomes a
 * diagnostic saying what `action` was.
 */
export async function guardedWrite<T extends { entity_tag: string }, R>(
  obj: GuardedObject<T>,
  entityTag: string | undefined,
  write: () => Promise<R>,
  action: string,
): Promise<R> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ApiError && err.status === 412 && entityTag !== undefined) {
      const latest = await obj.read().catch(() => undefined);
      throw obj.changedSince(entityTag, latest);
    }
    throw toDiagnostic(err, action);
  }
}
