// What does monitoring cost (issue 12)? In process, through the REST route handlers themselves (the
// route wrapper's authentication, validation, per-action API counting; the services' hot-path
// counters; the 5 s flush): C callers each loop on send 16 → receive 16 → delete 16 for a few
// seconds, OPENCMQ_METRICS on and off alternated. Reports messages/s and app and PostgreSQL CPU per
// message, then medians and on/off ratios. Then lists 1,000 queues (10 pages of 100, default order
// and sorted by backlog) empty and holding QUEUE_ROWS messages each.
//
//   OPENCMQ_TEST_PG_PORT=54334 npx tsx bench/metrics-probe.ts [--seconds 5] [--runs 3] [--callers 16] [--rows 10500]
//
// It uses the test cluster (.data/test-pg on OPENCMQ_TEST_PG_PORT) and a throwaway database in it.

import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { NextRequest } from "next/server";
import { POST as deleteRoute } from "@/app/api/v1/queues/[name]/messages/delete/route";
import { POST as receiveRoute } from "@/app/api/v1/queues/[name]/messages/receive/route";
import { POST as sendRoute } from "@/app/api/v1/queues/[name]/messages/route";
import { fillInSettings } from "@/lib/config";
import { closePool, getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { flushMetrics } from "@/lib/metrics/flush";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { setCountingOn } from "@/lib/metrics/record";
import { createKey } from "@/lib/services/api-keys";
import { exactCountCap, listQueues } from "@/lib/services/queues";
import { countSmallQueues } from "@/lib/store/inspect";
import { markQueuesCounted } from "@/lib/store/metrics";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { cpuDelta, sampleCpu } from "./cpu";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    callers: { type: "string", default: "16" },
    rows: { type: "string", default: "10500" },
    "skip-list": { type: "boolean", default: false },
    "scrape-only": { type: "boolean", default: false },
  },
});
const seconds = Number(args.seconds);
const runs = Number(args.runs);
const callers = Number(args.callers);
const queueRows = Number(args.rows);

type Cell = {
  mode: "on" | "off";
  run: number;
  msgsPerSec: number;
  appCpuMsPerMsg: number;
  pgCpuMsPerMsg: number | null;
};

let authorization = "";
let postgresPid: number | undefined;

async function call(
  handler: typeof sendRoute,
  queue: string,
  suffix: string,
  body: unknown,
): Promise<{ messages?: { receiptHandle: string }[]; deleted?: number }> {
  const req = new NextRequest(`http://probe/api/v1/queues/${queue}/messages${suffix}`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve({ name: queue }) });
  if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}

async function cell(mode: Cell["mode"], run: number, principal: Awaited<ReturnType<typeof createTestPrincipal>>) {
  setCountingOn(mode === "on");
  await getPool().query("TRUNCATE message");
  const queue = await createTestQueue(principal, { visibilityTimeout: 600 });
  const batch = Array.from({ length: 16 }, (_, i) => ({ body: `metrics probe message ${i}` }));
  let messages = 0;
  const cpuBefore = sampleCpu({ postgres: postgresPid });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  // The flush runs as in production: every 5 s while counting is on.
  const timer = mode === "on" ? setInterval(() => void flushMetrics(), 5000) : undefined;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await call(sendRoute, queue.name, "", { messages: batch });
        const got = await call(receiveRoute, queue.name, "/receive", { max: 16, waitSeconds: 0 });
        const handles = (got.messages ?? []).map((m) => m.receiptHandle);
        if (handles.length > 0) await call(deleteRoute, queue.name, "/delete", { receiptHandles: handles });
        messages += handles.length;
      }
    }),
  );
  clearInterval(timer);
  if (mode === "on") await flushMetrics();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuDelta(cpuBefore, sampleCpu({ postgres: postgresPid }));
  const result: Cell = {
    mode,
    run,
    msgsPerSec: messages / elapsed,
    appCpuMsPerMsg: (cpu.loadgen * 1000) / messages,
    pgCpuMsPerMsg: cpu.postgres === null ? null : (cpu.postgres * 1000) / messages,
  };
  console.log(
    `run ${run} metrics ${mode.padEnd(3)}: ${result.msgsPerSec.toFixed(0)} msgs/s (send+receive+delete), app ${result.appCpuMsPerMsg.toFixed(3)} ms/msg, pg ${result.pgCpuMsPerMsg?.toFixed(3) ?? "—"} ms/msg`,
  );
  return result;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** Lists all 1,000 queues of an account, 10 pages of 100; the slowest and total times in ms. */
async function listAll(principal: Awaited<ReturnType<typeof createTestPrincipal>>, sort?: "backlog") {
  const times: number[] = [];
  for (let offset = 0; offset < 1000; offset += 100) {
    const t = performance.now();
    const page = await listQueues(principal, { offset, limit: 100, sort });
    times.push(performance.now() - t);
    if (page.queues.length !== 100) throw new Error(`page at ${offset} has ${page.queues.length} queues`);
  }
  return { total: times.reduce((a, b) => a + b, 0), slowest: Math.max(...times) };
}

async function listing() {
  const empty = await createTestPrincipal();
  const full = await createTestPrincipal();
  for (const p of [empty, full]) {
    await getPrisma().queue.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        accountId: p.accountId,
        name: `q${String(i).padStart(4, "0")}`,
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
      })),
    });
  }
  let t = performance.now();
  await getPool().query(
    `INSERT INTO message (queue_id, body, visible_at)
     SELECT q.id, 'listing probe', now() FROM queue q CROSS JOIN generate_series(1, $2) g WHERE q.account_id = $1`,
    [full.accountId, queueRows],
  );
  const insertS = (performance.now() - t) / 1000;
  await getPool().query("VACUUM ANALYZE message");
  t = performance.now();
  await refreshQueueStats(getPool(), 1);
  await markQueuesCounted(getPool());
  const recountS = (performance.now() - t) / 1000;
  console.log(
    `\nListing: 1,000 queues × ${queueRows.toLocaleString()} messages inserted in ${insertS.toFixed(0)} s; the stats worker's recount took ${recountS.toFixed(1)} s`,
  );
  console.log("| account | order | 10 pages of 100: total ms | slowest page ms |");
  console.log("|---|---|---|---|");
  // Before issue 12 every page counted each queue up to 10,000 rows: what that costs for one page here.
  const { rows: pageIds } = await getPool().query<{ id: string }>(
    "SELECT id::text FROM queue WHERE account_id = $1 ORDER BY id LIMIT 100",
    [full.accountId],
  );
  t = performance.now();
  await countSmallQueues(
    pageIds.map((r) => r.id),
    exactCountCap,
  );
  console.log(`(the old per-request count of one page of 100 full queues: ${(performance.now() - t).toFixed(0)} ms)`);
  for (let round = 0; round < 2; round++) {
    for (const [label, p] of [
      ["empty", empty],
      ["full", full],
    ] as const) {
      for (const sort of [undefined, "backlog"] as const) {
        const r = await listAll(p, sort);
        if (round === 1) {
          console.log(`| ${label} | ${sort ?? "createdAt"} | ${r.total.toFixed(0)} | ${r.slowest.toFixed(0)} |`);
        }
      }
    }
  }
}

/** GET /metrics' rendering for every account (the token's view) with 10,000 queues, each with counters. */
async function scrape() {
  for (let a = 0; a < 10; a++) {
    const p = await createTestPrincipal();
    await getPrisma().queue.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        accountId: p.accountId,
        name: `scrape${String(i).padStart(4, "0")}`,
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
      })),
    });
  }
  await getPool().query(
    `INSERT INTO metric_total (resource_kind, resource_id, account_id, send_msg_num, recv_msg_num, del_msg_num)
     SELECT 1, id, account_id, 1000, 900, 800 FROM queue`,
  );
  await getPool().query("ANALYZE");
  console.log("\n/metrics with 10,000 queues (every account, as the token's scraper sees it):");
  for (let round = 1; round <= 3; round++) {
    const t = performance.now();
    const text = await renderPrometheus({ accountId: null, canSee: () => true });
    console.log(
      `  scrape ${round}: ${(performance.now() - t).toFixed(0)} ms, ${(text.length / 1e6).toFixed(1)} MB, ${text.split("\n").length.toLocaleString()} lines`,
    );
  }
}

async function main() {
  const database = await createThrowawayDatabase("metrics-probe");
  fillInSettings({
    DATABASE_URL: database.url,
    OPENCMQ_MASTER_KEY: process.env.OPENCMQ_MASTER_KEY ?? "probe-master-key",
  });
  const pidFile = path.join(process.cwd(), ".data", "test-pg", "pg", "postmaster.pid");
  postgresPid = Number(readFileSync(pidFile, "utf8").split("\n")[0]) || undefined;
  const principal = await createTestPrincipal();
  const key = await createKey(principal, { description: "probe", permissions: [] });
  authorization = `Basic ${Buffer.from(`${key.secretId}:${key.secretKey}`).toString("base64")}`;

  if (args["scrape-only"]) {
    await scrape();
    await getPrisma().$disconnect();
    await closePool();
    await database.drop();
    return;
  }
  for (const mode of ["on", "off"] as const) await cell(mode, 0, principal); // warm-up
  const cells: Cell[] = [];
  for (let run = 1; run <= runs; run++) {
    const modes = run % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
    for (const mode of modes) cells.push(await cell(mode, run, principal));
  }
  const pick = (mode: string, key: keyof Cell) =>
    median(cells.filter((c) => c.mode === mode).map((c) => Number(c[key])));
  console.log(`\nMedians over ${runs} runs, ${callers} callers (on / off):`);
  console.log("| msgs/s on | msgs/s off | ratio | app CPU ms/msg on/off | PG CPU ms/msg on/off | PG ratio |");
  console.log("|---|---|---|---|---|---|");
  console.log(
    `| ${pick("on", "msgsPerSec").toFixed(0)} | ${pick("off", "msgsPerSec").toFixed(0)} | ${(pick("on", "msgsPerSec") / pick("off", "msgsPerSec")).toFixed(3)}× | ${pick("on", "appCpuMsPerMsg").toFixed(3)} / ${pick("off", "appCpuMsPerMsg").toFixed(3)} | ${pick("on", "pgCpuMsPerMsg").toFixed(3)} / ${pick("off", "pgCpuMsPerMsg").toFixed(3)} | ${(pick("on", "pgCpuMsPerMsg") / pick("off", "pgCpuMsPerMsg")).toFixed(3)}× |`,
  );
  setCountingOn(true);
  if (!args["skip-list"]) await listing();

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
