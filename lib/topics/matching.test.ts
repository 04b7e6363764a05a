import { describe, expect, it } from "vitest";
import {
  explainMatch,
  matchBindingKey,
  matchingSubscriptions,
  matchTags,
  routingKeyProblem,
  wordsOf,
} from "./matching";

describe("tag matching", () => {
  it("an empty filter receives everything, tagged or not", () => {
    expect(matchTags([], [])).toBe(true);
    expect(matchTags([], ["a"])).toBe(true);
  });

  it("a filter receives messages whose tags intersect it, and never a tag-less message", () => {
    expect(matchTags(["a", "b"], ["b"])).toBe(true);
    expect(matchTags(["a"], ["x", "y", "a"])).toBe(true);
    expect(matchTags(["a"], ["x"])).toBe(false);
    expect(matchTags(["a"], [])).toBe(false);
  });

  it("compares tags exactly (case and whitespace count)", () => {
    expect(matchTags(["Apple"], ["apple"])).toBe(false);
    expect(matchTags(["a"], ["a "])).toBe(false);
  });
});

describe("routing keys: the docs' examples under both readings of #", () => {
  const readings = ["zeroOrMore", "oneOrMore"] as const;
  it.each(readings)("%s: 1.*.0 ~ 1.x.0, 1.#.0 ~ 1.2.3.4.4.2.2.0, # alone ~ everything non-empty", (reading) => {
    expect(matchBindingKey("1.*.0", "1.x.0", reading)).toBe(true);
    expect(matchBindingKey("1.#.0", "1.2.3.4.4.2.2.0", reading)).toBe(true);
    for (const key of ["a", "a.b", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16"]) {
      expect(matchBindingKey("#", key, reading)).toBe(true);
    }
  });

  it("the readings differ only where # stands for no word; the service uses zero-or-more (RabbitMQ)", () => {
    expect(matchBindingKey("1.#.0", "1.0", "zeroOrMore")).toBe(true);
    expect(matchBindingKey("1.#.0", "1.0", "oneOrMore")).toBe(false);
    expect(matchBindingKey("a.#", "a", "zeroOrMore")).toBe(true);
    expect(matchBindingKey("a.#", "a", "oneOrMore")).toBe(false);
    expect(matchBindingKey("#", "", "zeroOrMore")).toBe(true);
    expect(matchBindingKey("#", "", "oneOrMore")).toBe(false);
    // The default is zero-or-more.
    expect(matchBindingKey("a.#", "a")).toBe(true);
  });
});

describe("routing keys: * and # edges", () => {
  it("* is exactly one word", () => {
    expect(matchBindingKey("1.*.0", "1.0")).toBe(false);
    expect(matchBindingKey("1.*.0", "1.x.y.0")).toBe(false);
    expect(matchBindingKey("*", "a")).toBe(true);
    expect(matchBindingKey("*", "a.b")).toBe(false);
    expect(matchBindingKey("*", "")).toBe(false);
    expect(matchBindingKey("*.*", "a.b")).toBe(true);
  });

  it("# anywhere, several #, # beside *", () => {
    expect(matchBindingKey("#.0", "1.2.0")).toBe(true);
    expect(matchBindingKey("#.0", "1.2.1")).toBe(false);
    expect(matchBindingKey("a.#.b.#.c", "a.b.c")).toBe(true);
    expect(matchBindingKey("a.#.b.#.c", "a.x.b.y.z.c")).toBe(true);
    expect(matchBindingKey("a.#.b.#.c", "a.x.y.c")).toBe(false);
    expect(matchBindingKey("#.*", "a")).toBe(true);
    expect(matchBindingKey("#.*", "")).toBe(false);
    expect(matchBindingKey("*.#.*", "a")).toBe(false);
    expect(matchBindingKey("*.#.*", "a.b")).toBe(true);
    expect(matchBindingKey("#.#", "")).toBe(true);
  });

  it("literal words compare exactly; * or # inside a word is literal", () => {
    expect(matchBindingKey("order.created", "order.created")).toBe(true);
    expect(matchBindingKey("order.created", "order.Created")).toBe(false);
    expect(matchBindingKey("order.created", "order.created.eu")).toBe(false);
    expect(matchBindingKey("a*", "ab")).toBe(false);
    expect(matchBindingKey("a*", "a*")).toBe(true);
    expect(matchBindingKey("a#", "a.b")).toBe(false);
  });

  it("stays cheap on the worst keys (16 words of # against 16 words)", () => {
    const binding = Array(16).fill("#").join(".");
    const routing = Array(16).fill("x").join(".");
    const started = performance.now();
    for (let i = 0; i < 2_000; i++) matchBindingKey(binding, routing);
    expect(matchBindingKey(`${Array(15).fill("#").join(".")}.y`, routing)).toBe(false);
    // 2,000 worst-case matches: well under a second even on a busy machine (each is ≤ 17 × 17 cells;
    // the figures per publish are bench/topic-probe.ts's).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("key rules", () => {
  it("words of the empty key are none", () => {
    expect(wordsOf("")).toEqual([]);
    expect(wordsOf("a.b")).toEqual(["a", "b"]);
  });

  it("refuses > 64 bytes, > 15 dots and empty words; accepts the limits", () => {
    expect(routingKeyProblem("a".repeat(64), "routing key")).toBeNull();
    expect(routingKeyProblem("a".repeat(65), "routing key")).toMatch(/64 bytes/);
    expect(routingKeyProblem("é".repeat(33), "binding key")).toMatch(/64 bytes/);
    expect(routingKeyProblem(Array(16).fill("a").join("."), "routing key")).toBeNull();
    expect(routingKeyProblem(Array(17).fill("a").join("."), "routing key")).toMatch(/15 dots/);
    expect(routingKeyProblem("a..b", "binding key")).toMatch(/empty words/);
    expect(routingKeyProblem(".a", "binding key")).toMatch(/empty words/);
    expect(routingKeyProblem("", "routing key")).toBeNull();
  });
});

describe("explainMatch (the routing tester)", () => {
  it("tags: says why and by which tag", () => {
    expect(explainMatch("tag", { filterTags: [], bindingKeys: [] }, { tags: [], routingKey: null })).toEqual({
      matched: true,
      reason: "no filter tags: receives every message",
      matchedBy: null,
    });
    expect(explainMatch("tag", { filterTags: ["a", "b"], bindingKeys: [] }, { tags: ["b"], routingKey: null })).toEqual(
      { matched: true, reason: "tag 'b' is in both", matchedBy: "b" },
    );
    expect(explainMatch("tag", { filterTags: ["a"], bindingKeys: [] }, { tags: [], routingKey: null })).toMatchObject({
      matched: false,
      matchedBy: null,
    });
    expect(explainMatch("tag", { filterTags: ["a"], bindingKeys: [] }, { tags: ["c"], routingKey: null })).toEqual({
      matched: false,
      reason: "no tag of the message is among the filter tags",
      matchedBy: null,
    });
  });

  it("routing: names the binding key that matched; ignores tags", () => {
    const sub = { filterTags: ["ignored"], bindingKeys: ["x.y", "order.*"] };
    expect(explainMatch("routing", sub, { tags: [], routingKey: "order.paid" })).toEqual({
      matched: true,
      reason: "binding key 'order.*' matches routing key 'order.paid'",
      matchedBy: "order.*",
    });
    expect(explainMatch("routing", sub, { tags: ["ignored"], routingKey: "invoice.paid" })).toEqual({
      matched: false,
      reason: "no binding key matches routing key 'invoice.paid'",
      matchedBy: null,
    });
  });

  it("matchingSubscriptions agrees with explainMatch", () => {
    const subs = [
      { name: "all", filterTags: [], bindingKeys: ["#"] },
      { name: "a", filterTags: ["a"], bindingKeys: ["a.*"] },
      { name: "b", filterTags: ["b"], bindingKeys: ["b.#"] },
    ];
    const messages = [
      { tags: ["a"], routingKey: "a.x" },
      { tags: [], routingKey: "b" },
      { tags: ["b", "a"], routingKey: "" },
    ];
    for (const type of ["tag", "routing"] as const) {
      for (const m of messages) {
        expect(matchingSubscriptions(type, subs, m).map((s) => s.name)).toEqual(
          subs.filter((s) => explainMatch(type, s, m).matched).map((s) => s.name),
        );
      }
    }
    expect(matchingSubscriptions("routing", subs, { tags: [], routingKey: "b" }).map((s) => s.name)).toEqual([
      "all",
      "b",
    ]);
  });
});
