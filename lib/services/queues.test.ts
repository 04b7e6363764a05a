import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { peekMessages, sendMessages } from "./messages";
import { createQueue, exactCountCap, getQueue, listQueues } from "./queues";

describe("queues", () => {
  it("enforces the per-account queue limit and changes nothing past it", async () => {
    const p = await createTestPrincipal();
    await getPool().query(
      `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size, msg_retention_seconds, max_msg_heap_num, rewind_seconds)
       SELECT $1, 'bulk' || g, 30, 0, 65536, 345600, 100000000, 0 FROM generate_series(1, 1000) g`,
      [p.accountId],
    );
    await expect(createQueue(p, { name: uniqueName("one-more") })).rejects.toMatchObject({
      code: "QUEUE_LIMIT_EXCEEDED",
    });
    expect((await listQueues(p, { offset: 0, limit: 1 })).total).toBe(1000);
  });

  // Counts stay cheap with a large backlog: requests count at most exactCountCap rows per queue and
  // read larger queues' counts from the stats sweep. Timings are printed, not asserted.
  it("counts a 1,000,000-message queue from the stats sweep and enforces maxMsgHeapNum", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { maxMsgHeapNum: 1_000_000, visibilityTimeout: 600 });
    const pool = getPool();
    let t = Date.now();
    await pool.query(
      `INSERT INTO message (queue_id, body, visible_at, dequeue_count)
       SELECT $1, 'bulk message ' || g, now() + CASE WHEN g <= 1000 THEN interval '1 hour' ELSE interval '0' END,
              CASE WHEN g <= 400 THEN 1 ELSE 0 END
       FROM generate_series(1, 1000000) g`,
      [q.id],
    );
    const insertMs = Date.now() - t;
    await pool.query("ANALYZE message");

    t = Date.now();
    const beforeSweep = await getQueue(p, q.name);
    const boundedMs = Date.now() - t;
    expect(beforeSweep.countsAreExact).toBe(false);

    t = Date.now();
    await refreshQueueStats(pool, exactCountCap);
    const sweepMs = Date.now() - t;

    t = Date.now();
    const queue = await getQueue(p, q.name);
    const readMs = Date.now() - t;
    expect(queue.countsAreExact).toBe(false);
    expect(queue.counts).toEqual({ visible: 999_000, inFlight: 400, delayed: 600, rewindable: 0, dead: 0 });

    // The cached queue record refreshes within 2 s; wait it out, then the heap limit applies.
    await new Promise((r) => setTimeout(r, 2100));
    await expect(sendMessages(p, { queueName: q.name, messages: [{ body: "one too many" }] })).rejects.toMatchObject({
      code: "QUEUE_FULL",
    });

    const peekMs: string[] = [];
    for (const state of ["all", "visible", "inFlight", "delayed"] as const) {
      t = Date.now();
      const page = await peekMessages(p, { queueName: q.name, state, limit: 50 });
      peekMs.push(`${state} ${Date.now() - t} ms`);
      expect(page.messages.length).toBe(50);
    }
    t = Date.now();
    await peekMessages(p, { queueName: q.name, state: "all", search: "no such text", limit: 50 });
    peekMs.push(`search (no match, one bounded walk) ${Date.now() - t} ms`);
    console.log(
      `[1M backlog] insert ${insertMs} ms; GET queue before sweep ${boundedMs} ms, after ${readMs} ms; stats sweep ${sweepMs} ms; peek first page: ${peekMs.join(", ")}`,
    );
    // Drained below the per-request cap, the queue is counted exactly again and accepts sends.
    await pool.query("DELETE FROM message WHERE queue_id = $1", [q.id]);
    await refreshQueueStats(pool, exactCountCap);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM queue_stats WHERE queue_id = $1", [q.id]);
    expect(rows[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await sendMessages(p, { queueName: q.name, messages: [{ body: "room again" }] })).toHaveLength(1);
    expect((await getQueue(p, q.name)).countsAreExact).toBe(true);
  });
});

describe("queue search", () => {
  it("treats % and _ in the search as plain characters", async () => {
    const p = await createTestPrincipal();
    const suffix = uniqueName("s").replaceAll("-", "");
    await createQueue(p, { name: `a_b${suffix}` });
    await createQueue(p, { name: `axb${suffix}` });
    const underscore = await listQueues(p, { search: `a_b${suffix}`, offset: 0, limit: 20 });
    expect(underscore.queues.map((q) => q.name)).toEqual([`a_b${suffix}`]);
    expect((await listQueues(p, { search: "%", offset: 0, limit: 20 })).total).toBe(0);
  });
});
