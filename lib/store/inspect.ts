import { escapeLike } from "@/lib/db/like";
import { getPool } from "@/lib/db/pool";
import type { MessageState } from "@/lib/schemas/message";

// Read-only views of the message table for the console and the queue detail. Plain SELECTs:
// no row locks, so peeking never delays or changes a delivery.

export type PeekRow = {
  id: string;
  body: string;
  tags: string[];
  enqueued_at: Date;
  first_dequeued_at: Date | null;
  visible_at: Date;
  dequeue_count: number;
  is_visible: boolean;
  cursor_micros: string;
};

/** Predicates over (visible_at, dequeue_count) that define each state; see the migration's comment. */
const stateFilter: Record<Exclude<MessageState, "rewindable">, string> = {
  all: "true",
  visible: "visible_at <= now()",
  inFlight: "visible_at > now() AND dequeue_count > 0",
  delayed: "visible_at > now() AND dequeue_count = 0",
};

/**
 * One page of messages in delivery order (visible_at, id), walking message_dequeue_idx from a
 * keyset cursor. The search filters bodies of the rows walked; the walk stops at `limit` matches.
 */
export async function peekMessages(options: {
  queueId: string;
  state: Exclude<MessageState, "rewindable">;
  search?: string;
  after?: { visibleAtMicros: string; id: string };
  limit: number;
}): Promise<PeekRow[]> {
  const values: unknown[] = [options.queueId, options.limit];
  const where = ["queue_id = $1", stateFilter[options.state]];
  if (options.after) {
    values.push(options.after.visibleAtMicros, options.after.id);
    where.push(
      `(visible_at, id) > ('epoch'::timestamptz + $${values.length - 1}::bigint * interval '1 microsecond', $${values.length}::bigint)`,
    );
  }
  if (options.search) {
    values.push(`%${escapeLike(options.search)}%`);
    where.push(`body ILIKE $${values.length}`);
  }
  const { rows } = await getPool().query<PeekRow>(
    `SELECT id, body, tags, enqueued_at, first_dequeued_at, visible_at, dequeue_count,
            visible_at <= now() AS is_visible,
            ((extract(epoch FROM visible_at) * 1000000)::bigint)::text AS cursor_micros
     FROM message WHERE ${where.join(" AND ")}
     ORDER BY visible_at, id
     LIMIT $2`,
    values,
  );
  return rows;
}

export type CountRow = {
  queue_id: string;
  total: number;
  visible: number;
  in_flight: number;
  delayed: number;
  oldest: Date | null;
};

/**
 * Counts for small queues, exactly and cheaply: each queue's scan stops after `cap` rows, so a
 * request never pays for a large backlog. A queue whose total equals `cap` is too large to count
 * here; callers use the stats sweep's figures for it (lib/store/sweeps.ts).
 */
export async function countSmallQueues(queueIds: string[], cap: number): Promise<Map<string, CountRow>> {
  if (queueIds.length === 0) return new Map();
  const { rows } = await getPool().query<CountRow>({
    name: "count_small_queues",
    text: `SELECT q.id::text AS queue_id, c.total::int, c.visible::int, c.in_flight::int, c.delayed::int, c.oldest
           FROM unnest($1::bigint[]) AS q(id)
           CROSS JOIN LATERAL (
             SELECT count(*) AS total,
                    count(*) FILTER (WHERE m.visible_at <= now()) AS visible,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count > 0) AS in_flight,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count = 0) AS delayed,
                    min(m.enqueued_at) AS oldest
             FROM (SELECT visible_at, dequeue_count, enqueued_at FROM message
                   WHERE queue_id = q.id LIMIT $2) m
           ) c`,
    values: [queueIds, cap],
  });
  return new Map(rows.map((r) => [r.queue_id, r]));
}
