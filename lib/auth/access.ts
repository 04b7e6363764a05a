import { LRUCache } from "lru-cache";
import { getPrisma } from "@/lib/db/prisma";
import { singleton } from "@/lib/singleton";
import type { Access, Role, Statement } from "./permissions";

// A user's role and policy, cached briefly per process: a disabled user, a changed role or policy
// takes effect in this process at once (forgetUserAccess) and in others within USER_CACHE_MS. The
// same holds for the session generation: a console session issued under an older one has ended.

const USER_CACHE_MS = 5000;

export type UserAccess = {
  userId: string;
  accountId: string;
  email: string;
  /** Console sessions carry the generation they were issued under; only the current one is valid. */
  sessionGeneration: number;
  access: Access;
};
type Entry = { value: UserAccess | null; at: number };
// Bounded: user ids come from signed session cookies and keys, but nothing in a process grows unbounded.
const cache = singleton("userAccessCacheLru", () => new LRUCache<string, Entry>({ max: 10_000 }));

/** The active user's access, or null when the user is gone or disabled. */
export async function loadUserAccess(userId: string): Promise<UserAccess | null> {
  const hit = cache.get(userId);
  if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.value;
  const user = await getPrisma().user.findUnique({
    where: { id: userId },
    include: { policies: { orderBy: { position: "asc" } } },
  });
  const value =
    user && !user.isDisabled
      ? {
          userId: user.id,
          accountId: user.accountId,
          email: user.email,
          sessionGeneration: user.sessionGeneration,
          access: {
            role: user.role as Role,
            statements: user.policies.map(
              (p): Statement => ({
                effect: p.effect as Statement["effect"],
                actions: p.actions,
                resources: p.resources,
              }),
            ),
            keyPermissions: [],
          },
        }
      : null;
  cache.set(userId, { value, at: Date.now() });
  return value;
}

export function forgetUserAccess(userId: string): void {
  cache.delete(userId);
}

/** The user of a console session, or null when the user is gone, disabled or the session has ended. */
export async function loadSessionUser(userId: string, sessionGeneration: unknown): Promise<UserAccess | null> {
  const user = await loadUserAccess(userId);
  // Sessions from before generations existed carry none: they count as generation 0.
  return user && user.sessionGeneration === Number(sessionGeneration ?? 0) ? user : null;
}
