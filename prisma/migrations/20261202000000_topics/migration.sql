-- Topics (issue 11): publish once, fan out to queues in the publish's own transaction and to HTTP
-- endpoints through the push worker.

-- A topic. filter_type is CMQ's: 1 = tags (filterTag / msgTag), 2 = routing keys (bindingKey /
-- routingKey); fixed after creation. topic_key is CMQ's topicId ("topic-…"), the id the SDKs read.
CREATE TABLE "topic" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "name" TEXT NOT NULL,
  "topic_key" TEXT NOT NULL UNIQUE,
  "filter_type" SMALLINT NOT NULL CHECK ("filter_type" IN (1, 2)),
  "max_msg_size" INTEGER NOT NULL,
  "msg_retention_seconds" INTEGER NOT NULL DEFAULT 86400,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "topic_account_lower_name_key" ON "topic"("account_id", lower("name"));

-- A subscription: protocol 'queue' (endpoint = a queue name of the same account; queue_id the queue
-- it resolved to, NULL once that queue is deleted) or 'http' (endpoint = the URL POSTed to).
-- NO ACTION: a topic with subscriptions cannot be deleted on its own (CMQ 4000 (10540)); checked at the
-- end of the statement, so deleting an account deletes both.
CREATE TABLE "subscription" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "topic_id" BIGINT NOT NULL REFERENCES "topic"("id") ON DELETE NO ACTION ON UPDATE CASCADE,
  "name" TEXT NOT NULL,
  "subscription_key" TEXT NOT NULL UNIQUE,
  "protocol" TEXT NOT NULL CHECK ("protocol" IN ('queue', 'http')),
  "endpoint" TEXT NOT NULL,
  "queue_id" BIGINT REFERENCES "queue"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "notify_strategy" TEXT NOT NULL CHECK ("notify_strategy" IN ('BACKOFF_RETRY', 'EXPONENTIAL_DECAY_RETRY')),
  "notify_content_format" TEXT NOT NULL CHECK ("notify_content_format" IN ('JSON', 'SIMPLIFIED')),
  "filter_tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "binding_keys" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  -- http: the key of the signature header each push carries (sealed like API keys' SecretKeys).
  "push_secret_encrypted" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "subscription_topic_lower_name_key" ON "subscription"("topic_id", lower("name"));
CREATE INDEX "subscription_queue_idx" ON "subscription"("queue_id") WHERE "queue_id" IS NOT NULL;

-- One row per published message, kept msg_retention_seconds: the body HTTP pushes send, and the
-- delivery timeline. queue_deliveries records the publish's fan-out to queues, written in the same
-- transaction as those queues' rows: [{"subscriptionId": "<subscription.id>", "messageId": "<message.id>"}].
CREATE TABLE "topic_message" (
  "id" BIGSERIAL PRIMARY KEY,
  "topic_id" BIGINT NOT NULL REFERENCES "topic"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "body" TEXT NOT NULL,
  "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "routing_key" TEXT,
  "published_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "queue_deliveries" JSONB NOT NULL DEFAULT '[]'
);
-- The retention sweep drops the oldest first; the console lists a topic's recent messages.
CREATE INDEX "topic_message_topic_published_idx" ON "topic_message"("topic_id", "published_at", "id");

-- One row per (message, HTTP subscription) to push. The push worker claims due rows FOR UPDATE SKIP
-- LOCKED, moves next_attempt_at past the attempt's timeout in the claim (a crashed process's claim
-- comes back by itself), records the attempt, then sets status.
--   pending    waiting for next_attempt_at (or being attempted)
--   delivered  a 2xx arrived
--   dropped    the strategy's retries or the message's age ran out, or the subscription went away
CREATE TABLE "push_delivery" (
  "id" BIGSERIAL PRIMARY KEY,
  "topic_message_id" BIGINT NOT NULL REFERENCES "topic_message"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "subscription_id" BIGINT NOT NULL REFERENCES "subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'dropped')),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finished_at" TIMESTAMPTZ(6)
);
CREATE INDEX "push_delivery_due_idx" ON "push_delivery"("next_attempt_at", "id") WHERE "status" = 'pending';
CREATE INDEX "push_delivery_message_idx" ON "push_delivery"("topic_message_id");
CREATE INDEX "push_delivery_subscription_idx" ON "push_delivery"("subscription_id", "id");

-- Every push attempt: what was sent, what came back, how long it took, when the next try is.
CREATE TABLE "push_attempt" (
  "id" BIGSERIAL PRIMARY KEY,
  "delivery_id" BIGINT NOT NULL REFERENCES "push_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "attempt" INTEGER NOT NULL,
  "started_at" TIMESTAMPTZ(6) NOT NULL,
  "latency_ms" INTEGER NOT NULL,
  "http_status" INTEGER,
  "error" TEXT,
  "next_attempt_at" TIMESTAMPTZ(6)
);
CREATE INDEX "push_attempt_delivery_idx" ON "push_attempt"("delivery_id", "attempt");
