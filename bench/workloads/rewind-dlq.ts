import { sweepExpiredHistory } from "@/lib/store/history";
import { describeResponse, type Harness, type QueueInfo } from "../context";
import { type CellResult, type Op, runClosedLoop, runOpenLoop } from "../loop";
import type { Usage } from "../meter";
import { progressPrinter } from "./progress";

// W8: what dead letters and rewind cost on the hot path (issue 10). One op sends 1 message, receives
// 1 and deletes it (REST through the first front, as W3.1: 32 callers for the maximum rate, the same
// fixed rate for latency and costs), on four queues measured in one run:
//   plain   — no rewind, no dead-letter queue;
//   rewind  — rewindSeconds 3600: every delete moves its row into message_history in the same statement;
//   dlq     — a dead-letter queue bound (policy 0, maxReceiveCount 5): every receive runs the lease
//             statement that would move a message past its count (none dies here: each is received once);
//   both    — rewind and the dead-letter queue.
// Each queue holds a backlog (the same for all), so a receive takes the oldest message, not the one
// just sent, and the backlog stays level. Cells alternate (plain, rewind, dlq, both, plain, …) over
// --runs so drift on a shared machine does not bias a ratio.
//
// History is not free when the cell ends: the history sweep deletes each kept row once it leaves the
// window (an hour later here), and vacuum reclaims it. So every fixed-rate cell is followed by a
// measured clean-up pass that pays that cost now: the queue's window is closed (rewind_seconds = 0,
// which makes all of its rows expired for the sweep), the app's own sweep statement
// (sweepExpiredHistory, 5,000 rows a statement) runs until nothing is left, then VACUUM of message and
// message_history. Plain and dlq cells get the same pass (their VACUUM of message counts as well), so
// every cell's figure is "hot path + clean-up" per message. The goal compares those totals. The pass
// is short (tens of ms), below /proc's 10 ms tick, so its CPU is the statements' execution time
// from pg_stat_statements when that is larger (an upper bound).

export type HotPathVariant = "plain" | "rewind" | "dlq" | "both";
export const hotPathVariants: HotPathVariant[] = ["plain", "rewind", "dlq", "both"];
export const hotPathLabels: Record<HotPathVariant, string> = {
  plain: "plain queue",
  rewind: "rewindSeconds 3600",
  dlq: "DLQ bound (maxReceiveCount 5)",
  both: "rewind + DLQ",
};

export type HotPathCleanup = {
  usage: Usage;
  /** Messages the fixed-rate cell sent and deleted, its warm-up included: what the clean-up is per. */
  messages: number;
  historyRows: number;
  /**
   * Postgres CPU seconds charged to the clean-up: the larger of the /proc figure (10 ms ticks, often
   * 0 for a pass this short) and the statements' execution time (pg_stat_statements, µs; wall time
   * inside Postgres, so an upper bound on a busy machine).
   */
  pgSeconds: number;
};

export type HotPathCell = {
  variant: HotPathVariant;
  run: number;
  /** Closed loop: the maximum rate. */
  max: CellResult;
  /** Open loop at the fixed rate: latency and costs. */
  fixed: CellResult | null;
  /** The clean-up pass after the fixed-rate cell (history sweep + VACUUM). */
  cleanup: HotPathCleanup | null;
};

export type HotPathSettings = {
  /** Open-loop rate, messages (= ops) per second. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  openWarmupMs: number;
  openDurationMs: number;
  /** Messages in each queue before its cells. */
  backlog: number;
  runs: number;
};

const int = (n: number) => Math.round(n).toLocaleString("en-US");

export async function runHotPath(h: Harness, settings: HotPathSettings): Promise<HotPathCell[]> {
  h.say(
    `W8 send + receive + delete on a plain queue, with rewind, with a DLQ, with both: ${settings.runs} run(s), ` +
      `open loop @${settings.rate}/s, backlog ${int(settings.backlog)}`,
  );
  const cells: HotPathCell[] = [];
  for (let run = 1; run <= settings.runs; run++)
    for (const variant of hotPathVariants) cells.push(await runVariant(h, variant, run, settings));
  return cells;
}

async function runVariant(
  h: Harness,
  variant: HotPathVariant,
  run: number,
  settings: HotPathSettings,
): Promise<HotPathCell> {
  await clearTables(h);
  const queue = await createVariantQueue(h, variant, `b-w8-${variant}-${run}-${Date.now().toString(36)}`);
  // One backlog for both cells: each op sends one and deletes one, so it stays level.
  await h.fillQueue(queue.id, settings.backlog);
  const op = hotPathOp(h, queue.name);
  const label = `W8 ${hotPathLabels[variant]}${run > 1 ? ` run ${run}` : ""}`;

  await settle(h);
  h.say(`${label} max: send 1 + receive 1 + delete 1, ${h.connections} callers`);
  const closedProgress = progressPrinter(h, `${label} max`, (settings.warmupMs + settings.durationMs) / 1000);
  const max = await runClosedLoop({
    concurrency: h.connections,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
    op,
    meter: h.newMeter(),
    ...closedProgress,
  });
  closedProgress.done();
  report(h, `${label} max`, max);

  if (settings.openDurationMs <= 0) return { variant, run, max, fixed: null, cleanup: null };
  // The fixed-rate cell starts clean too: the max cell's kept rows are not its to sweep.
  await h.pool.query("TRUNCATE message_history");
  await settle(h);
  const lastId = await lastMessageId(h, queue.id);
  h.say(`${label} @${int(settings.rate)}/s: open loop`);
  const openProgress = progressPrinter(
    h,
    `${label} @${int(settings.rate)}/s`,
    (settings.openWarmupMs + settings.openDurationMs) / 1000,
  );
  const fixed = await runOpenLoop({
    rate: settings.rate,
    warmupMs: settings.openWarmupMs,
    durationMs: settings.openDurationMs,
    op,
    meter: h.newMeter(),
    ...openProgress,
  });
  openProgress.done();
  report(h, `${label} @${int(settings.rate)}/s`, fixed);
  const cleanup = await cleanUp(h, queue.id, lastId);
  h.say(
    `  ${label} clean-up: ${int(cleanup.historyRows)} history rows swept (${int(cleanup.messages)} messages sent in the cell), ` +
      `Postgres ${(cleanup.pgSeconds * 1000).toFixed(1)} ms, ${int(cleanup.usage.walBytes ?? 0)} B WAL in ${(cleanup.usage.seconds * 1000).toFixed(0)} ms`,
  );
  return { variant, run, max, fixed, cleanup };
}

/** Both tables empty: no cell inherits another's rows, live or kept. */
async function clearTables(h: Harness) {
  await h.truncate();
  await h.pool.query("TRUNCATE message_history");
}

/** The harness's settle (VACUUM FREEZE of message, CHECKPOINT), with message_history vacuumed too. */
async function settle(h: Harness) {
  await h.pool.query("VACUUM (FREEZE, ANALYZE) message_history");
  await h.settle();
}

async function createVariantQueue(h: Harness, variant: HotPathVariant, name: string): Promise<QueueInfo> {
  const attributes: Record<string, unknown> = {};
  if (variant === "rewind" || variant === "both") attributes.rewindSeconds = 3600;
  if (variant === "dlq" || variant === "both") {
    const dlq = await h.createQueue(`${name}-dlq`);
    attributes.deadLetter = { queue: dlq.name, policy: "maxReceiveCount", maxReceiveCount: 5 };
  }
  const res = await h.http.post("/api/v1/queues", { name, ...attributes });
  if (res.status !== 201) throw new Error(`creating queue ${name}: ${describeResponse(res)}`);
  return { ...(res.json as Omit<QueueInfo, "name">), name };
}

type Received = { messages?: { receiptHandle: string }[] };

/** One op: send 1, receive 1 (the oldest: the backlog's), delete it. Counts the deleted message. */
function hotPathOp(h: Harness, queueName: string): Op {
  const base = `/api/v1/queues/${queueName}/messages`;
  const sendBody = JSON.stringify({ messages: [{ body: h.body }] });
  const receiveBody = JSON.stringify({ max: 1, waitSeconds: 0 });
  return async () => {
    const t0 = performance.now();
    const sent = await h.http.post(base, sendBody);
    const t1 = performance.now();
    if (sent.status !== 201) return { messages: 0, error: `send: ${describeResponse(sent)}` };
    const received = await h.http.post(`${base}/receive`, receiveBody);
    const t2 = performance.now();
    if (received.status !== 200) return { messages: 0, error: `receive: ${describeResponse(received)}` };
    const handles = ((received.json as Received).messages ?? []).map((m) => m.receiptHandle);
    if (handles.length === 0) return { messages: 0, error: "receive: empty (the backlog ran out)" };
    const deleted = await h.http.post(`${base}/delete`, { receiptHandles: handles });
    const steps = { send: t1 - t0, receive: t2 - t1, delete: performance.now() - t2 };
    if (deleted.status !== 200) return { messages: 0, steps, error: `delete: ${describeResponse(deleted)}` };
    const count = (deleted.json as { deleted?: number }).deleted ?? 0;
    return count === 1 ? { messages: 1, steps } : { messages: count, steps, error: "delete: 0 of 1 deleted" };
  };
}

/**
 * The clean-up the fixed-rate cell left, paid now and measured: close the queue's rewind window so its
 * kept rows are expired, drop them with the history sweep's own statement until none is left, then
 * VACUUM both tables (the deletes' dead rows). The app's sweep worker may take some rows meanwhile:
 * its Postgres CPU is in the same window.
 */
async function cleanUp(h: Harness, queueId: string, lastId: string): Promise<HotPathCleanup> {
  // Each op sends one message to the tail and deletes one from the backlog's head: the messages
  // above lastId are the ones the cell sent, as many as it deleted.
  const sent = Number(
    (
      await h.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM message WHERE queue_id = $1 AND id > $2", [
        queueId,
        lastId,
      ])
    ).rows[0]?.n ?? 0,
  );
  const rows = async () =>
    Number(
      (
        await h.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM message_history WHERE queue_id = $1", [
          queueId,
        ])
      ).rows[0]?.n ?? 0,
    );
  const historyRows = await rows();
  await h.pool.query("UPDATE queue SET rewind_seconds = 0 WHERE id = $1", [queueId]);
  const meter = h.newMeter();
  meter.begin();
  while ((await sweepExpiredHistory(h.pool, 5000)) > 0) {}
  await h.pool.query("VACUUM message");
  await h.pool.query("VACUUM message_history");
  meter.end();
  const usage = await meter.usage();
  const executed = usage.topStatements.reduce((total, s) => total + s.totalMs, 0) / 1000;
  const pgSeconds = Math.max(usage.cpu.postgres ?? 0, executed);
  const left = await rows();
  if (left > 0) h.say(`  clean-up left ${int(left)} history rows (a rewind or sweep held them)`);
  return { usage, messages: sent, historyRows, pgSeconds };
}

async function lastMessageId(h: Harness, queueId: string): Promise<string> {
  const { rows } = await h.pool.query<{ id: string | null }>(
    "SELECT max(id)::text AS id FROM message WHERE queue_id = $1",
    [queueId],
  );
  return rows[0]?.id ?? "0";
}

function report(h: Harness, label: string, r: CellResult) {
  const lat = r.latency.op;
  h.say(
    `  ${label}: ${int(r.msgsPerSec)} msgs/s, p50 ${(lat?.p50 ?? 0).toFixed(1)} ms, p99 ${(lat?.p99 ?? 0).toFixed(1)} ms, ${r.errors} errors`,
  );
  for (const sample of r.errorSamples) h.say(`    ${sample}`);
}

/** One variant over its runs: medians, and the ratios to the plain queue of the same run. */
export type HotPathSummary = {
  variant: HotPathVariant;
  label: string;
  /** Runs the figures come from, and runs left out because a fixed-rate cell fell behind. */
  runs: number;
  droppedRuns: number[];
  /** Every run had a fixed-rate cell that fell behind: the figures are of the wrong regime. */
  isBehind: boolean;
  msgsPerSec: number;
  msgsPerSecRange: [number, number];
  /** Fixed-rate cell (median over runs); null without open-loop cells. */
  p50: number | null;
  p99: number | null;
  appCpuPer1k: number | null;
  /** Postgres CPU s/1k messages: the cell, its clean-up pass, and both. */
  pgCpuPer1k: { cell: number | null; cleanup: number | null; total: number | null };
  walPerMsg: { cell: number | null; cleanup: number | null; total: number | null };
  /** Median over runs of (this variant ÷ the plain queue of the same run), totals and cell only. */
  vsPlain: { pgCpu: number | null; wal: number | null; pgCpuCell: number | null; walCell: number | null };
  errors: number;
  /** Busy cores of everything else on the machine during the fixed-rate cells (median). */
  otherCores: number | null;
};

type RunCosts = {
  pgCpuCell: number | null;
  pgCpuCleanup: number | null;
  walCell: number | null;
  walCleanup: number | null;
};

const per1k = (v: number | null | undefined, n: number) =>
  v === null || v === undefined || n <= 0 ? null : (1000 * v) / n;
const perMsg = (v: number | null | undefined, n: number) => (v === null || v === undefined || n <= 0 ? null : v / n);
const sum = (a: number | null, b: number | null) => (a === null ? null : a + (b ?? 0));

function costsOfRun(c: HotPathCell): RunCosts {
  const cell = c.fixed ?? c.max;
  const cleanupMessages = c.cleanup?.messages ?? 0;
  return {
    pgCpuCell: per1k(cell.usage.cpu.postgres, cell.messages),
    pgCpuCleanup: per1k(c.cleanup?.pgSeconds, cleanupMessages),
    walCell: perMsg(cell.usage.walBytes, cell.messages),
    walCleanup: perMsg(c.cleanup?.usage.walBytes, cleanupMessages),
  };
}

function middle(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}

/**
 * A fixed-rate cell that fell behind (p50 above this) measured another regime: requests queued, so
 * concurrent sends and deletes shared statements (OPENCMQ_COALESCE) and the cost per message dropped
 * (seen at 0.8–1.4 statements per message instead of ~3 on a machine busy with other work). Its whole
 * run is left out of the figures and ratios, unless every run fell behind.
 */
export const behindP50Ms = 100;

const isBehind = (c: HotPathCell) => (c.fixed?.latency.op?.p50 ?? 0) > behindP50Ms;

export function summarizeHotPath(all: HotPathCell[]): HotPathSummary[] {
  const out: HotPathSummary[] = [];
  const dropped = [...new Set(all.filter(isBehind).map((c) => c.run))].sort((a, b) => a - b);
  const kept = all.filter((c) => !dropped.includes(c.run));
  const cells = kept.length ? kept : all;
  for (const variant of hotPathVariants) {
    const mine = cells.filter((c) => c.variant === variant);
    if (mine.length === 0) continue;
    const costs = mine.map(costsOfRun);
    const ratio = (pick: (r: RunCosts) => number | null) =>
      middle(
        mine.map((c, i) => {
          const plain = cells.find((p) => p.variant === "plain" && p.run === c.run);
          const base = plain ? pick(costsOfRun(plain)) : null;
          const mineValue = pick(costs[i] as RunCosts);
          return base && mineValue !== null ? mineValue / base : null;
        }),
      );
    const total = (a: keyof RunCosts, b: keyof RunCosts) => (r: RunCosts) => sum(r[a], r[b]);
    const rates = mine.map((c) => c.max.msgsPerSec);
    const fixed = mine.map((c) => c.fixed).filter((c): c is CellResult => c !== null);
    const pgCell = middle(costs.map((r) => r.pgCpuCell));
    const pgCleanup = middle(costs.map((r) => r.pgCpuCleanup));
    const walCell = middle(costs.map((r) => r.walCell));
    const walCleanup = middle(costs.map((r) => r.walCleanup));
    out.push({
      variant,
      label: hotPathLabels[variant],
      runs: mine.length,
      droppedRuns: kept.length ? dropped : [],
      isBehind: kept.length === 0,
      msgsPerSec: middle(rates) ?? 0,
      msgsPerSecRange: [Math.min(...rates), Math.max(...rates)],
      p50: middle(fixed.map((c) => c.latency.op?.p50 ?? null)),
      p99: middle(fixed.map((c) => c.latency.op?.p99 ?? null)),
      appCpuPer1k: middle(mine.map((c) => per1k((c.fixed ?? c.max).usage.cpu.server, (c.fixed ?? c.max).messages))),
      pgCpuPer1k: { cell: pgCell, cleanup: pgCleanup, total: middle(costs.map(total("pgCpuCell", "pgCpuCleanup"))) },
      walPerMsg: { cell: walCell, cleanup: walCleanup, total: middle(costs.map(total("walCell", "walCleanup"))) },
      vsPlain: {
        pgCpu: ratio(total("pgCpuCell", "pgCpuCleanup")),
        wal: ratio(total("walCell", "walCleanup")),
        pgCpuCell: ratio((r) => r.pgCpuCell),
        walCell: ratio((r) => r.walCell),
      },
      errors: mine.reduce((n, c) => n + c.max.errors + (c.fixed?.errors ?? 0), 0),
      otherCores: middle(
        fixed.map((c) => (c.usage.cpu.other === null ? null : c.usage.cpu.other / (c.usage.seconds || 1))),
      ),
    });
  }
  return out;
}
