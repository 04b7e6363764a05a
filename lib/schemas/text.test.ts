import { describe, expect, it } from "vitest";
import { isBigintId, isPeekCursor, isStorableInstant } from "./ids";
import { textProblem } from "./text";

describe("text", () => {
  it("accepts any Unicode text, control characters and astral characters included", () => {
    for (const value of ["", "hello", "\u0001\t\n\u007f", "é 中 😀", "\uffff", "\ud83d\ude00"]) {
      expect(textProblem(value)).toBeUndefined();
    }
  });

  it("refuses NUL, which PostgreSQL cannot store in text", () => {
    expect(textProblem("a\u0000b")).toBe("must not contain NUL (U+0000)");
  });

  it("refuses lone surrogates, which would be stored as U+FFFD", () => {
    for (const value of ["\ud800", "a\udc00", "\ude00\ud83d", "x\ud83d"]) {
      expect(textProblem(value)).toBe("must be valid Unicode text: it contains a lone surrogate (U+D800–U+DFFF)");
    }
  });
});

describe("ids and cursors", () => {
  it("bounds bigint ids to PostgreSQL's bigint", () => {
    expect(isBigintId("9223372036854775807")).toBe(true);
    expect(isBigintId("9223372036854775808")).toBe(false);
    expect(isBigintId("9999999999999999999")).toBe(false);
    expect(isBigintId("-1")).toBe(false);
    expect(isBigintId("")).toBe(false);
  });

  it("bounds peek cursors to a representable instant and a bigint id", () => {
    expect(isPeekCursor("1796000000000000-42")).toBe(true);
    expect(isPeekCursor("253402300799999999-9223372036854775807")).toBe(true);
    expect(isPeekCursor("253402300800000000-1")).toBe(false);
    expect(isPeekCursor("9999999999999999999-1")).toBe(false);
    expect(isPeekCursor("1-9999999999999999999")).toBe(false);
    expect(isPeekCursor("1-")).toBe(false);
  });

  it("bounds instants to years 0001–9999 in UTC, offsets included", () => {
    expect(isStorableInstant("0001-01-01T00:00:00Z")).toBe(true);
    expect(isStorableInstant("9999-12-31T23:59:59.999Z")).toBe(true);
    expect(isStorableInstant("0000-01-01T00:00:00Z")).toBe(false);
    expect(isStorableInstant("0001-01-01T00:00:00+14:00")).toBe(false);
    expect(isStorableInstant("9999-12-31T23:59:59-01:00")).toBe(false);
  });
});
