import type pg from "pg";
import { type CpuReading, type CpuUsage, cpuDelta, type Pids, sampleCpu } from "./cpu";

// What one measured window cost: CPU per component (from /proc), WAL written (LSN difference),
// database transactions (pg_stat_database) and statements executed (pg_stat_statements, when the
// bench server loaded it). A snapshot reads the CPU counters synchronously at the moment it is
// taken and the database counters right after, so window edges line up to within a millisecond.

type StatementRow = { id: string; query: string; calls: number; ms: number; rows: number };
type DbReading = { lsn: bigint; xacts: number; queries: number | null; statements: Map<string, StatementRow> };

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
  const readDb = async (): Promise<DbReading | null> => {
    if (!db) return null;
    try {
      const { rows } = await db.query<{ lsn: string; xacts: string }>(
        `SELECT pg_current_wal_insert_lsn()::text AS lsn,
                (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database)::text AS xacts`,
      );
      const row = rows[0];
      if (!row) return null;
      const statements = new Map<string, StatementRow>();
      let queries: number | null = null;
      if (hasStatements) {
        const pgss = await db.query<{ id: string; query: string; calls: string; ms: number; rows: string }>(
          `SELECT queryid::text || ':' || dbid::text || ':' || userid::text || ':' || toplevel::text AS id,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query,
                  calls::text, total_exec_time AS ms, rows::text
           FROM pg_stat_statements
           WHERE query NOT LIKE '%pg_current_wal_insert_lsn%' AND query NOT LIKE '%FROM pg_stat_statements%'`,
        );
        queries = 0;
        for (const r of pgss.rows) {
          statements.set(r.id, { id: r.id, query: r.query, calls: Number(r.calls), ms: r.ms, rows: Number(r.rows) });
          queries += Number(r.calls);
        }
      }
      return { lsn: parseLsn(row.lsn), xacts: Number(row.xacts), queries, statements };
    } catch {
      return null;
    }
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
          queries: da && db2 && da.queries !== null ? callsBetween(da.statements, db2.statements) : null,
          topStatements: da && db2 ? statementDeltas(da.statements, db2.statements) : [],
        };
      },
    };
  };
}

/**
 * Statements executed between two readings. pg_stat_statements evicts its least-used entries when
 * full (pg-boss alone makes many), so a plain difference of sums can even come out negative: an
 * entry whose count went down was evicted and re-added, and its whole count is new.
 */
function callsBetween(before: Map<string, StatementRow>, after: Map<string, StatementRow>): number {
  let calls = 0;
  for (const [id, b] of after) {
    const a = before.get(id)?.calls ?? 0;
    calls += b.calls >= a ? b.calls - a : b.calls;
  }
  return calls;
}

function statementDeltas(before: Map<string, StatementRow>, after: Map<string, StatementRow>): StatementUsage[] {
  const out: StatementUsage[] = [];
  for (const [id, b] of after) {
    const a = before.get(id);
    const isReset = a !== undefined && b.calls < a.calls; // evicted and re-added
    const calls = isReset ? b.calls : b.calls - (a?.calls ?? 0);
    if (calls <= 0) continue;
    const totalMs = isReset ? b.ms : b.ms - (a?.ms ?? 0);
    out.push({ query: b.query, calls, totalMs, meanMs: totalMs / calls, rows: b.rows - (a?.rows ?? 0) });
  }
  return out.sort((x, y) => y.totalMs - x.totalMs).slice(0, 8);
}

/** "16/B374D848" → byte position. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split("/");
  return (BigInt(`0x${hi ?? "0"}`) << 32n) + BigInt(`0x${lo ?? "0"}`);
}
