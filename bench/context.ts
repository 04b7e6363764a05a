import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { getPool } from "@/lib/db/pool";
import { type CmqCaller, createCmqCaller } from "./cmq";
import { type Pids, processTree } from "./cpu";
import { createHttpClient, type HttpClient, type JsonResponse } from "./http";
import { type MeterFactory, meterFactory } from "./meter";
import { NEXT_START } from "./paths";
import type { AppServer, BenchServer } from "./server";

// The harness every workload gets: HTTP and CMQ clients against the app server being measured
// (the active one: a front, or `next start`), the app's own pool (for the floor and for set-up
// SQL), a meter factory, and the cell protocol helpers.

export type QueueInfo = { id: string; name: string; visibilityTimeout: number; msgRetentionSeconds: number };

/** How the report names an app server. */
export const appLabel = (app: AppServer) => (app.kind === "front" ? `front, ${app.processes} proc` : NEXT_START);

/** One app server and the bench's keep-alive clients to it. */
export type AppClient = { server: AppServer; http: HttpClient; cmq: CmqCaller };

export type Harness = {
  server: BenchServer;
  /** The app's fronts, one per --processes count (or `next start` alone, without a front). */
  apps: AppClient[];
  /** Plain `next start` on the same build (apps[0] itself without a front); null when not started. */
  next: AppClient | null;
  /** A front like apps[0] with OPENCMQ_METRICS=off (W9); null when not started. */
  metricsOff: AppClient | null;
  /** The app server being measured: http, cmq, newHttp, newCmq and the meter's "app" go to it. */
  active: AppClient;
  /**
   * Makes `app` the active server: thaws it and freezes every other app server (SIGSTOP of the
   * whole process tree, taken when none of its database sessions is busy or holds a worker's
   * advisory lock), so only the measured server's background work runs. `alsoRunning` stay thawed
   * too (W9 loads two fronts at once).
   */
  use: (app: AppClient, alsoRunning?: AppClient[]) => Promise<void>;
  /** Keep-alive client with `connections` sockets to the active app. */
  http: HttpClient;
  /** The same, to the bare Next route (null when it is not running). */
  bare: HttpClient | null;
  /** The same, to the bare node:http route (null when it is not running). */
  node: HttpClient | null;
  cmq: CmqCaller;
  /** Makes a separate client with its own sockets (long pollers, senders that must not queue); default: the active app. */
  newHttp: (connections: number, baseUrl?: string) => HttpClient;
  newCmq: (http: HttpClient) => CmqCaller;
  pool: pg.Pool;
  connections: number;
  /** A 256-byte message body. */
  body: string;
  /** "sync" (synchronous_commit on) or "async"; stated beside every number. */
  durability: string;
  newMeter: MeterFactory;
  say: (line: string) => void;
  isTty: boolean;
  /** Creates a queue through the REST API (names are unique per run). */
  createQueue: (name: string, attributes?: Record<string, number>) => Promise<QueueInfo>;
  /** Inserts `count` visible 256-byte messages in one INSERT … SELECT generate_series. */
  fillQueue: (queueId: string, count: number) => Promise<void>;
  /** Empties the message table (and pg-boss's job table). */
  truncate: () => Promise<void>;
  /** VACUUM (FREEZE, ANALYZE) + CHECKPOINT: every measured cell starts from here (performance.md §4.5). */
  settle: () => Promise<void>;
  /** pg-boss, started on first use in its own schema of the bench database. */
  boss: () => Promise<PgBoss>;
  /** Stops pg-boss (its maintenance must not run during other paths' cells); boss() starts it again. */
  stopBoss: () => Promise<void>;
  /**
   * Freezes the active app server (SIGSTOP) while a baseline is measured, so its background workers
   * (retention and stats sweeps, wake-up listener) don't add to the baseline's database cost.
   */
  freezeApp: () => Promise<void>;
  thawApp: () => Promise<void>;
  close: () => Promise<void>;
};

export async function createHarness(options: {
  server: BenchServer;
  connections: number;
  pool: number;
  say: (line: string) => void;
}): Promise<Harness> {
  const { server, say } = options;
  const credentials = { user: server.secretId, password: server.secretKey };
  const newHttp = (connections: number, baseUrl?: string) =>
    createHttpClient({ baseUrl: baseUrl ?? harness.active.server.url, connections, basicAuth: credentials });
  // The CMQ signature covers the Host header: each client signs for its own server.
  const newCmq = (http: HttpClient) =>
    createCmqCaller({ http, host: http.host, secretId: server.secretId, secretKey: server.secretKey });
  const clientOf = (app: AppServer): AppClient => {
    const http = newHttp(options.connections, app.url);
    return { server: app, http, cmq: newCmq(http) };
  };
  const apps = server.apps.map(clientOf);
  const first = apps[0];
  if (!first) throw new Error("no app server");
  const next = server.next === null ? null : (apps.find((a) => a.server === server.next) ?? clientOf(server.next));
  const metricsOff = server.metricsOff ? clientOf(server.metricsOff) : null;
  const bare = server.bareUrl ? newHttp(options.connections, server.bareUrl) : null;
  const node = server.nodeUrl ? newHttp(options.connections, server.nodeUrl) : null;
  const pool = getPool();
  const body = "x".repeat(256);
  const setting = async (name: string) =>
    String((await pool.query<{ v: string }>("SELECT current_setting($1) AS v", [name])).rows[0]?.v);
  const durability =
    (await setting("fsync")) === "on" && (await setting("synchronous_commit")) !== "off" ? "sync" : "async";
  let boss: Promise<PgBoss> | null = null;
  let hasBossSchema = false;
  // The meter reads these at every snapshot: "server" is whichever app is active.
  const pids: Pids = { ...server.pids, server: first.server.pid };
  const frozen = new Set<AppServer>();
  // A session inside a statement or transaction, or holding a worker's advisory lock between the
  // statements of a tick: frozen there, it would block the other servers' workers for the whole cell.
  const busySessions = async (app: AppServer) =>
    Number(
      (
        await pool.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_stat_activity a
           WHERE a.application_name = $1
             AND (a.state <> 'idle' OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'))`,
          [app.appName],
        )
      ).rows[0]?.n ?? 0,
    );
  // The whole tree: a front's cluster primary and its workers (next start: its process and children).
  const signal = (app: AppServer, name: "SIGSTOP" | "SIGCONT") => {
    for (const pid of app.pid ? processTree(app.pid) : []) {
      try {
        process.kill(pid, name);
      } catch {
        // exited meanwhile
      }
    }
  };
  const freeze = async (app: AppServer) => {
    if (!app.pid || frozen.has(app)) return;
    for (let attempt = 0; attempt < 100; attempt++) {
      signal(app, "SIGSTOP");
      // A statement sent just before the stop may still arrive: look twice.
      if ((await busySessions(app)) === 0) {
        await new Promise((r) => setTimeout(r, 30));
        if ((await busySessions(app)) === 0) {
          frozen.add(app);
          return;
        }
      }
      signal(app, "SIGCONT");
      await new Promise((r) => setTimeout(r, 20));
    }
    say(`could not find ${app.url} idle to freeze it; the cell runs beside its background work`);
  };
  const thaw = async (app: AppServer) => {
    if (!frozen.has(app)) return;
    signal(app, "SIGCONT");
    frozen.delete(app);
    // Its overdue keep-alive timers now close our idle sockets; let that happen before reusing them.
    await new Promise((r) => setTimeout(r, 300));
  };
  const everyApp = [...apps, ...(next && !apps.includes(next) ? [next] : []), ...(metricsOff ? [metricsOff] : [])];

  const harness: Harness = {
    server,
    apps,
    next,
    metricsOff,
    active: first,
    use: async (app, alsoRunning = []) => {
      const running = [app, ...alsoRunning];
      for (const other of everyApp) if (!running.includes(other)) await freeze(other.server);
      for (const one of running) await thaw(one.server);
      harness.active = app;
      harness.http = app.http;
      harness.cmq = app.cmq;
      pids.server = app.server.pid;
    },
    http: first.http,
    bare,
    node,
    cmq: first.cmq,
    newHttp,
    newCmq,
    pool,
    connections: options.connections,
    body,
    durability,
    newMeter: meterFactory(pids, pool, server.hasStatements),
    say,
    isTty: Boolean(process.stdout.isTTY),
    createQueue: async (name, attributes = {}) => {
      const http = harness.http;
      // One retry: a keep-alive socket the server has just closed fails the first attempt.
      const res = await http
        .post("/api/v1/queues", { name, ...attributes })
        .catch(() => http.post("/api/v1/queues", { name, ...attributes }));
      if (res.status !== 201) throw new Error(`creating queue ${name}: ${describeResponse(res)}`);
      return { ...(res.json as Omit<QueueInfo, "name">), name };
    },
    fillQueue: async (queueId, count) => {
      const t0 = Date.now();
      const client = await pool.connect();
      try {
        await client.query(
          `INSERT INTO message (queue_id, body, visible_at)
           SELECT $1, $2, now() FROM generate_series(1, $3)`,
          [queueId, body, count],
        );
        // A backend reports its insert counts up to 10 s late; if that lands after settle()'s VACUUM,
        // autovacuum later re-vacuums the whole backlog inside some measured cell (seen as 10 kB of
        // WAL per message in one cell). Report them now.
        await client.query("SELECT pg_stat_force_next_flush()");
      } finally {
        client.release();
      }
      say(`  pre-filled ${count.toLocaleString("en-US")} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    },
    truncate: async () => {
      await pool.query("TRUNCATE message");
      if (hasBossSchema) await pool.query("TRUNCATE pgboss.job");
    },
    settle: async () => {
      // FREEZE: a pre-filled backlog is left all-frozen, so no autovacuum has to freeze it mid-cell.
      await pool.query("VACUUM (FREEZE, ANALYZE) message");
      if (hasBossSchema) await pool.query("VACUUM (FREEZE, ANALYZE) pgboss.job");
      await pool.query("CHECKPOINT");
    },
    boss: () => {
      boss ??= (async () => {
        const { PgBoss } = await import("pg-boss");
        // Default options (supervise and schedule on: its maintenance is part of its cost), the
        // same pool size as the app's, its own schema.
        const instance = new PgBoss({ connectionString: server.databaseUrl, schema: "pgboss", max: options.pool });
        instance.on("error", (error) => say(`pg-boss: ${String(error)}`));
        await instance.start();
        hasBossSchema = true;
        return instance;
      })();
      return boss;
    },
    stopBoss: async () => {
      const running = boss;
      boss = null;
      if (running) await (await running).stop({ graceful: false }).catch(() => {});
    },
    freezeApp: () => freeze(harness.active.server),
    thawApp: () => thaw(harness.active.server),
    close: async () => {
      for (const app of everyApp) await thaw(app.server);
      for (const app of everyApp) app.http.close();
      bare?.close();
      node?.close();
      if (boss) await (await boss).stop({ graceful: false }).catch(() => {});
    },
  };
  return harness;
}

/** A short error string for an unexpected HTTP answer. */
export function describeResponse(res: JsonResponse): string {
  const error = (res.json as { error?: { code?: string } } | null)?.error;
  return `HTTP ${res.status}${error?.code ? ` ${error.code}` : ""}`;
}
