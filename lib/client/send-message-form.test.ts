import { describe, expect, it } from "vitest";
import { emptySendMessageForm, parseTags, validateSendMessageForm } from "./send-message-form";

describe("parseTags", () => {
  it("splits on commas and drops blanks", () => {
    expect(parseTags(" a, b ,, c ")).toEqual(["a", "b", "c"]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("validateSendMessageForm", () => {
  const form = (change: Partial<typeof emptySendMessageForm>) => ({ ...emptySendMessageForm, ...change });

  it("builds the API input, leaving out defaults", () => {
    expect(validateSendMessageForm(form({ body: "hi" }), 1024)).toEqual({ ok: true, input: { body: "hi" } });
    expect(validateSendMessageForm(form({ body: "hi", delaySeconds: "30", tags: "x, y" }), 1024)).toEqual({
      ok: true,
      input: { body: "hi", delaySeconds: 30, tags: ["x", "y"] },
    });
  });

  it("rejects an empty body and one over the queue's limit, counting UTF-8 bytes", () => {
    expect(validateSendMessageForm(form({ body: "" }), 1024)).toEqual({
      ok: false,
      errors: { body: "Enter a message body." },
    });
    expect(validateSendMessageForm(form({ body: "é".repeat(513) }), 1024)).toEqual({
      ok: false,
      errors: { body: "The body is 1,026 bytes; this queue accepts at most 1,024." },
    });
  });

  it("checks the delay and the tags", () => {
    const bad = validateSendMessageForm(form({ body: "x", delaySeconds: "3601", tags: "a,b,c,d,e,f" }), 1024);
    expect(bad).toEqual({
      ok: false,
      errors: { delaySeconds: "Enter whole seconds from 0 to 3,600.", tags: "At most 5 tags." },
    });
    expect(validateSendMessageForm(form({ body: "x", delaySeconds: "-1" }), 1024).ok).toBe(false);
    expect(validateSendMessageForm(form({ body: "x", tags: "a".repeat(17) }), 1024)).toEqual({
      ok: false,
      errors: { tags: "Each tag has at most 16 characters." },
    });
    expect(validateSendMessageForm(form({ body: "x", delaySeconds: "3600" }), 1024).ok).toBe(true);
  });
});
