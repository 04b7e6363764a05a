import { singleton } from "@/lib/singleton";

// In-process long polling. A receive that finds nothing parks a waiter here and holds no database
// connection while it waits. Waiters are woken:
//  - at once by a send in this process (wakeReceivers), one waiter per message sent;
//  - by a send in another app process, announced through Postgres (cross-process-wake.ts);
//  - by a per-queue timer at the moment the next delayed or leased message becomes visible, or at
//    the latest after the re-check interval: 1 s where nothing announces other processes' sends
//    (tests, tools), 10 s as a safety net where announcements arrive. Only one waiter per queue
//    re-checks on that timer, so idle waiters cost at most one check per queue per interval,
//    however many there are.

const recheck = singleton("longPollRecheck", () => ({ ms: 1000 }));

/** Sets how often idle waiters re-check their queue (cross-process-wake lengthens it once it listens). */
export function setRecheckInterval(ms: number): void {
  recheck.ms = ms;
}

type Waiter = { wake: () => void };
type QueueWaiters = { waiters: Waiter[]; timer: NodeJS.Timeout | null; timerAt: number };

// Shared process-wide (see lib/singleton.ts): senders and receivers live in different routes.
const queues = singleton("waiters", () => new Map<string, QueueWaiters>());
// Sends seen per queue in this process: a receiver that read the counter before its empty attempt
// and sees it changed when it parks retries at once instead of missing the wake-up.
const sendCounters = singleton("sendCounters", () => new Map<string, number>());

export const sendCounter = (queueId: string): number => sendCounters.get(queueId) ?? 0;

/** Wakes up to `count` waiters of the queue, oldest first; each retries its receive. */
export function wakeReceivers(queueId: string, count: number): void {
  if (count > 0) sendCounters.set(queueId, (sendCounters.get(queueId) ?? 0) + 1);
  const entry = queues.get(queueId);
  if (!entry) return;
  for (let i = 0; i < count && entry.waiters.length > 0; i++) entry.waiters.shift()?.wake();
  cleanup(queueId, entry);
}

/** Tells the waiters of a queue that a message will become visible at `at` (a delayed send). */
export function scheduleWake(queueId: string, at: Date | null): void {
  const entry = queues.get(queueId);
  if (!entry) return;
  const target = Math.min(at ? at.getTime() : Number.POSITIVE_INFINITY, Date.now() + recheck.ms);
  if (entry.timer && entry.timerAt <= target) return;
  if (entry.timer) clearTimeout(entry.timer);
  entry.timerAt = target;
  entry.timer = setTimeout(
    () => {
      entry.timer = null;
      wakeReceivers(queueId, 1);
    },
    Math.max(0, target - Date.now()),
  );
  entry.timer.unref?.();
}

/**
 * Waits until woken or until `deadline` (epoch ms), or until `signal` aborts. `seenSendCounter` is
 * sendCounter() read before the empty receive; `nextVisibleAt` is when the queue's next invisible
 * message becomes visible. Resolves true when the caller should retry, false when the wait is over.
 */
export function waitForMessages(options: {
  queueId: string;
  deadline: number;
  seenSendCounter: number;
  nextVisibleAt: Date | null;
  signal?: AbortSignal;
}): Promise<boolean> {
  const { queueId, deadline, signal } = options;
  if (sendCounter(queueId) !== options.seenSendCounter) return Promise.resolve(true);
  if (signal?.aborted || Date.now() >= deadline) return Promise.resolve(false);
  return new Promise((resolve) => {
    let entry = queues.get(queueId);
    if (!entry) {
      entry = { waiters: [], timer: null, timerAt: 0 };
      queues.set(queueId, entry);
    }
    const current = entry;
    let settled = false;
    const finish = (woken: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      signal?.removeEventListener("abort", onAbort);
      const index = current.waiters.indexOf(waiter);
      if (index >= 0) current.waiters.splice(index, 1);
      cleanup(queueId, current);
      resolve(woken);
    };
    const waiter: Waiter = { wake: () => finish(true) };
    const onAbort = () => finish(false);
    const deadlineTimer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
    signal?.addEventListener("abort", onAbort);
    current.waiters.push(waiter);
    scheduleWake(queueId, options.nextVisibleAt);
  });
}

export function waiterCount(queueId?: string): number {
  if (queueId) return queues.get(queueId)?.waiters.length ?? 0;
  let n = 0;
  for (const entry of queues.values()) n += entry.waiters.length;
  return n;
}

function cleanup(queueId: string, entry: QueueWaiters) {
  if (entry.waiters.length > 0) return;
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = null;
  if (queues.get(queueId) === entry) queues.delete(queueId);
}
