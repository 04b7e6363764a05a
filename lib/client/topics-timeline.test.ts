import { describe, expect, it } from "vitest";
import {
  attemptRows,
  type Delivery,
  deliveryNote,
  deliverySummary,
  formatLatency,
  queueMessageHref,
  topicMessageHref,
} from "./topics-timeline";

const delivery = (change: Partial<Delivery>): Delivery => ({
  subscription: "s",
  protocol: "http",
  endpoint: "http://127.0.0.1:9/h",
  status: "pending",
  queueMessageId: null,
  attempts: [],
  nextAttemptAt: null,
  ...change,
});

const attempt = (n: number, httpStatus: number | null, error: string | null = null) => ({
  attempt: n,
  startedAt: `2026-11-30T10:00:0${n}.000Z`,
  latencyMs: 40 * n,
  httpStatus,
  error,
  nextAttemptAt: httpStatus === 200 ? null : `2026-11-30T10:00:1${n}.000Z`,
});

describe("deliverySummary", () => {
  it("counts each state in a fixed order", () => {
    const deliveries = [
      delivery({ status: "pending" }),
      delivery({ status: "delivered" }),
      delivery({ status: "failed" }),
      delivery({ status: "delivered" }),
    ];
    expect(deliverySummary(deliveries)).toBe("2 delivered · 1 pending · 1 failed");
    expect(deliverySummary([])).toBe("no subscription received it");
  });
});

describe("formatLatency", () => {
  it.each([
    [0, "0 ms"],
    [87.4, "87 ms"],
    [999, "999 ms"],
    [1234, "1.23 s"],
    [15_000, "15 s"],
    [15_050, "15.1 s"],
  ])("%d ms → %s", (ms, expected) => {
    expect(formatLatency(ms)).toBe(expected);
  });
});

describe("attemptRows", () => {
  it("orders attempts and reads each outcome", () => {
    const rows = attemptRows([attempt(2, 200), attempt(1, null, "connect ECONNREFUSED")]);
    expect(rows).toEqual([
      {
        attempt: 1,
        startedAt: "2026-11-30T10:00:01.000Z",
        latency: "40 ms",
        outcome: "no answer",
        isSuccess: false,
        error: "connect ECONNREFUSED",
        nextAttemptAt: "2026-11-30T10:00:11.000Z",
      },
      {
        attempt: 2,
        startedAt: "2026-11-30T10:00:02.000Z",
        latency: "80 ms",
        outcome: "HTTP 200",
        isSuccess: true,
        error: null,
        nextAttemptAt: null,
      },
    ]);
    expect(attemptRows([attempt(1, 503)])[0]).toMatchObject({ outcome: "HTTP 503", isSuccess: false });
    expect(attemptRows([attempt(1, 302)])[0]).toMatchObject({ outcome: "HTTP 302", isSuccess: false });
  });
});

describe("deliveryNote", () => {
  it("says where a queue's copy went", () => {
    const q = delivery({ protocol: "queue", endpoint: "orders-q", status: "delivered", queueMessageId: "123" });
    expect(deliveryNote(q)).toBe("Sent to queue orders-q as message 123, in the publish's transaction.");
    expect(deliveryNote({ ...q, status: "failed", queueMessageId: null })).toBe(
      "Not delivered: queue orders-q no longer exists.",
    );
    expect(deliveryNote({ ...q, endpoint: "" })).toBe(
      "Sent to the queue of a since-deleted subscription as message 123, in the publish's transaction.",
    );
  });

  it("says where an HTTP push stands", () => {
    expect(deliveryNote(delivery({ status: "pending" }))).toBe("Waiting for its first attempt.");
    expect(deliveryNote(delivery({ status: "pending", attempts: [attempt(1, 500)] }))).toBe(
      "Retrying after 1 attempt.",
    );
    expect(deliveryNote(delivery({ status: "delivered", attempts: [attempt(1, 500), attempt(2, 200)] }))).toBe(
      "Delivered on attempt 2.",
    );
    expect(deliveryNote(delivery({ status: "dropped", attempts: [attempt(1, 500), attempt(2, 500)] }))).toBe(
      "Dropped after 2 attempts: the retry strategy gave up.",
    );
  });
});

describe("links", () => {
  it("links to the queue's browser and the topic message page, encoded", () => {
    expect(queueMessageHref("orders q", "42")).toBe("/queues/orders%20q?message=42");
    expect(topicMessageHref("t/1", "7")).toBe("/topics/t%2F1/messages/7");
  });
});
