import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import type { MetricResourceKind } from "@/lib/metrics/record";

type Queryable = Pick<pg.PoolClient, "query">;

// The metric tables (migration 20261203000000_metrics). Writers: each process's flush (one statement
// every few seconds), the gauge sampler and the roll-up worker — never a request. Upserts take their
// rows in key order, so two processes flushing the same rows at once queue up instead of deadlocking.

export const resourceKindCode: Record<MetricResourceKind, number> = { queue: 1, topic: 2, subscription: 3 };

/** Counter columns in the order the flush passes them. */
export const counterColumns = {
  SendMsgNum: "send_msg_num",
  RecvMsgNum: "recv_msg_num",
  RecvNullMsgNum: "recv_null_msg_num",
  DelMsgNum: "del_msg_num",
  NumOfMsgPublished: "num_of_msg_published",
  NumOfNotify: "num_of_notify",
  NumOfSuccNotify: "num_of_succ_notify",
  NumOfFailNotify: "num_of_fail_notify",
} as const;
export type CounterMetric = keyof typeof counterColumns;
const counterList = Object.values(counterColumns);

export const gaugeColumns = {
  VisibleMsgNum: "visible_msg_num",
  InvisibleMsgNum: "invisible_msg_num",
  DelayedMsgNum: "delayed_msg_num",
  RewindMsgNum: "rewind_msg_num",
  DeadMsgNum: "dead_msg_num",
  MsgHeapNum: "msg_heap_num",
  OldestMsgAgeSeconds: "oldest_msg_age_seconds",
} as const;
export type GaugeMetric = keyof typeof gaugeColumns;
const gaugeList = Object.values(gaugeColumns);

export type ResourceCounts = { kind: number; id: string; values: number[] };
export type ApiCallRow = {
  accountId: string;
  action: string;
  requests: number;
  errors: number;
  latency: number[];
  latencySumMs: number;
};

/** The current minute, by the database's clock (one clock for every process). */
const thisMinute = `date_trunc('minute', now())`;
/** The hour an `at` falls in, in UTC whatever the session's time zone. */
export const hourOf = (column: string) => `(date_trunc('hour', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

/**
 * Adds counts to this minute's rows and to the cumulative totals, in one statement (one round trip,
 * one commit per flush). Counts of resources deleted meanwhile, and calls of deleted accounts, are
 * dropped. Rows are upserted in key order (see the file's comment on deadlocks).
 */
export async function writeMetricCounts(db: Queryable, resources: ResourceCounts[], calls: ApiCallRow[]) {
  if (resources.length === 0 && calls.length === 0) return;
  resources.sort((a, b) => a.kind - b.kind || (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  calls.sort((a, b) => (a.accountId + a.action < b.accountId + b.action ? -1 : 1));
  const values: unknown[] = [resources.map((r) => r.kind), resources.map((r) => r.id)];
  counterList.forEach((_, i) => {
    values.push(resources.map((r) => r.values[i] ?? 0));
  });
  values.push(
    calls.map((c) => c.accountId),
    calls.map((c) => c.action),
    calls.map((c) => c.requests),
    calls.map((c) => c.errors),
    calls.map((c) => `{${c.latency.join(",")}}`),
    calls.map((c) => c.latencySumMs),
  );
  const at = counterList.length + 3; // first API parameter
  const cols = counterList.join(", ");
  const cAs = counterList.map((c) => `c.${c}`).join(", ");
  const add = (table: string) => counterList.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ");
  await db.query({
    name: "metrics_flush",
    text: `WITH c AS (
             SELECT * FROM unnest($1::smallint[], $2::bigint[], ${counterList.map((_, i) => `$${i + 3}::bigint[]`).join(", ")})
               WITH ORDINALITY AS c(kind, id, ${cols}, ord)
           ), owned AS (
             SELECT c.*, coalesce(q.account_id, t.account_id, s.account_id) AS account_id
             FROM c
             LEFT JOIN queue q ON c.kind = 1 AND q.id = c.id
             LEFT JOIN topic t ON c.kind = 2 AND t.id = c.id
             LEFT JOIN subscription s ON c.kind = 3 AND s.id = c.id
           ), per_minute AS (
             INSERT INTO metric_minute AS m (resource_kind, resource_id, at, account_id, ${cols})
             SELECT c.kind, c.id, ${thisMinute}, c.account_id, ${cAs} FROM owned c
             WHERE c.account_id IS NOT NULL ORDER BY c.ord
             ON CONFLICT (resource_kind, resource_id, at) DO UPDATE SET ${add("m")}
           ), totals AS (
             INSERT INTO metric_total AS m (resource_kind, resource_id, account_id, ${cols})
             SELECT c.kind, c.id, c.account_id, ${cAs} FROM owned c
             WHERE c.account_id IS NOT NULL ORDER BY c.ord
             ON CONFLICT (resource_kind, resource_id) DO UPDATE SET ${add("m")}, updated_at = now()
           ), a AS (
             SELECT a.account_id, a.action, a.requests, a.errors, a.latency::bigint[] AS latency, a.sum_ms, a.ord
             FROM unnest($${at}::uuid[], $${at + 1}::text[], $${at + 2}::bigint[], $${at + 3}::bigint[], $${at + 4}::text[],
                         $${at + 5}::float8[])
               WITH ORDINALITY AS a(account_id, action, requests, errors, latency, sum_ms, ord)
             WHERE EXISTS (SELECT 1 FROM account WHERE id = a.account_id)
           ), api_minute AS (
             INSERT INTO metric_api_minute AS m (account_id, action, at, requests, errors, latency)
             SELECT a.account_id, a.action, ${thisMinute}, a.requests, a.errors, a.latency FROM a ORDER BY a.ord
             ON CONFLICT (account_id, at, action) DO UPDATE SET requests = m.requests + excluded.requests,
               errors = m.errors + excluded.errors, latency = metric_add_buckets(m.latency, excluded.latency)
           )
           INSERT INTO api_total AS m (account_id, action, requests, errors, latency, latency_sum_ms)
           SELECT a.account_id, a.action, a.requests, a.errors, a.latency, a.sum_ms FROM a ORDER BY a.ord
           ON CONFLICT (account_id, action) DO UPDATE SET requests = m.requests + excluded.requests,
             errors = m.errors + excluded.errors, latency = metric_add_buckets(m.latency, excluded.latency),
             latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms`,
    values,
  });
}

/**
 * Every queue's counts without scanning a message: the stats worker's last recount (queue_stats,
 * lib/store/sweeps.ts) moved on by the sends, receives and deletes flushed since (metric_total minus
 * its counted_* snapshot). Approximate: leases that lapse, retention, purges and dead-letter moves
 * show only at the next recount (≤ 1 min), and counts not yet flushed (≤ a flush interval) not at all.
 * `where` filters on q (the queue) with the given values; `extraColumns` (", …") may read q, s and t
 * (the queue's metric_total row).
 */
export function approximateCountsSql(where: string, extraColumns = ""): string {
  return `SELECT q.id AS queue_id, q.account_id, q.name,
                 greatest(0, coalesce(s.total, 0) + d.sent - d.deleted)::float8 AS total,
                 greatest(0, coalesce(s.visible, 0) + d.sent - d.received)::float8 AS visible,
                 greatest(0, coalesce(s.in_flight, 0) + d.received - d.deleted)::float8 AS in_flight,
                 coalesce(s.delayed, 0)::float8 AS delayed,
                 coalesce(s.dead, 0)::float8 AS dead,
                 (CASE WHEN q.rewind_seconds > 0 THEN coalesce(s.rewindable, 0) ELSE 0 END)::float8 AS rewindable,
                 s.oldest_enqueued_at AS oldest,
                 greatest(s.computed_at, t.updated_at) AS counted_at${extraColumns}
          FROM queue q
          LEFT JOIN queue_stats s ON s.queue_id = q.id
          LEFT JOIN metric_total t ON t.resource_kind = 1 AND t.resource_id = q.id
          CROSS JOIN LATERAL (
            SELECT coalesce(t.send_msg_num - t.counted_send, 0) AS sent,
                   coalesce(t.recv_msg_num - t.counted_recv, 0) AS received,
                   coalesce(t.del_msg_num - t.counted_del, 0) AS deleted
          ) d
          WHERE ${where}`;
}

export type ApproximateCounts = {
  queue_id: string;
  account_id: string;
  name: string;
  total: number;
  visible: number;
  in_flight: number;
  delayed: number;
  dead: number;
  rewindable: number;
  oldest: Date | null;
  counted_at: Date | null;
};

/** After a recount: the totals it reflects become the base that approximate counts move on from. */
export async function markQueuesCounted(db: Queryable): Promise<void> {
  await db.query({
    name: "metrics_mark_counted",
    // Rows locked in key order, as the flush locks them: the two cannot deadlock.
    text: `UPDATE metric_total t SET counted_send = t.send_msg_num, counted_recv = t.recv_msg_num, counted_del = t.del_msg_num
           FROM (
             SELECT resource_id FROM metric_total
             WHERE resource_kind = 1
               AND (counted_send <> send_msg_num OR counted_recv <> recv_msg_num OR counted_del <> del_msg_num)
             ORDER BY resource_id FOR UPDATE
           ) changed
           WHERE t.resource_kind = 1 AND t.resource_id = changed.resource_id`,
    values: [],
  });
}

/**
 * The gauge sample of this minute: every queue's kept counts (only non-zero rows are written; the
 * tick row says the minute was sampled, so a queue without a row that minute had nothing). Once per
 * minute whoever calls: a minute already ticked is not sampled again. Returns the queues written.
 */
export async function sampleQueueGauges(db: Queryable): Promise<number> {
  const { rowCount } = await db.query({
    name: "metrics_sample_gauges",
    text: `WITH tick AS (
             INSERT INTO metric_tick (at) VALUES (${thisMinute}) ON CONFLICT DO NOTHING RETURNING at
           ), current AS (${approximateCountsSql("EXISTS (SELECT 1 FROM tick)")})
           INSERT INTO metric_minute AS m (resource_kind, resource_id, at, account_id, ${gaugeList.join(", ")})
           SELECT 1, c.queue_id, ${thisMinute}, c.account_id, c.visible, c.in_flight, c.delayed, c.rewindable, c.dead,
                  c.total, CASE WHEN c.oldest IS NOT NULL THEN greatest(0, extract(epoch FROM now() - c.oldest))::bigint END
           FROM current c WHERE c.total > 0 OR c.rewindable > 0
           ORDER BY c.queue_id
           ON CONFLICT (resource_kind, resource_id, at) DO UPDATE SET
             ${gaugeList.map((g) => `${g} = excluded.${g}`).join(", ")}`,
    values: [],
  });
  return rowCount ?? 0;
}

/**
 * Rolls the minutes of the hours from `fromHour` up to (excluding) `toHour` into metric_hour and
 * metric_api_hour: counters summed, gauges the value at the hour's last sampled minute (no row that
 * minute = 0; no sampled minute = NULL, a gap). Replaces what an earlier roll-up wrote, so rolling
 * an hour again (late flushes) is idempotent.
 */
export async function rollUpHours(db: Queryable, fromHour: Date, toHour: Date): Promise<void> {
  const sums = counterList.map((c) => `sum(m.${c})`).join(", ");
  const lastGauges = gaugeList
    .map((g) => `CASE WHEN t.last_tick IS NULL THEN NULL ELSE max(CASE WHEN m.at = t.last_tick THEN m.${g} END) END`)
    .join(", ");
  await db.query({
    name: "metrics_roll_up",
    text: `WITH ticks AS (
             SELECT ${hourOf("at")} AS hour, max(at) AS last_tick FROM metric_tick
             WHERE at >= $1 AND at < $2 GROUP BY 1
           )
           INSERT INTO metric_hour AS h (resource_kind, resource_id, at, account_id, ${counterList.join(", ")}, ${gaugeList.join(", ")})
           SELECT m.resource_kind, m.resource_id, ${hourOf("m.at")}, min(m.account_id::text)::uuid, ${sums}, ${lastGauges}
           FROM metric_minute m LEFT JOIN ticks t ON t.hour = ${hourOf("m.at")}
           WHERE m.at >= $1 AND m.at < $2
           GROUP BY m.resource_kind, m.resource_id, ${hourOf("m.at")}, t.last_tick
           ORDER BY 1, 2, 3
           ON CONFLICT (resource_kind, resource_id, at) DO UPDATE SET
             ${[...counterList, ...gaugeList].map((c) => `${c} = excluded.${c}`).join(", ")}`,
    values: [fromHour, toHour],
  });
  await db.query({
    name: "metrics_roll_up_api",
    text: `INSERT INTO metric_api_hour AS h (account_id, action, at, requests, errors, latency)
           SELECT account_id, action, ${hourOf("at")}, sum(requests), sum(errors), metric_sum_buckets(latency)
           FROM metric_api_minute WHERE at >= $1 AND at < $2
           GROUP BY account_id, action, ${hourOf("at")} ORDER BY 1, 2, 3
           ON CONFLICT (account_id, at, action) DO UPDATE SET requests = excluded.requests,
             errors = excluded.errors, latency = excluded.latency`,
    values: [fromHour, toHour],
  });
}

/** Deletes at most `batch` rows older than `before` from a metric table; returns how many. */
export async function deleteOldMetricRows(
  db: Queryable,
  table: "metric_minute" | "metric_hour" | "metric_api_minute" | "metric_api_hour" | "metric_tick",
  before: Date,
  batch: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE at < $1 LIMIT $2))`,
    [before, batch],
  );
  return rowCount ?? 0;
}

/** Drops cumulative totals of resources that no longer exist (bounded per call). */
export async function deleteOrphanTotals(db: Queryable, batch: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM metric_total m WHERE ctid = ANY(ARRAY(
       SELECT t.ctid FROM metric_total t
       WHERE NOT EXISTS (SELECT 1 FROM queue q WHERE t.resource_kind = 1 AND q.id = t.resource_id)
         AND NOT EXISTS (SELECT 1 FROM topic q WHERE t.resource_kind = 2 AND q.id = t.resource_id)
         AND NOT EXISTS (SELECT 1 FROM subscription q WHERE t.resource_kind = 3 AND q.id = t.resource_id)
       LIMIT $1))`,
    [batch],
  );
  return rowCount ?? 0;
}

/** The kind of resource a column is counted on, for account-wide sums. */
const columnKind: Record<string, number> = {
  num_of_msg_published: 2,
  num_of_notify: 3,
  num_of_succ_notify: 3,
  num_of_fail_notify: 3,
};

export type ResourceScope = {
  accountId: string;
  kind?: number;
  resourceId?: string;
  /**
   * Account scope narrowed by a policy: per resource kind code (1 queue, 2 topic, 3 subscription),
   * the ids the caller may see; a kind left out counts all of its resources.
   */
  only?: Partial<Record<number, string[]>>;
};
export type MetricRowsByTime = { at: Date; values: Record<string, number | null> }[];

/**
 * Per-`at` sums over the scope's resources (one row per minute or hour that has data): counters
 * summed, gauges summed as sampled (a resource without a row at that time counts 0).
 */
export async function selectResourceRows(
  scope: ResourceScope,
  table: "metric_minute" | "metric_hour",
  from: Date,
  to: Date,
  columns: string[],
): Promise<MetricRowsByTime> {
  if (columns.length === 0) return [];
  const values: unknown[] = [scope.accountId, from, to];
  let where = "account_id = $1 AND at >= $2 AND at < $3";
  const isOneResource = scope.kind !== undefined && scope.resourceId !== undefined;
  if (isOneResource) {
    values.push(scope.kind, scope.resourceId);
    where += " AND resource_kind = $4 AND resource_id = $5";
  }
  // Account scope: each metric from the kind of resource that counts it (a notification is counted
  // on its subscription, a publish on its topic, everything else on queues), never twice.
  // The account's oldest message is the oldest of its queues', not their sum.
  // A narrowed account scope adds the visible ids of a kind as one array parameter, the first time a
  // column of that kind asks (a parameter the text never names would make the statement fail).
  const idsParam = new Map<number, string>();
  const idsOf = (kind: number) => {
    const ids = scope.only?.[kind];
    if (!ids) return null;
    let param = idsParam.get(kind);
    if (!param) {
      values.push(ids);
      param = `$${values.length}`;
      idsParam.set(kind, param);
    }
    return param;
  };
  const sumOf = (c: string) => {
    const fn = c === "oldest_msg_age_seconds" ? "max" : "sum";
    if (isOneResource) return `${fn}(${c})`;
    const kind = columnKind[c] ?? 1;
    const ids = idsOf(kind);
    return `${fn}(${c}) FILTER (WHERE resource_kind = ${kind}${ids ? ` AND resource_id = ANY(${ids}::bigint[])` : ""})`;
  };
  const { rows } = await getPool().query<Record<string, number | null> & { at: Date }>(
    `SELECT at, ${columns.map((c) => `${sumOf(c)}::float8 AS ${c}`).join(", ")}
     FROM ${table} WHERE ${where} GROUP BY at ORDER BY at`,
    values,
  );
  return rows.map(({ at, ...rest }) => ({ at, values: rest }));
}

/** The sampled minutes in [from, to) — or, per hour, each hour's last sampled minute. */
export async function selectTicks(from: Date, to: Date, perHour: boolean): Promise<{ at: Date; last: Date }[]> {
  const { rows } = await getPool().query<{ at: Date; last: Date }>(
    perHour
      ? `SELECT ${hourOf("at")} AS at, max(at) AS last FROM metric_tick WHERE at >= $1 AND at < $2 GROUP BY 1 ORDER BY 1`
      : `SELECT at, at AS last FROM metric_tick WHERE at >= $1 AND at < $2 ORDER BY at`,
    [from, to],
  );
  return rows;
}

export type ApiRow = { bucket: Date; action: string; requests: number; errors: number; latency: number[] };

/** API calls of an account per step-sized bucket (aligned to the epoch) and action. */
export async function selectApiRows(
  accountId: string,
  table: "metric_api_minute" | "metric_api_hour",
  from: Date,
  to: Date,
  stepSeconds: number,
): Promise<ApiRow[]> {
  const { rows } = await getPool().query<{
    bucket: Date;
    action: string;
    requests: number;
    errors: number;
    latency: string[];
  }>(
    `SELECT to_timestamp(floor(extract(epoch FROM at) / $4) * $4) AS bucket, action,
            sum(requests)::float8 AS requests, sum(errors)::float8 AS errors, metric_sum_buckets(latency)::text[] AS latency
     FROM ${table} WHERE account_id = $1 AND at >= $2 AND at < $3
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [accountId, from, to, stepSeconds],
  );
  return rows.map((r) => ({ ...r, latency: r.latency.map(Number) }));
}

/** Sends + receives per queue of an account in [from, to) (the top list "by traffic"). */
export async function selectQueueTraffic(
  accountId: string,
  table: "metric_minute" | "metric_hour",
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  const { rows } = await getPool().query<{ id: string; traffic: number }>(
    `SELECT resource_id::text AS id, sum(send_msg_num + recv_msg_num)::float8 AS traffic
     FROM ${table} WHERE account_id = $1 AND resource_kind = 1 AND at >= $2 AND at < $3
     GROUP BY resource_id`,
    [accountId, from, to],
  );
  return new Map(rows.map((r) => [r.id, r.traffic]));
}

export type QueueRateRow = { queue_id: string; send: number; recv: number; del: number; seconds: number };

/**
 * Sends, receives and deletes per queue over the last five whole minutes and the current one, with
 * the seconds that window spans (so a rate is count ÷ seconds). By primary key: one index range per queue.
 */
export async function selectQueueRates(queueIds: string[]): Promise<Map<string, QueueRateRow>> {
  if (queueIds.length === 0) return new Map();
  const { rows } = await getPool().query<QueueRateRow>({
    name: "metrics_queue_rates",
    text: `SELECT q.id::text AS queue_id, coalesce(sum(m.send_msg_num), 0)::float8 AS send,
                  coalesce(sum(m.recv_msg_num), 0)::float8 AS recv, coalesce(sum(m.del_msg_num), 0)::float8 AS del,
                  extract(epoch FROM now() - (${thisMinute} - interval '5 minutes'))::float8 AS seconds
           FROM unnest($1::bigint[]) AS q(id)
           LEFT JOIN metric_minute m ON m.resource_kind = 1 AND m.resource_id = q.id
             AND m.at >= ${thisMinute} - interval '5 minutes'
           GROUP BY q.id`,
    values: [queueIds],
  });
  return new Map(rows.map((r) => [r.queue_id, r]));
}

/**
 * One queue's line of a scrape, as an array (no per-row object: a scrape reads 10,000 of them):
 * account id, queue name, then the cumulative counters, the kept counts and the oldest message's age.
 */
export type PrometheusQueueRow = [
  accountId: string,
  name: string,
  sendTotal: number,
  recvTotal: number,
  recvNullTotal: number,
  delTotal: number,
  visible: number,
  inFlight: number,
  delayed: number,
  rewindable: number,
  dead: number,
  oldestAgeSeconds: number,
];

/**
 * Every queue (of one account, or all) with its cumulative counters and kept counts — the
 * stats worker's recount moved on by metric_total, no message read — in one statement: seq scans of
 * queue, queue_stats and metric_total joined by hash, whatever the backlog (EXPLAIN: ~20 ms for
 * 10,000 queues on a quiet machine). The oldest message's age by the database's clock (0 when the queue is empty).
 * Ordered by account id, then name: the text's order. Plain reads, no locks.
 */
export async function selectPrometheusQueues(accountId: string | null): Promise<PrometheusQueueRow[]> {
  const { rows } = await getPool().query<PrometheusQueueRow>({
    name: "metrics_prometheus_queues",
    // The name ordered bytewise: the default collation's comparisons were half the statement's time.
    text: `SELECT c.account_id::text, c.name, c.send_total, c.recv_total, c.recv_null_total, c.del_total,
                  c.visible, c.in_flight, c.delayed, c.rewindable, c.dead,
                  CASE WHEN c.oldest IS NOT NULL AND c.total > 0
                       THEN greatest(0, round(extract(epoch FROM now() - c.oldest)))::float8 ELSE 0 END
           FROM (${approximateCountsSql(
             "($1::uuid IS NULL OR q.account_id = $1::uuid)",
             `, coalesce(t.send_msg_num, 0)::float8 AS send_total, coalesce(t.recv_msg_num, 0)::float8 AS recv_total,
                coalesce(t.recv_null_msg_num, 0)::float8 AS recv_null_total, coalesce(t.del_msg_num, 0)::float8 AS del_total`,
           )}) c
           ORDER BY c.account_id, c.name COLLATE "C"`,
    values: [accountId],
    rowMode: "array",
  });
  return rows;
}

/** Names of the accounts (one, or all): a scrape's `account` label, looked up once per account. */
export async function selectAccountNames(accountId: string | null): Promise<Map<string, string>> {
  const { rows } = await getPool().query<[string, string]>({
    text: "SELECT id::text, name FROM account WHERE $1::uuid IS NULL OR id = $1::uuid",
    values: [accountId],
    rowMode: "array",
  });
  return new Map(rows);
}
export type PrometheusApiRow = {
  account_id: string;
  account_name: string;
  action: string;
  requests: number;
  errors: number;
  latency: string[];
  latency_sum_ms: number;
};

/** Cumulative API calls per account and action (of one account, or all). */
export async function selectPrometheusApi(accountId: string | null): Promise<PrometheusApiRow[]> {
  const { rows } = await getPool().query<PrometheusApiRow>(
    `SELECT t.account_id, a.name AS account_name, t.action, t.requests::float8 AS requests, t.errors::float8 AS errors,
            t.latency::text[] AS latency, t.latency_sum_ms
     FROM api_total t JOIN account a ON a.id = t.account_id
     WHERE $1::uuid IS NULL OR t.account_id = $1::uuid ORDER BY t.account_id, t.action`,
    [accountId],
  );
  return rows;
}
