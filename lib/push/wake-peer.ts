import { closePool, getPool } from "@/lib/db/pool";
import { startCrossProcessWake, stopCrossProcessWake, wakeListenerName } from "@/lib/services/cross-process-wake";
import { startPushWorker } from "./worker";

// Another app process, for lib/services/cross-process-wake.test.ts: listens on the cross-process wake
// channel and runs a push worker for one subscription that polls only every `pollMs` — so a push it
// delivers sooner was announced to it. Prints "ready" once its LISTEN is up; stops on SIGTERM.
//
//   npx tsx lib/push/wake-peer.ts <subscription id> <poll ms>

async function main() {
  const [subscriptionId = "", pollMs = "60000"] = process.argv.slice(2);
  startCrossProcessWake();
  const worker = startPushWorker({
    concurrency: 4,
    perSubscription: 4,
    timeoutMs: 5000,
    pollMs: Number(pollMs),
    retryUnitMs: 1000,
    policy: { allowPrivate: true },
    subscriptionIds: [subscriptionId],
  });
  for (;;) {
    const { rows } = await getPool().query(
      "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'",
      [wakeListenerName()],
    );
    if (rows.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log("ready");
  process.once("SIGTERM", () => {
    void (async () => {
      await worker.stop();
      await stopCrossProcessWake();
      await closePool();
      process.exit(0);
    })();
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
