import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formatBytes, formatBytesReadable, formatDateTime, formatDuration, formatRelative, truncate } from "./format";

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

describe("formatDateTime", () => {
  beforeEach(() => vi.stubEnv("TZ", "Asia/Shanghai"));
  afterEach(() => vi.unstubAllEnvs());

  it("writes 24-hour time with its zone, in UTC or the local zone", () => {
    expect(formatDateTime("2026-11-25T05:04:03.999Z", "utc")).toBe("2026-11-25 05:04:03 UTC");
    expect(formatDateTime("2026-11-25T05:04:03Z", "local")).toBe("2026-11-25 13:04:03 UTC+8");
    expect(formatDateTime("garbage", "utc")).toBe("—");
  });
});

describe("truncate", () => {
  it("leaves short text alone and marks cut text", () => {
    expect(truncate("hello", 10)).toEqual({ text: "hello", isTruncated: false });
    expect(truncate("hello world", 6)).toEqual({ text: "hello…", isTruncated: true });
  });
});

describe("zoneLabel", () => {
  afterEach(() => vi.unstubAllEnvs());
  it("names offsets with hours and, where they exist, minutes", async () => {
    const { zoneLabel } = await import("./time-zone");
    const at = new Date("2026-11-25T00:00:00Z");
    vi.stubEnv("TZ", "America/St_Johns");
    expect(zoneLabel("local", at)).toBe("UTC−3:30");
    vi.stubEnv("TZ", "UTC");
    expect(zoneLabel("local", at)).toBe("UTC+0");
    expect(zoneLabel("utc", at)).toBe("UTC");
  });
});
