// The one way code on the hot path records an event for monitoring: a counter bumped in memory, never
// a statement. The metrics work (issue 12) drains these counts and flushes them in bulk; nothing here
// touches the database.
import { singleton } from "@/lib/singleton";

/** Counters, named as CMQ's Cloud Monitor names them where it has a name (reference/cmq-api.md §8). */
export type CounterName =
  // queues
  | "SendMsgNum"
  | "RecvMsgNum"
  | "RecvNullMsgNum"
  | "DelMsgNum"
  // topics (resource: the topic) and subscriptions (resource: the subscription)
  | "NumOfMsgPublished"
  | "NumOfNotify"
  | "NumOfSuccNotify"
  | "NumOfFailNotify";

export type MetricResourceKind = "queue" | "topic" | "subscription";

type PendingCounts = Map<string, number>;

const pending = () => singleton<{ counts: PendingCounts }>("metrics.pending", () => ({ counts: new Map() }));

/** Adds `n` to a counter of one queue, topic or subscription (by its database id). O(1), no I/O. */
export function countMetric(kind: MetricResourceKind, id: bigint, name: CounterName, n = 1): void {
  if (n === 0) return;
  const key = `${kind}:${id}:${name}`;
  const counts = pending().counts;
  counts.set(key, (counts.get(key) ?? 0) + n);
}

export type PendingCount = { kind: MetricResourceKind; id: bigint; name: CounterName; n: number };

/** Takes every count recorded since the last call (the flusher's side). */
export function takePendingCounts(): PendingCount[] {
  const state = pending();
  const taken = state.counts;
  state.counts = new Map();
  return [...taken].map(([key, n]) => {
    const [kind, id = "0", name] = key.split(":");
    return { kind: kind as MetricResourceKind, id: BigInt(id), name: name as CounterName, n };
  });
}
