-- Alarms (issue 12 items 5 and 6): rules on the metrics the installation keeps, their state, the
-- history of their transitions, and every webhook attempt. Evaluated by the `alarms` worker
-- (lib/workers/alarms.ts, advisory lock 727109); a transition is one transaction that moves the
-- rule's state only from the state it was read in (compare-and-set) and writes its event, so it is
-- written exactly once whichever process evaluates.

CREATE TABLE "alarm_rule" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  -- queue | topic | subscription | pattern | account; names, matched case-insensitively as names are
  "scope_type" TEXT NOT NULL,
  "scope_name" TEXT,
  "scope_subscription" TEXT,
  "threshold" DOUBLE PRECISION NOT NULL,
  "for_seconds" INTEGER NOT NULL DEFAULT 0,
  "window_seconds" INTEGER NOT NULL DEFAULT 300,
  "webhook_url" TEXT,
  -- the webhook signature's key, sealed (lib/auth/secret-box.ts)
  "secret_encrypted" TEXT,
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  -- ok | pending | firing
  "state" TEXT NOT NULL DEFAULT 'ok',
  "state_since" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_value" DOUBLE PRECISION,
  "last_subject" TEXT,
  "evaluated_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "alarm_rule_account_name_key" ON "alarm_rule"("account_id", lower("name"));

-- One row per transition. rule_id is cleared when the rule is deleted; its name stays for the history.
CREATE TABLE "alarm_event" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE,
  "rule_id" BIGINT REFERENCES "alarm_rule"("id") ON DELETE SET NULL,
  "rule_name" TEXT NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "from_state" TEXT NOT NULL,
  "to_state" TEXT NOT NULL,
  "value" DOUBLE PRECISION,
  "threshold" DOUBLE PRECISION NOT NULL,
  "subject" TEXT,
  "message" TEXT NOT NULL,
  -- the webhook: none (no URL, or not a fire/resolve) | pending | delivered | failed
  "notify_status" TEXT NOT NULL DEFAULT 'none',
  "notify_attempts" INTEGER NOT NULL DEFAULT 0,
  "notify_next_at" TIMESTAMPTZ(3)
);
CREATE INDEX "alarm_event_account_at_idx" ON "alarm_event"("account_id", "at" DESC, "id" DESC);
CREATE INDEX "alarm_event_rule_idx" ON "alarm_event"("rule_id");
CREATE INDEX "alarm_event_notify_due_idx" ON "alarm_event"("notify_next_at") WHERE "notify_status" = 'pending';

CREATE TABLE "alarm_attempt" (
  "id" BIGSERIAL PRIMARY KEY,
  "event_id" BIGINT NOT NULL REFERENCES "alarm_event"("id") ON DELETE CASCADE,
  "attempt" INTEGER NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "url" TEXT NOT NULL,
  "http_status" INTEGER,
  "error" TEXT,
  "latency_ms" INTEGER NOT NULL
);
CREATE INDEX "alarm_attempt_event_idx" ON "alarm_attempt"("event_id", "attempt");
