import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { sweepTimeToLive } from "@/lib/store/dead-letters";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { deadLetterTtlWorker } from "@/lib/workers/dead-letter-ttl";
import { runLocked } from "@/lib/workers/worker";
import { receiveMessages, sendMessages } from "./messages";
import { getQueue } from "./queues";

// Issue 10, part 1: messages move to the dead-letter queue — by a receive that would cross
// maxReceiveCount or maxTimeToLive, or by the TTL sweep — in one UPDATE: never in two queues, never in none.

withProductionRecheckInterval();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ends every lease of the queue now (as if the visibility timeout had passed). */
const endLeases = (queueId: string) =>
  getPool().query("UPDATE message SET visible_at = now() WHERE queue_id = $1 AND visible_at > now()", [queueId]);

const row = async (id: string) =>
  (
    await getPool().query(
      `SELECT queue_id::text, dead_from_queue_id::text, dead_reason, dead_at IS NOT NULL AS is_dead,
              dead_dequeue_count, dequeue_count, receipt, first_dequeued_at, enqueued_at, visible_at <= now() AS is_visible
       FROM message WHERE id = $1`,
      [id],
    )
  ).rows[0];

async function boundPair(p: Principal, deadLetter: { maxReceiveCount?: number; maxTimeToLive?: number }) {
  const dlq = await createTestQueue(p);
  const source = await createTestQueue(p, {
    visibilityTimeout: 1,
    deadLetter:
      deadLetter.maxTimeToLive !== undefined
        ? { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: deadLetter.maxTimeToLive }
        : { queue: dlq.name, policy: "maxReceiveCount", maxReceiveCount: deadLetter.maxReceiveCount ?? 2 },
  });
  return { dlq, source };
}

describe("receive on a queue with a dead-letter queue", () => {
  it("maxReceiveCount 2: the 2nd receive returns the message, the 3rd moves it to the DLQ instead", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 2 });
    const [sent] = await sendMessages(p, { queueName: source.name, messages: [{ body: "poison" }] });
    const id = sent?.id ?? "";
    const enqueuedAt = (await row(id)).enqueued_at;
    const first = await receiveMessages(p, { queueName: source.name });
    expect(first.map((m) => [m.id, m.dequeueCount])).toEqual([[id, 1]]);
    await endLeases(source.id);
    const second = await receiveMessages(p, { queueName: source.name });
    expect(second.map((m) => [m.id, m.dequeueCount])).toEqual([[id, 2]]); // exactly at the boundary: still delivered
    await endLeases(source.id);
    expect(await receiveMessages(p, { queueName: source.name })).toEqual([]); // would be the 3rd: moved
    expect(await row(id)).toEqual({
      queue_id: dlq.id,
      dead_from_queue_id: source.id,
      dead_reason: "maxReceiveCount",
      is_dead: true,
      dead_dequeue_count: 2,
      dequeue_count: 0,
      receipt: null,
      first_dequeued_at: null,
      enqueued_at: enqueuedAt,
      is_visible: true,
    });
    // Its old receipt handle deletes nothing any more; the DLQ delivers it as a fresh message.
    const fromDlq = await receiveMessages(p, { queueName: dlq.name });
    expect(fromDlq.map((m) => [m.id, m.body, m.dequeueCount, m.enqueuedAt])).toEqual([
      [id, "poison", 1, enqueuedAt.toISOString()],
    ]);
    expect((await getQueue(p, dlq.name)).counts).toMatchObject({ dead: 1, inFlight: 1 });
    expect((await getQueue(p, source.name)).counts).toMatchObject({ dead: 0, visible: 0, inFlight: 0 });
  });

  it("a batch receive returns the healthy messages and moves the poisoned ones in the same statement", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 1 });
    const sent = await sendMessages(p, { queueName: source.name, messages: [{ body: "a" }, { body: "b" }] });
    await receiveMessages(p, { queueName: source.name, max: 1 }); // "a" received once
    await endLeases(source.id);
    const more = await sendMessages(p, { queueName: source.name, messages: [{ body: "c" }] });
    const got = await receiveMessages(p, { queueName: source.name, max: 16 });
    expect(got.map((m) => m.body).sort()).toEqual(["b", "c"]);
    expect((await row(sent[0]?.id ?? "")).queue_id).toBe(dlq.id);
    expect((await row(more[0]?.id ?? "")).queue_id).toBe(source.id);
  });

  it("when moves took the place of messages it could lease, the receive looks again", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 1 });
    await sendMessages(p, { queueName: source.name, messages: [{ body: "p1" }, { body: "p2" }, { body: "p3" }] });
    expect(await receiveMessages(p, { queueName: source.name, max: 3 })).toHaveLength(3);
    await endLeases(source.id);
    const [good] = await sendMessages(p, { queueName: source.name, messages: [{ body: "good" }] });
    // One at a time: rounds 1–3 each move a poisoned message, round 4 leases the good one.
    const got = await receiveMessages(p, { queueName: source.name, max: 1 });
    expect(got.map((m) => m.id)).toEqual([good?.id]);
    expect((await getQueue(p, dlq.name)).counts.dead).toBe(3);
  });

  it("maxTimeToLive: a receive moves a message enqueued longer ago than the TTL, and leases younger ones", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxTimeToLive: 300 });
    const [old, young] = await sendMessages(p, {
      queueName: source.name,
      messages: [{ body: "old" }, { body: "young" }],
    });
    await getPool().query("UPDATE message SET enqueued_at = now() - interval '301 seconds' WHERE id = $1", [old?.id]);
    await getPool().query("UPDATE message SET enqueued_at = now() - interval '298 seconds' WHERE id = $1", [young?.id]);
    const got = await receiveMessages(p, { queueName: source.name, max: 16 });
    expect(got.map((m) => m.body)).toEqual(["young"]);
    expect(await row(old?.id ?? "")).toMatchObject({
      queue_id: dlq.id,
      dead_reason: "maxTimeToLive",
      dead_dequeue_count: 0,
      dead_from_queue_id: source.id,
    });
  });

  it("moved messages wake the DLQ's long-poll waiters at once (not by the 10 s safety net)", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 1 });
    const [sent] = await sendMessages(p, { queueName: source.name, messages: [{ body: "wake" }] });
    await receiveMessages(p, { queueName: source.name });
    await endLeases(source.id);
    const started = performance.now();
    const waiting = receiveMessages(p, { queueName: dlq.name, waitSeconds: 8 });
    await sleep(300);
    expect(await receiveMessages(p, { queueName: source.name })).toEqual([]);
    const got = await waiting;
    expect(got.map((m) => m.id)).toEqual([sent?.id]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a DLQ unbound and deleted behind this process's cached record: the receive re-reads the queue and leases", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 1 });
    const [sent] = await sendMessages(p, { queueName: source.name, messages: [{ body: "x" }] });
    await receiveMessages(p, { queueName: source.name }); // caches the record with its DLQ
    await endLeases(source.id);
    // Another process's unbind and delete: straight in the database, so this process's cache is stale.
    await getPool().query(
      `UPDATE queue SET dead_letter_queue_id = NULL, dead_letter_policy = NULL, max_receive_count = NULL WHERE id = $1`,
      [source.id],
    );
    await getPool().query("DELETE FROM queue WHERE id = $1", [dlq.id]);
    const got = await receiveMessages(p, { queueName: source.name });
    expect(got.map((m) => [m.id, m.dequeueCount])).toEqual([[sent?.id, 2]]);
  });

  it("queues without a DLQ keep redelivering beyond any count (the plain statement)", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 1 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "x" }] });
    for (let i = 1; i <= 4; i++) {
      expect((await receiveMessages(p, { queueName: q.name }))[0]?.dequeueCount).toBe(i);
      await endLeases(q.id);
    }
  });

  it("8 concurrent receivers (visibilityTimeout 1) over 200 messages, maxReceiveCount 2: every id ends in exactly one queue, none lost, none delivered a 3rd time", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxReceiveCount: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 16) {
      const batch = Array.from({ length: Math.min(16, 200 - i) }, (_, k) => ({ body: `m${i + k}` }));
      ids.push(...(await sendMessages(p, { queueName: source.name, messages: batch })).map((m) => m.id));
    }
    const deliveries = new Map<string, number>();
    const leaseEnds = new Map<string, number>(); // id → end of its latest lease, by the database's clock
    let overlaps = 0;
    const placement = async () =>
      (
        await getPool().query<{ queue_id: string; n: number }>(
          "SELECT queue_id::text, count(*)::int AS n FROM message WHERE id = ANY($1::bigint[]) GROUP BY queue_id",
          [ids],
        )
      ).rows;
    let checks = 0;
    let stop = false;
    const checker = (async () => {
      while (!stop) {
        const rows = await placement();
        expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(200); // never neither (one table: never both)
        for (const r of rows) expect([source.id, dlq.id]).toContain(r.queue_id);
        checks++;
        await sleep(20);
      }
    })();
    const deadline = Date.now() + 30_000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < deadline) {
          const got = await receiveMessages(p, { queueName: source.name, max: 16, visibilityTimeout: 1 });
          for (const m of got) {
            deliveries.set(m.id, (deliveries.get(m.id) ?? 0) + 1);
            const end = Date.parse(m.nextVisibleAt);
            // This lease began (end − 1 s) before the previous one ended: two holders at once.
            if (end - 1000 < (leaseEnds.get(m.id) ?? 0)) overlaps++;
            leaseEnds.set(m.id, end);
          }
          if (got.length === 0) {
            const remaining = (await placement()).find((r) => r.queue_id === source.id)?.n ?? 0;
            if (remaining === 0) return;
            await sleep(50);
          }
        }
      }),
    );
    stop = true;
    await checker;
    expect(checks).toBeGreaterThan(5);
    expect(await placement()).toEqual([{ queue_id: dlq.id, n: 200 }]);
    expect(overlaps).toBe(0);
    expect(Math.max(...deliveries.values())).toBe(2);
    expect([...deliveries.values()].every((n) => n === 2)).toBe(true);
    const { rows } = await getPool().query(
      `SELECT dead_reason, dead_dequeue_count, dead_from_queue_id::text, count(*)::int AS n FROM message
       WHERE id = ANY($1::bigint[]) GROUP BY 1, 2, 3`,
      [ids],
    );
    expect(rows).toEqual([
      { dead_reason: "maxReceiveCount", dead_dequeue_count: 2, dead_from_queue_id: source.id, n: 200 },
    ]);
  }, 60_000);
});

describe("the maxTimeToLive sweep", () => {
  it("moves expired idle messages, leaves in-flight and young ones, and wakes the DLQ's waiters", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxTimeToLive: 300 });
    const sent = await sendMessages(p, {
      queueName: source.name,
      messages: [{ body: "idle-old" }, { body: "leased-old" }, { body: "young" }],
    });
    const [idle, leased, young] = sent.map((m) => m.id);
    // "leased-old" is in flight (as a receive would leave it) for an hour.
    await getPool().query(
      "UPDATE message SET visible_at = now() + interval '1 hour', dequeue_count = 1 WHERE id = $1",
      [leased],
    );
    await getPool().query(
      "UPDATE message SET enqueued_at = now() - interval '400 seconds' WHERE id = ANY($1::bigint[])",
      [[idle, leased]],
    );
    const waiting = receiveMessages(p, { queueName: dlq.name, waitSeconds: 8 });
    await sleep(200);
    const started = performance.now();
    await runLocked(deadLetterTtlWorker);
    expect((await waiting).map((m) => m.id)).toEqual([idle]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await row(idle ?? "")).toMatchObject({ queue_id: dlq.id, dead_reason: "maxTimeToLive" });
    expect((await row(leased ?? "")).queue_id).toBe(source.id);
    expect((await row(young ?? "")).queue_id).toBe(source.id);
    // Nothing more is due: a second pass moves nothing.
    expect((await sweepTimeToLive(getPool(), 500)).filter((m) => m.dlq === dlq.id)).toEqual([]);
  });

  it("reads only the head of each queue: a pass moves at most `walk` messages per queue", async () => {
    const p = await createTestPrincipal();
    const { dlq, source } = await boundPair(p, { maxTimeToLive: 300 });
    await getPool().query(
      `INSERT INTO message (queue_id, body, visible_at, enqueued_at)
       SELECT $1, 'm' || g, now() - interval '1 second', now() - interval '1 hour' FROM generate_series(1, 30) g`,
      [source.id],
    );
    const first = await sweepTimeToLive(getPool(), 20);
    expect(first.find((m) => m.dlq === dlq.id)?.moved).toBe(20);
    const second = await sweepTimeToLive(getPool(), 20);
    expect(second.find((m) => m.dlq === dlq.id)?.moved).toBe(10);
    expect((await getQueue(p, dlq.name)).counts).toMatchObject({ visible: 30, dead: 30 });
  });
});
