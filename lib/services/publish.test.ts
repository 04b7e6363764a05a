import { describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { fillInSettings } from "@/lib/config";
import { appErrorOfDatabaseError } from "@/lib/db/app-error-of";
import { getPool } from "@/lib/db/pool";
import { errorTable } from "@/lib/errors";
import { takePendingCounts } from "@/lib/metrics/record";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { createTopicRetentionWorker } from "@/lib/workers/topic-retention";
import { runLocked } from "@/lib/workers/worker";
import { receiveMessages } from "./messages";
import { publishMessages, testRoute } from "./publish";
import { deleteQueue } from "./queues";
import { createSubscription } from "./subscriptions";
import { getTopicMessage, listTopicMessages, redeliverTopicMessage } from "./topic-messages";
import { createTopic } from "./topics";

// Publishing against the real database: fan-out in one transaction (all matching queues or none),
// matching, CMQ's refusals (nothing written), the delivery timeline, re-delivery, retention, and the
// long-poll wake-up of a subscribed queue's receiver.

withProductionRecheckInterval();

const pool = () => getPool();
const bodiesIn = async (queueId: string) =>
  (
    await pool().query<{ body: string }>("SELECT body FROM message WHERE queue_id = $1 ORDER BY id", [queueId])
  ).rows.map((r) => r.body);
const topicMessageCount = async (topicId: string) =>
  Number(
    (await pool().query<{ n: string }>("SELECT count(*) AS n FROM topic_message WHERE topic_id = $1", [topicId]))
      .rows[0]?.n,
  );

async function setUp(filterType: "tag" | "routing", subs: { name: string; tags?: string[]; keys?: string[] }[]) {
  const p = await createTestPrincipal();
  const topic = await createTopic(p, { name: uniqueName("t"), filterType });
  const queues: Record<string, { id: string; name: string }> = {};
  for (const s of subs) {
    const queue = await createTestQueue(p);
    queues[s.name] = queue;
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: s.name, protocol: "queue", endpoint: queue.name, filterTags: s.tags, bindingKeys: s.keys },
    });
  }
  return { p, topic, queues };
}

const publish = (p: Principal, topicName: string, input: Omit<Parameters<typeof publishMessages>[1], "topicName">) =>
  publishMessages(p, { topicName, ...input });

describe("publish fans out in one transaction", () => {
  it("puts every message in every matching queue, in order, with its tags, and reports where it went", async () => {
    const { p, topic, queues } = await setUp("tag", [
      { name: "all" },
      { name: "a", tags: ["a"] },
      { name: "b", tags: ["b", "c"] },
    ]);
    const result = await publish(p, topic.name, { messages: [{ body: "m1" }, { body: "m2" }], tags: ["a"] });
    expect(result.subscriptions.sort()).toEqual(["a", "all"]);
    expect(result.messages).toHaveLength(2);
    expect(await bodiesIn(queues.all?.id ?? "")).toEqual(["m1", "m2"]);
    expect(await bodiesIn(queues.a?.id ?? "")).toEqual(["m1", "m2"]);
    expect(await bodiesIn(queues.b?.id ?? "")).toEqual([]);
    const [got] = await receiveMessages(p, { queueName: queues.a?.name ?? "", waitSeconds: 0 });
    expect(got).toMatchObject({ body: "m1", tags: ["a"] });

    const timeline = await getTopicMessage(p, { topicName: topic.name, id: result.messages[0]?.id ?? "" });
    expect(timeline.deliveries.map((d) => [d.subscription, d.status]).sort()).toEqual([
      ["a", "delivered"],
      ["all", "delivered"],
    ]);
    expect(timeline.deliveries.find((d) => d.subscription === "a")?.queueMessageId).toBe(got?.id);
  });

  it("a tag-less message reaches only subscriptions without filter tags", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "all" }, { name: "a", tags: ["a"] }]);
    expect((await publish(p, topic.name, { messages: [{ body: "plain" }] })).subscriptions).toEqual(["all"]);
    expect(await bodiesIn(queues.a?.id ?? "")).toEqual([]);
  });

  it("routing keys: * is one word, # zero or more; a publish no key matches is refused and writes nothing", async () => {
    const { p, topic, queues } = await setUp("routing", [
      { name: "star", keys: ["1.*.0"] },
      { name: "hash", keys: ["1.#.0"] },
      { name: "all", keys: ["#"] },
    ]);
    expect(
      (await publish(p, topic.name, { messages: [{ body: "x" }], routingKey: "1.x.0" })).subscriptions.sort(),
    ).toEqual(["all", "hash", "star"]);
    expect(
      (
        await publish(p, topic.name, { messages: [{ body: "long" }], routingKey: "1.2.3.4.4.2.2.0" })
      ).subscriptions.sort(),
    ).toEqual(["all", "hash"]);
    expect(
      (await publish(p, topic.name, { messages: [{ body: "zero" }], routingKey: "1.0" })).subscriptions.sort(),
    ).toEqual(["all", "hash"]);
    expect(await bodiesIn(queues.star?.id ?? "")).toEqual(["x"]);
    expect(await bodiesIn(queues.hash?.id ?? "")).toEqual(["x", "long", "zero"]);

    const { p: p2, topic: t2, queues: q2 } = await setUp("routing", [{ name: "only", keys: ["a.b"] }]);
    await expect(publish(p2, t2.name, { messages: [{ body: "x" }], routingKey: "a.c" })).rejects.toMatchObject({
      code: "PUBLISH_NO_MATCH",
    });
    await expect(
      publish(p2, t2.name, { messages: [{ body: "x" }], routingKey: Array(17).fill("a").join(".") }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await bodiesIn(q2.only?.id ?? "")).toEqual([]);
    expect(await topicMessageCount(t2.id)).toBe(0);
  });

  it("refuses a topic without subscriptions (6030/10650), bodies over maxMsgSize, empty bodies: nothing written", async () => {
    const p = await createTestPrincipal();
    const topic = await createTopic(p, { name: uniqueName("t"), filterType: "tag", maxMsgSize: 1024 });
    await expect(publish(p, topic.name, { messages: [{ body: "x" }] })).rejects.toMatchObject({
      code: "PUBLISH_NO_SUBSCRIPTION",
    });
    const queue = await createTestQueue(p);
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "s", protocol: "queue", endpoint: queue.name },
    });
    await expect(publish(p, topic.name, { messages: [{ body: "x".repeat(1025) }] })).rejects.toMatchObject({
      code: "MESSAGE_TOO_LARGE",
    });
    await expect(publish(p, topic.name, { messages: [{ body: "ok" }, { body: "" }] })).rejects.toMatchObject({
      code: "MESSAGE_BODY_EMPTY",
    });
    await expect(
      publish(p, topic.name, { messages: Array.from({ length: 17 }, () => ({ body: "x" })) }),
    ).rejects.toMatchObject({ code: "BATCH_SIZE_INVALID" });
    await expect(
      publishMessages(p, { topicName: uniqueName("none"), messages: [{ body: "x" }] }),
    ).rejects.toMatchObject({
      code: "TOPIC_NOT_FOUND",
    });
    expect(await bodiesIn(queue.id)).toEqual([]);
    expect(await topicMessageCount(topic.id)).toBe(0);
  });

  it("a publish that fails half-way (after the queue rows were written) leaves nothing anywhere", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "one" }, { name: "two" }]);
    // A trigger refuses the topic_message row of one poisoned body: the statement after the queue
    // INSERT fails, inside the publish's transaction.
    const fn = `refuse_${uniqueName("p").replaceAll("-", "_")}`;
    await pool().query(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.body = 'poison' THEN RAISE EXCEPTION 'poisoned publish'; END IF; RETURN NEW; END $$`,
    );
    await pool().query(
      `CREATE TRIGGER ${fn} BEFORE INSERT ON topic_message FOR EACH ROW WHEN (NEW.topic_id = ${Number(topic.id)}) EXECUTE FUNCTION ${fn}()`,
    );
    try {
      await expect(publish(p, topic.name, { messages: [{ body: "fine" }, { body: "poison" }] })).rejects.toThrow(
        /poisoned publish/,
      );
      expect(await bodiesIn(queues.one?.id ?? "")).toEqual([]);
      expect(await bodiesIn(queues.two?.id ?? "")).toEqual([]);
      expect(await topicMessageCount(topic.id)).toBe(0);
      await publish(p, topic.name, { messages: [{ body: "after" }] });
      expect(await bodiesIn(queues.one?.id ?? "")).toEqual(["after"]);
    } finally {
      await pool().query(`DROP TRIGGER ${fn} ON topic_message`);
      await pool().query(`DROP FUNCTION ${fn}()`);
    }
  });

  it("a queue deleted while the publish writes: the write waits, fails, is retried; the other queue holds it once", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "keep" }, { name: "gone" }]);
    const deleter = await pool().connect();
    try {
      await deleter.query("BEGIN");
      await deleter.query("DELETE FROM queue WHERE id = $1", [queues.gone?.id]);
      // The publish reads both subscriptions (the DELETE is not committed), then waits on the queue row.
      const publishing = publish(p, topic.name, { messages: [{ body: "raced" }] });
      await new Promise((r) => setTimeout(r, 300));
      await deleter.query("COMMIT");
      const result = await publishing;
      expect(result.subscriptions).toEqual(["keep"]);
    } finally {
      deleter.release();
    }
    expect(await bodiesIn(queues.keep?.id ?? "")).toEqual(["raced"]);
    expect(await topicMessageCount(topic.id)).toBe(1);
  });

  it("a lock held past the lock timeout: the publish fails with 55P03, answered UNAVAILABLE (503 / CMQ 6000), and wrote nothing", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "free" }, { name: "held" }]);
    vi.stubEnv("OPENCMQ_LOCK_TIMEOUT_MS", "300");
    fillInSettings({});
    const holder = await pool().connect();
    try {
      await holder.query("BEGIN");
      // What a DeleteQueue holds while it runs: the queue row FOR UPDATE (the publish's foreign key
      // check needs FOR KEY SHARE on it).
      await holder.query("SELECT 1 FROM queue WHERE id = $1 FOR UPDATE", [queues.held?.id]);
      const error = await publish(p, topic.name, { messages: [{ body: "blocked" }] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as { code?: string }).code).toBe("55P03");
      const answered = appErrorOfDatabaseError(error);
      expect(answered?.code).toBe("UNAVAILABLE");
      expect(errorTable.UNAVAILABLE).toEqual({ status: 503, cmqCode: 6000, cmqModule: 10050 });
      await holder.query("ROLLBACK");
    } finally {
      holder.release();
      vi.unstubAllEnvs();
      fillInSettings({});
    }
    expect(await bodiesIn(queues.free?.id ?? "")).toEqual([]);
    expect(await bodiesIn(queues.held?.id ?? "")).toEqual([]);
    expect(await topicMessageCount(topic.id)).toBe(0);
    // The lock gone, the same publish goes through.
    await publish(p, topic.name, { messages: [{ body: "after" }] });
    expect(await bodiesIn(queues.held?.id ?? "")).toEqual(["after"]);
  });

  it("concurrent publishes to different topics share statements, each with its own ids, tags and deliveries", async () => {
    const setups = await Promise.all(
      ["one", "two", "three"].map((name) => setUp("tag", [{ name: `${name}-a` }, { name: `${name}-b` }])),
    );
    const results = await Promise.all(
      setups.flatMap(({ p, topic }, i) =>
        [0, 1, 2].map((k) =>
          publish(p, topic.name, {
            messages: [{ body: `t${i}-p${k}-m0` }, { body: `t${i}-p${k}-m1` }],
            tags: [`tag${i}`],
          }),
        ),
      ),
    );
    for (const [i, { p, topic, queues }] of setups.entries()) {
      const expected = [0, 1, 2].flatMap((k) => [`t${i}-p${k}-m0`, `t${i}-p${k}-m1`]).sort();
      for (const queue of Object.values(queues)) expect((await bodiesIn(queue.id)).sort()).toEqual(expected);
      for (const k of [0, 1, 2]) {
        const result = results[i * 3 + k];
        expect(result?.messages).toHaveLength(2);
        for (const [m, { id }] of (result?.messages ?? []).entries()) {
          const timeline = await getTopicMessage(p, { topicName: topic.name, id });
          expect(timeline.body).toBe(`t${i}-p${k}-m${m}`);
          expect(timeline.tags).toEqual([`tag${i}`]);
          for (const d of timeline.deliveries) {
            const row = await pool().query<{ body: string; queue_id: string }>(
              "SELECT body, queue_id::text FROM message WHERE id = $1",
              [d.queueMessageId],
            );
            expect(row.rows[0]).toEqual({
              body: `t${i}-p${k}-m${m}`,
              queue_id: queues[d.subscription]?.id,
            });
          }
          expect(timeline.deliveries.map((d) => d.subscription).sort()).toEqual(Object.keys(queues).sort());
        }
      }
    }
  });

  it("a subscription whose queue was deleted: the delivery fails (NumOfFailNotify, 'failed' in the timeline)", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "keep" }, { name: "gone" }]);
    await deleteQueue(p, queues.gone?.name ?? "");
    takePendingCounts();
    const result = await publish(p, topic.name, { messages: [{ body: "m" }] });
    expect(result.subscriptions).toEqual(["keep"]);
    const message = await getTopicMessage(p, { topicName: topic.name, id: result.messages[0]?.id ?? "" });
    expect(message.deliveries.map((d) => [d.subscription, d.status, d.queueMessageId === null]).sort()).toEqual([
      ["gone", "failed", true],
      ["keep", "delivered", false],
    ]);
    const counts = takePendingCounts().filter((c) => c.kind !== "queue");
    const ids = await pool().query<{ id: string; name: string }>(
      "SELECT id::text, name FROM subscription WHERE topic_id = $1",
      [topic.id],
    );
    const subId = (name: string) => ids.rows.find((r) => r.name === name)?.id;
    const of = (kind: string, id: string | undefined, name: string) =>
      counts.find((c) => c.kind === kind && String(c.id) === id && c.name === name)?.n ?? 0;
    expect(of("topic", topic.id, "NumOfMsgPublished")).toBe(1);
    expect(of("subscription", subId("keep"), "NumOfSuccNotify")).toBe(1);
    expect(of("subscription", subId("gone"), "NumOfFailNotify")).toBe(1);
    expect(of("subscription", subId("gone"), "NumOfSuccNotify")).toBe(0);
  });

  it("a full subscribed queue refuses the whole publish (QUEUE_FULL); a body over its maxMsgSize too", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "roomy" }, { name: "full" }]);
    await pool().query(
      `INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, computed_at)
       SELECT id, max_msg_heap_num, max_msg_heap_num, 0, 0, now() FROM queue WHERE id = $1`,
      [queues.full?.id],
    );
    await expect(publish(p, topic.name, { messages: [{ body: "m" }] })).rejects.toMatchObject({ code: "QUEUE_FULL" });
    expect(await bodiesIn(queues.roomy?.id ?? "")).toEqual([]);
    await pool().query("DELETE FROM queue_stats WHERE queue_id = $1", [queues.full?.id]);

    await pool().query("UPDATE queue SET max_msg_size = 1024 WHERE id = $1", [queues.full?.id]);
    await expect(publish(p, topic.name, { messages: [{ body: "y".repeat(2000) }] })).rejects.toMatchObject({
      code: "MESSAGE_TOO_LARGE",
    });
    expect(await bodiesIn(queues.roomy?.id ?? "")).toEqual([]);
    expect(await topicMessageCount(topic.id)).toBe(0);
  });

  it("an http subscription gets a push_delivery row per message, due now", async () => {
    const p = await createTestPrincipal();
    const topic = await createTopic(p, { name: uniqueName("t"), filterType: "tag" });
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "hook", protocol: "http", endpoint: "http://127.0.0.1:9/hook" },
    });
    const result = await publish(p, topic.name, { messages: [{ body: "a" }, { body: "b" }] });
    const { rows } = await pool().query<{ topic_message_id: string; status: string; due: boolean }>(
      `SELECT topic_message_id::text, status, next_attempt_at <= now() AS due FROM push_delivery
       WHERE topic_message_id = ANY($1::bigint[]) ORDER BY id`,
      [result.messages.map((m) => m.id)],
    );
    expect(rows).toEqual(result.messages.map((m) => ({ topic_message_id: m.id, status: "pending", due: true })));
    const page = await listTopicMessages(p, { topicName: topic.name, limit: 1 });
    expect(page.messages.map((m) => m.body)).toEqual(["b"]);
    expect(page.messages[0]?.deliveries).toMatchObject([{ subscription: "hook", protocol: "http", status: "pending" }]);
    const older = await listTopicMessages(p, { topicName: topic.name, limit: 1, before: page.nextBefore ?? "" });
    expect(older.messages.map((m) => m.body)).toEqual(["a"]);
  });

  it("wakes a receiver long-polling a subscribed queue at once (not by the 10 s re-check)", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "waiting" }]);
    const started = performance.now();
    const receiving = receiveMessages(p, { queueName: queues.waiting?.name ?? "", waitSeconds: 5 });
    await new Promise((r) => setTimeout(r, 200));
    await publish(p, topic.name, { messages: [{ body: "wake up" }] });
    const [got] = await receiving;
    expect(got?.body).toBe("wake up");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("routing tester, re-delivery, retention", () => {
  it("explains each subscription's answer", async () => {
    const { p, topic } = await setUp("routing", [
      { name: "orders", keys: ["order.*"] },
      { name: "eu", keys: ["#.eu"] },
    ]);
    expect(await testRoute(p, { topicName: topic.name, routingKey: "order.paid" })).toMatchObject({
      matches: [
        { subscription: "orders", matched: true, matchedBy: "order.*" },
        { subscription: "eu", matched: false, matchedBy: null },
      ],
    });
  });

  it("re-delivers a message to one queue subscription, recorded in its timeline and the audit log", async () => {
    const { p, topic, queues } = await setUp("tag", [{ name: "a" }, { name: "b", tags: ["b"] }]);
    const [sent] = (await publish(p, topic.name, { messages: [{ body: "again" }] })).messages;
    const message = await redeliverTopicMessage(p, {
      topicName: topic.name,
      id: sent?.id ?? "",
      subscriptionName: "b",
    });
    expect(await bodiesIn(queues.b?.id ?? "")).toEqual(["again"]);
    expect(await bodiesIn(queues.a?.id ?? "")).toEqual(["again"]);
    expect(message.deliveries.map((d) => [d.subscription, d.status])).toEqual([
      ["a", "delivered"],
      ["b", "delivered"],
    ]);
    const { rows } = await pool().query("SELECT action FROM audit_event WHERE account_id = $1 AND action = $2", [
      p.accountId,
      "topic.redeliver",
    ]);
    expect(rows).toHaveLength(1);
    await expect(
      redeliverTopicMessage(p, { topicName: topic.name, id: "999999999999", subscriptionName: "b" }),
    ).rejects.toMatchObject({ code: "MESSAGE_NOT_FOUND" });
  });

  it("the retention worker drops messages older than the topic's retention, with their pushes", async () => {
    const p = await createTestPrincipal();
    const topic = await createTopic(p, { name: uniqueName("t"), filterType: "tag" });
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "hook", protocol: "http", endpoint: "http://127.0.0.1:9/hook" },
    });
    const [old, recent] = (await publish(p, topic.name, { messages: [{ body: "old" }, { body: "recent" }] })).messages;
    await pool().query("UPDATE topic_message SET published_at = now() - interval '86401 seconds' WHERE id = $1", [
      old?.id,
    ]);
    await runLocked(createTopicRetentionWorker(1000));
    const left = await pool().query<{ id: string }>("SELECT id::text FROM topic_message WHERE topic_id = $1", [
      topic.id,
    ]);
    expect(left.rows.map((r) => r.id)).toEqual([recent?.id]);
    const pushes = await pool().query("SELECT 1 FROM push_delivery WHERE topic_message_id = $1", [old?.id]);
    expect(pushes.rows).toHaveLength(0);
  });
});
