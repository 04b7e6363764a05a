import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import {
  announceDelayed,
  announceSend,
  hasWakePeers,
  startCrossProcessWake,
  stopCrossProcessWake,
  wakeListenerName,
} from "./cross-process-wake";
import { RECHECK_MS, recheckInterval, waiterCount } from "./long-poll";
import { receiveMessages } from "./messages";
import { publishMessages } from "./publish";
import { createSubscription } from "./subscriptions";
import { createTopic } from "./topics";

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

/**
 * A listener on the wake channel as another app process's would be (by its application_name), with
 * what this process announces to it: whole payloads, and their entries.
 */
async function listeningPeer(applicationName: string) {
  const instance = wakeListenerName().slice("opencmq-wake:".length);
  const payloads: string[] = [];
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: applicationName });
  await client.connect();
  client.on("notification", (n) => {
    if (n.payload?.startsWith(`${instance} `)) payloads.push(n.payload);
  });
  await client.query("LISTEN opencmq_wake");
  return { client, payloads, entries: () => payloads.flatMap((payload) => payload.split(" ").slice(1)) };
}

async function expectWakeUpsWork() {
  const p = await createTestPrincipal();
  const q = await createTestQueue(p);
  // The re-check interval is 10 s while listening: within this 5 s poll only the announcement can deliver.
  expect(
    await until(
      async () => recheckInterval(),
      (ms) => ms === RECHECK_MS.safetyNet,
    ),
  ).toBe(RECHECK_MS.safetyNet);
  const receiving = receiveMessages(p, { queueName: q.name, waitSeconds: 5 });
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

  it("falls back to the 1 s re-check while its connection is down, and back to 10 s once it listens again", async () => {
    startCrossProcessWake();
    expect(
      await until(
        async () => recheckInterval(),
        (ms) => ms === RECHECK_MS.safetyNet,
      ),
    ).toBe(RECHECK_MS.safetyNet);
    const [pid] = await until(listeners, (pids) => pids.length === 1);
    await getPool().query("SELECT pg_terminate_backend($1)", [pid]);
    // Other processes' sends go unheard until the reconnect: the safety net must be the short one.
    expect(
      await until(
        async () => recheckInterval(),
        (ms) => ms === RECHECK_MS.unannounced,
      ),
    ).toBe(RECHECK_MS.unannounced);
    await until(listeners, (pids) => pids.length === 1 && pids[0] !== pid);
    expect(
      await until(
        async () => recheckInterval(),
        (ms) => ms === RECHECK_MS.safetyNet,
      ),
    ).toBe(RECHECK_MS.safetyNet);
  });

  it("splits announcements into payloads under NOTIFY's 8000-byte limit, and every one arrives", async () => {
    // A peer process's listener (of an earlier version: it never says what it waits on, so every
    // send is announced to it).
    const { client: peer, payloads } = await listeningPeer("opencmq-wake:peer");
    try {
      startCrossProcessWake();
      // Announcing starts once this process has seen the peer.
      await until(
        async () => {
          announceSend("probe", 1);
          await sleep(20);
          return payloads.length;
        },
        (n) => n > 0,
      );
      await sleep(50);
      payloads.length = 0;
      // 12-digit ids as the queue table hands out, 900 of them sent to and 100 delayed: one flush.
      const sent = Array.from({ length: 900 }, (_, i) => String(100_000_000_000 + i));
      const delayed = Array.from({ length: 99 }, (_, i) => String(200_000_000_000 + i));
      for (const id of sent) announceSend(id, 3);
      for (const id of delayed) announceDelayed(id, 60_000);
      const entries = await until(
        async () => payloads.flatMap((payload) => payload.split(" ").slice(1)),
        (all) => all.length >= sent.length + delayed.length,
      );
      expect(payloads.length).toBeGreaterThan(1);
      for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
      expect(entries.filter((e) => !e.includes(":+")).sort()).toEqual(sent.map((id) => `${id}:3`).sort());
      expect(
        entries
          .filter((e) => e.includes(":+"))
          .map((e) => e.split(":")[0])
          .sort(),
      ).toEqual(delayed);
    } finally {
      await stopCrossProcessWake();
      await peer.end();
    }
  });

  it("announces a send only where another process waits, and one made just before that process said so", async () => {
    // Every send used to be announced while any peer listened: one NOTIFY every 2 ms under load, and
    // every listening backend woken by each, whether or not anyone waited on the queue.
    // A peer of this version (its instance id starts with "i"): it says what it waits on.
    const { client: peer, payloads, entries } = await listeningPeer("opencmq-wake:ipeer001");
    try {
      startCrossProcessWake();
      // Once listening, it asks who waits on what ("?"); every send is announced until the answers are in.
      expect(await until(async () => entries().includes("?"), Boolean)).toBe(true);
      expect(await until(async () => hasWakePeers(), Boolean)).toBe(true);
      await sleep(2500);
      payloads.length = 0;
      announceSend("q-nobody", 1);
      announceSend("q-later", 2);
      await sleep(300);
      expect(entries()).toEqual([]);
      // The peer says it waits on q-later: the sends it would have missed are announced now.
      await peer.query("SELECT pg_notify('opencmq_wake', 'ipeer001 ?q-later')");
      expect(
        await until(
          async () => entries(),
          (all) => all.length > 0,
        ),
      ).toEqual(["q-later:2"]);
      payloads.length = 0;
      announceSend("q-nobody", 1);
      announceSend("q-later", 1);
      expect(
        await until(
          async () => entries(),
          (all) => all.length > 0,
        ),
      ).toEqual(["q-later:1"]);
    } finally {
      await stopCrossProcessWake();
      await peer.end();
    }
  });

  it("says which queues its receivers wait on, and says it again when a process asks", async () => {
    const { client: peer, payloads, entries } = await listeningPeer("opencmq-wake:ipeer002");
    try {
      startCrossProcessWake();
      expect(await until(async () => hasWakePeers(), Boolean)).toBe(true);
      const p = await createTestPrincipal();
      const q = await createTestQueue(p);
      const receiving = receiveMessages(p, { queueName: q.name, waitSeconds: 4 });
      expect(await until(async () => entries().includes(`?${q.id}`), Boolean)).toBe(true);
      payloads.length = 0;
      // A process that has just started listening asks; the waiting receiver's queue is said again.
      await peer.query("SELECT pg_notify('opencmq_wake', 'ipeer002 ?')");
      expect(await until(async () => entries().includes(`?${q.id}`), Boolean)).toBe(true);
      expect(await receiving).toEqual([]);
    } finally {
      await stopCrossProcessWake();
      await peer.end();
    }
  });

  it("names its listener for the peer check even when DATABASE_URL sets application_name", async () => {
    // A DATABASE_URL's application_name overrides pg.Client's option: the listener went by the
    // deployment's name, other processes never counted it as a peer nor announced their sends to it,
    // and its waiters waited for the 10 s safety net (the bench's two-process W5 p99 of ~9 s).
    const url = new URL(String(process.env.DATABASE_URL));
    url.searchParams.set("application_name", "my-deployment");
    startCrossProcessWake({ connectionString: url.toString() });
    expect(await until(listeners, (pids) => pids.length === 1)).toHaveLength(1);
    await expectWakeUpsWork();
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

// Issue 11: a publish wakes the push worker of every app process, not only its own. This test process
// publishes (and runs no push worker); a second process (lib/push/wake-peer.ts) runs the only worker
// for the subscription, polling once a minute. The push arriving within seconds was announced to it.

const peerPollMs = 60_000;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

async function waitFor(ok: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("push wake-up across processes", () => {
  afterEach(async () => {
    const hadPeer = children.length > 0;
    for (const child of children.splice(0)) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
    // The peer's listener gone too: the other tests here count listeners.
    if (hadPeer)
      await waitFor(
        async () =>
          (
            await getPool().query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'opencmq-wake:%'",
            )
          ).rows[0]?.n === 0,
        10_000,
        "the peer's listener to go",
      ).catch(() => {});
  });

  it("a publish in this process wakes another process's push worker at once (its poll is 60 s)", async () => {
    const arrived: { at: number; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        arrived.push({ at: performance.now(), body });
        res.end("ok");
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;

    const p = await createTestPrincipal();
    const topic = await createTopic(p, { name: uniqueName("t"), filterType: "tag" });
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "hook", protocol: "http", endpoint: `http://127.0.0.1:${port}/hook` },
    });
    const { rows } = await getPool().query<{ id: string }>(
      "SELECT id::text FROM subscription WHERE topic_id = $1 AND name = 'hook'",
      [topic.id],
    );

    startCrossProcessWake();
    const child = spawn("npx", ["tsx", "lib/push/wake-peer.ts", rows[0]?.id ?? "", String(peerPollMs)], {
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await waitFor(() => output.includes("ready"), 30_000, "the peer process");
    // This process announces once it has seen the peer's listener (checked each second).
    await waitFor(hasWakePeers, 5000, "the peer's listener to be seen");

    const started = performance.now();
    const body = uniqueName("pushed");
    await publishMessages(p, { topicName: topic.name, messages: [{ body }] });
    await waitFor(() => arrived.length > 0, 15_000, "the push");
    const latencyMs = (arrived[0]?.at ?? 0) - started;
    expect(arrived[0]?.body).toContain(body);
    // Well below the peer's poll: only the announcement can have woken it.
    expect(latencyMs).toBeLessThan(peerPollMs / 6);
  }, 60_000);
});
