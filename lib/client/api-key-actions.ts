import { allPermissions, mayEver, type Permission } from "@/lib/auth/permissions";
import type { ApiKey, Me } from "@/lib/schemas/access";
import { denialReason } from "./access";
import type { Allowance } from "./user-actions";

// What the signed-in user may do to one API key — the rule of lib/services/api-keys.ts: one's own
// keys with apikey:own, anyone else's with apikey:manage.

export function apiKeyRowAllowance(me: Me, key: ApiKey): Allowance {
  const permission: Permission = key.userId === me.user.id ? "apikey:own" : "apikey:manage";
  return mayEver(me.access, permission)
    ? { isAllowed: true }
    : { isAllowed: false, reason: denialReason(me.access, permission) };
}

/** What a new key can be narrowed to: the permissions the caller's role grants at all. */
export const narrowablePermissions = (me: Me): Permission[] => allPermissions.filter((p) => mayEver(me.access, p));
