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
//
// Clocks: every time here is relative. The receive statement answers "next message visible in N ms"
// by the database's clock, and timers run on this process's monotonic clock, so a skew between
// the app's and the database's wall clocks cannot make a waiter spin or oversleep.

/** The idle re-check interval: where nothing announces other processes' sends, and as a safety net where it does. */
export const RECHECK_MS = { unannounced: 1000, safetyNet: 10_000 } as const;

const recheck = singleton("longPollRecheck", () => ({ ms: RECHECK_MS.unannounced as number }));

/**
 * The shortest pause before a timer re-check. A queue whose visible message another transaction
 * holds locked answers "visible now" until that transaction ends; re-checking it no faster than
 * this keeps such a waiter from spinning.
 */
export const MIN_RECHECK_MS = 50;

/** Sets how often idle waiters re-check their queue (cross-process-wake lengthens it once it listens). */
export function setRecheckInterval(ms: number): void {
  recheck.ms = ms;
}

/** The current idle re-check interval (tests, diagnostics). */
export const recheckInterval = (): number => recheck.ms;

type Waiter = { wake: () => void };
type QueueWaiters = { waiters: Waiter[]; timer: NodeJS.Timeout | null; timerAt: number };

// Shared process-wide (see lib/singleton.ts): senders and receivers live in different routes.
const queues = singleton("waiters", () => new Map<string, QueueWaiters>());

// Sends seen per queue in this process: a receiver that read the queue's mark before its empty
// attempt and sees it changed when it parks retries at once instead of missing the wake-up. Marks
// come from one process-wide sequence, so a queue's mark never returns to an earlier value: an
// entry may be dropped at any time (at worst a receiver retries once more). That keeps the map
// bounded although queues come and go (DESIGN.md invariant 10).
const MAX_SEND_MARKS = 10_000;
const sendMarks = singleton("sendMarks", () => ({ sequence: 0, byQueue: new Map<string, number>() }));

export const sendCounter = (queueId: string): number => sendMarks.byQueue.get(queueId) ?? 0;

function markSend(queueId: string) {
  const marks = sendMarks.byQueue;
  marks.delete(queueId); // re-inserted last: the Map's order is then least recently sent first
  marks.set(queueId, ++sendMarks.sequence);
  if (marks.size > MAX_SEND_MARKS) {
    const oldest = marks.keys().next().value;
    if (oldest !== undefined) marks.delete(oldest);
  }
}

/** The number of queues whose sends this process remembers (bounded by MAX_SEND_MARKS). */
export const sendMarkCount = () => sendMarks.byQueue.size;

/** Wakes up to `count` waiters of the queue, oldest first; each retries its receive. */
export function wakeReceivers(queueId: string, count: number): void {
  if (count > 0) markSend(queueId);
  const entry = queues.get(queueId);
  if (!entry) return;
  for (let i = 0; i < count && entry.waiters.length > 0; i++) entry.waiters.shift()?.wake();
  cleanup(queueId, entry);
}

/**
 * Tells the waiters of a queue that a message becomes visible in `inMs` milliseconds (null: no
 * message pending; <= 0: one is visible but locked). One waiter re-checks then, or after the
 * re-check interval, whichever comes first; an earlier timer already set stands (the waiter it
 * wakes re-checks and sets the next one).
 */
export function scheduleWake(queueId: string, inMs: number | null): void {
  const entry = queues.get(queueId);
  if (!entry) return;
  // +1: the figure is cut to whole milliseconds here and by the timer; never wake a hair early.
  const delay = inMs === null ? recheck.ms : Math.min(Math.max(Math.ceil(inMs) + 1, MIN_RECHECK_MS), recheck.ms);
  const target = performance.now() + delay;
  if (entry.timer && entry.timerAt <= target) return;
  if (entry.timer) clearTimeout(entry.timer);
  entry.timerAt = target;
  entry.timer = setTimeout(() => {
    entry.timer = null;
    // Wakes one waiter, who re-checks and arms the next timer (see messages.ts receiveMessages).
    wakeOne(queueId, entry);
  }, delay);
  entry.timer.unref?.();
}

function wakeOne(queueId: string, entry: QueueWaiters) {
  entry.waiters.shift()?.wake();
  cleanup(queueId, entry);
}

/**
 * Waits until woken or until `deadline` (performance.now() ms), or until `signal` aborts.
 * `seenSendCounter` is sendCounter() read before the empty receive; `nextVisibleInMs` is that
 * receive's answer. Resolves true when the caller should retry, false when the wait is over.
 */
export function waitForMessages(options: {
  queueId: string;
  deadline: number;
  seenSendCounter: number;
  nextVisibleInMs: number | null;
  signal?: AbortSignal;
}): Promise<boolean> {
  const { queueId, deadline, signal } = options;
  if (sendCounter(queueId) !== options.seenSendCounter) return Promise.resolve(true);
  if (signal?.aborted || performance.now() >= deadline) return Promise.resolve(false);
  return new Promise((resolve) => {
    let entry = queues.get(queueId);
    if (!entry) {
      entry = { waiters: [], timer: null, timerAt: 0 };
      queues.set(queueId, entry);
      firstWaiterHook.fn?.(queueId);
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
    const deadlineTimer = setTimeout(() => finish(false), Math.max(0, deadline - performance.now()));
    signal?.addEventListener("abort", onAbort);
    current.waiters.push(waiter);
    scheduleWake(queueId, options.nextVisibleInMs);
  });
}

/**
 * Called when a queue gets its first waiter in this process (cross-process-wake.ts tells the other
 * processes, so that they announce their sends to it). One hook; null removes it.
 */
const firstWaiterHook = singleton("firstWaiterHook", () => ({ fn: null as ((queueId: string) => void) | null }));
export function onFirstWaiter(fn: ((queueId: string) => void) | null): void {
  firstWaiterHook.fn = fn;
}

/** The queues that have waiters in this process now. */
export const waitedQueueIds = (): string[] => [...queues.keys()];

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
