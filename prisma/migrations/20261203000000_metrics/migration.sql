-- Monitoring (issue 12): per-minute series, hourly roll-ups and cumulative counters. Written in bulk
-- by each app process's metrics flush (one statement every few seconds, lib/store/metrics.ts), by the
-- gauge sampler and by the roll-up worker; never by a request. Plain SQL, no Prisma models.
-- resource_kind: 1 queue, 2 topic, 3 subscription (ids of those tables; no foreign key, as the three
-- share the table; rows of a deleted resource stay part of its account's history until retention).

-- Per resource and minute: counters (summed over every process's flushes) and gauges (the sampler's
-- value that minute; NULL in a minute the sampler ran = nothing there, i.e. 0 — a minute the sampler
-- did not run is a gap, see metric_tick).
CREATE TABLE "metric_minute" (
  "resource_kind" SMALLINT NOT NULL,
  "resource_id" BIGINT NOT NULL,
  "at" TIMESTAMPTZ(0) NOT NULL,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "send_msg_num" BIGINT NOT NULL DEFAULT 0,
  "recv_msg_num" BIGINT NOT NULL DEFAULT 0,
  "recv_null_msg_num" BIGINT NOT NULL DEFAULT 0,
  "del_msg_num" BIGINT NOT NULL DEFAULT 0,
  "num_of_msg_published" BIGINT NOT NULL DEFAULT 0,
  "num_of_notify" BIGINT NOT NULL DEFAULT 0,
  "num_of_succ_notify" BIGINT NOT NULL DEFAULT 0,
  "num_of_fail_notify" BIGINT NOT NULL DEFAULT 0,
  "visible_msg_num" BIGINT,
  "invisible_msg_num" BIGINT,
  "delayed_msg_num" BIGINT,
  "rewind_msg_num" BIGINT,
  "dead_msg_num" BIGINT,
  "msg_heap_num" BIGINT,
  "oldest_msg_age_seconds" BIGINT,
  PRIMARY KEY ("resource_kind", "resource_id", "at")
);
CREATE INDEX "metric_minute_account_idx" ON "metric_minute" ("account_id", "at");

-- The same per hour (counters summed, gauges the hour's last sample), kept OPENCMQ_METRICS_RETENTION_DAYS.
CREATE TABLE "metric_hour" (LIKE "metric_minute" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY ("resource_kind", "resource_id", "at"));
ALTER TABLE "metric_hour" ADD FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE;
CREATE INDEX "metric_hour_account_idx" ON "metric_hour" ("account_id", "at");

-- API calls per account, action and minute: requests, errors and a latency histogram (counts per
-- bucket of lib/metrics/latency.ts; buckets add up across processes and minutes).
CREATE TABLE "metric_api_minute" (
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "action" TEXT NOT NULL,
  "at" TIMESTAMPTZ(0) NOT NULL,
  "requests" BIGINT NOT NULL DEFAULT 0,
  "errors" BIGINT NOT NULL DEFAULT 0,
  "latency" BIGINT[] NOT NULL,
  PRIMARY KEY ("account_id", "at", "action")
);
CREATE TABLE "metric_api_hour" (LIKE "metric_api_minute" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY ("account_id", "at", "action"));
ALTER TABLE "metric_api_hour" ADD FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE;

-- Minutes in which the gauge sampler ran: a minute without a row is a gap (no process was sampling),
-- a minute with one and no metric row means zero.
CREATE TABLE "metric_tick" ("at" TIMESTAMPTZ(0) NOT NULL PRIMARY KEY);

-- Cumulative counters per resource since it was first counted (Prometheus `_total`), and for queues
-- the send/receive/delete totals at the stats worker's last recount (counted_*): the approximate
-- counts of a large queue move on from its recount by what was counted since.
CREATE TABLE "metric_total" (
  "resource_kind" SMALLINT NOT NULL,
  "resource_id" BIGINT NOT NULL,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "send_msg_num" BIGINT NOT NULL DEFAULT 0,
  "recv_msg_num" BIGINT NOT NULL DEFAULT 0,
  "recv_null_msg_num" BIGINT NOT NULL DEFAULT 0,
  "del_msg_num" BIGINT NOT NULL DEFAULT 0,
  "num_of_msg_published" BIGINT NOT NULL DEFAULT 0,
  "num_of_notify" BIGINT NOT NULL DEFAULT 0,
  "num_of_succ_notify" BIGINT NOT NULL DEFAULT 0,
  "num_of_fail_notify" BIGINT NOT NULL DEFAULT 0,
  "counted_send" BIGINT NOT NULL DEFAULT 0,
  "counted_recv" BIGINT NOT NULL DEFAULT 0,
  "counted_del" BIGINT NOT NULL DEFAULT 0,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("resource_kind", "resource_id")
);
CREATE INDEX "metric_total_account_idx" ON "metric_total" ("account_id");

-- Cumulative API calls per account and action (Prometheus `_total` and the latency histogram).
CREATE TABLE "api_total" (
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "action" TEXT NOT NULL,
  "requests" BIGINT NOT NULL DEFAULT 0,
  "errors" BIGINT NOT NULL DEFAULT 0,
  "latency" BIGINT[] NOT NULL,
  "latency_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY ("account_id", "action")
);

-- Latency histograms add bucket by bucket (processes' flushes, minutes into hours, ranges into steps).
CREATE FUNCTION "metric_add_buckets"(a BIGINT[], b BIGINT[]) RETURNS BIGINT[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
    ELSE ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i) ORDER BY i) END
$$;
CREATE AGGREGATE "metric_sum_buckets"(BIGINT[]) (SFUNC = "metric_add_buckets", STYPE = BIGINT[]);
