import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RECHECK_MS, sendCounter, setRecheckInterval, waiterCount, waitForMessages, wakeReceivers } from "./long-poll";

// The waiter registry on its own, on fake timers: what a wait leaves behind when it ends.

beforeEach(() => {
  vi.useFakeTimers();
  setRecheckInterval(RECHECK_MS.safetyNet);
});
afterEach(() => {
  vi.useRealTimers();
  setRecheckInterval(RECHECK_MS.unannounced);
});

const queueId = () => `unit-${randomUUID()}`;

function wait(id: string, options: { signal?: AbortSignal; waitMs?: number; nextVisibleInMs?: number | null } = {}) {
  return waitForMessages({
    queueId: id,
    deadline: performance.now() + (options.waitMs ?? 20_000),
    seenSendCounter: sendCounter(id),
    nextVisibleInMs: options.nextVisibleInMs ?? null,
    signal: options.signal,
  });
}

/** What a promise has settled to by now, or "pending". */
const settled = <T>(promise: Promise<T>) => Promise.race([promise, Promise.resolve("pending" as const)]);

describe("long-poll waiters", () => {
  it("an aborted wait ends at once and leaves no waiter and no timer behind", async () => {
    const id = queueId();
    const controller = new AbortController();
    const waiting = wait(id, { signal: controller.signal });
    expect(waiterCount(id)).toBe(1);
    expect(vi.getTimerCount()).toBe(2); // its deadline, and the queue's re-check
    controller.abort();
    expect(await settled(waiting)).toBe(false);
    expect(waiterCount(id)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an aborted waiter is not woken in place of the one behind it", async () => {
    const id = queueId();
    const controller = new AbortController();
    const first = wait(id, { signal: controller.signal });
    const second = wait(id);
    controller.abort();
    expect(await settled(first)).toBe(false);
    wakeReceivers(id, 1);
    expect(await settled(second)).toBe(true);
    expect(waiterCount(id)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a wait already aborted, or past its deadline, does not park", async () => {
    const id = queueId();
    expect(await wait(id, { signal: AbortSignal.abort() })).toBe(false);
    expect(await wait(id, { waitMs: 0 })).toBe(false);
    expect(waiterCount(id)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a wait that reaches its deadline ends false and clears the queue's timer", async () => {
    const id = queueId();
    const waiting = wait(id, { waitMs: 3000 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(await settled(waiting)).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(false);
    expect(waiterCount(id)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the queue's timer wakes one waiter when the next message becomes visible, not before", async () => {
    const id = queueId();
    const first = wait(id, { nextVisibleInMs: 500 });
    const second = wait(id, { nextVisibleInMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    expect([await settled(first), await settled(second)]).toEqual(["pending", "pending"]);
    await vi.advanceTimersByTimeAsync(1);
    expect([await settled(first), await settled(second)]).toEqual([true, "pending"]);
    wakeReceivers(id, 1);
    expect(await settled(second)).toBe(true);
  });

  it("a send between the empty receive and parking makes the caller retry at once", async () => {
    const id = queueId();
    const seen = sendCounter(id);
    wakeReceivers(id, 1); // the send, before the receiver parks
    const retry = waitForMessages({
      queueId: id,
      deadline: performance.now() + 20_000,
      seenSendCounter: seen,
      nextVisibleInMs: null,
    });
    expect(await settled(retry)).toBe(true);
    expect(waiterCount(id)).toBe(0);
  });
});
