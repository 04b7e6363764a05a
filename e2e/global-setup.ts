import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";

// Starts the built app on a throwaway database. Test workers inherit the environment set here, so
// fixtures can create accounts directly in that database.
export default async function globalSetup(config: FullConfig) {
  const baseURL = String(config.projects[0]?.use.baseURL);
  const port = new URL(baseURL).port;
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(distDir, "BUILD_ID"))) {
    throw new Error(`No production build in ${distDir}: run \`npm run build\` first (npm test does).`);
  }
  const database = await createThrowawayDatabase("e2e");
  process.env.DATABASE_URL = database.url;
  process.env.OPENCMQ_MASTER_KEY = "e2e-master-key";
  process.env.NEXTAUTH_SECRET = "e2e-nextauth-secret";
  process.env.NEXTAUTH_URL = baseURL;
  // The server's whole output goes to a file as well, so tests can check what it logs (never secrets).
  const logFile = path.join(process.cwd(), ".data", `e2e-server-${port}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  process.env.E2E_SERVER_LOG = logFile;
  const server = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", port], {
    env: { ...process.env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [server.stdout, server.stderr]) {
    stream?.pipe(log, { end: false });
    stream?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (/error|warn/i.test(text)) process.stderr.write(text);
    });
  }
  await waitForHealth(baseURL, server);
  return async () => {
    await stop(server);
    await database.drop();
  };
}

async function waitForHealth(baseURL: string, server: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("The app did not become healthy within 60 s.");
}

function stop(server: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
    setTimeout(() => server.kill("SIGKILL"), 5000).unref();
  });
}
