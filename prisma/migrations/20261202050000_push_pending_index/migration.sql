-- The push worker's claim (lib/push/store.ts) takes turns between subscriptions: a loose index scan
-- lists the subscriptions with pending pushes (one probe each), then a range scan per subscription
-- finds its due rows in order. So a subscription with a deep backlog (a dead endpoint) costs one
-- probe per claim, not a walk through its rows. Also answers a subscription's pending count.
CREATE INDEX "push_delivery_pending_idx" ON "push_delivery"("subscription_id", "next_attempt_at", "id")
  WHERE "status" = 'pending';
