import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { exactCountCap } from "@/lib/services/queues";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { createAlarmsWorker } from "./alarms";
import { deadLetterTtlWorker } from "./dead-letter-ttl";
import { historySweepWorker } from "./history-sweep";
import { metricsRollupWorker } from "./metrics-rollup";
import { metricsSamplerWorker } from "./metrics-sampler";
import { operationsWorker } from "./operations";
import { queueStatsWorker } from "./queue-stats";
import { createRetentionWorker, retentionWorker } from "./retention";
import { topicRetentionWorker } from "./topic-retention";
import { runLocked } from "./worker";

// Issue 9, item 19: singleton background work under an advisory lock, in short transactions.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fillQueue(rows: number) {
  const q = await createTestQueue(await createTestPrincipal());
  await getPool().query(
    "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'm' || g, now() FROM generate_series(1, $2) g",
    [q.id, rows],
  );
  return q;
}

describe("background workers", () => {
  it("each takes its own advisory lock, so none waits out another's turn", () => {
    const workers = [
      retentionWorker,
      queueStatsWorker,
      historySweepWorker,
      operationsWorker,
      deadLetterTtlWorker,
      topicRetentionWorker,
      metricsSamplerWorker,
      metricsRollupWorker,
      createAlarmsWorker(),
    ];
    const keys = workers.map((w) => w.lockKey);
    expect(new Set(keys).size).toBe(workers.length);
  });

  it("two runners never run a tick at once, even while the tick spans several transactions", async () => {
    let running = 0;
    let mostAtOnce = 0;
    let ticks = 0;
    const worker = {
      lockKey: 727_190 + Math.floor(Math.random() * 1000),
      async tick(db: import("pg").PoolClient) {
        running++;
        ticks++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await db.query("BEGIN");
        await db.query("SELECT 1");
        await db.query("COMMIT");
        await sleep(400); // between its transactions: the lock must still hold
        await db.query("SELECT 1");
        running--;
        return undefined;
      },
    };
    const first = runLocked(worker); // one process…
    await sleep(150);
    const second = runLocked(worker); // …and another, while the first is between transactions
    await Promise.all([first, second]);
    expect({ ticks, mostAtOnce }).toEqual({ ticks: 1, mostAtOnce: 1 });
    // The lock was released with the tick: the next runner gets it.
    await runLocked(worker);
    expect(ticks).toBe(2);
  });

  it("a failing tick releases the lock (its connection is discarded), so the next runner ticks", async () => {
    const lockKey = 727_190 + Math.floor(Math.random() * 1000);
    await expect(
      runLocked({
        lockKey,
        async tick(db) {
          await db.query("BEGIN");
          throw new Error("tick failed mid-transaction");
        },
      }),
    ).rejects.toThrow("tick failed mid-transaction");
    let ticked = false;
    await runLocked({
      lockKey,
      async tick() {
        ticked = true;
        return undefined;
      },
    });
    expect(ticked).toBe(true);
  });

  it("the stats sweep holds no snapshot between its chunks (vacuum is not held back for the pass)", async () => {
    const q = await fillQueue(exactCountCap + 2000);
    await getPool().query(
      "UPDATE message SET dead_at = now() WHERE id IN (SELECT id FROM message WHERE queue_id = $1 ORDER BY id LIMIT 7)",
      [q.id],
    );
    const between: { state: string; backend_xmin: string | null }[] = [];
    await runLocked({
      lockKey: 727_190 + Math.floor(Math.random() * 1000),
      async tick(db) {
        const { rows } = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await refreshQueueStats(db, exactCountCap, {
          chunkRows: 4000,
          afterChunk: async () => {
            const seen = await getPool().query(
              "SELECT state, backend_xmin::text FROM pg_stat_activity WHERE pid = $1",
              [rows[0]?.pid],
            );
            between.push(seen.rows[0]);
          },
        });
        return undefined;
      },
    });
    expect(between.length).toBeGreaterThanOrEqual(3);
    expect(new Set(between.map((b) => `${b.state} ${b.backend_xmin}`))).toEqual(new Set(["idle null"]));
    const { rows } = await getPool().query(
      "SELECT total::int, visible::int, dead::int FROM queue_stats WHERE queue_id = $1",
      [q.id],
    );
    expect(rows).toEqual([{ total: exactCountCap + 2000, visible: exactCountCap + 2000, dead: 7 }]);
    await getPool().query("DELETE FROM message WHERE queue_id = $1", [q.id]);
  });

  it("the retention walk is one walk for the installation: a second process continues where the first stopped", async () => {
    const q = await fillQueue(3000);
    await getPool().query("DELETE FROM worker_state WHERE name = 'retention'");
    const cursor = async () =>
      (await getPool().query<{ cursor: string }>("SELECT cursor::text FROM worker_state WHERE name = 'retention'"))
        .rows[0]?.cursor ?? "0";
    const processA = createRetentionWorker(1000);
    const processB = createRetentionWorker(1000); // another process: nothing shared but the database
    await runLocked(processA);
    const afterA = BigInt(await cursor());
    await runLocked(processB);
    const afterB = BigInt(await cursor());
    expect(afterA).toBeGreaterThan(0n);
    expect(afterB).toBeGreaterThan(afterA);
    await getPool().query("DELETE FROM message WHERE queue_id = $1", [q.id]);
  });
});
