import type { CpuUsage } from "./cpu";
import { type CellResult, median } from "./loop";
import type { Path } from "./workloads/types";

// Turns measured cells into one row per workload and path (median over runs) and renders them as
// a console table, Markdown and JSON. Ratios are REST / floor from the same run.

export type MeasuredCell = { workload: string; title: string; path: Path; run: number; result: CellResult };

export type Summary = {
  workload: string;
  title: string;
  path: Path;
  runs: number;
  msgsPerSec: number;
  msgsPerSecRange: [number, number];
  opsPerSec: number;
  latency: Record<string, { p50: number; p99: number }>;
  errors: number;
  errorSamples: string[];
  emptiedAfter: number | null;
  /** Busy cores per component (CPU seconds / measured seconds). */
  cores: { loadgen: number; server: number | null; postgres: number | null; other: number | null };
  cpuMicrosPerMsg: number | null;
};

export function summarize(cells: MeasuredCell[]): Summary[] {
  const groups = new Map<string, MeasuredCell[]>();
  for (const cell of cells) {
    const key = `${cell.workload}\u0000${cell.path}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as MeasuredCell;
    const results = group.map((c) => c.result);
    const rates = results.map((r) => r.msgsPerSec);
    const stepNames = [...new Set(results.flatMap((r) => Object.keys(r.latency)))];
    const perCore = (pick: (c: CpuUsage) => number | null) => {
      const values = results.map((r) => (r.seconds > 0 ? pick(r.cpu) : null));
      return values.some((v) => v === null)
        ? null
        : median(values.map((v, i) => (v ?? 0) / (results[i]?.seconds ?? 1)));
    };
    const cores = {
      loadgen: perCore((c) => c.loadgen) ?? 0,
      server: perCore((c) => c.server),
      postgres: perCore((c) => c.postgres),
      other: perCore((c) => c.other),
    };
    const totalCores =
      cores.server === null || cores.postgres === null ? null : cores.loadgen + cores.server + cores.postgres;
    const rate = median(rates);
    const emptied = results.map((r) => r.emptiedAfter).filter((v): v is number => v !== null);
    return {
      workload: first.workload,
      title: first.title,
      path: first.path,
      runs: group.length,
      msgsPerSec: rate,
      msgsPerSecRange: [Math.min(...rates), Math.max(...rates)],
      opsPerSec: median(results.map((r) => r.opsPerSec)),
      latency: Object.fromEntries(
        stepNames.map((name) => [
          name,
          {
            p50: median(results.map((r) => r.latency[name]?.p50 ?? 0)),
            p99: median(results.map((r) => r.latency[name]?.p99 ?? 0)),
          },
        ]),
      ),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      errorSamples: [...new Set(results.flatMap((r) => r.errorSamples))],
      emptiedAfter: emptied.length > 0 ? Math.min(...emptied) : null,
      cores,
      cpuMicrosPerMsg: totalCores === null || rate === 0 ? null : (totalCores / rate) * 1e6,
    };
  });
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number | undefined) => (n === undefined ? "–" : n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "–");
const coreText = (n: number | null) => (n === null ? "–" : n.toFixed(2));

const header = [
  "workload",
  "path",
  "msgs/s",
  "ops/s",
  "p50 ms",
  "p99 ms",
  "errors",
  "cores gen/app/pg/other",
  "CPU µs/msg",
];

/** One table row per summary, plus a "REST/floor" row after each workload's pair. */
function tableRows(summaries: Summary[]): string[][] {
  const rows: string[][] = [];
  const workloads = [...new Set(summaries.map((s) => s.workload))];
  for (const workload of workloads) {
    const rest = summaries.find((s) => s.workload === workload && s.path === "rest");
    const floor = summaries.find((s) => s.workload === workload && s.path === "floor");
    for (const s of [rest, floor]) {
      if (!s) continue;
      const spread = s.runs > 1 ? ` (${int(s.msgsPerSecRange[0])}–${int(s.msgsPerSecRange[1])})` : "";
      const emptied = s.emptiedAfter !== null ? ` dry@${s.emptiedAfter.toFixed(1)}s` : "";
      rows.push([
        s === rest ? s.title : "",
        s.path === "rest" ? "REST" : "floor (pg)",
        `${int(s.msgsPerSec)}${spread}${emptied}`,
        int(s.opsPerSec),
        ms(s.latency.op?.p50),
        ms(s.latency.op?.p99),
        String(s.errors),
        [s.cores.loadgen, s.cores.server, s.cores.postgres, s.cores.other].map(coreText).join(" / "),
        s.cpuMicrosPerMsg === null ? "–" : int(s.cpuMicrosPerMsg),
      ]);
    }
    if (rest && floor) {
      const p50 = (s: Summary) => s.latency.op?.p50 ?? 0;
      const p99 = (s: Summary) => s.latency.op?.p99 ?? 0;
      rows.push([
        "",
        "REST / floor",
        ratio(rest.msgsPerSec, floor.msgsPerSec),
        ratio(rest.opsPerSec, floor.opsPerSec),
        `${ratio(p50(rest), p50(floor))}x`,
        `${ratio(p99(rest), p99(floor))}x`,
        "",
        "",
        rest.cpuMicrosPerMsg && floor.cpuMicrosPerMsg ? `${ratio(rest.cpuMicrosPerMsg, floor.cpuMicrosPerMsg)}x` : "–",
      ]);
    }
  }
  return rows;
}

/** Drain steps (receive, delete) latency lines; other workloads have one request per op. */
function stepLines(summaries: Summary[]): string[] {
  return summaries
    .filter((s) => s.latency.receive && s.latency.delete)
    .map((s) => {
      const step = (name: string) => `${name} p50 ${ms(s.latency[name]?.p50)} / p99 ${ms(s.latency[name]?.p99)} ms`;
      return `${s.workload} ${s.path}: ${step("receive")}, ${step("delete")}`;
    });
}

function errorLines(summaries: Summary[]): string[] {
  return summaries
    .filter((s) => s.errors > 0 || s.errorSamples.length > 0)
    .map((s) => `${s.workload} ${s.path}: ${s.errors} errors — ${s.errorSamples.join("; ")}`);
}

/** Cells during which other processes used a noticeable share of the machine. */
function noiseLines(summaries: Summary[]): string[] {
  const noisy = summaries.filter((s) => (s.cores.other ?? 0) > 0.25);
  if (noisy.length === 0) return [];
  const list = noisy.map((s) => `${s.workload} ${s.path} ${coreText(s.cores.other)}`).join(", ");
  return [`warning: other processes were busy during some cells (cores: ${list}); those numbers are low.`];
}

export function renderText(summaries: Summary[]): string {
  const rows = [header, ...tableRows(summaries)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const extra = [...stepLines(summaries), ...errorLines(summaries), ...noiseLines(summaries)];
  return [line(header), rule, ...rows.slice(1).map(line), ...(extra.length ? ["", ...extra] : [])].join("\n");
}

export function renderMarkdown(summaries: Summary[], environment: Record<string, string>): string {
  const cells = (r: string[]) => `| ${r.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  const align = header.map((_, i) => (i < 2 ? "---" : "---:"));
  const steps = stepLines(summaries);
  const errors = [...errorLines(summaries), ...noiseLines(summaries)];
  return [
    `# OpenCMQ benchmark ${environment.date ?? ""} (${environment.commit ?? ""})`,
    "",
    cells(header),
    cells(align),
    ...tableRows(summaries).map(cells),
    "",
    "msgs/s and ops/s: median over runs (min–max when several); an op is one request (send) or one",
    "receive + delete pair (drain). Latency is per op, closed loop. cores: busy CPU of load generator /",
    "Next server / PostgreSQL / everything else on the machine, during the measured window.",
    "Floor = the app's own SQL through `pg`, no HTTP; its SQL client runs inside the load generator.",
    "`dry@` = the pre-filled queue ran empty that many seconds into the window.",
    ...(steps.length ? ["", "Drain steps:", "", ...steps.map((s) => `- ${s}`)] : []),
    ...(errors.length ? ["", "Errors and warnings:", "", ...errors.map((s) => `- ${s}`)] : []),
    "",
    "## Environment",
    "",
    ...Object.entries(environment).map(([k, v]) => `- ${k}: ${v}`),
    "",
  ].join("\n");
}
