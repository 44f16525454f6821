// Request and response schemas of the session engine's routes (issue #13): they validate and document, like
// api/schemas.ts, and live apart so the session routes' schemas are in one place.
import { z } from "@hono/zod-openapi";
import {
  ACCOUNT_ID_PATTERN,
  IAM_ID_PATTERN,
  IDENTITY_KEY_ID_PATTERN,
  IDENTITY_KEY_ID_RULE,
  SESSION_ID_PATTERN,
  SESSION_ID_RULE,
  TRUSTED_PROFILE_ID_PATTERN,
} from "../schemas/identifiers.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./sessions/password.ts";
import { END_REASONS } from "./sessions/model.ts";
import { nextCursorField } from "./pagination.ts";
import { AccountIdParamsSchema, IamIdParamsSchema, MAX_NAME_LENGTH, pathParam } from "./schemas.ts";
import { SESSION_LIMIT_ACTIONS } from "../schemas/settings.ts";

const SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function strict<T extends z.ZodRawShape>(shape: T) {
  const fields = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown field "{key}"; valid fields are ${fields.join(", ")}`
        : iss.code === "invalid_type"
          ? `the request body must be a JSON object with the fields ${fields.join(", ")}`
          : undefined,
  });
}

const str = (field: string, max: number) =>
  z
    .string({ error: () => `${field}: must be a string` })
    .min(1, { error: () => `${field}: must not be empty` })
    .max(max, { error: () => `${field}: must be at most ${max} characters` });

const passwordField = (field: string) =>
  z
    .string({ error: () => `${field}: must be a string` })
    .max(MAX_PASSWORD_LENGTH, { error: () => `${field}: must be at most ${MAX_PASSWORD_LENGTH} characters` });

export const LoginBodySchema = strict({
  account_id: z
    .string({ error: () => "account_id: must be a string" })
    .regex(ACCOUNT_ID_PATTERN, { error: () => `account_id: must match ${ACCOUNT_ID_PATTERN.source}` })
    .openapi({ description: "The account to log in to; the identity must be a member of it." }),
  channel: z.enum(["console", "cli"], { error: () => 'channel: must be "console" or "cli"' }),
  iam_id: z
    .string({ error: () => "iam_id: must be a string" })
    .regex(IAM_ID_PATTERN, { error: () => `iam_id: must match ${IAM_ID_PATTERN.source}` })
    .optional()
    .openapi({ description: "Console login: the identity, with `password`." }),
  password: passwordField("password").optional().openapi({ description: "Console login: the identity's password. Never logged." }),
  api_key: str("api_key", 200).optional().openapi({ description: "CLI login: an identity API key." }),
  profile_id: z
    .string({ error: () => "profile_id: must be a string" })
    .regex(TRUSTED_PROFILE_ID_PATTERN, { error: () => `profile_id: must match ${TRUSTED_PROFILE_ID_PATTERN.source}` })
    .optional()
    .openapi({ description: "Federated login (with a federation key as Bearer): the trusted profile the user assumes." }),
  subject: z
    .string({ error: () => "subject: must be a string" })
    .regex(SUBJECT_PATTERN, { error: () => `subject: must match ${SUBJECT_PATTERN.source}` })
    .optional()
    .openapi({ description: "Federated login: the user's id at the identity provider." }),
}).openapi("LoginRequest", {
  description:
    "One of: console `{account_id, channel: \"console\", iam_id, password}`; CLI `{account_id, channel: \"cli\", api_key}`; " +
    "federated `{account_id, channel, profile_id, subject}` with `Authorization: Bearer <federation key>`.",
  // The same rule as the login route applies (a 400 naming the field otherwise), stated so a client or fuzzer
  // generating from the document sends only bodies the server accepts.
  anyOf: [
    { title: "federated", required: ["profile_id", "subject"] },
    {
      title: "console",
      required: ["iam_id", "password"],
      properties: { channel: { type: "string", enum: ["console"] } },
      not: { anyOf: [{ required: ["api_key"] }, { required: ["profile_id"] }, { required: ["subject"] }] },
    },
    {
      title: "cli",
      required: ["api_key"],
      properties: { channel: { type: "string", enum: ["cli"] } },
      not: { anyOf: [{ required: ["iam_id"] }, { required: ["password"] }, { required: ["profile_id"] }, { required: ["subject"] }] },
    },
  ],
});

export const TokenRequestSchema = strict({
  account_id: z
    .string({ error: () => "account_id: must be a string" })
    .regex(ACCOUNT_ID_PATTERN, { error: () => `account_id: must match ${ACCOUNT_ID_PATTERN.source}` }),
  api_key: str("api_key", 200).openapi({ description: "An identity API key." }),
}).openapi("AccessTokenRequest");

const limitValue = z
  .object({
    value: z.string(),
    source: z.enum(["account", "enterprise", "default", "trusted_profile"]),
    source_id: z.string().nullable(),
    account_id: z.string().nullable(),
  })
  .openapi("SessionLimitValue");

export const SessionLimitsSchema = z
  .object({
    session_expiration_in_seconds: limitValue,
    session_invalidation_in_seconds: limitValue,
    max_sessions_per_identity: limitValue,
    max_sessions_exceeded_action: limitValue.extend({ value: z.enum(SESSION_LIMIT_ACTIONS) }),
    last_access_write_interval_seconds: z.number().int().openapi({
      description: "W: the last access is written at most once per W seconds; a session is rejected between idle and idle + W after its last use.",
    }),
  })
  .openapi("SessionLimits");

export const SessionSchema = z
  .object({
    session_id: z.string().openapi({ example: "Session-0123456789abcdef0123456789abcdef" }),
    iam_id: z.string(),
    account_id: z.string(),
    channel: z.enum(["console", "cli"]),
    profile_id: z.string().nullable().openapi({ description: "The trusted profile of a federated login; null otherwise." }),
    state: z.enum(["active", "ended"]),
    created_at: z.string().openapi({ format: "date-time" }),
    last_access_at: z.string().openapi({ format: "date-time", description: "As recorded: at most W seconds behind the true last use." }),
    expires_at: z.string().nullable().openapi({ format: "date-time", description: "Active: when its lifetime ends under the current settings." }),
    idle_expires_at: z.string().nullable().openapi({ format: "date-time", description: "Active: until when it survives without use." }),
    ended_at: z.string().nullable().openapi({ format: "date-time" }),
    end_reason: z.enum(END_REASONS).nullable(),
    ended_by: z.string().nullable().openapi({ description: "evicted_by_limit: the session whose login evicted it; otherwise who ended it." }),
    client_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    current: z.boolean().openapi({ description: "True for the session making this request." }),
  })
  .openapi("Session");

export const LoginResponseSchema = z
  .object({
    session: SessionSchema.nullable().openapi({ description: "null for a service ID's CLI login (a token, no session)." }),
    token: z.string().optional().openapi({
      description: "CLI: the session token (or, for a service ID, an access token). Absent for the console, whose token travels only in the HttpOnly cookie.",
    }),
    token_type: z.enum(["session", "access"]),
    expires_at: z.string().openapi({ format: "date-time" }),
    limits: SessionLimitsSchema.optional(),
  })
  .openapi("LoginResponse");

export const AccessTokenSchema = z
  .object({ token: z.string(), token_type: z.literal("access"), expires_at: z.string().openapi({ format: "date-time" }) })
  .openapi("AccessToken");

export const CurrentSessionSchema = z
  .object({
    session: SessionSchema,
    limits: SessionLimitsSchema,
    role: z.enum(["viewer", "editor", "administrator", "owner"]).openapi({
      description: "What this session may do in its account: the membership's role (a federated user's session: viewer).",
    }),
    identity_name: z.string().nullable().openapi({ description: "The identity's name; null for a federated user." }),
  })
  .openapi("CurrentSession");

export const SessionListSchema = z
  .object({
    sessions: z.array(SessionSchema).openapi({ description: "Newest first (by created_at, then session_id, both descending); ended ones for 7 days; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("SessionList");

export const EndedSessionsSchema = z.object({ ended: z.array(z.string()).openapi({ description: "The ids of the sessions ended now." }) }).openapi("EndedSessions");

export const SessionIdParamsSchema = z.object({
  session_id: pathParam("session_id", SESSION_ID_PATTERN, SESSION_ID_RULE, "Session-0123456789abcdef0123456789abcdef"),
});
export const IdentitySessionParamsSchema = IamIdParamsSchema.extend(SessionIdParamsSchema.shape);
export const AccountSessionParamsSchema = AccountIdParamsSchema.extend(SessionIdParamsSchema.shape);

export const PasswordBodySchema = strict({
  password: passwordField("password")
    .min(MIN_PASSWORD_LENGTH, { error: () => `password: must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .openapi({ description: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters. Never logged or returned.` }),
  current_password: passwordField("current_password").optional().openapi({ description: "Required when the identity changes its own password." }),
}).openapi("SetPasswordRequest");

export const CreateIdentityKeyBodySchema = strict({
  name: str("name", MAX_NAME_LENGTH).optional().openapi({ description: 'Defaults to "identity key".' }),
}).openapi("CreateIdentityApiKeyRequest");

export const IdentityKeySchema = z
  .object({
    id: z.string(),
    iam_id: z.string(),
    name: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
    revoked_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("IdentityApiKey");

export const CreatedIdentityKeySchema = IdentityKeySchema.extend({
  key: z.string().optional().openapi({ description: "The key itself. Shown only in this response; store it now. Absent from the replay of a request with an `Idempotency-Key` (the secret is never stored)." }),
}).openapi("CreatedIdentityApiKey");

export const IdentityKeysSchema = z
  .object({
    api_keys: z.array(IdentityKeySchema).openapi({ description: "Oldest first (by created_at, then id), revoked ones included; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("IdentityApiKeys");

export const IdentityKeyParamsSchema = IamIdParamsSchema.extend({
  key_id: pathParam("key_id", IDENTITY_KEY_ID_PATTERN, IDENTITY_KEY_ID_RULE, "IdentityKey-0123456789abcdef"),
});

export const CreatedFederationKeySchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    role: z.literal("federation"),
    name: z.string(),
    key: z.string().optional().openapi({ description: "The key itself. Shown only in this response; store it now. Absent from the replay of a request with an `Idempotency-Key` (the secret is never stored)." }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("CreatedFederationKey");
