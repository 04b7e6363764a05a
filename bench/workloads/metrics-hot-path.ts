import { recordApiCall, restActionLabel, takeApiCalls } from "@/lib/metrics/api-calls";
import { countMetric, isCountingOn, setCountingOn, takePendingCounts } from "@/lib/metrics/record";
import { median } from "../loop";

// What counting adds to one request when metrics are on, timed directly in this process: the work
// lib/api/route.ts and the message service do per REST call of W9's op — a counter bump for the
// queue, the action label, the per-action call record with its latency bucket, and the two clock
// reads around the call. The flusher's drain runs every 5,000 calls (one a second at 5,000 req/s) so
// the maps stay as small as they are in the server. The database side of metrics (the 5 s flush) is
// in the side-by-side cells' PostgreSQL figures.

export type HotPathCost = { nsPerRequest: number; requests: number; rounds: number };

const accountId = "6d1f5a8e-2f8b-4c61-9a51-0b7a3c1e2d4f";
const paths = [
  "/api/v1/queues/b-w9-on-1/messages",
  "/api/v1/queues/b-w9-on-1/receive",
  "/api/v1/queues/b-w9-on-1/delete",
];
const counters = ["SendMsgNum", "RecvMsgNum", "DelMsgNum"] as const;

function oneRound(requests: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const k = i % 3;
    countMetric("queue", BigInt(1000 + (i % 7)), counters[k] as (typeof counters)[number], 16);
    const label = restActionLabel("POST", paths[k] as string, { name: "b-w9-on-1" });
    recordApiCall(accountId, label, false, performance.now() - t0 + 2.5);
    if (i % 5000 === 4999) {
      takePendingCounts();
      takeApiCalls();
    }
  }
  return Number(process.hrtime.bigint() - started) / requests;
}

/** Nanoseconds per request of the counting work (median of `rounds` rounds, after one to warm up). */
export function measureHotPath(requests = 200_000, rounds = 5): HotPathCost {
  const wasOn = isCountingOn();
  setCountingOn(true);
  try {
    oneRound(requests);
    const ns = Array.from({ length: rounds }, () => oneRound(requests));
    return { nsPerRequest: median(ns), requests, rounds };
  } finally {
    takePendingCounts();
    takeApiCalls();
    setCountingOn(wasOn);
  }
}
