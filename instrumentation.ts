// Runs once when a Next server process starts: background workers live in the Node runtime only,
// and so does the stamp that tells route handlers the client's address.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installClientAddressStamp } = await import("./lib/http/client-address");
    installClientAddressStamp();
  }
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.OPENCMQ_WORKERS !== "off") {
    const { startWorkers } = await import("./lib/workers");
    startWorkers();
  }
}
