import { describe, expect, it } from "vitest";
import { recordApiCall, restActionLabel, returnApiCalls, takeApiCalls } from "./api-calls";
import { bucketOf } from "./latency";
import { countMetric, returnPendingCounts, setCountingOn, takePendingCounts } from "./record";

describe("API call labels", () => {
  it("names a REST call by its method and route pattern, never by the resource", () => {
    expect(restActionLabel("POST", "/api/v1/queues/orders/messages", { name: "orders" })).toBe(
      "POST /api/v1/queues/{name}/messages",
    );
    expect(restActionLabel("GET", "/api/v1/queues/a%20b/operations/7", { name: "a b", id: "7" })).toBe(
      "GET /api/v1/queues/{name}/operations/{id}",
    );
    expect(restActionLabel("GET", "/api/v1/queues", {})).toBe("GET /api/v1/queues");
    // A catch-all matched an unknown path: one label for every such path (bounded).
    expect(restActionLabel("GET", "/api/v1/anything/at/all", { path: ["anything", "at", "all"] })).toBe(
      "GET (unknown path)",
    );
  });
});

describe("in-memory counts", () => {
  it("takes what was recorded once, and a failed flush puts it back added to what came meanwhile", () => {
    takeApiCalls();
    recordApiCall("acct-1", "SendMessage", false, 2);
    recordApiCall("acct-1", "SendMessage", true, 40);
    const taken = takeApiCalls();
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({
      accountId: "acct-1",
      action: "SendMessage",
      requests: 2,
      errors: 1,
      latencySumMs: 42,
    });
    expect(taken[0]?.latency[bucketOf(2)]).toBe(1);
    expect(takeApiCalls()).toEqual([]);
    recordApiCall("acct-1", "SendMessage", false, 2);
    returnApiCalls(taken);
    expect(takeApiCalls()[0]).toMatchObject({ requests: 3, errors: 1, latencySumMs: 44 });

    takePendingCounts();
    countMetric("queue", 7n, "SendMsgNum", 3);
    countMetric("queue", 7n, "SendMsgNum", 2);
    countMetric("queue", 8n, "DelMsgNum", 0); // nothing to count
    const counts = takePendingCounts();
    expect(counts).toEqual([{ kind: "queue", id: 7n, name: "SendMsgNum", n: 5 }]);
    countMetric("queue", 7n, "SendMsgNum", 1);
    returnPendingCounts(counts);
    expect(takePendingCounts()).toEqual([{ kind: "queue", id: 7n, name: "SendMsgNum", n: 6 }]);
  });

  it("counts nothing with OPENCMQ_METRICS=off", () => {
    takePendingCounts();
    takeApiCalls();
    setCountingOn(false);
    try {
      countMetric("queue", 7n, "SendMsgNum", 3);
      recordApiCall("acct-1", "SendMessage", false, 2);
      expect(takePendingCounts()).toEqual([]);
      expect(takeApiCalls()).toEqual([]);
    } finally {
      setCountingOn(true);
    }
  });
});
