// Runs once when a Next server process starts: background workers live in the Node runtime only,
// and so does the stamp that tells route handlers the client's address. NEXT_RUNTIME is Next's own
// variable, not a setting.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Parsed first: an invalid setting ends the start here, naming the variable.
  const { settingsOrExit } = await import("./lib/config");
  const { workers, metrics } = settingsOrExit();
  const { installClientAddressStamp } = await import("./lib/http/client-address");
  installClientAddressStamp();
  if (metrics !== "off") {
    const { startMetricsFlush } = await import("./lib/metrics/flush");
    startMetricsFlush();
  } else {
    const { setCountingOn } = await import("./lib/metrics/record");
    setCountingOn(false);
  }
  if (workers !== "off") {
    const { startWorkers } = await import("./lib/workers");
    startWorkers();
  }
}
