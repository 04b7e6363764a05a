import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import type { MessageFilter } from "@/lib/schemas/message-filter";
import { messageFilterSchema } from "@/lib/schemas/message-filter";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { idsIn, insertRows, makeDead, makeRewindable, operationOf, workToEnd } from "@/lib/testing/operations";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { waiterCount } from "./long-poll";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";
import { noteSkips } from "./operation-batches";
import {
  cancelOperation,
  deleteMessage,
  getOperation,
  listOperations,
  moveMessages,
  purgeMessages,
  redriveMessages,
} from "./operations";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const filter = (f: Partial<MessageFilter>) => messageFilterSchema.parse(f);

async function auditOf(p: Principal, action: string) {
  const { rows } = await getPool().query<{ details: Record<string, unknown>; resource_name: string }>(
    "SELECT details, resource_name FROM audit_event WHERE account_id = $1 AND action = $2 ORDER BY id",
    [p.accountId, action],
  );
  return rows;
}

/** A queue holding one message of each kind a filter tells apart; returns their ids by name. */
async function queueOfEveryKind(p: Principal) {
  const q = await createTestQueue(p);
  const origin = await createTestQueue(p);
  const sent = await sendMessages(p, {
    queueName: q.name,
    messages: [
      { body: "plain visible" },
      { body: "tagged", tags: ["vip"] },
      { body: "Searchable NEEDLE here" },
      { body: "delayed", delaySeconds: 600 },
      { body: "leased" },
      { body: "dead one" },
      { body: "kept for rewind" },
    ],
  });
  const [visible, tagged, searchable, delayed, leased, dead, rewindable] = sent.map((s) => s.id) as string[];
  await getPool().query(
    "UPDATE message SET visible_at = now() + interval '10 minutes', dequeue_count = 1, receipt = gen_random_uuid() WHERE id = $1",
    [leased],
  );
  await makeDead([dead as string], q.id, origin.id);
  await makeRewindable([rewindable as string]);
  // An old one, for the time filters.
  await getPool().query("UPDATE message SET enqueued_at = '2020-01-01T00:00:00Z' WHERE id = $1", [visible]);
  return {
    q,
    origin,
    ids: { visible, tagged, searchable, delayed, leased, dead, rewindable } as Record<string, string>,
  };
}

describe("purge", () => {
  const cases: [string, Partial<MessageFilter>, string[]][] = [
    ["all", {}, ["visible", "tagged", "searchable", "delayed", "leased", "dead"]],
    ["visible", { state: "visible" }, ["visible", "tagged", "searchable", "dead"]],
    ["delayed", { state: "delayed" }, ["delayed"]],
    ["inFlight", { state: "inFlight" }, ["leased"]],
    ["dead", { state: "dead" }, ["dead"]],
    ["rewindable", { state: "rewindable" }, ["rewindable"]],
    ["search (any case)", { search: "needle" }, ["searchable"]],
    ["tag", { tag: "vip" }, ["tagged"]],
    ["enqueuedBefore", { enqueuedBefore: "2021-01-01T00:00:00Z" }, ["visible"]],
    ["enqueuedFrom", { enqueuedFrom: "2021-01-01T00:00:00Z", state: "visible" }, ["tagged", "searchable", "dead"]],
  ];
  it.each(cases)(
    "by %s: the dry-run count is exactly what is purged, and nothing else goes",
    async (_, f, expected) => {
      const p = await createTestPrincipal();
      const { q, ids } = await queueOfEveryKind(p);
      const before = { live: await idsIn(q.id), kept: await idsIn(q.id, "history") };
      const dry = await purgeMessages(p, { queueName: q.name, filter: filter(f), dryRun: true });
      expect(dry).toEqual({ count: expected.length });
      expect({ live: await idsIn(q.id), kept: await idsIn(q.id, "history") }).toEqual(before);

      const op = operationOf(await purgeMessages(p, { queueName: q.name, filter: filter(f) }));
      expect(op).toMatchObject({ kind: "purge", status: "done", total: expected.length, processed: expected.length });
      expect(op.skipped).toBe(0);
      const gone = new Set(expected.map((name) => ids[name]));
      expect(await idsIn(q.id)).toEqual(before.live.filter((id) => !gone.has(id)));
      expect(await idsIn(q.id, "history")).toEqual(before.kept.filter((id) => !gone.has(id)));
    },
  );

  it("by ids: only those, and only in this queue", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const other = await createTestQueue(p);
    const mine = await insertRows(q.id, 5);
    const theirs = await insertRows(other.id, 1);
    const f = filter({ ids: [mine[1] as string, mine[3] as string, theirs[0] as string] });
    expect(await purgeMessages(p, { queueName: q.name, filter: f, dryRun: true })).toEqual({ count: 2 });
    expect(operationOf(await purgeMessages(p, { queueName: q.name, filter: f })).processed).toBe(2);
    expect(await idsIn(q.id)).toEqual([mine[0], mine[2], mine[4]]);
    expect(await idsIn(other.id)).toEqual(theirs);
  });

  it("audits the request with its count in the creating transaction; the final counts are on the operation", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await insertRows(q.id, 3);
    const op = operationOf(await purgeMessages(p, { queueName: q.name }));
    await purgeMessages(p, { queueName: q.name, dryRun: true }); // a dry run changes nothing: not audited
    const rows = await auditOf(p, "queue.purge");
    expect(rows).toEqual([
      {
        resource_name: q.name,
        details: {
          operationId: op.id,
          filter: { state: "all" },
          target: null,
          count: 3,
          ratePerSecond: null,
        },
      },
    ]);
    expect(await getOperation(p, { queueName: q.name, id: op.id })).toEqual(op);
    expect((await listOperations(p, { queueName: q.name })).operations).toEqual([op]);
  });

  it("leaves messages sent after the request alone (bounded by the highest id at request time)", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await insertRows(q.id, 1500);
    const op = operationOf(await purgeMessages(p, { queueName: q.name }));
    expect(op).toMatchObject({ status: "pending", total: 1500, processed: 0 });
    const late = await sendMessages(p, { queueName: q.name, messages: [{ body: "after" }] });
    await workToEnd(op.id);
    expect(await getOperation(p, { queueName: q.name, id: op.id })).toMatchObject({
      status: "done",
      processed: 1500,
      skipped: 0,
    });
    expect(await idsIn(q.id)).toEqual(late.map((m) => m.id));
  });

  it("purges a message a receiver leases meanwhile (it is retried, not skipped): consumers and purge share the queue exactly", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 60 });
    const total = 12_000;
    await insertRows(q.id, total);
    const op = operationOf(await purgeMessages(p, { queueName: q.name }));
    let consumed = 0;
    let stop = false;
    const consumer = async () => {
      while (!stop) {
        const got = await receiveMessages(p, { queueName: q.name, max: 16, waitSeconds: 0 });
        if (got.length === 0) return;
        const { deleted } = await deleteMessages(p, {
          queueName: q.name,
          receiptHandles: got.map((m) => m.receiptHandle),
        });
        consumed += deleted; // not `consumed += await …`, which would read `consumed` before the await
      }
    };
    const consumers = [consumer(), consumer(), consumer()];
    await workToEnd(op.id);
    stop = true;
    await Promise.all(consumers);
    const done = await getOperation(p, { queueName: q.name, id: op.id });
    expect(done.status).toBe("done");
    expect(done.skipped).toBe(0);
    expect(await idsIn(q.id)).toEqual([]);
    // Each message was either deleted by its consumer or purged (some leased ones purged under their consumer).
    expect(done.processed + consumed).toBe(total);
  });
});

describe("redrive", () => {
  it("sends dead messages back to the queue each died in, as fresh deliveries, and counts exactly", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const [a, b] = [await createTestQueue(p), await createTestQueue(p)];
    const fromA = await insertRows(a.id, 3, "a");
    const fromB = await insertRows(b.id, 2, "b");
    const notDead = await insertRows(dlq.id, 1, "sent straight to the DLQ");
    await getPool().query(
      "UPDATE message SET dequeue_count = 4, enqueued_at = '2026-01-01T00:00:00Z' WHERE id = ANY($1)",
      [fromA],
    );
    await makeDead(fromA, dlq.id, a.id);
    await makeDead(fromB, dlq.id, b.id);
    expect(await redriveMessages(p, { queueName: dlq.name, dryRun: true })).toEqual({ count: 5 });

    const op = operationOf(await redriveMessages(p, { queueName: dlq.name }));
    expect(op).toMatchObject({
      kind: "redrive",
      status: "done",
      total: 5,
      processed: 5,
      skipped: 0,
      ratePerSecond: 1000,
      target: null,
      filter: { state: "dead" },
    });
    expect(await idsIn(a.id)).toEqual(fromA);
    expect(await idsIn(b.id)).toEqual(fromB);
    expect(await idsIn(dlq.id)).toEqual(notDead);
    const { rows } = await getPool().query(
      `SELECT redrive_count, dead_at, dead_reason, dead_from_queue_id::text, dequeue_count, receipt,
              first_enqueued_at, enqueued_at > now() - interval '1 minute' AS is_new, visible_at <= now() AS is_visible
       FROM message WHERE id = $1`,
      [fromA[0]],
    );
    expect(rows[0]).toEqual({
      redrive_count: 1,
      dead_at: null,
      dead_reason: "maxReceiveCount",
      dead_from_queue_id: a.id,
      dequeue_count: 0,
      receipt: null,
      first_enqueued_at: new Date("2026-01-01T00:00:00Z"),
      is_new: true,
      is_visible: true,
    });
    const got = await receiveMessages(p, { queueName: a.name, max: 16 });
    expect(got.map((m) => m.body)).toEqual(["a-1", "a-2", "a-3"]);
  });

  it("to a named target; skips (and explains) messages at the loop guard and those whose origin is gone", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const origin = await createTestQueue(p);
    const gone = await createTestQueue(p);
    const ok = await insertRows(origin.id, 2);
    const looping = await insertRows(origin.id, 1);
    const orphan = await insertRows(gone.id, 1);
    await makeDead([...ok, ...looping], dlq.id, origin.id);
    await makeDead(orphan, dlq.id, gone.id);
    await getPool().query("UPDATE message SET redrive_count = 10 WHERE id = ANY($1)", [looping]);
    await getPool().query("DELETE FROM queue WHERE id = $1", [gone.id]);

    const op = operationOf(await redriveMessages(p, { queueName: dlq.name }));
    expect(op).toMatchObject({
      status: "done",
      total: 4,
      processed: 2,
      skipped: 2,
      error:
        "Skipped: 1 redriven 10 times already (loop guard); 1 whose origin queue no longer exists (or is this queue).",
    });
    expect(await idsIn(origin.id)).toEqual(ok);
    expect(await idsIn(dlq.id)).toEqual([...looping, ...orphan]);

    // With a target, the orphan goes there; the loop guard still holds.
    const target = await createTestQueue(p);
    const second = operationOf(await redriveMessages(p, { queueName: dlq.name, target: target.name }));
    expect(second).toMatchObject({ status: "done", total: 2, processed: 1, skipped: 1, target: target.name });
    expect(await idsIn(target.id)).toEqual(orphan);
    expect(await idsIn(dlq.id)).toEqual(looping);
  });

  it("fails (and stops) when its named target is deleted while it runs; a redrive to origins goes on", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const origin = await createTestQueue(p);
    const target = await createTestQueue(p);
    const ids = await insertRows(origin.id, 1500);
    await makeDead(ids, dlq.id, origin.id);
    const named = operationOf(await redriveMessages(p, { queueName: dlq.name, target: target.name }));
    const toOrigins = operationOf(await redriveMessages(p, { queueName: dlq.name, ratePerSecond: 10_000 }));
    expect([named.status, named.target, toOrigins.status, toOrigins.target]).toEqual([
      "pending",
      target.name,
      "pending",
      null,
    ]);
    await getPool().query("DELETE FROM queue WHERE id = $1", [target.id]);
    await workToEnd(named.id);
    expect(await getOperation(p, { queueName: dlq.name, id: named.id })).toMatchObject({
      status: "failed",
      target: null,
      processed: 0,
      error: "The target queue was deleted.",
    });
    await workToEnd(toOrigins.id);
    expect(await getOperation(p, { queueName: dlq.name, id: toOrigins.id })).toMatchObject({
      status: "done",
      target: null,
      processed: 1500,
    });
    expect(await idsIn(origin.id)).toEqual(ids);
  });

  it("a message redriven 9 times is redriven once more, then never again", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const origin = await createTestQueue(p);
    const ids = await insertRows(origin.id, 1);
    await getPool().query("UPDATE message SET redrive_count = 9 WHERE id = ANY($1)", [ids]);
    await makeDead(ids, dlq.id, origin.id);
    expect(operationOf(await redriveMessages(p, { queueName: dlq.name })).processed).toBe(1);
    await makeDead(ids, dlq.id, origin.id);
    expect(operationOf(await redriveMessages(p, { queueName: dlq.name }))).toMatchObject({ processed: 0, skipped: 1 });
  });

  it("refuses rewindable messages and a target that is the source, changing nothing", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    await insertRows(dlq.id, 2);
    await expect(
      redriveMessages(p, { queueName: dlq.name, filter: filter({ state: "rewindable" }) }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      redriveMessages(p, { queueName: dlq.name, filter: filter({}), target: dlq.name.toUpperCase() }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(redriveMessages(p, { queueName: dlq.name, target: "no-such-queue" })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
    expect((await listOperations(p, { queueName: dlq.name })).operations).toEqual([]);
    expect(await idsIn(dlq.id)).toHaveLength(2);
  });

  it("paces a rate-limited redrive: one second's worth per batch", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const origin = await createTestQueue(p);
    const ids = await insertRows(origin.id, 7);
    await makeDead(ids, dlq.id, origin.id);
    const op = operationOf(await redriveMessages(p, { queueName: dlq.name, ratePerSecond: 3 }));
    expect(op).toMatchObject({ status: "pending", total: 7, processed: 0, ratePerSecond: 3 });
    const { runLocked } = await import("@/lib/workers/worker");
    const { operationsWorker } = await import("@/lib/workers/operations");
    const started = Date.now();
    while ((await getOperation(p, { queueName: dlq.name, id: op.id })).status !== "done") {
      const delay = await runLocked(operationsWorker);
      await sleep(Math.max(10, delay ?? 10));
      if (Date.now() - started > 10_000) throw new Error("redrive did not finish");
    }
    // Batches of 3, 3, 1: the third may start 2 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(await idsIn(origin.id)).toEqual(ids);
  });

  it("concurrent receivers on the origin see every redriven message exactly once (ledger)", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const origin = await createTestQueue(p, { visibilityTimeout: 60 });
    const ids = await insertRows(origin.id, 6000);
    await makeDead(ids, dlq.id, origin.id);
    const op = operationOf(await redriveMessages(p, { queueName: dlq.name, ratePerSecond: 10_000 }));
    const seen = new Map<string, number>();
    let redriving = true;
    const receiver = async () => {
      for (;;) {
        const got = await receiveMessages(p, { queueName: origin.name, max: 16, waitSeconds: 1 });
        for (const m of got) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
        if (got.length > 0) {
          await deleteMessages(p, { queueName: origin.name, receiptHandles: got.map((m) => m.receiptHandle) });
        } else if (!redriving) return;
      }
    };
    const receivers = [receiver(), receiver(), receiver(), receiver()];
    await workToEnd(op.id);
    redriving = false;
    await Promise.all(receivers);
    expect(await getOperation(p, { queueName: dlq.name, id: op.id })).toMatchObject({
      status: "done",
      processed: 6000,
      skipped: 0,
    });
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(await idsIn(dlq.id)).toEqual([]);
    expect(await idsIn(origin.id)).toEqual([]);
  });
});

describe("move and copy", () => {
  withProductionRecheckInterval();

  it("move keeps ids and wakes the target's long-poll waiters; copy inserts new messages with new ids", async () => {
    const p = await createTestPrincipal();
    const source = await createTestQueue(p);
    const target = await createTestQueue(p);
    const sent = await sendMessages(p, {
      queueName: source.name,
      messages: [{ body: "one", tags: ["t"] }, { body: "two" }, { body: "three", tags: ["t"] }],
    });
    const waiting = receiveMessages(p, { queueName: target.name, max: 16, waitSeconds: 20 });
    for (let i = 0; i < 50 && waiterCount(target.id) === 0; i++) await sleep(10);
    expect(waiterCount(target.id)).toBe(1);
    const started = performance.now();
    const moved = operationOf(
      await moveMessages(p, { queueName: source.name, filter: filter({ tag: "t" }), target: target.name }),
    );
    expect(moved).toMatchObject({ kind: "move", status: "done", total: 2, processed: 2, target: target.name });
    const got = await waiting;
    expect(performance.now() - started).toBeLessThan(2000); // not the 10 s safety net
    expect(got.map((m) => [m.id, m.body, m.dequeueCount])).toEqual([
      [sent[0]?.id, "one", 1],
      [sent[2]?.id, "three", 1],
    ]);
    expect(await idsIn(source.id)).toEqual([sent[1]?.id]);

    const copied = operationOf(
      await moveMessages(p, { queueName: source.name, filter: filter({}), target: target.name, copy: true }),
    );
    expect(copied).toMatchObject({ kind: "copy", status: "done", total: 1, processed: 1 });
    expect(await idsIn(source.id)).toEqual([sent[1]?.id]);
    const copies = await receiveMessages(p, { queueName: target.name, max: 16 });
    expect(copies.map((m) => m.body)).toEqual(["two"]);
    expect(copies[0]?.id).not.toBe(sent[1]?.id);
    expect(BigInt(copies[0]?.id ?? 0)).toBeGreaterThan(BigInt(sent[1]?.id ?? 0));
  });

  it("leaves a message too large for the target's maxMsgSize where it is (move, copy and redrive), counted and explained", async () => {
    const p = await createTestPrincipal();
    const source = await createTestQueue(p, { maxMsgSize: 4096 });
    const small = await createTestQueue(p, { maxMsgSize: 1024 });
    const [big, fits] = (
      await sendMessages(p, { queueName: source.name, messages: [{ body: "x".repeat(2000) }, { body: "fits" }] })
    ).map((m) => m.id);
    const note = "Skipped: 1 larger than the target queue's maxMsgSize.";
    const copied = operationOf(
      await moveMessages(p, { queueName: source.name, filter: filter({}), target: small.name, copy: true }),
    );
    expect(copied).toMatchObject({ status: "done", total: 2, processed: 1, skipped: 1, error: note });
    const moved = operationOf(
      await moveMessages(p, { queueName: source.name, filter: filter({}), target: small.name }),
    );
    expect(moved).toMatchObject({ status: "done", total: 2, processed: 1, skipped: 1, error: note });
    expect(await idsIn(source.id)).toEqual([big]);
    expect(await idsIn(small.id)).toHaveLength(2);
    expect((await idsIn(small.id)).includes(fits as string)).toBe(true);
    // A dead message whose origin's maxMsgSize was lowered since stays in the DLQ.
    const dlq = await createTestQueue(p, { maxMsgSize: 4096 });
    await makeDead([big as string], dlq.id, small.id);
    const redriven = operationOf(await redriveMessages(p, { queueName: dlq.name }));
    expect(redriven).toMatchObject({ status: "done", total: 1, processed: 0, skipped: 1, error: note });
    expect(await idsIn(dlq.id)).toEqual([big]);
  });

  it("refuses a target the caller cannot see as not found, and one it may not send to as forbidden", async () => {
    const owner = await createTestPrincipal();
    const source = await createTestQueue(owner, { name: `orders-${Date.now()}` });
    const hidden = await createTestQueue(owner, { name: `billing-${Date.now()}` });
    const readOnlyTarget = await createTestQueue(owner, { name: `orders-ro-${Date.now()}` });
    await insertRows(source.id, 2);
    const dev: Principal = {
      ...owner,
      access: {
        role: "developer",
        keyPermissions: [],
        statements: [
          { effect: "allow", actions: ["queue:*", "message:*"], resources: ["orders-*"] },
          { effect: "deny", actions: ["queue:SendMessage"], resources: ["orders-ro-*"] },
        ],
      },
    };
    const f = filter({});
    await expect(moveMessages(dev, { queueName: source.name, filter: f, target: hidden.name })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
    await expect(
      moveMessages(dev, { queueName: source.name, filter: f, target: readOnlyTarget.name }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(moveMessages(dev, { queueName: hidden.name, filter: f, target: source.name })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
    // A developer holds message:redrive but not message:purge.
    await expect(purgeMessages(dev, { queueName: source.name })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await idsIn(source.id)).toHaveLength(2);
    expect((await listOperations(owner, { queueName: source.name })).operations).toEqual([]);
  });
});

describe("operations in batches", () => {
  it("cancel stops between batches: what committed stays done, the rest stays", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await insertRows(q.id, 12_000);
    const op = operationOf(await purgeMessages(p, { queueName: q.name }));
    expect(op.status).toBe("pending");
    const { runOneBatch, withClient } = await import("./operation-batches");
    const { lockOperation } = await import("@/lib/store/operations");
    await withClient((c) => runOneBatch(c, (cl) => lockOperation(cl, op.id)));
    const cancelled = await cancelOperation(p, { queueName: q.name, id: op.id });
    expect(cancelled).toMatchObject({ status: "cancelled", processed: 5000, total: 12_000 });
    expect(cancelled.finishedAt).not.toBeNull();
    expect(await workToEnd(op.id)).toBe(0);
    expect(await idsIn(q.id)).toHaveLength(7000);
    // Cancelling again answers the operation as it is.
    expect(await cancelOperation(p, { queueName: q.name, id: op.id })).toEqual(cancelled);
    expect((await auditOf(p, "queue.operation.cancel")).map((r) => r.details.status)).toEqual([
      "cancelled",
      "cancelled",
    ]);
  });

  it("a crash mid-batch loses only that batch: progress is committed with each batch, and the walk resumes", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const ids = await insertRows(q.id, 11_000);
    const op = operationOf(await purgeMessages(p, { queueName: q.name }));
    const { runOneBatch, withClient } = await import("./operation-batches");
    const { lockOperation, runBatch } = await import("@/lib/store/operations");
    await withClient((c) => runOneBatch(c, (cl) => lockOperation(cl, op.id)));
    // The process dies in the middle of the second batch: its connection goes, its transaction with it.
    const client = await getPool().connect();
    await client.query("BEGIN");
    const claimed = await lockOperation(client, op.id);
    await runBatch(client, claimed as NonNullable<typeof claimed>);
    client.release(new Error("crash"));
    await sleep(100);
    expect(await getOperation(p, { queueName: q.name, id: op.id })).toMatchObject({
      status: "running",
      processed: 5000,
    });
    expect(await idsIn(q.id)).toEqual(ids.slice(5000));
    await workToEnd(op.id);
    expect(await getOperation(p, { queueName: q.name, id: op.id })).toMatchObject({
      status: "done",
      processed: 11_000,
      skipped: 0,
    });
    expect(await idsIn(q.id)).toEqual([]);
  });

  it("workers claim operations with SKIP LOCKED: a held operation is passed over, several workers share the work exactly", async () => {
    const p = await createTestPrincipal();
    const queues = [await createTestQueue(p), await createTestQueue(p), await createTestQueue(p)];
    for (const q of queues) await insertRows(q.id, 8000);
    const ops = [];
    for (const q of queues) ops.push(operationOf(await purgeMessages(p, { queueName: q.name })));
    const { runOneBatch, withClient } = await import("./operation-batches");
    const { claimDueOperation, lockOperation } = await import("@/lib/store/operations");
    // One process is in the middle of a batch of the first operation: another worker takes a different one.
    const holder = await getPool().connect();
    await holder.query("BEGIN");
    await lockOperation(holder, ops[0]?.id as string);
    const other = await getPool().connect();
    await other.query("BEGIN");
    const claimed = await claimDueOperation(other);
    expect(claimed?.id).not.toBe(ops[0]?.id);
    expect(ops.map((o) => o.id)).toContain(claimed?.id);
    await other.query("ROLLBACK");
    other.release();
    await holder.query("ROLLBACK");
    holder.release();

    const worker = async () => {
      let batches = 0;
      while (await withClient((c) => runOneBatch(c, claimDueOperation))) batches++;
      return batches;
    };
    const batches = await Promise.all([worker(), worker(), worker()]);
    expect(batches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6); // 2 batches each, at least
    for (const [i, q] of queues.entries()) {
      expect(await getOperation(p, { queueName: q.name, id: ops[i]?.id as string })).toMatchObject({
        status: "done",
        total: 8000,
        processed: 8000,
        skipped: 0,
      });
      expect(await idsIn(q.id)).toEqual([]);
    }
  });

  it("passes over a message another transaction holds and purges it in a later batch; one held too long is skipped", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await insertRows(q.id, 3);
    const op = operationOf(await purgeMessages(p, { queueName: q.name, filter: filter({}) }));
    expect(op.status).toBe("done");
    const more = await insertRows(q.id, 3);
    const holder = await getPool().connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM message WHERE id = $1 FOR UPDATE", [more[1]]);
      const { runOneBatch, withClient } = await import("./operation-batches");
      const { lockOperation } = await import("@/lib/store/operations");
      const second = operationOf(await purgeMessages(p, { queueName: q.name, dryRun: false }));
      // Inside the request: the held row was passed over; the next batches retried it and found it
      // held again, alone — so they waited a second for it, then counted it as skipped.
      expect(second).toMatchObject({ status: "done", total: 3, processed: 2, skipped: 1 });
      expect(second.error).toBe("Skipped: 1 held by another transaction for over a second.");
      expect(await idsIn(q.id)).toEqual([more[1]]);

      // Held during one batch, released before the next: purged, not skipped.
      const last = await insertRows(q.id, 2);
      const third = operationOf(await purgeMessages(p, { queueName: q.name, filter: filter({ ids: last }) }));
      expect(third).toMatchObject({ status: "done", processed: 2 });
      const fourth = await insertRows(q.id, 1);
      await holder.query("SELECT 1 FROM message WHERE id = $1 FOR UPDATE", [fourth[0]]);
      await insertRows(q.id, 1500);
      const op4 = operationOf(
        await purgeMessages(p, { queueName: q.name, filter: filter({ enqueuedFrom: "2020-01-01T00:00:00Z" }) }),
      );
      expect(op4.status).toBe("pending"); // > 1,000: left to the worker
      await withClient((c) => runOneBatch(c, (cl) => lockOperation(cl, op4.id)));
      expect(await idsIn(q.id)).toEqual([more[1], fourth[0]]);
      await holder.query("COMMIT");
      await workToEnd(op4.id);
      expect(await getOperation(p, { queueName: q.name, id: op4.id })).toMatchObject({
        status: "done",
        total: 1502,
        processed: 1502,
        skipped: 0,
      });
      expect(await idsIn(q.id)).toEqual([]);
    } finally {
      await holder.query("ROLLBACK").catch(() => {});
      holder.release();
    }
  });
});

describe("delete one message by id", () => {
  it("deletes a live or a rewindable message, audited; an unknown id is MESSAGE_NOT_FOUND", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const other = await createTestQueue(p);
    const [live, kept, third] = await insertRows(q.id, 3);
    const [elsewhere] = await insertRows(other.id, 1);
    await makeRewindable([kept as string]);
    await deleteMessage(p, { queueName: q.name, id: live as string });
    await deleteMessage(p, { queueName: q.name, id: kept as string });
    for (const id of [live, kept, elsewhere, "99999999999"]) {
      await expect(deleteMessage(p, { queueName: q.name, id: id as string })).rejects.toMatchObject({
        code: "MESSAGE_NOT_FOUND",
      });
    }
    expect(await idsIn(q.id)).toEqual([third]);
    expect(await idsIn(q.id, "history")).toEqual([]);
    expect(await idsIn(other.id)).toEqual([elsewhere]);
    expect((await auditOf(p, "message.delete")).map((r) => r.details)).toEqual([
      { id: live, state: "live" },
      { id: kept, state: "rewindable" },
    ]);
  });
});

describe("noteSkips", () => {
  it("adds this batch's skips to the counts already in the note", () => {
    const none = { loopGuard: 0, originGone: 0, targetGone: 0, tooLarge: 0, held: 0 };
    expect(noteSkips(null, none)).toBeNull();
    const first = noteSkips(null, { ...none, loopGuard: 2 });
    expect(first).toBe("Skipped: 2 redriven 10 times already (loop guard).");
    expect(noteSkips(first, { ...none, loopGuard: 1, originGone: 3, held: 1 })).toBe(
      "Skipped: 3 redriven 10 times already (loop guard); 3 whose origin queue no longer exists (or is this queue); 1 held by another transaction for over a second.",
    );
  });
});
