import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

// The push worker's SQL: claim due deliveries, record each attempt. Every app process runs a push
// worker and they coordinate only through these two statements (no advisory lock):
//
// * A claim locks due rows FOR UPDATE SKIP LOCKED and, in the same statement, bumps `attempts` and
//   moves `next_attempt_at` past the attempt's lease (timeout + grace). The row is no longer due, so
//   no other claim takes it while the attempt is in flight; if the process dies, the row becomes due
//   again when the lease ends and another process retries it: nothing is lost, and an attempt is
//   never sent twice while in flight (only after its lease ran out).
// * A record writes the push_attempt row and the delivery's new state in one statement (one
//   transaction), guarded by `attempts = <the claim's number> AND status = 'pending'`: a finisher
//   whose lease ran out and whose row was claimed again cannot overwrite the newer claim's state
//   (its attempt row is still written: it did happen).

export type ClaimedPush = {
  deliveryId: string;
  attempt: number;
  subscriptionId: string;
  subscriptionName: string;
  endpoint: string;
  notifyStrategy: "BACKOFF_RETRY" | "EXPONENTIAL_DECAY_RETRY";
  notifyContentFormat: "JSON" | "SIMPLIFIED";
  pushSecretEncrypted: string | null;
  accountId: string;
  topicId: string;
  topicName: string;
  retentionSeconds: number;
  messageId: string;
  body: string;
  tags: string[];
  publishedAt: Date;
  /** the database's clock at the claim (retry times and message age are judged on this clock) */
  claimedAt: Date;
};

export type ClaimOptions = {
  /** rows to claim at most (free slots of this process) */
  limit: number;
  /** per subscription, pushes in flight at most (this process) */
  perSubscription: number;
  /** this process's pushes in flight, by subscription id */
  busy: ReadonlyMap<string, number>;
  leaseMs: number;
  /** Only these subscriptions' deliveries (tests and the probe, which share a database); null: all. */
  subscriptionIds?: readonly string[] | null;
};

/**
 * Claims up to `limit` due deliveries, taking turns between subscriptions: each subscription's first
 * due row, then each one's second… and never more than its free per-subscription slots, so a
 * subscription with a deep backlog (or a dead endpoint holding its slots) cannot crowd out others.
 *
 * Plan: a loose index scan over push_delivery_pending_idx (subscription_id, next_attempt_at, id)
 * WHERE pending lists the subscriptions with pending rows (one index probe each, however many rows
 * they have), then for each a LATERAL range scan of its due rows, LIMIT its free slots. So the cost
 * is (subscriptions with pending pushes) + (rows claimed), never the depth of a backlog.
 */
export async function claimDuePushes(db: Queryable, options: ClaimOptions): Promise<ClaimedPush[]> {
  if (options.limit <= 0) return [];
  const busyIds = [...options.busy.keys()];
  const busyCounts = busyIds.map((id) => options.busy.get(id) ?? 0);
  const { rows } = await db.query({
    name: "push_claim",
    text: `WITH RECURSIVE subs(id) AS (
             -- ORDER BY the partial index's own columns, so each step is one probe of it; the
             -- (subscription_id, id) index would step through a subscription's delivered rows.
             (SELECT subscription_id FROM push_delivery WHERE status = 'pending'
              ORDER BY subscription_id, next_attempt_at LIMIT 1)
             UNION ALL
             SELECT (SELECT d.subscription_id FROM push_delivery d
                     WHERE d.status = 'pending' AND d.subscription_id > subs.id
                     ORDER BY d.subscription_id, d.next_attempt_at LIMIT 1)
             FROM subs WHERE subs.id IS NOT NULL
           ), room AS (
             SELECT subs.id, $2::int - coalesce(b.busy, 0) AS free
             FROM subs LEFT JOIN unnest($3::bigint[], $4::int[]) AS b(id, busy) ON b.id = subs.id
             WHERE subs.id IS NOT NULL AND ($6::bigint[] IS NULL OR subs.id = ANY($6::bigint[]))
           ), due AS (
             SELECT d.id, d.next_attempt_at,
                    row_number() OVER (PARTITION BY room.id ORDER BY d.next_attempt_at, d.id) AS turn
             FROM room CROSS JOIN LATERAL (
               SELECT p.id, p.next_attempt_at FROM push_delivery p
               WHERE p.subscription_id = room.id AND p.status = 'pending' AND p.next_attempt_at <= now()
               ORDER BY p.next_attempt_at, p.id
               LIMIT greatest(room.free, 0)
             ) d
             WHERE room.free > 0
           ), picked AS (
             -- Re-checked on the row's latest version under the lock: a row another process claimed
             -- since this statement's snapshot is no longer due, and is passed over.
             SELECT p.id FROM push_delivery p
             WHERE p.id IN (SELECT id FROM due ORDER BY turn, next_attempt_at, id LIMIT $1)
               AND p.status = 'pending' AND p.next_attempt_at <= now()
             FOR UPDATE SKIP LOCKED
           )
           UPDATE push_delivery d
           SET attempts = d.attempts + 1, next_attempt_at = now() + $5::int * interval '1 millisecond'
           FROM picked, subscription s, topic_message m, topic t
           WHERE d.id = picked.id AND s.id = d.subscription_id AND m.id = d.topic_message_id AND t.id = m.topic_id
           RETURNING d.id::text AS delivery_id, d.attempts AS attempt, s.id::text AS subscription_id,
                     s.name AS subscription_name, s.endpoint, s.notify_strategy, s.notify_content_format,
                     s.push_secret_encrypted, s.account_id::text AS account_id, t.id::text AS topic_id,
                     t.name AS topic_name, t.msg_retention_seconds, m.id::text AS message_id, m.body, m.tags,
                     m.published_at, now() AS claimed_at`,
    values: [
      options.limit,
      options.perSubscription,
      busyIds,
      busyCounts,
      options.leaseMs,
      options.subscriptionIds ?? null,
    ],
  });
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    attempt: row.attempt,
    subscriptionId: row.subscription_id,
    subscriptionName: row.subscription_name,
    endpoint: row.endpoint,
    notifyStrategy: row.notify_strategy,
    notifyContentFormat: row.notify_content_format,
    pushSecretEncrypted: row.push_secret_encrypted,
    accountId: row.account_id,
    topicId: row.topic_id,
    topicName: row.topic_name,
    retentionSeconds: row.msg_retention_seconds,
    messageId: row.message_id,
    body: row.body,
    tags: row.tags,
    publishedAt: row.published_at,
    claimedAt: row.claimed_at,
  }));
}

export type AttemptRecord = {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  latencyMs: number;
  httpStatus: number | null;
  error: string | null;
  /** delivered (2xx), retry after retryDelayMs, or dropped */
  outcome: { status: "delivered" } | { status: "pending"; retryDelayMs: number } | { status: "dropped" };
};

/**
 * Writes the attempt and the delivery's new state in one statement. Returns whether the delivery's
 * state was written (false: the claim was overtaken — its lease ran out and another claim took the
 * row — or the delivery is gone with its subscription; nothing of theirs is changed).
 */
export async function recordPushAttempt(db: Queryable, record: AttemptRecord): Promise<boolean> {
  const retryDelayMs = record.outcome.status === "pending" ? record.outcome.retryDelayMs : null;
  const { rows } = await db.query<{ recorded: boolean }>({
    name: "push_record",
    text: `WITH done AS (
             UPDATE push_delivery
             SET status = $7::text,
                 next_attempt_at = CASE WHEN $7 = 'pending' THEN now() + $8::int * interval '1 millisecond'
                                        ELSE next_attempt_at END,
                 finished_at = CASE WHEN $7 = 'pending' THEN NULL ELSE now() END
             WHERE id = $1::bigint AND attempts = $2::int AND status = 'pending'
             RETURNING next_attempt_at
           )
           INSERT INTO push_attempt (delivery_id, attempt, started_at, latency_ms, http_status, error, next_attempt_at)
           SELECT p.id, $2::int, $3::timestamptz, $4::int, $5::int, $6::text, CASE WHEN $7 = 'pending' THEN (SELECT next_attempt_at FROM done) END
           FROM push_delivery p WHERE p.id = $1
           RETURNING EXISTS (SELECT 1 FROM done) AS recorded`,
    values: [
      record.deliveryId,
      record.attempt,
      record.startedAt,
      record.latencyMs,
      record.httpStatus,
      record.error,
      record.outcome.status,
      retryDelayMs,
    ],
  });
  return rows[0]?.recorded ?? false;
}

/**
 * Milliseconds (database clock) until the next pending delivery is due — anyone's, leases included —
 * or null when none is pending: how long an idle worker may sleep. One probe of push_delivery_due_idx.
 */
export async function msUntilNextDue(
  db: Queryable,
  subscriptionIds: readonly string[] | null = null,
): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>({
    name: "push_next_due",
    text: `SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
           FROM push_delivery
           WHERE status = 'pending' AND ($1::bigint[] IS NULL OR subscription_id = ANY($1::bigint[]))`,
    values: [subscriptionIds],
  });
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, ms);
}
