import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { sendMessages } from "@/lib/services/messages";
import { createSubscription } from "@/lib/services/subscriptions";
import { createTopic } from "@/lib/services/topics";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { deleteCombinedKeepSql, deleteCombinedSql } from "./coalesced-messages";
import { leaseMessagesWithDeadLetterSql } from "./dead-letters";
import { deleteLeasedKeepSql, deleteLeasedSql, leaseMessagesSql } from "./messages";
import { publishSql, selectPublishTargetsCombinedSql, selectPublishTargetsSql } from "./publish";

// The hot statements must run on PostgreSQL's cached generic plan, not be planned again on every
// execution (lib/store/messages.ts, top): after a few executions on one connection,
// pg_prepared_statements counts generic plans for each of them. The control — the receive as it was
// written before (LIMIT $2, UPDATE … FROM picked) — shows what the test catches: custom plans only.

const executions = 8;
let client: pg.PoolClient;
let queueId: string;
let deadLetterQueueId: string;

const controlLeaseSql = leaseMessagesSql
  .replace("LIMIT (SELECT $2::int)", "LIMIT $2")
  .replace("WHERE m.id = ANY (ARRAY(SELECT id FROM picked))", "FROM picked WHERE m.id = picked.id");

async function run(name: string, text: string, values: unknown[]) {
  return (await client.query({ name, text, values })).rows;
}

async function leaseOne(): Promise<{ id: string; receipt: string }> {
  const [row] = await run("plan_test_lease", leaseMessagesSql, [queueId, 1, 30, 345_600]);
  if (!row?.id) throw new Error("nothing to lease");
  return row;
}

async function plans(): Promise<Map<string, { generic: number; custom: number }>> {
  const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
    "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements",
  );
  return new Map(rows.map((r) => [r.name, { generic: Number(r.generic_plans), custom: Number(r.custom_plans) }]));
}

beforeAll(async () => {
  const p = await createTestPrincipal();
  const dlq = await createTestQueue(p);
  const q = await createTestQueue(p);
  queueId = q.id;
  deadLetterQueueId = dlq.id;
  await sendMessages(p, { queueName: q.name, messages: [{ body: "first" }] });
  client = await getPool().connect();
  // A queue of the size where it matters: on a few hundred rows even the control's generic plan
  // looks as cheap as a custom one.
  await client.query(
    "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'm' || g, now() - interval '1 second' FROM generate_series(1, 20000) g",
    [queueId],
  );
  await client.query("ANALYZE message");
});

afterAll(() => client?.release());

describe("hot statements keep a generic plan", () => {
  it("receive, receive with a dead-letter policy, and every form of delete", async () => {
    for (let i = 0; i < executions; i++) {
      const plain = await leaseOne();
      await run("plan_test_delete", deleteLeasedSql, [queueId, [plain.id], [plain.receipt]]);
      const kept = await leaseOne();
      await run("plan_test_delete_keep", deleteLeasedKeepSql, [queueId, [kept.id], [kept.receipt]]);
      const combined = await leaseOne();
      await run("plan_test_delete_combined", deleteCombinedSql, [
        [queueId],
        [combined.id],
        [combined.receipt],
        "100ms",
      ]);
      const combinedKept = await leaseOne();
      await run("plan_test_delete_combined_keep", deleteCombinedKeepSql, [
        [queueId],
        [combinedKept.id],
        [combinedKept.receipt],
        "100ms",
        [true],
      ]);
      const [dead] = await run("plan_test_lease_dead_letter", leaseMessagesWithDeadLetterSql, [
        queueId,
        1,
        30,
        345_600,
        deadLetterQueueId,
        5,
        null,
      ]);
      expect(dead?.id).toBeTruthy();
      await run("plan_test_control", controlLeaseSql, [queueId, 1, 30, 345_600]);
    }
    const counted = await plans();
    for (const name of [
      "plan_test_lease",
      "plan_test_delete",
      "plan_test_delete_keep",
      "plan_test_delete_combined",
      "plan_test_delete_combined_keep",
      "plan_test_lease_dead_letter",
    ]) {
      expect(counted.get(name)?.generic, name).toBeGreaterThan(0);
    }
    expect(counted.get("plan_test_control")).toEqual({ generic: 0, custom: executions });
  });

  it("a dead-letter receive still moves what crosses the policy and leases the rest", async () => {
    const [first] = await run("plan_test_lease_dead_letter", leaseMessagesWithDeadLetterSql, [
      queueId,
      2,
      30,
      345_600,
      deadLetterQueueId,
      0, // every picked row has been received 0 times or more: both move
      null,
    ]);
    expect(first?.moved).toBe(2);
    expect(first?.id).toBeNull();
    const { rows } = await client.query(
      "SELECT dead_reason, dead_from_queue_id::text AS origin FROM message WHERE queue_id = $1 ORDER BY id",
      [deadLetterQueueId],
    );
    expect(rows).toEqual([
      { dead_reason: "maxReceiveCount", origin: queueId },
      { dead_reason: "maxReceiveCount", origin: queueId },
    ]);
  });

  it("publish: reading the targets and the one statement that writes a publish", async () => {
    const p = await createTestPrincipal();
    const queue = await createTestQueue(p);
    const topic = await createTopic(p, { name: uniqueName("plan"), filterType: "tag" });
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "to-queue", protocol: "queue", endpoint: queue.name },
    });
    const [target] = await run("plan_test_publish_targets", selectPublishTargetsSql, [p.accountId, topic.name]);
    const subscriptionId = target?.s_id;
    expect(subscriptionId).toBeTruthy();
    for (let i = 0; i < executions; i++) {
      await run("plan_test_publish_targets", selectPublishTargetsSql, [p.accountId, topic.name]);
      const combined = await run("plan_test_publish_targets_combined", selectPublishTargetsCombinedSql, [
        [p.accountId, p.accountId],
        [topic.name.toUpperCase(), "no-such-topic"],
      ]);
      expect(combined.map((r) => [r.n, r.s_id])).toEqual([["1", subscriptionId]]);
      const written = await run("plan_test_publish", publishSql, [
        "5000ms",
        [topic.id, topic.id],
        [`a${i}`, `b${i}`],
        [JSON.stringify(["x"]), null],
        [null, null],
        ["[]", "[]"],
        [1, 2],
        [queue.id, queue.id],
        [subscriptionId, subscriptionId],
        [],
        [],
      ]);
      expect(written).toHaveLength(2);
    }
    const counted = await plans();
    expect(counted.get("plan_test_publish")?.generic, "publish").toBeGreaterThan(0);
    expect(counted.get("plan_test_publish_targets")?.generic, "targets").toBeGreaterThan(0);
    expect(counted.get("plan_test_publish_targets_combined")?.generic, "targets combined").toBeGreaterThan(0);
    const { rows } = await client.query("SELECT body, tags FROM message WHERE queue_id = $1 ORDER BY id LIMIT 2", [
      queue.id,
    ]);
    expect(rows).toEqual([
      { body: "a0", tags: ["x"] },
      { body: "b0", tags: [] },
    ]);
  });
});
