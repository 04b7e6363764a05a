import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import type { Prisma } from "@/lib/generated/prisma/client";
import { singleton } from "@/lib/singleton";
import { createCoalescer } from "./coalesce";
import { classifyFailure, coalescingEnabled } from "./coalesced-messages";

type Db = Prisma.TransactionClient;

// The publish path's SQL: read a topic with its subscriptions (one statement), then write a publish's
// whole fan-out in one more statement — the queues' message rows, the topic_message rows with their
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
  const { rows } = await getPool().query<TargetRow>({
    name: "select_publish_targets",
    text: selectPublishTargetsSql,
    values: [accountId, name],
  });
  return targetsOf(rows);
}

type Targets = { topic: PublishTopicRow; subscriptions: PublishSubscriptionRow[] };

function targetsOf(rows: TargetRow[]): Targets | null {
  const first = rows[0];
  if (!first) return null;
  const topic = { id: first.id, name: first.name, filter_type: first.filter_type, max_msg_size: first.max_msg_size };
  const subscriptions = rows.flatMap((r): PublishSubscriptionRow[] =>
    r.s_id === null
      ? []
      : [
          {
            id: r.s_id,
            name: r.s_name,
            protocol: r.protocol,
            endpoint: r.endpoint,
            queue_id: r.queue_id,
            filter_tags: r.filter_tags,
            binding_keys: r.binding_keys,
            queue_max_msg_size: r.queue_max_msg_size,
            queue_max_msg_heap_num: r.queue_max_msg_heap_num,
            queue_swept_total: r.queue_swept_total,
          },
        ],
  );
  return { topic, subscriptions };
}

/**
 * The targets reads of concurrent publishes in one statement (selectPublishTargetsCombinedSql): a
 * read has no commit to share, but each statement has its fixed cost (a round trip, the executor's
 * start), which at one read per publish was as large as the publish's share of its write.
 */
async function selectTargetsCombined(items: { accountId: string; name: string }[]): Promise<(Targets | null)[]> {
  const { rows } = await getPool().query<TargetRow & { n: string }>({
    name: "select_publish_targets_combined",
    text: selectPublishTargetsCombinedSql,
    values: [items.map((i) => i.accountId), items.map((i) => i.name)],
  });
  const byItem = new Map<number, TargetRow[]>();
  for (const row of rows) {
    const n = Number(row.n);
    const list = byItem.get(n);
    if (list) list.push(row);
    else byItem.set(n, [row]);
  }
  return items.map((_, i) => targetsOf(byItem.get(i + 1) ?? []));
}

/** selectPublishTargets, sharing one statement with concurrent publishes' reads when coalescing is on. */
export function selectPublishTargetsCoalesced(accountId: string, name: string): Promise<Targets | null> {
  return coalescingEnabled() ? targetsCoalescer()({ accountId, name }) : selectPublishTargets(accountId, name);
}

const targetsCoalescer = () =>
  singleton("publishTargetsCoalescer", () =>
    createCoalescer<{ accountId: string; name: string }, Targets | null>({
      weigh: () => ({ rows: 1, bytes: 0 }),
      keyOf: (item) => `${item.accountId}/${item.name.toLowerCase()}`,
      maxRows: 64,
      maxBytes: Number.POSITIVE_INFINITY,
      maxInFlight: 3,
      runCombined: selectTargetsCombined,
      runAlone: (item) => selectPublishTargets(item.accountId, item.name),
      onCombinedError: classifyFailure,
    }),
  );

/** One row per subscription, the topic's columns on each (one row with s_id NULL: no subscription). */
type TargetRow = PublishTopicRow &
  Omit<PublishSubscriptionRow, "id" | "name"> & { s_id: string | null; s_name: string };

/**
 * selectPublishTargets's statement: $1 account, $2 topic name. Plain rows, not a json_agg of
 * objects: building and parsing the JSON cost PostgreSQL 15–35% more CPU (100 subscriptions: 0.68
 * vs 0.44 ms per read, bench/topic-probe.ts's machine, loaded).
 */
export const selectPublishTargetsSql = `SELECT t.id::text, t.name, t.filter_type, t.max_msg_size,
                  s.id::text AS s_id, s.name AS s_name, s.protocol, s.endpoint, s.queue_id::text AS queue_id,
                  s.filter_tags, s.binding_keys, q.max_msg_size AS queue_max_msg_size,
                  q.max_msg_heap_num::float8 AS queue_max_msg_heap_num, st.total::float8 AS queue_swept_total
           FROM topic t
           LEFT JOIN subscription s ON s.topic_id = t.id
           LEFT JOIN queue q ON q.id = s.queue_id
           LEFT JOIN queue_stats st ON st.queue_id = s.queue_id
           WHERE t.account_id = $1 AND lower(t.name) = lower($2)
           ORDER BY s.id`;

/** The same for several (account, name) pairs ($1, $2; n numbers them from 1), one generic plan. */
export const selectPublishTargetsCombinedSql = `SELECT x.n, t.id::text, t.name, t.filter_type, t.max_msg_size,
                  s.id::text AS s_id, s.name AS s_name, s.protocol, s.endpoint, s.queue_id::text AS queue_id,
                  s.filter_tags, s.binding_keys, q.max_msg_size AS queue_max_msg_size,
                  q.max_msg_heap_num::float8 AS queue_max_msg_heap_num, st.total::float8 AS queue_swept_total
           FROM unnest((SELECT $1::uuid[]), (SELECT $2::text[])) WITH ORDINALITY AS x(account_id, name, n)
           JOIN topic t ON t.account_id = x.account_id AND lower(t.name) = lower(x.name)
           LEFT JOIN subscription s ON s.topic_id = t.id
           LEFT JOIN queue q ON q.id = s.queue_id
           LEFT JOIN queue_stats st ON st.queue_id = s.queue_id
           ORDER BY x.n, s.id`;

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
};

/**
 * The publish statement: one or more publishes (PublishWrite each), whole, in ONE statement — so one
 * implicit transaction, one commit, one round trip. Its rows:
 *   tms: one per published message (topic, body, tags, routing key, its failed queue deliveries) —
 *        $2–$6, one entry each; t numbers them.
 *   qp:  one per (message, queue subscription) pair — $7 t, $8 queue, $9 subscription; n numbers them.
 *   m:   every pair's message row, in one INSERT … SELECT in n order. Each new row's foreign key takes
 *        FOR KEY SHARE on its queue row, so a DeleteQueue running now (FOR UPDATE) makes this wait and
 *        then fail (23503) — never a row in a deleted queue. The sequence hands out ids in the
 *        SELECT's order, so the k-th smallest id is pair k (other sessions' ids may fall between).
 *   d:   per message, its queue deliveries ({subscriptionId, messageId}) in subscription order.
 *   tm:  the topic_message rows — the delivery record, one per message, its queue deliveries in it.
 *   pd:  a push_delivery row per (message, HTTP subscription) — $10 t, $11 subscription — FOR KEY
 *        SHARE on the subscription rows: an Unsubscribe running now makes this fail (23503).
 * `bounded` sets lock_timeout ($1) for this statement's transaction only (set_config(…, true)), joined
 * into both INSERTs so it runs before any row is written and before the foreign-key checks (at the
 * end of the statement): a lock held longer than that fails the statement with 55P03, nothing
 * written. The arrays sit behind sub-selects so the statement keeps one generic plan (messages.ts,
 * top; generic-plans.test.ts). Tags travel as one JSON text per message (unnest() would flatten 2-D).
 */
export const publishSql = `WITH bounded AS MATERIALIZED (SELECT set_config('lock_timeout', $1, true) AS lt),
     tms AS (
       SELECT x.topic_id, x.b, x.rk, x.failed, x.t,
              CASE WHEN x.tags IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(x.tags::jsonb)) END AS tags
       FROM unnest((SELECT $2::bigint[]), (SELECT $3::text[]), (SELECT $4::text[]), (SELECT $5::text[]), (SELECT $6::text[]))
            WITH ORDINALITY AS x(topic_id, b, tags, rk, failed, t)
     ),
     qp AS (
       SELECT y.t, y.q, y.s, y.n
       FROM unnest((SELECT $7::int[]), (SELECT $8::bigint[]), (SELECT $9::bigint[])) WITH ORDINALITY AS y(t, q, s, n)
     ),
     m AS (
       INSERT INTO message (queue_id, body, tags, visible_at)
       SELECT qp.q, tms.b, tms.tags, now()
       FROM bounded, qp JOIN tms ON tms.t = qp.t
       WHERE bounded.lt IS NOT NULL
       ORDER BY qp.n
       RETURNING id
     ),
     d AS (
       SELECT qp.t, jsonb_agg(jsonb_build_object('subscriptionId', qp.s::text, 'messageId', mn.id::text) ORDER BY qp.n) AS ds
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM m) mn JOIN qp ON qp.n = mn.n
       GROUP BY qp.t
     ),
     tm AS (
       INSERT INTO topic_message (topic_id, body, tags, routing_key, queue_deliveries)
       SELECT tms.topic_id, tms.b, tms.tags, tms.rk, coalesce(d.ds, '[]'::jsonb) || tms.failed::jsonb
       FROM bounded, tms LEFT JOIN d ON d.t = tms.t
       WHERE bounded.lt IS NOT NULL
       ORDER BY tms.t
       RETURNING id
     ),
     tmn AS (SELECT id, row_number() OVER (ORDER BY id) AS t FROM tm),
     pd AS (
       INSERT INTO push_delivery (topic_message_id, subscription_id)
       SELECT tmn.id, z.s FROM unnest((SELECT $10::int[]), (SELECT $11::bigint[])) AS z(t, s) JOIN tmn ON tmn.t = z.t
     )
     SELECT id::text FROM tmn ORDER BY t`;

/**
 * Writes publishes (publishSql), each whole: every matching queue's message rows, the topic_message
 * rows with their queue deliveries, the push_delivery rows. One statement: it commits whole or
 * fails whole — an acknowledged publish is in every matching queue, a refused one in none.
 * Answers each write's topic_message ids, in body order.
 */
export async function writePublishes(writes: PublishWrite[], lockTimeout: string): Promise<PublishWritten[]> {
  const tm = { topic: [] as string[], body: [] as string[], tags: [] as (string | null)[] };
  const routingKeys: (string | null)[] = [];
  const failed: string[] = [];
  const qp = { t: [] as number[], queue: [] as string[], subscription: [] as string[] };
  const pp = { t: [] as number[], subscription: [] as string[] };
  for (const write of writes) {
    const tags = write.tags.length > 0 ? JSON.stringify(write.tags) : null;
    const failedDeliveries = JSON.stringify(
      write.failedQueueSubscriptionIds.map((id) => ({ subscriptionId: id, messageId: null })),
    );
    for (const body of write.bodies) {
      tm.topic.push(write.topicId);
      tm.body.push(body);
      tm.tags.push(tags);
      routingKeys.push(write.routingKey);
      failed.push(failedDeliveries);
      const t = tm.body.length;
      for (const q of write.queues) {
        qp.t.push(t);
        qp.queue.push(q.queueId);
        qp.subscription.push(q.subscriptionId);
      }
      for (const s of write.pushSubscriptionIds) {
        pp.t.push(t);
        pp.subscription.push(s);
      }
    }
  }
  const { rows } = await getPool().query<{ id: string }>({
    name: "publish",
    text: publishSql,
    values: [
      lockTimeout,
      tm.topic,
      tm.body,
      tm.tags,
      routingKeys,
      failed,
      qp.t,
      qp.queue,
      qp.subscription,
      pp.t,
      pp.subscription,
    ],
  });
  if (rows.length !== tm.body.length) throw new Error(`published ${rows.length} of ${tm.body.length} messages`);
  let at = 0;
  return writes.map((write) => {
    at += write.bodies.length;
    return { topicMessageIds: rows.slice(at - write.bodies.length, at).map((r) => r.id) };
  });
}

/** One publish on its own statement, waiting for locks at most the installation's lock timeout. */
export async function writePublish(write: PublishWrite): Promise<PublishWritten> {
  const [written] = await writePublishes([write], `${settings().lockTimeoutMs}ms`);
  return written as PublishWritten;
}

/**
 * writePublish, sharing one statement (and commit) with concurrent publishes when coalescing is on
 * (lib/store/coalesce.ts, as sends do). A combined statement waits for a lock at most 100 ms, so one
 * publish's wait is not everyone's; then it is split (keyed by topic), and whatever needs the lock
 * waits for it in its own statement with the installation's lock timeout. A refused combined
 * statement (a queue deleted meanwhile: 23503) is split down to the publish it concerns, which then
 * gets its own answer.
 */
export function writePublishCoalesced(write: PublishWrite): Promise<PublishWritten> {
  return coalescingEnabled() ? publishCoalescer()(write) : writePublish(write);
}

const publishCoalescer = () =>
  singleton("publishCoalescer", () =>
    createCoalescer<PublishWrite, PublishWritten>({
      weigh: (write) => ({
        rows: write.bodies.length * (1 + write.queues.length + write.pushSubscriptionIds.length),
        bytes: write.bodies.reduce((sum, b) => sum + Buffer.byteLength(b, "utf8"), 0) * (1 + write.queues.length),
      }),
      keyOf: (write) => write.topicId,
      maxRows: 2000,
      maxBytes: 4 * 1024 * 1024,
      maxInFlight: 3,
      runCombined: (writes) => writePublishes(writes, combinedLockTimeout),
      runAlone: writePublish,
      onCombinedError: classifyFailure,
    }),
  );

const combinedLockTimeout = "100ms";

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
