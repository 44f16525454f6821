// Pieces shared by the route definitions.
import type { Store } from "../db/store.ts";
import type { Clock } from "../sessions/clock.ts";
import type { SessionEngine } from "../sessions/engine.ts";
import type { FailureThrottle } from "../throttle.ts";
import type { Remote, Writer } from "../db/writer.ts";
import { ErrorResponseSchema } from "../schemas.ts";

export interface RouteDeps {
  /** Reads, on the event loop's connection. */
  store: Store;
  /** The session engine (issue #13) and the clock it runs on. */
  sessions: SessionEngine;
  clock: Clock;
  /** How long an invitation may be accepted (IAMSESSION_INVITATION_TTL; default 7 days). */
  invitationTtlSeconds?: number;
  /** The failed-authentication throttle every credential check shares (api/throttle.ts); null: none. */
  throttle?: FailureThrottle | null;
  /** Writes: the store's methods, run by the writer (group commit, never blocking the event loop). */
  write: Remote<Store>;
  writer: Writer;
}

export const SECURITY = [{ Bearer: [] }];

export const REQUEST_ID_HEADER = {
  "X-Request-Id": { description: "The request's id (the trace of an error body).", schema: { type: "string" as const } },
};

/** The headers of a 201: where the new resource is (a path on this server) and the request's id. */
export const CREATED_HEADERS = {
  Location: {
    description: "The path of the created resource, e.g. `/v1/accounts/acme-prod/trusted_profiles/Profile-…`.",
    schema: { type: "string" as const },
    required: true,
  },
  ...REQUEST_ID_HEADER,
};

/** The path of a resource from its segments, each percent-encoded. */
export function resourcePath(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join("/")}`;
}

const errorContent = { "application/json": { schema: ErrorResponseSchema } };

const ERROR_DESCRIPTIONS = {
  400: "Invalid request: a bad value, an unknown field, malformed JSON, a path parameter outside its pattern, a malformed If-Match.",
  401: "Missing or invalid API key (WWW-Authenticate: Bearer).",
  403: "The key's role may not do this.",
  404: "Not found, or not visible to this key.",
  409: "Conflict with an existing resource, or with the resource's state.",
  412: "If-Match does not match the current entity_tag; nothing was changed.",
  413: "The request body is too large.",
  415: "The request body is not JSON (Content-Type: application/json).",
  429: "Too many failed authentication attempts from this address (Retry-After says when to retry).",
  422: "Understood but refused by the current state of the clock (a key's expires_at in the past).",
  428: "If-Match is required.",
} as const;

/** The error responses of a route, all in the common error format. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s], content: errorContent, headers: REQUEST_ID_HEADER }]),
  ) as unknown as Record<S, { description: string; content: typeof errorContent; headers: typeof REQUEST_ID_HEADER }>;
}
