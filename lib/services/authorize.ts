import { exceedingGrants } from "@/lib/auth/grants";
import { type Access, can, canSeeQueue, mayEver, type Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { audit } from "./audit";

// Authorization inside the service layer, so both APIs, the console and the CLI enforce the same
// rules. A queue the caller may not see does not exist for it. Checks on an existing queue take the
// name of the row actually found, never the name the caller typed (DESIGN.md §4.8).

export function authorizeQueue(principal: Principal, permission: Permission, queueName: string): void {
  if (!canSeeQueue(principal.access, queueName)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${queueName}" does not exist.`);
  }
  if (!can(principal.access, permission, queueName)) throw forbidden(permission, queueName);
}

export function authorize(principal: Principal, permission: Permission, resource = "*"): void {
  const allowed =
    resource === "*" ? mayEver(principal.access, permission) : can(principal.access, permission, resource);
  if (!allowed) throw forbidden(permission, resource);
}

const forbidden = (permission: Permission, resource: string) =>
  new AppError(
    "FORBIDDEN",
    `You may not ${permission}${resource === "*" ? "" : ` on "${resource}"`}. Ask an account admin for access.`,
  );

type ChangeTarget = { type: "queue"; name: string; action: string };

/**
 * Like authorize/authorizeQueue for a change: a refused attempt is recorded in the audit log.
 * `scope: "role"` asks only whether the role (and key) allow the action on some queue — the check
 * made before looking the queue up; the default checks the queue named `target.name`.
 */
export async function authorizeChange(
  principal: Principal,
  permission: Permission,
  target: ChangeTarget,
  scope: "role" | "resource" = "resource",
): Promise<void> {
  try {
    if (scope === "role") authorize(principal, permission);
    else if (permission === "queue:CreateQueue") authorize(principal, permission, target.name);
    else authorizeQueue(principal, permission, target.name);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") {
      await audit(principal, {
        action: target.action,
        resourceType: target.type,
        resourceName: target.name,
        outcome: "denied",
      });
    }
    throw error;
  }
}

/**
 * DESIGN.md §4.9: refuses a grant (user, role, policy, key) that would hold more than the principal;
 * the refused attempt is recorded in the audit log as `denied`.
 */
export async function authorizeGrant(
  principal: Principal,
  grantee: Access,
  attempt: { what: string; action: string; resourceType: "user" | "apikey"; resourceName: string },
): Promise<void> {
  const exceeding = exceedingGrants(principal.access, grantee);
  if (exceeding.length === 0) return;
  await audit(principal, {
    action: attempt.action,
    resourceType: attempt.resourceType,
    resourceName: attempt.resourceName,
    outcome: "denied",
    details: { exceeding },
  });
  const shown = exceeding.slice(0, 5).join(", ") + (exceeding.length > 5 ? ` and ${exceeding.length - 5} more` : "");
  throw new AppError(
    "FORBIDDEN",
    `${attempt.what} would hold more than you do: ${shown}. Nobody grants more than they hold.`,
  );
}
