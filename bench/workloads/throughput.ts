import type { AppClient, Harness } from "../context";
import { type CellResult, runClosedLoop, runOpenLoop } from "../loop";
import { createTarget, drainOp, isAppPath, isFrontPath, type PathId, pathLabel, prefill, sendOp } from "../paths";
import { progressPrinter } from "./progress";

// W1–W3: send 1, send 16, drain 1 and drain 16, each over every path (paths.ts). Every path gets
// two cells, each from a truncated, vacuumed table and a fresh checkpoint:
//  - "closed": `connections` callers back to back — the maximum rate (msgs/s of the table);
//  - "open": a fixed arrival rate, the same for every path, latency from the intended start time —
//    the table's p50/p99, and the CPU and WAL per message that the goals compare (same rate, so
//    the same chance of group commit for every path).
// The front's paths (REST, CMQ) run once per front (--processes); the next paths on `next start`.
// Only the measured app server runs during a cell: the others are frozen (SIGSTOP), and so is the
// app for the baselines.

export type ThroughputId = "W1" | "W2" | "W3.16" | "W3.1";

export type ThroughputSpec = {
  id: ThroughputId;
  kind: "send" | "drain";
  batch: number;
  title: string;
  /** Open-loop arrival rate, messages per second. */
  rate: number;
  paths: PathId[];
};

export const throughputSpecs: ThroughputSpec[] = [
  {
    id: "W1",
    kind: "send",
    batch: 1,
    title: "W1 send, 1 msg/request",
    rate: 400,
    paths: ["rest", "cmq", "next", "next-cmq", "bare", "node", "floor", "pgboss"],
  },
  {
    id: "W2",
    kind: "send",
    batch: 16,
    title: "W2 send, 16 msgs/request",
    rate: 4000,
    paths: ["rest", "cmq", "next", "next-cmq", "bare", "node", "floor", "pgboss"],
  },
  {
    id: "W3.16",
    kind: "drain",
    batch: 16,
    title: "W3 drain, receive 16 + delete 16",
    rate: 2000,
    paths: ["rest", "cmq", "next", "next-cmq", "floor", "pgboss"],
  },
  {
    id: "W3.1",
    kind: "drain",
    batch: 1,
    title: "W3 drain, receive 1 + delete 1",
    rate: 200,
    paths: ["rest", "cmq", "next", "next-cmq", "floor", "pgboss"],
  },
];

export type ThroughputCell = {
  workload: ThroughputId;
  path: PathId;
  /** The front's OPENCMQ_PROCESSES for REST and CMQ; null for every other path. */
  processes: number | null;
  run: number;
  shape: "closed" | "open";
  result: CellResult;
};

export type ThroughputSettings = {
  warmupMs: number;
  durationMs: number;
  /** 0: no open-loop cells. */
  openDurationMs: number;
  openWarmupMs: number;
  /** Backlog of a drain-16 closed cell; drain-1 gets a quarter. */
  prefill: number;
  /** Open-loop cells for drains too. */
  isDrainOpen: boolean;
  run: number;
};

const int = (n: number) => Math.round(n).toLocaleString("en-US");

export async function runThroughput(
  h: Harness,
  spec: ThroughputSpec,
  paths: PathId[],
  settings: ThroughputSettings,
): Promise<ThroughputCell[]> {
  const cells: ThroughputCell[] = [];
  for (const { path, app } of variants(h, spec, paths)) {
    // The app server this cell measures; baselines: the first front, frozen during the cell.
    await h.use(app ?? (h.apps[0] as AppClient));
    const processes = isFrontPath(path) && app && h.server.hasFront ? app.server.processes : null;
    const base = `${spec.id} ${pathLabel(path, processes)}${settings.run > 1 ? ` run ${settings.run}` : ""}`;
    const name = `b-${spec.id.replace(".", "-")}-${path}${processes ?? ""}-${settings.run}-${Date.now().toString(36)}`;
    const hasOpen = settings.openDurationMs > 0 && (spec.kind === "send" || settings.isDrainOpen);
    const shapes: ("closed" | "open")[] = hasOpen ? ["closed", "open"] : ["closed"];
    // Drains: one backlog for both cells — the open cell (fixed rate) first, then the closed one.
    if (spec.kind === "drain") shapes.reverse();
    const isApi = isAppPath(path);
    let target = await createTarget(h, path, name);
    await h.truncate();
    if (spec.kind === "drain") {
      const closed = spec.batch >= 16 ? settings.prefill : Math.ceil(settings.prefill / 4);
      const open = hasOpen ? spec.rate * ((settings.openWarmupMs + settings.openDurationMs) / 1000) * 1.1 : 0;
      await prefill(h, target, Math.ceil(closed + open));
    }
    for (const [i, shape] of shapes.entries()) {
      if (spec.kind === "send" && i > 0) {
        target = await createTarget(h, path, `${name}-o`);
        await h.truncate();
      }
      await h.settle();
      const label = `${base} ${shape === "closed" ? "max" : `@${int(spec.rate)}/s`}`;
      h.say(`${label}: ${spec.title}${shape === "open" ? ", open loop" : `, ${h.connections} callers`}`);
      const op =
        spec.kind === "send" ? await sendOp(h, path, target, spec.batch) : await drainOp(h, path, target, spec.batch);
      // Baselines are measured with the app frozen: its background workers are the app's cost.
      if (!isApi) await h.freezeApp();
      const seconds =
        shape === "closed" ? settings.warmupMs + settings.durationMs : settings.openWarmupMs + settings.openDurationMs;
      const progress = progressPrinter(h, label, seconds / 1000);
      const result =
        shape === "closed"
          ? await runClosedLoop({
              concurrency: h.connections,
              warmupMs: settings.warmupMs,
              durationMs: settings.durationMs,
              op,
              meter: h.newMeter(),
              ...progress,
            })
          : await runOpenLoop({
              rate: spec.rate / spec.batch,
              warmupMs: settings.openWarmupMs,
              durationMs: settings.openDurationMs,
              op,
              meter: h.newMeter(),
              ...progress,
            });
      progress.done();
      await h.thawApp();
      const lat = result.latency.op;
      h.say(
        `  ${label}: ${int(result.msgsPerSec)} msgs/s, p50 ${(lat?.p50 ?? 0).toFixed(1)} ms, p99 ${(lat?.p99 ?? 0).toFixed(1)} ms, ` +
          `${result.errors} errors${result.emptiedAfter !== null ? `, queue ran dry after ${result.emptiedAfter.toFixed(1)} s` : ""}`,
      );
      for (const sample of result.errorSamples) h.say(`    ${sample}`);
      cells.push({ workload: spec.id, path, processes, run: settings.run, shape, result });
    }
    if (path === "pgboss") await h.stopBoss();
  }
  return cells;
}

/**
 * The cells of a workload: each selected path, the front's paths once per front, the next paths on
 * `next start` (left out without a front: REST and CMQ are then the Next-routed path already).
 */
function variants(h: Harness, spec: ThroughputSpec, paths: PathId[]): { path: PathId; app: AppClient | null }[] {
  const out: { path: PathId; app: AppClient | null }[] = [];
  for (const path of spec.paths.filter((p) => paths.includes(p))) {
    if (isFrontPath(path)) for (const app of h.apps) out.push({ path, app });
    else if (path === "next" || path === "next-cmq") {
      if (h.server.hasFront && h.next) out.push({ path, app: h.next });
    } else if ((path === "bare" && h.bare) || (path === "node" && h.node) || path === "floor" || path === "pgboss")
      out.push({ path, app: null });
  }
  return out;
}
