import cluster, { type Worker } from "node:cluster";

// N app processes on one port (node's cluster module: the primary accepts connections and hands
// them round-robin to its workers, each a whole app — front, Next, pool, background workers). The
// primary serves nothing itself; it passes SIGTERM/SIGINT on and replaces a process that dies. A
// process that dies before it ever served (port taken, bad build) would die again: the primary stops
// and exits 1 rather than restart it in a loop. Deaths in quick succession back off to 30 s.

const say = (line: string) => console.log(`[opencmq] ${line}`);
const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 30_000;
const QUICK_SUCCESSION_MS = 10_000;

export function runProcesses(count: number): void {
  let stopping = false;
  let exitCode = 0;
  const serving = new Set<number>(); // ids of workers that reached "listening"
  let restartMs = FIRST_RESTART_MS;
  let lastDeathAt = Number.NEGATIVE_INFINITY;

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(code), 10_000).unref();
  };

  cluster.on("listening", (worker: Worker) => {
    serving.add(worker.id);
    if (serving.size === count) say(`all ${count} app processes are serving`);
  });
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const how = signal ?? `code ${code}`;
    if (!serving.delete(worker.id)) {
      say(`app process ${worker.process.pid} failed to start (${how}); stopping`);
      return stop(1);
    }
    const now = Date.now();
    restartMs = now - lastDeathAt < QUICK_SUCCESSION_MS ? Math.min(restartMs * 2, MAX_RESTART_MS) : FIRST_RESTART_MS;
    lastDeathAt = now;
    say(`app process ${worker.process.pid} exited (${how}); starting another in ${restartMs / 1000} s`);
    setTimeout(() => {
      if (!stopping) cluster.fork();
    }, restartMs);
  });

  for (let i = 0; i < count; i++) cluster.fork();
  say(`starting ${count} app processes on one port`);
  process.once("SIGTERM", () => stop(0));
  process.once("SIGINT", () => stop(0));
}
