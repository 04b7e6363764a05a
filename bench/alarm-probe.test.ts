import { it } from "vitest";
import { evaluateAlarmRules } from "@/lib/alarms/run";
import { getPool } from "@/lib/db/pool";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";

// What one alarm evaluation pass costs, and that it does not grow with the messages queues hold:
// 1,000 queues and 200 rules (197 on one queue each, a pattern, the account, the oldest age), first
// with the queues empty, then with the kept counts saying 1,000,000 messages each (queue_stats rows:
// the evaluation reads kept counts, never a message row). Median of 5 passes each. Opt-in:
//   ALARM_PROBE=1 npx vitest run bench/alarm-probe.test.ts

const QUEUES = 1000;
const PASSES = 5;

it.skipIf(!process.env.ALARM_PROBE)(
  "one evaluation pass over 200 rules: empty queues vs 1,000,000 messages each",
  async () => {
    const pool = getPool();
    const owner = await createTestPrincipal();
    const prefix = uniqueName("probe");
    const { rows: queues } = await pool.query<{ id: string; name: string }>(
      `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size, msg_retention_seconds,
                        max_msg_heap_num, rewind_seconds)
     SELECT $1, $2 || '-' || g, 30, 0, 65536, 345600, 100000000, 0 FROM generate_series(1, $3) g
     RETURNING id::text, name`,
      [owner.accountId, prefix, QUEUES],
    );
    const rule = (name: string, kind: string, scopeType: string, scopeName: string | null) =>
      pool.query(
        `INSERT INTO alarm_rule (account_id, name, kind, scope_type, scope_name, threshold, for_seconds)
       VALUES ($1, $2, $3, $4, $5, 2000000, 0)`,
        [owner.accountId, name, kind, scopeType, scopeName],
      );
    for (const q of queues.slice(0, 197)) await rule(`r-${q.name}`, "backlogVisible", "queue", q.name);
    await rule("pattern", "backlogTotal", "pattern", `${prefix}-1*`);
    await rule("account", "backlogVisible", "account", null);
    await rule("oldest", "oldestMessageAge", "account", null);

    const median = async () => {
      const times: number[] = [];
      for (let i = 0; i < PASSES; i++) {
        const client = await pool.connect();
        try {
          const started = performance.now();
          const result = await evaluateAlarmRules(client, [owner.accountId]);
          times.push(performance.now() - started);
          if (result.evaluated !== 200) throw new Error(`evaluated ${result.evaluated}`);
        } finally {
          client.release();
        }
      }
      return times.sort((a, b) => a - b)[Math.floor(PASSES / 2)] ?? 0;
    };
    const empty = await median();
    await pool.query(
      `INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, oldest_enqueued_at, computed_at)
     SELECT id, 1000000, 1000000, 0, 0, now() - interval '1 hour', now() FROM queue WHERE account_id = $1`,
      [owner.accountId],
    );
    const full = await median();
    const { rows } = await pool.query(
      "SELECT count(*)::int AS firing FROM alarm_rule WHERE account_id = $1 AND state = 'firing'",
      [owner.accountId],
    );
    console.log(
      `alarm evaluation, 200 rules over ${QUEUES} queues: empty ${empty.toFixed(0)} ms, 1,000,000 messages each ${full.toFixed(0)} ms ` +
        `(ratio ${(full / empty).toFixed(2)}; ${(full / 200).toFixed(2)} ms per rule); rules firing after: ${rows[0].firing}`,
    );
    await pool.query("DELETE FROM account WHERE id = $1", [owner.accountId]);
  },
);
