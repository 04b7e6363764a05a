import type pg from "pg";
import type { Principal } from "@/lib/auth/principal";
import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import type { DatabaseHealth, HealthWarning, HorizonHolder } from "@/lib/schemas/database-health";
import { authorize } from "./authorize";

// The database health page (issue 12 item 6): PostgreSQL's own statistics about the tables this app
// uses, read from the catalog and pg_stat_* views — no table is scanned, nothing is locked beyond
// what reading a catalog takes (pg_table_size and friends stat the files). A handful of small
// statements on one pooled connection, outside any transaction, so looking holds back no vacuum.
//
// What it shows is the installation's, not the account's (every account shares the database); it
// carries no row content, no query text and no client address, and needs monitor:database, which
// only owners and admins hold by default.

/** When a signal deserves a warning on the page. */
export const healthThresholds = {
  /** dead rows of a table, absolute and as a share of its rows */
  deadRows: 10_000,
  deadRatio: 0.2,
  /** a transaction (or prepared transaction) open this long holds every newer dead row */
  horizonSeconds: 300,
  /** a slot retaining this much WAL, or inactive with an xmin */
  slotWalBytes: 1_073_741_824,
  /** share of the connections ordinary roles may open */
  connectionShare: 0.8,
} as const;

const number = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

// The app's tables: ordinary and partitioned tables of the schema the app's connection uses.
const tablesSql = `
  SELECT c.relname AS name,
         coalesce(pg_table_size(c.oid), 0) AS table_bytes,
         coalesce(pg_indexes_size(c.oid), 0) AS index_bytes,
         coalesce(s.n_live_tup, 0) AS live_rows,
         coalesce(s.n_dead_tup, 0) AS dead_rows,
         s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
         coalesce(s.autovacuum_count, 0) AS autovacuum_count
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
   WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
   ORDER BY coalesce(pg_total_relation_size(c.oid), 0) DESC, c.relname`;

const indexesSql = `
  SELECT i.relname AS name, t.relname AS table_name,
         coalesce(pg_relation_size(i.oid), 0) AS bytes,
         coalesce(s.idx_scan, 0) AS scans
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.oid
   WHERE n.nspname = current_schema()
   ORDER BY bytes DESC, i.relname`;

// What holds the xmin horizon of this database back: sessions here (or walsenders, which have no
// database) with a snapshot or a transaction id, prepared transactions, replication slots. Oldest
// first. The statement's own session is left out (it has a snapshot while it runs).
const horizonSql = `
  SELECT * FROM (
    SELECT 'transaction' AS kind, a.pid::text AS id,
           coalesce(nullif(a.application_name, ''), a.backend_type, '') AS label,
           coalesce(a.state, a.backend_type, 'unknown') AS state,
           greatest(age(a.backend_xmin), age(a.backend_xid)) AS xmin_age,
           extract(epoch FROM now() - a.xact_start) AS age_seconds,
           NULL::numeric AS retained_wal_bytes
      FROM pg_stat_activity a
     WHERE a.pid <> pg_backend_pid()
       AND (a.datname = current_database() OR a.datname IS NULL)
       AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
    UNION ALL
    SELECT 'prepared', p.gid, p.owner::text, 'prepared', age(p.transaction),
           extract(epoch FROM now() - p.prepared), NULL
      FROM pg_prepared_xacts p
     WHERE p.database = current_database()
    UNION ALL
    SELECT 'slot', s.slot_name::text, s.slot_type, CASE WHEN s.active THEN 'active' ELSE 'inactive' END,
           greatest(age(s.xmin), age(s.catalog_xmin)), NULL,
           CASE WHEN pg_is_in_recovery() OR s.restart_lsn IS NULL THEN NULL
                ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn) END
      FROM pg_replication_slots s
  ) h
  ORDER BY xmin_age DESC NULLS LAST, age_seconds DESC NULLS LAST, id
  LIMIT 20`;

const connectionsSql = `
  SELECT coalesce(a.state, 'not visible') AS state, count(*) AS n
    FROM pg_stat_activity a
   WHERE a.backend_type = 'client backend'
   GROUP BY 1`;

const databaseSql = `
  SELECT current_setting('server_version') AS server_version,
         pg_database_size(current_database()) AS database_bytes,
         (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS xid_age,
         current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age,
         current_setting('max_connections')::int AS max_connections,
         current_setting('superuser_reserved_connections')::int
           + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
         coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
           OR pg_has_role('pg_read_all_stats', 'member') AS is_complete`;

/** GET /api/v1/database/health: the signals, and the warnings they raise. */
export async function getDatabaseHealth(principal: Principal): Promise<DatabaseHealth> {
  authorize(principal, "monitor:database");
  const client = await getPool().connect();
  try {
    return await readHealth(client);
  } finally {
    client.release();
  }
}

async function readHealth(client: pg.PoolClient): Promise<DatabaseHealth> {
  const tables = (await client.query(tablesSql)).rows;
  const indexes = (await client.query(indexesSql)).rows;
  const holders = (await client.query(horizonSql)).rows;
  const states = (await client.query(connectionsSql)).rows;
  const db = (await client.query(databaseSql)).rows[0];
  const { processes, poolSize } = settings();
  const byState = Object.fromEntries(states.map((r) => [String(r.state), number(r.n)]));
  const health: Omit<DatabaseHealth, "warnings"> = {
    at: new Date().toISOString(),
    serverVersion: String(db.server_version),
    databaseBytes: number(db.database_bytes),
    transactionIdAge: number(db.xid_age),
    freezeMaxAge: number(db.freeze_max_age),
    tables: tables.map((r) => {
      const live = number(r.live_rows);
      const dead = number(r.dead_rows);
      return {
        name: String(r.name),
        tableBytes: number(r.table_bytes),
        indexBytes: number(r.index_bytes),
        liveRows: live,
        deadRows: dead,
        deadRatio: live + dead === 0 ? null : dead / (live + dead),
        lastVacuum: iso(r.last_vacuum),
        lastAutovacuum: iso(r.last_autovacuum),
        lastAnalyze: iso(r.last_analyze),
        lastAutoanalyze: iso(r.last_autoanalyze),
        autovacuumCount: number(r.autovacuum_count),
      };
    }),
    indexes: indexes.map((r) => ({
      name: String(r.name),
      table: String(r.table_name),
      bytes: number(r.bytes),
      scans: number(r.scans),
    })),
    horizonHolders: holders.map(
      (r): HorizonHolder => ({
        kind: r.kind,
        id: String(r.id),
        label: String(r.label ?? ""),
        state: String(r.state),
        xminAge: numberOrNull(r.xmin_age),
        ageSeconds: numberOrNull(r.age_seconds),
        retainedWalBytes: numberOrNull(r.retained_wal_bytes),
      }),
    ),
    connections: {
      used: Object.values(byState).reduce((a, b) => a + b, 0),
      max: number(db.max_connections),
      reserved: number(db.reserved),
      byState,
      // each process: its pool, and the LISTEN connection of cross-process wake-ups
      appMax: processes * (poolSize + 1),
    },
    isComplete: db.is_complete === true,
  };
  return { ...health, warnings: assessDatabaseHealth(health) };
}

const formatCount = (n: number) => new Intl.NumberFormat("en-US").format(n);
const formatPercent = (share: number) => `${Math.round(share * 100)} %`;

/** The signals that deserve attention, each as one sentence (pure: thresholds in healthThresholds). */
export function assessDatabaseHealth(health: Omit<DatabaseHealth, "warnings">): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  for (const table of health.tables) {
    if (table.deadRows >= healthThresholds.deadRows && (table.deadRatio ?? 0) >= healthThresholds.deadRatio) {
      warnings.push({
        signal: "deadRows",
        message: `${table.name}: ${formatCount(table.deadRows)} dead rows (${formatPercent(table.deadRatio ?? 0)}) wait for vacuum.`,
      });
    }
  }
  const oldest = health.horizonHolders.find(
    (h) => h.kind !== "slot" && (h.ageSeconds ?? 0) >= healthThresholds.horizonSeconds,
  );
  if (oldest) {
    const what = oldest.kind === "prepared" ? "A prepared transaction" : `Session ${oldest.id} (${oldest.label})`;
    warnings.push({
      signal: "horizon",
      message: `${what} has kept a transaction open for ${Math.round((oldest.ageSeconds ?? 0) / 60)} min: vacuum cannot remove rows deleted since.`,
    });
  }
  for (const slot of health.horizonHolders.filter((h) => h.kind === "slot")) {
    const holdsRows = slot.state === "inactive" && slot.xminAge !== null;
    const holdsWal = (slot.retainedWalBytes ?? 0) >= healthThresholds.slotWalBytes;
    if (holdsRows || holdsWal) {
      warnings.push({
        signal: "slot",
        message: `Replication slot ${slot.id} is ${slot.state} and ${holdsRows ? "holds back vacuum" : "keeps WAL on disk"}: drop it if its consumer is gone.`,
      });
    }
  }
  const { used, max, reserved, appMax } = health.connections;
  const usable = Math.max(1, max - reserved);
  if (used / usable >= healthThresholds.connectionShare) {
    warnings.push({
      signal: "connections",
      message: `${formatCount(used)} of ${formatCount(usable)} connections are in use (${formatPercent(used / usable)}).`,
    });
  } else if (appMax > usable) {
    warnings.push({
      signal: "connections",
      message: `This app may open ${formatCount(appMax)} connections (processes × pool size), more than the ${formatCount(usable)} the server allows.`,
    });
  }
  if (health.transactionIdAge >= 2 * health.freezeMaxAge) {
    warnings.push({
      signal: "wraparound",
      message: `Transaction IDs are ${formatCount(health.transactionIdAge)} old, twice autovacuum_freeze_max_age: freezing vacuums are not keeping up.`,
    });
  }
  return warnings;
}
