import type { Harness } from "../context";
import { type CellResult, runClosedLoop } from "../loop";
import { drainOp } from "../paths";
import { progressPrinter } from "./progress";

// W3 stability: drain a large backlog (1,000,000 in the full run) for a minute through the REST
// API in batches of 16, and compare the rate of the last 10 s with the first 10 s. Dequeues leave
// dead index entries at the head of the queue's index until vacuum removes them; a drain that slows
// down as it goes is what that looks like (reference/pgboss-bench.md note 3).

export type StabilityResult = {
  backlog: number;
  result: CellResult;
  /** Seconds compared at each end of the window. */
  edgeSeconds: number;
  firstRate: number;
  lastRate: number;
  /** lastRate / firstRate. */
  ratio: number;
  deadTuplesAtEnd: number | null;
  autovacuums: number;
};

export async function runStability(
  h: Harness,
  settings: { backlog: number; warmupMs: number; durationMs: number },
): Promise<StabilityResult> {
  const seconds = settings.durationMs / 1000;
  const edgeSeconds = seconds >= 60 ? 10 : Math.max(1, Math.floor(seconds / 4));
  h.say(
    `W3 stability: drain a ${settings.backlog.toLocaleString("en-US")}-message backlog for ${seconds} s (REST, 16 per request)`,
  );
  const queue = await h.createQueue(`b-w3s-${Date.now().toString(36)}`);
  await h.truncate();
  await h.fillQueue(queue.id, settings.backlog);
  await h.settle();
  // The message table's dead rows and vacuums (auto and manual) so far.
  const tableStats = async () => {
    const row = (
      await h.pool.query<{ dead: string; vacuums: string }>(
        "SELECT n_dead_tup::text AS dead, (autovacuum_count + vacuum_count)::text AS vacuums FROM pg_stat_user_tables WHERE relname = 'message'",
      )
    ).rows[0];
    return row ? { dead: Number(row.dead), vacuums: Number(row.vacuums) } : null;
  };
  const before = await tableStats();
  const op = await drainOp(h, "rest", { queue, bossQueue: null }, 16);
  const progress = progressPrinter(h, "W3 stability", (settings.warmupMs + settings.durationMs) / 1000);
  const result = await runClosedLoop({
    concurrency: h.connections,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
    op,
    meter: h.newMeter(),
    ...progress,
  });
  progress.done();
  const after = await tableStats();
  const timeline = result.timeline;
  const rate = (slice: number[]) => (slice.length ? slice.reduce((a, b) => a + b, 0) / slice.length : 0);
  const firstRate = rate(timeline.slice(0, edgeSeconds));
  const lastRate = rate(timeline.slice(-edgeSeconds));
  const out: StabilityResult = {
    backlog: settings.backlog,
    result,
    edgeSeconds,
    firstRate,
    lastRate,
    ratio: firstRate > 0 ? lastRate / firstRate : 0,
    deadTuplesAtEnd: after ? after.dead : null,
    autovacuums: (after?.vacuums ?? 0) - (before?.vacuums ?? 0),
  };
  const int = (n: number) => Math.round(n).toLocaleString("en-US");
  h.say(
    `  W3 stability: ${int(result.msgsPerSec)} msgs/s overall; first ${edgeSeconds} s ${int(firstRate)}/s, last ${edgeSeconds} s ${int(lastRate)}/s ` +
      `(${(out.ratio * 100).toFixed(0)}%), ${out.autovacuums} vacuums${result.emptiedAfter !== null ? `, ran dry after ${result.emptiedAfter.toFixed(1)} s` : ""}`,
  );
  h.say(`  per second: ${timeline.map(int).join(" ")}`);
  return out;
}
