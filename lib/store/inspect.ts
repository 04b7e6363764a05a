import { escapeLike } from "@/lib/db/like";
import { getPool } from "@/lib/db/pool";
import type { MessageState } from "@/lib/schemas/message";
import type { MessageRow } from "./messages";

// Read-only views of the message table for the console and the queue detail. Plain SELECTs:
// no row locks, so peeking never delays or changes a delivery.

/** A message as peeked: its row without the lease's receipt, its state now and its keyset cursor. */
export type PeekRow = Omit<MessageRow, "receipt"> & { is_visible: boolean; cursor_micros: string };

/** Predicates over (visible_at, dequeue_count) that define each state; see the migration's comment. */
const stateFilter: Record<Exclude<MessageState, "rewindable">, string> = {
  all: "true",
  visible: "visible_at <= now()",
  inFlight: "visible_at > now() AND dequeue_count > 0",
  delayed: "visible_at > now() AND dequeue_count = 0",
};

/** A search walks at most this many messages per page, so a rare match never costs a full scan (a page
 * answers in ~100 ms; the console offers "search further" from walkedTo). */
export const searchWalkLimit = 25_000;

export type PeekResult = {
  rows: PeekRow[];
  /** Where a search that walked searchWalkLimit rows without filling the page stopped. */
  walkedTo: string | null;
};

const cursorOf = "((extract(epoch FROM visible_at) * 1000000)::bigint)::text";

/**
 * One page of messages in delivery order (visible_at, id), walking message_dequeue_idx from a
 * keyset cursor. With a search, the walk covers at most searchWalkLimit rows and filters their
 * bodies; `walkedTo` then tells where to continue.
 */
export async function selectMessagesForPeek(options: {
  queueId: string;
  state: Exclude<MessageState, "rewindable">;
  search?: string;
  after?: { visibleAtMicros: string; id: string };
  limit: number;
}): Promise<PeekResult> {
  const values: unknown[] = [options.queueId];
  const where = ["queue_id = $1", stateFilter[options.state]];
  if (options.after) {
    values.push(options.after.visibleAtMicros, options.after.id);
    where.push(
      `(visible_at, id) > ('epoch'::timestamptz + $${values.length - 1}::bigint * interval '1 microsecond', $${values.length}::bigint)`,
    );
  }
  const columns = `id, body, tags, enqueued_at, first_dequeued_at, visible_at, dequeue_count,
                   visible_at <= now() AS is_visible, ${cursorOf} AS cursor_micros`;
  if (!options.search) {
    values.push(options.limit);
    const { rows } = await getPool().query<PeekRow>(
      `SELECT ${columns} FROM message WHERE ${where.join(" AND ")} ORDER BY visible_at, id LIMIT $${values.length}`,
      values,
    );
    return { rows, walkedTo: null };
  }
  values.push(searchWalkLimit, `%${escapeLike(options.search)}%`, options.limit);
  const n = values.length;
  const { rows } = await getPool().query<PeekRow & { walked: number; last_walked: string | null }>(
    `WITH walked AS (
       SELECT ${columns} FROM message WHERE ${where.join(" AND ")} ORDER BY visible_at, id LIMIT $${n - 2}
     ), tail AS (
       SELECT count(*)::int AS walked,
              (SELECT cursor_micros || '-' || id FROM walked ORDER BY visible_at DESC, id DESC LIMIT 1) AS last_walked
       FROM walked
     )
     SELECT m.*, tail.walked, tail.last_walked
     FROM tail LEFT JOIN LATERAL (
       SELECT * FROM walked WHERE body ILIKE $${n - 1} ORDER BY visible_at, id LIMIT $${n}
     ) m ON true`,
    values,
  );
  const first = rows[0];
  const matches = rows.filter((r) => r.id !== null);
  const walkedAll = (first?.walked ?? 0) >= searchWalkLimit;
  return { rows: matches, walkedTo: walkedAll && matches.length < options.limit ? (first?.last_walked ?? null) : null };
}

export type CountRow = {
  queue_id: string;
  total: number;
  visible: number;
  in_flight: number;
  delayed: number;
  /** Messages that died elsewhere (dead_at set), whatever their delivery state here. */
  dead: number;
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
    text: `SELECT q.id::text AS queue_id, c.total::int, c.visible::int, c.in_flight::int, c.delayed::int, c.dead::int, c.oldest
           FROM unnest($1::bigint[]) AS q(id)
           CROSS JOIN LATERAL (
             SELECT count(*) AS total,
                    count(*) FILTER (WHERE m.visible_at <= now()) AS visible,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count > 0) AS in_flight,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count = 0) AS delayed,
                    count(*) FILTER (WHERE m.dead_at IS NOT NULL) AS dead,
                    min(m.enqueued_at) AS oldest
             FROM (SELECT visible_at, dequeue_count, enqueued_at, dead_at FROM message
                   WHERE queue_id = q.id LIMIT $2) m
           ) c`,
    values: [queueIds, cap],
  });
  return new Map(rows.map((r) => [r.queue_id, r]));
}
