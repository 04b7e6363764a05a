import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma";
import { uniqueName } from "@/lib/testing/fixtures";

// The hand-written migrations must give the Prisma client exactly the schema it expects:
// exercise every model through the client against the freshly migrated database.
describe("migrated schema matches the Prisma client", () => {
  it("creates, reads and deletes a row of every model", async () => {
    const prisma = getPrisma();
    const account = await prisma.account.create({ data: { name: uniqueName("acct") } });
    const user = await prisma.user.create({
      data: { accountId: account.id, email: `${uniqueName("u")}@x.test`, name: "U", passwordHash: "h" },
    });
    const key = await prisma.apiKey.create({
      data: { accountId: account.id, userId: user.id, secretId: `AKID${uniqueName("k")}`, secretKeyEncrypted: "s" },
    });
    const queue = await prisma.queue.create({
      data: {
        accountId: account.id,
        name: uniqueName("q"),
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
      },
    });
    const message = await prisma.message.create({
      data: { queueId: queue.id, body: "hello", tags: ["a"], visibleAt: new Date() },
    });
    await prisma.queueStats.create({
      data: { queueId: queue.id, total: 1n, visible: 1n, inFlight: 0n, delayed: 0n, computedAt: new Date() },
    });
    const loaded = await prisma.queue.findUniqueOrThrow({
      where: { id: queue.id },
      include: { stats: true, messages: true, account: { include: { users: true, apiKeys: true } } },
    });
    expect(loaded.messages.map((m) => [m.id, m.body, m.tags, m.dequeueCount, m.receipt])).toEqual([
      [message.id, "hello", ["a"], 0, null],
    ]);
    expect(loaded.stats?.total).toBe(1n);
    expect(loaded.account.users.map((u) => u.role)).toEqual(["owner"]);
    expect(loaded.account.apiKeys.map((k) => k.id)).toEqual([key.id]);
    const state = await prisma.workerState.upsert({
      where: { name: "migrate-test" },
      create: { name: "migrate-test", cursor: 42n },
      update: { cursor: 42n },
    });
    expect([state.cursor, state.walkStartedAt]).toEqual([42n, null]);
    await prisma.workerState.delete({ where: { name: "migrate-test" } });
    await prisma.account.delete({ where: { id: account.id } });
    expect(await prisma.message.count({ where: { queueId: queue.id } })).toBe(0);
  });
});
