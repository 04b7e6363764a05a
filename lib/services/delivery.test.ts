import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";

// DESIGN.md §4, invariant 2: while a lease holds, no other receiver gets the message.
describe("many concurrent receivers on one queue", () => {
  withProductionRecheckInterval();

  it("delivers each of 3,000 messages exactly once when every receive is deleted in time", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 300 });
    const total = 3000;
    for (let i = 0; i < total; i += 16) {
      const batch = Array.from({ length: Math.min(16, total - i) }, (_, j) => ({ body: `m${i + j}` }));
      await sendMessages(p, { queueName: q.name, messages: batch });
    }
    const deliveries = new Map<string, number>();
    const receiver = async () => {
      for (;;) {
        const got = await receiveMessages(p, {
          queueName: q.name,
          max: 1 + Math.floor(Math.random() * 16),
          waitSeconds: 0,
        });
        if (got.length === 0) return;
        for (const m of got) deliveries.set(m.body, (deliveries.get(m.body) ?? 0) + 1);
        const result = await deleteMessages(p, { queueName: q.name, receiptHandles: got.map((m) => m.receiptHandle) });
        expect(result.failed).toEqual([]);
      }
    };
    await Promise.all(Array.from({ length: 12 }, receiver));
    expect(deliveries.size).toBe(total);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM message WHERE queue_id = $1", [q.id]);
    expect(rows[0].n).toBe(0);
  });

  it("redelivers to another receiver only after the lease lapses", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p, { visibilityTimeout: 1 });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "contended" }] });
    const [first] = await receiveMessages(p, { queueName: q.name });
    const during = await Promise.all(
      Array.from({ length: 8 }, () => receiveMessages(p, { queueName: q.name, waitSeconds: 0 })),
    );
    expect(during.flat()).toEqual([]);
    // A waiting receiver is woken by the lease's end (the per-queue timer): this 5 s wait ends before
    // the 10 s safety-net re-check could find the message.
    const [again] = await receiveMessages(p, { queueName: q.name, waitSeconds: 5 });
    expect(again?.id).toBe(first?.id);
    expect(again?.dequeueCount).toBe(2);
  });
});
