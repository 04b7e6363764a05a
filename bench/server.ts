import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";

// Everything the benchmark measures against, started from nothing and removed afterwards: an
// embedded PostgreSQL (its own data dir and port), a fresh database with the schema, an account
// with an API key, and `next start` on the production build in its own dist folder.

export type BenchServer = {
  baseUrl: string;
  databaseUrl: string;
  secretId: string;
  secretKey: string;
  pids: { server?: number; postgres?: number };
  logFile: string;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string;
  pgPort: number;
  appPort: number;
  distDir: string;
  isRebuild: boolean;
  logDir: string;
  say: (line: string) => void;
};

export async function startBenchServer(options: Options): Promise<BenchServer> {
  const { say } = options;
  const baseUrl = `http://127.0.0.1:${options.appPort}`;
  if (await isHealthy(baseUrl)) throw new Error(`Something already answers on ${baseUrl}; pass --port.`);

  const database = `bench_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
  say(`starting embedded PostgreSQL (${options.dataDir}, port ${options.pgPort}), database ${database}`);
  const db = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.pgPort, database });
  const postgresPid = readPostmasterPid(path.join(options.dataDir, "pg"));
  let server: ChildProcess | undefined;

  const stop = async () => {
    if (server) await killAndWait(server);
    await closePool();
    await dropDatabase(db.url, database).catch((error) => say(`could not drop ${database}: ${String(error)}`));
    await db.stop();
  };

  try {
    await migrate(db.url);
    const masterKey = randomBytes(32).toString("base64url");
    process.env.DATABASE_URL = db.url;
    process.env.OPENCMQ_MASTER_KEY = masterKey;
    // Imported late: the account service reads DATABASE_URL and the master key on first use.
    const { createAccountWithOwner } = await import("@/lib/services/accounts");
    const owner = await createAccountWithOwner({ accountName: "bench", email: `bench-${database}@opencmq.local` });

    ensureBuild(options);
    mkdirSync(options.logDir, { recursive: true });
    const logFile = path.join(options.logDir, `server-${database}.log`);
    const log = openSync(logFile, "a");
    say(`starting next start on ${baseUrl} (dist ${options.distDir}, log ${path.relative(process.cwd(), logFile)})`);
    server = spawn(process.execPath, [nextBin(), "start", "-p", String(options.appPort)], {
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        OPENCMQ_MASTER_KEY: masterKey,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        NEXTAUTH_URL: baseUrl,
        NEXT_DIST_DIR: options.distDir,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    await waitForHealth(baseUrl, server, logFile);
    return {
      baseUrl,
      databaseUrl: db.url,
      secretId: owner.secretId,
      secretKey: owner.secretKey,
      pids: { server: server.pid, postgres: postgresPid },
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function ensureBuild(options: Options) {
  if (!options.isRebuild && existsSync(path.join(options.distDir, "BUILD_ID"))) return;
  options.say(`building the app into ${options.distDir} (about a minute)…`);
  // `next build` adds "<distDir>/types/**/*.ts" to tsconfig.json's include list and reformats the
  // file; the bench must not leave that change behind, so the file is put back as it was.
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const build = spawnSync(process.execPath, [nextBin(), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: options.distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (readFileSync("tsconfig.json", "utf8") !== tsconfig) writeFileSync("tsconfig.json", tsconfig);
  if (build.status !== 0) throw new Error("next build failed");
}

const nextBin = () => createRequire(path.join(process.cwd(), "package.json")).resolve("next/dist/bin/next");

async function isHealthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function waitForHealth(baseUrl: string, server: ChildProcess, logFile: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}); see ${logFile}`);
    if (await isHealthy(baseUrl)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer /api/health within 60 s; see ${logFile}`);
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

async function dropDatabase(url: string, database: string) {
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
