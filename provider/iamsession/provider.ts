// The iamsession provider: its configuration, and the resources and data sources it offers.
import pkg from "../../package.json" with { type: "json" };
import {
  createLogger,
  CtyNumber,
  isUnknown,
  type CtyValue,
  type Diagnostics,
  type ObjectValue,
  type ProviderDefinition,
} from "../framework/index.ts";
import { IamsessionClient } from "../../client/index.ts";
import { accountSettingsDataSource } from "./data-sources/account-settings.ts";
import { effectiveSettingsDataSource } from "./data-sources/effective-settings.ts";
import { accountSettingsResource } from "./resources/account-settings.ts";
import { enterpriseSettingsResource } from "./resources/enterprise-settings.ts";
import { trustedProfileResource } from "./resources/trusted-profile.ts";

const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_RETRIES = 3;

export function createIamsessionProvider(env: NodeJS.ProcessEnv = process.env): ProviderDefinition<IamsessionClient> {
  return {
    typeName: "iamsession",
    version: pkg.version,
    schema: {
      version: 0,
      description: "Manages login-session limits of iamsession accounts through the iamsession settings API.",
      attributes: {
        endpoint: {
          type: "string",
          description:
            "Base URL of the iamsession settings API, for example `http://127.0.0.1:8080`. Falls back to the " +
            "`IAMSESSION_ENDPOINT` environment variable.",
          optional: true,
          validators: [checkEndpoint],
        },
        token: {
          type: "string",
          description:
            "API key used as a bearer token. Falls back to the `IAMSESSION_TOKEN` environment variable; prefer " +
            "the variable, so that the key is not written in configuration.",
          optional: true,
          sensitive: true,
        },
        timeout_seconds: {
          type: "number",
          description: `Timeout of each HTTP request, in seconds (1 to 600). Default ${DEFAULT_TIMEOUT_SECONDS}.`,
          optional: true,
          validators: [wholeNumberIn(1, 600)],
        },
        max_retries: {
          type: "number",
          description:
            "How many times a request is retried, with exponential backoff (0 to 10; default " +
            `${DEFAULT_MAX_RETRIES}). Reads, and creates (each with one Idempotency-Key on every attempt), are retried ` +
            "after a timeout, a connection error or a 5xx answer. Changes and deletes are retried only when they " +
            "certainly did not reach the API; after a failure that leaves it open, the provider reads back whether " +
            "the change was made.",
          optional: true,
          validators: [wholeNumberIn(0, 10)],
        },
      },
    },

    configure(config: ObjectValue, diagnostics: Diagnostics) {
      const endpoint = stringOr(config.endpoint, env.IAMSESSION_ENDPOINT);
      const token = stringOr(config.token, env.IAMSESSION_TOKEN);
      if (endpoint === undefined) {
        diagnostics.error(
          "Missing iamsession API endpoint",
          "Set `endpoint` in the provider configuration or the IAMSESSION_ENDPOINT environment variable.",
          ["endpoint"],
        );
      } else {
        const problem = checkEndpoint(endpoint);
        if (problem) diagnostics.error("Invalid IAMSESSION_ENDPOINT", problem, ["endpoint"]);
      }
      if (token === undefined) {
        diagnostics.error(
          "Missing iamsession API token",
          "Set the IAMSESSION_TOKEN environment variable (or `token` in the provider configuration) to an API key.",
          ["token"],
        );
      }
      return new IamsessionClient({
        endpoint: endpoint ?? "",
        token: token ?? "",
        timeoutMs: numberOr(config.timeout_seconds, DEFAULT_TIMEOUT_SECONDS) * 1000,
        maxRetries: numberOr(config.max_retries, DEFAULT_MAX_RETRIES),
        userAgent: `terraform-provider-iamsession/${pkg.version}`,
        log: createLogger("provider.iamsession"),
      });
    },

    resources: [accountSettingsResource(), enterpriseSettingsResource(), trustedProfileResource()],
    dataSources: [accountSettingsDataSource(), effectiveSettingsDataSource()],
  };
}

function checkEndpoint(value: CtyValue): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return `endpoint must be an http or https URL, got ${value}`;
    if (url.username || url.password) return "endpoint must not carry credentials; use token";
    return undefined;
  } catch {
    return `endpoint must be an absolute URL such as http://127.0.0.1:8080, got ${JSON.stringify(value)}`;
  }
}

function wholeNumberIn(min: number, max: number) {
  return (value: CtyValue): string | undefined => {
    const n = value instanceof CtyNumber ? value.toNumber() : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? undefined : `must be a whole number from ${min} to ${max}`;
  };
}

function stringOr(value: CtyValue | undefined, fallback: string | undefined): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (value !== undefined && isUnknown(value)) return undefined;
  return fallback === "" ? undefined : fallback;
}

function numberOr(value: CtyValue | undefined, fallback: number): number {
  return value instanceof CtyNumber ? value.toNumber() : fallback;
}
