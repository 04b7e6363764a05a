import { pathLabels } from "./paths";
import type { PathSummary, RunData } from "./summary";

// The issue's goals, each checked against this run: PASS, FAIL, or n/a when the run did not measure
// it (a subset was selected, or a baseline was missing).

export type Verdict = "PASS" | "FAIL" | "n/a";
export type GoalCheck = { id: string; goal: string; measured: string; verdict: Verdict };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const x = (n: number) => `${n.toFixed(2)}×`;

export function checkGoals(run: RunData, summaries: PathSummary[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const find = (workload: string, path: string) => summaries.find((s) => s.workload === workload && s.path === path);
  const add = (id: string, goal: string, measured: string | null, pass: boolean | null) =>
    checks.push({
      id,
      goal,
      measured: measured ?? "not measured",
      verdict: pass === null ? "n/a" : pass ? "PASS" : "FAIL",
    });
  const apis = ["rest", "cmq"] as const;

  // Postgres CPU and WAL per message against the SQL floor, at the same fixed (open-loop) rate.
  for (const workload of ["W1", "W2", "W3.1", "W3.16"] as const) {
    const floor = find(workload, "floor")?.fixed ?? find(workload, "floor")?.max;
    for (const api of apis) {
      const s = find(workload, api);
      const cell = s?.fixed ?? s?.max;
      const basis = s?.fixed ? "at the fixed rate" : "at max rate";
      const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? a / b : null);
      const cpu = ratio(cell?.costs.pgCpuPer1k, floor?.costs.pgCpuPer1k);
      // Context: the bare Next route runs the same INSERT, so its ratio is what any HTTP server pays.
      const bareCell = find(workload, "bare")?.fixed ?? find(workload, "bare")?.max;
      const bareCpu = ratio(bareCell?.costs.pgCpuPer1k, floor?.costs.pgCpuPer1k);
      add(
        `pg-cpu ${workload} ${api}`,
        `${workload} ${pathLabels[api]}: Postgres CPU/msg ≤ 1.25× the SQL floor`,
        cpu === null
          ? null
          : `${x(cpu)} (${cell?.costs.pgCpuPer1k?.toFixed(3)} vs ${floor?.costs.pgCpuPer1k?.toFixed(3)} s/1k, ${basis}` +
              `${bareCpu === null ? "" : `; bare route ${x(bareCpu)}`})`,
        cpu === null ? null : cpu <= 1.25,
      );
      const wal = ratio(cell?.costs.walPerMsg, floor?.costs.walPerMsg);
      add(
        `wal ${workload} ${api}`,
        `${workload} ${pathLabels[api]}: WAL bytes/msg ≤ 1.2× the SQL floor`,
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
    for (const api of apis) {
      const s = find(workload, api)?.max;
      const r = s && bare ? s.msgsPerSec / bare.msgsPerSec : null;
      add(
        `http ${workload} ${api}`,
        `${workload} ${pathLabels[api]}: ≥ 85% of the bare-route rate`,
        r === null
          ? null
          : `${(100 * r).toFixed(0)}% (${int(s?.msgsPerSec ?? 0)} vs ${int(bare?.msgsPerSec ?? 0)} msgs/s)`,
        r === null ? null : r >= 0.85,
      );
    }
  }
  const rateGoal = (workload: string, min: number, label: string) => {
    for (const api of apis) {
      const s = find(workload, api)?.max;
      add(
        `rate ${workload} ${api}`,
        `${label} ${pathLabels[api]} ≥ ${int(min)} msgs/s`,
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

  const w4 = run.mixed.find((m) => m.queues === 10);
  const best = w4?.best;
  add(
    "mixed W4",
    "W4 CMQ over 10 queues: ≥ 2,500 msgs/s in = out, bounded backlog, e2e p99 ≤ 250 ms",
    w4
      ? best
        ? `${int(best.rate)} msgs/s bounded with p99 ${best.e2e.p99.toFixed(0)} ms`
        : `no step bounded with p99 ≤ 250 ms (${w4.steps.map((s) => `${int(s.rate)}: ${s.isBounded ? "bounded" : "unbounded"}, p99 ${s.e2e.p99.toFixed(0)} ms`).join("; ")})`
      : null,
    w4 ? (best?.rate ?? 0) >= 2500 : null,
  );

  for (const api of apis) {
    const w = run.wakeup.find((r) => r.api === api);
    add(
      `wakeup W5 ${api}`,
      `W5 ${pathLabels[api]} long-poll wake-up p99 ≤ 10 ms`,
      w
        ? `p99 ${w.latency.p99.toFixed(1)} ms (p50 ${w.latency.p50.toFixed(1)}, ${w.latency.count} samples, ${w.receivers} waiting)`
        : null,
      w ? w.latency.p99 <= 10 && w.latency.count > 0 : null,
    );
  }

  const busy = run.idle.filter((p) => p.waiters >= 1000);
  for (const phase of busy) {
    const cores = (phase.usage.cpu.server ?? 0) + (phase.usage.cpu.postgres ?? 0);
    const pct = (100 * cores) / phase.usage.seconds;
    add(
      `idle-cpu W6 ${phase.api}`,
      `W6 ${phase.waiters} idle ${pathLabels[phase.api]} long-pollers: app + Postgres ≤ 5% of one core`,
      `${pct.toFixed(1)}% (app ${((100 * (phase.usage.cpu.server ?? 0)) / phase.usage.seconds).toFixed(1)}%, Postgres ${((100 * (phase.usage.cpu.postgres ?? 0)) / phase.usage.seconds).toFixed(1)}%)`,
      pct <= 5,
    );
  }
  const rate = (p: { usage: { queries: number | null; xacts: number | null; seconds: number } }) =>
    (p.usage.queries ?? p.usage.xacts ?? 0) / p.usage.seconds;
  const one = run.idle.find((p) => p.api === "rest" && p.waiters === p.queues);
  const ten = run.idle.find((p) => p.api === "rest" && p.waiters === 10 * p.queues);
  const none = run.idle.find((p) => p.waiters === 0);
  if (one && ten) {
    const base = none ? rate(none) : 0;
    const a = rate(one) - base;
    const b = rate(ten) - base;
    add(
      "idle-poll W6",
      "W6 no per-waiter database polling: statements/s with 10 waiters per queue ≤ 2× with 1 per queue",
      `${b.toFixed(1)}/s with ${ten.waiters} waiters vs ${a.toFixed(1)}/s with ${one.waiters} (idle server's own ${base.toFixed(1)}/s subtracted; ${(b / ten.queues).toFixed(2)}/s per queue)`,
      b <= 2 * Math.max(a, 1),
    );
  } else {
    add("idle-poll W6", "W6 no per-waiter database polling", null, null);
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
  return checks;
}
