// The first platform administrator: from IAMSESSION_ADMIN_TOKEN, or a fresh key printed once. Also the CLI's
// "create another platform administrator key". Never from an unauthenticated route.
import type { ApiKeyRecord, Store } from "./db/store.ts";
import { generateApiKey, generateKeyId, hashApiKey } from "./keys.ts";

export type BootstrapResult =
  | { kind: "existing"; adminTokenIgnored: boolean }
  | { kind: "token_unusable" }
  | { kind: "from_token"; record: ApiKeyRecord }
  | { kind: "generated"; record: ApiKeyRecord; key: string };

export function createPlatformAdminKey(store: Store, name: string, key = generateApiKey()): { record: ApiKeyRecord; key: string } {
  const record = store.createApiKey({ id: generateKeyId(), name, role: "platform_admin", accountId: null, hash: hashApiKey(key) });
  return { record, key };
}

export function ensurePlatformAdmin(store: Store, adminToken: string | undefined): BootstrapResult {
  if (store.hasPlatformAdmin()) {
    return { kind: "existing", adminTokenIgnored: adminToken !== undefined && !store.findApiKeyByHash(hashApiKey(adminToken)) };
  }
  if (adminToken !== undefined) {
    // A revoked (or expired) key cannot come back as the administrator's.
    if (store.keys.findByHash(hashApiKey(adminToken))) return { kind: "token_unusable" };
    return { kind: "from_token", record: createPlatformAdminKey(store, "platform administrator (IAMSESSION_ADMIN_TOKEN)", adminToken).record };
  }
  const { record, key } = createPlatformAdminKey(store, "platform administrator (generated at first start)");
  return { kind: "generated", record, key };
}
