import { can, canSeeQueue, mayEver, type Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { audit } from "./audit";

// Authorization inside the service layer, so both APIs, the console and the CLI enforce the same
// rules. A queue the caller may not see does not exist for it.

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

/** Like authorize/authorizeQueue for a change: a refused attempt is recorded in the audit log. */
export async function authorizeChange(
  principal: Principal,
  permission: Permission,
  target: { type: "queue"; name: string; action: string },
): Promise<void> {
  try {
    if (permission === "queue:CreateQueue") authorize(principal, permission, target.name);
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
