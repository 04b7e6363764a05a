import { cpuDelta, sampleCpu } from "../../bench/cpu";
import type { CaseResult, Timing } from "./cases";
import { type Check, Ledger, ledgerChecks } from "./ledger";
import { Load, type LoadOptions, type Target } from "./load";
import { buildWorld, type Context, drainQueue } from "./world";

// n. No fault: the same producers/consumers mix against 1 app process and then 2 (`npm start`'s
// OPENCMQ_PROCESSES), then 1 again (so that a drift of the shared machine's other work between the
// phases does not pass for the effect: 2 is compared with the mean of the two 1s), on one database
// in one run, with one ledger across all three. Per phase:
// throughput, and CPU per message of PostgreSQL (the postmaster and its backends) and of the app
// (the front and its workers), read from /proc before and after the measured window with bench's
// reader (bench/cpu.ts). On a shared machine the CPU of other work is printed too: the two phases
// are comparable with each other, not with other runs.

export const SCALE_OUT_PROCESSES = [1, 2, 1];

// More in flight than the fault cases, so that a second process has work to take.
const mix: Omit<LoadOptions, "leaseSeconds"> = {
  producers: 3,
  consumers: 8,
  batch: 16,
  receiveMax: 16,
  requestTimeoutMs: 15_000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = {
  processes: number;
  seconds: number;
  sent: number;
  received: number;
  pgCpu: number | null;
  appCpu: number | null;
  otherCpu: number | null;
  errors: number;
};

export async function runScaleOut(ctx: Context, timing: Timing, id: string, title: string): Promise<CaseResult> {
  const measureMs = timing.warmMs * 3;
  ctx.say(`${id}: ${title} — setting up`);
  const world = await buildWorld(ctx, { name: id, processes: SCALE_OUT_PROCESSES[0] as number, replicated: false });
  try {
    const queue = `faults-${id}-${Date.now().toString(36)}`;
    await world.createQueue(queue);
    const ledger = new Ledger();
    const target: Target = { url: () => world.app.url, auth: world.auth, queue };
    const phases: Phase[] = [];
    for (const processes of SCALE_OUT_PROCESSES) {
      if (phases.length > 0) await world.restartApp(processes);
      ctx.say(`${id}: ${processes} app process${processes > 1 ? "es" : ""}`);
      const load = new Load(target, ledger, { ...mix, leaseSeconds: timing.leaseSeconds });
      load.start();
      await sleep(timing.warmMs);
      const pids = () => ({ server: world.app.pid(), postgres: world.primary().pid() });
      const before = { cpu: sampleCpu(pids()), sent: ledger.acked.size, received: ledger.delivered, at: Date.now() };
      const errorsBefore = [...ledger.errors.values()].reduce((a, b) => a + b, 0);
      await sleep(measureMs);
      const cpu = cpuDelta(before.cpu, sampleCpu(pids()));
      const seconds = (Date.now() - before.at) / 1000;
      phases.push({
        processes,
        seconds,
        sent: ledger.acked.size - before.sent,
        received: ledger.delivered - before.received,
        pgCpu: cpu.postgres,
        appCpu: cpu.server,
        otherCpu: cpu.other,
        errors: [...ledger.errors.values()].reduce((a, b) => a + b, 0) - errorsBefore,
      });
      await load.stop();
    }
    ctx.say(`${id}: load stopped; draining`);
    const drained = await drainQueue(world, ledger, target, queue, timing.leaseSeconds);
    const summary = ledger.summary();
    const checks: Check[] = [
      ...ledgerChecks(summary),
      ...phases.map((p) => ({
        ok: p.sent >= 50 && p.received >= 50,
        what: `${p.processes} process${p.processes > 1 ? "es" : ""}: a real load (${p.sent} sent, ${p.received} received ≥ 50 each)`,
      })),
      { ok: drained, what: "the queue drained to 0 rows" },
    ];
    return {
      id,
      title,
      summary,
      recoveryMs: null,
      longestGapMs: 0,
      figures: [
        ...sideBySide(phases),
        `${mix.producers} producers × ${mix.batch}, ${mix.consumers} consumers × ${mix.receiveMax}, closed loop`,
      ],
      checks,
    };
  } finally {
    await world.close();
  }
}

function sideBySide(phases: Phase[]): string[] {
  const perSecond = (n: number, s: number) => Math.round(n / s);
  // A message's whole life (send, receive, delete) counted once: the mean of what went in and out.
  const per1k = (cpu: number | null, p: Phase) =>
    cpu === null ? "—" : ((cpu / ((p.sent + p.received) / 2)) * 1000).toFixed(2);
  const lines = phases.map(
    (p) =>
      `${p.processes} process${p.processes > 1 ? "es" : "  "}: ${perSecond(p.sent, p.seconds)} sent/s, ${perSecond(p.received, p.seconds)} received/s over ${p.seconds.toFixed(1)} s; CPU s per 1k messages: PostgreSQL ${per1k(p.pgCpu, p)}, app ${per1k(p.appCpu, p)}; other work on the machine ${p.otherCpu === null ? "—" : `${(p.otherCpu / p.seconds).toFixed(2)} cores`}; client errors ${p.errors}`,
  );
  const ones = phases.filter((p) => p.processes === 1);
  const two = phases.find((p) => p.processes === 2);
  if (ones.length && two) {
    const mean = (f: (p: Phase) => number) => ones.reduce((sum, p) => sum + f(p), 0) / ones.length;
    const rate = (p: Phase) => (p.sent + p.received) / p.seconds;
    const pgPer = (p: Phase) => (p.pgCpu ?? 0) / Math.max(1, p.sent + p.received);
    const appPer = (p: Phase) => (p.appCpu ?? 0) / Math.max(1, p.sent + p.received);
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "—");
    lines.push(
      `2 processes ÷ the mean of the 1-process phases: throughput ${ratio(rate(two), mean(rate))}×, CPU per message: PostgreSQL ${ratio(pgPer(two), mean(pgPer))}×, app ${ratio(appPer(two), mean(appPer))}×`,
    );
  }
  return lines;
}
