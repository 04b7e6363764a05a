import type { GoalCheck } from "./goals";
import { isAppPath, nextPathOf, type PathId, pathLabel, pathLabels } from "./paths";
import { type CellSummary, type Costs, costsOf, type PathSummary, type RunData } from "./summary";
import { metricsRowsOf } from "./workloads/metrics";
import type { PeekResult } from "./workloads/peek";
import { summarizeHotPath } from "./workloads/rewind-dlq";
import { throughputSpecs } from "./workloads/throughput";
import { summarizeFanOut } from "./workloads/topics";

// Renders a run as one table (console and Markdown), the goal verdicts, and details.

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : n < 10 ? n.toFixed(2) : n.toFixed(1);
const num = (n: number | null | undefined, digits: number) => (n === null || n === undefined ? "–" : n.toFixed(digits));
const isHttpPath = (path: PathId) => isAppPath(path) || path === "bare" || path === "node";
const core = (n: number | null) => (n === null ? "–" : n.toFixed(2));

const header = [
  "workload",
  "path",
  "durability",
  "msgs/s",
  "p50 ms",
  "p99 ms",
  "app CPU s/1k",
  "app CPU ms/req (× node)",
  "pg CPU s/1k",
  "WAL B/msg",
  "stmts/msg",
  "× next",
  "× bare",
  "× node",
  "× floor",
  "× pg-boss",
  "cores gen/app/pg/other",
  "notes",
];

type Row = string[];

/** App CPU per request, and its ratio to the bare node:http route's (the HTTP floor) when measured. */
function perRequest(c: Costs | null | undefined, node: Costs | null | undefined): string {
  const mine = c?.appCpuMsPerOp;
  if (mine === null || mine === undefined) return "–";
  const floor = node?.appCpuMsPerOp;
  return floor ? `${mine.toFixed(3)} (${(mine / floor).toFixed(1)}×)` : mine.toFixed(3);
}

function costCells(c: Costs | null | undefined, node?: Costs | null): string[] {
  return [
    num(c?.appCpuPer1k, 3),
    perRequest(c, node),
    num(c?.pgCpuPer1k, 3),
    c?.walPerMsg === null || c?.walPerMsg === undefined ? "–" : int(c.walPerMsg),
    num(c?.queriesPerMsg ?? c?.xactsPerMsg, 2),
  ];
}

const coresCell = (c: Costs | null | undefined) =>
  c ? [c.cores.gen, c.cores.app, c.cores.pg, c.cores.other].map((v) => core(v)).join(" / ") : "–";

/** One row of the main table, in `header` order; a column left out is blank. */
function row(r: {
  workload: string;
  path: string;
  durability: string;
  rate?: string;
  p50?: string;
  p99?: string;
  /** costCells(): app CPU, app CPU per request, pg CPU, WAL, statements. */
  costs?: string[];
  /** × next, × bare, × node, × floor, × pg-boss. */
  ratios?: string[];
  cores?: string;
  notes: string;
}): Row {
  return [
    r.workload,
    r.path,
    r.durability,
    r.rate ?? "",
    r.p50 ?? "",
    r.p99 ?? "",
    ...(r.costs ?? ["", "", "", "", ""]),
    ...(r.ratios ?? ["", "", "", "", ""]),
    r.cores ?? "",
    r.notes,
  ];
}

function throughputRows(summaries: PathSummary[], durability: string): Row[] {
  const rows: Row[] = [];
  for (const spec of throughputSpecs) {
    const mine = summaries.filter((s) => s.workload === spec.id);
    const maxOf = (path: PathId | undefined) => mine.find((s) => s.path === path)?.max?.msgsPerSec ?? null;
    const node = mine.find((s) => s.path === "node");
    mine.forEach((s, i) => {
      const cell: CellSummary | null = s.fixed ?? s.max;
      // CPU per request against the node:http route's cell of the same shape (HTTP paths only:
      // an in-process path's "app" is the load generator).
      const nodeCell = !isHttpPath(s.path) ? undefined : s.fixed ? node?.fixed : node?.max;
      const rate = s.max
        ? `${int(s.max.msgsPerSec)}${s.max.runs > 1 ? ` (${int(s.max.msgsPerSecRange[0])}–${int(s.max.msgsPerSecRange[1])})` : ""}${s.max.emptiedAfter !== null ? ` dry@${s.max.emptiedAfter.toFixed(1)}s` : ""}`
        : "–";
      const isApi = isAppPath(s.path);
      const ratio = (base: PathId | undefined) => {
        const b = maxOf(base);
        return isApi && base !== s.path && s.max && b ? (s.max.msgsPerSec / b).toFixed(2) : "";
      };
      const notes = [
        s.fixed ? `latency and costs: open loop @${int(s.fixed.targetRate ?? 0)} msgs/s` : "latency: closed loop",
        (cell?.errors ?? 0) + (s.max?.errors ?? 0) > 0 ? `${(cell?.errors ?? 0) + (s.max?.errors ?? 0)} errors` : "",
      ].filter(Boolean);
      rows.push(
        row({
          workload: i === 0 ? spec.title : "",
          path: s.label,
          durability,
          rate,
          p50: ms(cell?.p50),
          p99: ms(cell?.p99),
          costs: costCells(cell?.costs, nodeCell?.costs),
          ratios: [ratio(nextPathOf[s.path]), ratio("bare"), ratio("node"), ratio("floor"), ratio("pgboss")],
          cores: coresCell(s.max?.costs),
          notes: notes.join("; "),
        }),
      );
    });
  }
  return rows;
}

function otherRows(run: RunData): Row[] {
  const rows: Row[] = [];
  const d = run.durability;
  const st = run.stability;
  if (st) {
    const c = costsOf(st.result.usage, st.result.messages, "server");
    rows.push(
      row({
        workload: `W3 stability: drain ${int(st.backlog)} backlog`,
        path: "REST, 16/request",
        durability: d,
        rate: int(st.result.msgsPerSec),
        p50: ms(st.result.latency.op?.p50),
        p99: ms(st.result.latency.op?.p99),
        costs: costCells(c),
        cores: coresCell(c),
        notes: `first ${st.edgeSeconds} s ${int(st.firstRate)}/s, last ${st.edgeSeconds} s ${int(st.lastRate)}/s = ${(100 * st.ratio).toFixed(0)}%; ${st.result.seconds.toFixed(0)} s window; latency closed loop`,
      }),
    );
  }
  for (const m of run.mixed) {
    const best = m.best;
    const c = best ? costsOf(best.usage, best.outRate * best.producer.seconds, "server") : null;
    rows.push(
      row({
        workload: `W4 mixed, ${m.queues} queue${m.queues > 1 ? "s" : ""}`,
        path: `CMQ, 16/request, ${m.app}`,
        durability: d,
        rate: best ? int(best.rate) : `< ${int(m.steps[0]?.rate ?? 0)}`,
        p50: ms(best?.e2e.p50),
        p99: ms(best?.e2e.p99),
        costs: costCells(c),
        cores: coresCell(c),
        notes: `highest rate with a bounded backlog and e2e p99 ≤ 250 ms; ${m.consumers} consumers; steps ${m.steps.map((s) => `${int(s.rate)}${s.isBounded ? "✓" : "✗"} p99 ${s.e2e.p99.toFixed(0)}`).join(", ")}`,
      }),
    );
  }
  for (const w of run.wakeup) {
    rows.push(
      row({
        workload: "W5 long-poll wake-up",
        path: `${pathLabels[w.api]}, ${w.app}`,
        durability: d,
        p50: ms(w.latency.p50),
        p99: ms(w.latency.p99),
        notes: `send returned → receive returned; ${w.receivers} waiting, ${w.latency.count} samples, max ${ms(w.latency.max)} ms`,
      }),
    );
  }
  for (const p of run.idle) {
    const s = p.usage.seconds || 1;
    const pct = (v: number | null) => (v === null ? "–" : `${((100 * v) / s).toFixed(1)}%`);
    const per = (v: number | null) => (v === null ? "–" : (v / s).toFixed(1));
    rows.push(
      row({
        workload: p.waiters === 0 ? "W6 idle server, no waiters" : `W6 ${int(p.waiters)} idle long-pollers`,
        path: p.waiters === 0 ? p.app : `${pathLabels[p.api]}, ${p.app}`,
        durability: d,
        // No messages: only the busy cores of costsOf() mean anything here.
        cores: coresCell(costsOf(p.usage, 0, "server")),
        notes:
          `${p.queues} queues; app ${pct(p.usage.cpu.server)}, Postgres ${pct(p.usage.cpu.postgres)} of a core; ` +
          (p.usage.queries !== null ? `${per(p.usage.queries)} statements/s` : `${per(p.usage.xacts)} transactions/s`),
      }),
    );
  }
  rows.push(
    ...peekRows(run.peek),
    ...peekRows(run.peekLarge),
    ...hotPathRows(run),
    ...metricsRows(run),
    ...topicRows(run),
  );
  return rows;
}

function peekRows(peek: PeekResult | null): Row[] {
  const rows: Row[] = [];
  const size =
    peek && peek.bodyBytes !== 256
      ? ` of ${peek.bodyBytes >= 1024 ? `${peek.bodyBytes / 1024} KiB` : `${peek.bodyBytes} B`}`
      : "";
  for (const v of peek?.variants ?? []) {
    rows.push(
      row({
        workload: `W7 peek, ${int(peek?.messages ?? 0)} messages${size}`,
        path: `REST ${v.id}`,
        durability: "–",
        p50: ms(v.latency.p50),
        p99: ms(v.latency.p99),
        notes: `first page of 50 (${v.rows} rows); ${v.latency.count} sequential requests${v.errors.length ? `; ${v.errors.join(", ")}` : ""}`,
      }),
    );
  }
  return rows;
}

/** W8: one row per queue kind; costs are the fixed-rate cell plus its clean-up pass (history sweep, VACUUM). */
function hotPathRows(run: RunData): Row[] {
  const x = (n: number | null) => (n === null ? "–" : `${n.toFixed(2)}×`);
  return summarizeHotPath(run.hotPath).map((s, i) =>
    row({
      workload: i === 0 ? "W8 send 1 + receive 1 + delete 1" : "",
      path: `REST, ${s.label}`,
      durability: run.durability,
      rate: `${int(s.msgsPerSec)}${s.runs > 1 ? ` (${int(s.msgsPerSecRange[0])}–${int(s.msgsPerSecRange[1])})` : ""}`,
      p50: ms(s.p50),
      p99: ms(s.p99),
      costs: [
        num(s.appCpuPer1k, 3),
        "",
        num(s.pgCpuPer1k.total, 3),
        s.walPerMsg.total === null ? "–" : int(s.walPerMsg.total),
        "",
      ],
      cores: s.otherCores === null ? "" : `other ${core(s.otherCores)}`,
      notes:
        `pg CPU ${num(s.pgCpuPer1k.cell, 3)} cell + ${num(s.pgCpuPer1k.cleanup, 3)} clean-up s/1k, WAL ${int(s.walPerMsg.cell ?? 0)} + ${int(s.walPerMsg.cleanup ?? 0)} B` +
        (s.variant === "plain"
          ? ""
          : `; × plain: pg CPU ${x(s.vsPlain.pgCpu)}, WAL ${x(s.vsPlain.wal)} (cell alone ${x(s.vsPlain.pgCpuCell)}, ${x(s.vsPlain.walCell)})`) +
        `${s.isBehind ? "; EVERY RUN FELL BEHIND THE FIXED RATE (the machine was busy): costs unreliable" : ""}` +
        `; ${s.runs} run(s)${s.droppedRuns.length ? ` (run ${s.droppedRuns.join(", ")} left out: a fixed-rate cell fell behind)` : ""}, latency and costs @200 msgs/s${s.errors ? `; ${s.errors} errors` : ""}`,
    }),
  );
}

/** W9: metrics on vs off (costs of the fixed-rate cells), /metrics scrapes, listings (bench/workloads/metrics.ts). */
function metricsRows(run: RunData): Row[] {
  return metricsRowsOf(run.metrics, run.durability).map((r) =>
    row({
      ...r,
      costs: r.costs ? [num(r.costs.app, 3), "", num(r.costs.pg, 3), "", ""] : undefined,
    }),
  );
}

/** W10 (publish fan-out beside a plain send) and W11 (HTTP push); msgs/s = delivered messages. */
function topicRows(run: RunData): Row[] {
  const rows: Row[] = [];
  const x = (n: number | null) => (n === null ? "–" : `${n.toFixed(2)}×`);
  for (const [i, s] of summarizeFanOut(run.topics).entries()) {
    rows.push(
      row({
        workload: i === 0 ? "W10 publish fan-out (1 message per request)" : "",
        path: s.fanOut === 0 ? "REST, plain send" : `REST, publish → ${s.fanOut} queue${s.fanOut > 1 ? "s" : ""}`,
        durability: run.durability,
        rate: int(s.deliveredPerSec),
        p50: ms(s.p50),
        p99: ms(s.p99),
        costs: [
          num(s.appMsPerRequest === null ? null : s.appMsPerRequest / Math.max(1, s.fanOut), 3),
          num(s.appMsPerRequest, 3),
          num(s.pgMsPerDelivered, 3),
          s.walPerDelivered === null ? "–" : int(s.walPerDelivered),
          "",
        ],
        cores: s.otherCores === null ? "" : `other ${core(s.otherCores)}`,
        notes:
          `${int(s.requestsPerSec)} requests/s; per request: Postgres ${num(s.pgMsPerRequest, 3)} ms, WAL ${s.walPerRequest === null ? "–" : int(s.walPerRequest)} B` +
          (s.fanOut === 0
            ? ""
            : `; × plain send: Postgres per request ${x(s.vsSend.pgPerRequest)}, per delivered message ${x(s.vsSend.pgPerDelivered)}`) +
          `; closed loop, latency under saturation${s.errors ? `; ${s.errors} errors` : ""}`,
      }),
    );
  }
  for (const [i, c] of (run.topics?.push ?? []).entries()) {
    const pg = c.usage.cpu.postgres;
    const app = c.usage.cpu.server;
    rows.push(
      row({
        workload: i === 0 ? `W11 HTTP push, ${run.topics?.pushSubscriptions ?? "?"} subscriptions` : "",
        path: c.shape === "fixed" ? "REST publish, open loop" : "REST publish, burst",
        durability: run.durability,
        rate: int(c.deliveriesPerSec),
        p50: ms(c.latency?.p50),
        p99: ms(c.latency?.p99),
        costs: [
          num(app === null || c.received === 0 ? null : app / (c.received / 1000), 3),
          "",
          num(pg === null || c.received === 0 ? null : pg / (c.received / 1000), 3),
          c.usage.walBytes === null || c.received === 0 ? "–" : int(c.usage.walBytes / c.received),
          "",
        ],
        notes:
          `deliveries/s; p50/p99 publish → receipt; ${int(c.received)}/${int(c.expected)} pushes received from ${int(c.published)} publishes in ${c.seconds.toFixed(1)} s` +
          `; costs per delivery (the receiver runs in the load generator)${c.errors.length ? `; errors: ${c.errors.join("; ")}` : ""}`,
      }),
    );
  }
  return rows;
}

function tableRows(run: RunData, summaries: PathSummary[]): Row[] {
  return [...throughputRows(summaries, run.durability), ...otherRows(run)];
}

/** Closed-loop (maximum rate) figures and drain steps: the detail behind the main table. */
function maxRows(summaries: PathSummary[]): Row[] {
  return summaries
    .filter((s) => s.max)
    .map((s) => {
      const m = s.max as CellSummary;
      const steps = Object.entries(m.steps)
        .map(([name, v]) => `${name} ${ms(v.p50)}/${ms(v.p99)}`)
        .join(", ");
      return [
        s.title,
        s.label,
        int(m.msgsPerSec),
        int(m.opsPerSec),
        ms(m.p50),
        ms(m.p99),
        ...costCells(
          m.costs,
          isHttpPath(s.path) ? summaries.find((n) => n.workload === s.workload && n.path === "node")?.max?.costs : null,
        ),
        num(m.costs.xactsPerMsg, 2),
        coresCell(m.costs),
        [steps, m.errors ? `${m.errors} errors: ${m.errorSamples.join("; ")}` : ""].filter(Boolean).join("; "),
      ];
    });
}

const maxHeader = [
  "workload",
  "path",
  "msgs/s",
  "ops/s",
  "p50 ms",
  "p99 ms",
  "app CPU s/1k",
  "app CPU ms/req (× node)",
  "pg CPU s/1k",
  "WAL B/msg",
  "stmts/msg",
  "xacts/msg",
  "cores gen/app/pg/other",
  "steps p50/p99 ms; errors",
];

function noiseLines(run: RunData, summaries: PathSummary[]): string[] {
  const noisy = summaries.flatMap((s) =>
    [s.max, s.fixed]
      .filter((c): c is CellSummary => c !== null && (c.costs.cores.other ?? 0) > 0.25)
      .map((c) => `${s.workload} ${s.label} ${core(c.costs.cores.other)}`),
  );
  const st = run.stability;
  if (st && (costsOf(st.result.usage, st.result.messages, "server").cores.other ?? 0) > 0.25)
    noisy.push("W3 stability");
  if (noisy.length === 0) return [];
  return [
    `warning: other processes were busy during some cells (cores: ${noisy.join(", ")}); those numbers are low — run again.`,
  ];
}

function notMeasured(goals: GoalCheck[]): string[] {
  const skipped = goals.filter((g) => g.verdict === "n/a");
  return skipped.length
    ? [`n/a   ${skipped.length} goals not measured in this run (workloads or baselines left out)`]
    : [];
}

export function renderText(run: RunData, summaries: PathSummary[], goals: GoalCheck[]): string {
  const rows = [header, ...tableRows(run, summaries)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: Row) =>
    r
      .map((cell, i) => (i < 3 || i === r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [
    line(header),
    rule,
    ...rows.slice(1).map(line),
    "",
    ...goals.filter((g) => g.verdict !== "n/a").map((g) => `${g.verdict.padEnd(4)}  ${g.goal} — ${g.measured}`),
    ...notMeasured(goals),
    ...run.failures.map((f) => `ERROR ${f.workload} failed: ${f.error}`),
    ...noiseLines(run, summaries),
  ].join("\n");
}

const mdRow = (r: Row) => `| ${r.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
const mdAlign = (h: Row, left: number[]) => mdRow(h.map((_, i) => (left.includes(i) ? "---" : "---:")));

export function renderMarkdownTable(run: RunData, summaries: PathSummary[]): string {
  return [mdRow(header), mdAlign(header, [0, 1, 2, header.length - 1]), ...tableRows(run, summaries).map(mdRow)].join(
    "\n",
  );
}

/** Where Postgres time went: the top statements of each REST/CMQ/floor cell and each W6 phase. */
function statementLines(run: RunData): string[] {
  const lines: string[] = [];
  const fmt = (st: { calls: number; meanMs: number; totalMs: number; query: string }, per: number) =>
    `${(st.calls / per).toFixed(2)}${per === 1 ? "/s" : "/msg"} × ${st.meanMs.toFixed(3)} ms = ${int(st.totalMs)} ms: \`${st.query.slice(0, 110).replaceAll("`", "'")}\``;
  for (const cell of run.throughput) {
    if (cell.run !== 1 || !(isAppPath(cell.path) || cell.path === "floor")) continue;
    const top = cell.result.usage.topStatements.slice(0, 4);
    if (top.length === 0) continue;
    lines.push(
      `- ${cell.workload} ${pathLabel(cell.path, cell.processes)} ${cell.shape === "open" ? "fixed rate" : "max"}: ${top.map((t) => fmt(t, cell.result.messages || 1)).join("; ")}`,
    );
  }
  for (const c of run.hotPath) {
    const cell = c.fixed ?? c.max;
    const top = cell.usage.topStatements.slice(0, 4);
    if (c.run !== 1 || top.length === 0) continue;
    lines.push(
      `- W8 ${c.variant} ${c.fixed ? "fixed rate" : "max"}: ${top.map((t) => fmt(t, cell.messages || 1)).join("; ")}`,
    );
  }
  for (const { fanOut, result } of run.topics?.fanOut ?? []) {
    const top = result.usage.topStatements.slice(0, 4);
    if (top.length === 0) continue;
    lines.push(
      `- W10 ${fanOut === 0 ? "plain send" : `publish → ${fanOut} queue${fanOut > 1 ? "s" : ""}`} (per request): ${top.map((t) => fmt(t, result.ops || 1)).join("; ")}`,
    );
  }
  for (const c of run.topics?.push ?? []) {
    const top = c.usage.topStatements.slice(0, 4);
    if (top.length === 0) continue;
    lines.push(`- W11 ${c.shape} (per delivery): ${top.map((t) => fmt(t, c.received || 1)).join("; ")}`);
  }
  for (const p of run.idle) {
    const top = p.usage.topStatements.slice(0, 4);
    if (top.length === 0) continue;
    const seconds = p.usage.seconds || 1;
    lines.push(
      `- W6 ${p.waiters} ${pathLabels[p.api]} waiters on ${p.app} (per second): ${top.map((t) => fmt({ ...t, calls: t.calls / seconds }, 1)).join("; ")}`,
    );
  }
  return lines;
}

export function renderMarkdown(
  run: RunData,
  summaries: PathSummary[],
  goals: GoalCheck[],
  environment: Record<string, string>,
): string {
  const pass = goals.filter((g) => g.verdict === "PASS").length;
  const fail = goals.filter((g) => g.verdict === "FAIL").length;
  const statements = statementLines(run);
  const mixedLines = run.mixed.flatMap((m) =>
    m.steps.map(
      (s) =>
        `- ${m.queues} queue(s) @${int(s.rate)}/s: in ${int(s.inRate)}/s, out ${int(s.outRate)}/s, backlog ${int(s.backlogStart)} → ${int(s.backlogEnd)}, ` +
        `e2e p50 ${ms(s.e2e.p50)} / p99 ${ms(s.e2e.p99)} / max ${ms(s.e2e.max)} ms, ${s.isBounded ? "bounded" : "not bounded"}` +
        `${s.missing ? `, ${s.missing} not received` : ""}${s.errors.length ? `; ${s.errors.join("; ")}` : ""}`,
    ),
  );
  return [
    `# OpenCMQ benchmark ${environment.date ?? ""} (${environment.commit ?? ""}, ${run.mode})`,
    "",
    renderMarkdownTable(run, summaries),
    "",
    "How to read it: msgs/s is the closed-loop maximum (`connections` callers back to back). For W1–W3, p50/p99",
    "and the per-message costs come from an open-loop cell at a fixed rate, the same for every path",
    "(latency from the intended send time). REST and CMQ go through the app's front (one row per process",
    "count: 'N proc'); 'via next start' is the same build served by plain `next start`. CPU in seconds per",
    "1,000 messages: app = the app server's whole process tree (front: cluster primary and workers), a bare",
    "route's server, or for in-process paths (floor, pg-boss) the bench process itself; app CPU ms/req = per",
    "request (W3: per receive + delete), with its ratio to the bare node:http route's (the HTTP floor); pg = all",
    "PostgreSQL processes. WAL from pg_current_wal_insert_lsn. stmts/msg = pg_stat_statements calls per",
    "message (all statements in the database: the app's background workers and the bench's own set-up",
    "are included). × next / bare / node / floor / pg-boss = msgs/s ÷ that path's msgs/s (× next: REST ÷ REST",
    "via next start, CMQ ÷ CMQ via next start). cores = busy CPU during the",
    "closed-loop cell: load generator / app / PostgreSQL / everything else on the machine. durability: sync =",
    "synchronous_commit on, fsync on — every acknowledged message is on disk.",
    "",
    `## Goals: ${pass} pass, ${fail} fail`,
    "",
    ...goals.filter((g) => g.verdict !== "n/a").map((g) => `- **${g.verdict}** ${g.goal} — ${g.measured}`),
    ...notMeasured(goals).map((l) => `- ${l}`),
    ...run.failures.map((f) => `- **ERROR** ${f.workload} failed: ${f.error}`),
    ...noiseLines(run, summaries).map((l) => `- ${l}`),
    "",
    "## At maximum rate (closed loop)",
    "",
    mdRow(maxHeader),
    mdAlign(maxHeader, [0, 1, maxHeader.length - 1]),
    ...maxRows(summaries).map(mdRow),
    ...(mixedLines.length ? ["", "## W4 steps", "", ...mixedLines] : []),
    ...(run.stability
      ? ["", "## W3 stability, msgs per second", "", run.stability.result.timeline.map(int).join(" ")]
      : []),
    ...(statements.length
      ? ["", "## Top statements by execution time (pg_stat_statements, first run)", "", ...statements]
      : []),
    "",
    "## Environment",
    "",
    ...Object.entries(environment).map(([k, v]) => `- ${k}: ${v}`),
    "",
  ].join("\n");
}
