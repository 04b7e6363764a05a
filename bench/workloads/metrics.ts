import { randomBytes } from "node:crypto";
import http from "node:http";
import { getPrisma } from "@/lib/db/prisma";
import { createAccountWithOwner } from "@/lib/services/accounts";
import { markQueuesCounted } from "@/lib/store/metrics";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { type AppClient, describeResponse, type Harness } from "../context";
import { createHttpClient, type HttpClient } from "../http";
import { type CellResult, type Latency, median, type Op, runClosedLoop, runOpenLoop } from "../loop";
import { type HotPathCost, measureHotPath } from "./metrics-hot-path";
import { runSideBySide, type SideBySideCell, summarizeSideBySide } from "./metrics-side-by-side";
import { progressPrinter } from "./progress";

// W9: what monitoring costs (issue 12, items 2 and 4).
//  - metrics on vs off: the same REST loop (send 16 → receive 16 → delete 16) on the first front
//    (OPENCMQ_METRICS=on, its default) and on a second front of the same build with OPENCMQ_METRICS=off,
//    cells alternated over --runs (off, on, on, off, …): the maximum rate, and Postgres CPU per
//    message at one fixed rate (open loop), so both modes get the same chance of group commit.
//  - GET /metrics with 1,000 and then 10,000 queues in one account (an API key's scrape: its
//    authentication and permission check included), each queue with counters and kept counts; plain
//    and with Accept-Encoding: gzip as Prometheus sends it (Next compresses the answer).
//  - listing 1,000 queues (10 pages of 100 through REST, default order and by backlog) of an account
//    whose queues are empty beside one whose queues each hold --w9-rows messages, rounds alternated.
//    The rows are real (one INSERT … SELECT generate_series per 100 queues) and recounted once by the
//    stats worker's own function; only in the full run or with --w9-rows (see bench/README.md on sizes).

export type MetricsMode = "on" | "off";
export type MetricsCostCell = { mode: MetricsMode; run: number; max: CellResult; fixed: CellResult | null };
export type ScrapeCell = {
  queues: number;
  encoding: "identity" | "gzip";
  latency: Latency;
  bytes: number;
  lines: number;
  /** CPU milliseconds per scrape of the app server and of PostgreSQL (/proc, over the timed requests). */
  appCpuMs: number | null;
  pgCpuMs: number | null;
};
export type ListingCell = {
  account: "empty" | "full";
  order: "createdAt" | "backlog";
  totalsMs: number[];
  slowestMs: number;
};
export type ListingResult = {
  queues: number;
  rowsPerQueue: number;
  fillSeconds: number;
  recountSeconds: number;
  cells: ListingCell[];
};
export type MetricsResult = {
  cost: MetricsCostCell[];
  /** Both fronts loaded at once (metrics-side-by-side.ts): the estimate the cost goal is judged on. */
  sideBySide: SideBySideCell[];
  /** The in-memory counting a request does with metrics on, timed in the bench process. */
  hotPath: HotPathCost | null;
  /** Ops per second of the fixed-rate cells (16 messages each). */
  rate: number;
  scrape: ScrapeCell[];
  listing: ListingResult | null;
  notes: string[];
};

export type MetricsSettings = {
  runs: number;
  /** Runs of the side-by-side pair (max + fixed rate, both fronts at once). */
  sideBySideRuns: number;
  warmupMs: number;
  durationMs: number;
  openWarmupMs: number;
  openDurationMs: number;
  /** Fixed rate, ops/s (one op = 16 messages sent, received and deleted). */
  rate: number;
  /** Queue counts of the scrape cells, ascending (each adds queues to the same account). */
  scrapeQueues: number[];
  scrapeRequests: number;
  /** Messages per queue of the listing's full account; 0 leaves the listing out. */
  listingRows: number;
  listingQueues: number;
  listingRounds: number;
};

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`);

export async function runMetrics(h: Harness, settings: MetricsSettings): Promise<MetricsResult> {
  const result: MetricsResult = {
    cost: [],
    sideBySide: [],
    hotPath: null,
    rate: settings.rate,
    scrape: [],
    listing: null,
    notes: [],
  };
  const on = h.apps[0] as AppClient;
  const off = h.metricsOff;
  result.hotPath = measureHotPath();
  h.say(
    `W9 counting on the hot path: ${result.hotPath.nsPerRequest.toFixed(0)} ns a request (median of ${result.hotPath.rounds} rounds of ${int(result.hotPath.requests)})`,
  );
  if (!off) {
    result.notes.push("no metrics-off front (the build has no compiled front): on vs off not measured");
  } else {
    h.say(
      `W9 metrics on vs off: send 16 → receive 16 → delete 16, ${h.connections} callers, then @${int(settings.rate * 16)} msgs/s; ${settings.runs} run(s) alternated`,
    );
    // One unrecorded pair first: the off front has had no warm-up.
    for (const [mode, app] of [
      ["off", off],
      ["on", on],
    ] as const)
      await costCell(h, app, mode, 0, { ...settings, openDurationMs: 0 });
    for (let run = 1; run <= settings.runs; run++) {
      const order: [MetricsMode, AppClient][] =
        run % 2
          ? [
              ["off", off],
              ["on", on],
            ]
          : [
              ["on", on],
              ["off", off],
            ];
      for (const [mode, app] of order) result.cost.push(await costCell(h, app, mode, run, settings));
    }
    result.sideBySide = await runSideBySide(h, on, off, (front, queue) => mixedOp(front.http, queue, h.body), {
      runs: settings.sideBySideRuns,
      warmupMs: settings.openWarmupMs,
      durationMs: settings.openDurationMs,
      rate: settings.rate,
    });
    await h.use(on);
  }
  await h.truncate();
  result.scrape = await scrapeCells(h, settings);
  if (settings.listingRows > 0) result.listing = await listing(h, settings);
  return result;
}

async function costCell(
  h: Harness,
  app: AppClient,
  mode: MetricsMode,
  run: number,
  settings: MetricsSettings,
): Promise<MetricsCostCell> {
  await h.use(app);
  await h.truncate();
  const queue = await h.createQueue(`b-w9-${mode}-${run}-${Date.now().toString(36)}`, { visibilityTimeout: 600 });
  await h.settle();
  const op = mixedOp(h.http, queue.name, h.body);
  const label = `W9 metrics ${mode}${run ? ` run ${run}` : " (warm-up)"}`;
  const progress = progressPrinter(h, `${label} max`, (settings.warmupMs + settings.durationMs) / 1000);
  const max = await runClosedLoop({
    concurrency: h.connections,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
    op,
    meter: h.newMeter(),
    ...progress,
  });
  progress.done();
  report(h, `${label} max`, max);
  if (settings.openDurationMs <= 0) return { mode, run, max, fixed: null };
  await h.truncate();
  await h.settle();
  const openProgress = progressPrinter(h, `${label} fixed`, (settings.openWarmupMs + settings.openDurationMs) / 1000);
  const fixed = await runOpenLoop({
    rate: settings.rate,
    warmupMs: settings.openWarmupMs,
    durationMs: settings.openDurationMs,
    op,
    meter: h.newMeter(),
    ...openProgress,
  });
  openProgress.done();
  report(h, `${label} @${int(settings.rate * 16)} msgs/s`, fixed);
  // Where Postgres time went (pg_stat_statements): a difference between the modes shows here.
  const statements = fixed.usage.topStatements.slice(0, 5);
  if (statements.length)
    h.say(
      `    top statements: ${statements
        .map(
          (st) =>
            `${(st.calls / (fixed.messages || 1)).toFixed(3)}/msg × ${st.meanMs.toFixed(3)} ms ${st.query.replace(/\s+/g, " ").slice(0, 60)}`,
        )
        .join(" | ")}`,
    );
  return { mode, run, max, fixed };
}

type Received = { messages?: { receiptHandle: string }[] };

/** One op: send 16, receive up to 16 (no wait), delete what came. Counts the deleted messages. */
function mixedOp(client: HttpClient, queueName: string, body: string): Op {
  const base = `/api/v1/queues/${queueName}/messages`;
  const sendBody = JSON.stringify({ messages: Array.from({ length: 16 }, () => ({ body })) });
  const receiveBody = JSON.stringify({ max: 16, waitSeconds: 0 });
  return async () => {
    const t0 = performance.now();
    const sent = await client.post(base, sendBody);
    const t1 = performance.now();
    if (sent.status !== 201) return { messages: 0, error: `send: ${describeResponse(sent)}` };
    const received = await client.post(`${base}/receive`, receiveBody);
    const t2 = performance.now();
    if (received.status !== 200) return { messages: 0, error: `receive: ${describeResponse(received)}` };
    const handles = ((received.json as Received).messages ?? []).map((m) => m.receiptHandle);
    if (handles.length === 0) return { messages: 0, steps: { send: t1 - t0, receive: t2 - t1 } };
    const deleted = await client.post(`${base}/delete`, { receiptHandles: handles });
    const steps = { send: t1 - t0, receive: t2 - t1, delete: performance.now() - t2 };
    if (deleted.status !== 200) return { messages: 0, steps, error: `delete: ${describeResponse(deleted)}` };
    return { messages: (deleted.json as { deleted?: number }).deleted ?? 0, steps };
  };
}

/** A fresh account with its owner's API key, and a client for it on the first front. */
async function benchAccount(h: Harness, label: string) {
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const owner = await createAccountWithOwner({
    accountName: `bench-w9-${label}-${suffix}`,
    email: `w9-${label}-${suffix}@opencmq.local`,
  });
  const url = (h.apps[0] as AppClient).server.url;
  const client = createHttpClient({
    baseUrl: url,
    connections: 4,
    basicAuth: { user: owner.secretId, password: owner.secretKey },
  });
  return { accountId: owner.accountId, secretId: owner.secretId, secretKey: owner.secretKey, url, client };
}

/** Queues `from`…`to - 1` of an account, straight into the table (creating 10,000 through REST takes minutes). */
async function createQueues(accountId: string, prefix: string, from: number, to: number) {
  for (let start = from; start < to; start += 5000) {
    await getPrisma().queue.createMany({
      data: Array.from({ length: Math.min(5000, to - start) }, (_, k) => ({
        accountId,
        name: `${prefix}${String(start + k).padStart(5, "0")}`,
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
      })),
    });
  }
}

/** GET /metrics, the body read whole (and inflated when gzipped, as a scraper does). */
function getMetrics(url: string, authorization: string, gzip: boolean) {
  return new Promise<{ status: number; bytes: number; text: string }>((resolve, reject) => {
    const target = new URL("/metrics", url);
    const req = http.get(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        headers: { authorization, ...(gzip ? { "accept-encoding": "gzip" } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          void (async () => {
            const { gunzipSync } = await import("node:zlib");
            const isGzip = res.headers["content-encoding"] === "gzip";
            const text = (isGzip ? gunzipSync(raw) : raw).toString("utf8");
            resolve({ status: res.statusCode ?? 0, bytes: raw.length, text });
          })().catch(reject);
        });
      },
    );
    req.on("error", reject);
  });
}

async function scrapeCells(h: Harness, settings: MetricsSettings): Promise<ScrapeCell[]> {
  await h.use(h.apps[0] as AppClient);
  const account = await benchAccount(h, "scrape");
  const authorization = `Basic ${Buffer.from(`${account.secretId}:${account.secretKey}`).toString("base64")}`;
  const cells: ScrapeCell[] = [];
  let have = 0;
  for (const queues of settings.scrapeQueues) {
    await createQueues(account.accountId, "scrape", have, queues);
    have = queues;
    // Every queue with cumulative counters and a recount, as after traffic.
    await h.pool.query(
      `INSERT INTO metric_total (resource_kind, resource_id, account_id, send_msg_num, recv_msg_num, recv_null_msg_num, del_msg_num,
                                 counted_send, counted_recv, counted_del)
       SELECT 1, id, account_id, 1000000 + id, 900000 + id, id, 800000 + id, 1000000 + id, 900000 + id, 800000 + id
       FROM queue WHERE account_id = $1 ON CONFLICT DO NOTHING`,
      [account.accountId],
    );
    await h.pool.query(
      `INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, dead, rewindable, oldest_enqueued_at, computed_at)
       SELECT id, 200000, 150000, 40000, 10000, 0, 0, now() - interval '1 hour', now() FROM queue WHERE account_id = $1
       ON CONFLICT DO NOTHING`,
      [account.accountId],
    );
    await h.pool.query("ANALYZE queue; ANALYZE metric_total; ANALYZE queue_stats");
    for (const gzip of [false, true]) {
      const times: number[] = [];
      let bytes = 0;
      let lines = 0;
      const meter = h.newMeter();
      for (let i = 0; i < settings.scrapeRequests + 1; i++) {
        if (i === 1) meter.begin();
        const t = performance.now();
        const res = await getMetrics(account.url, authorization, gzip);
        const elapsed = performance.now() - t;
        if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
        if (i === 0) {
          // Unrecorded first request (the route's first use); the answer checked once.
          const sent = res.text.match(/^opencmq_queue_messages_sent_total\{/gm)?.length ?? 0;
          if (sent !== queues) throw new Error(`GET /metrics answered ${sent} queues of ${queues}`);
          continue;
        }
        times.push(elapsed);
        bytes = res.bytes;
        lines = res.text.split("\n").length - 1;
      }
      meter.end();
      const { cpu } = await meter.usage();
      const perScrape = (s: number | null) => (s === null ? null : (1000 * s) / times.length);
      const sorted = [...times].sort((a, b) => a - b);
      const latency: Latency = {
        count: times.length,
        p50: median(times),
        p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0,
        max: sorted[sorted.length - 1] ?? 0,
      };
      const encoding = gzip ? "gzip" : "identity";
      const cell: ScrapeCell = {
        queues,
        encoding,
        latency,
        bytes,
        lines,
        appCpuMs: perScrape(cpu.server),
        pgCpuMs: perScrape(cpu.postgres),
      };
      cells.push(cell);
      h.say(
        `  W9 GET /metrics, ${int(queues)} queues, ${encoding}: p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, ` +
          `CPU app ${cell.appCpuMs?.toFixed(0) ?? "?"} + PostgreSQL ${cell.pgCpuMs?.toFixed(0) ?? "?"} ms a scrape, ${size(bytes)}, ${int(lines)} lines (${times.length} requests)`,
      );
    }
  }
  account.client.close();
  return cells;
}

async function listing(h: Harness, settings: MetricsSettings): Promise<ListingResult> {
  await h.use(h.apps[0] as AppClient);
  const n = settings.listingQueues;
  const empty = await benchAccount(h, "empty");
  const full = await benchAccount(h, "full");
  await createQueues(empty.accountId, "list", 0, n);
  await createQueues(full.accountId, "list", 0, n);
  h.say(
    `W9 listing: filling ${int(n)} queues × ${int(settings.listingRows)} messages (${int(n * settings.listingRows)} rows)`,
  );
  let t = performance.now();
  const { rows: ids } = await h.pool.query<{ id: string }>(
    "SELECT id::text FROM queue WHERE account_id = $1 ORDER BY id",
    [full.accountId],
  );
  const client = await h.pool.connect();
  try {
    // One statement per 100 queues, each row 16 bytes of body; no statement timeout for these.
    await client.query("SET statement_timeout = 0");
    for (let i = 0; i < ids.length; i += 100) {
      await client.query(
        `INSERT INTO message (queue_id, body, visible_at)
         SELECT q.id, 'w9 listing probe', now() FROM unnest($1::bigint[]) AS q(id) CROSS JOIN generate_series(1, $2)`,
        [ids.slice(i, i + 100).map((r) => r.id), settings.listingRows],
      );
    }
    const fillSeconds = (performance.now() - t) / 1000;
    h.say(`  filled in ${fillSeconds.toFixed(0)} s; VACUUM ANALYZE and the stats worker's recount`);
    await client.query("VACUUM ANALYZE message");
    t = performance.now();
    await refreshQueueStats(client, 1);
    await markQueuesCounted(client);
    const recountSeconds = (performance.now() - t) / 1000;
    await client.query("RESET statement_timeout");
    h.say(`  recounted in ${recountSeconds.toFixed(1)} s`);

    const cells: ListingCell[] = [];
    for (const account of ["empty", "full"] as const)
      for (const order of ["createdAt", "backlog"] as const) cells.push({ account, order, totalsMs: [], slowestMs: 0 });
    // Round 0 warms up; rounds alternate which account goes first.
    for (let round = 0; round <= settings.listingRounds; round++) {
      const accounts =
        round % 2
          ? ([
              ["full", full],
              ["empty", empty],
            ] as const)
          : ([
              ["empty", empty],
              ["full", full],
            ] as const);
      for (const [label, account] of accounts)
        for (const order of ["createdAt", "backlog"] as const) {
          const pages: number[] = [];
          for (let offset = 0; offset < n; offset += 100) {
            const started = performance.now();
            const res = await account.client.get(
              `/api/v1/queues?offset=${offset}&limit=100${order === "backlog" ? "&sort=backlog" : ""}`,
            );
            pages.push(performance.now() - started);
            const got = (res.json as { queues?: unknown[] } | null)?.queues?.length;
            if (res.status !== 200 || got !== Math.min(100, n - offset))
              throw new Error(`listing ${label} at ${offset}: ${describeResponse(res)}, ${got} queues`);
          }
          if (round === 0) continue;
          const cell = cells.find((c) => c.account === label && c.order === order) as ListingCell;
          cell.totalsMs.push(pages.reduce((a, b) => a + b, 0));
          cell.slowestMs = Math.max(cell.slowestMs, ...pages);
        }
    }
    for (const c of cells)
      h.say(
        `  W9 list ${int(n)} ${c.account} queues (${c.order}): ${median(c.totalsMs).toFixed(0)} ms for ${Math.ceil(n / 100)} pages (median of ${c.totalsMs.length}), slowest page ${c.slowestMs.toFixed(0)} ms`,
      );
    return { queues: n, rowsPerQueue: settings.listingRows, fillSeconds, recountSeconds, cells };
  } finally {
    client.release();
    empty.client.close();
    full.client.close();
    await h.truncate();
  }
}

function report(h: Harness, label: string, r: CellResult) {
  const pg = r.usage.cpu.postgres;
  h.say(
    `  ${label}: ${int(r.msgsPerSec)} msgs/s, op p50 ${(r.latency.op?.p50 ?? 0).toFixed(1)} ms, ` +
      `pg ${pg === null || r.messages === 0 ? "–" : ((1000 * pg) / r.messages).toFixed(3)} s/1k msgs, ${r.errors} errors`,
  );
  for (const sample of r.errorSamples) h.say(`    ${sample}`);
}

export type MetricsSummary = {
  runs: number;
  on: { msgsPerSec: number; pgCpuPer1k: number | null; appCpuPer1k: number | null };
  off: { msgsPerSec: number; pgCpuPer1k: number | null; appCpuPer1k: number | null };
  /** Medians of the per-run ratios on ÷ off: throughput (max cells) and Postgres CPU/msg (fixed-rate cells). */
  throughputRatio: number | null;
  pgCpuRatio: number | null;
  appCpuRatio: number | null;
  /**
   * Every run had a fixed-rate cell that fell behind (op p50 above 100 ms, as W8's behindP50Ms):
   * requests queued and coalesced, so costs are of another regime and the cost goal is not judged.
   */
  isBehind: boolean;
  /** Runs left out because one of their fixed-rate cells fell behind. */
  droppedRuns: number[];
};

const per1k = (v: number | null, n: number) => (v === null || n <= 0 ? null : (1000 * v) / n);

export function summarizeMetrics(result: MetricsResult | null): MetricsSummary | null {
  const all = result?.cost ?? [];
  if (all.length === 0) return null;
  // As W8: a run whose fixed-rate cell fell behind is left out, unless every run did.
  const dropped = [...new Set(all.filter(isBehind).map((c) => c.run))].sort((a, b) => a - b);
  const kept = all.filter((c) => !dropped.includes(c.run));
  const cells = kept.length ? kept : all;
  const runs = [...new Set(cells.map((c) => c.run))];
  const of = (mode: MetricsMode) => cells.filter((c) => c.mode === mode);
  const figures = (mode: MetricsMode) => {
    const mine = of(mode);
    const costCells = mine.map((c) => c.fixed ?? c.max);
    const middle = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? median(v) : null;
    };
    return {
      msgsPerSec: median(mine.map((c) => c.max.msgsPerSec)),
      pgCpuPer1k: middle(costCells.map((c) => per1k(c.usage.cpu.postgres, c.messages))),
      appCpuPer1k: middle(costCells.map((c) => per1k(c.usage.cpu.server, c.messages))),
    };
  };
  const ratio = (pick: (c: MetricsCostCell) => number | null) => {
    const rs = runs
      .map((run) => {
        const a = cells.find((c) => c.run === run && c.mode === "on");
        const b = cells.find((c) => c.run === run && c.mode === "off");
        const x = a ? pick(a) : null;
        const y = b ? pick(b) : null;
        return x !== null && y ? x / y : null;
      })
      .filter((r): r is number => r !== null);
    return rs.length ? median(rs) : null;
  };
  const cost = (c: MetricsCostCell) => c.fixed ?? c.max;
  return {
    runs: runs.length,
    on: figures("on"),
    off: figures("off"),
    throughputRatio: ratio((c) => c.max.msgsPerSec),
    pgCpuRatio: ratio((c) => per1k(cost(c).usage.cpu.postgres, cost(c).messages)),
    appCpuRatio: ratio((c) => per1k(cost(c).usage.cpu.server, cost(c).messages)),
    isBehind: kept.length === 0,
    droppedRuns: kept.length ? dropped : [],
  };
}

const isBehind = (c: MetricsCostCell) => (c.fixed?.latency.op?.p50 ?? 0) > 100;

/** Median total of a listing cell. */
export const listingMs = (listing: ListingResult, account: ListingCell["account"], order: ListingCell["order"]) =>
  median(listing.cells.find((c) => c.account === account && c.order === order)?.totalsMs ?? []);

/** "; counting N ns a request = P% of the on front's app CPU per request", when both are known. */
function countingShare(result: MetricsResult | null, appCpuPerRequest: number | null): string {
  const ns = result?.hotPath?.nsPerRequest;
  if (ns === undefined) return "";
  const share = appCpuPerRequest
    ? ` = ${((100 * ns) / (appCpuPerRequest * 1e9)).toFixed(2)}% of the app CPU a request`
    : "";
  return `; in-memory counting ${ns.toFixed(0)} ns a request${share}`;
}

const x = (n: number | null) => (n === null ? "?" : `${n.toFixed(2)}×`);
const h2 = (rate: number) => int(rate * 16);
const msText = (n: number) => `${n.toFixed(0)} ms`;

/** W9's goals (bench/goals.ts adds them): pass null = not judged. */
export function metricsGoals(
  result: MetricsResult | null,
): { id: string; goal: string; measured: string | null; pass: boolean | null }[] {
  const goals: { id: string; goal: string; measured: string | null; pass: boolean | null }[] = [];
  const s = summarizeMetrics(result);
  const costGoal = "W9 REST send 16 + receive 16 + delete 16: metrics on costs ≤ 5% (throughput and PG CPU/msg)";
  const side = summarizeSideBySide(result?.sideBySide ?? []);
  const alternated = s
    ? `alternated cells: throughput ${x(s.throughputRatio)}, PG CPU/msg ${x(s.pgCpuRatio)}, app CPU/msg ${x(s.appCpuRatio)} (medians of ${s.runs} pair(s))`
    : null;
  if (side && side.throughputRatio !== null && side.pgCpuRatio !== null) {
    const range = (r: [number, number] | null) => (r ? `${r[0].toFixed(2)}–${r[1].toFixed(2)}` : "?");
    goals.push({
      id: "metrics-cost W9",
      goal: costGoal,
      measured:
        `side by side, medians of ${side.runs} run(s): throughput on ÷ off ${x(side.throughputRatio)} (runs ${range(side.spread.throughput)}), ` +
        `PG backend CPU/msg ${x(side.pgCpuRatio)} (${range(side.spread.pgCpu)}), app CPU/msg ${x(side.appCpuRatio)} (${range(side.spread.appCpu)}) ` +
        `@${int((result?.rate ?? 0) * 16)} msgs/s each${countingShare(result, side.onAppCpuPerRequest)}${alternated ? `; ${alternated}` : ""}`,
      pass: 1 / side.throughputRatio <= 1.05 && side.pgCpuRatio <= 1.05,
    });
  } else if (!s || s.throughputRatio === null)
    goals.push({ id: "metrics-cost W9", goal: costGoal, measured: null, pass: null });
  else {
    const slower = 1 / s.throughputRatio;
    goals.push({
      id: "metrics-cost W9",
      goal: costGoal,
      measured:
        `${s.isBehind ? "not judged: every run fell behind the fixed rate; " : ""}throughput on ÷ off ${x(s.throughputRatio)} ` +
        `(${int(s.on.msgsPerSec)} vs ${int(s.off.msgsPerSec)} msgs/s), PG CPU/msg ${x(s.pgCpuRatio)} ` +
        `(${s.on.pgCpuPer1k?.toFixed(3) ?? "?"} vs ${s.off.pgCpuPer1k?.toFixed(3) ?? "?"} s/1k @${int((result?.rate ?? 0) * 16)} msgs/s), ` +
        `app CPU/msg ${x(s.appCpuRatio)}; medians of ${s.runs} paired run(s)` +
        `${s.droppedRuns.length ? `; run ${s.droppedRuns.join(", ")} left out, behind the fixed rate` : ""}`,
      pass: s.isBehind || s.pgCpuRatio === null ? null : slower <= 1.05 && s.pgCpuRatio <= 1.05,
    });
  }
  const scrape = (queues: number) => result?.scrape.find((c) => c.queues === queues && c.encoding === "gzip");
  const big = scrape(10_000);
  const small = scrape(1000);
  goals.push({
    id: "metrics-scrape W9",
    goal: "W9 GET /metrics of 10,000 queues (gzip, as Prometheus asks) p50 < 500 ms",
    measured: big
      ? `p50 ${msText(big.latency.p50)}, p99 ${msText(big.latency.p99)} (${size(big.bytes)} gzipped, ${int(big.lines)} lines; CPU a scrape: app ${msText(big.appCpuMs ?? 0)}, PostgreSQL ${msText(big.pgCpuMs ?? 0)})`
      : null,
    pass: big ? big.latency.p50 < 500 : null,
  });
  // CPU rather than wall time: on a busy machine a 1 s request waits for the cores far more than a 50 ms one.
  const cpuOf = (c: ScrapeCell | undefined) =>
    c && c.appCpuMs !== null && c.pgCpuMs !== null ? c.appCpuMs + c.pgCpuMs : null;
  const bigCpu = cpuOf(big);
  const smallCpu = cpuOf(small);
  const perQueue = bigCpu !== null && smallCpu ? bigCpu / 10_000 / (smallCpu / 1000) : null;
  goals.push({
    id: "metrics-scrape-flat W9",
    goal: "W9 GET /metrics: cost per queue flat from 1,000 to 10,000 queues (app + PG CPU per queue ≤ 1.5×)",
    measured:
      perQueue === null || !big || !small
        ? null
        : `${x(perQueue)} (${msText(smallCpu ?? 0)} CPU a scrape of 1,000, ${msText(bigCpu ?? 0)} of 10,000; p50 ${msText(small.latency.p50)} and ${msText(big.latency.p50)})`,
    pass: perQueue === null ? null : perQueue <= 1.5,
  });
  const listing = result?.listing;
  const listGoal = "W9 listing 1,000 queues holding messages ≤ 1.25× the time of 1,000 empty ones (10 pages of 100)";
  if (!listing) goals.push({ id: "metrics-listing W9", goal: listGoal, measured: null, pass: null });
  else {
    const ratios = (["createdAt", "backlog"] as const).map(
      (order) => listingMs(listing, "full", order) / listingMs(listing, "empty", order),
    );
    goals.push({
      id: "metrics-listing W9",
      goal: listGoal,
      measured:
        `${int(listing.rowsPerQueue)} messages a queue: default order ${x(ratios[0] ?? null)} ` +
        `(${msText(listingMs(listing, "full", "createdAt"))} vs ${msText(listingMs(listing, "empty", "createdAt"))}), ` +
        `by backlog ${x(ratios[1] ?? null)} (${msText(listingMs(listing, "full", "backlog"))} vs ${msText(listingMs(listing, "empty", "backlog"))})`,
      pass: ratios.every((r) => r <= 1.25),
    });
  }
  return goals;
}

export type MetricsRow = {
  workload: string;
  path: string;
  durability: string;
  rate?: string;
  p50?: string;
  p99?: string;
  costs?: { app: number | null; pg: number | null };
  notes: string;
};

/** W9's rows of the main table (bench/report.ts draws them). */
export function metricsRowsOf(result: MetricsResult | null, durability: string): MetricsRow[] {
  if (!result) return [];
  const rows: MetricsRow[] = [];
  const s = summarizeMetrics(result);
  for (const mode of ["on", "off"] as const) {
    if (!s) break;
    const f = s[mode];
    const fixed = result.cost.filter((c) => c.mode === mode && c.fixed).map((c) => c.fixed as CellResult);
    // Everything else on the machine during this mode's max cells: where it differs, so may msgs/s.
    const others = result.cost
      .filter((c) => c.mode === mode && c.max.usage.cpu.other !== null)
      .map((c) => (c.max.usage.cpu.other as number) / (c.max.usage.seconds || 1));
    rows.push({
      workload: mode === "on" ? "W9 send 16 + receive 16 + delete 16" : "",
      path: `REST, OPENCMQ_METRICS=${mode}`,
      durability,
      rate: int(f.msgsPerSec),
      p50: fixed.length ? median(fixed.map((c) => c.latency.op?.p50 ?? 0)).toFixed(1) : "",
      p99: fixed.length ? median(fixed.map((c) => c.latency.op?.p99 ?? 0)).toFixed(1) : "",
      costs: { app: f.appCpuPer1k, pg: f.pgCpuPer1k },
      notes:
        mode === "on"
          ? `× off: msgs/s ${x(s.throughputRatio)}, PG CPU/msg ${x(s.pgCpuRatio)}, app CPU/msg ${x(s.appCpuRatio)}; medians of ${s.runs} paired run(s), costs @${int(result.rate * 16)} msgs/s; other cores in max cells ${others.map((o) => o.toFixed(2)).join(", ")}`
          : `a second front of the same build; cells alternated with the on front's; other cores in max cells ${others.map((o) => o.toFixed(2)).join(", ")}`,
    });
  }
  const side = summarizeSideBySide(result.sideBySide);
  for (const mode of ["on", "off"] as const) {
    if (!side) break;
    const mine = result.sideBySide.map((c) => ({ shape: c.shape, s: c[mode] }));
    const max = mine.filter((m) => m.shape === "max").map((m) => m.s.msgsPerSec);
    const fixed = mine.filter((m) => m.shape === "fixed").map((m) => m.s);
    const cost = (pick: (s: (typeof fixed)[number]) => number | null) => {
      const v = fixed.map((f) => (pick(f) === null || !f.messages ? null : (1000 * (pick(f) as number)) / f.messages));
      const known = v.filter((n): n is number => n !== null);
      return known.length ? median(known) : null;
    };
    rows.push({
      workload: mode === "on" ? "W9 the same, both fronts at once" : "",
      path: `REST, OPENCMQ_METRICS=${mode}`,
      durability,
      rate: int(median(max)),
      p50: median(fixed.map((f) => f.opP50)).toFixed(1),
      costs: { app: cost((f) => f.appCpu), pg: cost((f) => f.pgCpu) },
      notes:
        mode === "on"
          ? `× off: msgs/s ${x(side.throughputRatio)}, PG backend CPU/msg ${x(side.pgCpuRatio)}, app CPU/msg ${x(side.appCpuRatio)}; medians of ${side.runs} run(s), ${h2(result.rate)} msgs/s each in the fixed cells; PG column: this front's backends only`
          : "loaded at the same time as the on front, each with half the callers (max) or the same rate (fixed)",
    });
  }
  for (const c of result.scrape)
    rows.push({
      workload: c === result.scrape[0] ? "W9 GET /metrics (API key)" : "",
      path: `${int(c.queues)} queues, ${c.encoding}`,
      durability: "–",
      p50: c.latency.p50.toFixed(0),
      p99: c.latency.p99.toFixed(0),
      costs: { app: c.appCpuMs === null ? null : c.appCpuMs / 1000, pg: c.pgCpuMs === null ? null : c.pgCpuMs / 1000 },
      notes: `${size(c.bytes)} answered, ${int(c.lines)} lines; ${c.latency.count} sequential requests; CPU columns: seconds a scrape`,
    });
  const l = result.listing;
  for (const c of l?.cells ?? [])
    rows.push({
      workload: c === l?.cells[0] ? `W9 list ${int(l.queues)} queues, 10 pages of 100` : "",
      path: `REST, ${c.account === "empty" ? "empty queues" : `${int(l?.rowsPerQueue ?? 0)} msgs each`}, ${c.order === "backlog" ? "by backlog" : "default order"}`,
      durability: "–",
      p50: median(c.totalsMs).toFixed(0),
      p99: c.slowestMs.toFixed(0),
      notes:
        `all pages: median total of ${c.totalsMs.length} rounds (p99 column: slowest page)` +
        (c === l?.cells[0] ? `; fill ${l?.fillSeconds.toFixed(0)} s, recount ${l?.recountSeconds.toFixed(1)} s` : ""),
    });
  for (const note of result.notes) rows.push({ workload: "W9", path: "", durability: "", notes: note });
  return rows;
}
