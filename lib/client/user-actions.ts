import { mayEver, type Permission } from "@/lib/auth/permissions";
import type { Me, User } from "@/lib/schemas/access";
import { denialReason } from "./access";

// What the signed-in user may do to one row of the users table — the rules of lib/services/users.ts,
// asked before clicking so the console can disable a control and say why.

export type Allowance = { isAllowed: true } | { isAllowed: false; reason: string };

const allowed: Allowance = { isAllowed: true };
const refused = (reason: string): Allowance => ({ isAllowed: false, reason });

/** Whether the caller's role (and key) grant `permission` at all; if not, the reason. */
export const permissionAllowance = (me: Me, permission: Permission): Allowance =>
  mayEver(me.access, permission) ? allowed : refused(denialReason(me.access, permission));

export type UserRowActions = {
  /** The owner's row offers nothing: the owner cannot be changed. */
  isHidden: boolean;
  /** Role and policy. */
  change: Allowance;
  /** Disable or enable. */
  toggleDisabled: Allowance;
};

export function userRowActions(me: Me, target: User): UserRowActions {
  if (target.role === "owner")
    return { isHidden: true, change: refused(ownerReason), toggleDisabled: refused(ownerReason) };
  let change = permissionAllowance(me, "user:manage");
  if (change.isAllowed && target.role === "admin" && me.access.role !== "owner")
    change = refused("Only the owner may change admins.");
  const toggleDisabled =
    change.isAllowed && target.id === me.user.id ? refused("You cannot disable yourself.") : change;
  return { isHidden: false, change, toggleDisabled };
}

const ownerReason = "The owner cannot be changed.";

/** Adding users, and which roles the caller may hand out. */
export function addUserAllowance(me: Me): Allowance {
  return permissionAllowance(me, "user:manage");
}

export function assignAdminAllowance(me: Me): Allowance {
  return me.access.role === "owner" ? allowed : refused("Only the owner may make a user an admin.");
}
