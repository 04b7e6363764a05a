-- Team access: roles and resource policies per user, narrowed API keys, login throttling, audit log.

ALTER TABLE "app_user"
  ADD COLUMN "failed_logins" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "locked_until" TIMESTAMPTZ(3),
  ADD COLUMN "last_login_at" TIMESTAMPTZ(3),
  ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_role_check" CHECK ("role" IN ('owner', 'admin', 'developer', 'readonly'));

-- API keys may carry fewer permissions than their user; an empty list means all of the user's.
ALTER TABLE "api_key" ADD COLUMN "permissions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
CREATE INDEX "api_key_user_id_idx" ON "api_key"("user_id");

-- Allow / deny statements over permission patterns and resource name patterns; deny wins.
CREATE TABLE "policy_statement" (
  "id" UUID NOT NULL PRIMARY KEY,
  "account_id" UUID NOT NULL REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "effect" TEXT NOT NULL CHECK ("effect" IN ('allow', 'deny')),
  "actions" TEXT[] NOT NULL,
  "resources" TEXT[] NOT NULL,
  "position" INTEGER NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "policy_statement_user_id_idx" ON "policy_statement"("user_id");

-- Every change made through the console, the APIs or the CLI, and every login attempt.
CREATE TABLE "audit_event" (
  "id" BIGSERIAL NOT NULL PRIMARY KEY,
  "account_id" UUID REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "actor_type" TEXT NOT NULL,
  "actor_id" TEXT,
  "actor_label" TEXT NOT NULL,
  "via" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "resource_type" TEXT NOT NULL,
  "resource_name" TEXT,
  "outcome" TEXT NOT NULL,
  "ip" TEXT,
  "user_agent" TEXT,
  "details" JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX "audit_event_account_at_idx" ON "audit_event"("account_id", "at" DESC, "id" DESC);
