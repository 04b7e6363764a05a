import { describe, expect, it } from "vitest";
import { bodiesOf, emptyPublishForm, validatePublishForm, validateRouteTestForm } from "./topics-publish-form";

const tagTopic = { filterType: "tag" as const, maxMsgSize: 1024 };
const routingTopic = { filterType: "routing" as const, maxMsgSize: 1024 };

describe("bodiesOf", () => {
  it("is the whole text, or each non-blank line", () => {
    expect(bodiesOf({ body: "a\nb", mode: "one" })).toEqual(["a\nb"]);
    expect(bodiesOf({ body: "", mode: "one" })).toEqual([]);
    expect(bodiesOf({ body: "a\r\n\n  \nb", mode: "lines" })).toEqual(["a", "b"]);
  });
});

describe("validatePublishForm", () => {
  it("publishes one body with tags on a tag topic", () => {
    expect(validatePublishForm({ ...emptyPublishForm, body: "hi", tags: "eu, vip" }, tagTopic)).toEqual({
      ok: true,
      input: { messages: [{ body: "hi" }], tags: ["eu", "vip"] },
    });
  });

  it("publishes several lines with a routing key on a routing topic, ignoring the tags field", () => {
    const values = { body: "one\ntwo", mode: "lines" as const, tags: "ignored", routingKey: " order.eu " };
    expect(validatePublishForm(values, routingTopic)).toEqual({
      ok: true,
      input: { messages: [{ body: "one" }, { body: "two" }], routingKey: "order.eu" },
    });
  });

  it("leaves out an empty filter", () => {
    expect(validatePublishForm({ ...emptyPublishForm, body: "x" }, routingTopic)).toEqual({
      ok: true,
      input: { messages: [{ body: "x" }] },
    });
  });

  it("refuses no body, more than 16 lines and an oversize line, counting UTF-8 bytes", () => {
    expect(validatePublishForm(emptyPublishForm, tagTopic)).toEqual({
      ok: false,
      errors: { body: "Enter a message body." },
    });
    const many = { ...emptyPublishForm, mode: "lines" as const, body: Array(17).fill("x").join("\n") };
    expect(validatePublishForm(many, tagTopic)).toEqual({
      ok: false,
      errors: { body: "At most 16 messages at once; there are 17 lines." },
    });
    const big = { ...emptyPublishForm, mode: "lines" as const, body: `ok\n${"é".repeat(513)}` };
    expect(validatePublishForm(big, tagTopic)).toEqual({
      ok: false,
      errors: { body: "Line 2 is 1,026 bytes; this topic accepts at most 1,024." },
    });
  });

  it("reports body and filter problems together", () => {
    expect(validatePublishForm({ ...emptyPublishForm, tags: "a,b,c,d,e,f" }, tagTopic)).toEqual({
      ok: false,
      errors: { body: "Enter a message body.", tags: "At most 5 tags." },
    });
    expect(validatePublishForm({ ...emptyPublishForm, body: "x", routingKey: "a b" }, routingTopic)).toEqual({
      ok: false,
      errors: { routingKey: "“a b” contains a blank; words are separated by dots." },
    });
  });
});

describe("validateRouteTestForm", () => {
  it("takes the field of the topic's filter type", () => {
    expect(validateRouteTestForm({ tags: "a", routingKey: "x.y" }, "tag")).toEqual({
      ok: true,
      input: { tags: ["a"] },
    });
    expect(validateRouteTestForm({ tags: "a", routingKey: "x.y" }, "routing")).toEqual({
      ok: true,
      input: { routingKey: "x.y" },
    });
    expect(validateRouteTestForm({ tags: "", routingKey: "" }, "tag")).toEqual({ ok: true, input: {} });
    expect(validateRouteTestForm({ tags: "", routingKey: "k".repeat(65) }, "routing").ok).toBe(false);
  });
});
