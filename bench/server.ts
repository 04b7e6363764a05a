import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { fillInSettings } from "@/lib/config";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";
import type { Pids } from "./cpu";
import { benchDistDir } from "./options";

// Everything the benchmark measures against, started from nothing and removed afterwards: an
// embedded PostgreSQL (its own data dir and port, the app's own server settings), a fresh database
// with the schema, an account with an API key, the app's production build served by its compiled
// front (`node <distDir>/front/server.js`, one server per --processes count) and, beside it, the
// same build under plain `next start` (the Next-routed baseline), the bare Next route
// (bench/bare-route) and the bare node:http route (bench/bare-node.ts).

/** One server of the app's build: the front with `processes` processes, or plain `next start`. */
export type AppServer = {
  kind: "front" | "next";
  processes: number;
  url: string;
  pid: number | undefined;
  /** application_name of its database sessions: the harness tells its sessions from everyone else's. */
  appName: string;
};

export type BenchServer = {
  /** The app as users reach it: one front per --processes count (or `next start` alone, without a front). */
  apps: AppServer[];
  /** Plain `next start` on the same build, when started; apps[0] itself when there is no front. */
  next: AppServer | null;
  /** A front like apps[0] with OPENCMQ_METRICS=off (W9), when started. */
  metricsOff: AppServer | null;
  /** The compiled front exists: REST/CMQ go through it. */
  hasFront: boolean;
  /** apps[0]'s URL: set-up requests (queue creation) go there. */
  baseUrl: string;
  /** The bare Next route (bench/bare-route), when started. */
  bareUrl: string | null;
  /** The bare node:http route (bench/bare-node.ts), when started. */
  nodeUrl: string | null;
  databaseUrl: string;
  secretId: string;
  secretKey: string;
  /** Process trees of the baselines and of PostgreSQL (the app's: AppServer.pid). */
  pids: Pids;
  /** pg_stat_statements is loaded and created in the bench database. */
  hasStatements: boolean;
  logFile: string;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string;
  pgPort: number;
  /** The app's fronts: OPENCMQ_PROCESSES and port of each. */
  fronts: { processes: number; port: number }[];
  /** Port for `next start` beside the front; null: don't start it. */
  nextPort: number | null;
  /** Port for the bare Next route; null: don't start it. */
  barePort: number | null;
  /** Port for the bare node:http route; null: don't start it. */
  nodePort: number | null;
  /** Port for a front like the first one with OPENCMQ_METRICS=off (W9); null: don't start it. */
  metricsOffPort?: number | null;
  distDir: string;
  isRebuild: boolean;
  logDir: string;
  /** Load pg_stat_statements (a server restart on first use; kept in the bench cluster's config). */
  withStatements: boolean;
  synchronousCommit: "on" | "off";
  /** Write V8 CPU profiles of the app and bare servers into this folder (on exit). */
  cpuProfDir: string | null;
  say: (line: string) => void;
};

const BARE_DIR = path.join("bench", "bare-route");
const BARE_DIST = ".next-bench"; // fixed in bench/bare-route/next.config.mjs
const BARE_NODE = path.join("bench", "bare-node.ts");
/** The compiled front of a build (made by `npm run build`). */
export const frontEntry = (distDir: string) => path.join(distDir, "front", "server.js");
const url = (port: number) => `http://127.0.0.1:${port}`;

export async function startBenchServer(options: Options): Promise<BenchServer> {
  const { say } = options;
  const firstFront = options.fronts[0];
  if (!firstFront) throw new Error("no app port");
  const ports = [
    ...options.fronts.map((f) => f.port),
    options.nextPort,
    options.barePort,
    options.nodePort,
    options.metricsOffPort ?? null,
  ].filter((p): p is number => p !== null);
  for (const port of ports) {
    if (await answersHttp(url(port))) throw new Error(`Something already answers on ${url(port)}; pass --port.`);
  }
  // Builds first: they take a minute when needed and need no database.
  ensureAppBuild(options);
  const hasFront = existsSync(frontEntry(options.distDir));
  if (!hasFront)
    say(
      `no compiled front at ${frontEntry(options.distDir)} (this checkout's \`npm run build\` makes none): ` +
        "REST and CMQ go through `next start`, the next paths are left out and --processes is ignored",
    );
  if (options.barePort !== null)
    ensureBuild(options, BARE_DIR, path.join(BARE_DIR, BARE_DIST), "the bare-route baseline");

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
    const prof = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
    if (options.cpuProfDir) say(`CPU profiles of the servers go to ${options.cpuProfDir} when they stop`);
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    const nextAuthSecret = randomBytes(32).toString("base64url");
    const logOf = (name: string) => (name === "app" ? logFile : path.join(options.logDir, `${name}-${database}.log`));
    const launch = (name: string, args: string[], extraEnv: Record<string, string>) => {
      const log = openSync(logOf(name), "a");
      const child = spawn(process.execPath, [...prof, ...args], {
        stdio: ["ignore", log, log],
        env: { ...env, ...extraEnv },
      });
      children.push(child);
      return child;
    };
    // The app's environment, whichever server runs it; each server's sessions carry their own name.
    const appEnv = (appName: string, port: number) => ({
      DATABASE_URL: `${db.url}?application_name=${appName}`,
      OPENCMQ_MASTER_KEY: masterKey,
      NEXTAUTH_SECRET: nextAuthSecret,
      NEXTAUTH_URL: url(port),
      NEXT_DIST_DIR: options.distDir,
      // W11 pushes to a receiver on 127.0.0.1.
      OPENCMQ_PUSH_ALLOW_PRIVATE: "on",
    });
    const waits: Promise<void>[] = [];
    const apps: AppServer[] = [];
    const startNext = (name: string, port: number, appName: string): AppServer => {
      say(`starting next start on ${url(port)} (dist ${options.distDir}, log ${logOf(name)})`);
      const child = launch(name, [nextBin(), "start", "-p", String(port)], appEnv(appName, port));
      waits.push(waitFor(`${url(port)}/api/health`, child, logOf(name)));
      return { kind: "next", processes: 1, url: url(port), pid: child.pid, appName };
    };
    if (hasFront) {
      for (const [i, front] of options.fronts.entries()) {
        const name = i === 0 ? "app" : `front${front.processes}`;
        const appName = `opencmq-bench-front${front.processes}`;
        say(`starting the front on ${url(front.port)}, OPENCMQ_PROCESSES=${front.processes} (log ${logOf(name)})`);
        const child = launch(name, [frontEntry(options.distDir)], {
          ...appEnv(appName, front.port),
          PORT: String(front.port),
          OPENCMQ_PROCESSES: String(front.processes),
        });
        waits.push(waitFor(`${url(front.port)}/api/health`, child, logOf(name)));
        apps.push({ kind: "front", processes: front.processes, url: url(front.port), pid: child.pid, appName });
      }
    } else {
      apps.push(startNext("app", firstFront.port, "opencmq-bench-next"));
    }
    let metricsOff: AppServer | null = null;
    if (hasFront && firstFront && options.metricsOffPort) {
      const port = options.metricsOffPort;
      const appName = "opencmq-bench-metrics-off";
      say(`starting a front with OPENCMQ_METRICS=off on ${url(port)} (log ${logOf("metrics-off")})`);
      const child = launch("metrics-off", [frontEntry(options.distDir)], {
        ...appEnv(appName, port),
        PORT: String(port),
        OPENCMQ_PROCESSES: String(firstFront.processes),
        OPENCMQ_METRICS: "off",
      });
      waits.push(waitFor(`${url(port)}/api/health`, child, logOf("metrics-off")));
      metricsOff = { kind: "front", processes: firstFront.processes, url: url(port), pid: child.pid, appName };
    }
    const next =
      hasFront && options.nextPort !== null
        ? startNext("next", options.nextPort, "opencmq-bench-next")
        : hasFront
          ? null
          : (apps[0] ?? null);
    let bare: ChildProcess | undefined;
    if (options.barePort !== null) {
      say(`starting the bare-route baseline on ${url(options.barePort)}`);
      bare = launch("bare", [nextBin(), "start", BARE_DIR, "-p", String(options.barePort)], {
        DATABASE_URL: `${db.url}?application_name=opencmq-bench-bare`,
        // Turbopack compiles the repository's instrumentation.ts into this app too (its root is the
        // repository); with workers off its register() does nothing, so the baseline stays bare.
        OPENCMQ_WORKERS: "off",
      });
      waits.push(waitFor(url(options.barePort), bare, logOf("bare")));
    }
    let node: ChildProcess | undefined;
    if (options.nodePort !== null) {
      say(`starting the bare node:http route on ${url(options.nodePort)}`);
      // tsx compiles bench/bare-node.ts once at load; nothing of it runs per request.
      node = launch("node", ["--import", "tsx", BARE_NODE], {
        DATABASE_URL: `${db.url}?application_name=opencmq-bench-node`,
        PORT: String(options.nodePort),
      });
      waits.push(waitFor(url(options.nodePort), node, logOf("node")));
    }
    await Promise.all(waits);
    return {
      apps,
      next,
      metricsOff,
      hasFront,
      baseUrl: apps[0]?.url ?? url(firstFront.port),
      bareUrl: options.barePort === null ? null : url(options.barePort),
      nodeUrl: options.nodePort === null ? null : url(options.nodePort),
      databaseUrl: db.url,
      secretId: owner.secretId,
      secretKey: owner.secretKey,
      pids: { bare: bare?.pid, node: node?.pid, postgres: postgresPid },
      hasStatements,
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The app's build: `npm run build`, which makes Next's build and, where this checkout has one, the
 * compiled front. The bench's own folder (.next-bench) is built again when the sources changed since
 * (another commit, or other uncommitted changes: a bench of an old build measures old code); a folder
 * given with --dist-dir (CI's, made by npm test) is used as it is. Any build without a front is made
 * again when the build script is more than `next build` (a build from before the front existed).
 */
function ensureAppBuild(options: Options) {
  const hasBuild = existsSync(path.join(options.distDir, "BUILD_ID"));
  const buildScript = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts?: { build?: string } }).scripts
    ?.build;
  const stamp = path.join(options.distDir, "bench-source");
  const source = sourceFingerprint();
  const hasNoFront = hasBuild && !existsSync(frontEntry(options.distDir)) && buildScript?.trim() !== "next build";
  const isOtherSource =
    options.distDir === benchDistDir &&
    hasBuild &&
    source !== null &&
    (existsSync(stamp) ? readFileSync(stamp, "utf8") : "") !== source;
  if (hasNoFront) options.say(`${options.distDir} has no compiled front: building again`);
  else if (isOtherSource) options.say(`${options.distDir} was built from other sources: building again`);
  ensureBuild(
    { ...options, isRebuild: options.isRebuild || hasNoFront || isOtherSource },
    ".",
    options.distDir,
    "the app",
  );
  if (source !== null) writeFileSync(stamp, source);
}

/** The commit and the uncommitted changes of the checkout, or null outside git. */
function sourceFingerprint(): string | null {
  const git = (args: string[]) => spawnSync("git", args, { encoding: "utf8" });
  const head = git(["rev-parse", "HEAD"]);
  const diff = git(["diff", "HEAD", "--", ".", ":(exclude)bench/results"]);
  if (head.status !== 0 || diff.status !== 0) return null;
  return `${head.stdout.trim()} ${createHash("sha256").update(diff.stdout).digest("hex")}`;
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
  // The app: its own build script (Next's build plus the front); the bare route: `next build <dir>`.
  const [command, args] = projectDir === "." ? npmRunBuild() : [process.execPath, [nextBin(), "build", projectDir]];
  const build = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const { file, text } of restore) {
    if (text === null) rmSync(file, { force: true });
    else if (readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  }
  if (build.status !== 0) throw new Error(`next build of ${what} failed`);
}

/** `npm run build` with the npm that runs the bench (npm_execpath), else npm from PATH. */
function npmRunBuild(): [string, string[]] {
  const cli = process.env.npm_execpath;
  return cli && /\.c?js$/.test(cli) ? [process.execPath, [cli, "run", "build"]] : ["npm", ["run", "build"]];
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
    if (child.exitCode !== null) throw new Error(`a server exited (${child.exitCode}); see ${logFile}`);
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
