import { type CpuUsage, cpuDelta, sampleCpu } from "./cpu";

// A closed loop: `concurrency` workers each run `op` back to back. The first `warmupMs` are not
// measured; then completions are counted for `durationMs` (or until an op reports the queue empty).
// Closed loops hide stalls in their tail latencies (coordinated omission): read p99 as "latency
// under saturation", not as an SLO measurement.

export type OpResult = {
  messages: number;
  /** The queue had nothing left: stop the cell here. */
  isEmpty?: boolean;
  /** Latency of each request inside the op (ms), e.g. receive and delete of one drain step. */
  steps?: Record<string, number>;
  error?: string;
};
export type Op = () => Promise<OpResult>;

export type Latency = { count: number; p50: number; p99: number; max: number };

export type CellResult = {
  messages: number;
  ops: number;
  seconds: number;
  msgsPerSec: number;
  opsPerSec: number;
  /** "op" (one loop iteration) plus each named step. */
  latency: Record<string, Latency>;
  errors: number;
  errorSamples: string[];
  /** Seconds into the measured window at which the queue ran dry, if it did. */
  emptiedAfter: number | null;
  cpu: CpuUsage;
};

export type Progress = { phase: "warm-up" | "measure"; elapsed: number; msgsPerSec: number };

export async function runClosedLoop(options: {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  op: Op;
  pids: { server?: number; postgres?: number };
  onProgress?: (p: Progress) => void;
  progressEveryMs?: number;
}): Promise<CellResult> {
  const latencies = new Map<string, number[]>();
  const record = (name: string, ms: number) => {
    const list = latencies.get(name);
    if (list) list.push(ms);
    else latencies.set(name, [ms]);
  };
  let isMeasuring = false;
  let isStopped = false;
  let messages = 0;
  let ops = 0;
  let errors = 0;
  const errorSamples = new Set<string>();
  let emptiedAt: number | null = null;
  let completed = 0; // all messages, warm-up included, for progress lines

  const started = performance.now();
  const windowStart = started + options.warmupMs;
  let windowEnd = windowStart + options.durationMs;
  let cpuStart = sampleCpu(options.pids);
  let cpuEnd = cpuStart;

  let stopWindow: () => void = () => {};
  const windowClosed = new Promise<void>((resolve) => {
    stopWindow = () => {
      if (isStopped) return;
      isStopped = true;
      windowEnd = Math.min(windowEnd, performance.now());
      cpuEnd = sampleCpu(options.pids);
      resolve();
    };
  });
  const warmupTimer = setTimeout(() => {
    cpuStart = sampleCpu(options.pids);
    isMeasuring = true;
  }, options.warmupMs);
  const endTimer = setTimeout(stopWindow, options.warmupMs + options.durationMs);

  let lastCompleted = 0;
  let lastTick = started;
  const progressTimer = setInterval(() => {
    const now = performance.now();
    options.onProgress?.({
      phase: isMeasuring ? "measure" : "warm-up",
      elapsed: (now - started) / 1000,
      msgsPerSec: ((completed - lastCompleted) * 1000) / (now - lastTick),
    });
    lastCompleted = completed;
    lastTick = now;
  }, options.progressEveryMs ?? 1000);

  const worker = async () => {
    while (!isStopped) {
      const t0 = performance.now();
      let result: OpResult;
      try {
        result = await options.op();
      } catch (error) {
        result = { messages: 0, error: error instanceof Error ? error.message : String(error) };
      }
      const t1 = performance.now();
      if (isStopped) break; // finished after the window closed: not counted
      completed += result.messages;
      if (isMeasuring) {
        messages += result.messages;
        if (result.error) {
          errors++;
          if (errorSamples.size < 5) errorSamples.add(result.error);
        } else {
          ops++;
          record("op", t1 - t0);
          for (const [name, ms] of Object.entries(result.steps ?? {})) record(name, ms);
        }
      }
      if (result.isEmpty) {
        if (isMeasuring) emptiedAt = t1;
        else errorSamples.add("the queue ran dry during warm-up: raise --prefill");
        stopWindow();
      }
      // Back off a little on errors so a failing server is not hammered in a tight loop.
      if (result.error) await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([windowClosed, ...Array.from({ length: options.concurrency }, worker)]);
  clearTimeout(warmupTimer);
  clearTimeout(endTimer);
  clearInterval(progressTimer);

  const seconds = isMeasuring ? Math.max(0, (windowEnd - windowStart) / 1000) : 0;
  return {
    messages,
    ops,
    seconds,
    msgsPerSec: seconds > 0 ? messages / seconds : 0,
    opsPerSec: seconds > 0 ? ops / seconds : 0,
    latency: Object.fromEntries([...latencies].map(([name, list]) => [name, summarize(list)])),
    errors,
    errorSamples: [...errorSamples],
    emptiedAfter: emptiedAt === null ? null : (emptiedAt - windowStart) / 1000,
    cpu: cpuDelta(cpuStart, cpuEnd),
  };
}

function summarize(list: number[]): Latency {
  const sorted = Float64Array.from(list).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
