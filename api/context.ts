// What every request carries through the middleware chain.
import type { Precondition } from "./db/store.ts";
import type { Role } from "./keys.ts";

/** The caller, as authenticated by its API key. A platform administrator has no account. */
export interface Principal {
  keyId: string;
  keyName: string;
  role: Role | "platform_admin";
  accountId: string | null;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    /** Set by requireIfMatch on conditional writes. */
    precondition: Precondition;
  };
}
