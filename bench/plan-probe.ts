// What re-planning costs on the hot path (lib/store/messages.ts, top): one connection runs the
// receive and delete statements — plain, with rewind (the delete keeps rows), with a dead-letter
// policy — back to back, once with PostgreSQL re-planning every execution (plan_cache_mode =
// force_custom_plan, what these statements got before they were written for a generic plan) and once
// as they run now (auto: the cached generic plan), alternated. Reports that backend's CPU per
// receive + delete (from /proc, so only the statements count) and the ratio.
//
//   OPENCMQ_TEST_PG_PORT=54339 npx tsx bench/plan-probe.ts [--ops 3000] [--runs 3]
//
// It uses the test cluster (.data/test-pg on OPENCMQ_TEST_PG_PORT) and a throwaway database in it.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { leaseMessagesWithDeadLetterSql } from "@/lib/store/dead-letters";
import { deleteLeasedKeepSql, deleteLeasedSql, leaseMessagesSql } from "@/lib/store/messages";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";

const { values: args } = parseArgs({
  options: { ops: { type: "string", default: "3000" }, runs: { type: "string", default: "3" } },
});
const ops = Number(args.ops);
const runs = Number(args.runs);

const clockTicks = 100; // USER_HZ on Linux
/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

type Variant = { label: string; lease: string; leaseValues: (queueId: string) => unknown[]; del: string };

async function main() {
  const database = await createThrowawayDatabase("planprobe");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const backend = rows[0]?.pid ?? 0;
    await client.query("INSERT INTO account (id, name) VALUES ('00000000-0000-4000-8000-00000000beef', 'probe')");
    const queue = async (name: string) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size,
                            msg_retention_seconds, max_msg_heap_num, rewind_seconds)
         VALUES ('00000000-0000-4000-8000-00000000beef', $1, 30, 0, 65536, 345600, 100000000, 0) RETURNING id::text`,
        [name],
      );
      return rows[0]?.id ?? "";
    };
    const source = await queue("source");
    const dlq = await queue("dead");
    const backlog = ops * runs * 6 + 1000;
    console.log(`filling ${backlog.toLocaleString()} messages…`);
    await client.query(
      "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'probe body ' || g, now() - interval '1 second' FROM generate_series(1, $2) g",
      [source, backlog],
    );
    await client.query("VACUUM ANALYZE message");

    const variants: Variant[] = [
      { label: "plain", lease: leaseMessagesSql, leaseValues: (q) => [q, 1, 30, 345_600], del: deleteLeasedSql },
      { label: "rewind", lease: leaseMessagesSql, leaseValues: (q) => [q, 1, 30, 345_600], del: deleteLeasedKeepSql },
      {
        label: "dead-letter",
        lease: leaseMessagesWithDeadLetterSql,
        leaseValues: (q) => [q, 1, 30, 345_600, dlq, 5, null],
        del: deleteLeasedSql,
      },
    ];
    const results = new Map<string, number[]>();
    for (let run = 1; run <= runs; run++) {
      const modes = run % 2 ? ["force_custom_plan", "auto"] : ["auto", "force_custom_plan"];
      for (const variant of variants) {
        for (const mode of modes) {
          await client.query(`SET plan_cache_mode = ${mode}`);
          const before = cpuSeconds(backend);
          for (let i = 0; i < ops; i++) {
            const leased = await client.query({
              name: `${variant.label}_lease`,
              text: variant.lease,
              values: variant.leaseValues(source),
            });
            const row = leased.rows[0];
            if (!row?.id) throw new Error("the backlog ran out");
            await client.query({
              name: `${variant.label}_delete`,
              text: variant.del,
              values: [source, [row.id], [row.receipt]],
            });
          }
          const ms = ((cpuSeconds(backend) - before) * 1000) / ops;
          const key = `${variant.label} ${mode}`;
          results.set(key, [...(results.get(key) ?? []), ms]);
          console.log(`run ${run} ${key.padEnd(30)} ${ms.toFixed(3)} ms backend CPU per receive + delete`);
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    console.log("\nmedians: re-planned every execution → generic plan (ratio)");
    for (const variant of variants) {
      const custom = median(results.get(`${variant.label} force_custom_plan`) ?? []);
      const generic = median(results.get(`${variant.label} auto`) ?? []);
      console.log(
        `  ${variant.label.padEnd(12)} ${custom.toFixed(3)} → ${generic.toFixed(3)} ms (${(generic / custom).toFixed(2)}×)`,
      );
    }
  } finally {
    await client.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
