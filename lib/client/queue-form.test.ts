import { describe, expect, it } from "vitest";
import { queueLimits } from "@/lib/schemas/queue";
import {
  changedAttributes,
  defaultFormValues,
  describeRange,
  serverFieldErrors,
  validateQueueForm,
} from "./queue-form";

describe("validateQueueForm", () => {
  it("accepts the defaults with a valid name and returns every attribute", () => {
    const result = validateQueueForm({ ...defaultFormValues(), name: " orders-1 " });
    expect(result).toEqual({
      ok: true,
      input: {
        name: "orders-1",
        visibilityTimeout: 30,
        pollingWaitSeconds: 0,
        maxMsgSize: 65_536,
        msgRetentionSeconds: 345_600,
        maxMsgHeapNum: 100_000_000,
        rewindSeconds: 0,
      },
    });
  });

  it("rejects names the API would reject", () => {
    for (const name of ["", "1abc", "has space", `a${"b".repeat(64)}`]) {
      const result = validateQueueForm({ ...defaultFormValues(), name });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.name).toBeTruthy();
    }
  });

  it("checks each attribute against its range, on both edges", () => {
    const { min, max } = queueLimits.visibilityTimeout;
    const at = (v: string) => validateQueueForm({ ...defaultFormValues(), name: "q", visibilityTimeout: v });
    expect(at(String(min)).ok).toBe(true);
    expect(at(String(max)).ok).toBe(true);
    expect(at(String(min - 1))).toEqual({ ok: false, errors: { visibilityTimeout: "Must be between 1 and 43,200." } });
    expect(at(String(max + 1)).ok).toBe(false);
    expect(at("1.5")).toEqual({ ok: false, errors: { visibilityTimeout: "Enter a whole number." } });
    expect(at("")).toEqual({ ok: false, errors: { visibilityTimeout: "Enter a whole number." } });
  });

  it("keeps the rewind window within the retention", () => {
    const result = validateQueueForm({
      ...defaultFormValues(),
      name: "q",
      msgRetentionSeconds: "600",
      rewindSeconds: "601",
    });
    expect(result).toEqual({ ok: false, errors: { rewindSeconds: "Must not exceed the message retention." } });
  });
});

describe("describeRange", () => {
  it("shows range and default with units", () => {
    expect(describeRange("visibilityTimeout")).toBe("Range 1–43,200 s · default 30 s");
    expect(describeRange("maxMsgSize")).toBe("Range 1,024–1,048,576 bytes · default 65,536 bytes (64 KiB)");
  });
});

describe("changedAttributes", () => {
  it("returns only what differs", () => {
    const queue = {
      visibilityTimeout: 30,
      pollingWaitSeconds: 0,
      maxMsgSize: 65_536,
      msgRetentionSeconds: 345_600,
      maxMsgHeapNum: 100_000_000,
      rewindSeconds: 0,
    } as Parameters<typeof changedAttributes>[0];
    expect(changedAttributes(queue, { name: "q", visibilityTimeout: 60, maxMsgSize: 65_536 })).toEqual({
      visibilityTimeout: 60,
    });
  });
});

describe("serverFieldErrors", () => {
  it("maps API errors onto fields", () => {
    expect(serverFieldErrors({ code: "QUEUE_EXISTS", message: 'Queue "a" already exists.' })).toEqual({
      name: 'Queue "a" already exists.',
    });
    expect(
      serverFieldErrors({
        code: "INVALID_INPUT",
        message: "Invalid request body: maxMsgSize: too big",
        details: { issues: [{ path: "maxMsgSize", message: "too big" }] },
      }),
    ).toEqual({ maxMsgSize: "too big" });
    expect(
      serverFieldErrors({
        code: "INVALID_INPUT",
        message: "rewindSeconds (700) must not exceed msgRetentionSeconds (600).",
      }),
    ).toEqual({ rewindSeconds: "rewindSeconds (700) must not exceed msgRetentionSeconds (600)." });
    expect(serverFieldErrors({ code: "QUEUE_LIMIT_EXCEEDED", message: "Too many queues." })).toEqual({
      form: "Too many queues.",
    });
  });
});
