// How fast does the HTTP push worker deliver? In process: a push worker (lib/push/worker.ts) drains
// N pending deliveries spread over S HTTP subscriptions to a local receiver (a separate node process,
// so its CPU is not the worker's), and the probe reports deliveries/s, attempts/s, and app and
// PostgreSQL CPU per delivery. With --fail-every K the receiver answers 500 to every K-th request
// (retried per BACKOFF_RETRY with a 1 ms unit), so attempts outnumber deliveries.
//
//   OPENCMQ_TEST_PG_PORT=54332 npx tsx bench/push-probe.ts [--deliveries 2000] [--subscriptions 4]
//     [--concurrency 32] [--per-subscription 8] [--fail-every 0] [--runs 1]
//
// It uses the test cluster (.data/test-pg on OPENCMQ_TEST_PG_PORT) and a throwaway database in it.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fillInSettings } from "@/lib/config";
import { closePool, getPool } from "@/lib/db/pool";
import { createPushSubscription, type PushSubscriptionFixture } from "@/lib/push/testing";
import { startPushWorker } from "@/lib/push/worker";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { cpuDelta, sampleCpu } from "./cpu";

const { values: args } = parseArgs({
  options: {
    deliveries: { type: "string", default: "2000" },
    subscriptions: { type: "string", default: "4" },
    concurrency: { type: "string", default: "32" },
    "per-subscription": { type: "string", default: "8" },
    "fail-every": { type: "string", default: "0" },
    runs: { type: "string", default: "1" },
  },
});
const deliveries = Number(args.deliveries);
const subscriptionCount = Number(args.subscriptions);
const concurrency = Number(args.concurrency);
const perSubscription = Number(args["per-subscription"]);
const failEvery = Number(args["fail-every"]);
const runs = Number(args.runs);

const receiverSource = `
  const http = require("node:http");
  const failEvery = ${failEvery};
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      n++;
      res.writeHead(failEvery > 0 && n % failEvery === 0 ? 500 : 200).end();
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

async function startReceiverProcess() {
  const child = spawn(process.execPath, ["-e", receiverSource], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (data: Buffer) => resolve(Number(String(data).trim())));
    child.once("exit", (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  return { port, pid: child.pid, stop: () => child.kill() };
}

async function fill(subs: PushSubscriptionFixture[]) {
  // Not due yet: the clock starts when the worker does.
  for (const [i, sub] of subs.entries()) {
    const n = Math.floor(deliveries / subs.length) + (i < deliveries % subs.length ? 1 : 0);
    await getPool().query(
      `WITH m AS (
         INSERT INTO topic_message (topic_id, body) SELECT $1::bigint, 'probe message ' || g FROM generate_series(1, $3::int) g RETURNING id
       )
       INSERT INTO push_delivery (topic_message_id, subscription_id, next_attempt_at)
       SELECT m.id, $2::bigint, now() + interval '1 hour' FROM m`,
      [sub.topicId, sub.subscriptionId, n],
    );
  }
}

async function main() {
  const database = await createThrowawayDatabase("pushprobe");
  fillInSettings({
    DATABASE_URL: database.url,
    OPENCMQ_MASTER_KEY: process.env.OPENCMQ_MASTER_KEY ?? "probe-master-key",
  });
  const pidFile = path.join(process.cwd(), ".data", "test-pg", "pg", "postmaster.pid");
  const postgresPid = Number(readFileSync(pidFile, "utf8").split("\n")[0]) || undefined;
  const receiver = await startReceiverProcess();
  try {
    console.log(
      `push probe: ${deliveries} deliveries over ${subscriptionCount} subscriptions, concurrency ${concurrency} ` +
        `(${perSubscription} per subscription), receiver fails every ${failEvery || "—"}`,
    );
    for (let run = 1; run <= runs; run++) {
      const subs: PushSubscriptionFixture[] = [];
      for (let i = 0; i < subscriptionCount; i++) {
        subs.push(
          await createPushSubscription({ endpoint: `http://127.0.0.1:${receiver.port}/push/${i}`, secret: "probe" }),
        );
      }
      const ids = subs.map((s) => s.subscriptionId);
      await fill(subs);
      const cpuBefore = sampleCpu({ postgres: postgresPid, node: receiver.pid });
      const begun = performance.now();
      await getPool().query("UPDATE push_delivery SET next_attempt_at = now() WHERE subscription_id = ANY($1)", [ids]);
      const worker = startPushWorker({
        concurrency,
        perSubscription,
        timeoutMs: 15_000,
        pollMs: 1000,
        retryUnitMs: 1,
        policy: { allowPrivate: true },
        subscriptionIds: ids,
      });
      for (;;) {
        const { rows } = await getPool().query(
          "SELECT count(*)::int AS n FROM push_delivery WHERE status = 'pending' AND subscription_id = ANY($1)",
          [ids],
        );
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const seconds = (performance.now() - begun) / 1000;
      await worker.stop();
      const cpu = cpuDelta(cpuBefore, sampleCpu({ postgres: postgresPid, node: receiver.pid }));
      const { rows } = await getPool().query(
        `SELECT (SELECT count(*) FROM push_attempt a JOIN push_delivery d ON d.id = a.delivery_id
                 WHERE d.subscription_id = ANY($1))::int AS attempts,
                (SELECT count(*) FROM push_delivery WHERE subscription_id = ANY($1) AND status = 'delivered')::int AS delivered`,
        [ids],
      );
      const { attempts, delivered } = rows[0];
      const perDelivery = (s: number | null) => (s === null ? "—" : ((s * 1000) / delivered).toFixed(3));
      console.log(
        `run ${run}: ${delivered} delivered in ${seconds.toFixed(2)} s = ${(delivered / seconds).toFixed(0)} deliveries/s, ` +
          `${attempts} attempts = ${(attempts / seconds).toFixed(0)} attempts/s; CPU ms per delivery: ` +
          `worker ${perDelivery(cpu.loadgen)} (includes the probe's polling), postgres ${perDelivery(cpu.postgres)}, ` +
          `receiver ${perDelivery(cpu.node)}`,
      );
    }
  } finally {
    receiver.stop();
    await closePool();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
