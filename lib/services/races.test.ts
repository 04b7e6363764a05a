import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { maxQueuesPerAccount } from "@/lib/schemas/queue";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";
import { LoginLockedError, verifyLogin } from "./accounts";
import { createQueue, listQueues } from "./queues";
import { createUser } from "./users";

/** A stored hash in the production format with a small scrypt cost, so 30 checks stay quick here. */
const cheapHash = (password: string) => {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFKC"), salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
};

const codesOf = (results: PromiseSettledResult<unknown>[]) =>
  results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code ?? String(r.reason)] : []));

describe("races", () => {
  it("locks the user out after 30 parallel wrong passwords (each failure counted, none lost)", async () => {
    const p = await createTestPrincipal();
    const email = `${uniqueName("lockout")}@test.local`;
    const password = `right-${uniqueName("pw")}`;
    await getPrisma().user.create({
      data: { accountId: p.accountId, email, name: "Target", role: "developer", passwordHash: cheapHash(password) },
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 30 }, () => verifyLogin({ email, password: "wrong-password" })),
    );
    // Every attempt that was judged (not refused for load, nor as locked once the lock is set) is a
    // failure and must be counted.
    const judged = attempts.filter((a) => a.status === "fulfilled");
    expect(judged.every((a) => a.value === null)).toBe(true);
    const user = await getPrisma().user.findUniqueOrThrow({ where: { email } });
    expect(user.failedLogins).toBe(judged.length);
    expect(judged.length).toBeGreaterThanOrEqual(5);
    expect(user.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    // Locked: even the right password is refused now, as locked.
    await expect(verifyLogin({ email, password })).rejects.toBeInstanceOf(LoginLockedError);
  });

  it("never passes the per-account queue limit under 40 concurrent creates", async () => {
    const p = await createTestPrincipal();
    const room = 10;
    await getPool().query(
      `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size, msg_retention_seconds, max_msg_heap_num, rewind_seconds)
       SELECT $1, 'bulk' || g, 30, 0, 65536, 345600, 100000000, 0 FROM generate_series(1, $2::int) g`,
      [p.accountId, maxQueuesPerAccount - room],
    );
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => createQueue(p, { name: `${uniqueName("race")}-${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(room);
    expect(codesOf(results)).toEqual(Array(40 - room).fill("QUEUE_LIMIT_EXCEEDED"));
    expect((await listQueues(p, { offset: 0, limit: 1 })).total).toBe(maxQueuesPerAccount);
  });

  it("answers USER_EXISTS, never an internal error, to concurrent creates of the same user", async () => {
    const p = await createTestPrincipal();
    const email = `${uniqueName("twin")}@test.local`;
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        createUser(p, { email, name: "Twin", role: "developer", password: "a-long-password" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(codesOf(results)).toEqual(Array(3).fill("USER_EXISTS"));
    expect(await getPrisma().user.count({ where: { email } })).toBe(1);
  }, 120_000);
});
