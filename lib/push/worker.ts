import type pg from "pg";
import { open } from "@/lib/auth/secret-box";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";
import { countMetric } from "@/lib/metrics/record";
import type { AddressPolicy } from "./address-guard";
import { buildPushPayload } from "./payload";
import { decideRetry, isExpired } from "./retry";
import { createPushAgents, type PushOutcome, sendPush } from "./send";
import { type AttemptRecord, type ClaimedPush, claimDuePushes, msUntilNextDue, recordPushAttempt } from "./store";
import { onPushWake } from "./wake";

// The HTTP push worker: one per app process, no advisory lock (the claim statement coordinates the
// processes; lib/push/store.ts). It claims due deliveries when woken (a publish in this process),
// when a push of its own finishes (a slot is free), when one of its retries or the next pending row
// comes due, and every pollMs otherwise. At most `concurrency` pushes are in flight in the process
// and at most `perSubscription` for one subscription, so an endpoint that never answers holds only
// its own few slots until its timeouts, and every other subscription keeps being served.

export type PushWorkerOptions = {
  concurrency: number;
  perSubscription: number;
  timeoutMs: number;
  pollMs: number;
  retryUnitMs: number;
  policy: AddressPolicy;
  /** How long past the timeout a claim stays the claimer's (then the row is due again); default max(1 s, timeout). */
  leaseGraceMs?: number;
  random?: () => number;
  db?: Pick<pg.Pool, "query">;
  /** Serve only these subscriptions (tests and the probe share a database with other work). */
  subscriptionIds?: readonly string[];
};

export type PushWorker = {
  /** Look for due pushes now. */
  wake(): void;
  /** Claims nothing more, waits for the pushes in flight to be recorded. */
  stop(): Promise<void>;
  inFlight(): number;
};

/** How long after a row's due time the idle worker looks for it. */
const nextDueMarginMs = 5;

export function startPushWorker(options: PushWorkerOptions): PushWorker {
  const db = options.db ?? getPool();
  const random = options.random ?? Math.random;
  const leaseMs = options.timeoutMs + (options.leaseGraceMs ?? Math.max(1000, options.timeoutMs));
  const agents = createPushAgents(options.concurrency);
  const busy = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  let claiming: Promise<void> | undefined;
  let claimAgain = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let wakeQueued = false;

  /** Sets the timer to fire in `ms` unless it already fires sooner. */
  const wakeIn = (ms: number) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (timer && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      wake();
    }, ms);
    timer.unref?.();
  };

  const wake = () => {
    if (stopped) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = claimRounds().finally(() => {
      claiming = undefined;
    });
  };

  /** Several pushes finishing in one turn of the event loop make one claim, not one each. */
  const wakeSoon = () => {
    if (wakeQueued) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      wake();
    });
  };

  const claimRounds = async () => {
    do {
      claimAgain = false;
      const free = options.concurrency - running.size;
      if (free <= 0) break; // a finishing push wakes the worker
      let claimed: ClaimedPush[];
      try {
        claimed = await claimDuePushes(db, {
          limit: free,
          perSubscription: options.perSubscription,
          busy,
          leaseMs,
          subscriptionIds: options.subscriptionIds,
        });
      } catch (error) {
        logger.warn({ err: error }, "push claim failed; retrying at the next poll");
        break;
      }
      for (const push of claimed) launch(push);
      if (claimed.length === free) {
        claimAgain = true; // more may be due
      } else if (claimed.length === 0 && !claimAgain) {
        // Idle: sleep until the next pending row is due (a retry, or a lease another process let
        // lapse), at most pollMs. Due rows that could not be claimed wait for this process's busy
        // slots (a finishing push wakes it) or are being claimed by another process.
        const ms = await msUntilNextDue(db, options.subscriptionIds).catch(() => null);
        // A few ms past the due time: a timer that fired a fraction of a millisecond before the
        // database's now() reached it would find nothing due, and then nothing but the poll (pollMs,
        // a minute in tests) would look again.
        if (ms !== null && ms > 0) wakeIn(Math.min(Math.ceil(ms) + nextDueMarginMs, options.pollMs));
      }
    } while (claimAgain && !stopped);
    wakeIn(options.pollMs);
  };

  const launch = (push: ClaimedPush) => {
    busy.set(push.subscriptionId, (busy.get(push.subscriptionId) ?? 0) + 1);
    const attempt = deliver(push)
      .catch((error) => logger.warn({ err: error, deliveryId: push.deliveryId }, "push attempt not recorded"))
      .finally(() => {
        const left = (busy.get(push.subscriptionId) ?? 1) - 1;
        if (left > 0) busy.set(push.subscriptionId, left);
        else busy.delete(push.subscriptionId);
        running.delete(attempt);
        wakeSoon();
      });
    running.add(attempt);
  };

  /** One attempt of one claimed delivery, and its record. */
  const deliver = async (push: ClaimedPush) => {
    // Retry times and the message's age are judged on the database's clock (the claim's now()).
    const localAtClaim = Date.now();
    const dbNowMs = () => push.claimedAt.getTime() + (Date.now() - localAtClaim);
    const publishedAtMs = push.publishedAt.getTime();
    const startedAt = new Date();
    const base = { deliveryId: push.deliveryId, attempt: push.attempt, startedAt };
    if (isExpired(publishedAtMs, push.retentionSeconds, dbNowMs())) {
      await recordPushAttempt(db, {
        ...base,
        latencyMs: 0,
        httpStatus: null,
        error: `dropped: the message is older than its topic's retention (${push.retentionSeconds} s)`,
        outcome: { status: "dropped" },
      });
      return;
    }
    const outcome = await attemptPush(push, Math.floor(dbNowMs() / 1000));
    const isSuccess = outcome.error === null;
    for (const [kind, id] of [
      ["subscription", push.subscriptionId],
      ["topic", push.topicId],
    ] as const) {
      countMetric(kind, BigInt(id), "NumOfNotify");
      countMetric(kind, BigInt(id), isSuccess ? "NumOfSuccNotify" : "NumOfFailNotify");
    }
    const attempt = { ...base, latencyMs: outcome.latencyMs, httpStatus: outcome.httpStatus };
    let record: AttemptRecord;
    if (isSuccess) record = { ...attempt, error: null, outcome: { status: "delivered" } };
    else {
      const decision = decideRetry({
        strategy: push.notifyStrategy,
        attempts: push.attempt,
        unitMs: options.retryUnitMs,
        publishedAtMs,
        retentionSeconds: push.retentionSeconds,
        nowMs: dbNowMs(),
        random,
      });
      record = decision.retry
        ? { ...attempt, error: outcome.error, outcome: { status: "pending", retryDelayMs: decision.delayMs } }
        : { ...attempt, error: `${outcome.error}; dropped: ${decision.reason}`, outcome: { status: "dropped" } };
    }
    const isRecorded = await recordPushAttempt(db, record);
    if (isRecorded && record.outcome.status === "pending") wakeIn(record.outcome.retryDelayMs);
  };

  const attemptPush = async (push: ClaimedPush, nowSeconds: number): Promise<PushOutcome> => {
    let secret: string | null = null;
    if (push.pushSecretEncrypted !== null) {
      try {
        secret = open(push.pushSecretEncrypted);
      } catch {
        // Never send unsigned what should be signed: a failed attempt, retried per the strategy.
        return {
          httpStatus: null,
          error: "the push secret cannot be opened (was OPENCMQ_MASTER_KEY changed?)",
          latencyMs: 0,
        };
      }
    }
    const payload = buildPushPayload({
      accountId: push.accountId,
      topicName: push.topicName,
      subscriptionName: push.subscriptionName,
      messageId: push.messageId,
      body: push.body,
      tags: push.tags,
      publishedAt: push.publishedAt,
      format: push.notifyContentFormat,
      requestId: `${push.deliveryId}-${push.attempt}`,
      secret,
      nowSeconds,
    });
    return sendPush(push.endpoint, payload, { timeoutMs: options.timeoutMs, policy: options.policy, agents });
  };

  const unsubscribe = onPushWake(wake);
  wake();
  return {
    wake,
    inFlight: () => running.size,
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await claiming;
      await Promise.all([...running]);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
