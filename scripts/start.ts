// `npm start`: the whole service on one port, zero set-up.
//  1. Without DATABASE_URL, starts the embedded PostgreSQL in .data/pg (port OPENCMQ_PG_PORT, 54329).
//  2. Applies migrations; on first start creates the owner account and prints its login and API key once.
//  3. Builds the app if it has not been built, then serves console + APIs on PORT (3000): the front
//     (lib/front, compiled into <distDir>/front/server.js) in OPENCMQ_PROCESSES processes.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fillInAuthOrigin, fillInSettings, loadServerSecrets, settings } from "@/lib/config";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

const isDev = process.argv.includes("--dev");
const say = (line: string) => console.log(`[opencmq] ${line}`);

async function main() {
  const config = settings(); // an invalid setting stops the start here, naming the variable
  // What this process generates or starts reaches the server through its environment.
  const secrets = loadServerSecrets(config.dataDir, config);
  fillInSettings({
    OPENCMQ_MASTER_KEY: secrets.masterKey,
    NEXTAUTH_SECRET: secrets.nextAuthSecret,
  });
  fillInAuthOrigin();

  let stopDatabase = async () => {};
  if (!config.databaseUrl) {
    say(`starting embedded PostgreSQL in ${path.join(config.dataDir, "pg")} on port ${config.embeddedPgPort}…`);
    const db = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      database: "opencmq",
      password: secrets.pgPassword,
    });
    fillInSettings({ DATABASE_URL: db.url });
    stopDatabase = db.stop;
  } else {
    say("using the PostgreSQL server in DATABASE_URL");
  }
  const databaseUrl = settings().databaseUrl ?? "";
  const applied = await migrate(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  // App modules are imported only now: they read the settings when loaded, and an invalid one should
  // end in the message below, not in a stack trace.
  const { ensureFirstAccount } = await import("@/lib/services/accounts");
  const { closePool } = await import("@/lib/db/pool");
  const first = await ensureFirstAccount(config.ownerEmail);
  await closePool();
  if (first) printFirstRun(first);

  const frontEntry = path.join(process.cwd(), config.nextDistDir, "front", "server.js");
  if (!isDev && !(existsSync(path.join(process.cwd(), config.nextDistDir, "BUILD_ID")) && existsSync(frontEntry))) {
    say("building the console and APIs (first start only, about a minute)…");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: process.env });
    if (build.status !== 0) throw new Error("the build failed (npm run build)");
  }
  // In development, `next dev` serves everything (the console's hot reload); in production the
  // front (lib/front) serves the data plane itself and the rest through Next, in OPENCMQ_PROCESSES
  // processes. Started with node directly, not npm/npx: a signal to this process reaches the server.
  const server = isDev
    ? spawn(
        process.execPath,
        [createRequire(import.meta.url).resolve("next/dist/bin/next"), "dev", "-p", String(config.port)],
        {
          stdio: "inherit",
          env: process.env,
        },
      )
    : spawn(process.execPath, [frontEntry], {
        stdio: "inherit",
        env: { ...process.env, PORT: String(config.port) },
      });
  const scheme = config.tls ? "https" : "http";
  say(`console and APIs on ${scheme}://localhost:${config.port} (CMQ endpoint /v2/index.php, REST /api/v1)`);
  say(
    config.nextAuthUrl
      ? `console's public URL (NEXTAUTH_URL): ${config.nextAuthUrl}`
      : "console redirects follow the host each browser used (set NEXTAUTH_URL to pin a public URL)",
  );
  const shutdown = async (code: number) => {
    server.kill("SIGTERM");
    await stopDatabase();
    process.exit(code);
  };
  server.on("exit", (code) => void shutdown(code ?? 0));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));
}

function printFirstRun(first: { email: string; password: string; secretId: string; secretKey: string }) {
  const lines = [
    "First start: created the owner account. These secrets are shown only now — store them.",
    `  console login   ${first.email} / ${first.password}`,
    `  API SecretId    ${first.secretId}`,
    `  API SecretKey   ${first.secretKey}`,
    "  More keys: npm run admin -- keys create",
  ];
  console.log(`\n${lines.join("\n")}\n`);
}

main().catch((error) => {
  console.error(`[opencmq] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
