import cluster, { type Worker } from "node:cluster";

// N app processes on one port (node's cluster module: the primary accepts connections and hands
// them round-robin to its workers, each a whole app — front, Next, pool, background workers). The
// primary serves nothing itself; it restarts a process that dies and passes SIGTERM/SIGINT on.

const say = (line: string) => console.log(`[opencmq] ${line}`);

export function runProcesses(count: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    say(`app process ${worker.process.pid} exited (${signal ?? code}); starting another in 1 s`);
    setTimeout(fork, 1000);
  });
  let listening = 0;
  cluster.on("listening", () => {
    listening++;
    if (listening === count) say(`all ${count} app processes are serving`);
  });
  for (let i = 0; i < count; i++) fork();
  say(`starting ${count} app processes on one port`);

  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
