import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/** `env` overrides the test run's environment; a name set to undefined is removed from it. */
type ServerOptions = { logLevel?: string; pipeOutput?: boolean; env?: Record<string, string | undefined> };

/**
 * Starts the built app as `npm start` serves it — the front (`<distDir>/front/server.js`), in
 * OPENCMQ_PROCESSES processes (1 unless `env` says otherwise) — on `port`; resolves once healthy.
 */
export async function startAppServer(port: number, options: ServerOptions = {}) {
  const front = path.join(process.env.NEXT_DIST_DIR || ".next", "front", "server.js");
  return startServer([front], port, { OPENCMQ_PROCESSES: "1", ...options.env }, options);
}

/** The same build served by plain `next start`: Next's routing for every path (to compare the front with). */
export async function startNextServer(port: number, options: ServerOptions = {}) {
  return startServer([require.resolve("next/dist/bin/next"), "start", "-p", String(port)], port, {}, options);
}

function startServer(args: string[], port: number, env: Record<string, string>, options: ServerOptions) {
  const merged = { ...process.env, PORT: String(port), LOG_LEVEL: options.logLevel ?? "warn", ...env, ...options.env };
  const fullEnv = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as NodeJS.ProcessEnv;
  // With several processes, one healthy answer proves one of them: wait for the primary's word on all.
  const processes = Number(fullEnv.OPENCMQ_PROCESSES ?? 1);
  const server = spawn(process.execPath, args, {
    env: fullEnv,
    stdio: options.pipeOutput || processes > 1 ? ["ignore", "pipe", "pipe"] : "ignore",
  });
  const allServing =
    processes > 1
      ? new Promise<void>((resolve) => {
          let output = "";
          server.stdout?.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes(`all ${processes} app processes are serving`)) resolve();
          });
        })
      : Promise.resolve();
  const url = `http://127.0.0.1:${port}`;
  return { server, url, ready: Promise.all([allServing, waitForHealth(url, server)]).then(() => {}) };
}

async function waitForHealth(baseURL: string, server: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app server exited with code ${server.exitCode}`);
    try {
      // Bounded: something else on the port may accept and never answer.
      if ((await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("The app did not become healthy within 60 s.");
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopAppServer(server: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
    setTimeout(() => server.kill("SIGKILL"), 5000).unref();
  });
}
