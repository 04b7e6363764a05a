import { escapeLike } from "@/lib/db/like";
import type { MessageFilter } from "@/lib/schemas/message-filter";

// The one SQL predicate for a MessageFilter (lib/schemas/message-filter.ts). Peek, dry-run counts,
// purge, redrive, move and copy all build their WHERE from here, so they cannot disagree.

/** Delivery states over (visible_at, dequeue_count); see the init migration's comment on `message`. */
const statePredicates = {
  all: "true",
  visible: "visible_at <= now()",
  inFlight: "visible_at > now() AND dequeue_count > 0",
  delayed: "visible_at > now() AND dequeue_count = 0",
  dead: "dead_at IS NOT NULL",
  rewindable: "true",
} as const;

export type FilterSql = {
  /** `message`, or `message_history` for rewindable messages. */
  table: "message" | "message_history";
  /** Conjuncts over the table's own columns (no alias), the queue's included. */
  where: string[];
};

/**
 * Builds the predicate for `filter` on the queue `queueId`, appending its parameters to `values`
 * (placeholders are numbered after whatever `values` already holds).
 */
export function filterSql(queueId: string, filter: MessageFilter, values: unknown[]): FilterSql {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const queue = param(queueId);
  const where = [`queue_id = ${queue}`];
  if (filter.state === "rewindable") {
    // Only what a rewind could still bring back (as counts.rewindable): the sweep drops the rest later.
    where.push(`enqueued_at >= now() - (SELECT rewind_seconds FROM queue WHERE id = ${queue}) * interval '1 second'`);
  } else if (filter.state !== "all") where.push(statePredicates[filter.state]);
  if (filter.ids) where.push(`id = ANY(${param(filter.ids)}::bigint[])`);
  if (filter.search) where.push(`body ILIKE ${param(`%${escapeLike(filter.search)}%`)}`);
  if (filter.tag) where.push(`tags @> ARRAY[${param(filter.tag)}]::text[]`);
  if (filter.enqueuedFrom) where.push(`enqueued_at >= ${param(filter.enqueuedFrom)}::timestamptz`);
  if (filter.enqueuedBefore) where.push(`enqueued_at < ${param(filter.enqueuedBefore)}::timestamptz`);
  return { table: filter.state === "rewindable" ? "message_history" : "message", where };
}
