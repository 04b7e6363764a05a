import type pg from "pg";

/**
 * Deletes up to `batch` topic messages older than their topic's msg_retention_seconds, oldest first
 * per topic (topic_message_topic_published_idx: each topic's expired rows are a prefix of its index
 * range). Their push_delivery and push_attempt rows go by cascade, through those tables' indexes on
 * the referencing columns. Row locks only on the rows deleted; a push worker holding a delivery of
 * an expired message makes this wait for that one short transaction, never the other way round.
 */
export async function sweepExpiredTopicMessages(db: pg.ClientBase, batch: number): Promise<number> {
  const { rowCount } = await db.query({
    name: "sweep_expired_topic_messages",
    text: `DELETE FROM topic_message WHERE id IN (
             SELECT m.id FROM topic t
             CROSS JOIN LATERAL (
               SELECT id FROM topic_message m
               WHERE m.topic_id = t.id AND m.published_at < now() - t.msg_retention_seconds * interval '1 second'
               ORDER BY m.published_at, m.id
               LIMIT $1
             ) m
             LIMIT $1)`,
    values: [batch],
  });
  return rowCount ?? 0;
}
