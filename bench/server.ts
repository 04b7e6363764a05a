import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { fillInSettings } from "@/lib/config";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";
import type { Pids } from "./cpu";

// Everything the benchmark measures against, started from nothing and removed afterwards: an
// embedded PostgreSQL (its own data dir and port, the app's own server settings), a fresh database
// with the schema, an account with an API key, `next start` on the production build in its own
// dist folder and, beside it, the bare-route baseline app (bench/bare-route).

export type BenchServer = {
  baseUrl: string;
  /** The bare-route baseline (bench/bare-route), when started. */
  bareUrl: string | null;
  databaseUrl: string;
  secretId: string;
  secretKey: string;
  pids: Pids;
  /** pg_stat_statements is loaded and created in the bench database. */
  hasStatements: boolean;
  logFile: string;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string;
  pgPort: number;
  appPort: number;
  /** Port for the bare-route baseline; null: don't start it. */
  barePort: number | null;
  distDir: string;
  isRebuild: boolean;
  logDir: string;
  /** Load pg_stat_statements (a server restart on first use; kept in the bench cluster's config). */
  withStatements: boolean;
  synchronousCommit: "on" | "off";
  /** Write V8 CPU profiles of both Next servers into this folder (on exit). */
  cpuProfDir: string | null;
  say: (line: string) => void;
};

const BARE_DIR = path.join("bench", "bare-route");
/** application_name of the app server's database sessions. */
export const APP_NAME = "opencmq-bench-app";
const BARE_DIST = ".next-bench"; // fixed in bench/bare-route/next.config.mjs

export async function startBenchServer(options: Options): Promise<BenchServer> {
  const { say } = options;
  const baseUrl = `http://127.0.0.1:${options.appPort}`;
  const bareUrl = options.barePort === null ? null : `http://127.0.0.1:${options.barePort}`;
  for (const url of [baseUrl, bareUrl]) {
    if (url && (await answersHttp(url))) throw new Error(`Something already answers on ${url}; pass --port.`);
  }
  // Builds first: they take a minute when needed and need no database.
  ensureBuild(options, ".", options.distDir, "the app");
  if (bareUrl) ensureBuild(options, BARE_DIR, path.join(BARE_DIR, BARE_DIST), "the bare-route baseline");

  const database = `bench_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
  say(`starting embedded PostgreSQL (${options.dataDir}, port ${options.pgPort}), database ${database}`);
  const pgOptions = { dataDir: options.dataDir, port: options.pgPort, database };
  let db: EmbeddedDatabase = await startEmbeddedPostgres(pgOptions);
  await dropStaleDatabases(db.url, database);
  const children: ChildProcess[] = [];

  const stop = async () => {
    for (const child of children) await killAndWait(child);
    await closePool();
    await dropDatabase(db.url, database).catch((error) => say(`could not drop ${database}: ${String(error)}`));
    await db.stop();
  };

  try {
    if (await setPreload(db.url, options.withStatements)) {
      say(`restarting PostgreSQL to ${options.withStatements ? "load" : "unload"} pg_stat_statements`);
      await db.stop();
      db = await startEmbeddedPostgres(pgOptions);
    }
    const hasStatements = options.withStatements && (await createStatementsExtension(db.url));
    if (options.withStatements && !hasStatements)
      say("pg_stat_statements is not available: query counts from pg_stat_database only");
    if (options.synchronousCommit === "off") await alterDatabase(db.url, database, "synchronous_commit", "off");
    const postgresPid = readPostmasterPid(path.join(options.dataDir, "pg"));

    await migrate(db.url);
    const masterKey = randomBytes(32).toString("base64url");
    fillInSettings({ DATABASE_URL: db.url, OPENCMQ_MASTER_KEY: masterKey });
    const { createAccountWithOwner } = await import("@/lib/services/accounts");
    const owner = await createAccountWithOwner({ accountName: "bench", email: `bench-${database}@opencmq.local` });

    mkdirSync(options.logDir, { recursive: true });
    const logFile = path.join(options.logDir, `server-${database}.log`);
    const log = openSync(logFile, "a");
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    say(`starting next start on ${baseUrl} (dist ${options.distDir}, log ${path.relative(process.cwd(), logFile)})`);
    const prof = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
    if (options.cpuProfDir) say(`CPU profiles of the Next servers go to ${options.cpuProfDir} when they stop`);
    const server = spawn(process.execPath, [...prof, nextBin(), "start", "-p", String(options.appPort)], {
      stdio: ["ignore", log, log],
      env: {
        ...env,
        // Named, so the harness can tell the app's database sessions from everyone else's.
        DATABASE_URL: `${db.url}?application_name=${APP_NAME}`,
        OPENCMQ_MASTER_KEY: masterKey,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        NEXTAUTH_URL: baseUrl,
        NEXT_DIST_DIR: options.distDir,
      },
    });
    children.push(server);
    let bare: ChildProcess | undefined;
    if (bareUrl) {
      const bareLog = openSync(path.join(options.logDir, `bare-${database}.log`), "a");
      say(`starting the bare-route baseline on ${bareUrl}`);
      bare = spawn(process.execPath, [...prof, nextBin(), "start", BARE_DIR, "-p", String(options.barePort)], {
        stdio: ["ignore", bareLog, bareLog],
        // Turbopack compiles the repository's instrumentation.ts into this app too (its root is the
        // repository); with workers off its register() does nothing, so the baseline stays bare.
        env: { ...env, DATABASE_URL: `${db.url}?application_name=opencmq-bench-bare`, OPENCMQ_WORKERS: "off" },
      });
      children.push(bare);
    }
    await waitFor(`${baseUrl}/api/health`, server, logFile);
    if (bare && bareUrl) await waitFor(bareUrl, bare, logFile);
    return {
      baseUrl,
      bareUrl,
      databaseUrl: db.url,
      secretId: owner.secretId,
      secretKey: owner.secretKey,
      pids: { server: server.pid, bare: bare?.pid, postgres: postgresPid },
      hasStatements,
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Builds `projectDir` into `distDir` unless a build is there already (or --rebuild). */
function ensureBuild(options: Options, projectDir: string, distDir: string, what: string) {
  if (!options.isRebuild && existsSync(path.join(distDir, "BUILD_ID"))) return;
  options.say(`building ${what} into ${distDir} (about a minute)…`);
  // `next build` adds its dist folder's types to the project's tsconfig.json and writes a
  // next-env.d.ts; the bench must not leave either change behind, so both are put back.
  const restore = [path.join(projectDir, "tsconfig.json"), path.join(projectDir, "next-env.d.ts"), "tsconfig.json"].map(
    (file) => ({ file, text: existsSync(file) ? readFileSync(file, "utf8") : null }),
  );
  const args = projectDir === "." ? ["build"] : ["build", projectDir];
  const build = spawnSync(process.execPath, [nextBin(), ...args], {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const { file, text } of restore) {
    if (text === null) rmSync(file, { force: true });
    else if (readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  }
  if (build.status !== 0) throw new Error(`next build of ${what} failed`);
}

const nextBin = () => createRequire(path.join(process.cwd(), "package.json")).resolve("next/dist/bin/next");

async function answersHttp(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(url: string, child: ChildProcess, logFile: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}); see ${logFile}`);
    if (await answersHttp(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within 60 s; see ${logFile}`);
}

async function killAndWait(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function readPostmasterPid(pgDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]) || undefined;
  } catch {
    return undefined;
  }
}

async function withClient<T>(url: string, database: string | null, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const target = new URL(url);
  if (database) target.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes the cluster's shared_preload_libraries match `withStatements` (ALTER SYSTEM: it lives in
 * the bench cluster's postgresql.auto.conf only). Returns true when a restart is needed.
 */
async function setPreload(url: string, withStatements: boolean): Promise<boolean> {
  return withClient(url, "postgres", async (client) => {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('shared_preload_libraries') AS v");
    const isLoaded = (rows[0]?.v ?? "").includes("pg_stat_statements");
    if (isLoaded === withStatements) return false;
    if (withStatements) await client.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    else await client.query("ALTER SYSTEM RESET shared_preload_libraries");
    return true;
  });
}

async function createStatementsExtension(url: string): Promise<boolean> {
  try {
    return await withClient(url, null, async (client) => {
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await client.query("SELECT pg_stat_statements_reset()");
      return true;
    });
  } catch {
    return false;
  }
}

async function alterDatabase(url: string, database: string, name: string, value: string) {
  await withClient(url, "postgres", (client) => client.query(`ALTER DATABASE "${database}" SET ${name} = ${value}`));
}

async function dropDatabase(url: string, database: string) {
  await withClient(url, "postgres", (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}

/** Databases of earlier runs that were killed before they could drop theirs: each one costs autovacuum work. */
async function dropStaleDatabases(url: string, current: string) {
  const { rows } = await withClient(url, "postgres", (client) =>
    client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%' AND datname <> $1",
      [current],
    ),
  );
  for (const { datname } of rows) await dropDatabase(url, datname);
}
