import { describe, expect, it } from "vitest";
import {
  defaultTopicForm,
  describeMaxMsgSize,
  nameProblem,
  parseMaxMsgSize,
  serverFieldErrors,
  validateTopicForm,
} from "./topics-form";

describe("validateTopicForm", () => {
  it("builds the create request from the defaults and a name", () => {
    expect(validateTopicForm({ ...defaultTopicForm(), name: " orders " })).toEqual({
      ok: true,
      input: { name: "orders", filterType: "tag", maxMsgSize: 65_536 },
    });
    expect(validateTopicForm({ name: "t1", filterType: "routing", maxMsgSize: "1,048,576" })).toEqual({
      ok: true,
      input: { name: "t1", filterType: "routing", maxMsgSize: 1_048_576 },
    });
  });

  it("refuses a bad name, an unknown filter type and a size out of range, all at once", () => {
    expect(validateTopicForm({ name: "1bad", filterType: "fanout" as "tag", maxMsgSize: "1023" })).toEqual({
      ok: false,
      errors: {
        name: "Start with a letter; use only letters, digits, '-' and '_' (at most 64 characters).",
        filterType: "Choose tags or routing keys.",
        maxMsgSize: "Must be between 1,024 and 1,048,576 bytes.",
      },
    });
  });

  it("refuses an empty name and a size that is not a whole number", () => {
    expect(validateTopicForm({ name: "", filterType: "tag", maxMsgSize: "1.5e4" })).toEqual({
      ok: false,
      errors: { name: "Enter a topic name.", maxMsgSize: "Enter a whole number of bytes." },
    });
  });
});

describe("parseMaxMsgSize", () => {
  it.each([
    ["1024", { ok: true, value: 1024 }],
    ["1048576", { ok: true, value: 1_048_576 }],
    ["1048577", { ok: false, error: "Must be between 1,024 and 1,048,576 bytes." }],
    ["-5", { ok: false, error: "Enter a whole number of bytes." }],
    ["", { ok: false, error: "Enter a whole number of bytes." }],
  ])("%s", (raw, expected) => {
    expect(parseMaxMsgSize(raw)).toEqual(expected);
  });
});

describe("describeMaxMsgSize and nameProblem", () => {
  it("reads sizes for people", () => {
    expect(describeMaxMsgSize(65_536)).toBe("65,536 bytes (64 KiB)");
    expect(describeMaxMsgSize(100_000)).toBe("100,000 bytes (≈ 97.7 KiB)");
  });

  it("names the noun and allows 64 characters", () => {
    expect(nameProblem("  ", "subscription")).toBe("Enter a subscription name.");
    expect(nameProblem(`a${"b".repeat(63)}`, "topic")).toBeUndefined();
    expect(nameProblem(`a${"b".repeat(64)}`, "topic")).toMatch(/^Start with a letter/);
  });
});

describe("serverFieldErrors", () => {
  const fields = ["name", "maxMsgSize"] as const;

  it("puts a taken name on the name field", () => {
    expect(serverFieldErrors({ code: "TOPIC_EXISTS", message: "Topic t exists." }, fields, "name")).toEqual({
      name: "Topic t exists.",
    });
  });

  it("puts validation issues on their fields and the rest on the form", () => {
    const error = {
      code: "INVALID_INPUT",
      message: "Invalid input.",
      details: {
        issues: [
          { path: "maxMsgSize", message: "Too big" },
          { path: "other.x", message: "?" },
        ],
      },
    };
    expect(serverFieldErrors(error, fields, "name")).toEqual({ maxMsgSize: "Too big" });
    expect(serverFieldErrors({ code: "LIMIT_EXCEEDED", message: "Too many topics." }, fields, "name")).toEqual({
      form: "Too many topics.",
    });
  });
});
