// Runs once when a Next server process starts: background workers live in the Node runtime only.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.OPENCMQ_WORKERS !== "off") {
    const { startWorkers } = await import("./lib/workers");
    startWorkers();
  }
}
