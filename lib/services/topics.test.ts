import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { open } from "@/lib/auth/secret-box";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { deleteQueue } from "./queues";
import {
  clearSubscriptionFilterTags,
  createSubscription,
  deleteSubscription,
  getPushSecret,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from "./subscriptions";
import { createTopic, deleteTopic, getTopic, listTopics, updateTopic } from "./topics";

// Topics and subscriptions against the real database: CMQ's limits and refusals, each proving that
// nothing changed; audit rows in the change's transaction; visibility through the one can().

const pool = () => getPool();
const countRows = async (sql: string, values: unknown[]) =>
  Number((await pool().query<{ n: string }>(sql, values)).rows[0]?.n);
const auditActions = async (accountId: string) =>
  (
    await pool().query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_event WHERE account_id = $1 ORDER BY id",
      [accountId],
    )
  ).rows.map((r) => `${r.action}:${r.outcome}`);

async function topicWithQueue(filterType: "tag" | "routing" = "tag") {
  const p = await createTestPrincipal();
  const topic = await createTopic(p, { name: uniqueName("t"), filterType });
  const queue = await createTestQueue(p);
  return { p, topic, queue };
}

const asRole = (p: Principal, role: Principal["access"]["role"], statements: Principal["access"]["statements"] = []) =>
  ({ ...p, access: { role, statements, keyPermissions: [] } }) satisfies Principal;

describe("topics", () => {
  it("creates with CMQ's defaults, a topic-… id, lists, reads, changes maxMsgSize, audits each", async () => {
    const p = await createTestPrincipal();
    const name = uniqueName("t");
    const created = await createTopic(p, { name, filterType: "routing" });
    expect(created).toMatchObject({
      name,
      filterType: "routing",
      maxMsgSize: 65_536,
      msgRetentionSeconds: 86_400,
      subscriptionCount: 0,
      pendingPushes: 0,
    });
    expect(created.topicId).toMatch(/^topic-[a-z0-9]{12}$/);
    expect((await getTopic(p, name.toUpperCase())).id).toBe(created.id);
    expect(await listTopics(p, { offset: 0, limit: 20 })).toMatchObject({ total: 1, topics: [{ name }] });
    expect((await updateTopic(p, { topicName: name, changes: { maxMsgSize: 2048 } })).maxMsgSize).toBe(2048);
    expect(await auditActions(p.accountId)).toEqual(["topic.create:success", "topic.update:success"]);
  });

  it("refuses a duplicate name in any case, and a name that is a pattern finds nothing", async () => {
    const p = await createTestPrincipal();
    const name = uniqueName("dup_t");
    await createTopic(p, { name, filterType: "tag" });
    await expect(createTopic(p, { name: name.toUpperCase(), filterType: "tag" })).rejects.toMatchObject({
      code: "TOPIC_EXISTS",
    });
    await expect(getTopic(p, name.replace("_", "%"))).rejects.toMatchObject({ code: "TOPIC_NOT_FOUND" });
    await expect(getTopic(p, name.replace("_", "?"))).rejects.toMatchObject({ code: "TOPIC_NOT_FOUND" });
    expect((await listTopics(p, { offset: 0, limit: 20 })).total).toBe(1);
  });

  it("enforces 1000 topics per account and changes nothing past it", async () => {
    const p = await createTestPrincipal();
    await pool().query(
      `INSERT INTO topic (account_id, name, topic_key, filter_type, max_msg_size)
       SELECT $1, 'bulk' || g, 'topic-bulk' || g || '-' || $2, 1, 65536 FROM generate_series(1, 1000) g`,
      [p.accountId, uniqueName("k")],
    );
    await expect(createTopic(p, { name: uniqueName("one-more"), filterType: "tag" })).rejects.toMatchObject({
      code: "TOPIC_LIMIT_EXCEEDED",
    });
    expect((await listTopics(p, { offset: 0, limit: 1 })).total).toBe(1000);
  });

  it("refuses to delete a topic while subscribed (CMQ 10540), deletes it once unsubscribed", async () => {
    const { p, topic, queue } = await topicWithQueue();
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "s1", protocol: "queue", endpoint: queue.name },
    });
    await expect(deleteTopic(p, topic.name)).rejects.toMatchObject({ code: "TOPIC_HAS_SUBSCRIPTIONS" });
    expect((await getTopic(p, topic.name)).subscriptionCount).toBe(1);
    await deleteSubscription(p, { topicName: topic.name, subscriptionName: "S1" });
    await deleteTopic(p, topic.name);
    await expect(getTopic(p, topic.name)).rejects.toMatchObject({ code: "TOPIC_NOT_FOUND" });
  });

  it("a readonly user reads but cannot change; a policy narrowed to one topic hides the others", async () => {
    const p = await createTestPrincipal();
    const mine = await createTopic(p, { name: uniqueName("mine"), filterType: "tag" });
    const other = await createTopic(p, { name: uniqueName("other"), filterType: "tag" });
    const readonly = asRole(p, "readonly");
    expect((await getTopic(readonly, mine.name)).name).toBe(mine.name);
    await expect(createTopic(readonly, { name: uniqueName("x"), filterType: "tag" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(updateTopic(readonly, { topicName: mine.name, changes: { maxMsgSize: 4096 } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(deleteTopic(readonly, mine.name)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getTopic(p, mine.name)).maxMsgSize).toBe(65_536);

    const narrowed = asRole(p, "developer", [{ effect: "allow", actions: ["topic:*"], resources: [mine.name] }]);
    expect((await listTopics(narrowed, { offset: 0, limit: 20 })).topics.map((t) => t.name)).toEqual([mine.name]);
    await expect(getTopic(narrowed, other.name)).rejects.toMatchObject({ code: "TOPIC_NOT_FOUND" });
    await expect(deleteTopic(narrowed, other.name)).rejects.toMatchObject({ code: "TOPIC_NOT_FOUND" });
    expect((await getTopic(p, other.name)).name).toBe(other.name);
    expect(await auditActions(p.accountId)).toContain("topic.update:denied");
  });
});

describe("subscriptions", () => {
  it("a queue subscription is SIMPLIFIED, names its queue exactly, and has no push secret", async () => {
    const { p, topic, queue } = await topicWithQueue();
    const sub = await createSubscription(p, {
      topicName: topic.name,
      input: { name: "q-sub", protocol: "queue", endpoint: queue.name.toUpperCase(), filterTags: ["a", "b"] },
    });
    expect(sub).toMatchObject({
      name: "q-sub",
      topic: topic.name,
      protocol: "queue",
      endpoint: queue.name,
      endpointExists: true,
      notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
      notifyContentFormat: "SIMPLIFIED",
      filterTags: ["a", "b"],
      bindingKeys: [],
    });
    expect(sub.subscriptionId).toMatch(/^subscription-[a-z0-9]{12}$/);
    await expect(getPushSecret(p, { topicName: topic.name, subscriptionName: "q-sub" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      createSubscription(p, {
        topicName: topic.name,
        input: { name: "json", protocol: "queue", endpoint: queue.name, notifyContentFormat: "JSON" },
      }),
    ).rejects.toMatchObject({ code: "QUEUE_SUBSCRIPTION_FORMAT" });
    await expect(
      createSubscription(p, {
        topicName: topic.name,
        input: { name: "nowhere", protocol: "queue", endpoint: uniqueName("missing") },
      }),
    ).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    await expect(
      createSubscription(p, {
        topicName: topic.name,
        input: { name: "Q-SUB", protocol: "queue", endpoint: queue.name },
      }),
    ).rejects.toMatchObject({ code: "SUBSCRIPTION_EXISTS" });
    expect((await listSubscriptions(p, { topicName: topic.name, offset: 0, limit: 20 })).total).toBe(1);
  });

  it("an http subscription: CMQ's endpoint rules, JSON by default, a sealed 32-byte signing key", async () => {
    const { p, topic } = await topicWithQueue();
    const refusals = [
      ["http://exa mple.com/x", "ENDPOINT_HAS_BLANKS"],
      ["ftp://example.com/x", "ENDPOINT_INVALID"],
      ["example.com/x", "ENDPOINT_INVALID"],
      ["http://", "ENDPOINT_INVALID"],
    ] as const;
    for (const [endpoint, code] of refusals) {
      await expect(
        createSubscription(p, { topicName: topic.name, input: { name: "h", protocol: "http", endpoint } }),
      ).rejects.toMatchObject({ code });
    }
    const sub = await createSubscription(p, {
      topicName: topic.name,
      input: { name: "h", protocol: "http", endpoint: "https://example.com/hook", notifyStrategy: "BACKOFF_RETRY" },
    });
    expect(sub).toMatchObject({ protocol: "http", notifyContentFormat: "JSON", notifyStrategy: "BACKOFF_RETRY" });
    const { secret } = await getPushSecret(p, { topicName: topic.name, subscriptionName: "h" });
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    const row = await getPrisma().subscription.findFirstOrThrow({ where: { id: BigInt(sub.id) } });
    expect(row.pushSecretEncrypted).not.toContain(secret);
    expect(open(row.pushSecretEncrypted ?? "")).toBe(secret);
    expect((await listSubscriptions(p, { topicName: topic.name, offset: 0, limit: 20 })).total).toBe(1);
  });

  it("routing topics need binding keys (≤ 16 words, ≤ 64 bytes) and take no filter tags; tag topics the reverse", async () => {
    const { p, topic, queue } = await topicWithQueue("routing");
    const input = { name: "r", protocol: "queue" as const, endpoint: queue.name };
    await expect(createSubscription(p, { topicName: topic.name, input })).rejects.toMatchObject({
      code: "BINDING_KEY_MISSING",
    });
    await expect(
      createSubscription(p, { topicName: topic.name, input: { ...input, bindingKeys: ["a.#"], filterTags: ["x"] } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      createSubscription(p, {
        topicName: topic.name,
        input: { ...input, bindingKeys: [Array(17).fill("w").join(".")] },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      createSubscription(p, { topicName: topic.name, input: { ...input, bindingKeys: ["a..b"] } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const sub = await createSubscription(p, {
      topicName: topic.name,
      input: { ...input, bindingKeys: [Array(16).fill("w").join("."), "order.*"] },
    });
    expect(sub.bindingKeys).toHaveLength(2);
    await expect(
      updateSubscription(p, { topicName: topic.name, subscriptionName: "r", changes: { bindingKeys: [] } }),
    ).rejects.toMatchObject({ code: "BINDING_KEY_MISSING" });
    expect((await getSubscription(p, { topicName: topic.name, subscriptionName: "r" })).bindingKeys).toHaveLength(2);

    const tagTopic = await createTopic(p, { name: uniqueName("tags"), filterType: "tag" });
    await expect(
      createSubscription(p, { topicName: tagTopic.name, input: { ...input, bindingKeys: ["a"] } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect((await getTopic(p, tagTopic.name)).subscriptionCount).toBe(0);
  });

  it("changes strategy and filters, clears filter tags, refuses JSON for a queue", async () => {
    const { p, topic, queue } = await topicWithQueue();
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "s", protocol: "queue", endpoint: queue.name, filterTags: ["a"] },
    });
    const ref = { topicName: topic.name, subscriptionName: "s" };
    expect(
      await updateSubscription(p, { ...ref, changes: { notifyStrategy: "BACKOFF_RETRY", filterTags: ["x", "y"] } }),
    ).toMatchObject({ notifyStrategy: "BACKOFF_RETRY", filterTags: ["x", "y"] });
    await expect(updateSubscription(p, { ...ref, changes: { notifyContentFormat: "JSON" } })).rejects.toMatchObject({
      code: "QUEUE_SUBSCRIPTION_FORMAT",
    });
    expect((await clearSubscriptionFilterTags(p, ref)).filterTags).toEqual([]);
    expect(await auditActions(p.accountId)).toEqual([
      "topic.create:success",
      "queue.create:success",
      "subscription.create:success",
      "subscription.update:success",
      "subscription.clearFilterTags:success",
    ]);
  });

  it("enforces 100 subscriptions per topic", async () => {
    const { p, topic } = await topicWithQueue();
    await pool().query(
      `INSERT INTO subscription (account_id, topic_id, name, subscription_key, protocol, endpoint, notify_strategy, notify_content_format)
       SELECT $1, $2, 'bulk' || g, 'subscription-bulk' || g || '-' || $3, 'http', 'http://example.com/', 'BACKOFF_RETRY', 'JSON'
       FROM generate_series(1, 100) g`,
      [p.accountId, topic.id, uniqueName("k")],
    );
    await expect(
      createSubscription(p, {
        topicName: topic.name,
        input: { name: "one-more", protocol: "http", endpoint: "http://example.com/" },
      }),
    ).rejects.toMatchObject({ code: "SUBSCRIPTION_LIMIT_EXCEEDED" });
    expect((await listSubscriptions(p, { topicName: topic.name, offset: 0, limit: 1 })).total).toBe(100);
  });

  it("subscribing a queue takes the right to send to it; an invisible queue does not exist", async () => {
    const { p, topic, queue } = await topicWithQueue();
    const topicOnly = asRole(p, "developer", [
      { effect: "allow", actions: ["topic:*"], resources: [topic.name] },
      { effect: "allow", actions: ["queue:*"], resources: [uniqueName("elsewhere")] },
    ]);
    await expect(
      createSubscription(topicOnly, {
        topicName: topic.name,
        input: { name: "s", protocol: "queue", endpoint: queue.name },
      }),
    ).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    const noSend = asRole(p, "developer", [
      { effect: "deny", actions: ["queue:SendMessage"], resources: [queue.name] },
    ]);
    await expect(
      createSubscription(noSend, {
        topicName: topic.name,
        input: { name: "s", protocol: "queue", endpoint: queue.name },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const readonly = asRole(p, "readonly");
    await expect(
      createSubscription(readonly, {
        topicName: topic.name,
        input: { name: "s", protocol: "http", endpoint: "http://example.com/" },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getTopic(p, topic.name)).subscriptionCount).toBe(0);
    expect(await countRows("SELECT count(*) AS n FROM subscription WHERE topic_id = $1", [topic.id])).toBe(0);
  });

  it("deleting the subscribed queue leaves the subscription with endpointExists false", async () => {
    const { p, topic, queue } = await topicWithQueue();
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "s", protocol: "queue", endpoint: queue.name },
    });
    await deleteQueue(p, queue.name);
    expect(await getSubscription(p, { topicName: topic.name, subscriptionName: "s" })).toMatchObject({
      endpoint: queue.name,
      endpointExists: false,
    });
  });
});
