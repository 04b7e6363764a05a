import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { MIN_RECHECK_MS, sendCounter, sendMarkCount, wakeReceivers } from "./long-poll";
import { receiveMessages, sendMessages } from "./messages";

// Issue 9, item 16: long polling scheduled database timestamps against the app's clock; with the
// app 1.5 s ahead, one waiter re-queried in a loop (1,945 queries) until the database caught up.
// Waits are now relative figures from the database's clock, with a floor under any re-check.

withProductionRecheckInterval();
afterEach(() => vi.restoreAllMocks());

/** Counts the statements the pool runs while `fn` runs. */
async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const pool = getPool();
  const original = pool.query.bind(pool);
  let queries = 0;
  const spy = vi.spyOn(pool, "query").mockImplementation(((...args: Parameters<typeof original>) => {
    queries++;
    return original(...args);
  }) as typeof pool.query);
  try {
    return { result: await fn(), queries };
  } finally {
    spy.mockRestore();
  }
}

describe("long polling and clocks", () => {
  it("an app clock 1.5 s ahead of the database costs a waiter no extra queries", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const [sent] = await sendMessages(p, { queueName: q.name, messages: [{ body: "skewed" }] });
    await receiveMessages(p, { queueName: q.name, visibilityTimeout: 1, waitSeconds: 0 });
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, "now").mockImplementation(() => realNow() + 1500);
    const { result, queries } = await countQueries(() => receiveMessages(p, { queueName: q.name, waitSeconds: 3 }));
    expect(result.map((m) => m.id)).toEqual([sent?.id]);
    // One empty receive, one when the lease ends; a little room for a lookup of the queue.
    expect(queries).toBeLessThanOrEqual(4);
  });

  it("an app clock 1.5 s behind the database still delivers when the lease ends", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const [sent] = await sendMessages(p, { queueName: q.name, messages: [{ body: "late-clock" }] });
    await receiveMessages(p, { queueName: q.name, visibilityTimeout: 1, waitSeconds: 0 });
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, "now").mockImplementation(() => realNow() - 1500);
    const { result, queries } = await countQueries(() => receiveMessages(p, { queueName: q.name, waitSeconds: 3 }));
    expect(result.map((m) => m.id)).toEqual([sent?.id]);
    expect(queries).toBeLessThanOrEqual(4);
  });

  it("a visible message locked by another transaction is re-checked no faster than the floor, and delivered once free", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const [sent] = await sendMessages(p, { queueName: q.name, messages: [{ body: "locked" }] });
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("SELECT id FROM message WHERE id = $1 FOR UPDATE", [sent?.id]);
      const waitMs = 2000;
      const released = new Promise((r) => setTimeout(r, 600)).then(() => locker.query("ROLLBACK"));
      const { result, queries } = await countQueries(() =>
        receiveMessages(p, { queueName: q.name, waitSeconds: waitMs / 1000 }),
      );
      await released;
      expect(result.map((m) => m.id)).toEqual([sent?.id]);
      expect(queries).toBeLessThanOrEqual(Math.ceil(waitMs / MIN_RECHECK_MS) + 2);
    } finally {
      await locker.end();
    }
  });

  it("remembers sends of a bounded number of queues, and a dropped mark still wakes a receiver", () => {
    const first = `gone-queue-${Date.now()}`;
    wakeReceivers(first, 1);
    const seen = sendCounter(first);
    for (let i = 0; i < 10_050; i++) wakeReceivers(`deleted-queue-${i}`, 1);
    expect(sendMarkCount()).toBe(10_000);
    expect(sendCounter(first)).toBe(0); // dropped
    wakeReceivers(first, 1);
    expect(sendCounter(first)).not.toBe(seen); // a new mark never equals an old one
  });
});
