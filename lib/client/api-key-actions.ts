import { allPermissions, mayEver, type Permission } from "@/lib/auth/permissions";
import type { ApiKey, Me } from "@/lib/schemas/access";
import { type Allowance, permissionAllowance } from "./user-actions";

// What the signed-in user may do to one API key — the rule of lib/services/api-keys.ts: one's own
// keys with apikey:own, anyone else's with apikey:manage.

export function apiKeyRowAllowance(me: Me, key: ApiKey): Allowance {
  return permissionAllowance(me, key.userId === me.user.id ? "apikey:own" : "apikey:manage");
}

/** What a new key can be narrowed to: the permissions the caller's role grants at all. */
export const narrowablePermissions = (me: Me): Permission[] => allPermissions.filter((p) => mayEver(me.access, p));
