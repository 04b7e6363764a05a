import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { fillInSettings } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";
import { type App, app } from "./app";
import type { Ledger } from "./ledger";
import { receiveAndDelete, type Target } from "./load";
import { appendConfig, cloneAsStandby, copyCluster, initCluster, type PgNode, pgNode, waitUntil } from "./pg-node";
import { startVip, type Vip } from "./vip";

// What a fault case runs on: PostgreSQL (one server, or a primary with two synchronous standbys
// behind a stand-in VIP), the schema, an account with an API key, and the app's compiled front.
// Ports from 25400 (below Linux's ephemeral range, 32768–60999, so no outgoing connection of a busy
// machine can hold one; the first free block of 100 is taken); data under .data/faults/<case>, removed
// afterwards.

const PORT_BLOCKS = [25_400, 25_500, 25_600, 25_700, 25_800];
const DATABASE = "opencmq";

export type Context = { root: string; distDir: string; say: (line: string) => void };

export type World = {
  nodes: PgNode[];
  /** The node the app's writes reach now. */
  primary: () => PgNode;
  setPrimary: (node: PgNode) => void;
  vip: Vip | null;
  app: App;
  /** Stops the app and starts it again with `processes` processes (same port, same database). */
  restartApp: (processes: number) => Promise<void>;
  auth: string;
  /** A new queue through the REST API. */
  createQueue: (name: string, attributes?: Record<string, unknown>) => Promise<void>;
  logDir: string;
  close: () => Promise<void>;
};

type WorldOptions = { name: string; processes: number; replicated: boolean; appEnv?: Record<string, string> };

export async function buildWorld(ctx: Context, options: WorldOptions): Promise<World> {
  const dir = path.join(ctx.root, options.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logDir = path.join(dir, "logs");
  mkdirSync(logDir, { recursive: true });
  const password = templatePassword;
  const ports = await freePortBlock();
  const names = options.replicated ? ["n0", "s1", "s2"] : ["n0"];
  const nodes = names.map((name, i) =>
    pgNode({
      name,
      port: ports.pg + i,
      dir: path.join(dir, name),
      password,
      database: DATABASE,
      logFile: path.join(logDir, `${name}.log`),
    }),
  );
  const first = nodes[0] as PgNode;
  let primary = first;
  let vip: Vip | null = null;
  let theApp: App | null = null;
  const close = async () => {
    await theApp?.stop().catch(() => {});
    await vip?.close().catch(() => {});
    for (const node of nodes) await node.kill9().catch(() => {});
    await forgetDatabase();
  };
  try {
    if (template) copyCluster(template, first.dir);
    else {
      initCluster(first.dir, password);
      appendConfig(first.dir, { wal_keep_size: "1GB" });
      await first.start();
      const admin = first.url.replace(/\/opencmq$/, "/postgres");
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${DATABASE}`);
      await client.end();
      await migrate(first.url);
      await first.stop();
      template = path.join(ctx.root, "template");
      copyCluster(first.dir, template);
    }
    await first.start();
    const masterKey = randomBytes(32).toString("base64url");
    fillInSettings({ DATABASE_URL: first.url, OPENCMQ_MASTER_KEY: masterKey });
    const { createAccountWithOwner } = await import("@/lib/services/accounts");
    const owner = await createAccountWithOwner({ accountName: options.name, email: `${options.name}@faults.test` });
    await forgetDatabase();

    if (options.replicated) {
      // Three copies before the ack: a commit returns once both standbys have applied it
      // (remote_apply: flushed and visible there), ANY 2 of the 2.
      await first.stop();
      appendConfig(first.dir, {
        synchronous_standby_names: "ANY 2 (s1, s2)",
        synchronous_commit: "remote_apply",
        wal_sender_timeout: "10s",
        wal_receiver_status_interval: "1s",
      });
      for (const standby of nodes.slice(1)) {
        cloneAsStandby(first.dir, standby.dir, { name: standby.name, primaryPort: first.port }, password);
      }
      for (const node of nodes) await node.start();
      await waitUntil(
        async () => (await streamingStandbys(first)) === 2,
        30_000,
        "both standbys to stream synchronously",
      );
      vip = await startVip(ports.vip, first.port);
    }
    const databaseUrl = vip ? `postgres://postgres:${password}@127.0.0.1:${vip.port}/${DATABASE}` : first.url;
    const appOptions = {
      port: ports.app,
      processes: options.processes,
      databaseUrl,
      masterKey,
      nextAuthSecret: randomBytes(32).toString("base64url"),
      distDir: ctx.distDir,
      logFile: path.join(logDir, "app.log"),
      env: options.appEnv,
    };
    theApp = app(appOptions);
    await theApp.start();
    const auth = `Basic ${Buffer.from(`${owner.secretId}:${owner.secretKey}`).toString("base64")}`;
    const running = theApp;
    const world: World = {
      nodes,
      primary: () => primary,
      setPrimary: (node) => {
        primary = node;
      },
      vip,
      app: running,
      async restartApp(processes) {
        await theApp?.stop();
        theApp = app({ ...appOptions, processes });
        world.app = theApp;
        await theApp.start();
      },
      auth,
      logDir,
      async createQueue(name, attributes = {}) {
        const res = await fetch(`${world.app.url}/api/v1/queues`, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/json" },
          body: JSON.stringify({ name, ...attributes }),
        });
        if (res.status !== 201) throw new Error(`creating queue ${name}: ${res.status} ${await res.text()}`);
      },
      close,
    };
    return world;
  } catch (error) {
    await close();
    throw error;
  }
}

// One initdb and one migration per run (several seconds of each case's setup on a busy machine):
// the first case's cluster, stopped once migrated, is copied for the next cases' first servers. They
// share its superuser password, made anew for every run.
const templatePassword = randomBytes(12).toString("hex");
let template: string | null = null;

/** Synchronous (or quorum) standbys streaming from `node` (pg_stat_replication, as the superuser). */
export async function streamingStandbys(node: PgNode): Promise<number> {
  const rows = await node.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming' AND sync_state IN ('sync', 'quorum')",
  );
  return rows[0]?.n ?? 0;
}

/** Receives and deletes until the queue's table holds none of its rows (leases left by the fault run out). */
export async function drainQueue(world: World, ledger: Ledger, target: Target, queue: string, leaseSeconds: number) {
  const deadline = Date.now() + (leaseSeconds + 60) * 1000;
  while (Date.now() < deadline) {
    const received = await receiveAndDelete(
      target,
      ledger,
      "drain",
      { leaseSeconds: 30, requestTimeoutMs: 15_000 },
      16,
    );
    if (received === 0 && (await rowsInQueue(world.primary(), queue)) === 0) return true;
  }
  return false;
}

/** Messages of a queue still in the table (on the node given). */
export async function rowsInQueue(node: PgNode, queue: string): Promise<number> {
  const rows = await node.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM message m JOIN queue q ON q.id = m.queue_id WHERE q.name = $1",
    [queue],
  );
  return rows[0]?.n ?? 0;
}

/**
 * This process's pool and the Prisma client over it (lib/db/prisma.ts keeps one on globalThis, bound
 * to the pool it was made with): the next case's database gets new ones.
 */
async function forgetDatabase() {
  const holder = globalThis as unknown as { opencmqPrisma?: { $disconnect: () => Promise<void> } };
  await holder.opencmqPrisma?.$disconnect().catch(() => {});
  holder.opencmqPrisma = undefined;
  await closePool();
}

/** The first block whose ports (three servers, the VIP, the app) nothing listens on now. */
async function freePortBlock(): Promise<{ pg: number; vip: number; app: number }> {
  for (const base of PORT_BLOCKS) {
    const block = { pg: base, vip: base + 10, app: base + 20 };
    const wanted = [block.pg, block.pg + 1, block.pg + 2, block.vip, block.app];
    if ((await Promise.all(wanted.map(portIsFree))).every(Boolean)) return block;
  }
  throw new Error(`no free block of ports among ${PORT_BLOCKS.join(", ")} (+0…+20): is another fault run going?`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
