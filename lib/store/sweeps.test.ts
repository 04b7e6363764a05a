import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { receiveMessages, sendMessages } from "@/lib/services/messages";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { oldestMessageMayHaveExpired, sweepExpiredMessages } from "./sweeps";

const age = (queueId: string, bodies: string[], seconds: number) =>
  getPool().query(
    "UPDATE message SET enqueued_at = enqueued_at - $3 * interval '1 second' WHERE queue_id = $1 AND body = ANY($2)",
    [queueId, bodies, seconds],
  );

describe("retention", () => {
  it("skips expired messages on receive and the sweep removes them, leaving the rest", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { msgRetentionSeconds: 60 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "old-1" }, { body: "old-2" }, { body: "fresh" }] });
    await age(q.id, ["old-1", "old-2"], 61);

    const pool = getPool();
    let cursor = "0";
    let deleted = 0;
    for (;;) {
      const r = await sweepExpiredMessages(pool, cursor, 1000);
      deleted += r.deleted;
      cursor = r.nextCursor;
      if (r.wrapped) break;
    }
    expect(deleted).toBeGreaterThanOrEqual(2);
    const { rows } = await pool.query("SELECT body FROM message WHERE queue_id = $1", [q.id]);
    expect(rows.map((r) => r.body)).toEqual(["fresh"]);
  });

  it("never hands out a message past retention, even before the sweep", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { msgRetentionSeconds: 60 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "stale" }, { body: "ok" }] });
    await age(q.id, ["stale"], 120);
    const got = await receiveMessages(p, { queueName: q.name, max: 16 });
    expect(got.map((m) => m.body)).toEqual(["ok"]);
  });

  it("is bounded: one call scans at most `batch` rows and is idempotent", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { msgRetentionSeconds: 60 });
    await sendMessages(p, { queueName: q.name, messages: Array.from({ length: 10 }, (_, i) => ({ body: `b${i}` })) });
    const pool = getPool();
    const { rows } = await pool.query("SELECT min(id)::text AS first FROM message WHERE queue_id = $1", [q.id]);
    const before = (BigInt(rows[0].first) - 1n).toString();
    await age(
      q.id,
      Array.from({ length: 10 }, (_, i) => `b${i}`),
      100,
    );
    const first = await sweepExpiredMessages(pool, before, 4);
    expect(first.scanned).toBe(4);
    expect(first.deleted).toBe(4);
    const again = await sweepExpiredMessages(pool, before, 4);
    expect(again.deleted).toBe(4);
    expect(BigInt(again.nextCursor)).toBeGreaterThan(BigInt(first.nextCursor));
  });

  it("lets the walk rest while the oldest message is younger than the shortest retention", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { msgRetentionSeconds: 60 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "first" }, { body: "second" }] });
    const pool = getPool();
    const { rows } = await pool.query("SELECT min(id)::text AS first FROM message WHERE queue_id = $1", [q.id]);
    const before = (BigInt(rows[0].first) - 1n).toString();

    expect(await oldestMessageMayHaveExpired(pool, before)).toBe(false);
    await age(q.id, ["first"], 61);
    expect(await oldestMessageMayHaveExpired(pool, before)).toBe(true);
  });
});
