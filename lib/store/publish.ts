import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import type { Prisma } from "@/lib/generated/prisma/client";
import { compareIds } from "./messages";

type Db = Prisma.TransactionClient;

// The publish path's SQL: read a topic with its subscriptions (one statement), then write a publish's
// whole fan-out in one transaction — the queues' message rows, the topic_message rows with their
// queue_deliveries, and the push_delivery rows for HTTP subscriptions. Either all of it commits or
// none of it does: an acknowledged publish is in every matching queue, a refused one in none.

export type PublishTopicRow = {
  id: string;
  name: string;
  filter_type: number;
  max_msg_size: number;
};

export type PublishSubscriptionRow = {
  id: string;
  name: string;
  protocol: "queue" | "http";
  endpoint: string;
  /** null: the subscribed queue was deleted (deliveries to it fail) */
  queue_id: string | null;
  filter_tags: string[];
  binding_keys: string[];
  queue_max_msg_size: number | null;
  queue_max_msg_heap_num: number | null;
  /** the stats sweep's backlog figure; only large queues have one (as for sends) */
  queue_swept_total: number | null;
};

/**
 * The topic named `name` (exactly, ignoring case) and all its subscriptions (≤ 100) with their
 * queues' limits. No locks: a subscription or queue that goes away before the publish's transaction
 * writes fails that transaction's foreign keys, and the publish is retried with a fresh read.
 * Uses topic_account_lower_name_key and subscription_topic_lower_name_key (topic_id first).
 */
export async function selectPublishTargets(
  accountId: string,
  name: string,
): Promise<{ topic: PublishTopicRow; subscriptions: PublishSubscriptionRow[] } | null> {
  const { rows } = await getPool().query<PublishTopicRow & { subscriptions: PublishSubscriptionRow[] | null }>({
    name: "select_publish_targets",
    text: `SELECT t.id::text, t.name, t.filter_type, t.max_msg_size,
                  (SELECT json_agg(json_build_object(
                      'id', s.id::text, 'name', s.name, 'protocol', s.protocol, 'endpoint', s.endpoint,
                      'queue_id', s.queue_id::text, 'filter_tags', s.filter_tags, 'binding_keys', s.binding_keys,
                      'queue_max_msg_size', q.max_msg_size, 'queue_max_msg_heap_num', q.max_msg_heap_num::float8,
                      'queue_swept_total', st.total::float8) ORDER BY s.id)
                   FROM subscription s
                   LEFT JOIN queue q ON q.id = s.queue_id
                   LEFT JOIN queue_stats st ON st.queue_id = s.queue_id
                   WHERE s.topic_id = t.id) AS subscriptions
           FROM topic t WHERE t.account_id = $1 AND lower(t.name) = lower($2)`,
    values: [accountId, name],
  });
  const row = rows[0];
  if (!row) return null;
  const { subscriptions, ...topic } = row;
  return { topic, subscriptions: subscriptions ?? [] };
}

export type PublishWrite = {
  topicId: string;
  bodies: string[];
  tags: string[];
  routingKey: string | null;
  /** existing queues to deliver every body to, in this order */
  queues: { subscriptionId: string; queueId: string }[];
  /** subscriptions whose queue is gone: recorded as failed deliveries */
  failedQueueSubscriptionIds: string[];
  /** HTTP subscriptions: a push_delivery row per body and subscription */
  pushSubscriptionIds: string[];
};

export type PublishWritten = {
  /** topic_message ids, in body order */
  topicMessageIds: string[];
  /** per body, per entry of `queues`: the queue message's id */
  queueMessageIds: string[][];
};

/**
 * Writes one publish in one transaction on its own connection:
 *   1. INSERT the message rows of every (body, queue) pair in one statement. Each new row takes a
 *      FOR KEY SHARE lock on its queue row (the foreign key), so a DeleteQueue running now makes this
 *      wait and then fail (23503) — never a row in a deleted queue. The sequence hands out ids in
 *      input order (as in insertMessages), so sorted ids map back to (body, queue).
 *   2. INSERT the topic_message rows with their queue_deliveries and, in the same statement, the
 *      push_delivery rows (FOR KEY SHARE on the subscription rows: an Unsubscribe running now makes
 *      this fail, and the caller retries with a fresh read).
 * Any error rolls back everything; the connection is released (discarded if it broke).
 */
export async function writePublish(write: PublishWrite): Promise<PublishWritten> {
  const client = await getPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const queueMessageIds = await insertQueueMessages(client, write);
    const deliveries = write.bodies.map((_, i) =>
      JSON.stringify([
        ...write.queues.map((q, j) => ({
          subscriptionId: q.subscriptionId,
          messageId: queueMessageIds[i]?.[j] ?? null,
        })),
        ...write.failedQueueSubscriptionIds.map((id) => ({ subscriptionId: id, messageId: null })),
      ]),
    );
    const { rows } = await client.query<{ id: string }>({
      name: "insert_topic_messages",
      text: `WITH tm AS (
               INSERT INTO topic_message (topic_id, body, tags, routing_key, queue_deliveries)
               SELECT $1, x.b, $3::text[], $4, x.d::jsonb
               FROM unnest($2::text[], $5::text[]) WITH ORDINALITY AS x(b, d, n)
               ORDER BY x.n
               RETURNING id
             ), pd AS (
               INSERT INTO push_delivery (topic_message_id, subscription_id)
               SELECT tm.id, s.id FROM tm CROSS JOIN unnest($6::bigint[]) AS s(id)
             )
             SELECT id::text FROM tm`,
      values: [write.topicId, write.bodies, write.tags, write.routingKey, deliveries, write.pushSubscriptionIds],
    });
    await client.query("COMMIT");
    return { topicMessageIds: rows.map((r) => r.id).sort(compareIds), queueMessageIds };
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

async function insertQueueMessages(client: pg.PoolClient, write: PublishWrite): Promise<string[][]> {
  if (write.queues.length === 0) return write.bodies.map(() => []);
  const queueIds: string[] = [];
  const bodies: string[] = [];
  for (const body of write.bodies) {
    for (const q of write.queues) {
      queueIds.push(q.queueId);
      bodies.push(body);
    }
  }
  const { rows } = await client.query<{ id: string }>({
    name: "insert_published_messages",
    text: `INSERT INTO message (queue_id, body, tags, visible_at)
           SELECT x.q, x.b, $3::text[], now()
           FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS x(q, b, n)
           ORDER BY x.n
           RETURNING id::text`,
    values: [queueIds, bodies, write.tags],
  });
  const ids = rows.map((r) => r.id).sort(compareIds);
  const k = write.queues.length;
  return write.bodies.map((_, i) => ids.slice(i * k, (i + 1) * k));
}

/**
 * Re-delivers a topic message to one queue subscription inside the caller's transaction (with its
 * audit row): a new message row in the queue and its entry in the topic message's queue_deliveries,
 * in one statement. The UPDATE locks the topic_message row, so concurrent re-deliveries of one
 * message append one after the other. Null: the message is gone (retention).
 */
export async function insertQueueRedelivery(
  tx: Db,
  { topicMessageId, subscriptionId, queueId }: { topicMessageId: string; subscriptionId: string; queueId: string },
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ message_id: string | null }[]>`
    WITH m AS (
      INSERT INTO message (queue_id, body, tags, visible_at)
      SELECT ${queueId}::bigint, tm.body, tm.tags, now() FROM topic_message tm WHERE tm.id = ${topicMessageId}::bigint
      RETURNING id
    )
    UPDATE topic_message
    SET queue_deliveries = queue_deliveries || jsonb_build_array(jsonb_build_object(
          'subscriptionId', ${subscriptionId}::text, 'messageId', (SELECT id::text FROM m), 'redelivered', true))
    WHERE id = ${topicMessageId}::bigint
    RETURNING (SELECT id::text FROM m) AS message_id`;
  return rows[0]?.message_id ?? null;
}

/** Re-delivers a topic message to one HTTP subscription: a new push_delivery row, due now. */
export async function insertPushRedelivery(
  tx: Db,
  { topicMessageId, subscriptionId }: { topicMessageId: string; subscriptionId: string },
): Promise<void> {
  await tx.$executeRaw`INSERT INTO push_delivery (topic_message_id, subscription_id)
    VALUES (${topicMessageId}::bigint, ${subscriptionId}::bigint)`;
}
