// The request and response schemas of the HTTP API. They validate requests AND generate the OpenAPI document,
// so the two cannot disagree. Setting value schemas derive from the settings model (schemas/settings.ts).
import { z } from "@hono/zod-openapi";
import { ERROR_CODE_LIST } from "../schemas/errors.ts";
import { decimalRangePattern } from "./decimal-pattern.ts";
import { MAX_EMBEDDED_HISTORY, nextCursorField } from "./pagination.ts";
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  ENTERPRISE_ID_PATTERN,
  ENTERPRISE_ID_RULE,
  IAM_ID_PATTERN,
  IAM_ID_RULE,
  TRUSTED_PROFILE_ID_PATTERN,
  TRUSTED_PROFILE_ID_RULE,
  API_KEY_ID_PATTERN,
  API_KEY_ID_RULE,
  INVITATION_ID_PATTERN,
  INVITATION_ID_RULE,
} from "../schemas/identifiers.ts";
import {
  MAX_SESSIONS_EXCEEDED_ACTION,
  NOT_SET,
  SETTINGS,
  checkChoiceValue,
  describeValidChoices,
  type ChoiceSettingDefinition,
  TRUSTED_PROFILE_SESSION_DURATION,
  checkSettingValue,
  describeValidValues,
  type SettingDefinition,
} from "../schemas/settings.ts";
import { MAX_NAME_LENGTH, TEXT_PATTERN, TEXT_RULE, checkText } from "../schemas/text.ts";
import { ANOTHER_ACCOUNT } from "../schemas/wire.ts";
import { ACCOUNT_ROLES } from "./keys.ts";

export { MAX_NAME_LENGTH };

/**
 * The exact pattern of a setting's valid values: NOT_SET, or a canonical decimal from min to max. Exact, so the
 * OpenAPI document accepts what the API accepts and nothing else (a fuzzer driven by the document checks both ways).
 */
export { decimalRangePattern };

export function settingValuePattern(def: SettingDefinition): string {
  return `^(${NOT_SET}|${decimalRangePattern(def.min, def.max)})$`;
}


/** A setting value as it travels: a string, validated by the settings model (never normalised). */
export function settingValueSchema(def: SettingDefinition) {
  const message = (input: unknown) => {
    const check = checkSettingValue(def, input);
    return check.ok ? `${def.name}: invalid value; valid values are ${describeValidValues(def)}` : check.message;
  };
  return z
    .string({ error: (iss) => message(iss.input) })
    .superRefine((value, ctx) => {
      const check = checkSettingValue(def, value);
      if (!check.ok) ctx.addIssue({ code: "custom", message: check.message, input: value });
    })
    .openapi({
      description: `${def.description} Valid values: ${describeValidValues(def)}. "${NOT_SET}" means the service default (${def.serviceDefault}${def.unit === "seconds" && def.serviceDefault !== "unlimited" ? " seconds" : ""}).`,
      pattern: settingValuePattern(def),
      examples: [String(def.min), String(def.max), NOT_SET],
    });
}

/** A choice setting as it travels: one of its words or NOT_SET, exactly (never normalised). */
export function choiceValueSchema(def: ChoiceSettingDefinition) {
  const message = (input: unknown) => {
    const check = checkChoiceValue(def, input);
    return check.ok ? `${def.name}: invalid value; valid values are ${describeValidChoices(def)}` : check.message;
  };
  return z
    .string({ error: (iss) => message(iss.input) })
    .superRefine((value, ctx) => {
      const check = checkChoiceValue(def, value);
      if (!check.ok) ctx.addIssue({ code: "custom", message: check.message, input: value });
    })
    .openapi({
      description: `${def.description} Valid values: ${describeValidChoices(def)}. "${NOT_SET}" means the service default (${def.serviceDefault}). ${Object.entries(def.choiceDescriptions).map(([k, v]) => `${k}: ${v}.`).join(" ")}`,
      enum: [...def.choices, NOT_SET],
      examples: [def.serviceDefault, NOT_SET],
    });
}

const settingShape = {
  ...(Object.fromEntries(SETTINGS.map((def) => [def.name, settingValueSchema(def)])) as {
    session_expiration_in_seconds: ReturnType<typeof settingValueSchema>;
    session_invalidation_in_seconds: ReturnType<typeof settingValueSchema>;
    max_sessions_per_identity: ReturnType<typeof settingValueSchema>;
  }),
  max_sessions_exceeded_action: choiceValueSchema(MAX_SESSIONS_EXCEEDED_ACTION),
};

function unknownFieldMessage(validFields: readonly string[]) {
  return `unknown field "{key}"; valid fields are ${validFields.join(", ")}`;
}

/** A strict object: unknown fields are rejected with their name. */
function strictBody<T extends z.ZodRawShape>(shape: T) {
  const fields = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? unknownFieldMessage(fields)
        : iss.code === "invalid_type"
          ? `the request body must be a JSON object with the fields ${fields.join(", ")}`
          : undefined,
  });
}

// --- errors -----------------------------------------------------------------------------------------------------

export const ErrorResponseSchema = z
  .object({
    errors: z.array(
      z.object({
        code: z.enum(ERROR_CODE_LIST).openapi({ example: "invalid_setting_value" }),
        message: z.string(),
        target: z
          .object({ type: z.enum(["field", "header", "parameter", "body"]), name: z.string() })
          .optional()
          .openapi({ description: "What in the request the error is about; absent when nothing in particular." }),
      }),
    ),
    status_code: z.number().int(),
    trace: z.string().openapi({ description: "The request's id, also sent as the X-Request-Id header." }),
  })
  .openapi("ErrorResponse");

// --- health -----------------------------------------------------------------------------------------------------

export const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

// --- accounts ---------------------------------------------------------------------------------------------------

/** An identifier in a request body, with the format and its rule in words from schemas/identifiers.ts. */
const identifierField = (field: string, pattern: RegExp, rule: string, example: string) =>
  z
    .string({ error: () => `${field}: must be a string matching ${pattern.source}` })
    .regex(pattern, { error: () => `${field}: must match ${pattern.source} (${rule})` })
    .openapi({ pattern: pattern.source, example });

const accountIdField = identifierField("account_id", ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE, "acme-prod");

/** A name: text as schemas/text.ts defines it (well-formed, no control or bidi characters, 1 to 200 code points). */
export const nameField = (field: string, maxLength = MAX_NAME_LENGTH) =>
  z
    .string({ error: () => checkText(field, undefined, maxLength)! })
    .superRefine((value, ctx) => {
      const problem = checkText(field, value, maxLength);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
    })
    .openapi({ minLength: 1, maxLength, pattern: TEXT_PATTERN, description: `1 to ${maxLength} characters (code points), ${TEXT_RULE}.` });

export const CreateAccountBodySchema = strictBody({
  account_id: accountIdField.optional().openapi({
    description: "The account's id; 32 lower-case hex digits are generated when omitted.",
  }),
  name: nameField("name").openapi({ example: "ACME production" }),
}).openapi("CreateAccountRequest");

export const AccountSchema = z
  .object({
    account_id: z.string().openapi({ example: "acme-prod" }),
    name: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Account");

/**
 * A path parameter with its identifier format, enforced (400 invalid_parameter) as the document states it. The
 * access rule runs first, so a key that may not see the parent still gets its 404.
 */
export const pathParam = (name: string, pattern: RegExp, rule: string, example: string) =>
  z
    .string()
    .regex(pattern, { error: () => `${name}: must match ${pattern.source} (${rule})` })
    .openapi({ param: { name, in: "path" }, pattern: pattern.source, example });

export const AccountIdParamsSchema = z.object({
  account_id: pathParam("account_id", ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE, "acme-prod"),
});

// --- API keys ---------------------------------------------------------------------------------------------------

const roleField = z
  .enum(ACCOUNT_ROLES, { error: () => `role: must be one of ${ACCOUNT_ROLES.join(", ")}` })
  .openapi({ description: "viewer reads; editor and administrator also write settings; owner also creates API keys." });

/** An optional expiry: an RFC 3339 date-time with an offset, in the future. */
export const expiresAtField = z
  .string({ error: () => "expires_at: must be an RFC 3339 date-time, for example 2030-01-31T12:00:00Z" })
  .pipe(z.iso.datetime({ offset: true, error: () => "expires_at: must be an RFC 3339 date-time with Z or an offset, for example 2030-01-31T12:00:00Z" }))
  .openapi({
    format: "date-time",
    description:
      "When the key stops working (401 expired_token from then on); in the future (a past one is 422 " +
      "`expires_at_in_past`: whether it is past depends on the clock, not on the request's syntax). Omitted: it never expires.",
    example: "2030-01-31T12:00:00Z",
  });

export const CreateApiKeyBodySchema = strictBody({
  role: roleField,
  name: nameField("name").optional().openapi({ description: 'Defaults to "<role> key".', example: "terraform ci" }),
  expires_at: expiresAtField.optional(),
}).openapi("CreateApiKeyRequest");

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "ApiKey-0123456789abcdef" }),
    name: z.string(),
    role: z.enum([...ACCOUNT_ROLES, "platform_admin"]),
    account_id: z.string().nullable(),
    enterprise_id: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
    created_by: z.string().nullable().openapi({
      description: "The id of the key that created this one; null when made at start-up or by `npm run admin` (or before this was recorded).",
    }),
    expires_at: z.string().nullable().openapi({ format: "date-time", description: "null: never expires." }),
    last_used_at: z.string().nullable().openapi({ format: "date-time", description: "Recorded to the minute; null: never used." }),
  })
  .openapi("ApiKey", { description: "A key as listed: never the secret." });

export const ApiKeysSchema = z
  .object({
    api_keys: z.array(ApiKeySchema).openapi({ description: "Keys not revoked (expired ones included), oldest first (by created_at, then id); one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("ApiKeys");

export const KeyIdParamSchema = z.object({
  key_id: pathParam("key_id", API_KEY_ID_PATTERN, API_KEY_ID_RULE, "ApiKey-0123456789abcdef"),
});

export const CreatedApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "ApiKey-0123456789abcdef" }),
    name: z.string(),
    role: z.enum(ACCOUNT_ROLES),
    account_id: z.string(),
    key: z.string().optional().openapi({
      description:
        "The key itself. Shown only in this response; store it now. Absent from a replay (Idempotent-Replayed: true): " +
        "only the key's hash is stored, so revoke that key (by its id) and create another.",
    }),
    created_at: z.string().openapi({ format: "date-time" }),
    created_by: z.string().nullable(),
    expires_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("CreatedApiKey");

// --- settings ---------------------------------------------------------------------------------------------------

export const SettingsValuesSchema = z.object(settingShape).openapi("IdentitySettingsValues");

export const SettingsUpdateBodySchema = strictBody({
  session_expiration_in_seconds: settingShape.session_expiration_in_seconds.optional(),
  session_invalidation_in_seconds: settingShape.session_invalidation_in_seconds.optional(),
  max_sessions_per_identity: settingShape.max_sessions_per_identity.optional(),
  max_sessions_exceeded_action: settingShape.max_sessions_exceeded_action.optional(),
}).openapi("IdentitySettingsUpdate", {
  description: "A partial update: settings left out keep their current values.",
});

export const HistoryEntrySchema = z
  .object({
    version: z.number().int().openapi({ description: "The settings version this change produced." }),
    changed_at: z.string().openapi({ format: "date-time" }),
    changed_by: z.object({
      key_id: z.string().openapi({ description: "The id of the API key that made the change.", example: "ApiKey-0123456789abcdef" }),
      key_name: z.string(),
      account_id: z
        .string()
        .nullable()
        .openapi({ description: "The key's account; null for an enterprise key and for a platform administrator." }),
      enterprise_id: z.string().nullable().openapi({
        description:
          "The key's enterprise; null for an account key and for a platform administrator (both null: the platform administrator). Null in entries recorded before the API recorded it.",
      }),
      iam_id: z.string().openapi({
        deprecated: true,
        description: "Deprecated: the same API key id as `key_id` (its old name; it never was an IAM id). Read `key_id`.",
        example: "ApiKey-0123456789abcdef",
      }),
    }),
    idempotency_key: z.string().nullable().openapi({
      description:
        "The Idempotency-Key the PUT that made this change carried (null when it sent none): a client whose answer " +
        "was lost reads the latest entry to tell whether its own change was made.",
    }),
    action: z.literal("update"),
    old: SettingsValuesSchema,
    new: SettingsValuesSchema,
  })
  .openapi("IdentitySettingsHistoryEntry");

export const IncludeHistoryQuerySchema = z.object({
  include_history: z
    .enum(["true", "false"], { error: () => 'include_history: must be "true" or "false"' })
    .optional()
    .openapi({
      param: { name: "include_history", in: "query" },
      description: `Include the newest ${MAX_EMBEDDED_HISTORY} history entries, oldest first (the history operation pages through all of them).`,
    }),
});

/** One page of an owner's settings history, newest first. */
export const HistoryPageSchema = z
  .object({
    history: z.array(HistoryEntrySchema).openapi({ description: "Newest first; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("SettingsHistoryPage");
/**
 * The If-Match syntax the API accepts (RFC 9110 §13.1.1, plus unquoted tags): `*`, or a comma-separated list of
 * entity tags, each `"tag"`, `W/"tag"` (weak: never matches, since the comparison is strong) or a bare tag; a tag
 * is visible ASCII without `"` (and, bare, without `,`). Anything else is 400 invalid_header.
 */
export const IF_MATCH_PATTERN = (() => {
  const tag = String.raw`(?:W/)?"[\x21\x23-\x7E]*"|[\x21\x23-\x2B\x2D-\x7E]+`;
  return String.raw`^[ \t]*(?:\*|(?:${tag})(?:[ \t]*,[ \t]*(?:${tag}))*)[ \t]*$`;
})();

const IF_MATCH_RE = new RegExp(IF_MATCH_PATTERN);

/** Whether an If-Match value has the accepted syntax. */
export const isIfMatchSyntax = (value: string): boolean => IF_MATCH_RE.test(value);

export const IF_MATCH_RULE = '"*" or comma-separated entity tags, each "tag", W/"tag" or a bare tag of visible ASCII';

const ifMatchValue = z
  .string()
  .regex(IF_MATCH_RE, { error: () => `If-Match: must be ${IF_MATCH_RULE}` })
  .openapi({ pattern: IF_MATCH_PATTERN, example: '"3f1c0d9e5b7a4c2e8f6a1b3d5c7e9f01"' });

export const IfMatchHeaderSchema = z.object({
  "if-match": ifMatchValue.optional().openapi({
    param: { name: "if-match", in: "header", required: true },
    description: `The current entity_tag (quoted or not), or "*". Syntax: ${IF_MATCH_RULE}. Missing: 428; malformed: 400; stale: 412.`,
  }),
});

/** The settings of one owner; `idField` is the owner's id field (account_id or enterprise_id). */
export function settingsResponseSchema(idField: string, componentName: string) {
  return z
    .object({
      [idField]: z.string(),
      ...settingShape,
      entity_tag: z.string().openapi({ description: "Opaque; changes with every change. Send it back in If-Match." }),
      updated_at: z.string().openapi({ format: "date-time" }),
      history: z.array(HistoryEntrySchema).optional().openapi({
        description: `Only with include_history=true: the newest ${MAX_EMBEDDED_HISTORY} entries at most, oldest first (all of them: the history operation, a page at a time).`,
      }),
      history_next_cursor: nextCursorField.optional().openapi({
        description: "Only with include_history=true: the cursor of the older entries on the history operation; null when `history` has them all.",
      }),
    })
    .openapi(componentName);
}

// --- enterprises (issue #6) -------------------------------------------------------------------------------------

const enterpriseIdField = identifierField("enterprise_id", ENTERPRISE_ID_PATTERN, ENTERPRISE_ID_RULE, "acme-group");

export const CreateEnterpriseBodySchema = strictBody({
  enterprise_id: enterpriseIdField.optional().openapi({
    description: "The enterprise's id (the account id format); 32 lower-case hex digits are generated when omitted.",
  }),
  name: nameField("name").openapi({ example: "ACME group" }),
}).openapi("CreateEnterpriseRequest");

export const EnterpriseSchema = z
  .object({
    enterprise_id: z.string().openapi({ example: "acme-group" }),
    name: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Enterprise");

export const EnterpriseIdParamsSchema = z.object({
  enterprise_id: pathParam("enterprise_id", ENTERPRISE_ID_PATTERN, ENTERPRISE_ID_RULE, "acme-group"),
});

export const CreatedEnterpriseApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "ApiKey-0123456789abcdef" }),
    name: z.string(),
    role: z.enum(ACCOUNT_ROLES),
    enterprise_id: z.string(),
    account_id: z.null().openapi({ description: "Always null: an enterprise key belongs to no single account." }),
    key: z.string().optional().openapi({
      description:
        "The key itself. Shown only in this response; store it now. Absent from a replay (Idempotent-Replayed: true): " +
        "only the key's hash is stored, so revoke that key (by its id) and create another.",
    }),
    created_at: z.string().openapi({ format: "date-time" }),
    created_by: z.string().nullable(),
    expires_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("CreatedEnterpriseApiKey");

export const LinkEnterpriseBodySchema = strictBody({
  enterprise_id: enterpriseIdField,
}).openapi("AccountEnterpriseLinkRequest");

export const AccountEnterpriseLinkSchema = z
  .object({ account_id: z.string(), enterprise_id: z.string() })
  .openapi("AccountEnterpriseLink");


// --- identities and members (issue #6) --------------------------------------------------------------------------

const iamIdField = identifierField("iam_id", IAM_ID_PATTERN, IAM_ID_RULE, "IBMid-0123456789abcdef");

export const CreateIdentityBodySchema = strictBody({
  iam_id: iamIdField.optional().openapi({ description: '"iam-" and 32 lower-case hex digits are generated when omitted.' }),
  name: nameField("name").openapi({ example: "Jane Doe" }),
  kind: z
    .enum(["user", "service_id"], { error: () => 'kind: must be "user" or "service_id"' })
    .optional()
    .openapi({ description: 'Default "user". A service ID logs in only by CLI and gets a token, never a session (docs/sessions.md).' }),
}).openapi("CreateIdentityRequest");

export const IdentitySchema = z
  .object({
    iam_id: z.string().openapi({ example: "IBMid-0123456789abcdef" }),
    name: z.string(),
    kind: z.enum(["user", "service_id"]),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Identity");

export const IamIdParamsSchema = z.object({
  iam_id: pathParam("iam_id", IAM_ID_PATTERN, IAM_ID_RULE, "IBMid-0123456789abcdef"),
});

export const AccountMemberParamsSchema = AccountIdParamsSchema.extend(IamIdParamsSchema.shape);

const memberRoleField = z.enum(ACCOUNT_ROLES).openapi({
  description: "What the member's own sessions may do in the account: exactly what a key of this role may.",
});

export const MembershipSchema = z
  .object({ account_id: z.string(), iam_id: z.string(), role: memberRoleField })
  .openapi("AccountMembership");

export const MembersSchema = z
  .object({
    members: z
      .array(z.object({ iam_id: z.string(), name: z.string(), role: memberRoleField }).openapi("AccountMember"))
      .openapi({ description: "Accepted members only, by iam_id; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("AccountMembers");

export const MemberRoleBodySchema = strictBody({
  role: z
    .enum(ACCOUNT_ROLES, { error: () => `role: must be one of ${ACCOUNT_ROLES.join(", ")}` })
    .optional()
    .openapi({ description: "Default: viewer for a new member or invitation; an existing member keeps its role." }),
}).openapi("MemberRoleRequest");

export const InvitationSchema = z
  .object({
    invitation_id: z.string().openapi({ example: "Invitation-0123456789abcdef0123456789abcdef" }),
    account_id: z.string(),
    iam_id: z.string(),
    role: memberRoleField,
    state: z.enum(["pending", "accepted", "declined", "revoked", "expired"]).openapi({
      description: "Only a pending invitation can be accepted, declined or revoked; expired: pending past expires_at.",
    }),
    invited_by: z.string().openapi({ description: "The id of the key (or session) that invited." }),
    created_at: z.string().openapi({ format: "date-time" }),
    expires_at: z.string().openapi({ format: "date-time" }),
    answered_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Invitation");

export const InvitationsSchema = z
  .object({
    invitations: z.array(InvitationSchema).openapi({ description: "Oldest first (by created_at, then invitation_id), in every state; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("Invitations");

export const InvitationIdParamSchema = z.object({
  invitation_id: pathParam("invitation_id", INVITATION_ID_PATTERN, INVITATION_ID_RULE, "Invitation-0123456789abcdef0123456789abcdef"),
});

// --- trusted profiles (issue #6) --------------------------------------------------------------------------------

const sessionDurationField = settingValueSchema(TRUSTED_PROFILE_SESSION_DURATION);

export const CreateTrustedProfileBodySchema = strictBody({
  name: nameField("name").openapi({ example: "federated engineers" }),
  session_duration_in_seconds: sessionDurationField.optional(),
}).openapi("CreateTrustedProfileRequest");

export const UpdateTrustedProfileBodySchema = strictBody({
  name: nameField("name").optional(),
  session_duration_in_seconds: sessionDurationField.optional(),
}).openapi("TrustedProfileUpdate", { description: "A partial update: fields left out keep their current values." });

export const TrustedProfileSchema = z
  .object({
    profile_id: z.string().openapi({ pattern: TRUSTED_PROFILE_ID_PATTERN.source, example: "Profile-0123456789abcdef0123456789abcdef" }),
    account_id: z.string(),
    name: z.string(),
    session_duration_in_seconds: sessionDurationField,
    entity_tag: z.string().openapi({ description: "Opaque; changes with every change. Send it back in If-Match." }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("TrustedProfile");

export const TrustedProfilesSchema = z
  .object({
    trusted_profiles: z.array(TrustedProfileSchema).openapi({ description: "Oldest first; one page." }),
    next_cursor: nextCursorField,
  })
  .openapi("TrustedProfiles");

export const TrustedProfileParamsSchema = AccountIdParamsSchema.extend({
  profile_id: pathParam("profile_id", TRUSTED_PROFILE_ID_PATTERN, TRUSTED_PROFILE_ID_RULE, "Profile-0123456789abcdef0123456789abcdef"),
});

export const OptionalIfMatchHeaderSchema = z.object({
  "if-match": ifMatchValue.optional().openapi({
    param: { name: "if-match", in: "header", required: false },
    description: `Optional: when given, the current entity_tag (quoted or not) or "*". Syntax: ${IF_MATCH_RULE}. Malformed: 400; stale: 412.`,
  }),
});

// --- effective settings (issue #6) ------------------------------------------------------------------------------

export const EffectiveValueSchema = z
  .object({
    value: z.string().openapi({
      description: 'The effective number as a canonical decimal string, or "unlimited" (max_sessions_per_identity, when no level limits it).',
      example: "3600",
    }),
    source: z.enum(["account", "enterprise", "default", "another_account"]).openapi({
      description: `another_account: (for an identity) the value comes from an account the caller may not see; source_id and account_id are then "${ANOTHER_ACCOUNT}".`,
    }),
    source_id: z.string().nullable().openapi({ description: "The account or enterprise whose value applies; null for the default." }),
    account_id: z.string().nullable().openapi({
      description: `The account the answer is for; for an identity, the account that made the value lowest (null when it is in no account; "${ANOTHER_ACCOUNT}" when the caller may not see it).`,
    }),
  })
  .openapi("EffectiveSettingValue");

const effectiveShape = {
  ...(Object.fromEntries(SETTINGS.map((def) => [def.name, EffectiveValueSchema])) as {
    session_expiration_in_seconds: typeof EffectiveValueSchema;
    session_invalidation_in_seconds: typeof EffectiveValueSchema;
    max_sessions_per_identity: typeof EffectiveValueSchema;
  }),
  max_sessions_exceeded_action: EffectiveValueSchema.openapi({
    description: "The action of the level whose max_sessions_per_identity is effective (its source and account are that level's).",
  }),
};

export const AccountEffectiveSettingsSchema = z
  .object({
    account_id: z.string(),
    enterprise_id: z.string().nullable().openapi({ description: "The account's enterprise; null when it has none." }),
    ...effectiveShape,
  })
  .openapi("AccountEffectiveSettings");

export const IdentityEffectiveSettingsSchema = z
  .object({
    iam_id: z.string(),
    accounts: z.array(z.string()).openapi({
      description: `The identity's accounts (accepted memberships) the caller may see, by account_id; then "${ANOTHER_ACCOUNT}" once when it belongs to others.`,
    }),
    ...effectiveShape,
  })
  .openapi("IdentityEffectiveSettings");
