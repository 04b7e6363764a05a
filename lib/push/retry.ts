import type { notifyStrategies } from "@/lib/schemas/topic";

// What happens after a failed push attempt, per the subscription's notifyStrategy (reference/
// cmq-api.md §4). Pure: the worker passes the clock, the message's age limit and the randomness.
//
//   BACKOFF_RETRY            3 retries, each after a random 10–20 s (CMQ's overview page; its API page
//                            says 19–29 s), then the message is dropped for this subscription.
//   EXPONENTIAL_DECAY_RETRY  retry k waits 2^(k-1) s, capped at 512 s, for at most 176 retries (≈ one
//                            day, the topic's message lifetime), and never past the message's retention.
//
// "s" is `unitMs` milliseconds: 1000 in production (OPENCMQ_PUSH_RETRY_UNIT_MS), a few in tests.

export type NotifyStrategy = (typeof notifyStrategies)[number];

export const backoffRetries = 3;
export const backoffMinUnits = 10;
export const backoffMaxUnits = 20;
export const exponentialRetries = 176;
export const exponentialCapUnits = 512;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export type RetryInput = {
  strategy: NotifyStrategy;
  /** attempts made so far, including the one that just failed (1 after the first) */
  attempts: number;
  unitMs: number;
  /** the message's publish time and how long it may be delivered, and the time now (one clock) */
  publishedAtMs: number;
  retentionSeconds: number;
  nowMs: number;
  /** a number in [0, 1) */
  random: () => number;
};

/** The delay before retry number `retry` (1-based), before the message-age bound. */
export function retryDelayMs(strategy: NotifyStrategy, retry: number, unitMs: number, random: () => number): number {
  if (strategy === "BACKOFF_RETRY") {
    return Math.round((backoffMinUnits + random() * (backoffMaxUnits - backoffMinUnits)) * unitMs);
  }
  return Math.min(2 ** (retry - 1), exponentialCapUnits) * unitMs;
}

/** Retry (after how long) or drop (why) after a failed attempt. */
export function decideRetry(input: RetryInput): RetryDecision {
  const retry = input.attempts; // the next attempt is retry number `attempts`
  const limit = input.strategy === "BACKOFF_RETRY" ? backoffRetries : exponentialRetries;
  if (retry > limit) return { retry: false, reason: `${input.strategy}: ${limit} retries failed` };
  const delayMs = retryDelayMs(input.strategy, retry, input.unitMs, input.random);
  const expiresAtMs = input.publishedAtMs + input.retentionSeconds * 1000;
  if (input.nowMs + delayMs > expiresAtMs) {
    return { retry: false, reason: `the message's retention (${input.retentionSeconds} s) ends before the next retry` };
  }
  return { retry: true, delayMs };
}

/** Whether the message may still be delivered at `nowMs` (checked before each attempt). */
export function isExpired(publishedAtMs: number, retentionSeconds: number, nowMs: number): boolean {
  return nowMs > publishedAtMs + retentionSeconds * 1000;
}
