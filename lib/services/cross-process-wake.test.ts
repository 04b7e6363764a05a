import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { startCrossProcessWake, stopCrossProcessWake, wakeListenerName } from "./cross-process-wake";
import { waiterCount } from "./long-poll";
import { receiveMessages } from "./messages";

// Issue 9, item 17: the LISTEN connection could start two listeners on one error (the error handler
// and the catch both retried), counted itself as a peer, and had no keepAlive.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

const listeners = async () => {
  const { rows } = await getPool().query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'",
    [wakeListenerName()],
  );
  return rows.map((r) => r.pid);
};

/** A message inserted and announced as another app process would: this process's send path is not involved. */
async function sendFromAnotherProcess(queueId: string) {
  const peer = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await peer.connect();
  await peer.query("INSERT INTO message (queue_id, body, visible_at) VALUES ($1, 'from a peer', now())", [queueId]);
  await peer.query("SELECT pg_notify('opencmq_wake', $1)", [`peer0000 ${queueId}:1`]);
  await peer.end();
}

async function expectWakeUpsWork() {
  const p = await createTestPrincipal();
  const q = await createTestQueue(p);
  // The re-check interval is 10 s while listening: within this 5 s poll only the announcement can deliver.
  const receiving = receiveMessages(p, q.name, { waitSeconds: 5 });
  await until(
    async () => waiterCount(q.id),
    (n) => n > 0,
  );
  await sendFromAnotherProcess(q.id);
  expect((await receiving).map((m) => m.body)).toEqual(["from a peer"]);
}

afterEach(() => stopCrossProcessWake());

describe("cross-process wake connection", () => {
  it("a LISTEN backend killed by pg_terminate_backend comes back exactly once, and wake-ups work", async () => {
    startCrossProcessWake();
    const [first] = await until(listeners, (pids) => pids.length === 1);
    expect(first).toBeDefined();
    await getPool().query("SELECT pg_terminate_backend($1)", [first]);
    const back = await until(listeners, (pids) => pids.length === 1 && pids[0] !== first);
    await sleep(1500); // a second reconnect would show up by now
    expect(await listeners()).toEqual(back);
    await expectWakeUpsWork();
  });

  it("a connection dropped while its LISTEN is in flight reconnects once, not twice", async () => {
    const target = new URL(String(process.env.DATABASE_URL));
    let drops = 2; // the first two LISTENs die mid-statement
    const listening = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const server = net.connect(Number(target.port), target.hostname);
      client.on("data", (chunk) => {
        if (chunk.includes("LISTEN")) {
          if (drops > 0) {
            drops--;
            client.destroy();
            server.destroy();
            return;
          }
          listening.add(client);
        }
        server.write(chunk);
      });
      server.on("data", (chunk) => client.write(chunk));
      const close = () => {
        listening.delete(client);
        client.destroy();
        server.destroy();
      };
      client.on("close", close).on("error", close);
      server.on("close", close).on("error", close);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const viaProxy = new URL(target);
    viaProxy.port = String((proxy.address() as net.AddressInfo).port);
    try {
      startCrossProcessWake({ connectionString: viaProxy.toString() });
      await until(
        async () => listening.size,
        (n) => n >= 1,
      );
      await sleep(2500); // every reconnect scheduled by the drops has run by now
      expect(drops).toBe(0);
      expect(listening.size).toBe(1);
      await expectWakeUpsWork();
    } finally {
      await stopCrossProcessWake();
      proxy.close();
    }
  });

  it("does not count its own listener as a peer", async () => {
    startCrossProcessWake();
    await until(listeners, (pids) => pids.length === 1);
    const { rows } = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'opencmq-wake:%' AND application_name <> $1`,
      [wakeListenerName()],
    );
    expect(rows[0]?.n).toBe(0);
  });
});
