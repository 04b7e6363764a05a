import { describe, expect, it } from "vitest";
import type { Subscription } from "@/lib/schemas/topic";
import {
  changedSubscription,
  describeFilter,
  emptySubscriptionForm,
  subscriptionFormFrom,
  validateSubscriptionForm,
  withProtocol,
} from "./topics-subscription-form";

const subscription = (change: Partial<Subscription> = {}): Subscription => ({
  id: "1",
  subscriptionId: "sub-1",
  name: "hook",
  topic: "orders",
  protocol: "http",
  endpoint: "http://127.0.0.1:9000/hook",
  endpointExists: true,
  notifyStrategy: "BACKOFF_RETRY",
  notifyContentFormat: "JSON",
  filterTags: ["eu"],
  bindingKeys: [],
  pendingPushes: 0,
  createdAt: "2026-11-30T10:00:00.000Z",
  updatedAt: "2026-11-30T10:00:00.000Z",
  ...change,
});

describe("validateSubscriptionForm", () => {
  it("builds a queue subscription on a tag topic: SIMPLIFIED whatever the form says", () => {
    const values = { ...emptySubscriptionForm(), name: "to-q", endpoint: " q1 ", notifyContentFormat: "JSON" as const };
    expect(validateSubscriptionForm(values, "tag")).toEqual({
      ok: true,
      input: {
        name: "to-q",
        protocol: "queue",
        endpoint: "q1",
        notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
        notifyContentFormat: "SIMPLIFIED",
        filterTags: [],
      },
    });
  });

  it("builds an http subscription on a routing topic with its binding keys and format", () => {
    const values = {
      ...withProtocol({ ...emptySubscriptionForm(), name: "hook" }, "http"),
      endpoint: "https://example.com/x",
      bindingKeys: "order.*.paid, order.#",
    };
    expect(validateSubscriptionForm(values, "routing")).toEqual({
      ok: true,
      input: {
        name: "hook",
        protocol: "http",
        endpoint: "https://example.com/x",
        notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
        notifyContentFormat: "JSON",
        bindingKeys: ["order.*.paid", "order.#"],
      },
    });
  });

  it("refuses a bad name, a non-http URL and a routing subscription without binding keys", () => {
    const values = { ...withProtocol(emptySubscriptionForm(), "http"), name: "-x", endpoint: "ftp://h/x" };
    expect(validateSubscriptionForm(values, "routing")).toEqual({
      ok: false,
      errors: {
        name: "Start with a letter; use only letters, digits, '-' and '_' (at most 64 characters).",
        endpoint: "Enter a URL starting with http:// or https://.",
        bindingKeys: "Enter at least one binding key ('#' receives every message).",
      },
    });
  });

  it("checks the endpoint per protocol", () => {
    const queue = { ...emptySubscriptionForm(), name: "s" };
    expect(validateSubscriptionForm({ ...queue, endpoint: "" }, "tag")).toMatchObject({
      errors: { endpoint: "Choose a queue." },
    });
    expect(validateSubscriptionForm({ ...queue, endpoint: "no such/queue" }, "tag")).toMatchObject({
      errors: { endpoint: "Not a queue name: letters, digits, '-' and '_'." },
    });
    const http = withProtocol(queue, "http");
    expect(validateSubscriptionForm({ ...http, endpoint: "http://a b" }, "tag")).toMatchObject({
      errors: { endpoint: "A URL has no blanks." },
    });
    expect(validateSubscriptionForm({ ...http, endpoint: `http://h/${"p".repeat(500)}` }, "tag")).toMatchObject({
      errors: { endpoint: "At most 500 characters." },
    });
    expect(validateSubscriptionForm({ ...http, filterTags: "a,b,c,d,e,f", endpoint: "http://h" }, "tag")).toEqual({
      ok: false,
      errors: { filterTags: "At most 5 tags." },
    });
  });
});

describe("withProtocol", () => {
  it("sets the format the protocol takes", () => {
    const http = withProtocol(emptySubscriptionForm(), "http");
    expect(http.notifyContentFormat).toBe("JSON");
    expect(withProtocol(http, "queue").notifyContentFormat).toBe("SIMPLIFIED");
  });
});

describe("changedSubscription", () => {
  it("sends only what changed, and clearing filter tags as an empty list", () => {
    const current = subscription();
    const form = subscriptionFormFrom(current);
    const unchanged = validateSubscriptionForm(form, "tag");
    if (!unchanged.ok) throw new Error("expected a valid form");
    expect(changedSubscription(current, unchanged.input)).toEqual({});

    const edited = validateSubscriptionForm(
      { ...form, notifyStrategy: "EXPONENTIAL_DECAY_RETRY", notifyContentFormat: "SIMPLIFIED", filterTags: "" },
      "tag",
    );
    if (!edited.ok) throw new Error("expected a valid form");
    expect(changedSubscription(current, edited.input)).toEqual({
      notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
      notifyContentFormat: "SIMPLIFIED",
      filterTags: [],
    });
  });

  it("never sends a format for a queue subscription, and compares binding keys in order", () => {
    const current = subscription({
      protocol: "queue",
      endpoint: "q",
      notifyContentFormat: "SIMPLIFIED",
      filterTags: [],
      bindingKeys: ["a.*", "b.#"],
    });
    const edited = validateSubscriptionForm({ ...subscriptionFormFrom(current), bindingKeys: "b.#, a.*" }, "routing");
    if (!edited.ok) throw new Error("expected a valid form");
    expect(changedSubscription(current, edited.input)).toEqual({ bindingKeys: ["b.#", "a.*"] });
  });
});

describe("describeFilter", () => {
  it("says what an empty filter means per filter type", () => {
    expect(describeFilter({ filterTags: [], bindingKeys: [] }, "tag")).toEqual({
      items: [],
      note: "no filter tags: every message",
    });
    expect(describeFilter({ filterTags: ["a"], bindingKeys: [] }, "tag")).toEqual({
      items: ["a"],
      note: "any of these tags",
    });
    expect(describeFilter({ filterTags: [], bindingKeys: ["x.#"] }, "routing")).toEqual({
      items: ["x.#"],
      note: "any of these binding keys",
    });
    expect(describeFilter({ filterTags: [], bindingKeys: [] }, "routing").note).toBe("no binding key: nothing matches");
  });
});
