-- Dead-letter queues, rewind and operator operations (purge, redrive, move) — issue 10.

-- A queue's dead-letter policy (CMQ's deadLetterPolicy). The DLQ is an ordinary queue of the same
-- account; NO ACTION keeps a bound DLQ from being deleted on its own (checked at the end of the statement, so deleting an account deletes both).
--   policy 0 (maxReceiveCount): the receive that would be the (max_receive_count + 1)-th moves the message
--   policy 1 (maxTimeToLive):   a message not deleted within max_time_to_live seconds of its enqueue moves
ALTER TABLE "queue"
  ADD COLUMN "dead_letter_queue_id" BIGINT REFERENCES "queue"("id") ON DELETE NO ACTION ON UPDATE CASCADE,
  ADD COLUMN "dead_letter_policy" SMALLINT,
  ADD COLUMN "max_receive_count" INTEGER,
  ADD COLUMN "max_time_to_live" INTEGER,
  ADD CONSTRAINT "queue_dead_letter_policy_check" CHECK (
    ("dead_letter_queue_id" IS NULL AND "dead_letter_policy" IS NULL
       AND "max_receive_count" IS NULL AND "max_time_to_live" IS NULL)
    OR ("dead_letter_queue_id" IS NOT NULL AND "dead_letter_queue_id" <> "id" AND (
         ("dead_letter_policy" = 0 AND "max_receive_count" IS NOT NULL)
      OR ("dead_letter_policy" = 1 AND "max_time_to_live" IS NOT NULL)))
  );
CREATE INDEX "queue_dead_letter_queue_idx" ON "queue"("dead_letter_queue_id") WHERE "dead_letter_queue_id" IS NOT NULL;

-- A message's life beyond one queue. All NULL (or 0) for a message that never moved, so the hot
-- path's rows grow only by the null bitmap. enqueued_at is kept when a message dies (as SQS does:
-- retention counts from the original send); a redrive sets enqueued_at = now() and keeps the first
-- send time in first_enqueued_at, so a redriven message cannot expire on arrival.
--   dead        dead_at IS NOT NULL (in whatever delivery state in the DLQ)
ALTER TABLE "message"
  ADD COLUMN "first_enqueued_at" TIMESTAMPTZ(6),
  ADD COLUMN "dead_from_queue_id" BIGINT,
  ADD COLUMN "dead_reason" TEXT,
  ADD COLUMN "dead_at" TIMESTAMPTZ(6),
  ADD COLUMN "dead_dequeue_count" INTEGER,
  ADD COLUMN "redrive_count" INTEGER NOT NULL DEFAULT 0;

-- Rewind: with rewind_seconds > 0 a delete moves the row here (same id) instead of dropping it, in
-- the delete's own statement. RewindQueue moves rows back into "message"; the history sweep drops
-- rows older than their queue's rewind window (all of them once rewind is turned off).
CREATE TABLE "message_history" (
  "id" BIGINT NOT NULL PRIMARY KEY,
  "queue_id" BIGINT NOT NULL REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "body" TEXT NOT NULL,
  "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "enqueued_at" TIMESTAMPTZ(6) NOT NULL,
  "first_dequeued_at" TIMESTAMPTZ(6),
  "dequeue_count" INTEGER NOT NULL DEFAULT 0,
  "deleted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "first_enqueued_at" TIMESTAMPTZ(6),
  "dead_from_queue_id" BIGINT,
  "dead_reason" TEXT,
  "dead_at" TIMESTAMPTZ(6),
  "dead_dequeue_count" INTEGER,
  "redrive_count" INTEGER NOT NULL DEFAULT 0
) WITH (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_insert_scale_factor = 0.05
);
-- Rewind picks (queue_id, enqueued_at >= t) in production order; the sweep drops the oldest first.
CREATE INDEX "message_history_rewind_idx" ON "message_history"("queue_id", "enqueued_at", "id");

ALTER TABLE "queue_stats"
  ADD COLUMN "dead" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "rewindable" BIGINT NOT NULL DEFAULT 0;

-- Long-running operator work on a queue's messages: purge, redrive, move, copy. Created with the
-- dry-run count and its audit row in one transaction; a worker then works through it in batches, each
-- batch its own short transaction that also advances "cursor" and "processed", so progress is exact
-- and a crash resumes where the last committed batch ended. max_message_id bounds the work to
-- messages that existed when it was requested.
CREATE TABLE "queue_operation" (
  "id" UUID NOT NULL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "queue_id" BIGINT NOT NULL REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "kind" TEXT NOT NULL,
  "filter" JSONB NOT NULL DEFAULT '{}',
  "target_queue_id" BIGINT REFERENCES "queue"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "status" TEXT NOT NULL DEFAULT 'pending',
  "total" BIGINT NOT NULL,
  "processed" BIGINT NOT NULL DEFAULT 0,
  "skipped" BIGINT NOT NULL DEFAULT 0,
  "rate_per_second" INTEGER,
  "max_message_id" BIGINT NOT NULL,
  "cursor" BIGINT NOT NULL DEFAULT 0,
  "error" TEXT,
  "actor_label" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "queue_operation_queue_idx" ON "queue_operation"("queue_id", "created_at" DESC);
CREATE INDEX "queue_operation_active_idx" ON "queue_operation"("created_at") WHERE "status" IN ('pending', 'running');
