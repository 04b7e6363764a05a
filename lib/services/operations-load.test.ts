import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { idsIn, operationOf } from "@/lib/testing/operations";
import { operationsWorker } from "@/lib/workers/operations";
import { runLocked } from "@/lib/workers/worker";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";
import { getOperation, purgeMessages } from "./operations";

// A purge of a large queue runs in batches, never one giant transaction: senders and receivers of
// that queue keep being answered promptly all along. OPENCMQ_PURGE_ROWS scales it (measured with
// 1,000,000 too; see ARCHITECTURE.md → Operations).

const rows = Number(process.env.OPENCMQ_PURGE_ROWS ?? 200_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("purge of a large queue", () => {
  it(
    `${rows.toLocaleString("en")} messages: sends and receives during the purge answer in < 1 s`,
    async () => {
      const p = await createTestPrincipal();
      const q = await createTestQueue(p, { visibilityTimeout: 600 });
      for (let done = 0; done < rows; done += 100_000) {
        await getPool().query(
          "INSERT INTO message (queue_id, body, visible_at) SELECT $1::bigint, 'bulk-' || g, now() FROM generate_series(1, $2::int) g",
          [q.id, Math.min(100_000, rows - done)],
        );
      }
      await getPool().query("ANALYZE message");
      const op = operationOf(await purgeMessages(p, { queueName: q.name }));
      expect(op).toMatchObject({ status: "pending", total: rows });

      let purging = true;
      const sent: string[] = [];
      const latencies = { send: [] as number[], receive: [] as number[] };
      let received = 0;
      const sender = async () => {
        while (purging) {
          const t = performance.now();
          const ids = await sendMessages(p, { queueName: q.name, messages: [{ body: "during the purge" }] });
          latencies.send.push(performance.now() - t);
          sent.push(...ids.map((m) => m.id));
          await sleep(20);
        }
      };
      const receiver = async () => {
        while (purging) {
          const t = performance.now();
          const got = await receiveMessages(p, { queueName: q.name, max: 16, waitSeconds: 0 });
          latencies.receive.push(performance.now() - t);
          // Delete only what arrived during the purge, so the end state is exact.
          const mine = got.filter((m) => m.body === "during the purge");
          if (mine.length > 0) {
            const result = await deleteMessages(p, {
              queueName: q.name,
              receiptHandles: mine.map((m) => m.receiptHandle),
            });
            received += result.deleted;
          }
          await sleep(20);
        }
      };
      const started = performance.now();
      let batchStarted = performance.now();
      let slowestBatchMs = 0;
      const traffic = [sender(), receiver()];
      while ((await getOperation(p, { queueName: q.name, id: op.id })).status !== "done") {
        batchStarted = performance.now();
        const delay = await runLocked(operationsWorker);
        slowestBatchMs = Math.max(slowestBatchMs, performance.now() - batchStarted);
        if (delay) await sleep(delay);
      }
      const seconds = (performance.now() - started) / 1000;
      purging = false;
      await Promise.all(traffic);

      const done = await getOperation(p, { queueName: q.name, id: op.id });
      const worst = { send: Math.max(...latencies.send), receive: Math.max(...latencies.receive) };
      console.info(
        `purged ${rows} in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} msgs/s); during it ${latencies.send.length} sends (worst ${worst.send.toFixed(0)} ms), ${latencies.receive.length} receives (worst ${worst.receive.toFixed(0)} ms); longest worker tick ${slowestBatchMs.toFixed(0)} ms`,
      );
      // The receiver leased some of the bulk messages (the purge took those too, in flight or not).
      expect(done).toMatchObject({ status: "done", total: rows, skipped: 0 });
      expect(done.processed).toBe(rows);
      expect(latencies.send.length).toBeGreaterThan(10);
      expect(worst.send).toBeLessThan(1000);
      expect(worst.receive).toBeLessThan(1000);
      // Only what was sent during the purge and not yet deleted by the receiver is left.
      const left = await idsIn(q.id);
      expect(left.length).toBe(sent.length - received);
      expect(left.every((id) => sent.includes(id))).toBe(true);
    },
    Math.max(60_000, rows / 5),
  );
});
