import { LRUCache } from "lru-cache";
import { createApiKey } from "@/lib/auth/api-keys";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { getPrisma } from "@/lib/db/prisma";
import { singleton } from "@/lib/singleton";
import { writeAudit } from "./audit";

/** Creates an account with its owner and a first API key. The secrets are returned once. */
export async function createAccountWithOwner(options: { accountName: string; email: string; password?: string }) {
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const prisma = getPrisma();
  const { account, user } = await prisma.$transaction(async (tx) => {
    const account = await tx.account.create({ data: { name: options.accountName } });
    const user = await tx.user.create({
      data: { accountId: account.id, email: options.email.toLowerCase(), name: "Owner", passwordHash, role: "owner" },
    });
    return { account, user };
  });
  const key = await createApiKey({ accountId: account.id, userId: user.id, description: "first key" });
  return {
    accountId: account.id,
    userId: user.id,
    email: user.email,
    password,
    secretId: key.secretId,
    secretKey: key.secretKey,
  };
}

/** First start: creates the owner account when the installation has none. Returns its secrets once. */
export async function ensureFirstAccount(email: string) {
  if ((await getPrisma().account.count()) > 0) return null;
  return createAccountWithOwner({ accountName: "default", email });
}

// Login throttling: per email, 5 failures lock the user out for 30 s, doubling with each further
// failure up to 15 min; per client address, at most 20 attempts a minute (this process).
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;
const IP_ATTEMPTS_PER_MINUTE = 20;
// LRU-bounded: an attacker cycling addresses evicts the oldest windows, never grows the map.
const attemptsByIp = singleton(
  "loginAttemptsByIpLru",
  () => new LRUCache<string, { count: number; windowStart: number }>({ max: 10_000 }),
);

export type LoginSource = { ip?: string; userAgent?: string };

/** Checks a console login. Returns the user, or null for any failure (no hint which part was wrong). */
export async function verifyLogin(email: string, password: string, source: LoginSource = {}) {
  const normalized = email.toLowerCase().slice(0, 200);
  const failure = async (reason: string, user?: { id: string; accountId: string }) => {
    await writeAudit({
      accountId: user?.accountId ?? null,
      actorType: "user",
      actorId: user?.id ?? null,
      actorLabel: normalized,
      via: "console",
      action: "session.login",
      resourceType: "session",
      outcome: "failure",
      ip: source.ip,
      userAgent: source.userAgent,
      details: { reason },
    });
    return null;
  };
  if (source.ip && isIpThrottled(source.ip)) return failure("too many attempts from this address");
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email: normalized } });
  if (!user) {
    await hashPassword(password, { whenBusy: "refuse" }); // spend the same time as a real check
    return failure("unknown email");
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) return failure("locked after repeated failures", user);
  if (user.isDisabled) return failure("user disabled", user);
  if (!(await verifyPassword(password, user.passwordHash, { whenBusy: "refuse" }))) {
    const failures = user.failedLogins + 1;
    const lockMs = failures >= FREE_FAILURES ? Math.min(MAX_LOCK_MS, 30_000 * 2 ** (failures - FREE_FAILURES)) : 0;
    await prisma.user.update({
      where: { id: user.id },
      data: { failedLogins: failures, lockedUntil: lockMs ? new Date(Date.now() + lockMs) : null },
    });
    return failure("wrong password", user);
  }
  await prisma.user.update({
    where: { id: user.id },
    data: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() },
  });
  await writeAudit({
    accountId: user.accountId,
    actorType: "user",
    actorId: user.id,
    actorLabel: user.email,
    via: "console",
    action: "session.login",
    resourceType: "session",
    ip: source.ip,
    userAgent: source.userAgent,
  });
  return { id: user.id, accountId: user.accountId, email: user.email, name: user.name, role: user.role };
}

function isIpThrottled(ip: string): boolean {
  const now = Date.now();
  const entry = attemptsByIp.get(ip);
  if (!entry || now - entry.windowStart > 60_000) {
    attemptsByIp.set(ip, { count: 1, windowStart: now });
    return false;
  }
  entry.count++;
  return entry.count > IP_ATTEMPTS_PER_MINUTE;
}
