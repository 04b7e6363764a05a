import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { deleteMessages, receiveMessages, sendMessages } from "@/lib/services/messages";
import { getQueueRecordOrThrow } from "@/lib/services/queue-lookup";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { deleteLeasedCoalesced, insertMessagesCoalesced } from "./coalesced-messages";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the statements sent through the pool, by prepared-statement name. */
function countStatements() {
  const pool = getPool();
  const counts = new Map<string, number>();
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  vi.spyOn(pool, "query").mockImplementation(((config: unknown, ...rest: unknown[]) => {
    const name = (config as { name?: string })?.name ?? "(unnamed)";
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return original(config, ...rest);
  }) as typeof pool.query);
  return counts;
}

/** Loads the queues' records into the lookup cache, so concurrent sends reach the store in one tick. */
async function warm(p: Principal, ...queues: { name: string }[]) {
  for (const q of queues) await getQueueRecordOrThrow(p.accountId, q.name);
}

async function bodiesById(ids: string[]) {
  const { rows } = await getPool().query<{ id: string; queue_id: string; body: string }>(
    "SELECT id::text, queue_id::text, body FROM message WHERE id = ANY($1::bigint[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { queueId: r.queue_id, body: r.body }]));
}

describe("coalesced sends", () => {
  it("answers each of many concurrent callers on several queues with its own ids, in order, in few statements", async () => {
    const p = await createTestPrincipal();
    const queues = [await createTestQueue(p), await createTestQueue(p), await createTestQueue(p)];
    await warm(p, ...queues);
    const calls = Array.from({ length: 60 }, (_, i) => ({
      queue: queues[i % 3] as (typeof queues)[number],
      bodies: Array.from({ length: 1 + (i % 4) }, (_, j) => `c${i}-m${j}`),
    }));
    const counts = countStatements();
    const answers = await Promise.all(
      calls.map((c) => sendMessages(p, { queueName: c.queue.name, messages: c.bodies.map((body) => ({ body })) })),
    );
    const combined = counts.get("insert_messages_combined") ?? 0;
    expect(combined).toBeGreaterThan(0);
    expect(combined + (counts.get("insert_messages") ?? 0)).toBeLessThan(10);
    const stored = await bodiesById(answers.flat().map((a) => a.id));
    calls.forEach((c, i) => {
      const ids = answers[i]?.map((a) => a.id) ?? [];
      expect(ids.map((id) => stored.get(id))).toEqual(c.bodies.map((body) => ({ queueId: c.queue.id, body })));
    });
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS n FROM message WHERE queue_id = ANY($1::bigint[])",
      [queues.map((q) => q.id)],
    );
    expect(rows[0]?.n).toBe(calls.reduce((sum, c) => sum + c.bodies.length, 0));
  });

  it("fails only the caller whose queue was deleted meanwhile; the others' rows are stored", async () => {
    const p = await createTestPrincipal();
    const kept = await createTestQueue(p);
    const gone = await createTestQueue(p);
    await sendMessages(p, { queueName: gone.name, messages: [{ body: "caches the queue record" }] });
    await getPool().query("DELETE FROM queue WHERE id = $1", [gone.id]);
    await warm(p, kept);
    const counts = countStatements();
    const outcomes = await Promise.allSettled([
      sendMessages(p, { queueName: kept.name, messages: [{ body: "k1" }] }),
      sendMessages(p, { queueName: gone.name, messages: [{ body: "lost" }] }),
      sendMessages(p, { queueName: kept.name, messages: [{ body: "k2" }, { body: "k3" }] }),
      sendMessages(p, { queueName: kept.name, messages: [{ body: "x".repeat(70_000) }] }),
      sendMessages(p, { queueName: kept.name, messages: [{ body: "k4" }] }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[1]).toMatchObject({ reason: { code: "23503" } });
    expect(outcomes[3]).toMatchObject({ reason: { code: "MESSAGE_TOO_LARGE" } });
    expect(counts.get("insert_messages_combined")).toBeGreaterThan(0);
    const { rows } = await getPool().query("SELECT body FROM message WHERE queue_id = $1 ORDER BY id", [kept.id]);
    expect(rows.map((r) => r.body)).toEqual(["k1", "k2", "k3", "k4"]);
  });

  it("fails only the caller whose row the server refuses (NUL in a body)", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const row = (body: string) => ({ body, delaySeconds: 0, tags: undefined });
    const outcomes = await Promise.allSettled([
      insertMessagesCoalesced(q.id, [row("a")]),
      insertMessagesCoalesced(q.id, [row("b"), row("c")]),
      insertMessagesCoalesced(q.id, [row("bad\u0000")]),
      insertMessagesCoalesced(q.id, [row("d")]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[2]).toMatchObject({ reason: { code: "22021" } });
    const ids = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value : []));
    const stored = await bodiesById(ids);
    expect(ids.map((id) => stored.get(id)?.body)).toEqual(["a", "b", "c", "d"]);
  });

  it("does not make other queues' senders wait while one queue's DELETE holds its row", async () => {
    const p = await createTestPrincipal();
    const a = await createTestQueue(p);
    const dying = await createTestQueue(p);
    await warm(p, a, dying);
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("DELETE FROM queue WHERE id = $1", [dying.id]);
      const started = performance.now();
      const toA = [1, 2, 3].map((i) => sendMessages(p, { queueName: a.name, messages: [{ body: `a${i}` }] }));
      const toDying = sendMessages(p, { queueName: dying.name, messages: [{ body: "waits" }] });
      const settledA = await Promise.race([
        Promise.all(toA).then(() => performance.now() - started),
        new Promise<"stuck">((r) => setTimeout(() => r("stuck"), 4000)),
      ]);
      expect(settledA).not.toBe("stuck");
      // The dying queue's send waits for the DELETE, as it would without coalescing, then finds the
      // queue still there once the DELETE rolls back.
      await blocker.query("ROLLBACK");
      expect(await toDying).toHaveLength(1);
      const { rows } = await getPool().query("SELECT body FROM message WHERE queue_id = $1 ORDER BY id", [a.id]);
      expect(rows.map((r) => r.body)).toEqual(["a1", "a2", "a3"]);
    } finally {
      await blocker.end();
    }
  });

  it("answers no caller ok when the combined statement's connection dies, and stores none of their rows", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await warm(p, q);
    const marker = `stall-${randomUUID()}`;
    const fn = `stall_${marker.replaceAll("-", "_")}`;
    const admin = getPool();
    await admin.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$`);
    await admin.query(
      `CREATE TRIGGER ${fn} BEFORE INSERT ON message FOR EACH ROW WHEN (NEW.body = '${marker}') EXECUTE FUNCTION ${fn}()`,
    );
    try {
      const bodies = ["before", marker, "after-1", "after-2"];
      // Settled from the start: the callers' rejections may arrive before pg_terminate_backend's own
      // answer, and a rejection with no handler yet is an unhandled one.
      const outcomes = Promise.allSettled(
        bodies.map((body) => sendMessages(p, { queueName: q.name, messages: [{ body }] })),
      );
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await admin.query(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event = 'PgSleep' AND query LIKE '%unnest($1::bigint[], $2::text[]%'`,
        );
        pid = rows[0]?.pid;
      }
      expect(pid).toBeDefined();
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      // All four went in one statement (one tick); the connection died before its commit answered.
      expect((await outcomes).map((o) => o.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
      const { rows } = await admin.query("SELECT body FROM message WHERE queue_id = $1", [q.id]);
      expect(rows).toEqual([]);
      // The process carries on: the next send works.
      expect(await sendMessages(p, { queueName: q.name, messages: [{ body: "later" }] })).toHaveLength(1);
    } finally {
      await admin.query(`DROP TRIGGER ${fn} ON message`);
      await admin.query(`DROP FUNCTION ${fn}()`);
    }
  });
});

describe("coalesced deletes", () => {
  it("answers each concurrent caller with its own deletions and failures", async () => {
    const p = await createTestPrincipal();
    const a = await createTestQueue(p, { visibilityTimeout: 60 });
    const b = await createTestQueue(p, { visibilityTimeout: 60 });
    await sendMessages(p, { queueName: a.name, messages: ["a1", "a2", "a3", "a4"].map((body) => ({ body })) });
    await sendMessages(p, { queueName: b.name, messages: [{ body: "b1" }] });
    const [a1, a2, a3, a4] = await receiveMessages(p, { queueName: a.name, max: 16 });
    const [b1] = await receiveMessages(p, { queueName: b.name, max: 16 });
    if (!a1 || !a2 || !a3 || !a4 || !b1) throw new Error("setup: expected 5 received messages");
    const staleA4 = a4.receiptHandle;
    // A stale handle: the message was received again after its first lease was cut short.
    await getPool().query("UPDATE message SET visible_at = now() WHERE id = $1", [a4.id]);
    const [a4again] = await receiveMessages(p, { queueName: a.name, max: 1 });
    expect(a4again?.id).toBe(a4.id);
    await warm(p, a, b);
    const counts = countStatements();
    const results = await Promise.all([
      deleteMessages(p, { queueName: a.name, receiptHandles: [a1.receiptHandle, staleA4] }),
      deleteMessages(p, { queueName: a.name, receiptHandles: [a2.receiptHandle, a2.receiptHandle] }),
      deleteMessages(p, { queueName: b.name, receiptHandles: [a3.receiptHandle] }), // a handle of queue a, sent to queue b
      deleteMessages(p, { queueName: a.name, receiptHandles: [a3.receiptHandle, "garbage"] }),
      deleteMessages(p, { queueName: b.name, receiptHandles: [b1.receiptHandle] }),
      deleteMessages(p, { queueName: a.name, receiptHandles: [a1.receiptHandle] }), // deleted by the first caller already
    ]);
    expect(counts.get("delete_leased_combined")).toBeGreaterThan(0);
    const invalid = (receiptHandle: string) => ({ receiptHandle, code: "RECEIPT_HANDLE_INVALID" });
    expect(
      results.map((r) => ({
        deleted: r.deleted,
        failed: r.failed.map(({ receiptHandle, code }) => ({ receiptHandle, code })),
      })),
    ).toEqual([
      { deleted: 1, failed: [invalid(staleA4)] },
      { deleted: 1, failed: [] },
      { deleted: 0, failed: [invalid(a3.receiptHandle)] },
      { deleted: 1, failed: [invalid("garbage")] },
      { deleted: 1, failed: [] },
      { deleted: 0, failed: [invalid(a1.receiptHandle)] },
    ]);
    const { rows } = await getPool().query("SELECT id::text FROM message WHERE queue_id IN ($1, $2)", [a.id, b.id]);
    expect(rows.map((r) => r.id)).toEqual([a4.id]);
  });

  it("does not make other callers wait while one handle's row is locked", async () => {
    const p = await createTestPrincipal();
    const a = await createTestQueue(p, { visibilityTimeout: 60 });
    const held = await createTestQueue(p, { visibilityTimeout: 60 });
    await sendMessages(p, { queueName: a.name, messages: [{ body: "a1" }, { body: "a2" }] });
    await sendMessages(p, { queueName: held.name, messages: [{ body: "h" }] });
    const fromA = await receiveMessages(p, { queueName: a.name, max: 16 });
    const [h] = await receiveMessages(p, { queueName: held.name });
    if (fromA.length !== 2 || !h) throw new Error("setup: expected 3 received messages");
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM message WHERE id = $1 FOR UPDATE", [h.id]);
      await warm(p, a, held);
      const toA = fromA.map((m) => deleteMessages(p, { queueName: a.name, receiptHandles: [m.receiptHandle] }));
      const toHeld = deleteMessages(p, { queueName: held.name, receiptHandles: [h.receiptHandle] });
      const settledA = await Promise.race([
        Promise.all(toA),
        new Promise<"stuck">((r) => setTimeout(() => r("stuck"), 4000)),
      ]);
      expect(settledA).toEqual([
        { deleted: 1, failed: [] },
        { deleted: 1, failed: [] },
      ]);
      await blocker.query("COMMIT");
      expect(await toHeld).toEqual({ deleted: 1, failed: [] });
    } finally {
      await blocker.end();
    }
  });

  it("fails only the caller whose handle the server refuses", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 60 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "one" }] });
    const [m] = await receiveMessages(p, { queueName: q.name });
    const [id, hex] = (m?.receiptHandle ?? "").split(":");
    const receipt = `${hex?.slice(0, 8)}-${hex?.slice(8, 12)}-${hex?.slice(12, 16)}-${hex?.slice(16, 20)}-${hex?.slice(20)}`;
    const outcomes = await Promise.allSettled([
      deleteLeasedCoalesced(q.id, [{ id: id ?? "", receipt }]),
      deleteLeasedCoalesced(q.id, [{ id: "1", receipt: "not-a-uuid" }]),
    ]);
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: new Set([`${id}:${receipt}`]) });
    expect(outcomes[1]).toMatchObject({ status: "rejected", reason: { code: "22P02" } });
  });
});
