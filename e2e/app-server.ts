import { type ChildProcess, spawn } from "node:child_process";

/** Starts the built app (`next start`) on `port` with this process's environment; resolves once healthy. */
export async function startAppServer(
  port: number,
  options: { logLevel?: string; pipeOutput?: boolean; env?: Record<string, string> } = {},
) {
  const server = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port)], {
    env: { ...process.env, LOG_LEVEL: options.logLevel ?? "warn", ...options.env },
    stdio: options.pipeOutput ? ["ignore", "pipe", "pipe"] : "ignore",
  });
  return { server, url: `http://127.0.0.1:${port}`, ready: waitForHealth(`http://127.0.0.1:${port}`, server) };
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

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopAppServer(server: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
    setTimeout(() => server.kill("SIGKILL"), 5000).unref();
  });
}
