import { isFrontPath, NEXT_START, nextPathOf, pathLabels } from "./paths";
import type { PathSummary, RunData } from "./summary";
import { metricsGoals } from "./workloads/metrics";
import { summarizeHotPath } from "./workloads/rewind-dlq";
import { summarizeFanOut } from "./workloads/topics";

// The issue's goals, each checked against this run: PASS, FAIL, or n/a when the run did not measure
// it (a subset was selected, or a baseline was missing).

export type Verdict = "PASS" | "FAIL" | "n/a";
export type GoalCheck = { id: string; goal: string; measured: string; verdict: Verdict };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const x = (n: number) => `${n.toFixed(2)}×`;

export function checkGoals(run: RunData, summaries: PathSummary[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const find = (workload: string, path: string) => summaries.find((s) => s.workload === workload && s.path === path);
  /** The app's rows through the front (REST and CMQ, one per --processes count). */
  const fronts = (workload: string) => summaries.filter((s) => s.workload === workload && isFrontPath(s.path));
  const add = (id: string, goal: string, measured: string | null, pass: boolean | null) =>
    checks.push({
      id,
      goal,
      measured: measured ?? "not measured",
      verdict: pass === null ? "n/a" : pass ? "PASS" : "FAIL",
    });
  const apis = ["rest", "cmq"] as const;

  // The lean front against the Next-routed path (the same build under `next start`), same run.
  const nextGoals = { W1: 3, W2: 1.4, "W3.16": 1.4, "W3.1": 2.5 } as const;
  for (const [workload, min] of Object.entries(nextGoals)) {
    const rows = fronts(workload);
    for (const s of rows) {
      const nextPath = nextPathOf[s.path];
      const next = nextPath ? find(workload, nextPath)?.max : undefined;
      const r = s.max && next ? s.max.msgsPerSec / next.msgsPerSec : null;
      add(
        `next ${workload} ${s.label}`,
        `${workload} ${s.label}: ≥ ${min}× the Next-routed path (${nextPath ? pathLabels[nextPath] : "?"})`,
        r === null ? null : `${x(r)} (${int(s.max?.msgsPerSec ?? 0)} vs ${int(next?.msgsPerSec ?? 0)} msgs/s)`,
        r === null ? null : r >= min,
      );
    }
    if (rows.length === 0) add(`next ${workload}`, `${workload}: ≥ ${min}× the Next-routed path`, null, null);
  }

  // W1 against the SQL floor, and the app's CPU per request against the node:http route's.
  const w1Floor = find("W1", "floor")?.max;
  const w1Node = find("W1", "node");
  for (const s of fronts("W1")) {
    const r = s.max && w1Floor ? s.max.msgsPerSec / w1Floor.msgsPerSec : null;
    add(
      `sql-floor W1 ${s.label}`,
      `W1 ${s.label}: ≥ 40% of the SQL floor's rate`,
      r === null
        ? null
        : `${(100 * r).toFixed(0)}% (${int(s.max?.msgsPerSec ?? 0)} vs ${int(w1Floor?.msgsPerSec ?? 0)} msgs/s)`,
      r === null ? null : r >= 0.4,
    );
    // At the maximum rate, where the issue measured it (32 connections); the fixed-rate figure and
    // the node:http route's are context.
    const cpu = s.max?.costs.appCpuMsPerOp ?? null;
    const fixed = s.fixed?.costs.appCpuMsPerOp ?? null;
    const node = w1Node?.max?.costs.appCpuMsPerOp ?? null;
    add(
      `app-cpu W1 ${s.label}`,
      `W1 ${s.label}: app CPU ≤ 0.35 ms per request (all of its processes, at max rate)`,
      cpu === null
        ? null
        : `${cpu.toFixed(3)} ms` +
            `${fixed === null ? "" : `; ${fixed.toFixed(3)} ms at the fixed rate`}` +
            `${node === null ? "" : `; bare node:http route ${node.toFixed(3)} ms (${x(cpu / node)})`}`,
      cpu === null ? null : cpu <= 0.35,
    );
  }

  // Postgres CPU and WAL per message against the SQL floor, at the same fixed (open-loop) rate.
  for (const workload of ["W1", "W2", "W3.1", "W3.16"] as const) {
    const floor = find(workload, "floor")?.fixed ?? find(workload, "floor")?.max;
    for (const s of fronts(workload)) {
      const cell = s?.fixed ?? s?.max;
      const basis = s?.fixed ? "at the fixed rate" : "at max rate";
      const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? a / b : null);
      const cpu = ratio(cell?.costs.pgCpuPer1k, floor?.costs.pgCpuPer1k);
      // Context: the bare Next route runs the same INSERT, so its ratio is what any HTTP server pays.
      const bareCell = find(workload, "bare")?.fixed ?? find(workload, "bare")?.max;
      const bareCpu = ratio(bareCell?.costs.pgCpuPer1k, floor?.costs.pgCpuPer1k);
      add(
        `pg-cpu ${workload} ${s.label}`,
        `${workload} ${s.label}: Postgres CPU/msg ≤ 1.25× the SQL floor`,
        cpu === null
          ? null
          : `${x(cpu)} (${cell?.costs.pgCpuPer1k?.toFixed(3)} vs ${floor?.costs.pgCpuPer1k?.toFixed(3)} s/1k, ${basis}` +
              `${bareCpu === null ? "" : `; bare route ${x(bareCpu)}`})`,
        cpu === null ? null : cpu <= 1.25,
      );
      const wal = ratio(cell?.costs.walPerMsg, floor?.costs.walPerMsg);
      add(
        `wal ${workload} ${s.label}`,
        `${workload} ${s.label}: WAL bytes/msg ≤ 1.2× the SQL floor`,
        wal === null
          ? null
          : `${x(wal)} (${int(cell?.costs.walPerMsg ?? 0)} vs ${int(floor?.costs.walPerMsg ?? 0)} B, ${basis})`,
        wal === null ? null : wal <= 1.2,
      );
    }
  }

  // HTTP overhead against the bare Next route, and the absolute rates.
  for (const workload of ["W1", "W2"] as const) {
    const bare = find(workload, "bare")?.max;
    for (const row of fronts(workload)) {
      const s = row.max;
      const r = s && bare ? s.msgsPerSec / bare.msgsPerSec : null;
      add(
        `http ${workload} ${row.label}`,
        `${workload} ${row.label}: ≥ 85% of the bare-route rate`,
        r === null
          ? null
          : `${(100 * r).toFixed(0)}% (${int(s?.msgsPerSec ?? 0)} vs ${int(bare?.msgsPerSec ?? 0)} msgs/s)`,
        r === null ? null : r >= 0.85,
      );
    }
  }
  const rateGoal = (workload: string, min: number, label: string) => {
    for (const row of fronts(workload)) {
      const s = row.max;
      add(
        `rate ${workload} ${row.label}`,
        `${label} ${row.label} ≥ ${int(min)} msgs/s`,
        s ? `${int(s.msgsPerSec)} msgs/s` : null,
        s ? s.msgsPerSec >= min : null,
      );
    }
  };
  rateGoal("W1", 800, "W1");
  rateGoal("W2", 8000, "W2");
  rateGoal("W3.16", 4000, "W3 batched");

  const st = run.stability;
  add(
    "stability W3",
    "W3 REST drain of a large backlog: last 10 s ≥ 70% of the first 10 s",
    st
      ? `${(100 * st.ratio).toFixed(0)}% (${int(st.firstRate)} → ${int(st.lastRate)} msgs/s over ${st.result.seconds.toFixed(0)} s, ${int(st.backlog)} backlog${st.edgeSeconds !== 10 ? `, ${st.edgeSeconds} s edges` : ""})`
      : null,
    st ? st.ratio >= 0.7 && st.result.emptiedAfter === null : null,
  );

  // W4–W6 ran on each front (and W4 on `next start`): one verdict per app server.
  const w4Labels = [...new Set(run.mixed.map((m) => m.app))];
  const w4Fronts = w4Labels.filter((a) => a !== NEXT_START);
  // Without a front, the app itself is `next start`: nothing to compare with.
  const w4Next = w4Fronts.length ? run.mixed.find((m) => m.queues === 10 && m.app === NEXT_START) : undefined;
  for (const app of w4Fronts.length ? w4Fronts : w4Labels.length ? w4Labels : [null]) {
    const w4 = run.mixed.find((m) => m.queues === 10 && m.app === app);
    const best = w4?.best;
    const on = app ? ` on ${app}` : "";
    add(
      `mixed W4${on}`,
      `W4 CMQ over 10 queues${on}: ≥ 2,500 msgs/s in = out, bounded backlog, e2e p99 ≤ 250 ms`,
      w4
        ? best
          ? `${int(best.rate)} msgs/s bounded with p99 ${best.e2e.p99.toFixed(0)} ms`
          : `no step bounded with p99 ≤ 250 ms (${w4.steps.map((s) => `${int(s.rate)}: ${s.isBounded ? "bounded" : "unbounded"}, p99 ${s.e2e.p99.toFixed(0)} ms`).join("; ")})`
        : null,
      w4 ? (best?.rate ?? 0) >= 2500 : null,
    );
    // The steps are fixed rates: "≥ 2×" can only be read off them when next start's bound is low enough.
    const nextRate = w4Next?.best?.rate ?? null;
    const mine = w4 ? (best?.rate ?? 0) : null;
    add(
      `mixed-next W4${on}`,
      `W4 CMQ over 10 queues${on}: ≥ 2× next start's bounded rate (same steps, same run)`,
      mine === null || !w4Next
        ? null
        : `${int(mine)} vs ${nextRate === null ? `none bounded (lowest step ${int(w4Next.steps[0]?.rate ?? 0)})` : int(nextRate)} msgs/s` +
            `${w4 && nextRate !== null && 2 * nextRate > Math.max(...w4.steps.map((s) => s.rate)) ? " (2× is above the highest step: add --w4-rates)" : ""}`,
      // next start bounded nothing: its rate is below the lowest step, so ≥ 2× that step passes;
      // anything less has no ratio to read (n/a).
      mine === null || !w4Next
        ? null
        : nextRate !== null
          ? mine >= 2 * nextRate
          : mine >= 2 * (w4Next.steps[0]?.rate ?? Number.POSITIVE_INFINITY) || null,
    );
  }

  const wakeApps = [...new Set(run.wakeup.map((w) => w.app))];
  for (const app of wakeApps.length ? wakeApps : [null]) {
    const on = app && wakeApps.length > 1 ? `, ${app}` : "";
    for (const api of apis) {
      const w = run.wakeup.find((r) => r.api === api && (app === null || r.app === app));
      add(
        `wakeup W5 ${api}${on}`,
        `W5 ${pathLabels[api]}${on} long-poll wake-up p99 ≤ 10 ms`,
        w
          ? `p99 ${w.latency.p99.toFixed(1)} ms (p50 ${w.latency.p50.toFixed(1)}, ${w.latency.count} samples, ${w.receivers} waiting)`
          : null,
        w ? w.latency.p99 <= 10 && w.latency.count > 0 : null,
      );
    }
  }

  const idleApps = [...new Set(run.idle.map((p) => p.app))];
  const rate = (p: { usage: { queries: number | null; xacts: number | null; seconds: number } }) =>
    (p.usage.queries ?? p.usage.xacts ?? 0) / p.usage.seconds;
  for (const app of idleApps.length ? idleApps : [null]) {
    const on = app && idleApps.length > 1 ? ` on ${app}` : "";
    const idle = run.idle.filter((p) => app === null || p.app === app);
    for (const phase of idle.filter((p) => p.waiters >= 1000)) {
      const cores = (phase.usage.cpu.server ?? 0) + (phase.usage.cpu.postgres ?? 0);
      const pct = (100 * cores) / phase.usage.seconds;
      add(
        `idle-cpu W6 ${phase.api}${on}`,
        `W6 ${phase.waiters} idle ${pathLabels[phase.api]} long-pollers${on}: app + Postgres ≤ 5% of one core`,
        `${pct.toFixed(1)}% (app ${((100 * (phase.usage.cpu.server ?? 0)) / phase.usage.seconds).toFixed(1)}%, Postgres ${((100 * (phase.usage.cpu.postgres ?? 0)) / phase.usage.seconds).toFixed(1)}%)`,
        pct <= 5,
      );
    }
    const one = idle.find((p) => p.api === "rest" && p.waiters === p.queues);
    const ten = idle.find((p) => p.api === "rest" && p.waiters === 10 * p.queues);
    const none = idle.find((p) => p.waiters === 0);
    if (one && ten) {
      const base = none ? rate(none) : 0;
      const a = rate(one) - base;
      const b = rate(ten) - base;
      add(
        `idle-poll W6${on}`,
        `W6 no per-waiter database polling${on}: statements/s with 10 waiters per queue ≤ 2× with 1 per queue`,
        `${b.toFixed(1)}/s with ${ten.waiters} waiters vs ${a.toFixed(1)}/s with ${one.waiters} (idle server's own ${base.toFixed(1)}/s subtracted; ${(b / ten.queues).toFixed(2)}/s per queue)`,
        b <= 2 * Math.max(a, 1),
      );
    } else {
      add(`idle-poll W6${on}`, "W6 no per-waiter database polling", null, null);
    }
  }

  for (const v of run.peek?.variants ?? []) {
    add(
      `peek W7 ${v.id}`,
      `W7 peek ${v.id} p99 ≤ 300 ms`,
      `p99 ${v.latency.p99.toFixed(0)} ms (p50 ${v.latency.p50.toFixed(0)}, ${v.latency.count} requests)`,
      v.latency.count > 0 && v.errors.length === 0 && v.latency.p99 <= 300,
    );
  }
  if (!run.peek) add("peek W7", "W7 peek p99 ≤ 300 ms", null, null);

  // Issue 10: the same W7 goal over 64 KiB bodies.
  const large = run.peekLarge;
  for (const v of large?.variants ?? []) {
    add(
      `peek W7 64KiB ${v.id}`,
      `W7 peek, ${int(large?.messages ?? 0)} messages of 64 KiB, ${v.id} p99 ≤ 300 ms`,
      `p99 ${v.latency.p99.toFixed(0)} ms (p50 ${v.latency.p50.toFixed(0)}, ${v.latency.count} requests)`,
      v.latency.count > 0 && v.errors.length === 0 && v.latency.p99 <= 300,
    );
  }
  if (!large) add("peek W7 64KiB", "W7 peek with 64 KiB bodies p99 ≤ 300 ms", null, null);

  // Issue 10: rewind and a dead-letter queue on cost ≤ 1.15× the Postgres CPU per message of the same
  // queue without them (W8, fixed rate, the history sweep's and vacuum's share included).
  const hot = summarizeHotPath(run.hotPath);
  const both = hot.find((s) => s.variant === "both");
  const plain = hot.find((s) => s.variant === "plain");
  const others = hot
    .filter((s) => s.variant === "rewind" || s.variant === "dlq")
    .map((s) => `${s.variant} ${s.vsPlain.pgCpu === null ? "?" : x(s.vsPlain.pgCpu)}`)
    .join(", ");
  const r = both?.vsPlain.pgCpu ?? null;
  add(
    "rewind-dlq W8",
    "W8 REST send + receive + delete with rewind and a DLQ: Postgres CPU/msg ≤ 1.15× the plain queue's (clean-up included)",
    r === null || !both || !plain
      ? null
      : `${both.isBehind || plain.isBehind ? "not judged: every run fell behind the fixed rate; " : ""}${x(r)} (${both.pgCpuPer1k.total?.toFixed(3)} vs ${plain.pgCpuPer1k.total?.toFixed(3)} s/1k; hot path alone ${both.vsPlain.pgCpuCell === null ? "?" : x(both.vsPlain.pgCpuCell)}; ` +
          `WAL ${both.vsPlain.wal === null ? "?" : x(both.vsPlain.wal)}; ${others}; median of ${both.runs} paired run(s)` +
          `${both.droppedRuns.length ? `; run ${both.droppedRuns.join(", ")} left out, behind the fixed rate` : ""})`,
    // Measured only while the fixed rate was kept: behind it, requests coalesce and costs drop.
    r === null || both?.isBehind || plain?.isBehind ? null : r <= 1.15,
  );

  // Issue 12: monitoring's cost on the hot path, /metrics with many queues, listing full queues (W9).
  for (const g of metricsGoals(run.metrics)) add(g.id, g.goal, g.measured, g.pass);
  // Issue 11, W10. A publish to one queue is a plain send plus the targets read (one statement) and
  // one more row (topic_message, the delivery record): ≤ 3× a send's Postgres CPU. A publish to many
  // queues writes all their rows in one statement and one commit where sends need one request each:
  // per delivered message it costs no more than a plain send (100 queues ≤ 1.0×).
  const fan = summarizeFanOut(run.topics);
  const fan1 = fan.find((f) => f.fanOut === 1);
  const fan100 = fan.find((f) => f.fanOut === 100);
  const send = fan.find((f) => f.fanOut === 0);
  const r1 = fan1?.vsSend.pgPerRequest ?? null;
  add(
    "publish W10 1q",
    "W10 REST publish to 1 queue: Postgres CPU per publish ≤ 3× a plain send's per message",
    r1 === null ? null : `${x(r1)} (${fan1?.pgMsPerRequest?.toFixed(3)} vs ${send?.pgMsPerDelivered?.toFixed(3)} ms)`,
    r1 === null ? null : r1 <= 3,
  );
  const r100 = fan100?.vsSend.pgPerDelivered ?? null;
  add(
    "publish W10 100q",
    "W10 REST publish to 100 queues: Postgres CPU per delivered message ≤ 1.0× a plain send's",
    r100 === null
      ? null
      : `${x(r100)} (${fan100?.pgMsPerDelivered?.toFixed(4)} vs ${send?.pgMsPerDelivered?.toFixed(3)} ms; 10 queues ${x(fan.find((f) => f.fanOut === 10)?.vsSend.pgPerDelivered ?? Number.NaN)})`,
    r100 === null ? null : r100 <= 1,
  );
  // W11: at the fixed rate every push arrives, publish → receipt p99 ≤ 250 ms (W4's end-to-end bound).
  const fixed = run.topics?.push.find((c) => c.shape === "fixed");
  add(
    "push W11",
    "W11 HTTP push at the fixed rate: every push received, publish → receipt p99 ≤ 250 ms",
    fixed?.latency
      ? `p99 ${fixed.latency.p99.toFixed(0)} ms (p50 ${fixed.latency.p50.toFixed(0)}), ${int(fixed.received)}/${int(fixed.expected)} received, ${int(fixed.deliveriesPerSec)} deliveries/s`
      : null,
    fixed?.latency ? fixed.received === fixed.expected && fixed.latency.p99 <= 250 : null,
  );
  return checks;
}
