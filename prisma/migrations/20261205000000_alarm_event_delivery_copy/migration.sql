-- A deleted rule's webhooks still go out. Deleting a firing rule writes its final transition
-- (firing → ok, "Rule deleted.") in the delete's transaction, and copies onto that event and onto
-- every other event of the rule whose webhook is still to be sent what the notifier would otherwise
-- read from the rule row, which is gone once rule_id is cleared:
--   rule_copy         the webhook's "alarm" object as it was (id, name, kind, scope, threshold,
--                     forSeconds, windowSeconds), so the receiver can match it with the firing one;
--   webhook_url       where to send it;
--   secret_encrypted  the signing key, sealed exactly as on the rule (lib/auth/secret-box.ts, never
--                     plaintext), cleared once nothing more is to be sent (delivered or given up).
-- NULL on every event of a rule that still exists (the notifier reads the rule row then).

ALTER TABLE "alarm_event"
  ADD COLUMN "rule_copy" JSONB,
  ADD COLUMN "webhook_url" TEXT,
  ADD COLUMN "secret_encrypted" TEXT;
