import { type CellResult, median } from "./loop";
import type { Usage } from "./meter";
import { appTree, type PathId, pathLabel } from "./paths";
import type { IdlePhase } from "./workloads/idle";
import type { MetricsResult } from "./workloads/metrics";
import type { MixedResult } from "./workloads/mixed";
import type { PeekResult } from "./workloads/peek";
import type { HotPathCell } from "./workloads/rewind-dlq";
import type { StabilityResult } from "./workloads/stability";
import { type ThroughputCell, type ThroughputId, throughputSpecs } from "./workloads/throughput";
import type { TopicsResult } from "./workloads/topics";
import type { WakeupResult } from "./workloads/wakeup";

// Everything a run measured, and the per-message figures derived from it.

/** A result of W3s–W7 with the app server it ran on ("front, 2 proc", "next start"). */
export type OnApp<T> = T & { app: string };

export type RunData = {
  mode: "full" | "quick" | "smoke";
  durability: string;
  throughput: ThroughputCell[];
  stability: StabilityResult | null;
  mixed: OnApp<MixedResult>[];
  wakeup: OnApp<WakeupResult>[];
  idle: OnApp<IdlePhase>[];
  peek: PeekResult | null;
  /** W7 with 64 KiB bodies (issue 10). */
  peekLarge: PeekResult | null;
  /** W8: send + receive + delete, plain vs rewind vs DLQ vs both. */
  hotPath: HotPathCell[];
  /** W9: metrics on vs off, /metrics with many queues, listing full vs empty queues (issue 12). */
  metrics: MetricsResult | null;
  /** W10 publish fan-out and W11 HTTP push (issue 11); absent when neither ran. */
  topics?: TopicsResult | null;
  /** Workloads that threw: recorded, and the run went on. */
  failures: { workload: string; error: string }[];
};

/** Per-message costs of a window. CPU in seconds per 1,000 messages. */
export type Costs = {
  appCpuPer1k: number | null;
  /** App CPU milliseconds per request (W3: per receive + delete pair). */
  appCpuMsPerOp: number | null;
  pgCpuPer1k: number | null;
  walPerMsg: number | null;
  xactsPerMsg: number | null;
  queriesPerMsg: number | null;
  /** Busy cores: load generator (this process, minus in-process app work), app, Postgres, other. */
  cores: { gen: number; app: number | null; pg: number | null; other: number | null };
};

export function costsOf(
  usage: Usage,
  messages: number,
  app: "server" | "bare" | "node" | "loadgen",
  ops: number | null = null,
): Costs {
  const per1k = (v: number | null) => (v === null || messages === 0 ? null : (v * 1000) / messages);
  const perMsg = (v: number | null) => (v === null || messages === 0 ? null : v / messages);
  const appCpu = app === "loadgen" ? usage.cpu.loadgen : usage.cpu[app];
  const s = usage.seconds || 1;
  const perCore = (v: number | null) => (v === null ? null : v / s);
  return {
    appCpuPer1k: per1k(appCpu),
    appCpuMsPerOp: appCpu === null || !ops ? null : (1000 * appCpu) / ops,
    pgCpuPer1k: per1k(usage.cpu.postgres),
    walPerMsg: perMsg(usage.walBytes),
    xactsPerMsg: perMsg(usage.xacts),
    queriesPerMsg: perMsg(usage.queries),
    cores: {
      gen: app === "loadgen" ? 0 : usage.cpu.loadgen / s,
      app: perCore(appCpu),
      pg: perCore(usage.cpu.postgres),
      other: perCore(usage.cpu.other),
    },
  };
}

export type CellSummary = {
  runs: number;
  msgsPerSec: number;
  msgsPerSecRange: [number, number];
  opsPerSec: number;
  p50: number;
  p99: number;
  steps: Record<string, { p50: number; p99: number }>;
  errors: number;
  errorSamples: string[];
  emptiedAfter: number | null;
  costs: Costs;
  /** Open loop: scheduled messages per second. */
  targetRate: number | null;
};

export type PathSummary = {
  workload: ThroughputId;
  title: string;
  path: PathId;
  /** The front's processes (REST and CMQ through the front); null for every other path. */
  processes: number | null;
  /** The row's label: the path and, for the front, its processes. */
  label: string;
  /** Closed loop: maximum rate. */
  max: CellSummary | null;
  /** Open loop at the workload's fixed rate. */
  fixed: CellSummary | null;
};

const medianOr = (values: (number | null)[]): number | null => {
  const v = values.filter((x): x is number => x !== null);
  return v.length === values.length && v.length > 0 ? median(v) : null;
};

function summarizeCells(results: CellResult[], path: PathId, batch: number): CellSummary {
  const costs = results.map((r) => costsOf(r.usage, r.messages, appTree[path], r.ops));
  const pick = (f: (c: Costs) => number | null) => medianOr(costs.map(f));
  const rates = results.map((r) => r.msgsPerSec);
  const steps = [...new Set(results.flatMap((r) => Object.keys(r.latency)))].filter((s) => s !== "op");
  const emptied = results.map((r) => r.emptiedAfter).filter((v): v is number => v !== null);
  return {
    runs: results.length,
    msgsPerSec: median(rates),
    msgsPerSecRange: [Math.min(...rates), Math.max(...rates)],
    opsPerSec: median(results.map((r) => r.opsPerSec)),
    p50: median(results.map((r) => r.latency.op?.p50 ?? 0)),
    p99: median(results.map((r) => r.latency.op?.p99 ?? 0)),
    steps: Object.fromEntries(
      steps.map((s) => [
        s,
        {
          p50: median(results.map((r) => r.latency[s]?.p50 ?? 0)),
          p99: median(results.map((r) => r.latency[s]?.p99 ?? 0)),
        },
      ]),
    ),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    errorSamples: [...new Set(results.flatMap((r) => r.errorSamples))],
    emptiedAfter: emptied.length > 0 ? Math.min(...emptied) : null,
    costs: {
      appCpuPer1k: pick((c) => c.appCpuPer1k),
      appCpuMsPerOp: pick((c) => c.appCpuMsPerOp),
      pgCpuPer1k: pick((c) => c.pgCpuPer1k),
      walPerMsg: pick((c) => c.walPerMsg),
      xactsPerMsg: pick((c) => c.xactsPerMsg),
      queriesPerMsg: pick((c) => c.queriesPerMsg),
      cores: {
        gen: median(costs.map((c) => c.cores.gen)),
        app: pick((c) => c.cores.app),
        pg: pick((c) => c.cores.pg),
        other: pick((c) => c.cores.other),
      },
    },
    targetRate: results[0]?.target ? results[0].target.opsPerSec * batch : null,
  };
}

export function summarizeThroughput(cells: ThroughputCell[]): PathSummary[] {
  const out: PathSummary[] = [];
  for (const spec of throughputSpecs) {
    for (const path of spec.paths) {
      const ofPath = cells.filter((c) => c.workload === spec.id && c.path === path);
      for (const processes of [...new Set(ofPath.map((c) => c.processes))]) {
        const mine = ofPath.filter((c) => c.processes === processes);
        const of = (shape: "closed" | "open") => {
          const results = mine.filter((c) => c.shape === shape).map((c) => c.result);
          return results.length ? summarizeCells(results, path, spec.batch) : null;
        };
        const label = pathLabel(path, processes);
        out.push({
          workload: spec.id,
          title: spec.title,
          path,
          processes,
          label,
          max: of("closed"),
          fixed: of("open"),
        });
      }
    }
  }
  return out;
}
