import { readdirSync } from "node:fs";
import pg from "pg";
import { settings } from "@/lib/config";
import { migrationsDir } from "./migrate";

// What `GET /api/health/ready` checks, for load balancers and orchestrators: this process can serve
// writes — the database answers, is a primary (not a standby left behind by a failover), has every
// migration this build ships, and, when the primary is configured for synchronous replication,
// has as many synchronous standbys streaming as a commit must wait for. Each check is one cheap
// read; none takes a lock.

export type ReplicationState = {
  /** The primary's synchronous_standby_names ('' when replication is asynchronous or absent). */
  configured: string;
  /** Standbys a commit waits for (ANY n / FIRST n / n (…) / a plain list: 1). */
  required: number;
  /** Synchronous (or quorum) standbys streaming now; null when this role may not read it. */
  connected: number | null;
  /** The longest replay lag among them, ms (null when unknown). */
  maxReplayLagMs: number | null;
};

export type Readiness = {
  isReady: boolean;
  database: { ok: boolean; isPrimary: boolean; ms: number };
  migrations: { ok: boolean; expected: number; applied: number; missing: string[] };
  replication: (ReplicationState & { ok: boolean }) | null;
  /** Why not ready, one phrase per failed check. */
  problems: string[];
};

/** Standbys a commit waits for, from synchronous_standby_names (PostgreSQL's syntax). */
export function requiredStandbys(setting: string): number {
  const text = setting.trim();
  if (!text) return 0;
  const counted = /^(?:(?:ANY|FIRST)\s+)?(\d+)\s*\(/i.exec(text);
  if (counted) return Number(counted[1]);
  return 1; // "s1, s2" or "*": the first listed that is connected, one
}

/** The migrations this build ships (folder names under prisma/migrations). */
function shippedMigrations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** Runs the checks on `client`. */
export async function checkReadiness(client: pg.ClientBase, dir = migrationsDir): Promise<Readiness> {
  const problems: string[] = [];
  const started = Date.now();
  const { rows } = await client.query<{ in_recovery: boolean; sync_names: string }>(
    "SELECT pg_is_in_recovery() AS in_recovery, current_setting('synchronous_standby_names') AS sync_names",
  );
  const isPrimary = rows[0]?.in_recovery === false;
  const database = { ok: isPrimary, isPrimary, ms: Date.now() - started };
  if (!isPrimary) problems.push("the database is a standby (read-only)");

  const expected = shippedMigrations(dir);
  const applied = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const appliedNames = new Set(applied.rows.map((r) => r.migration_name));
  const missing = expected.filter((name) => !appliedNames.has(name));
  if (missing.length) problems.push(`${missing.length} migration(s) not applied`);
  const migrations = { ok: missing.length === 0, expected: expected.length, applied: appliedNames.size, missing };

  const configured = rows[0]?.sync_names ?? "";
  let replication: Readiness["replication"] = null;
  if (isPrimary && configured.trim()) {
    // Without pg_monitor (or pg_read_all_stats) a role sees only the pids of other roles'
    // walsenders: state is null then, and the count is unknown rather than zero.
    const standbys = await client.query<{ state: string | null; sync_state: string | null; lag_ms: number | null }>(
      `SELECT state, sync_state, (EXTRACT(epoch FROM replay_lag) * 1000)::float8 AS lag_ms FROM pg_stat_replication`,
    );
    const isVisible = standbys.rows.every((r) => r.state !== null);
    const synchronous = standbys.rows.filter(
      (r) => r.state === "streaming" && (r.sync_state === "sync" || r.sync_state === "quorum"),
    );
    const required = requiredStandbys(configured);
    const connected = isVisible ? synchronous.length : null;
    const lags = synchronous.map((r) => r.lag_ms).filter((lag): lag is number => lag !== null);
    const ok = connected === null || connected >= required;
    if (!ok) problems.push(`${connected} of ${required} synchronous standbys streaming: commits wait`);
    replication = {
      ok,
      configured,
      required,
      connected,
      maxReplayLagMs: lags.length ? Math.round(Math.max(...lags)) : null,
    };
  }
  return { isReady: problems.length === 0, database, migrations, replication, problems };
}

/**
 * The probe of `GET /api/health/ready`, on a connection of its own rather than the pool's: when every
 * pooled connection waits on a commit (a synchronous standby gone), the probe still answers, and
 * says why. Throws when the database cannot be reached.
 */
export async function probeReadiness(): Promise<Readiness> {
  const { databaseUrl, dbConnectTimeoutMs } = settings();
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: dbConnectTimeoutMs,
    statement_timeout: 5000,
    application_name: "opencmq-ready",
  });
  client.on("error", () => {}); // a connection lost mid-probe fails the query, not the process
  try {
    await client.connect();
    return await checkReadiness(client);
  } finally {
    await client.end().catch(() => {});
  }
}
