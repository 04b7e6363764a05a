import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { peekQuerySchema } from "@/lib/schemas/peek";
import { searchByteBudget } from "@/lib/store/inspect";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { getMessage, peekMessages, receiveMessages, sendMessages } from "./messages";

const pool = () => getPool();
const peek = (p: Awaited<ReturnType<typeof createTestPrincipal>>, queueName: string, query: Record<string, unknown>) =>
  peekMessages(p, { queueName, ...peekQuerySchema.parse(query) });

/** Every column of the queue's rows, receipt and lease included, in id order. */
async function snapshot(queueId: string) {
  const live = await pool().query("SELECT * FROM message WHERE queue_id = $1 ORDER BY id", [queueId]);
  const kept = await pool().query("SELECT * FROM message_history WHERE queue_id = $1 ORDER BY id", [queueId]);
  return { live: live.rows, kept: kept.rows };
}

describe("peek", () => {
  it("changes nothing: state, lease, receipt, counters and dequeue count stay identical", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 600, rewindSeconds: 3600 });
    const sent = await sendMessages(p, {
      queueName: q.name,
      messages: [{ body: "leased" }, { body: "waiting" }, { body: "later", delaySeconds: 900 }],
    });
    const [leased] = await receiveMessages(p, { queueName: q.name });
    expect(leased?.id).toBe(sent[0]?.id);
    await pool().query(
      `INSERT INTO message_history (id, queue_id, body, enqueued_at) VALUES (nextval('message_id_seq'), $1, 'gone', now())`,
      [q.id],
    );
    const before = await snapshot(q.id);
    expect(before.live.find((r) => r.id === leased?.id)?.receipt).not.toBeNull();
    for (const state of ["all", "visible", "delayed", "inFlight", "dead", "rewindable"]) {
      await peek(p, q.name, { state });
      await peek(p, q.name, { state, search: "a" });
    }
    for (const m of sent) await getMessage(p, { queueName: q.name, id: m.id });
    expect(await snapshot(q.id)).toEqual(before);
    const page = await peek(p, q.name, {});
    expect(page.messages.map((m) => [m.body, m.state, m.dequeueCount])).toEqual([
      ["waiting", "visible", 0],
      ["leased", "inFlight", 1],
      ["later", "delayed", 0],
    ]);
    expect(page.messages[1]?.nextVisibleAt).toBe(leased?.nextVisibleAt);
    expect(page.totals).toMatchObject({ all: 3, visible: 1, inFlight: 1, delayed: 1, dead: 0, rewindable: 1 });
    expect(page.totals?.isApproximate).toBe(false);
  });

  it("shows dead messages with reason and origin, and rewindable ones with deletedAt", async () => {
    const p = await createTestPrincipal();
    const origin = await createTestQueue(p);
    const dlq = await createTestQueue(p, { rewindSeconds: 3600 });
    const [alive, dead] = await sendMessages(p, {
      queueName: dlq.name,
      messages: [{ body: "alive" }, { body: "dead" }],
    });
    await pool().query(
      `UPDATE message SET dead_from_queue_id = $2, dead_reason = 'maxReceiveCount', dead_at = now(), dead_dequeue_count = 4
       WHERE id = $1`,
      [dead?.id, origin.id],
    );
    await pool().query(
      `INSERT INTO message_history (id, queue_id, body, tags, enqueued_at, dequeue_count, deleted_at)
       VALUES (nextval('message_id_seq'), $1, 'kept', ARRAY['t1'], now() - interval '1 minute', 2, now())`,
      [dlq.id],
    );
    const deadPage = await peek(p, dlq.name, { state: "dead" });
    expect(deadPage.messages.map((m) => m.id)).toEqual([dead?.id]);
    expect(deadPage.messages[0]).toMatchObject({
      isDead: true,
      death: { reason: "maxReceiveCount", fromQueue: origin.name, dequeueCount: 4 },
    });
    expect(deadPage.totals).toMatchObject({ all: 2, visible: 2, dead: 1, rewindable: 1 });
    const kept = await peek(p, dlq.name, { state: "rewindable" });
    expect(kept.messages).toHaveLength(1);
    expect(kept.messages[0]).toMatchObject({ body: "kept", state: "rewindable", nextVisibleAt: null, tags: ["t1"] });
    expect(kept.messages[0]?.deletedAt).not.toBeNull();
    const one = await getMessage(p, { queueName: dlq.name, id: kept.messages[0]?.id ?? "" });
    expect(one.state).toBe("rewindable");
    expect((await peek(p, dlq.name, { state: "all" })).messages.map((m) => m.id)).toEqual([alive?.id, dead?.id]);
  });

  it("filters by id, tag, body search and enqueue time", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const [a, b, c] = await sendMessages(p, {
      queueName: q.name,
      messages: [{ body: "Order 100%_done", tags: ["red"] }, { body: "order 200", tags: ["blue"] }, { body: "other" }],
    });
    await pool().query("UPDATE message SET enqueued_at = '2026-01-01T00:00:00Z' WHERE id = $1", [a?.id]);
    const ids = async (query: Record<string, unknown>) => (await peek(p, q.name, query)).messages.map((m) => m.id);
    expect(await ids({ id: b?.id })).toEqual([b?.id]);
    expect(await ids({ tag: "red" })).toEqual([a?.id]);
    expect(await ids({ search: "ORDER" })).toEqual([a?.id, b?.id]);
    expect(await ids({ search: "100%_" })).toEqual([a?.id]);
    expect(await ids({ search: "0%_d", tag: "blue" })).toEqual([]);
    expect(await ids({ enqueuedBefore: "2026-06-01T00:00:00Z" })).toEqual([a?.id]);
    expect(await ids({ enqueuedFrom: "2026-06-01T00:00:00Z" })).toEqual([b?.id, c?.id]);
    const searched = await peek(p, q.name, { search: "order" });
    expect(searched.searched).toEqual({ rows: 3, bytes: 15 + 9 + 5, stoppedBy: null });
    expect(searched.nextCursor).toBeNull();
  });

  it("refuses bad queries before any SQL", () => {
    for (const bad of [
      { state: "gone" },
      { id: "12a" },
      { id: "99999999999999999999" },
      { tag: "x".repeat(17) },
      { enqueuedFrom: "2026-02-01T00:00:00Z", enqueuedBefore: "2026-01-01T00:00:00Z" },
      { enqueuedFrom: "yesterday" },
      { cursor: "1-2-3" },
      { limit: "0" },
      { limit: "101" },
      { unknown: "1" },
    ]) {
      expect(peekQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("pages with exact keyset cursors, also among messages with the same visible_at", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { rewindSeconds: 3600 });
    const values = Array.from({ length: 7 }, (_, i) => `m${i}`);
    const { rows } = await pool().query<{ id: string }>(
      `INSERT INTO message (queue_id, body, visible_at, enqueued_at)
       SELECT $1, b, '2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00.123456Z' FROM unnest($2::text[]) b RETURNING id`,
      [q.id, values],
    );
    await pool().query(
      `INSERT INTO message_history (id, queue_id, body, enqueued_at)
       SELECT nextval('message_id_seq'), $1, b, date_trunc('second', now()) - interval '1 minute'
       FROM unnest($2::text[]) b`,
      [q.id, values],
    );
    for (const state of ["visible", "rewindable"]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await peek(p, q.name, { state, limit: "3", ...(cursor ? { cursor } : {}) });
        expect(page.totals === null).toBe(pages > 0);
        seen.push(...page.messages.map((m) => m.body));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(seen, state).toEqual(values);
      expect(pages).toBe(3);
    }
    expect(rows).toHaveLength(7);
  });

  it("bounds a search page by body bytes and goes on from where it stopped", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { maxMsgSize: 1_048_576 });
    const mib = 1_048_576;
    // 40 bodies of 1 MiB (8 per page); the 12th holds the needle at its end.
    await pool().query(
      `INSERT INTO message (queue_id, body, visible_at)
       SELECT $1, repeat('x', $2 - 6) || CASE WHEN i = 12 THEN 'needle' ELSE 'xxxxxx' END,
              '2026-01-01T00:00:00Z'::timestamptz + i * interval '1 second'
       FROM generate_series(1, 40) i`,
      [q.id, mib],
    );
    const perPage = searchByteBudget / mib;
    const first = await peek(p, q.name, { search: "NEEDLE" });
    expect(first.messages).toEqual([]);
    expect(first.searched).toEqual({ rows: perPage, bytes: perPage * mib, stoppedBy: "bytes" });
    expect(first.nextCursor).not.toBeNull();
    const second = await peek(p, q.name, { search: "needle", cursor: first.nextCursor });
    expect(second.messages).toHaveLength(1);
    expect(second.messages[0]).toMatchObject({ sizeBytes: mib, bodyTruncated: true });
    expect(second.messages[0]?.body).toHaveLength(2048);
    const pages = [first, second];
    while (pages.at(-1)?.nextCursor && pages.length < 10) {
      pages.push(await peek(p, q.name, { search: "needle", cursor: pages.at(-1)?.nextCursor }));
    }
    expect(pages.map((page) => page.searched?.rows)).toEqual([8, 8, 8, 8, 8]);
    expect(pages.map((page) => page.searched?.stoppedBy)).toEqual(["bytes", "bytes", "bytes", "bytes", null]);
    // The whole body by id.
    const full = await getMessage(p, { queueName: q.name, id: second.messages[0]?.id ?? "" });
    expect(full.body).toHaveLength(mib);
    expect(full.body.endsWith("needle")).toBe(true);
    expect(full.bodyTruncated).toBe(false);
  });

  it("answers MESSAGE_NOT_FOUND for another queue's message and QUEUE_NOT_FOUND for an unseen queue", async () => {
    const p = await createTestPrincipal();
    const q1 = await createTestQueue(p);
    const q2 = await createTestQueue(p);
    const [m] = await sendMessages(p, { queueName: q1.name, messages: [{ body: "mine" }] });
    await expect(getMessage(p, { queueName: q2.name, id: m?.id ?? "" })).rejects.toMatchObject({
      code: "MESSAGE_NOT_FOUND",
    });
    const other = await createTestPrincipal();
    await expect(getMessage(other, { queueName: q1.name, id: m?.id ?? "" })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
    });
    await expect(peek(other, q1.name, {})).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
  });
});
