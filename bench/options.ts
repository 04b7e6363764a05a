import { parseArgs } from "node:util";
import type { PathId } from "./paths";

// Command-line options and the three presets: full (default, ~40 min), --quick (~8 min once
// built), --smoke (CI: W1 and W2, REST and floor only, ~30 s, exits non-zero on a gross regression).

/** The bench's own build folder: made again whenever the sources change (bench/server.ts). */
export const benchDistDir = ".next-bench";

export const workloadIds = ["W1", "W2", "W3", "W3s", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11"] as const;
export type WorkloadId = (typeof workloadIds)[number];
const allPaths: PathId[] = ["rest", "cmq", "next", "next-cmq", "bare", "node", "floor", "pgboss"];

export const usage = `Usage: npm run bench -- [options]
  --quick                 everything, scaled down: 7–9 minutes once the builds exist
  --smoke                 CI check: W1 and W2, REST and floor, a few seconds each; exits 1 when the
                          REST/floor ratio is below half of bench/baseline.json's
  --only <ids>            workloads, comma-separated: ${workloadIds.join(",")} (W3s = W3's 60 s stability drain)
  --paths <ids>           paths for W1–W3: ${allPaths.join(",")}
                          (next, next-cmq: the same app build under plain \`next start\`; W4 also runs on it when next is listed)
  --processes <list>      app processes of the front (OPENCMQ_PROCESSES), one front per count: the app's
                          cells and W4–W6 run on each (full and quick 1,2; smoke 1); W3s and W7 on the first
  --duration <s>          closed-loop (max rate) seconds per W1–W3 cell (full 12, quick 1.5)
  --warmup <s>            unmeasured seconds before each closed-loop cell (full 3, quick 0.5)
  --open-duration <s>     open-loop (fixed rate) seconds per W1–W3 cell, 0 = none (full 8, quick 1; quick drains have none)
  --connections <n>       concurrent HTTP connections / in-process callers (default 32)
  --runs <n>              repeat the W1–W3 cells n times, report medians (default 1)
  --prefill <n>           backlog of a drain-16 cell; drain-1 gets a quarter (full 400000, quick 50000)
  --stability-backlog <n> W3s backlog (full 1000000, quick 100000); --stability-seconds <s> (full 60, quick 4)
  --w4-queues <list>      W4 queue counts (full 1,10,100; quick 10); --w4-rates <list> msgs/s steps
                          (full 1000,2000,2500,3000,4000; quick 1000,2500); --w4-seconds <s> per step (full 10, quick 2)
  --w5-receivers <n>      W5 waiting receivers (full 100, quick 20); --w5-samples <n> (full 100, quick 20)
  --w6-seconds <s>        W6 window per phase (full 10, quick 1.5)
  --w7-messages <n>       W7 backlog (full 1000000, quick 100000); --w7-requests <n> per variant (full 50, quick 10)
  --w7-large-messages <n> W7's 64 KiB-body backlog (full 1000000, quick 50000; 0 = leave the variant out)
  --w8-seconds <s>        W8 (rewind/DLQ on the hot path) seconds per fixed-rate cell (full 8, quick 3); its max
                          cells last --duration; --runs repeats W8's four cells too, alternated
  --w9-seconds <s>        W9 (metrics on vs off) seconds per cell (full 10, quick 4); --runs repeats the pair, alternated
  --w9-pairs <n>          W9's side-by-side runs: both fronts loaded at once, max + fixed rate (full 9, quick 5)
  --w9-rate <n>           W9's fixed rate in ops/s, 16 messages each (default 50 = 800 msgs/s)
  --w9-rows <n>           W9's listing: messages in each of 1,000 queues (full 12000; quick/smoke 0 = no listing)
  --w9-scrape <list>      W9's GET /metrics queue counts (1000,10000; quick 1000,10000)
  --metrics-off-port <n>  the second front W9 runs with OPENCMQ_METRICS=off (port+9)
  --w10-seconds <s>       W10 (publish fan-out: plain send vs publish to 1, 10, 100 queues) seconds per cell
                          (full 10, quick 2); W11 (HTTP push) publishes that long per cell too
  --pool <n>              pg pool of the app, the bare route, the floor and pg-boss (default OPENCMQ_POOL_SIZE or 10)
  --sync-commit off       run with synchronous_commit off (durability column says "async")
  --no-statements         don't load pg_stat_statements (statement counts fall back to transactions)
  --write-baseline        write bench/baseline.json (the smoke check's reference) from this run
  --port <n>              the app's port (3300); the other servers default to the next ports:
                          --bare-port (port+1), --next-port (port+2), --node-port (port+3), fronts with the
                          further --processes counts port+4, port+5, …; --pg-port (54350)
  --dist-dir <dir>        the app's build folder (.next-bench); --rebuild builds the app and the bare route again
  --cpu-prof              V8 CPU profiles of the app and bare servers (bench/results/tmp/prof-*); summarise one with
                          npx tsx bench/cpuprofile.ts <file>`;

const list = (s: string) =>
  s
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

export function parseOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      paths: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "open-duration": { type: "string" },
      connections: { type: "string", default: "32" },
      runs: { type: "string", default: "1" },
      prefill: { type: "string" },
      "stability-backlog": { type: "string" },
      "stability-seconds": { type: "string" },
      "w4-queues": { type: "string" },
      "w4-rates": { type: "string" },
      "w4-seconds": { type: "string" },
      "w5-receivers": { type: "string" },
      "w5-samples": { type: "string" },
      "w6-seconds": { type: "string" },
      "w7-messages": { type: "string" },
      "w7-requests": { type: "string" },
      "w7-large-messages": { type: "string" },
      "w8-seconds": { type: "string" },
      "w9-seconds": { type: "string" },
      "w9-rate": { type: "string" },
      "w9-pairs": { type: "string" },
      "w9-rows": { type: "string" },
      "w9-scrape": { type: "string" },
      "metrics-off-port": { type: "string" },
      "w10-seconds": { type: "string" },
      pool: { type: "string" },
      "sync-commit": { type: "string", default: "on" },
      "no-statements": { type: "boolean", default: false },
      "write-baseline": { type: "boolean", default: false },
      processes: { type: "string" },
      port: { type: "string", default: "3300" },
      "bare-port": { type: "string" },
      "next-port": { type: "string" },
      "node-port": { type: "string" },
      "pg-port": { type: "string", default: "54350" },
      "dist-dir": { type: "string", default: benchDistDir },
      rebuild: { type: "boolean", default: false },
      "cpu-prof": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const mode: "full" | "quick" | "smoke" = values.smoke ? "smoke" : values.quick ? "quick" : "full";
  const pick = <T>(full: T, quick: T, smoke: T = quick) => (mode === "full" ? full : mode === "quick" ? quick : smoke);
  const num = (name: string, value: string | undefined, fallback: number, allowZero = false) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero))
      throw new Error(`--${name} must be a positive number\n${usage}`);
    return n;
  };
  const nums = (name: string, value: string | undefined, fallback: number[]) =>
    value === undefined ? fallback : list(value).map((v) => num(name, v, 0));

  const only = values.only ? list(values.only) : pick([...workloadIds], [...workloadIds], ["W1", "W2"]);
  const unknown = only.filter((id) => !(workloadIds as readonly string[]).includes(id));
  if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(", ")}\n${usage}`);
  const paths = (values.paths ? list(values.paths) : pick(allPaths, allPaths, ["rest", "floor"])) as PathId[];
  const badPaths = paths.filter((p) => !allPaths.includes(p));
  if (badPaths.length) throw new Error(`unknown path(s) ${badPaths.join(", ")}\n${usage}`);
  if (values["sync-commit"] !== "on" && values["sync-commit"] !== "off") throw new Error("--sync-commit is on or off");
  const workloads = only as WorkloadId[];
  const sendWorkloads = workloads.filter((w) => w === "W1" || w === "W2");
  const processes = [...new Set(nums("processes", values.processes, pick([1, 2], [1, 2], [1])).map(Math.round))];
  if (processes.length === 0 || processes.some((n) => n < 1)) throw new Error(`--processes: counts ≥ 1\n${usage}`);
  const port = num("port", values.port, 3300);

  return {
    mode,
    workloads,
    paths,
    connections: Math.round(num("connections", values.connections, 32)),
    runs: Math.round(num("runs", values.runs, 1)),
    pool: Math.round(num("pool", values.pool ?? process.env.OPENCMQ_POOL_SIZE, 10)),
    serverWarmupSeconds: pick(10, 6, 8),
    throughput: {
      durationMs: 1000 * num("duration", values.duration, pick(12, 1.5, 3)),
      warmupMs: 1000 * num("warmup", values.warmup, pick(3, 0.5, 1.5), true),
      openDurationMs: 1000 * num("open-duration", values["open-duration"], pick(8, 1, 0), true),
      openWarmupMs: pick(2000, 500, 0),
      /** Open-loop cells for the drains too (quick mode leaves them out to stay under 2 minutes). */
      isDrainOpen: pick(true, false, false),
      prefill: Math.round(num("prefill", values.prefill, pick(400_000, 50_000))),
    },
    stability: {
      backlog: Math.round(num("stability-backlog", values["stability-backlog"], pick(1_000_000, 100_000))),
      durationMs: 1000 * num("stability-seconds", values["stability-seconds"], pick(60, 4)),
      warmupMs: pick(2000, 500),
    },
    mixed: {
      queues: nums("w4-queues", values["w4-queues"], pick([1, 10, 100], [10])),
      rates: nums("w4-rates", values["w4-rates"], pick([1000, 2000, 2500, 3000, 4000], [1000, 2500])),
      durationMs: 1000 * num("w4-seconds", values["w4-seconds"], pick(10, 2)),
      warmupMs: pick(2000, 500),
    },
    wakeup: {
      receivers: Math.round(num("w5-receivers", values["w5-receivers"], pick(100, 20))),
      samples: Math.round(num("w5-samples", values["w5-samples"], pick(100, 20))),
      intervalMs: pick(100, 50),
    },
    idle: {
      queues: 100,
      settleMs: pick(3000, 1000),
      durationMs: 1000 * num("w6-seconds", values["w6-seconds"], pick(10, 1.5)),
      phases: pick<{ api: "rest" | "cmq"; waiters: number }[]>(
        [
          { api: "rest", waiters: 0 },
          { api: "rest", waiters: 100 },
          { api: "rest", waiters: 1000 },
          { api: "cmq", waiters: 1000 },
        ],
        [
          { api: "rest", waiters: 100 },
          { api: "rest", waiters: 1000 },
        ],
      ),
    },
    peek: {
      messages: Math.round(num("w7-messages", values["w7-messages"], pick(1_000_000, 100_000))),
      requests: Math.round(num("w7-requests", values["w7-requests"], pick(50, 10))),
      capMs: pick(30_000, 4000),
    },
    /** W7 again with 64 KiB bodies (issue 10): the same requests and cap. */
    peekLarge: {
      messages: Math.round(num("w7-large-messages", values["w7-large-messages"], pick(1_000_000, 50_000), true)),
      bodyBytes: 65_536,
    },
    /** W8: W3.1's rate and connections; a backlog that outlasts both cells of a queue. */
    hotPath: {
      rate: 200,
      warmupMs: 1000 * num("warmup", values.warmup, pick(3, 0.5, 1.5), true),
      durationMs: 1000 * num("duration", values.duration, pick(12, 2, 3)),
      openWarmupMs: pick(2000, 500),
      openDurationMs: 1000 * num("w8-seconds", values["w8-seconds"], pick(8, 3), true),
      backlog: pick(20_000, 5000),
    },
    /** W9: metrics on vs off, /metrics with many queues, listing full vs empty queues (issue 12). */
    metrics: {
      runs: Math.max(Math.round(num("runs", values.runs, 1)), pick(3, 2)),
      sideBySideRuns: Math.round(num("w9-pairs", values["w9-pairs"], pick(9, 5))),
      warmupMs: pick(3000, 1000),
      durationMs: 1000 * num("w9-seconds", values["w9-seconds"], pick(10, 4)),
      openWarmupMs: pick(2000, 1000),
      openDurationMs: 1000 * num("w9-seconds", values["w9-seconds"], pick(10, 4)),
      rate: num("w9-rate", values["w9-rate"], 50),
      scrapeQueues: nums("w9-scrape", values["w9-scrape"], [1000, 10_000]).sort((a, b) => a - b),
      scrapeRequests: pick(20, 5),
      listingRows: Math.round(num("w9-rows", values["w9-rows"], pick(12_000, 0), true)),
      listingQueues: 1000,
      listingRounds: pick(3, 2),
    },
    metricsOffPort: num("metrics-off-port", values["metrics-off-port"], port + 9),
    /** W10 publish fan-out and W11 HTTP push (issue 11; bench/workloads/topics.ts). */
    topics: {
      warmupMs: pick(2000, 500),
      durationMs: 1000 * num("w10-seconds", values["w10-seconds"], pick(10, 2)),
      fanOuts: [1, 10, 100],
      // Below the push worker's rate on a quiet machine, so the latency is the path's, not a queue's.
      pushRate: pick(50, 25),
      pushSubscriptions: 4,
      pushSeconds: num("w10-seconds", values["w10-seconds"], pick(10, 2)),
    },
    synchronousCommit: values["sync-commit"] as "on" | "off",
    withStatements: !values["no-statements"],
    isWriteBaseline: values["write-baseline"],
    processes,
    port,
    barePort: num("bare-port", values["bare-port"], port + 1),
    nextPort: num("next-port", values["next-port"], port + 2),
    nodePort: num("node-port", values["node-port"], port + 3),
    /** Ports of the fronts for processes[1…]. */
    morePorts: processes.slice(1).map((_, i) => port + 4 + i),
    pgPort: num("pg-port", values["pg-port"], 54350),
    distDir: values["dist-dir"],
    isRebuild: values.rebuild,
    isCpuProf: values["cpu-prof"],
    /** The bare routes are needed only when W1 or W2 runs their path. */
    needsBare: sendWorkloads.length > 0 && paths.includes("bare"),
    needsNode: sendWorkloads.length > 0 && paths.includes("node"),
    /** `next start` beside the front: for the next paths of W1–W3, and for W4 when next is listed. */
    needsNext:
      (paths.includes("next") && workloads.some((w) => ["W1", "W2", "W3", "W4"].includes(w))) ||
      (paths.includes("next-cmq") && workloads.some((w) => ["W1", "W2", "W3"].includes(w))),
  };
}

export type Options = ReturnType<typeof parseOptions>;
