// Identifier formats shared by the API and the provider.

/** Account ids: lower-case letters, digits, `_` and `-`, starting with a letter or digit, at most 64 characters. */
export const ACCOUNT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const ACCOUNT_ID_RULE =
  "1 to 64 characters of lower-case letters, digits, '_' and '-', starting with a letter or digit";

export function checkAccountId(value: unknown): string | undefined {
  if (typeof value !== "string" || !ACCOUNT_ID_PATTERN.test(value)) {
    return `account_id must be ${ACCOUNT_ID_RULE}; got ${JSON.stringify(value)}`;
  }
  return undefined;
}
