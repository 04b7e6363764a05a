import { describe, expect, it } from "vitest";
import { formatBytes, formatBytesReadable, formatDuration, formatRelative, truncate } from "./format";

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [30, "30 s"],
    [90, "1 min 30 s"],
    [5_400, "1 h 30 min"],
    [43_200, "12 h"],
    [345_600, "4 d"],
    [86_405, "1 d"],
    [1_296_000, "15 d"],
    [1_000_000_000, "11,574 d 1 h"],
  ])("%i s → %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe("formatBytes", () => {
  it.each([
    [1500, "1,500 B"],
    [1024, "1 KiB"],
    [65_536, "64 KiB"],
    [1_048_576, "1 MiB"],
  ])("%i → %s", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe("formatBytesReadable", () => {
  it.each([
    [900, "900 B"],
    [1500, "≈ 1.5 KiB"],
    [65_536, "64 KiB"],
    [99_999_999, "≈ 95.4 MiB"],
    [2_147_483_648, "2 GiB"],
  ])("%i → %s", (bytes, expected) => {
    expect(formatBytesReadable(bytes)).toBe(expected);
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  it("reads past, future and present", () => {
    expect(formatRelative("2026-11-25T11:59:48Z", now)).toBe("12 s ago");
    expect(formatRelative("2026-11-25T12:03:00Z", now)).toBe("in 3 min");
    expect(formatRelative("2026-11-25T12:00:00.300Z", now)).toBe("now");
    expect(formatRelative("not a date", now)).toBe("—");
  });
});

describe("truncate", () => {
  it("leaves short text alone and marks cut text", () => {
    expect(truncate("hello", 10)).toEqual({ text: "hello", isTruncated: false });
    expect(truncate("hello world", 6)).toEqual({ text: "hello…", isTruncated: true });
  });
});
