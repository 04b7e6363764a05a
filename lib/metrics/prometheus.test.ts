import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";
import { escapeLabel, renderPrometheus } from "./prometheus";

// /metrics over many queues (issue 12: a scrape stays cheap with 10,000 queues — its speed is the
// bench's, W9): every queue's every line, with the exact values stored for it, parsed by a Prometheus
// text-format parser.

const QUEUES = 1500;

describe("renderPrometheus over many queues", () => {
  it("answers every queue's counters and kept counts exactly, parses, and shows only the queues the caller may see", async () => {
    const p = await createTestPrincipal();
    const accountName = `${uniqueName("acct")} "quoted" \\ back`;
    await getPrisma().account.update({ where: { id: p.accountId }, data: { name: accountName } });
    const prefix = uniqueName("many");
    const names = Array.from({ length: QUEUES }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);
    await getPrisma().queue.createMany({
      data: names.map((name) => ({
        accountId: p.accountId,
        name,
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65536,
        msgRetentionSeconds: 345600,
        maxMsgHeapNum: 100_000_000n,
        rewindSeconds: 0,
      })),
    });
    const db = getPool();
    // Queue i: sent 10i+7, received 5i+3 (counted 3 of them: 4i+… below), empty receives i, deleted 2i;
    // recounted with 100+i total, i visible, 100 in flight, i % 7 delayed, i % 3 dead; its oldest
    // message i hours old (every third queue recounted empty: age 0).
    await db.query(
      `WITH q AS (
         SELECT id, account_id, (regexp_match(name, '(\\d+)$'))[1]::int AS i FROM queue WHERE account_id = $1
       ), totals AS (
         INSERT INTO metric_total (resource_kind, resource_id, account_id, send_msg_num, recv_msg_num, recv_null_msg_num,
                                   del_msg_num, counted_send, counted_recv, counted_del)
         SELECT 1, id, account_id, 10 * i + 7, 5 * i + 3, i, 2 * i, 10 * i + 7, 5 * i + 3, 2 * i FROM q
       )
       INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, dead, rewindable, oldest_enqueued_at, computed_at)
       SELECT id, CASE WHEN i % 3 = 2 THEN 0 ELSE 100 + i END, i, 100, i % 7, i % 3, 0,
              now() - make_interval(hours => i), now()
       FROM q`,
      [p.accountId],
    );
    // Sends, receives and deletes flushed after the recount move the kept counts on (queue 0 only).
    await db.query(
      `UPDATE metric_total SET send_msg_num = send_msg_num + 5, recv_msg_num = recv_msg_num + 2, del_msg_num = del_msg_num + 1
       WHERE resource_kind = 1 AND resource_id = (SELECT id FROM queue WHERE account_id = $1 AND name = $2)`,
      [p.accountId, names[0]],
    );

    const text = await renderPrometheus({ accountId: p.accountId, canSee: () => true, includesApiCalls: true });
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const valuesOf = (family: string, extra: Record<string, string> = {}) => {
      const f = families.get(family);
      if (!f) throw new Error(`no family ${family}`);
      const byQueue = new Map<string, number>();
      for (const m of f.metrics) {
        if (Object.entries(extra).some(([k, v]) => m.labels[k] !== v)) continue;
        expect(m.labels).toMatchObject({ account_id: p.accountId, account: accountName });
        byQueue.set(m.labels.queue as string, Number(m.value));
      }
      return byQueue;
    };
    const expectEvery = (family: string, expected: (i: number) => number, extra?: Record<string, string>) => {
      const got = valuesOf(family, extra);
      expect(got.size).toBe(QUEUES);
      names.forEach((name, i) => {
        expect([name, got.get(name)]).toEqual([name, expected(i)]);
      });
    };
    expect(families.get("opencmq_queue_messages_sent_total")?.type).toBe("COUNTER");
    expect(families.get("opencmq_queue_messages")?.type).toBe("GAUGE");
    expectEvery("opencmq_queue_messages_sent_total", (i) => 10 * i + 7 + (i === 0 ? 5 : 0));
    expectEvery("opencmq_queue_messages_received_total", (i) => 5 * i + 3 + (i === 0 ? 2 : 0));
    expectEvery("opencmq_queue_empty_receives_total", (i) => i);
    expectEvery("opencmq_queue_messages_deleted_total", (i) => 2 * i + (i === 0 ? 1 : 0));
    // Queue 0: visible 0 + 5 sent − 2 received = 3, in flight 100 + 2 − 1 = 101.
    expectEvery("opencmq_queue_messages", (i) => (i === 0 ? 3 : i), { state: "visible" });
    expectEvery("opencmq_queue_messages", (i) => (i === 0 ? 101 : 100), { state: "in_flight" });
    expectEvery("opencmq_queue_messages", (i) => i % 7, { state: "delayed" });
    expectEvery("opencmq_queue_messages", () => 0, { state: "rewindable" });
    expect(families.get("opencmq_queue_messages")?.metrics.length).toBe(4 * QUEUES);
    expectEvery("opencmq_queue_dead_messages", (i) => i % 3);
    // Ages by the database's clock, whole seconds: i hours, give or take the test's own seconds.
    const ages = valuesOf("opencmq_queue_oldest_message_age_seconds");
    expect(ages.size).toBe(QUEUES);
    names.forEach((name, i) => {
      const age = ages.get(name) as number;
      if (i % 3 === 2) expect([name, age]).toEqual([name, 0]);
      else expect([name, age >= i * 3600 && age <= i * 3600 + 30]).toEqual([name, true]);
    });
    // Label values escaped as the format says; lines in name order.
    expect(text).toContain(`account="${escapeLabel(accountName)}"`);
    expect(escapeLabel(accountName)).toContain('\\"quoted\\" \\\\ back');
    const sentQueues = [...text.matchAll(/^opencmq_queue_messages_sent_total\{.*queue="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(sentQueues).toEqual(names);

    // A caller that may see some queues gets exactly those. Concurrent scrapes share one read: the
    // same figures (ages included) for each.
    const seen = new Set(names.filter((_, i) => i % 10 === 0));
    const [narrow, first, second] = await Promise.all([
      renderPrometheus({ accountId: p.accountId, canSee: (n) => seen.has(n), includesApiCalls: true }),
      renderPrometheus({ accountId: p.accountId, canSee: () => true, includesApiCalls: true }),
      renderPrometheus({ accountId: p.accountId, canSee: () => true, includesApiCalls: true }),
    ]);
    expect(second).toBe(first);
    const narrowSent = parsePrometheusTextFormat(narrow).find((f) => f.name === "opencmq_queue_messages_sent_total");
    expect(narrowSent?.metrics.map((m) => m.labels.queue)).toEqual([...seen]);
    const firstLines = new Set(first.split("\n"));
    expect(narrow.split("\n").filter((line) => !firstLines.has(line))).toEqual([]);
  });
});
