import { LRUCache } from "lru-cache";
import { forgetUserAccess } from "@/lib/auth/access";
import { insertApiKey } from "@/lib/auth/key-credentials";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { cliPrincipal } from "@/lib/auth/principal";
import { settings } from "@/lib/config";
import { getPrisma } from "@/lib/db/prisma";
import { singleton } from "@/lib/singleton";
import { audit, inChangeTransaction, writeAudit } from "./audit";

/**
 * Creates an account with its owner and a first API key, in one transaction — with its audit row
 * when the admin CLI does it (`byCli`; the first start's default account is not audited). The
 * secrets are returned once.
 */
export async function createAccountWithOwner(options: {
  accountName: string;
  email: string;
  password?: string;
  byCli?: boolean;
}) {
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const { account, user, key } = await inChangeTransaction(async (tx) => {
    const account = await tx.account.create({ data: { name: options.accountName } });
    const user = await tx.user.create({
      data: { accountId: account.id, email: options.email.toLowerCase(), name: "Owner", passwordHash, role: "owner" },
    });
    const key = await insertApiKey({ accountId: account.id, userId: user.id, description: "first key" }, tx);
    if (options.byCli) {
      await audit(
        cliPrincipal(user),
        {
          action: "account.create",
          resourceType: "account",
          resourceName: account.name,
          details: { owner: user.email },
        },
        tx,
      );
    }
    return { account, user, key };
  });
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
// failure up to 15 min; per client address, at most OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE (20) attempts a
// minute (this process).
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;
const IP_ATTEMPTS_PER_MINUTE = settings().loginAttemptsPerMinute;
// LRU-bounded: an attacker cycling addresses evicts the oldest windows, never grows the map.
const attemptsByIp = singleton(
  "loginAttemptsByIpLru",
  () => new LRUCache<string, { count: number; windowStart: number }>({ max: 10_000 }),
);

// Emails no user has fail and lock on the same schedule (in this process), so "locked" says nothing
// about whether an email exists.
const unknownEmailFailures = singleton(
  "unknownEmailLoginFailuresLru",
  () => new LRUCache<string, { failures: number; lockedUntil: number }>({ max: 10_000 }),
);

/** The lock after `failures` failures in a row (0 while under FREE_FAILURES), as countFailedLogin computes it. */
export const lockMsAfter = (failures: number) =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_LOCK_MS, 30_000 * 2 ** Math.min(failures - FREE_FAILURES, 20));

/** A login refused because its email is locked after repeated failures, whatever the password. */
export class LoginLockedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`sign-in locked for ${retryAfterSeconds} s`);
    this.name = "LoginLockedError";
  }
}

export type LoginSource = { ip?: string; userAgent?: string };

/**
 * Checks a console login. Returns the user, or null for any failure (no hint which part was wrong);
 * throws LoginLockedError while the email is locked — for any password, and for unknown emails alike.
 */
export async function verifyLogin({
  email,
  password,
  source = {},
}: {
  email: string;
  password: string;
  source?: LoginSource;
}) {
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
    const known = unknownEmailFailures.get(normalized) ?? { failures: 0, lockedUntil: 0 };
    if (known.lockedUntil > Date.now()) {
      await failure("locked after repeated failures");
      throw new LoginLockedError(Math.ceil((known.lockedUntil - Date.now()) / 1000));
    }
    await hashPassword(password, { whenBusy: "refuse" }); // spend the same time as a real check
    const failures = known.failures + 1;
    unknownEmailFailures.set(normalized, { failures, lockedUntil: Date.now() + lockMsAfter(failures) });
    return failure("unknown email");
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await failure("locked after repeated failures", user);
    throw new LoginLockedError(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000));
  }
  if (user.isDisabled) return failure("user disabled", user);
  if (!(await verifyPassword(password, user.passwordHash, { whenBusy: "refuse" }))) {
    await countFailedLogin(user.id);
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
  return {
    id: user.id,
    accountId: user.accountId,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionGeneration: user.sessionGeneration,
  };
}

/**
 * One more failed login, counted and judged in one statement: concurrent failures each add one
 * (a read-then-write would lose them), and the lock follows the count the row actually reached —
 * 30 s after FREE_FAILURES failures, doubling with each further one up to MAX_LOCK_MS. In SET,
 * failed_logins is the value before this update.
 */
async function countFailedLogin(userId: string): Promise<void> {
  await getPrisma().$executeRaw`
    UPDATE app_user
    SET failed_logins = failed_logins + 1,
        locked_until = CASE
          WHEN failed_logins + 1 >= ${FREE_FAILURES}
          THEN now() + make_interval(secs => least(${MAX_LOCK_MS / 1000}, 30 * 2 ^ least(failed_logins + 1 - ${FREE_FAILURES}, 20)))
          ELSE locked_until END
    WHERE id = ${userId}::uuid`;
}

/**
 * Signing out: ends all of the user's console sessions by bumping the session generation — only when
 * the session signing out is current, so an old cookie's sign-out cannot end newer sessions.
 */
export async function endSessions(userId: string, sessionGeneration: number): Promise<void> {
  await inChangeTransaction(async (tx) => {
    const [user] = await tx.$queryRaw<{ account_id: string; email: string }[]>`
      UPDATE app_user SET session_generation = session_generation + 1
      WHERE id = ${userId}::uuid AND session_generation = ${sessionGeneration}
      RETURNING account_id::text, email`;
    if (!user) return;
    await writeAudit(
      {
        accountId: user.account_id,
        actorType: "user",
        actorId: userId,
        actorLabel: user.email,
        via: "console",
        action: "session.logout",
        resourceType: "session",
      },
      tx,
    );
  });
  forgetUserAccess(userId);
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
