import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { countMetric } from "@/lib/metrics/record";
import { wakePushWorker } from "@/lib/push/wake";
import type { TopicMessage } from "@/lib/schemas/topic";
import { insertPushRedelivery, insertQueueRedelivery } from "@/lib/store/publish";
import { audit, inChangeTransaction } from "./audit";
import { authorize } from "./authorize";
import { announcePush, announceSend } from "./cross-process-wake";
import { wakeReceivers } from "./long-poll";
import { authorizeTopic, authorizeTopicChange, findSubscriptionOrThrow, findTopicOrThrow } from "./topic-lookup";

// A topic's retained messages and their delivery timelines: queue deliveries from the message's
// queue_deliveries (written in the publish's transaction), HTTP ones from push_delivery and
// push_attempt (written by the push worker). Re-delivery to one subscription adds a new queue
// message or a new push.

type MessageRow = {
  id: string;
  body: string;
  tags: string[];
  routing_key: string | null;
  published_at: Date;
  queue_deliveries: { subscriptionId: string; messageId: string | null }[];
};

type SubscriptionInfo = { id: string; name: string; protocol: "queue" | "http"; endpoint: string };

type PushRow = {
  id: string;
  topic_message_id: string;
  subscription_id: string;
  status: "pending" | "delivered" | "dropped";
  next_attempt_at: Date;
  attempts: {
    attempt: number;
    started_at: string;
    latency_ms: number;
    http_status: number | null;
    error: string | null;
    next_attempt_at: string | null;
  }[];
};

export async function listTopicMessages(
  principal: Principal,
  { topicName, before, limit }: { topicName: string; before?: string; limit: number },
): Promise<{ messages: TopicMessage[]; nextBefore: string | null }> {
  const topic = await readableTopic(principal, topicName);
  // Newest first by id (ids grow with publish order), on the primary key; scoped to the topic.
  const { rows } = await getPool().query<MessageRow>(
    `SELECT id::text, body, tags, routing_key, published_at, queue_deliveries
     FROM topic_message WHERE topic_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
     ORDER BY id DESC LIMIT $3`,
    [topic.id.toString(), before ?? null, limit],
  );
  const messages = await withDeliveries(topic.id.toString(), rows);
  return { messages, nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
}

export async function getTopicMessage(
  principal: Principal,
  { topicName, id }: { topicName: string; id: string },
): Promise<TopicMessage> {
  const topic = await readableTopic(principal, topicName);
  return loadMessage(topic.id.toString(), topic.name, id);
}

/**
 * Delivers a retained topic message again to one of its topic's subscriptions (whether or not it
 * matched the first time: an operator's decision, audited): a queue gets a new message row, an HTTP
 * endpoint a new push.
 */
export async function redeliverTopicMessage(
  principal: Principal,
  { topicName, id, subscriptionName }: { topicName: string; id: string; subscriptionName: string },
): Promise<TopicMessage> {
  const target = { type: "topic", name: topicName, action: "topic.redeliver" } as const;
  await authorizeTopicChange(principal, "topic:PublishMessage", topicName, target, "role");
  const topic = await findTopicOrThrow(principal, topicName);
  await authorizeTopicChange(principal, "topic:PublishMessage", topic.name, { ...target, name: topic.name });
  const subscription = await findSubscriptionOrThrow(topic, subscriptionName);
  const topicId = topic.id.toString();
  await loadMessage(topicId, topic.name, id);
  const refs = { topicMessageId: id, subscriptionId: subscription.id.toString() };
  const details = { message: id, subscription: subscription.name };
  const auditRow = { action: "topic.redeliver", resourceType: "topic", resourceName: topic.name, details } as const;
  if (subscription.protocol === "queue") {
    if (subscription.queueId === null) {
      throw new AppError(
        "QUEUE_NOT_FOUND",
        `Subscription "${subscription.name}" delivered to queue "${subscription.endpoint}", which was deleted.`,
      );
    }
    const queueId = subscription.queueId.toString();
    await inChangeTransaction(async (tx) => {
      const messageId = await insertQueueRedelivery(tx, { ...refs, queueId });
      if (messageId === null) throw messageNotFound(topic.name, id);
      await audit(principal, { ...auditRow, details: { ...details, queueMessageId: messageId } }, tx);
    });
    countMetric("subscription", subscription.id, "NumOfNotify");
    countMetric("subscription", subscription.id, "NumOfSuccNotify");
    wakeReceivers(queueId, 1);
    announceSend(queueId, 1);
  } else {
    await inChangeTransaction(async (tx) => {
      await insertPushRedelivery(tx, refs);
      await audit(principal, auditRow, tx);
    });
    wakePushWorker();
    announcePush();
  }
  return loadMessage(topicId, topic.name, id);
}

const messageNotFound = (topic: string, id: string) =>
  new AppError("MESSAGE_NOT_FOUND", `Topic "${topic}" has no retained message ${id}.`);

async function readableTopic(principal: Principal, topicName: string) {
  authorize(principal, "topic:GetTopicAttributes");
  const topic = await findTopicOrThrow(principal, topicName);
  authorizeTopic(principal, "topic:GetTopicAttributes", topic.name);
  return topic;
}

async function loadMessage(topicId: string, topicName: string, id: string): Promise<TopicMessage> {
  const { rows } = await getPool().query<MessageRow>(
    `SELECT id::text, body, tags, routing_key, published_at, queue_deliveries
     FROM topic_message WHERE id = $1 AND topic_id = $2`,
    [id, topicId],
  );
  const [message] = await withDeliveries(topicId, rows);
  if (!message) throw messageNotFound(topicName, id);
  return message;
}

async function withDeliveries(topicId: string, rows: MessageRow[]): Promise<TopicMessage[]> {
  if (rows.length === 0) return [];
  const pool = getPool();
  const [subscriptions, pushes] = await Promise.all([
    pool.query<SubscriptionInfo>("SELECT id::text, name, protocol, endpoint FROM subscription WHERE topic_id = $1", [
      topicId,
    ]),
    // Each push with its attempts in order (push_attempt_delivery_idx), for these messages only.
    pool.query<PushRow>(
      `SELECT d.id::text, d.topic_message_id::text, d.subscription_id::text, d.status, d.next_attempt_at,
              coalesce((SELECT json_agg(json_build_object(
                  'attempt', a.attempt, 'started_at', a.started_at, 'latency_ms', a.latency_ms,
                  'http_status', a.http_status, 'error', a.error, 'next_attempt_at', a.next_attempt_at)
                ORDER BY a.attempt) FROM push_attempt a WHERE a.delivery_id = d.id), '[]') AS attempts
       FROM push_delivery d WHERE d.topic_message_id = ANY($1::bigint[]) ORDER BY d.id`,
      [rows.map((r) => r.id)],
    ),
  ]);
  const byId = new Map(subscriptions.rows.map((s) => [s.id, s]));
  const deleted = (id: string): SubscriptionInfo => ({
    id,
    name: `(deleted subscription ${id})`,
    protocol: "queue",
    endpoint: "",
  });
  return rows.map((m) => ({
    id: m.id,
    body: m.body,
    tags: m.tags,
    routingKey: m.routing_key,
    publishedAt: m.published_at.toISOString(),
    deliveries: [
      ...m.queue_deliveries.map((d) => {
        const s = byId.get(d.subscriptionId) ?? deleted(d.subscriptionId);
        return {
          subscription: s.name,
          protocol: "queue" as const,
          endpoint: s.endpoint,
          status: d.messageId === null ? ("failed" as const) : ("delivered" as const),
          queueMessageId: d.messageId,
          attempts: [],
          nextAttemptAt: null,
        };
      }),
      ...pushes.rows
        .filter((p) => p.topic_message_id === m.id)
        .map((p) => {
          const s = byId.get(p.subscription_id) ?? { ...deleted(p.subscription_id), protocol: "http" as const };
          return {
            subscription: s.name,
            protocol: "http" as const,
            endpoint: s.endpoint,
            status: p.status,
            queueMessageId: null,
            attempts: p.attempts.map((a) => ({
              attempt: a.attempt,
              startedAt: new Date(a.started_at).toISOString(),
              latencyMs: a.latency_ms,
              httpStatus: a.http_status,
              error: a.error,
              nextAttemptAt: a.next_attempt_at ? new Date(a.next_attempt_at).toISOString() : null,
            })),
            nextAttemptAt: p.status === "pending" ? p.next_attempt_at.toISOString() : null,
          };
        }),
    ],
  }));
}
