// Does coalescing concurrent sends and deletes (lib/store/coalesced-messages.ts) pay? In process, no
// HTTP: C callers each loop on single sends (sendMessages, one message) or single deletes
// (deleteMessages, one handle) for a few seconds, with OPENCMQ_COALESCE on and off alternated.
// Reports messages/s, app and Postgres CPU per message, and statements and commits per message
// (pool queries counted in process; xact_commit from pg_stat_database), then medians and on/off ratios.
//
//   OPENCMQ_TEST_PG_PORT=54335 npx tsx bench/coalesce-probe.ts [--seconds 5] [--runs 3] [--callers 32,128] [--http]
//
// It uses the test cluster (.data/test-pg on OPENCMQ_TEST_PG_PORT) and a throwaway database in it.

import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { fillInSettings } from "@/lib/config";
import { closePool, getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { deleteMessages, sendMessages } from "@/lib/services/messages";
import { formatReceiptHandle } from "@/lib/services/receipt-handle";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { cpuDelta, sampleCpu } from "./cpu";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    callers: { type: "string", default: "32,128" },
    // Calls cross a loopback keep-alive socket to a node:http server in this process, so they arrive
    // spread over the event loop's turns as HTTP requests do, not all at once.
    http: { type: "boolean", default: false },
  },
});
const viaHttp = Boolean(args.http);
const seconds = Number(args.seconds);
const runs = Number(args.runs);
const callerCounts = String(args.callers).split(",").map(Number);

/**
 * Write transactions so far, cluster-wide: the next transaction id. Every INSERT or DELETE commit
 * takes one, and unlike pg_stat_database it has no reporting delay. (Nothing else may use the
 * cluster meanwhile: run the probe with no tests on the same port.)
 */
async function writeTransactions(): Promise<number> {
  const { rows } = await probe.stats.query("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::float8 AS n");
  return rows[0].n;
}

type Cell = {
  op: "send" | "delete";
  callers: number;
  mode: "on" | "off";
  run: number;
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  appCpuMsPerMsg: number;
  pgCpuMsPerMsg: number | null;
  statementsPerMsg: number;
  commitsPerMsg: number;
};

async function measure(
  op: Cell["op"],
  callers: number,
  mode: Cell["mode"],
  run: number,
  call: () => Promise<boolean>,
): Promise<Cell> {
  fillInSettings({ OPENCMQ_COALESCE: mode });
  const commitsBefore = await writeTransactions();
  const statementsBefore = probe.statements;
  const cpuBefore = sampleCpu({ postgres: probe.postgresPid });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        if (!(await call())) return;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuDelta(cpuBefore, sampleCpu({ postgres: probe.postgresPid }));
  const done = latencies.length;
  const statementCount = probe.statements - statementsBefore;
  const commitCount = (await writeTransactions()) - commitsBefore;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(done - 1, Math.floor(q * done))] ?? 0;
  return {
    op,
    callers,
    mode,
    run,
    msgsPerSec: done / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    appCpuMsPerMsg: (cpu.loadgen * 1000) / done,
    pgCpuMsPerMsg: cpu.postgres === null ? null : (cpu.postgres * 1000) / done,
    statementsPerMsg: statementCount / done,
    commitsPerMsg: commitCount / done,
  };
}

async function sendCell(callers: number, mode: Cell["mode"], run: number): Promise<Cell> {
  await pool().query("TRUNCATE message");
  const queue = await createTestQueue(probe.principal);
  await sendMessages(probe.principal, queue.name, [{ body: "warm" }]);
  return measure("send", callers, mode, run, async () => {
    if (viaHttp) await post(`/send?queue=${queue.name}`, "hello, coalescing");
    else await sendMessages(probe.principal, queue.name, [{ body: "hello, coalescing" }]);
    return true;
  });
}

/** Leases enough messages for the cell up front; each call deletes one handle. */
async function deleteCell(callers: number, mode: Cell["mode"], run: number): Promise<Cell> {
  await pool().query("TRUNCATE message");
  const queue = await createTestQueue(probe.principal, { visibilityTimeout: 600 });
  const { rows: queueRows } = await pool().query("SELECT id::text FROM queue WHERE name = $1", [queue.name]);
  const queueId = queueRows[0].id;
  const count = 120_000;
  await pool().query(
    `INSERT INTO message (queue_id, body, visible_at, dequeue_count, receipt)
     SELECT $1, 'to delete', now() + interval '600 seconds', 1, gen_random_uuid() FROM generate_series(1, $2)`,
    [queueId, count],
  );
  await pool().query("VACUUM ANALYZE message");
  const { rows } = await pool().query<{ id: string; receipt: string }>(
    "SELECT id::text, receipt::text FROM message WHERE queue_id = $1 ORDER BY id",
    [queueId],
  );
  const handles = rows.map((r) => formatReceiptHandle(r.id, r.receipt));
  let next = 0;
  const cell = await measure("delete", callers, mode, run, async () => {
    const handle = handles[next++];
    if (!handle) return false;
    const result = viaHttp
      ? ((await post(`/delete?queue=${queue.name}`, handle)) as { deleted: number })
      : await deleteMessages(probe.principal, queue.name, [handle]);
    if (result.deleted !== 1) throw new Error(`delete failed: ${JSON.stringify(result)}`);
    return true;
  });
  if (next > handles.length)
    console.warn(`  (delete ${callers}/${mode}: ran out of handles; rate is over the shorter time)`);
  return cell;
}

/** The HTTP variant's server: POST /send or /delete?queue=NAME with the body or handle as the body. */
function startServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://probe");
      const queue = url.searchParams.get("queue") ?? "";
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        const result =
          url.pathname === "/send"
            ? await sendMessages(probe.principal, queue, [{ body: text }])
            : await deleteMessages(probe.principal, queue, [text]);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  // Idle keep-alive sockets stay open across the pauses between cells (the client reuses them).
  server.keepAliveTimeout = 600_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
let serverPort = 0;
function post(path: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: serverPort, path, method: "POST", agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode === 200) resolve(JSON.parse(text));
        else reject(new Error(`HTTP ${res.statusCode}: ${text}`));
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const fmt = (x: number | null, digits = 2) => (x === null ? "—" : x.toFixed(digits));

/** What every cell shares: the database, its server's pid, the principal, a statement count. */
type Probe = {
  database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
  stats: pg.Client;
  postgresPid: number | undefined;
  principal: Awaited<ReturnType<typeof createTestPrincipal>>;
  statements: number;
};
let probe: Probe;
const pool = () => getPool();

async function main() {
  const database = await createThrowawayDatabase("probe");
  process.env.DATABASE_URL = database.url;
  process.env.OPENCMQ_MASTER_KEY ??= "probe-master-key";
  const stats = new pg.Client({ connectionString: database.url });
  await stats.connect();
  const pidFile = path.join(process.cwd(), ".data", "test-pg", "pg", "postmaster.pid");
  probe = {
    database,
    stats,
    postgresPid: Number(readFileSync(pidFile, "utf8").split("\n")[0]) || undefined,
    principal: await createTestPrincipal(),
    statements: 0,
  };
  // Every statement of the hot path goes through pool.query: count them.
  const p = getPool();
  const query = p.query.bind(p) as (...a: unknown[]) => unknown;
  p.query = ((...a: unknown[]) => {
    probe.statements++;
    return query(...a);
  }) as typeof p.query;

  const server = viaHttp ? await startServer() : undefined;
  serverPort = (server?.address() as AddressInfo | undefined)?.port ?? 0;

  // Warm-up: plans, connections, JIT of both paths.
  for (const mode of ["on", "off"] as const) await sendCell(32, mode, 0);

  const cells: Cell[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const callers of callerCounts) {
      const modes = (run + callers) % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
      for (const op of ["send", "delete"] as const) {
        for (const mode of modes) {
          const cell = op === "send" ? await sendCell(callers, mode, run) : await deleteCell(callers, mode, run);
          cells.push(cell);
          console.log(
            `run ${run} ${op.padEnd(6)} C=${String(callers).padStart(3)} ${mode.padEnd(3)}: ${fmt(cell.msgsPerSec, 0)} msgs/s, p50 ${fmt(cell.p50Ms)} ms, p99 ${fmt(cell.p99Ms)} ms, app ${fmt(cell.appCpuMsPerMsg, 3)} ms/msg, pg ${fmt(cell.pgCpuMsPerMsg, 3)} ms/msg, ${fmt(cell.statementsPerMsg, 3)} stmts/msg, ${fmt(cell.commitsPerMsg, 3)} commits/msg`,
          );
        }
      }
    }
  }

  console.log("\nMedians over runs (on / off = ratio):\n");
  console.log(
    "| op | callers | msgs/s on | msgs/s off | ratio | p99 ms on/off | app CPU ms/msg on/off | PG CPU ms/msg on/off | commits/msg on/off | stmts/msg on/off |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const op of ["send", "delete"] as const) {
    for (const callers of callerCounts) {
      const pick = (mode: string, key: keyof Cell) =>
        median(cells.filter((c) => c.op === op && c.callers === callers && c.mode === mode).map((c) => Number(c[key])));
      const on = (key: keyof Cell) => pick("on", key);
      const off = (key: keyof Cell) => pick("off", key);
      console.log(
        `| ${op} | ${callers} | ${fmt(on("msgsPerSec"), 0)} | ${fmt(off("msgsPerSec"), 0)} | ${fmt(on("msgsPerSec") / off("msgsPerSec"))}× | ${fmt(on("p99Ms"), 1)} / ${fmt(off("p99Ms"), 1)} | ${fmt(on("appCpuMsPerMsg"), 3)} / ${fmt(off("appCpuMsPerMsg"), 3)} | ${fmt(on("pgCpuMsPerMsg"), 3)} / ${fmt(off("pgCpuMsPerMsg"), 3)} | ${fmt(on("commitsPerMsg"), 3)} / ${fmt(off("commitsPerMsg"), 3)} | ${fmt(on("statementsPerMsg"), 3)} / ${fmt(off("statementsPerMsg"), 3)} |`,
      );
    }
  }

  server?.close();
  agent.destroy();
  await stats.end();
  await getPrisma().$disconnect();
  await closePool();
  await database.drop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
