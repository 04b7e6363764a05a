import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { startAppServer, stopAppServer } from "./app-server";

// Starts the built app on a throwaway database. Test workers inherit the environment set here, so
// fixtures can create accounts directly in that database.
export default async function globalSetup(config: FullConfig) {
  const baseURL = String(config.projects[0]?.use.baseURL);
  const port = new URL(baseURL).port;
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(distDir, "BUILD_ID")) || !existsSync(path.join(distDir, "front", "server.js"))) {
    throw new Error(`No production build in ${distDir}: run \`npm run build\` first (npm test does).`);
  }
  const database = await createThrowawayDatabase("e2e");
  process.env.DATABASE_URL = database.url;
  process.env.OPENCMQ_MASTER_KEY = "e2e-master-key";
  process.env.NEXTAUTH_SECRET = "e2e-nextauth-secret";
  process.env.NEXTAUTH_URL = baseURL;
  // Every journey signs in from 127.0.0.1: the shared server must not count them as one client's
  // guesses. The throttle itself is tested on a server of its own (abuse.spec.ts).
  process.env.OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE = "100000";
  // Journeys push to HTTP receivers they start on 127.0.0.1 (the SSRF guard is tested in lib/push).
  process.env.OPENCMQ_PUSH_ALLOW_PRIVATE = "on";
  // Alarm journeys see rules fire and resolve within seconds, not a 30 s evaluation interval.
  process.env.OPENCMQ_ALARM_INTERVAL_MS = "1000";
  // The server's whole output goes to a file as well, so tests can check what it logs (never secrets).
  const logFile = path.join(process.cwd(), ".data", `e2e-server-${port}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  process.env.E2E_SERVER_LOG = logFile;
  const { server, ready } = await startAppServer(Number(port), { logLevel: "info", pipeOutput: true });
  for (const stream of [server.stdout, server.stderr]) {
    stream?.pipe(log, { end: false });
    stream?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (/error|warn/i.test(text)) process.stderr.write(text);
    });
  }
  await ready;
  return async () => {
    await stopAppServer(server);
    await database.drop();
  };
}
