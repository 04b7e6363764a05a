import { randomBytes, timingSafeEqual } from "node:crypto";
import { LRUCache } from "lru-cache";
import { getPrisma } from "@/lib/db/prisma";
import { singleton } from "@/lib/singleton";
import { loadUserAccess } from "./access";
import type { Principal } from "./principal";
import { open, seal } from "./secret-box";

// API key credentials: minting a SecretId "AKID…" (public) + SecretKey (secret, shown once, sealed at
// rest), resolving a SecretId to its key and checking a presented SecretKey. Managing keys as a
// resource (who may list, create, disable them; the audit log) is lib/services/api-keys.ts.
// Lookups are cached for KEY_CACHE_MS so hot paths skip the database; a disabled or deleted key
// stops working in this process at once and in others within that time. Unknown SecretIds are
// cached too (as null), so the cache is bounded by entries; SecretIds longer than
// maxSecretIdLength are refused before any lookup.

const KEY_CACHE_MS = 5000;
const KEY_CACHE_ENTRIES = 10_000;
/** Ours are 36 characters ("AKID" + 32); Tencent's too. */
export const maxSecretIdLength = 64;
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export type ResolvedKey = {
  id: string;
  accountId: string;
  userId: string;
  secretId: string;
  secretKey: string;
  permissions: string[];
};
type CacheEntry = { key: ResolvedKey | null };
const cache = singleton(
  "apiKeyCacheLru",
  () => new LRUCache<string, CacheEntry>({ max: KEY_CACHE_ENTRIES, ttl: KEY_CACHE_MS }),
);

/** Stores a new key with a fresh SecretId and SecretKey; the caller authorizes and audits (services do). */
export async function insertApiKey(
  options: { accountId: string; userId: string; description?: string; permissions?: string[] },
  /** A transaction to create the key in (with its audit row). */
  db: Pick<ReturnType<typeof getPrisma>, "apiKey"> = getPrisma(),
) {
  const secretId = `AKID${randomString(32)}`;
  const secretKey = randomString(32);
  const row = await db.apiKey.create({
    data: {
      accountId: options.accountId,
      userId: options.userId,
      secretId,
      secretKeyEncrypted: seal(secretKey),
      description: options.description ?? "",
      permissions: options.permissions ?? [],
    },
  });
  return {
    id: row.id,
    secretId,
    secretKey,
    description: row.description,
    permissions: row.permissions,
    createdAt: row.createdAt,
  };
}

/** The active key with this SecretId, with its SecretKey, or null. */
export async function resolveApiKey(secretId: string): Promise<ResolvedKey | null> {
  if (secretId.length > maxSecretIdLength) return null;
  const hit = cache.get(secretId);
  if (hit) return hit.key;
  const row = await getPrisma().apiKey.findUnique({ where: { secretId } });
  const key =
    row && !row.isDisabled
      ? {
          id: row.id,
          accountId: row.accountId,
          userId: row.userId,
          secretId,
          secretKey: open(row.secretKeyEncrypted),
          permissions: row.permissions,
        }
      : null;
  cache.set(secretId, { key });
  if (row) touchLastUsed(row.id, row.lastUsedAt);
  return key;
}

/** HTTP Basic authentication with SecretId / SecretKey. */
export async function authenticateBasic(secretId: string, secretKey: string): Promise<Principal | null> {
  if (!secretId.startsWith("AKID") || secretId.length > maxSecretIdLength) return null;
  const key = await resolveApiKey(secretId);
  if (!key || !safeEqual(key.secretKey, secretKey)) return null;
  return keyPrincipal(key);
}

/** The principal acting through a key: its user's access, narrowed by the key; null if the user is disabled. */
export async function keyPrincipal(key: ResolvedKey): Promise<Principal | null> {
  const user = await loadUserAccess(key.userId);
  if (!user) return null;
  return {
    accountId: key.accountId,
    userId: key.userId,
    via: "apiKey",
    apiKeyId: key.id,
    label: key.secretId,
    access: { ...user.access, keyPermissions: key.permissions },
  };
}

export function forgetApiKey(secretId: string): void {
  cache.delete(secretId);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// last_used_at is advisory: written at most once a minute per key, off the request's path.
function touchLastUsed(id: string, lastUsedAt: Date | null) {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < 60_000) return;
  getPrisma()
    .apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } })
    .catch(() => {});
}
