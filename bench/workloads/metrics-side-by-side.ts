import type pg from "pg";
import type { AppClient, Harness } from "../context";
import { ownCpuSeconds, treeCpuSecondsOf } from "../cpu";
import { type CellResult, median, runClosedLoop, runOpenLoop } from "../loop";
import type { Meter } from "../meter";

// W9's steadier estimate of what metrics cost: both fronts of the same build — OPENCMQ_METRICS on and
// off — loaded at the same time, each on its own queue with the same loop. Whatever else the shared
// machine does then falls on both alike, so one pair says far more than a pair of alternated cells
// (those swung 0.72–1.17× a pair, wider than the 5% being judged).
//
// Costs are charged per front: the app's process tree (/proc), and the PostgreSQL backends serving
// that front (pg_stat_activity.application_name), so the metrics flush lands on the front that makes
// it. Charged to neither: PostgreSQL's shared processes (WAL writer, checkpointer) and the wake
// listeners (named opencmq-wake:…, idle here — nobody long-polls). Workers that run once across
// processes (stats recount, sweeps) run on whichever front holds their lock; on one queue each they
// cost well under 1% of a cell.

export type Side = {
  messages: number;
  msgsPerSec: number;
  /** CPU seconds during the window: the front's process tree, and its PostgreSQL backends. */
  appCpu: number | null;
  pgCpu: number | null;
  errors: number;
  opP50: number;
};
export type SideBySideCell = { run: number; shape: "max" | "fixed"; on: Side; off: Side };

type Reading = { app: (number | null)[]; backends: Map<number, number>[] };

export type SideBySideSettings = {
  runs: number;
  warmupMs: number;
  durationMs: number;
  /** Ops per second on each front in the fixed-rate cells (16 messages each). */
  rate: number;
};

/** A meter that measures nothing: the side-by-side cells take their own readings, per front. */
const quietMeter = (): Meter => ({
  begin: () => {},
  end: () => {},
  usage: async () => ({
    seconds: 0,
    cpu: { loadgen: 0, server: null, bare: null, node: null, postgres: null, other: null },
    walBytes: null,
    xacts: null,
    queries: null,
    topStatements: [],
  }),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The PostgreSQL backends of each front (by application_name) and everyone's CPU seconds so far. */
async function read(pool: pg.Pool, fronts: AppClient[]): Promise<Reading> {
  const { rows } = await pool.query<{ pid: number; name: string }>(
    "SELECT pid, application_name AS name FROM pg_stat_activity WHERE application_name = ANY($1)",
    [fronts.map((f) => f.server.appName)],
  );
  return {
    app: fronts.map((f) => (f.server.pid ? treeCpuSecondsOf(f.server.pid) : null)),
    backends: fronts.map((f) => ownCpuSeconds(rows.filter((r) => r.name === f.server.appName).map((r) => r.pid))),
  };
}

/** CPU seconds between two readings; a backend that connected meanwhile counts whole, one that left is lost. */
function spent(before: Reading, after: Reading, i: number) {
  const a0 = before.app[i];
  const a1 = after.app[i];
  let pg = 0;
  for (const [pid, seconds] of after.backends[i] ?? []) pg += seconds - (before.backends[i]?.get(pid) ?? 0);
  return { app: a0 == null || a1 == null ? null : a1 - a0, pg };
}

function sideOf(cell: CellResult, cost: { app: number | null; pg: number }): Side {
  return {
    messages: cell.messages,
    msgsPerSec: cell.msgsPerSec,
    appCpu: cost.app,
    pgCpu: cost.pg,
    errors: cell.errors,
    opP50: cell.latency.op?.p50 ?? 0,
  };
}

/**
 * One cell: the same op on both fronts at once (closed loops with half the callers each, or the same
 * fixed rate on each), with readings at the end of the warm-up and of the window.
 */
async function cell(
  h: Harness,
  fronts: [AppClient, AppClient],
  ops: [Parameters<typeof runClosedLoop>[0]["op"], Parameters<typeof runClosedLoop>[0]["op"]],
  shape: SideBySideCell["shape"],
  run: number,
  settings: SideBySideSettings,
): Promise<SideBySideCell> {
  const { warmupMs, durationMs } = settings;
  const readings = (async () => {
    await sleep(warmupMs);
    const before = await read(h.pool, fronts);
    await sleep(durationMs);
    return [before, await read(h.pool, fronts)] as const;
  })();
  const loops = ops.map((op) =>
    shape === "max"
      ? runClosedLoop({ concurrency: Math.max(1, h.connections / 2), warmupMs, durationMs, op, meter: quietMeter() })
      : runOpenLoop({ rate: settings.rate, warmupMs, durationMs, op, meter: quietMeter() }),
  );
  const [on, off] = (await Promise.all(loops)) as [CellResult, CellResult];
  const [before, after] = await readings;
  return { run, shape, on: sideOf(on, spent(before, after, 0)), off: sideOf(off, spent(before, after, 1)) };
}

/**
 * `runs` pairs of side-by-side cells (max, then fixed rate), each on fresh queues. `makeOp` builds the
 * loop's op for a queue on a front.
 */
export async function runSideBySide(
  h: Harness,
  on: AppClient,
  off: AppClient,
  makeOp: (front: AppClient, queue: string) => Parameters<typeof runClosedLoop>[0]["op"],
  settings: SideBySideSettings,
): Promise<SideBySideCell[]> {
  const cells: SideBySideCell[] = [];
  await h.use(on, [off]);
  h.say(
    `W9 metrics on and off side by side: ${settings.runs} run(s) of a max cell (${h.connections / 2} callers each) and a fixed-rate cell (${Math.round(settings.rate * 16)} msgs/s each)`,
  );
  // Run 0 is an unrecorded warm-up of both fronts.
  for (let run = 0; run <= settings.runs; run++) {
    for (const shape of ["max", "fixed"] as const) {
      await h.truncate();
      const stamp = `${run}-${shape}-${Date.now().toString(36)}`;
      const queues = [
        await h.createQueue(`b-w9s-on-${stamp}`, { visibilityTimeout: 600 }),
        await h.createQueue(`b-w9s-off-${stamp}`, { visibilityTimeout: 600 }),
      ];
      await h.settle();
      const ops = [makeOp(on, queues[0]?.name ?? ""), makeOp(off, queues[1]?.name ?? "")] as const;
      const c = await cell(h, [on, off], [ops[0], ops[1]], shape, run, settings);
      const per1k = (s: Side, v: number | null) =>
        v === null || !s.messages ? "?" : ((1000 * v) / s.messages).toFixed(3);
      h.say(
        `  W9 side by side${run ? ` run ${run}` : " (warm-up)"} ${shape}: on ${Math.round(c.on.msgsPerSec)} vs off ${Math.round(c.off.msgsPerSec)} msgs/s; ` +
          `app CPU ${per1k(c.on, c.on.appCpu)} vs ${per1k(c.off, c.off.appCpu)}, PG backends ${per1k(c.on, c.on.pgCpu)} vs ${per1k(c.off, c.off.pgCpu)} s/1k; errors ${c.on.errors}/${c.off.errors}`,
      );
      if (run > 0) cells.push(c);
    }
  }
  await h.truncate();
  return cells;
}

export type SideBySideSummary = {
  runs: number;
  /** Medians over the runs of on ÷ off: max msgs/s, and CPU per message (app, PG backends) at the fixed rate. */
  throughputRatio: number | null;
  appCpuRatio: number | null;
  pgCpuRatio: number | null;
  /** The on front's app CPU seconds per HTTP request in the fixed-rate cells (3 requests an op of 16 messages). */
  onAppCpuPerRequest: number | null;
  /** The lowest and highest single-run ratio of each, to show the spread. */
  spread: { throughput: [number, number] | null; appCpu: [number, number] | null; pgCpu: [number, number] | null };
};

const perMessage = (s: Side, v: number | null) => (v === null || s.messages <= 0 ? null : v / s.messages);

export function summarizeSideBySide(cells: SideBySideCell[]): SideBySideSummary | null {
  if (cells.length === 0) return null;
  const ratios = (shape: SideBySideCell["shape"], pick: (s: Side) => number | null) =>
    cells
      .filter((c) => c.shape === shape)
      .map((c) => {
        const a = pick(c.on);
        const b = pick(c.off);
        return a !== null && b ? a / b : null;
      })
      .filter((r): r is number => r !== null);
  const throughput = ratios("max", (s) => s.msgsPerSec);
  const appCpu = ratios("fixed", (s) => perMessage(s, s.appCpu));
  const pgCpu = ratios("fixed", (s) => perMessage(s, s.pgCpu));
  const mid = (rs: number[]) => (rs.length ? median(rs) : null);
  const range = (rs: number[]): [number, number] | null => (rs.length ? [Math.min(...rs), Math.max(...rs)] : null);
  const perRequest = cells
    .filter((c) => c.shape === "fixed" && c.on.appCpu !== null && c.on.messages > 0)
    .map((c) => (c.on.appCpu as number) / ((3 * c.on.messages) / 16));
  return {
    runs: new Set(cells.map((c) => c.run)).size,
    onAppCpuPerRequest: mid(perRequest),
    throughputRatio: mid(throughput),
    appCpuRatio: mid(appCpu),
    pgCpuRatio: mid(pgCpu),
    spread: { throughput: range(throughput), appCpu: range(appCpu), pgCpu: range(pgCpu) },
  };
}
