import { isInside } from "@/lib/auth/grants";
import { forgetApiKey, insertApiKey } from "@/lib/auth/key-credentials";
import { mayEver, type Role, rolePermissions } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import type { ApiKey } from "@/lib/schemas/access";
import { audit, inChangeTransaction } from "./audit";
import { authorize, authorizeGrant } from "./authorize";

// API keys as a resource: everyone with apikey:own manages their own; apikey:read / apikey:manage
// reach the whole account's, below the caller's own role. SecretKeys are returned once, at creation.
// A key disabled by someone of a higher role than its user can be enabled only from that rank up.

const select = {
  id: true,
  secretId: true,
  description: true,
  permissions: true,
  isDisabled: true,
  lastUsedAt: true,
  createdAt: true,
  userId: true,
  user: { select: { email: true, role: true } },
} as const;

type Row = {
  id: string;
  secretId: string;
  description: string;
  permissions: string[];
  isDisabled: boolean;
  lastUsedAt: Date | null;
  createdAt: Date;
  userId: string;
  user: { email: string; role: string };
};

export async function listKeys(principal: Principal): Promise<ApiKey[]> {
  const seesAll = mayEver(principal.access, "apikey:read");
  if (!seesAll) authorize(principal, "apikey:own");
  const rows = await getPrisma().apiKey.findMany({
    where: { accountId: principal.accountId, ...(seesAll ? {} : { userId: principal.userId }) },
    orderBy: { createdAt: "desc" },
    select,
  });
  return rows.map(toApiKey);
}

/** Creates a key for the caller, optionally narrowed; the SecretKey is in this answer only. */
export async function createKey(
  principal: Principal,
  input: { description: string; permissions: string[] },
): Promise<ApiKey & { secretKey: string }> {
  authorize(principal, "apikey:own");
  // A narrowed key can only mint keys at most as narrow as itself (empty permissions = all of the user's).
  await authorizeGrant(
    principal,
    { ...principal.access, keyPermissions: input.permissions },
    { what: "The new key", action: "apikey.create", resourceType: "apikey", resourceName: input.description },
  );
  const created = await inChangeTransaction(async (tx) => {
    const key = await insertApiKey(
      {
        accountId: principal.accountId,
        userId: principal.userId,
        description: input.description,
        permissions: input.permissions,
      },
      tx,
    );
    await audit(
      principal,
      {
        action: "apikey.create",
        resourceType: "apikey",
        resourceName: key.secretId,
        details: { description: input.description, permissions: input.permissions },
      },
      tx,
    );
    return key;
  });
  const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: created.id }, select });
  return { ...toApiKey(row), secretKey: created.secretKey };
}

export async function updateKey(
  principal: Principal,
  { keyId, changes: input }: { keyId: string; changes: { description?: string; isDisabled?: boolean } },
): Promise<ApiKey> {
  const key = await findManageableKey(principal, keyId);
  if (input.isDisabled === false && key.isDisabled && roleRank(key.disabledByRole) > rankOf(principal)) {
    const by = article(key.disabledByRole);
    throw new AppError("FORBIDDEN", `This key was disabled by ${by}; only ${by} or above may enable it again.`);
  }
  const disabledByRole = disablerAfter(principal, key, input.isDisabled);
  const row = await inChangeTransaction(async (tx) => {
    const updated = await tx.apiKey.update({ where: { id: key.id }, data: { ...input, disabledByRole }, select });
    const action =
      input.isDisabled === true ? "apikey.disable" : input.isDisabled === false ? "apikey.enable" : "apikey.update";
    await audit(principal, { action, resourceType: "apikey", resourceName: updated.secretId, details: input }, tx);
    return updated;
  });
  forgetApiKey(row.secretId);
  return toApiKey(row);
}

export async function deleteKey(principal: Principal, keyId: string): Promise<void> {
  const key = await findManageableKey(principal, keyId);
  await inChangeTransaction(async (tx) => {
    await tx.apiKey.delete({ where: { id: key.id } });
    await audit(principal, { action: "apikey.delete", resourceType: "apikey", resourceName: key.secretId }, tx);
  });
  forgetApiKey(key.secretId);
}

async function findManageableKey(principal: Principal, keyId: string) {
  const key = /^[0-9a-f-]{36}$/i.test(keyId)
    ? await getPrisma().apiKey.findFirst({
        where: { id: keyId, accountId: principal.accountId },
        include: { user: { select: { role: true } } },
      })
    : null;
  const isOwn = key?.userId === principal.userId;
  // Another user's key is invisible to whoever may not read all keys.
  if (!key || (!isOwn && !mayEver(principal.access, "apikey:read"))) {
    throw new AppError("API_KEY_NOT_FOUND", "No such API key.");
  }
  if (!mayEver(principal.access, isOwn ? "apikey:own" : "apikey:manage")) {
    throw new AppError("FORBIDDEN", "You may not change this API key.");
  }
  // Keys of the owner are the owner's alone; an admin's keys are managed by the owner (as admins are).
  if (!isOwn && roleRank(key.user.role) >= rankOf(principal)) {
    throw new AppError("FORBIDDEN", `Only the owner may change keys held by ${article(key.user.role)}.`);
  }
  return key;
}

/** Who disabled the key after this change: set on disabling (never lowered), cleared on enabling. */
function disablerAfter(
  principal: Principal,
  key: { isDisabled: boolean; disabledByRole: string | null },
  isDisabled?: boolean,
) {
  if (isDisabled === undefined) return undefined;
  if (!isDisabled) return null;
  const isHeldHigher = key.isDisabled && roleRank(key.disabledByRole) > rankOf(principal);
  return isHeldHigher ? key.disabledByRole : principal.access.role;
}

const ranks: Record<string, number> = { readonly: 0, developer: 1, admin: 2, owner: 3 };
/** A role's rank; an unknown or missing role ranks lowest. */
const roleRank = (role: string | null) => ranks[role ?? ""] ?? -1;
const rankOf = (principal: Principal) => roleRank(principal.access.role);
const article = (role: string | null) => (role === "admin" || role === "owner" ? `an ${role}` : `a ${role}`);

function toApiKey(row: Row): ApiKey {
  return {
    id: row.id,
    secretId: row.secretId,
    description: row.description,
    permissions: row.permissions,
    isDisabled: row.isDisabled,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    userId: row.userId,
    userEmail: row.user.email,
    ineffectivePermissions: outsideRole(row.permissions, row.user.role),
  };
}

/**
 * A key's narrowing entries its user's role does not hold (the role was lowered after the key was
 * made): they grant nothing, and the console says so. A pattern counts when its every permission
 * lies inside one of the role's.
 */
function outsideRole(permissions: string[], role: string): string[] {
  const held = rolePermissions[role as Role] ?? [];
  return permissions.filter((p) => !held.some((r) => isInside(p, r)));
}
