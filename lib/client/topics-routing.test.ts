import { describe, expect, it } from "vitest";
import type { RouteTestResult } from "@/lib/schemas/topic";
import { routeTestRows, routeTestSummary } from "./topics-routing";

const match = (change: Partial<RouteTestResult["matches"][number]>): RouteTestResult["matches"][number] => ({
  subscription: "s",
  protocol: "queue",
  endpoint: "q",
  matched: false,
  reason: "",
  matchedBy: null,
  ...change,
});

const result: RouteTestResult = {
  matches: [
    match({
      subscription: "audit",
      endpoint: "audit-q",
      reason: "binding key 'order.eu.*' does not match 'order.us.paid'",
    }),
    match({
      subscription: "hook",
      protocol: "http",
      endpoint: "http://127.0.0.1:9/h",
      matched: true,
      reason: "binding key 'order.#' matches 'order.us.paid'",
      matchedBy: "order.#",
    }),
    match({
      subscription: "all",
      endpoint: "all-q",
      matched: true,
      reason: "binding key '#' matches everything",
      matchedBy: "#",
    }),
  ],
};

describe("routeTestRows", () => {
  it("puts receivers first, keeps the server's order within each group, and reads as sentences", () => {
    expect(routeTestRows(result)).toEqual([
      {
        subscription: "hook",
        target: "http://127.0.0.1:9/h",
        protocol: "http",
        isMatched: true,
        verdict: "Yes",
        tone: "green",
        reason: "Binding key 'order.#' matches 'order.us.paid'",
        matchedBy: "order.#",
      },
      {
        subscription: "all",
        target: "queue all-q",
        protocol: "queue",
        isMatched: true,
        verdict: "Yes",
        tone: "green",
        reason: "Binding key '#' matches everything",
        matchedBy: "#",
      },
      {
        subscription: "audit",
        target: "queue audit-q",
        protocol: "queue",
        isMatched: false,
        verdict: "No",
        tone: "neutral",
        reason: "Binding key 'order.eu.*' does not match 'order.us.paid'",
        matchedBy: null,
      },
    ]);
  });

  it("is empty for a topic without subscriptions", () => {
    expect(routeTestRows({ matches: [] })).toEqual([]);
  });
});

describe("routeTestSummary", () => {
  const rows = routeTestRows(result);

  it("counts the receivers and names the input", () => {
    expect(routeTestSummary(rows, { routingKey: "order.us.paid" })).toBe(
      "2 of 3 subscriptions would receive a message with routing key “order.us.paid”.",
    );
    expect(routeTestSummary(rows.slice(0, 1), { tags: ["eu"] })).toBe(
      "1 of 1 subscription would receive a message with tag “eu”.",
    );
  });

  it("says when nobody or nothing would receive it", () => {
    expect(routeTestSummary(rows.slice(2), { tags: ["a", "b"] })).toBe(
      "No subscription would receive a message with tags “a”, “b”: a publish would be refused as delivered nowhere.",
    );
    expect(routeTestSummary([], {})).toBe(
      "This topic has no subscriptions: a message with no tags and no routing key would reach nobody.",
    );
  });
});
