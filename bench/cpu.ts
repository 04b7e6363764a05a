import { readdirSync, readFileSync } from "node:fs";

// CPU seconds per component from /proc (Linux only; elsewhere the readings are null). A process
// tree's CPU is utime+stime+cutime+cstime summed over its live members: cutime/cstime hold the
// time of children already reaped (e.g. Postgres backends that disconnected), so nothing is lost
// or counted twice.

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every mainstream Linux build

type Stat = { pid: number; ppid: number; ticks: number };

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces; the fields after it are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(fields[i] ?? 0);
    // fields[0] is field 3 (state): ppid = field 4, utime..cstime = fields 14..17.
    return { pid, ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) };
  } catch {
    return null;
  }
}

function allStats(): Stat[] {
  const stats: Stat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** `rootPid` and all its live descendants (a cluster primary and its workers, Postgres and its backends). */
function tree(rootPid: number, stats: Stat[]): Stat[] {
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return [];
  const members: Stat[] = [];
  const stack = [root];
  for (let s = stack.pop(); s; s = stack.pop()) {
    members.push(s);
    stack.push(...(children.get(s.pid) ?? []));
  }
  return members;
}

/** CPU seconds used so far by `rootPid` and all its live descendants, or null if unreadable. */
function treeCpuSeconds(rootPid: number | undefined, stats: Stat[] | null): number | null {
  if (!rootPid || !stats) return null;
  const members = tree(rootPid, stats);
  if (members.length === 0) return null;
  return members.reduce((sum, s) => sum + s.ticks, 0) / TICKS_PER_SECOND;
}

/** The pids of `rootPid`'s process tree, root first (empty when unreadable). */
export function processTree(rootPid: number): number[] {
  const stats = safeAllStats();
  return stats ? tree(rootPid, stats).map((s) => s.pid) : [];
}

function safeAllStats(): Stat[] | null {
  try {
    return allStats();
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine (all processes), from the first line of /proc/stat. */
function machineCpuSeconds(): number | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = fields.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
    return busy / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The measured process trees: the app server being measured (the front with all its cluster
 * workers, or `next start`), the bare Next route, the bare node:http route, PostgreSQL.
 */
export type Pids = { server?: number; bare?: number; node?: number; postgres?: number };

/** CPU seconds used so far: this process, each measured tree, the whole machine. */
export type CpuReading = {
  loadgen: number;
  server: number | null;
  bare: number | null;
  node: number | null;
  postgres: number | null;
  machine: number | null;
};

/** CPU seconds used during an interval, per component. */
export type CpuUsage = {
  /** This process: the load generator, and for in-process paths (floor, pg-boss) the client too. */
  loadgen: number;
  server: number | null;
  bare: number | null;
  node: number | null;
  postgres: number | null;
  /** Everything else on the machine: other users of the shared cores during the cell. */
  other: number | null;
};

export function sampleCpu(pids: Pids): CpuReading {
  const stats = safeAllStats();
  const own = process.cpuUsage();
  return {
    loadgen: (own.user + own.system) / 1e6,
    server: treeCpuSeconds(pids.server, stats),
    bare: treeCpuSeconds(pids.bare, stats),
    node: treeCpuSeconds(pids.node, stats),
    postgres: treeCpuSeconds(pids.postgres, stats),
    machine: machineCpuSeconds(),
  };
}

export function cpuDelta(before: CpuReading, after: CpuReading): CpuUsage {
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(0, b - a));
  const loadgen = after.loadgen - before.loadgen;
  const server = diff(before.server, after.server);
  const bare = diff(before.bare, after.bare);
  const node = diff(before.node, after.node);
  const postgres = diff(before.postgres, after.postgres);
  const machine = diff(before.machine, after.machine);
  const other =
    machine === null || server === null || postgres === null
      ? null
      : Math.max(0, machine - loadgen - server - (bare ?? 0) - (node ?? 0) - postgres);
  return { loadgen, server, bare, node, postgres, other };
}

/** CPU seconds used so far by `rootPid` and its live descendants (a front and its workers), or null. */
export function treeCpuSecondsOf(rootPid: number): number | null {
  return treeCpuSeconds(rootPid, safeAllStats());
}

/** Each pid's own CPU seconds so far (utime + stime, reaped children left out); unreadable pids are absent. */
export function ownCpuSeconds(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8");
      const after = fields.slice(fields.lastIndexOf(")") + 2).split(" ");
      seconds.set(pid, (Number(after[11] ?? 0) + Number(after[12] ?? 0)) / TICKS_PER_SECOND);
    } catch {
      // exited
    }
  }
  return seconds;
}
