import { describe, expect, it } from "vitest";
import {
  deadLetterFormOf,
  describeDeadLetterRule,
  emptyDeadLetterForm,
  isSameDeadLetter,
  validateDeadLetterForm,
} from "./dead-letter-form";
import { formatDuration } from "./format";

describe("the dead-letter fields", () => {
  it("means no dead-letter queue when the queue is empty", () => {
    expect(validateDeadLetterForm({ ...emptyDeadLetterForm, maxReceiveCount: "zzz" }, "src")).toEqual({
      ok: true,
      deadLetter: null,
    });
  });

  it("sends only the chosen policy's limit", () => {
    expect(validateDeadLetterForm({ ...emptyDeadLetterForm, queue: " dlq ", maxReceiveCount: "3" }, "src")).toEqual({
      ok: true,
      deadLetter: { queue: "dlq", policy: "maxReceiveCount", maxReceiveCount: 3, maxTimeToLive: null },
    });
    expect(
      validateDeadLetterForm(
        { ...emptyDeadLetterForm, queue: "dlq", policy: "maxTimeToLive", maxTimeToLive: "300" },
        "s",
      ),
    ).toEqual({
      ok: true,
      deadLetter: { queue: "dlq", policy: "maxTimeToLive", maxReceiveCount: null, maxTimeToLive: 300 },
    });
  });

  it("refuses values out of CMQ's ranges, a bad name and the queue itself", () => {
    const bad = (values: Partial<typeof emptyDeadLetterForm>) =>
      validateDeadLetterForm({ ...emptyDeadLetterForm, queue: "dlq", ...values }, "Src");
    expect(bad({ maxReceiveCount: "0" })).toMatchObject({ ok: false, errors: { maxReceiveCount: expect.any(String) } });
    expect(bad({ maxReceiveCount: "1001" }).ok).toBe(false);
    expect(bad({ maxReceiveCount: "1.5" }).ok).toBe(false);
    expect(bad({ maxReceiveCount: "1000" }).ok).toBe(true);
    expect(bad({ policy: "maxTimeToLive", maxTimeToLive: "299" }).ok).toBe(false);
    expect(bad({ policy: "maxTimeToLive", maxTimeToLive: "43201" }).ok).toBe(false);
    expect(bad({ policy: "maxTimeToLive", maxTimeToLive: "43200" }).ok).toBe(true);
    expect(bad({ queue: "9lives" })).toMatchObject({ ok: false, errors: { queue: "Not a queue name." } });
    expect(bad({ queue: "src" })).toMatchObject({ ok: false, errors: { queue: expect.stringMatching(/own/) } });
  });

  it("reads a binding back into the form and describes it", () => {
    const binding = { queue: "dlq", policy: "maxTimeToLive" as const, maxReceiveCount: null, maxTimeToLive: 5400 };
    expect(deadLetterFormOf(binding)).toEqual({
      ...emptyDeadLetterForm,
      queue: "dlq",
      policy: "maxTimeToLive",
      maxTimeToLive: "5400",
    });
    expect(deadLetterFormOf(null)).toEqual(emptyDeadLetterForm);
    expect(describeDeadLetterRule(binding, formatDuration)).toBe("when not consumed within 1 h 30 min");
    expect(
      describeDeadLetterRule(
        { queue: "d", policy: "maxReceiveCount", maxReceiveCount: 1, maxTimeToLive: null },
        formatDuration,
      ),
    ).toBe("after 1 receive without a delete");
    expect(isSameDeadLetter(binding, { ...binding, queue: "DLQ" })).toBe(true);
    expect(isSameDeadLetter(binding, null)).toBe(false);
  });
});
