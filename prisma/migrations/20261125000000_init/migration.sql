-- Accounts, users, API keys.
CREATE TABLE "account" (
  "id" UUID NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "app_user" (
  "id" UUID NOT NULL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "password_hash" TEXT NOT NULL,
  "role" TEXT NOT NULL DEFAULT 'owner',
  "is_disabled" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");
CREATE INDEX "app_user_account_id_idx" ON "app_user"("account_id");

CREATE TABLE "api_key" (
  "id" UUID NOT NULL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "secret_id" TEXT NOT NULL,
  "secret_key_encrypted" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "is_disabled" BOOLEAN NOT NULL DEFAULT false,
  "last_used_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "api_key_secret_id_key" ON "api_key"("secret_id");
CREATE INDEX "api_key_account_id_idx" ON "api_key"("account_id");

-- Queues. Names are unique per account case-insensitively (CMQ error 4460).
CREATE TABLE "queue" (
  "id" BIGSERIAL NOT NULL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "name" TEXT NOT NULL,
  "visibility_timeout" INTEGER NOT NULL,
  "polling_wait_seconds" INTEGER NOT NULL,
  "max_msg_size" INTEGER NOT NULL,
  "msg_retention_seconds" INTEGER NOT NULL,
  "max_msg_heap_num" BIGINT NOT NULL,
  "rewind_seconds" INTEGER NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "queue_account_id_idx" ON "queue"("account_id");
CREATE UNIQUE INDEX "queue_account_lower_name_key" ON "queue"("account_id", lower("name"));

CREATE TABLE "queue_stats" (
  "queue_id" BIGINT NOT NULL PRIMARY KEY REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "total" BIGINT NOT NULL,
  "visible" BIGINT NOT NULL,
  "in_flight" BIGINT NOT NULL,
  "delayed" BIGINT NOT NULL,
  "oldest_enqueued_at" TIMESTAMPTZ(3),
  "computed_at" TIMESTAMPTZ(3) NOT NULL
);

-- The hot table: only live messages (delayed, visible, in flight). A row's state is derived:
--   visible   visible_at <= now()
--   in flight visible_at >  now() AND dequeue_count > 0
--   delayed   visible_at >  now() AND dequeue_count = 0
-- Constant receive/delete churn leaves dead tuples at the head of the dequeue index, so
-- autovacuum runs on this table far more eagerly than the defaults (reference/performance.md §2).
CREATE TABLE "message" (
  "id" BIGSERIAL NOT NULL PRIMARY KEY,
  "queue_id" BIGINT NOT NULL REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "body" TEXT NOT NULL,
  "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "enqueued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "visible_at" TIMESTAMPTZ(6) NOT NULL,
  "first_dequeued_at" TIMESTAMPTZ(6),
  "dequeue_count" INTEGER NOT NULL DEFAULT 0,
  "receipt" UUID
) WITH (
  fillfactor = 90,
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.05,
  autovacuum_vacuum_cost_delay = 0
);
-- Matches the dequeue query exactly: equality on queue_id, then ORDER BY visible_at, id.
CREATE INDEX "message_dequeue_idx" ON "message"("queue_id", "visible_at", "id");
