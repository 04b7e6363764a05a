import type pg from "pg";
import type { AlarmKind, AlarmScopeType, AlarmState, WebhookAlarm } from "@/lib/schemas/alarm";
import { approximateCountsSql } from "./metrics";

type Queryable = Pick<pg.PoolClient, "query">;

// The alarm worker's SQL (lib/alarms/run.ts). Reads only what the installation already keeps — the
// kept queue counts (approximateCountsSql: queue_stats + metric_total, no message row is read),
// metric_minute / metric_api_minute over a window, and pg_stat_* — so evaluating costs the same
// whether a queue holds nothing or a million messages.

export type RuleRow = {
  id: string;
  account_id: string;
  name: string;
  kind: AlarmKind;
  scope_type: AlarmScopeType;
  scope_name: string | null;
  scope_subscription: string | null;
  threshold: number;
  for_seconds: number;
  window_seconds: number;
  webhook_url: string | null;
  state: AlarmState;
  state_since: Date;
};

/** Every enabled rule, with the database's now (the one clock the "for" durations are measured by). */
export async function selectEnabledRules(
  db: Queryable,
  accountIds?: readonly string[],
): Promise<{ rules: RuleRow[]; now: Date }> {
  const { rows } = await db.query<RuleRow & { now: Date }>(
    `SELECT id::text, account_id, name, kind, scope_type, scope_name, scope_subscription, threshold,
            for_seconds, window_seconds, webhook_url, state, state_since, now() AS now
       FROM alarm_rule WHERE enabled AND ($1::uuid[] IS NULL OR account_id = ANY ($1)) ORDER BY id`,
    [accountIds ?? null],
  );
  const now = rows[0]?.now ?? (await db.query<{ now: Date }>("SELECT now() AS now")).rows[0]?.now ?? new Date();
  return { rules: rows, now };
}

export type Reading = { value: number | null; subject: string | null };

/** A queue-name glob (`*` any run) as a LIKE pattern; names hold no `%` or `\`, `_` is escaped. */
export const likeOfGlob = (glob: string) =>
  glob
    .toLowerCase()
    .replace(/[\\%_]/g, "\\$&")
    .replace(/\*/g, "%");

const queueColumn: Partial<Record<AlarmKind, string>> = {
  backlogVisible: "c.visible",
  backlogTotal: "c.total",
  // the recount's oldest message, while the kept counts say the queue holds any
  oldestMessageAge:
    "CASE WHEN c.total > 0 AND c.oldest IS NOT NULL THEN greatest(0, extract(epoch FROM now() - c.oldest)) ELSE 0 END",
  deadLetters: "c.dead",
};

/** The worst queue of the rule's scope by the kind's kept figure (none matched: no value). */
export async function readQueueValue(db: Queryable, rule: RuleRow): Promise<Reading> {
  const column = queueColumn[rule.kind];
  if (!column) throw new Error(`${rule.kind} is not a queue kind`);
  const where =
    rule.scope_type === "queue"
      ? "q.account_id = $1 AND lower(q.name) = lower($2)"
      : rule.scope_type === "pattern"
        ? "q.account_id = $1 AND lower(q.name) LIKE $2"
        : "q.account_id = $1 AND $2::text IS NULL";
  const second =
    rule.scope_type === "queue"
      ? rule.scope_name
      : rule.scope_type === "pattern"
        ? likeOfGlob(rule.scope_name ?? "")
        : null;
  const { rows } = await db.query<{ value: number; name: string }>(
    `SELECT (${column})::float8 AS value, c.name FROM (${approximateCountsSql(where)}) c
      ORDER BY 1 DESC, c.name LIMIT 1`,
    [rule.account_id, second],
  );
  const row = rows[0];
  return row ? { value: Number(row.value), subject: row.name } : { value: null, subject: null };
}

/**
 * The readings of many single-queue rules of one kind in one statement (a pass reads up to hundreds;
 * a statement each cost ~3 ms a rule). Each rule finds its queue by the (account_id, lower(name))
 * index in a lateral join, as readQueueValue does one at a time; a rule whose queue is gone reads no
 * value. Reads kept counts only, locks nothing. Keyed by rule id.
 */
export async function readSingleQueueValues(
  db: Queryable,
  kind: AlarmKind,
  rules: readonly Pick<RuleRow, "id" | "account_id" | "scope_name">[],
): Promise<Map<string, Reading>> {
  const column = queueColumn[kind];
  if (!column) throw new Error(`${kind} is not a queue kind`);
  if (rules.length === 0) return new Map();
  const { rows } = await db.query<{ rule_id: string; value: number | null; name: string | null }>(
    `SELECT r.id::text AS rule_id, CASE WHEN c.name IS NOT NULL THEN (${column})::float8 END AS value, c.name
       FROM unnest($1::bigint[], $2::uuid[], $3::text[]) AS r(id, account_id, queue)
       LEFT JOIN LATERAL (${approximateCountsSql("q.account_id = r.account_id AND lower(q.name) = lower(r.queue)")}) c ON true`,
    [rules.map((r) => r.id), rules.map((r) => r.account_id), rules.map((r) => r.scope_name)],
  );
  return new Map(
    rows.map((row) => [
      row.rule_id,
      row.name === null ? { value: null, subject: null } : { value: Number(row.value), subject: row.name },
    ]),
  );
}

/**
 * Failed ÷ all HTTP pushes in the window, in %, from the per-minute counters (NumOfFailNotify,
 * NumOfNotify) of a topic, a subscription, or every topic of the account. Whole minutes: the window
 * starts at the minute `window_seconds` ago.
 */
export async function readPushFailureRate(db: Queryable, rule: RuleRow): Promise<Reading> {
  const resources =
    rule.scope_type === "topic"
      ? `SELECT 2 AS kind, t.id FROM topic t WHERE t.account_id = $1 AND lower(t.name) = lower($3) AND $4::text IS NULL`
      : rule.scope_type === "subscription"
        ? `SELECT 3 AS kind, s.id FROM subscription s JOIN topic t ON t.id = s.topic_id
            WHERE s.account_id = $1 AND lower(t.name) = lower($3) AND lower(s.name) = lower($4)`
        : `SELECT 2 AS kind, t.id FROM topic t WHERE t.account_id = $1 AND $3::text IS NULL AND $4::text IS NULL`;
  const { rows } = await db.query<{ failed: string | null; total: string | null }>(
    `WITH r AS (${resources})
     SELECT sum(m.num_of_fail_notify) AS failed, sum(m.num_of_notify) AS total
       FROM r JOIN metric_minute m ON m.resource_kind = r.kind AND m.resource_id = r.id
      WHERE m.at >= date_trunc('minute', now() - $2 * interval '1 second')`,
    [rule.account_id, rule.window_seconds, rule.scope_name, rule.scope_subscription],
  );
  return rateOf(rows[0]?.failed, rows[0]?.total, subjectOf(rule));
}

/** Failed ÷ all API calls of the account in the window, in % (both APIs, every action). */
export async function readApiErrorRate(db: Queryable, rule: RuleRow): Promise<Reading> {
  const { rows } = await db.query<{ failed: string | null; total: string | null }>(
    `SELECT sum(errors) AS failed, sum(requests) AS total FROM metric_api_minute
      WHERE account_id = $1 AND at >= date_trunc('minute', now() - $2 * interval '1 second')`,
    [rule.account_id, rule.window_seconds],
  );
  return rateOf(rows[0]?.failed, rows[0]?.total, "account");
}

function rateOf(failed: string | null | undefined, total: string | null | undefined, subject: string | null): Reading {
  const all = Number(total ?? 0);
  if (!(all > 0)) return { value: null, subject };
  return { value: (Number(failed ?? 0) / all) * 100, subject };
}

const subjectOf = (rule: RuleRow) =>
  rule.scope_type === "subscription"
    ? `${rule.scope_name}/${rule.scope_subscription}`
    : rule.scope_type === "account"
      ? "account"
      : rule.scope_name;

export type DatabaseReadings = Record<"dbDeadRows" | "dbOldestTransaction" | "dbConnectionUse", Reading>;

/**
 * The database-health signals alarms watch (the same sources as lib/services/database-health.ts):
 * dead rows of the message table, the oldest open transaction or prepared transaction holding the
 * xmin horizon (this statement's own session left out), client connections ÷ usable connections.
 * One statement, catalog and pg_stat views only. Installation-wide: read once per tick.
 */
export async function readDatabaseSignals(db: Queryable): Promise<DatabaseReadings> {
  const { rows } = await db.query<{
    dead_rows: string | null;
    oldest_seconds: number | null;
    oldest_label: string | null;
    used: string;
    usable: number;
  }>(
    `SELECT (SELECT n_dead_tup FROM pg_stat_all_tables WHERE relid = to_regclass('message')) AS dead_rows,
            h.age_seconds AS oldest_seconds, h.label AS oldest_label,
            (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS used,
            greatest(1, current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
              - coalesce(current_setting('reserved_connections', true)::int, 0)) AS usable
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT extract(epoch FROM now() - a.xact_start)::float8 AS age_seconds,
                'session ' || a.pid || coalesce(' (' || nullif(a.application_name, '') || ')', '') AS label
           FROM pg_stat_activity a
          WHERE a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
            AND (a.datname = current_database() OR a.datname IS NULL)
            AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
         UNION ALL
         SELECT extract(epoch FROM now() - p.prepared)::float8, 'prepared transaction ' || p.gid
           FROM pg_prepared_xacts p WHERE p.database = current_database()
         ORDER BY 1 DESC LIMIT 1
       ) h ON true`,
  );
  const row = rows[0];
  return {
    dbDeadRows: { value: row?.dead_rows === null || !row ? null : Number(row.dead_rows), subject: "message" },
    dbOldestTransaction: { value: row?.oldest_seconds ?? 0, subject: row?.oldest_label ?? null },
    dbConnectionUse: { value: row ? (Number(row.used) / row.usable) * 100 : null, subject: "database" },
  };
}

export type Transition = {
  ruleId: string;
  from: AlarmState;
  /** the state_since the decision was made on: the transition applies only if nobody moved it since */
  since: Date;
  to: AlarmState;
  value: number | null;
  subject: string | null;
  message: string;
  notify: boolean;
};

/**
 * One transition, one statement (so one transaction): the rule moves only from the state and
 * state_since it was read in (compare-and-set on the row, whose update lock serialises two
 * evaluators), and the event is written only if it moved. A second evaluator with the same reading
 * updates nothing and writes nothing: each transition is in the history exactly once. Returns the
 * event's id, or null when the rule had moved (or was deleted or disabled) meanwhile.
 */
export async function applyTransition(db: Queryable, t: Transition, requireEnabled = true): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>({
    name: "alarm_transition",
    text: `WITH moved AS (
             UPDATE alarm_rule SET state = $4, state_since = now(), last_value = $5, last_subject = $6, evaluated_at = now()
              WHERE id = $1 AND state = $2 AND state_since = $3 AND (enabled OR NOT $9)
             RETURNING id, account_id, name, threshold, webhook_url
           )
           INSERT INTO alarm_event (account_id, rule_id, rule_name, from_state, to_state, value, threshold, subject, message,
                                    notify_status, notify_next_at)
           SELECT account_id, id, name, $2, $4, $5, threshold, $6, $7,
                  CASE WHEN $8 AND webhook_url IS NOT NULL THEN 'pending' ELSE 'none' END,
                  CASE WHEN $8 AND webhook_url IS NOT NULL THEN now() END
             FROM moved
           RETURNING id::text`,
    values: [t.ruleId, t.from, t.since, t.to, t.value, t.subject, t.message, t.notify, requireEnabled],
  });
  return rows[0]?.id ?? null;
}

/** The readings of rules that did not move: last value and when, for the console. One statement. */
export async function recordReadings(
  db: Queryable,
  readings: Array<{ ruleId: string; value: number | null; subject: string | null }>,
): Promise<void> {
  if (readings.length === 0) return;
  await db.query({
    name: "alarm_readings",
    text: `UPDATE alarm_rule r SET last_value = v.value, last_subject = v.subject, evaluated_at = now()
             FROM unnest($1::bigint[], $2::float8[], $3::text[]) AS v(id, value, subject)
            WHERE r.id = v.id`,
    values: [readings.map((r) => r.ruleId), readings.map((r) => r.value), readings.map((r) => r.subject)],
  });
}

export type DueNotification = {
  event_id: string;
  attempt: number;
  account_id: string;
  rule_id: string | null;
  rule_name: string;
  kind: AlarmKind | null;
  scope_type: AlarmScopeType | null;
  scope_name: string | null;
  scope_subscription: string | null;
  threshold: number;
  for_seconds: number | null;
  window_seconds: number | null;
  webhook_url: string | null;
  secret_encrypted: string | null;
  /** the webhook's "alarm" object as the rule's deletion left it (null while the rule exists) */
  rule_copy: WebhookAlarm | null;
  at: Date;
  from_state: AlarmState;
  to_state: AlarmState;
  value: number | null;
  subject: string | null;
  message: string;
};

/**
 * Claims due webhook notifications: each claimed event's attempt number is taken and its next try
 * moved `leaseMs` ahead, so a claimer that dies leaves it due again later, never lost, and two
 * claimers never take the same row (SKIP LOCKED; the worker's advisory lock makes them rare).
 * Where to send and the signing key are the rule's own while it exists; once it is deleted, the
 * copies its deletion left on the event (lib/services/alarms.ts deleteAlarmRule).
 * notify_next_at keeps milliseconds, rounded: "now" set at 12.3456 is stored as 12.346, so it is
 * compared with now() rounded alike, or an event due now would wait a tick.
 */
export async function claimDueNotifications(
  db: Queryable,
  limit: number,
  leaseMs: number,
  accountIds?: readonly string[],
): Promise<DueNotification[]> {
  const { rows } = await db.query<DueNotification>(
    `WITH due AS (
       SELECT id FROM alarm_event
        WHERE notify_status = 'pending' AND notify_next_at <= now()::timestamptz(3) AND ($3::uuid[] IS NULL OR account_id = ANY ($3))
        ORDER BY notify_next_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE alarm_event e SET notify_attempts = e.notify_attempts + 1,
              notify_next_at = now() + $2 * interval '1 millisecond'
         FROM due WHERE e.id = due.id
       RETURNING e.*
     )
     SELECT c.id::text AS event_id, c.notify_attempts AS attempt, c.account_id, c.rule_id::text, c.rule_name,
            r.kind, r.scope_type, r.scope_name, r.scope_subscription, c.threshold, r.for_seconds, r.window_seconds,
            CASE WHEN r.id IS NULL THEN c.webhook_url ELSE r.webhook_url END AS webhook_url,
            CASE WHEN r.id IS NULL THEN c.secret_encrypted ELSE r.secret_encrypted END AS secret_encrypted,
            c.rule_copy, c.at, c.from_state, c.to_state, c.value, c.subject, c.message
       FROM claimed c LEFT JOIN alarm_rule r ON r.id = c.rule_id
      ORDER BY c.notify_next_at, c.id`,
    [limit, leaseMs, accountIds ?? null],
  );
  return rows;
}

export type NotificationAttempt = {
  eventId: string;
  attempt: number;
  url: string;
  httpStatus: number | null;
  error: string | null;
  latencyMs: number;
  /** delivered, failed (no more tries), or pending again after retryInMs */
  status: "delivered" | "failed" | "pending";
  retryInMs?: number;
};

/**
 * Records an attempt and the event's new delivery state, in one statement. A deleted rule's copied
 * secret is dropped once nothing more is to be sent.
 */
export async function recordNotificationAttempt(db: Queryable, a: NotificationAttempt): Promise<void> {
  await db.query(
    `WITH attempt AS (
       INSERT INTO alarm_attempt (event_id, attempt, url, http_status, error, latency_ms)
       VALUES ($1, $2, $3, $4, $5, $6)
     )
     UPDATE alarm_event SET notify_status = $7,
            notify_next_at = CASE WHEN $7 = 'pending' THEN now() + $8 * interval '1 millisecond' END,
            secret_encrypted = CASE WHEN $7 = 'pending' THEN secret_encrypted END
      WHERE id = $1`,
    [a.eventId, a.attempt, a.url, a.httpStatus, a.error, a.latencyMs, a.status, a.retryInMs ?? 0],
  );
}

/** A notification that cannot be sent (its rule, URL or secret is gone): failed, no attempt. */
export async function dropNotification(db: Queryable, eventId: string): Promise<void> {
  await db.query(
    "UPDATE alarm_event SET notify_status = 'failed', notify_next_at = NULL, secret_encrypted = NULL WHERE id = $1",
    [eventId],
  );
}
