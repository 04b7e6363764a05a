import { type Access, can, mayEver, type Permission, type Role } from "@/lib/auth/permissions";

// The console asks the same question the server does (lib/services/authorize.ts): about one resource,
// can(); about no resource in particular ("may I create queues at all?"), whether the role and key
// grant the action somewhere — which is what the server checks before it knows the resource.

export function allows(access: Access, permission: Permission, resource?: string): boolean {
  return resource === undefined ? mayEver(access, permission) : can(access, permission, resource);
}

/** A short sentence for a disabled control's tooltip or a note in place of a hidden one. */
export function denialReason(access: Access, permission: Permission, resource?: string): string {
  if (!mayEver(access, permission)) {
    return access.keyPermissions.length > 0
      ? `This API key does not include ${permission}.`
      : `Your role (${roleLabels[access.role]}) does not include ${permission}.`;
  }
  return resource === undefined
    ? `Your access policy does not allow ${permission}.`
    : `Your access policy does not allow ${permission} on “${resource}”.`;
}

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  readonly: "Read-only",
};

export const roleDescriptions: Record<Role, string> = {
  owner: "Everything, including admins; cannot be changed or disabled.",
  admin: "All queues, topics and messages; users, every API key and the audit log.",
  developer: "Create, change and use queues and topics; browse messages; own API keys.",
  readonly: "See queues and topics and browse messages; own API keys. Changes nothing.",
};
