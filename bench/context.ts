import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { getPool } from "@/lib/db/pool";
import { type CmqCaller, createCmqCaller } from "./cmq";
import { createHttpClient, type HttpClient, type JsonResponse } from "./http";
import { type MeterFactory, meterFactory } from "./meter";
import { APP_NAME, type BenchServer } from "./server";

// The harness every workload gets: HTTP and CMQ clients against the bench server, the app's own
// pool (for the floor and for set-up SQL), a meter factory, and the cell protocol helpers.

export type QueueInfo = { id: string; name: string; visibilityTimeout: number; msgRetentionSeconds: number };

export type Harness = {
  server: BenchServer;
  /** Keep-alive client with `connections` sockets to the app. */
  http: HttpClient;
  /** The same, to the bare-route baseline (null when it is not running). */
  bare: HttpClient | null;
  cmq: CmqCaller;
  /** Makes a separate client with its own sockets (long pollers, senders that must not queue). */
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
   * Freezes the app server (SIGSTOP) while a baseline is measured, so its background workers
   * (retention and stats sweeps, wake-up listener) don't add to the baseline's database cost.
   * Retries until none of its database sessions is inside a statement or transaction.
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
  const newHttp = (connections: number, baseUrl = server.baseUrl) =>
    createHttpClient({ baseUrl, connections, basicAuth: { user: server.secretId, password: server.secretKey } });
  const newCmq = (http: HttpClient) =>
    createCmqCaller({
      http,
      host: new URL(server.baseUrl).host,
      secretId: server.secretId,
      secretKey: server.secretKey,
    });
  const http = newHttp(options.connections);
  const bare = server.bareUrl ? newHttp(options.connections, server.bareUrl) : null;
  const pool = getPool();
  const body = "x".repeat(256);
  const setting = async (name: string) =>
    String((await pool.query<{ v: string }>("SELECT current_setting($1) AS v", [name])).rows[0]?.v);
  const durability =
    (await setting("fsync")) === "on" && (await setting("synchronous_commit")) !== "off" ? "sync" : "async";
  let boss: Promise<PgBoss> | null = null;
  let hasBossSchema = false;
  const appPid = server.pids.server;
  let isFrozen = false;
  const busyAppSessions = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'",
          [APP_NAME],
        )
      ).rows[0]?.n ?? 0,
    );

  const harness: Harness = {
    server,
    http,
    bare,
    cmq: newCmq(http),
    newHttp,
    newCmq,
    pool,
    connections: options.connections,
    body,
    durability,
    newMeter: meterFactory(server.pids, pool, server.hasStatements),
    say,
    isTty: Boolean(process.stdout.isTTY),
    createQueue: async (name, attributes = {}) => {
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
    freezeApp: async () => {
      if (!appPid || isFrozen) return;
      for (let attempt = 0; attempt < 100; attempt++) {
        process.kill(appPid, "SIGSTOP");
        // A statement sent just before the stop may still arrive: look twice.
        if ((await busyAppSessions()) === 0) {
          await new Promise((r) => setTimeout(r, 30));
          if ((await busyAppSessions()) === 0) {
            isFrozen = true;
            return;
          }
        }
        process.kill(appPid, "SIGCONT");
        await new Promise((r) => setTimeout(r, 20));
      }
      say("could not find the app idle to freeze it; the baseline runs beside its background work");
    },
    thawApp: async () => {
      if (!appPid || !isFrozen) return;
      process.kill(appPid, "SIGCONT");
      isFrozen = false;
      // Its overdue keep-alive timers now close our idle sockets; let that happen before reusing them.
      await new Promise((r) => setTimeout(r, 300));
    },
    close: async () => {
      await harness.thawApp();
      http.close();
      bare?.close();
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
