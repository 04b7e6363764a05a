import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { deleteLeased } from "@/lib/store/messages";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { createHistorySweepWorker } from "@/lib/workers/history-sweep";
import { runLocked } from "@/lib/workers/worker";
import { waiterCount } from "./long-poll";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";
import { exactCountCap, getQueue, updateQueue } from "./queues";
import { parseReceiptHandle } from "./receipt-handle";
import { rewindQueue } from "./rewind";

// Issue 10, rewind: with rewindSeconds > 0 a delete keeps the message in message_history (same
// statement); RewindQueue moves the ones produced since t back in production order; turning rewind
// off empties the window at once and the sweep reclaims the rows.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

/** Where each id is now: "message", "history", "both" or "neither". */
async function whereAre(ids: string[]) {
  const { rows } = await getPool().query<{ id: string; place: string }>(
    `SELECT i::text AS id,
            CASE WHEN m.id IS NOT NULL AND h.id IS NOT NULL THEN 'both'
                 WHEN m.id IS NOT NULL THEN 'message' WHEN h.id IS NOT NULL THEN 'history' ELSE 'neither' END AS place
     FROM unnest($1::bigint[]) AS i LEFT JOIN message m ON m.id = i LEFT JOIN message_history h ON h.id = i`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.place]));
}

const historyRows = async (queueId: string) =>
  (
    await getPool().query<{ n: number }>("SELECT count(*)::int AS n FROM message_history WHERE queue_id = $1", [
      queueId,
    ])
  ).rows[0]?.n;

/** Sends, receives and deletes `bodies`; returns their ids in send order. */
async function sendAndConsume(p: Awaited<ReturnType<typeof createTestPrincipal>>, queueName: string, bodies: string[]) {
  const sent = await sendMessages(p, { queueName, messages: bodies.map((body) => ({ body })) });
  const got = await receiveMessages(p, { queueName, max: 16 });
  expect(got.map((m) => m.body)).toEqual(bodies);
  const deleted = await deleteMessages(p, { queueName, receiptHandles: got.map((m) => m.receiptHandle) });
  expect(deleted).toEqual({ deleted: bodies.length, failed: [] });
  return sent.map((s) => s.id);
}

/** Backdates history rows' enqueue time (the production time rewind orders and windows by). */
async function backdate(id: string, seconds: number) {
  await getPool().query("UPDATE message_history SET enqueued_at = now() - $2 * interval '1 second' WHERE id = $1", [
    id,
    seconds,
  ]);
}

describe("delete with rewind on", () => {
  it("moves deleted messages into message_history; with rewind off they are gone", async () => {
    const p = await createTestPrincipal();
    const on = await createTestQueue(p, { rewindSeconds: 600 });
    const off = await createTestQueue(p);
    const kept = await sendAndConsume(p, on.name, ["k1", "k2"]);
    const dropped = await sendAndConsume(p, off.name, ["d1"]);
    expect(await whereAre([...kept, ...dropped])).toEqual({
      [kept[0] as string]: "history",
      [kept[1] as string]: "history",
      [dropped[0] as string]: "neither",
    });
    const { rows } = await getPool().query(
      "SELECT body, dequeue_count, first_dequeued_at IS NOT NULL AS was_received FROM message_history WHERE queue_id = $1 ORDER BY id",
      [on.id],
    );
    expect(rows).toEqual([
      { body: "k1", dequeue_count: 1, was_received: true },
      { body: "k2", dequeue_count: 1, was_received: true },
    ]);
    expect((await getQueue(p, on.name)).counts).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      rewindable: 2,
      dead: 0,
    });
    expect((await getQueue(p, off.name)).counts.rewindable).toBe(0);
  });

  it("the single statement keeps too (a delete set apart from the coalescer), and a stale handle keeps nothing", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 600 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "solo" }] });
    const [m] = await receiveMessages(p, { queueName: q.name });
    const handle = parseReceiptHandle(m?.receiptHandle ?? "");
    if (!handle) throw new Error("no handle");
    const stale = { ...handle, receipt: "00000000-0000-4000-8000-000000000000" };
    expect(await deleteLeased(q.id, [stale], true)).toEqual(new Set());
    expect(await whereAre([handle.id])).toEqual({ [handle.id]: "message" });
    expect(await deleteLeased(q.id, [handle], true)).toEqual(new Set([`${handle.id}:${handle.receipt}`]));
    expect(await whereAre([handle.id])).toEqual({ [handle.id]: "history" });
  });

  it("concurrent deletes of keeping and non-keeping queues, racing rewinds: every message in exactly one table", async () => {
    const p = await createTestPrincipal();
    const keeping = await createTestQueue(p, { rewindSeconds: 600, visibilityTimeout: 600 });
    const plain = await createTestQueue(p, { visibilityTimeout: 600 });
    const received: { queue: string; handle: string; id: string }[] = [];
    for (const q of [keeping, plain]) {
      for (let i = 0; i < 10; i++) {
        await sendMessages(p, {
          queueName: q.name,
          messages: Array.from({ length: 16 }, (_, j) => ({ body: `${q.name}-${i}-${j}` })),
        });
        const got = await receiveMessages(p, { queueName: q.name, max: 16, visibilityTimeout: 600 });
        received.push(...got.map((m) => ({ queue: q.name, handle: m.receiptHandle, id: m.id })));
      }
    }
    expect(received).toHaveLength(320);
    // Deletes of both queues in one-handle requests share combined statements; rewinds run meanwhile.
    let isDeleting = true;
    const rewinds = (async () => {
      let total = 0;
      while (isDeleting) {
        total += (await rewindQueue(p, { queueName: keeping.name, startConsumeTime: secondsAgo(60) })).rewound;
        await sleep(5);
      }
      return total;
    })();
    const results = await Promise.all(
      received.map((r) => deleteMessages(p, { queueName: r.queue, receiptHandles: [r.handle] })),
    );
    isDeleting = false;
    const rewound = await rewinds;
    expect(results.reduce((sum, r) => sum + r.deleted, 0)).toBe(320);
    const places = await whereAre(received.map((r) => r.id));
    const keptIds = received.filter((r) => r.queue === keeping.name).map((r) => r.id);
    const plainIds = received.filter((r) => r.queue === plain.name).map((r) => r.id);
    // A kept message is in history, or back in the queue if a rewind took it: never both, never neither.
    const keptPlaces = keptIds.map((id) => places[id]);
    expect(keptPlaces.filter((where) => where !== "history" && where !== "message")).toEqual([]);
    expect(keptPlaces.filter((where) => where === "message")).toHaveLength(rewound);
    expect(plainIds.map((id) => places[id])).toEqual(plainIds.map(() => "neither"));
  });
});

describe("RewindQueue", () => {
  it("re-delivers the deleted messages produced since t, in production order, before newer ones", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 3600 });
    const [old, a, b, c] = await sendAndConsume(p, q.name, ["old", "a", "b", "c"]);
    // Production times: old before t; then b, a, c — not id order, so the order is the enqueue time's.
    await backdate(old as string, 600);
    await backdate(b as string, 300);
    await backdate(a as string, 200);
    await backdate(c as string, 100);
    const [live] = await sendMessages(p, { queueName: q.name, messages: [{ body: "live" }] });
    expect(await rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(400) })).toEqual({ rewound: 3 });
    // One at a time: each receive takes the first in (visible_at, id) order (a batch lists its rows by id).
    const again = [];
    for (let i = 0; i < 4; i++) again.push(...(await receiveMessages(p, { queueName: q.name, max: 1 })));
    expect(again.map((m) => m.body)).toEqual(["b", "a", "c", "live"]);
    expect(again.map((m) => m.id)).toEqual([b, a, c, live?.id]);
    expect(again.map((m) => m.dequeueCount)).toEqual([1, 1, 1, 1]);
    expect(await whereAre([old as string])).toEqual({ [old as string]: "history" });
    expect((await getQueue(p, q.name)).counts).toEqual({ visible: 0, inFlight: 4, delayed: 0, rewindable: 1, dead: 0 });
    // Deleted again, they are rewindable again.
    await deleteMessages(p, { queueName: q.name, receiptHandles: again.map((m) => m.receiptHandle) });
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(5);
    const audit = await getPrisma().auditEvent.findMany({
      where: { accountId: p.accountId, action: "queue.rewind" },
      select: { resourceName: true, outcome: true, details: true },
    });
    expect(audit).toEqual([
      { resourceName: q.name, outcome: "success", details: { startConsumeTime: expect.any(String), rewound: 3 } },
    ]);
  });

  it("moves more than one batch, each in its own transaction, and reports the total", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 3600 });
    await getPool().query(
      `INSERT INTO message_history (id, queue_id, body, enqueued_at)
       SELECT nextval(pg_get_serial_sequence('message', 'id')), $1, 'h' || g, now() - interval '1 minute' + g * interval '1 millisecond'
       FROM generate_series(1, 12000) g`,
      [q.id],
    );
    expect(await rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(120) })).toEqual({ rewound: 12000 });
    expect(await historyRows(q.id)).toBe(0);
    const first = await receiveMessages(p, { queueName: q.name, max: 3 });
    expect(first.map((m) => m.body)).toEqual(["h1", "h2", "h3"]);
    await getPool().query("DELETE FROM message WHERE queue_id = $1", [q.id]);
  });

  it("refuses a queue without rewind, and a time outside [now − rewindSeconds, now]; refusals change nothing", async () => {
    const p = await createTestPrincipal();
    const off = await createTestQueue(p);
    await expect(rewindQueue(p, { queueName: off.name, startConsumeTime: secondsAgo(1) })).rejects.toMatchObject({
      code: "REWIND_NOT_ENABLED",
    });
    const q = await createTestQueue(p, { rewindSeconds: 60 });
    const [id] = await sendAndConsume(p, q.name, ["x"]);
    await backdate(id as string, 30);
    for (const startConsumeTime of [secondsAgo(62), secondsAgo(-10), "1970-01-01T00:00:00Z"]) {
      await expect(rewindQueue(p, { queueName: q.name, startConsumeTime })).rejects.toMatchObject({
        code: "REWIND_TIME_OUT_OF_RANGE",
      });
    }
    await expect(rewindQueue(p, { queueName: "no-such-queue", startConsumeTime: secondsAgo(1) })).rejects.toMatchObject(
      {
        code: "QUEUE_NOT_FOUND",
      },
    );
    expect(await whereAre([id as string])).toEqual({ [id as string]: "history" });
    expect(await getPrisma().auditEvent.count({ where: { accountId: p.accountId, action: "queue.rewind" } })).toBe(0);
    // Just inside the window's edge.
    expect(await rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(58) })).toEqual({ rewound: 1 });
  });

  it("the window's edge: rows enqueued before now − rewindSeconds are neither counted nor rewound, and the sweep drops them", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 60 });
    const [outside, inside] = await sendAndConsume(p, q.name, ["outside", "inside"]);
    await backdate(outside as string, 61);
    await backdate(inside as string, 59);
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(1);
    await runLocked(createHistorySweepWorker());
    expect(await whereAre([outside as string, inside as string])).toEqual({
      [outside as string]: "neither",
      [inside as string]: "history",
    });
    expect(await rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(59.5) })).toEqual({ rewound: 1 });
  });

  it("turning rewind off counts 0 at once and the sweep drops every row; the SDK's attributes stay as they were", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 600 });
    await sendAndConsume(p, q.name, ["a", "b", "c"]);
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(3);
    const off = await updateQueue(p, { queueName: q.name, changes: { rewindSeconds: 0 } });
    expect(off.counts.rewindable).toBe(0);
    expect(await historyRows(q.id)).toBe(3);
    await expect(rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(1) })).rejects.toMatchObject({
      code: "REWIND_NOT_ENABLED",
    });
    await runLocked(createHistorySweepWorker());
    expect(await historyRows(q.id)).toBe(0);
    // Back on: nothing comes back, new deletes are kept again.
    await updateQueue(p, { queueName: q.name, changes: { rewindSeconds: 600 } });
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(0);
    await sendAndConsume(p, q.name, ["d"]);
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(1);
  });

  describe("waking long polls", () => {
    withProductionRecheckInterval();

    it("a rewind wakes a receiver parked on the queue at once", async () => {
      const p = await createTestPrincipal();
      const q = await createTestQueue(p, { rewindSeconds: 600 });
      await sendAndConsume(p, q.name, ["again"]);
      const started = performance.now();
      const waiting = receiveMessages(p, { queueName: q.name, waitSeconds: 8 });
      while (waiterCount(q.id) === 0) await sleep(5);
      await rewindQueue(p, { queueName: q.name, startConsumeTime: secondsAgo(60) });
      const [got] = await waiting;
      expect(got?.body).toBe("again");
      expect(performance.now() - started).toBeLessThan(3000);
    });
  });
});

describe("rewindable counts of a long history", () => {
  it("come from the stats sweep beyond the per-request cap, and say 0 at once when rewind is turned off", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 3600 });
    await getPool().query(
      `INSERT INTO message_history (id, queue_id, body, enqueued_at)
       SELECT nextval(pg_get_serial_sequence('message', 'id')), $1, 'h' || g,
              CASE WHEN g <= 300 THEN now() - interval '2 hours' ELSE now() - interval '1 minute' END
       FROM generate_series(1, $2::int + 300) g`,
      [q.id, exactCountCap + 500],
    );
    await refreshQueueStats(getPool(), exactCountCap);
    expect((await getQueue(p, q.name)).counts.rewindable).toBe(exactCountCap + 500);
    const { rows } = await getPool().query("SELECT total::int, rewindable::int FROM queue_stats WHERE queue_id = $1", [
      q.id,
    ]);
    expect(rows).toEqual([{ total: 0, rewindable: exactCountCap + 500 }]);
    expect((await updateQueue(p, { queueName: q.name, changes: { rewindSeconds: 0 } })).counts.rewindable).toBe(0);
    await getPool().query("DELETE FROM message_history WHERE queue_id = $1", [q.id]);
    await getPool().query("DELETE FROM queue_stats WHERE queue_id = $1", [q.id]);
  });
});
