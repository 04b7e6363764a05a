// `npm run bench [-- options]`: REST throughput and latency of send, batch send and drain, each
// beside a floor measured in the same run — the app's own SQL through `pg`, without HTTP.
// See bench/README.md for what the numbers mean.
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getPool } from "@/lib/db/pool";
import { createCellContext } from "./context";
import { createHttpClient } from "./http";
import { type Progress, runClosedLoop } from "./loop";
import { type MeasuredCell, renderMarkdown, renderText, summarize } from "./report";
import { type BenchServer, startBenchServer } from "./server";
import { warmUpServer } from "./warmup";
import { drainWorkload } from "./workloads/drain";
import { sendWorkload } from "./workloads/send";
import type { Path, Workload } from "./workloads/types";

const usage = `Usage: npm run bench -- [options]
  --quick             a few seconds per cell (whole run under ~2 minutes)
  --duration <s>      measured seconds per cell (default 15; quick 3)
  --warmup <s>        unmeasured seconds before each cell (default 3; quick 1)
  --connections <n>   concurrent HTTP connections / SQL callers (default 32)
  --runs <n>          repeat every cell n times and report medians (default 1)
  --prefill <n>       backlog for the drain-16 cells; drain-1 gets a quarter (default 400000; quick 100000)
  --only <ids>        comma-separated subset of: send,batch16,drain16,drain1
  --pool <n>          pg pool size of the server and of the floor (default OPENCMQ_POOL_SIZE or 10)
  --port <n>          port for next start (default 3300); --pg-port <n> (default 54350)
  --dist-dir <dir>    Next build folder (default .next-bench); --rebuild forces a fresh build`;

const workloads: Workload[] = [sendWorkload(1), sendWorkload(16), drainWorkload(16), drainWorkload(1)];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string", default: "32" },
      runs: { type: "string", default: "1" },
      prefill: { type: "string" },
      only: { type: "string" },
      pool: { type: "string" },
      port: { type: "string", default: "3300" },
      "pg-port": { type: "string", default: "54350" },
      "dist-dir": { type: "string", default: ".next-bench" },
      rebuild: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const num = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number\n${usage}`);
    return n;
  };
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((id) => !workloads.some((w) => w.id === id));
  if (unknown?.length) throw new Error(`unknown workload(s) ${unknown.join(", ")}\n${usage}`);
  return {
    isQuick: values.quick,
    duration: num("duration", values.duration, values.quick ? 3 : 15),
    warmup: values.warmup === "0" ? 0 : num("warmup", values.warmup, values.quick ? 1 : 3),
    connections: Math.round(num("connections", values.connections, 32)),
    runs: Math.round(num("runs", values.runs, 1)),
    prefill: Math.round(num("prefill", values.prefill, values.quick ? 100_000 : 400_000)),
    pool: Math.round(num("pool", values.pool ?? process.env.OPENCMQ_POOL_SIZE, 10)),
    port: num("port", values.port, 3300),
    pgPort: num("pg-port", values["pg-port"], 54350),
    distDir: values["dist-dir"],
    isRebuild: values.rebuild,
    workloads: workloads.filter((w) => !only || only.includes(w.id)),
  };
}

type Options = ReturnType<typeof parseOptions>;

const say = (line: string) => console.log(`[bench] ${line}`);
const int = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const options = parseOptions();
  const started = Date.now();
  // The server and the floor use the same pool size, so the floor is the app's SQL as the app runs it.
  process.env.OPENCMQ_POOL_SIZE = String(options.pool);
  const cells = options.workloads.length * 2 * options.runs;
  say(
    `${cells} cells × (${options.warmup} s warm-up + ${options.duration} s), ${options.connections} connections, ` +
      `pool ${options.pool}${options.isQuick ? ", quick" : ""}`,
  );

  const server = await startBenchServer({
    dataDir: path.join(".data", "bench"),
    pgPort: options.pgPort,
    appPort: options.port,
    distDir: options.distDir,
    isRebuild: options.isRebuild,
    logDir: path.join("bench", "results", "tmp"),
    say,
  });
  const stopAll = async () => {
    await server.stop().catch((error) => say(`clean-up failed: ${String(error)}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping the server and PostgreSQL`);
      void stopAll().then(() => process.exit(130));
    });
  }

  try {
    const measured = await runCells(options, server);
    const environment = await describeEnvironment(options);
    const summaries = summarize(measured);
    console.log(`\n${renderText(summaries)}\n`);
    const base = path.join("bench", "results", resultName(environment, options.isQuick));
    mkdirSync(path.dirname(base), { recursive: true });
    writeFileSync(`${base}.md`, renderMarkdown(summaries, environment));
    writeFileSync(`${base}.json`, `${JSON.stringify({ environment, summaries, cells: measured }, null, 2)}\n`);
    say(`wrote ${base}.md and ${base}.json (${Math.round((Date.now() - started) / 1000)} s in all)`);
  } finally {
    await stopAll();
  }
}

async function runCells(options: Options, server: BenchServer): Promise<MeasuredCell[]> {
  const http = createHttpClient({
    baseUrl: server.baseUrl,
    connections: options.connections,
    basicAuth: { user: server.secretId, password: server.secretKey },
  });
  const pool = getPool();
  const ctx = createCellContext({ http, prefill: options.prefill, say });
  const isTty = process.stdout.isTTY;
  const measured: MeasuredCell[] = [];
  try {
    const serverWarmup = options.isQuick ? 5 : 10;
    say(`warming up the server: ${serverWarmup} s of send, receive and delete on every route`);
    await warmUpServer(ctx, serverWarmup, options.connections);
    for (let run = 1; run <= options.runs; run++) {
      for (const workload of options.workloads) {
        for (const path of ["rest", "floor"] as Path[]) {
          const label = `${workload.id} ${path === "rest" ? "REST" : "floor"}${options.runs > 1 ? ` run ${run}` : ""}`;
          say(`${label}: ${workload.title}`);
          // Every cell starts from an empty, vacuumed table and a fresh checkpoint (performance.md §4.5).
          await pool.query("TRUNCATE message");
          const op = await workload.prepare(ctx, path, `${workload.id}-${path}-${run}`);
          await pool.query("VACUUM ANALYZE message");
          await pool.query("CHECKPOINT");
          const onProgress = (p: Progress) => {
            const text = `  ${label} ${p.phase} ${p.elapsed.toFixed(0).padStart(3)} s  ${int(p.msgsPerSec).padStart(7)} msgs/s`;
            if (isTty) process.stdout.write(`\r${text}   `);
            else console.log(text);
          };
          const result = await runClosedLoop({
            concurrency: options.connections,
            warmupMs: options.warmup * 1000,
            durationMs: options.duration * 1000,
            op,
            pids: server.pids,
            onProgress,
            progressEveryMs: isTty ? 500 : Math.max(1000, Math.round((options.duration + options.warmup) * 334)),
          });
          if (isTty) process.stdout.write("\r\x1b[K");
          const op50 = result.latency.op?.p50 ?? 0;
          const op99 = result.latency.op?.p99 ?? 0;
          say(
            `  ${label}: ${int(result.msgsPerSec)} msgs/s, p50 ${op50.toFixed(1)} ms, p99 ${op99.toFixed(1)} ms, ` +
              `${result.errors} errors${result.emptiedAfter !== null ? `, queue ran dry after ${result.emptiedAfter.toFixed(1)} s` : ""}`,
          );
          for (const sample of result.errorSamples) say(`    ${sample}`);
          measured.push({ workload: workload.id, title: workload.title, path, run, result });
        }
      }
    }
  } finally {
    http.close();
  }
  return measured;
}

async function describeEnvironment(options: Options): Promise<Record<string, string>> {
  const git = (args: string) => {
    try {
      return execSync(`git ${args}`, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const setting = async (name: string) =>
    String((await getPool().query(`SELECT current_setting($1) AS v`, [name])).rows[0]?.v ?? "?");
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  const nextVersion = JSON.parse(readFileSync("node_modules/next/package.json", "utf8")).version as string;
  const now = new Date();
  return {
    date: now.toISOString(),
    commit: `${git("rev-parse --short HEAD") || "unknown"}${git("status --porcelain --untracked-files=no") ? "-dirty" : ""}`,
    machine: `${os.availableParallelism()} CPUs (${cpuModel ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    next: nextVersion,
    postgres: `${await setting("server_version")} (embedded; synchronous_commit ${await setting("synchronous_commit")}, shared_buffers ${await setting("shared_buffers")})`,
    settings: `connections ${options.connections}, pool ${options.pool}, duration ${options.duration} s, warm-up ${options.warmup} s, runs ${options.runs}, prefill ${options.prefill}, body 256 B`,
  };
}

function resultName(environment: Record<string, string>, isQuick: boolean): string {
  const date = (environment.date ?? "").slice(0, 16).replace("T", "-").replace(":", "");
  return `${date}-${environment.commit}${isQuick ? "-quick" : ""}`;
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
