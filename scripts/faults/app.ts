import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";
import { logTail } from "./pg-node";

// The app as `npm start` serves it: the compiled front (`<distDir>/front/server.js`), in
// OPENCMQ_PROCESSES processes on one port (lib/front/cluster.ts), started from the build.

export type AppOptions = {
  port: number;
  processes: number;
  databaseUrl: string;
  masterKey: string;
  nextAuthSecret: string;
  distDir: string;
  logFile: string;
  env?: Record<string, string>;
};

export type App = {
  url: string;
  /** The process npm start's front runs as: the single app process, or the cluster's primary. */
  pid: () => number | undefined;
  /** Ids of the processes serving requests (with 1 process, the one; with N, the primary's workers). */
  servingPids: () => number[];
  start: () => Promise<void>;
  /** kill -9 of the whole app (with 1 process) — nothing runs until start() again. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
};

/** App processes running now (with their workers): killed if the suite itself is stopped. */
export const runningApps = new Set<number>();

export function app(options: AppOptions): App {
  let child: ChildProcess | null = null;
  const url = `http://127.0.0.1:${options.port}`;
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: () => child?.pid,
    servingPids() {
      const pid = child?.pid;
      if (!pid || !running()) return [];
      if (options.processes === 1) return [pid];
      return childrenOf(pid);
    },
    async start() {
      const log = openSync(options.logFile, "a");
      const started = spawn(process.execPath, [path.join(options.distDir, "front", "server.js")], {
        stdio: ["ignore", log, log],
        env: {
          ...process.env,
          PORT: String(options.port),
          OPENCMQ_PROCESSES: String(options.processes),
          DATABASE_URL: options.databaseUrl,
          OPENCMQ_MASTER_KEY: options.masterKey,
          NEXTAUTH_SECRET: options.nextAuthSecret,
          NEXTAUTH_URL: url,
          NEXT_DIST_DIR: options.distDir,
          LOG_LEVEL: "warn",
          NEXT_TELEMETRY_DISABLED: "1",
          ...options.env,
        },
      });
      child = started;
      const pid = started.pid as number;
      runningApps.add(pid);
      started.once("exit", () => runningApps.delete(pid));
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (started.exitCode !== null) {
          throw new Error(`the app exited at start; its log (${options.logFile}) ends:\n${logTail(options.logFile)}`);
        }
        const serving = options.processes === 1 || childrenOf(started.pid ?? 0).length >= options.processes;
        if (serving && (await isHealthy(url))) return;
        if (Date.now() > deadline) throw new Error(`the app did not become healthy in 90 s; see ${options.logFile}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async kill9() {
      if (!running()) return;
      const workers = childrenOf(child?.pid ?? 0);
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child?.kill("SIGKILL");
      await exited;
      // With N processes the workers would follow their primary (cluster disconnect); make it certain.
      for (const pid of workers) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
    },
    async stop() {
      if (!running()) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child?.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Direct children of a process (the cluster primary's app processes). */
export function childrenOf(pid: number): number[] {
  if (!pid) return [];
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

export async function isHealthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}
