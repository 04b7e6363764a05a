import type { Meter, Usage } from "./meter";

// Two load shapes.
//  - Closed loop: `concurrency` workers each run `op` back to back — the maximum throughput.
//    Its tail latencies hide stalls (coordinated omission): read them as "latency under
//    saturation", not as an SLO measurement.
//  - Open loop: ops start on a fixed schedule (rate per second) whether or not earlier ones have
//    finished, and each op's latency counts from its *intended* start time (wrk2's correction for
//    coordinated omission). This is the latency a client with a steady arrival rate sees.
// Both skip `warmupMs` and then measure for `durationMs`.

export type OpResult = {
  messages: number;
  /** The queue had nothing left: stop the cell here (closed loop only). */
  isEmpty?: boolean;
  /** Latency of each request inside the op (ms), e.g. receive and delete of one drain step. */
  steps?: Record<string, number>;
  error?: string;
};
/** `intended` is the performance.now() time at which the op was meant to start. */
export type Op = (intended: number) => Promise<OpResult>;

export type Latency = { count: number; p50: number; p99: number; max: number };

export type CellResult = {
  shape: "closed" | "open";
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
  usage: Usage;
  /** Messages completed in each second of the window (closed loop). */
  timeline: number[];
  /** Open loop: the scheduled rate (ops/s) and ops still unfinished 10 s after the window. */
  target?: { opsPerSec: number; unfinished: number };
};

export type Progress = { phase: "warm-up" | "measure"; elapsed: number; msgsPerSec: number };

type Recorder = ReturnType<typeof recorder>;

function recorder() {
  const latencies = new Map<string, number[]>();
  const errorSamples = new Set<string>();
  return {
    latencies,
    errorSamples,
    errors: 0,
    ops: 0,
    messages: 0,
    record(result: OpResult, ms: number) {
      this.messages += result.messages;
      if (result.error) {
        this.errors++;
        if (errorSamples.size < 5) errorSamples.add(result.error);
        return;
      }
      this.ops++;
      push(latencies, "op", ms);
      for (const [name, v] of Object.entries(result.steps ?? {})) push(latencies, name, v);
    },
  };
}

const push = (map: Map<string, number[]>, name: string, ms: number) => {
  const list = map.get(name);
  if (list) list.push(ms);
  else map.set(name, [ms]);
};

function progressTicker(options: {
  started: number;
  isMeasuring: () => boolean;
  completed: () => number;
  onProgress?: (p: Progress) => void;
  everyMs?: number;
}) {
  let last = 0;
  let lastTick = options.started;
  return setInterval(() => {
    const now = performance.now();
    const done = options.completed();
    options.onProgress?.({
      phase: options.isMeasuring() ? "measure" : "warm-up",
      elapsed: (now - options.started) / 1000,
      msgsPerSec: ((done - last) * 1000) / (now - lastTick),
    });
    last = done;
    lastTick = now;
  }, options.everyMs ?? 1000);
}

async function finish(
  shape: CellResult["shape"],
  rec: Recorder,
  meter: Meter,
  seconds: number,
  extra: Partial<CellResult>,
): Promise<CellResult> {
  const usage = await meter.usage();
  return {
    shape,
    messages: rec.messages,
    ops: rec.ops,
    seconds,
    msgsPerSec: seconds > 0 ? rec.messages / seconds : 0,
    opsPerSec: seconds > 0 ? rec.ops / seconds : 0,
    latency: Object.fromEntries([...rec.latencies].map(([name, list]) => [name, summarize(list)])),
    errors: rec.errors,
    errorSamples: [...rec.errorSamples],
    emptiedAfter: null,
    usage,
    timeline: [],
    ...extra,
  };
}

export async function runClosedLoop(options: {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  op: Op;
  meter: Meter;
  onProgress?: (p: Progress) => void;
  progressEveryMs?: number;
}): Promise<CellResult> {
  const rec = recorder();
  let isMeasuring = false;
  let isStopped = false;
  let emptiedAt: number | null = null;
  let completed = 0; // all messages, warm-up included, for progress lines
  const timeline: number[] = [];

  const started = performance.now();
  const windowStart = started + options.warmupMs;
  let windowEnd = windowStart + options.durationMs;

  let stopWindow: () => void = () => {};
  const windowClosed = new Promise<void>((resolve) => {
    stopWindow = () => {
      if (isStopped) return;
      isStopped = true;
      windowEnd = Math.min(windowEnd, performance.now());
      if (isMeasuring) options.meter.end();
      resolve();
    };
  });
  const warmupTimer = setTimeout(() => {
    options.meter.begin();
    isMeasuring = true;
  }, options.warmupMs);
  const endTimer = setTimeout(stopWindow, options.warmupMs + options.durationMs);
  const ticker = progressTicker({
    started,
    isMeasuring: () => isMeasuring,
    completed: () => completed,
    onProgress: options.onProgress,
    everyMs: options.progressEveryMs,
  });

  const worker = async () => {
    while (!isStopped) {
      const t0 = performance.now();
      let result: OpResult;
      try {
        result = await options.op(t0);
      } catch (error) {
        result = { messages: 0, error: error instanceof Error ? error.message : String(error) };
      }
      const t1 = performance.now();
      if (isStopped) break; // finished after the window closed: not counted
      completed += result.messages;
      if (isMeasuring) {
        rec.record(result, t1 - t0);
        const second = Math.floor((t1 - windowStart) / 1000);
        if (second >= 0) timeline[second] = (timeline[second] ?? 0) + result.messages;
      }
      if (result.isEmpty) {
        if (isMeasuring) emptiedAt = t1;
        else rec.errorSamples.add("the queue ran dry during warm-up: raise --prefill");
        stopWindow();
      }
      // Back off a little on errors so a failing server is not hammered in a tight loop.
      if (result.error) await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([windowClosed, ...Array.from({ length: options.concurrency }, worker)]);
  clearTimeout(warmupTimer);
  clearTimeout(endTimer);
  clearInterval(ticker);
  if (!isMeasuring) options.meter.begin(); // ran dry during warm-up: an empty window
  options.meter.end();

  const seconds = isMeasuring ? Math.max(0, (windowEnd - windowStart) / 1000) : 0;
  const whole = Math.floor(seconds);
  return finish("closed", rec, options.meter, seconds, {
    emptiedAfter: emptiedAt === null ? null : (emptiedAt - windowStart) / 1000,
    timeline: Array.from({ length: whole }, (_, i) => timeline[i] ?? 0),
  });
}

export async function runOpenLoop(options: {
  /** Ops started per second. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  op: Op;
  meter: Meter;
  /** Stop scheduling when this many ops are unfinished (the system fell far behind). */
  maxOutstanding?: number;
  onProgress?: (p: Progress) => void;
  progressEveryMs?: number;
}): Promise<CellResult> {
  const rec = recorder();
  const started = performance.now();
  const windowStart = started + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const interval = 1000 / options.rate;
  const maxOutstanding = options.maxOutstanding ?? 20_000;
  let isMeasuring = false;
  let completed = 0;
  let outstanding = 0;
  let skipped = 0;
  let next = 0; // index of the next op to start
  const inWindow: Promise<void>[] = [];

  const ticker = progressTicker({
    started,
    isMeasuring: () => isMeasuring,
    completed: () => completed,
    onProgress: options.onProgress,
    everyMs: options.progressEveryMs,
  });

  const launch = (intended: number) => {
    const counted = intended >= windowStart && intended < windowEnd;
    outstanding++;
    const done = (async () => {
      let result: OpResult;
      try {
        result = await options.op(intended);
      } catch (error) {
        result = { messages: 0, error: error instanceof Error ? error.message : String(error) };
      }
      outstanding--;
      completed += result.messages;
      if (counted) rec.record(result, performance.now() - intended);
    })();
    if (counted) inWindow.push(done);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (!isMeasuring && now >= windowStart) {
        isMeasuring = true;
        options.meter.begin();
      }
      if (now >= windowEnd) {
        options.meter.end();
        resolve();
        return;
      }
      // Start every op whose intended time has come, each stamped with that time.
      for (let intended = started + next * interval; intended <= now; intended = started + next * interval) {
        next++;
        if (outstanding >= maxOutstanding) {
          if (intended >= windowStart) skipped++;
          continue;
        }
        launch(intended);
      }
      setTimeout(tick, Math.max(0, Math.min(started + next * interval, windowEnd) - performance.now()));
    };
    tick();
  });
  // Ops started in the window still count (their latency is the point); wait for them a while.
  const unfinished = await Promise.race([
    Promise.all(inWindow).then(() => 0),
    new Promise<number>((r) => setTimeout(() => r(outstanding), 10_000)),
  ]);
  clearInterval(ticker);
  if (skipped > 0) rec.errorSamples.add(`${skipped} scheduled ops not started: over ${maxOutstanding} outstanding`);
  rec.errors += skipped;
  return finish("open", rec, options.meter, options.durationMs / 1000, {
    target: { opsPerSec: options.rate, unfinished },
  });
}

export function summarize(list: number[]): Latency {
  const sorted = Float64Array.from(list).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
