import type pg from "pg";
import { type CpuReading, type CpuUsage, cpuDelta, type Pids, sampleCpu } from "./cpu";

// What one measured window cost: CPU per component (from /proc), WAL written (LSN difference),
// database transactions (pg_stat_database) and statements executed (pg_stat_statements, when the
// bench server loaded it). A snapshot reads the CPU counters synchronously at the moment it is
// taken and the database counters right after, so window edges line up to within a millisecond.

type StatementRow = { id: string; calls: number; ms: number; rows: number };
type DbReading = { lsn: bigint; xacts: number; statements: Map<string, StatementRow> | null };

/** One statement's share of a window (pg_stat_statements deltas). */
export type StatementUsage = { query: string; calls: number; totalMs: number; meanMs: number; rows: number };
type Snapshot = { at: number; cpu: CpuReading; db: Promise<DbReading | null> };

export type Usage = {
  seconds: number;
  cpu: CpuUsage;
  /** WAL bytes written during the window (pg_current_wal_insert_lsn difference). */
  walBytes: number | null;
  /** Committed + rolled-back transactions, all databases (pg_stat_database; flushed by backends ~1/s). */
  xacts: number | null;
  /** Statements executed (pg_stat_statements calls), the meter's own excluded; null without the extension. */
  queries: number | null;
  /** The statements that took the most execution time in the window (pg_stat_statements). */
  topStatements: StatementUsage[];
};

export type Meter = {
  /** Starts a window now. */
  begin: () => void;
  /** Ends the window now; `usage()` then resolves with its figures. */
  end: () => void;
  usage: () => Promise<Usage>;
};

export type MeterFactory = () => Meter;

/** Makes meters over the given process trees and database (null: CPU only). */
export function meterFactory(pids: Pids, db: pg.Pool | null, hasStatements: boolean): MeterFactory {
  // Snapshots read pg_stat_statements without query texts (showtext false): the texts live in a file
  // Postgres would read on every call, inside the measured window. usage() fetches the texts of the
  // statements that ran, after the window, and drops the meter's own.
  const readDb = async (): Promise<DbReading | null> => {
    if (!db) return null;
    try {
      const { rows } = await db.query<{ lsn: string; xacts: string }>(
        `SELECT pg_current_wal_insert_lsn()::text AS lsn,
                (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database)::text AS xacts`,
      );
      const row = rows[0];
      if (!row) return null;
      let statements: Map<string, StatementRow> | null = null;
      if (hasStatements) {
        const pgss = await db.query<{ id: string; calls: string; ms: number; rows: string }>(
          `SELECT ${statementId} AS id, calls::text, total_exec_time AS ms, rows::text FROM pg_stat_statements(false)`,
        );
        statements = new Map(
          pgss.rows.map((r) => [r.id, { id: r.id, calls: Number(r.calls), ms: r.ms, rows: Number(r.rows) }]),
        );
      }
      return { lsn: parseLsn(row.lsn), xacts: Number(row.xacts), statements };
    } catch {
      return null;
    }
  };
  const statementsBetween = async (before: DbReading, after: DbReading) => {
    if (!db || !before.statements || !after.statements) return { queries: null, top: [] };
    const ran = statementDeltas(before.statements, after.statements);
    const texts = new Map<string, string>();
    try {
      const { rows } = await db.query<{ id: string; query: string }>(
        `SELECT ${statementId} AS id, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
         FROM pg_stat_statements WHERE ${statementId} = ANY($1::text[])`,
        [ran.map((r) => r.id)],
      );
      for (const r of rows) texts.set(r.id, r.query);
    } catch {
      // Texts are for the report only.
    }
    const workload = ran
      .filter((r) => !isMeterStatement(texts.get(r.id) ?? ""))
      .map(({ id, ...usage }) => ({ ...usage, query: texts.get(id) ?? "(text evicted)" }));
    return {
      queries: workload.reduce((sum, r) => sum + r.calls, 0),
      top: workload.sort((x, y) => y.totalMs - x.totalMs).slice(0, 8),
    };
  };
  const take = (): Snapshot => ({ at: performance.now(), cpu: sampleCpu(pids), db: readDb() });

  return () => {
    let start: Snapshot | null = null;
    let stop: Snapshot | null = null;
    return {
      begin: () => {
        start = take();
      },
      end: () => {
        stop ??= take();
      },
      usage: async () => {
        if (!start) throw new Error("meter: usage() before begin()");
        const a = start;
        const b = stop ?? take();
        const [da, db2] = await Promise.all([a.db, b.db]);
        const statements = da && db2 ? await statementsBetween(da, db2) : { queries: null, top: [] };
        const diff = (pick: (d: DbReading) => number | bigint | null) => {
          if (!da || !db2) return null;
          const x = pick(da);
          const y = pick(db2);
          return x === null || y === null ? null : Number(y) - Number(x);
        };
        return {
          seconds: (b.at - a.at) / 1000,
          cpu: cpuDelta(a.cpu, b.cpu),
          walBytes: diff((d) => d.lsn),
          // The meter's own two snapshot transactions are not the workload's.
          xacts: ((v) => (v === null ? null : Math.max(0, v - 1)))(diff((d) => d.xacts)),
          queries: statements.queries,
          topStatements: statements.top,
        };
      },
    };
  };
}

const statementId = "queryid::text || ':' || dbid::text || ':' || userid::text || ':' || toplevel::text";

/** The meter's own snapshot and text queries (and psql-style reads of the view) are not the workload's. */
const isMeterStatement = (query: string) =>
  query.includes("pg_current_wal_insert_lsn") || query.includes("pg_stat_statements");

type StatementDelta = { id: string; calls: number; totalMs: number; meanMs: number; rows: number };

/**
 * Each statement's calls and time between two readings. pg_stat_statements evicts its least-used
 * entries when full (pg-boss alone makes many), so an entry whose count went down was evicted and
 * re-added, and its whole count is new.
 */
export function statementDeltas(before: Map<string, StatementRow>, after: Map<string, StatementRow>): StatementDelta[] {
  const out: StatementDelta[] = [];
  for (const [id, b] of after) {
    const a = before.get(id);
    const isReset = a !== undefined && b.calls < a.calls;
    const calls = isReset ? b.calls : b.calls - (a?.calls ?? 0);
    if (calls <= 0) continue;
    const totalMs = isReset ? b.ms : b.ms - (a?.ms ?? 0);
    out.push({ id, calls, totalMs, meanMs: totalMs / calls, rows: isReset ? b.rows : b.rows - (a?.rows ?? 0) });
  }
  return out;
}

/** "16/B374D848" → byte position. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split("/");
  return (BigInt(`0x${hi ?? "0"}`) << 32n) + BigInt(`0x${lo ?? "0"}`);
}
