import { createApiKey, forgetApiKey } from "@/lib/auth/api-keys";
import { mayEver } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import type { ApiKey } from "@/lib/schemas/access";
import { audit } from "./audit";
import { authorize } from "./authorize";

// API keys as a resource: everyone with apikey:own manages their own; apikey:read / apikey:manage
// reach the whole account's. SecretKeys are returned once, at creation, and never again.

const select = {
  id: true,
  secretId: true,
  description: true,
  permissions: true,
  isDisabled: true,
  lastUsedAt: true,
  createdAt: true,
  userId: true,
  user: { select: { email: true } },
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
  user: { email: string };
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
  const created = await createApiKey({
    accountId: principal.accountId,
    userId: principal.userId,
    description: input.description,
    permissions: input.permissions,
  });
  await audit(principal, {
    action: "apikey.create",
    resourceType: "apikey",
    resourceName: created.secretId,
    details: { description: input.description, permissions: input.permissions },
  });
  const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: created.id }, select });
  return { ...toApiKey(row), secretKey: created.secretKey };
}

export async function updateKey(
  principal: Principal,
  keyId: string,
  input: { description?: string; isDisabled?: boolean },
): Promise<ApiKey> {
  const key = await findManageableKey(principal, keyId);
  const row = await getPrisma().apiKey.update({ where: { id: key.id }, data: input, select });
  forgetApiKey(row.secretId);
  const action =
    input.isDisabled === true ? "apikey.disable" : input.isDisabled === false ? "apikey.enable" : "apikey.update";
  await audit(principal, { action, resourceType: "apikey", resourceName: row.secretId, details: input });
  return toApiKey(row);
}

export async function deleteKey(principal: Principal, keyId: string): Promise<void> {
  const key = await findManageableKey(principal, keyId);
  await getPrisma().apiKey.delete({ where: { id: key.id } });
  forgetApiKey(key.secretId);
  await audit(principal, { action: "apikey.delete", resourceType: "apikey", resourceName: key.secretId });
}

async function findManageableKey(principal: Principal, keyId: string) {
  const key = /^[0-9a-f-]{36}$/i.test(keyId)
    ? await getPrisma().apiKey.findFirst({ where: { id: keyId, accountId: principal.accountId } })
    : null;
  const isOwn = key?.userId === principal.userId;
  const mayManage = isOwn ? mayEver(principal.access, "apikey:own") : mayEver(principal.access, "apikey:manage");
  // Another user's key is invisible to whoever may not read all keys.
  if (!key || (!isOwn && !mayEver(principal.access, "apikey:read"))) {
    throw new AppError("API_KEY_NOT_FOUND", "No such API key.");
  }
  if (!mayManage) throw new AppError("FORBIDDEN", "You may not change this API key.");
  return key;
}

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
  };
}
