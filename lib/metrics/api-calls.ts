// Per API action: requests, errors and latency, counted in memory by the two API adapters
// (lib/api/route.ts, lib/cmq/handler.ts) and flushed with the other counters (flush.ts). Keys are
// bounded: accounts are authenticated ones, actions are route patterns or CMQ's known action names.
import { singleton } from "@/lib/singleton";
import { bucketOf, emptyHistogram } from "./latency";
import { isCountingOn } from "./record";

export type ApiCallCounts = {
  accountId: string;
  action: string;
  requests: number;
  errors: number;
  latency: number[];
  latencySumMs: number;
};

const pending = () =>
  singleton<{ calls: Map<string, ApiCallCounts> }>("metrics.apiCalls", () => ({ calls: new Map() }));

/** Records one answered call. O(1) plus a binary search; no I/O. */
export function recordApiCall(accountId: string, action: string, isError: boolean, ms: number): void {
  if (!isCountingOn()) return;
  const calls = pending().calls;
  const key = `${accountId}\u0000${action}`;
  let entry = calls.get(key);
  if (!entry) {
    entry = { accountId, action, requests: 0, errors: 0, latency: emptyHistogram(), latencySumMs: 0 };
    calls.set(key, entry);
  }
  entry.requests++;
  entry.latencySumMs += ms;
  if (isError) entry.errors++;
  const bucket = bucketOf(ms);
  entry.latency[bucket] = (entry.latency[bucket] ?? 0) + 1;
}

/** Takes every call recorded since the last call (the flusher's side). */
export function takeApiCalls(): ApiCallCounts[] {
  const state = pending();
  const taken = state.calls;
  state.calls = new Map();
  return [...taken.values()];
}

/** Puts back calls a failed flush could not write (merged with what arrived meanwhile). */
export function returnApiCalls(calls: ApiCallCounts[]): void {
  for (const c of calls) {
    const map = pending().calls;
    const key = `${c.accountId}\u0000${c.action}`;
    const entry = map.get(key);
    if (!entry) map.set(key, c);
    else {
      entry.requests += c.requests;
      entry.errors += c.errors;
      entry.latencySumMs += c.latencySumMs;
      c.latency.forEach((n, i) => {
        entry.latency[i] = (entry.latency[i] ?? 0) + n;
      });
    }
  }
}

/**
 * The label of a REST call: its method and route pattern, the path with each segment that is a
 * route parameter replaced by `{name}` (so `/api/v1/queues/orders/messages` counts as
 * `POST /api/v1/queues/{name}/messages`, never one label per queue).
 */
export function restActionLabel(method: string, pathname: string, params: Record<string, string | string[]>): string {
  const byValue = new Map<string, string>();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string") byValue.set(value, key);
  }
  // A catch-all ([...path]) matched an unknown path: one label for all of them.
  if (Object.values(params).some(Array.isArray)) return `${method} (unknown path)`;
  const segments = pathname.split("/").map((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // left as it is
    }
    const key = byValue.get(decoded);
    return key ? `{${key}}` : segment;
  });
  return `${method} ${segments.join("/")}`;
}
