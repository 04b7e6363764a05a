// What a publish costs (issue 11). Two parts:
//  1. matching, in memory: one publish matched against N subscriptions (routing keys of 1–16 words with
//     *, # and literals; tag filters), µs per publish and ns per subscription;
//  2. with --db: publishing to a topic with 1, 10 and 100 queue subscriptions beside a plain send of
//     the same message count (C callers, single-message calls, for a few seconds each): delivered
//     messages/s and PostgreSQL CPU per delivered message.
//
//   OPENCMQ_TEST_PG_PORT=54331 npx tsx bench/topic-probe.ts [--db] [--seconds 5] [--callers 8]
//
// The --db part uses the test cluster (.data/test-pg on OPENCMQ_TEST_PG_PORT) and a throwaway database.

import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fillInSettings } from "@/lib/config";
import { closePool, getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { sendMessages } from "@/lib/services/messages";
import { publishMessages } from "@/lib/services/publish";
import { createSubscription } from "@/lib/services/subscriptions";
import { createTopic } from "@/lib/services/topics";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { matchingSubscriptions } from "@/lib/topics/matching";
import { cpuDelta, sampleCpu } from "./cpu";

const { values: args } = parseArgs({
  options: {
    db: { type: "boolean", default: false },
    seconds: { type: "string", default: "5" },
    callers: { type: "string", default: "8" },
  },
});

/** A deterministic generator, so every run matches the same keys. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function matchingPart() {
  const next = random(42);
  const words = ["order", "invoice", "eu", "us", "paid", "new", "x", "y"];
  const word = () => words[Math.floor(next() * words.length)] ?? "x";
  const key = (wild: boolean) =>
    Array.from({ length: 1 + Math.floor(next() * 16) }, () => {
      const r = next();
      return wild && r < 0.15 ? "#" : wild && r < 0.35 ? "*" : word();
    }).join(".");
  console.log("| subscriptions | filter | µs per publish (median) | ns per subscription | matched |");
  console.log("|---|---|---|---|---|");
  for (const n of [1_000, 10_000, 100_000]) {
    const subs = Array.from({ length: n }, () => ({
      filterTags: Array.from({ length: Math.floor(next() * 6) }, word),
      bindingKeys: Array.from({ length: 1 + Math.floor(next() * 5) }, () => key(true)),
    }));
    const rounds = n >= 100_000 ? 21 : 201;
    for (const filter of ["routing", "tag"] as const) {
      const times: number[] = [];
      let matched = 0;
      for (let i = 0; i < rounds; i++) {
        const message = { tags: [word(), word()], routingKey: key(false) };
        const t = performance.now();
        matched += matchingSubscriptions(filter, subs, message).length;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const us = (times[Math.floor(rounds / 2)] ?? 0) * 1000;
      console.log(
        `| ${n.toLocaleString("en")} | ${filter} | ${us.toFixed(0)} | ${((us * 1000) / n).toFixed(0)} | ${(matched / rounds).toFixed(0)} |`,
      );
    }
  }
}

async function dbPart() {
  const seconds = Number(args.seconds);
  const callers = Number(args.callers);
  const database = await createThrowawayDatabase("topicprobe");
  fillInSettings({ DATABASE_URL: database.url, OPENCMQ_MASTER_KEY: "probe-master-key" });
  const pidFile = path.join(process.cwd(), ".data", "test-pg", "pg", "postmaster.pid");
  const postgresPid = Number(readFileSync(pidFile, "utf8").split("\n")[0]) || undefined;
  const principal = await createTestPrincipal();

  async function run(label: string, fanOut: number, call: () => Promise<unknown>) {
    const before = sampleCpu({ postgres: postgresPid });
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    let calls = 0;
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (performance.now() < deadline) {
          await call();
          calls++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = cpuDelta(before, sampleCpu({ postgres: postgresPid }));
    const delivered = calls * fanOut;
    console.log(
      `| ${label} | ${(calls / elapsed).toFixed(0)} | ${(delivered / elapsed).toFixed(0)} | ${cpu.postgres === null ? "—" : ((cpu.postgres * 1000) / delivered).toFixed(3)} | ${((cpu.loadgen * 1000) / delivered).toFixed(3)} |`,
    );
    await getPool().query("TRUNCATE message, topic_message CASCADE");
  }

  console.log(`\n${callers} callers, ${seconds} s each, one 100-byte message per call`);
  console.log("| workload | calls/s | delivered msgs/s | PG CPU ms per delivered msg | app CPU ms per delivered msg |");
  console.log("|---|---|---|---|---|");
  const body = "x".repeat(100);
  const plain = await createTestQueue(principal);
  await run("plain send (1 queue)", 1, () => sendMessages(principal, { queueName: plain.name, messages: [{ body }] }));
  for (const fanOut of [1, 10, 100]) {
    const topic = await createTopic(principal, { name: `fan-${fanOut}`, filterType: "tag" });
    for (let i = 0; i < fanOut; i++) {
      const queue = await createTestQueue(principal);
      await createSubscription(principal, {
        topicName: topic.name,
        input: { name: `s${i}`, protocol: "queue", endpoint: queue.name },
      });
    }
    await run(`publish → ${fanOut} queue${fanOut > 1 ? "s" : ""}`, fanOut, () =>
      publishMessages(principal, { topicName: topic.name, messages: [{ body }] }),
    );
  }
  await getPrisma().$disconnect();
  await closePool();
  await database.drop();
}

async function main() {
  matchingPart();
  if (args.db) await dbPart();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
