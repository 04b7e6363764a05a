import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { searchWalkLimit } from "@/lib/store/inspect";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { waiterCount } from "./long-poll";
import { deleteMessages, peekMessages, receiveMessages, sendMessages } from "./messages";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("send and receive", () => {
  it("delivers messages in order with ids, handles and counts", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const sent = await sendMessages(p, {
      queueName: q.name,
      messages: [{ body: "a" }, { body: "b", tags: ["x", "y"] }, { body: "c" }],
    });
    expect(sent).toHaveLength(3);
    const got = await receiveMessages(p, { queueName: q.name, max: 16 });
    expect(got.map((m) => m.body)).toEqual(["a", "b", "c"]);
    expect(got.map((m) => m.id)).toEqual(sent.map((s) => s.id));
    expect(got[1]?.tags).toEqual(["x", "y"]);
    expect(got[0]?.dequeueCount).toBe(1);
    expect(got[0]?.receiptHandle).toMatch(/^[a-zA-Z0-9%#:_-]{1,256}$/);
    expect(await receiveMessages(p, { queueName: q.name, max: 16 })).toEqual([]);
    const result = await deleteMessages(p, { queueName: q.name, receiptHandles: got.map((m) => m.receiptHandle) });
    expect(result).toEqual({ deleted: 3, failed: [] });
  });

  it("names the queue in a not-found error and rejects oversize and empty bodies", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { maxMsgSize: 1024 });
    await expect(sendMessages(p, { queueName: "nope-not-here", messages: [{ body: "x" }] })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
    await expect(sendMessages(p, { queueName: q.name, messages: [{ body: "x".repeat(1025) }] })).rejects.toMatchObject({
      code: "MESSAGE_TOO_LARGE",
    });
    await expect(sendMessages(p, { queueName: q.name, messages: [{ body: "" }] })).rejects.toMatchObject({
      code: "MESSAGE_BODY_EMPTY",
    });
    const page = await peekMessages(p, { queueName: q.name, state: "all", limit: 50 });
    expect(page.messages).toHaveLength(0);
  });

  it("hides a leased message until its lease ends, then redelivers it with a higher dequeue count", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 1 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "lease" }] });
    const [first] = await receiveMessages(p, { queueName: q.name });
    expect(first?.dequeueCount).toBe(1);
    expect(await receiveMessages(p, { queueName: q.name })).toEqual([]);
    await sleep(1100);
    const [second] = await receiveMessages(p, { queueName: q.name });
    expect(second?.id).toBe(first?.id);
    expect(second?.dequeueCount).toBe(2);
    expect(second?.firstDequeuedAt).toBe(first?.firstDequeuedAt);
    // The first handle is stale now; only the latest deletes.
    const stale = await deleteMessages(p, { queueName: q.name, receiptHandles: [first?.receiptHandle ?? ""] });
    expect(stale.deleted).toBe(0);
    expect(stale.failed[0]?.code).toBe("RECEIPT_HANDLE_INVALID");
    expect(await deleteMessages(p, { queueName: q.name, receiptHandles: [second?.receiptHandle ?? ""] })).toEqual({
      deleted: 1,
      failed: [],
    });
  });

  it("refuses a handle after its lease ended even if nobody received the message again", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 1 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "late" }] });
    const [m] = await receiveMessages(p, { queueName: q.name });
    await sleep(1100);
    const result = await deleteMessages(p, {
      queueName: q.name,
      receiptHandles: [m?.receiptHandle ?? "", "garbage", "1:00000000000000000000000000000000"],
    });
    expect(result.deleted).toBe(0);
    expect(result.failed.map((f) => f.receiptHandle)).toEqual([
      m?.receiptHandle,
      "garbage",
      "1:00000000000000000000000000000000",
    ]);
    const page = await peekMessages(p, { queueName: q.name, state: "visible", limit: 50 });
    expect(page.messages.map((x) => x.body)).toEqual(["late"]);
  });

  it("does not let one account touch another account's queue", async () => {
    const owner = await createTestPrincipal();
    const stranger = await createTestPrincipal();
    const q = await createTestQueue(owner);
    await sendMessages(owner, { queueName: q.name, messages: [{ body: "mine" }] });
    await expect(receiveMessages(stranger, { queueName: q.name })).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    await expect(sendMessages(stranger, { queueName: q.name, messages: [{ body: "x" }] })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
  });
});

// Waits here are shorter than production's 10 s safety-net re-check: a message that arrives within one
// was delivered by the wake-up under test, and how fast is the benchmark's business.
describe("delay and long polling", () => {
  withProductionRecheckInterval();

  it("keeps a delayed message invisible until its delay passes, to the second", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const t0 = Date.now();
    await sendMessages(p, { queueName: q.name, messages: [{ body: "later", delaySeconds: 2 }] });
    expect(await receiveMessages(p, { queueName: q.name })).toEqual([]);
    const page = await peekMessages(p, { queueName: q.name, state: "delayed", limit: 50 });
    expect(page.messages.map((m) => m.state)).toEqual(["delayed"]);
    // Due at 2 s: a wait until 3 s gets it from the timer set for the moment it becomes visible.
    const got = await receiveMessages(p, { queueName: q.name, waitSeconds: 3 });
    expect(got.map((m) => m.body)).toEqual(["later"]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1990);
  });

  it("a send wakes a receiver that was already waiting", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const receiving = receiveMessages(p, { queueName: q.name, waitSeconds: 5 });
    for (let i = 0; i < 100 && waiterCount(q.id) === 0; i++) await sleep(20);
    expect(waiterCount(q.id)).toBe(1); // parked before the send: only a wake-up can deliver
    await sendMessages(p, { queueName: q.name, messages: [{ body: "wake" }] });
    expect((await receiving).map((m) => m.body)).toEqual(["wake"]);
  });

  it("returns empty after the wait when nothing arrives, using the queue's pollingWaitSeconds", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { pollingWaitSeconds: 1 });
    const t0 = Date.now();
    expect(await receiveMessages(p, { queueName: q.name })).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    // waitSeconds 0 overrides the queue's wait: the answer comes before that 1 s wait could end.
    const t1 = Date.now();
    expect(await receiveMessages(p, { queueName: q.name, waitSeconds: 0 })).toEqual([]);
    expect(Date.now() - t1).toBeLessThan(990);
  });

  it("holds no database connection while waiting", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const pool = getPool();
    const waits = Array.from({ length: 30 }, () => receiveMessages(p, { queueName: q.name, waitSeconds: 5 }));
    // Once all 30 are parked (on a loaded machine, opening the pool's connections takes a while).
    for (let i = 0; i < 100 && waiterCount(q.id) < 30; i++) await sleep(50);
    expect(waiterCount(q.id)).toBe(30);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    await sendMessages(p, { queueName: q.name, messages: [{ body: "one" }] });
    const results = await Promise.all(waits);
    expect(results.filter((r) => r.length === 1)).toHaveLength(1);
  });
});

describe("peek search", () => {
  it("walks a bounded stretch per page and tells where to continue", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await getPool().query(
      `INSERT INTO message (queue_id, body, visible_at)
       SELECT $1, CASE WHEN g = $2 THEN 'the needle' ELSE 'hay ' || g END, now() - interval '1 hour' + g * interval '1 ms'
       FROM generate_series(1, $2) g`,
      // One page's walk of hay, then the needle just past it: found on the second page.
      [q.id, searchWalkLimit + 10],
    );
    const first = await peekMessages(p, { queueName: q.name, state: "all", search: "NEEDLE", limit: 10 });
    expect(first.messages).toEqual([]);
    expect(first.nextCursor).toMatch(/^\d+-\d+$/);
    const second = await peekMessages(p, {
      queueName: q.name,
      state: "all",
      search: "needle",
      limit: 10,
      cursor: first.nextCursor ?? "",
    });
    expect(second.messages.map((m) => m.body)).toEqual(["the needle"]);
    expect(second.nextCursor).toBeNull();
    await getPool().query("DELETE FROM message WHERE queue_id = $1", [q.id]);
  });
});
