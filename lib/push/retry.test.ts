import { describe, expect, it } from "vitest";
import { decideRetry, isExpired, retryDelayMs } from "./retry";

const day = 86_400;
const base = { unitMs: 1000, publishedAtMs: 0, retentionSeconds: day, nowMs: 0, random: () => 0.5 };

describe("retry strategies", () => {
  it("BACKOFF_RETRY: 3 retries, each after a random 10–20 s, then dropped", () => {
    expect(retryDelayMs("BACKOFF_RETRY", 1, 1000, () => 0)).toBe(10_000);
    expect(retryDelayMs("BACKOFF_RETRY", 1, 1000, () => 0.999_999)).toBe(20_000);
    expect(retryDelayMs("BACKOFF_RETRY", 2, 1000, () => 0.25)).toBe(12_500);
    const decisions = [1, 2, 3, 4].map((attempts) => decideRetry({ ...base, strategy: "BACKOFF_RETRY", attempts }));
    expect(decisions).toEqual([
      { retry: true, delayMs: 15_000 },
      { retry: true, delayMs: 15_000 },
      { retry: true, delayMs: 15_000 },
      { retry: false, reason: "BACKOFF_RETRY: 3 retries failed" },
    ]);
  });

  it("EXPONENTIAL_DECAY_RETRY: 1, 2, 4 … 512 s, then 512 s, 176 retries at most", () => {
    const delays = Array.from({ length: 176 }, (_, i) =>
      retryDelayMs("EXPONENTIAL_DECAY_RETRY", i + 1, 1000, Math.random),
    );
    expect(delays.slice(0, 11).map((ms) => ms / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512]);
    expect(delays.every((ms) => ms <= 512_000)).toBe(true);
    // The whole schedule fits in about a day: CMQ's "176 retries ≈ 1 day".
    const total = delays.reduce((sum, ms) => sum + ms, 0) / 1000;
    expect(total).toBe(1023 + 166 * 512);
    expect(total).toBeLessThan(day);
    const strategy = "EXPONENTIAL_DECAY_RETRY" as const;
    expect(decideRetry({ ...base, strategy, attempts: 176 })).toEqual({ retry: true, delayMs: 512_000 });
    expect(decideRetry({ ...base, strategy, attempts: 177 })).toEqual({
      retry: false,
      reason: "EXPONENTIAL_DECAY_RETRY: 176 retries failed",
    });
  });

  it("never schedules a retry past the message's retention", () => {
    const strategy = "EXPONENTIAL_DECAY_RETRY" as const;
    // 10 attempts made; the next waits 512 s; the message has 500 s left.
    const late = { ...base, strategy, attempts: 10, nowMs: (day - 500) * 1000 };
    expect(decideRetry(late)).toEqual({
      retry: false,
      reason: "the message's retention (86400 s) ends before the next retry",
    });
    expect(decideRetry({ ...late, nowMs: (day - 512) * 1000 })).toEqual({ retry: true, delayMs: 512_000 });
    expect(isExpired(0, day, day * 1000)).toBe(false);
    expect(isExpired(0, day, day * 1000 + 1)).toBe(true);
  });

  it("the unit shortens every interval alike (tests run the same schedule in milliseconds)", () => {
    expect(retryDelayMs("EXPONENTIAL_DECAY_RETRY", 4, 10, Math.random)).toBe(80);
    expect(retryDelayMs("BACKOFF_RETRY", 1, 10, () => 0.5)).toBe(150);
  });
});
