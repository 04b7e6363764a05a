import { readFileSync } from "node:fs";
import path from "node:path";
import { it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { leaseMessagesWithDeadLetter } from "@/lib/store/dead-letters";
import { deleteLeased, leaseMessages } from "@/lib/store/messages";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { sampleCpu } from "./cpu";

// Postgres CPU per message of receive (16 per statement) + delete, on a queue without a DLQ and on
// one with a DLQ (maxReceiveCount 5, so nothing moves): the price of the dead-letter statement.
// Alternating rounds; the embedded test server's process tree is measured. Opt-in (~1 min):
//   DLQ_PROBE=1 npx vitest run bench/dead-letter-probe.test.ts

const N = 16_000;
const ROUNDS = 3;

it.skipIf(!process.env.DLQ_PROBE)(
  "Postgres CPU per message, receive + delete, with and without a dead-letter queue",
  async () => {
    const pidFile = path.join(process.cwd(), ".data", "test-pg", "pg", "postmaster.pid");
    const postgres = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const plain = await createTestQueue(p);
    const bound = await createTestQueue(p, {
      deadLetter: { queue: dlq.name, policy: "maxReceiveCount", maxReceiveCount: 5 },
    });
    const policy = { deadLetterQueueId: dlq.id, maxReceiveCount: 5, maxTimeToLive: null };
    const fill = async () => {
      for (const q of [plain, bound]) {
        await getPool().query(
          "INSERT INTO message (queue_id, body, visible_at) SELECT $1, repeat('x', 200), now() FROM generate_series(1, $2) g",
          [q.id, N],
        );
      }
      await getPool().query("VACUUM ANALYZE message");
    };
    const drain = async (queueId: string, withDeadLetter: boolean) => {
      const before = sampleCpu({ postgres });
      let n = 0;
      for (;;) {
        const { rows } = withDeadLetter
          ? await leaseMessagesWithDeadLetter(queueId, 16, 30, 345_600, policy)
          : await leaseMessages(queueId, 16, 30, 345_600);
        if (rows.length === 0) break;
        n += rows.length;
        await deleteLeased(
          queueId,
          rows.map((r) => ({ id: r.id, receipt: r.receipt ?? "" })),
        );
      }
      const cpu = (sampleCpu({ postgres }).postgres ?? 0) - (before.postgres ?? 0);
      return cpu / n;
    };
    const perMessage = { plain: 0, deadLetter: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await fill();
      const order = round % 2 === 0 ? (["plain", "deadLetter"] as const) : (["deadLetter", "plain"] as const);
      for (const which of order) {
        const us = (await drain(which === "plain" ? plain.id : bound.id, which === "deadLetter")) * 1e6;
        console.log(`round ${round + 1} ${which}: ${us.toFixed(1)} µs Postgres CPU per message`);
        perMessage[which] += us;
      }
    }
    console.log(`dead-letter / plain: ${(perMessage.deadLetter / perMessage.plain).toFixed(3)}`);
  },
  300_000,
);
