import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  alarmRangeError,
  emptyAlarmHistoryFilter,
  isAlarmHistoryFiltered,
  toAlarmEventParams,
} from "./alarm-history-filter";

// Local date-times are read in the browser's zone unless the user chose UTC; pin the zone.
beforeEach(() => {
  vi.stubEnv("TZ", "Asia/Shanghai");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("toAlarmEventParams", () => {
  it("reads the range in the chosen zone, `to` inclusive to the minute (or the second) written", () => {
    const range = { ...emptyAlarmHistoryFilter, from: "2026-11-20 18:30", to: "2026-11-20 20:00" };
    expect(toAlarmEventParams(range, "local")).toEqual({
      rule: undefined,
      state: undefined,
      from: "2026-11-20T10:30:00.000Z",
      to: "2026-11-20T12:01:00.000Z",
      before: undefined,
    });
    expect(toAlarmEventParams(range, "utc")).toMatchObject({
      from: "2026-11-20T18:30:00.000Z",
      to: "2026-11-20T20:01:00.000Z",
    });
    expect(toAlarmEventParams({ ...range, to: "2026-11-20 20:00:15" }, "utc").to).toBe("2026-11-20T20:00:16.000Z");
  });

  it("keeps a rule id, a known state and a page; anything unreadable from the URL is no filter", () => {
    expect(toAlarmEventParams({ rule: "12", state: "firing", from: "", to: "", before: "340" }, "local")).toEqual({
      rule: "12",
      state: "firing",
      from: undefined,
      to: undefined,
      before: "340",
    });
    expect(
      toAlarmEventParams(
        { rule: "x1", state: "burning", from: "yesterday", to: "2026-02-30 10:00", before: "-1" },
        "local",
      ),
    ).toEqual({ rule: undefined, state: undefined, from: undefined, to: undefined, before: undefined });
  });
});

describe("alarmRangeError / isAlarmHistoryFiltered", () => {
  it("says what is wrong with the range, as the audit log does", () => {
    const range = { ...emptyAlarmHistoryFilter, from: "2026-11-20 14:00", to: "2026-11-20 13:00" };
    expect(alarmRangeError(range)).toBe("“To” is before “From”.");
    expect(alarmRangeError({ ...range, to: "2026-11-20 14:00" })).toBeNull();
    expect(alarmRangeError({ ...range, from: "11/20/2026" })).toBe(
      "Write it as 2026-11-25 13:45 (24-hour, in the zone your times are shown in).",
    );
  });

  it("counts every filter but the page", () => {
    expect(isAlarmHistoryFiltered({ ...emptyAlarmHistoryFilter, before: "9" })).toBe(false);
    expect(isAlarmHistoryFiltered({ ...emptyAlarmHistoryFilter, to: "2026-11-20 13:00" })).toBe(true);
  });
});
