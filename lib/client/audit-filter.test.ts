import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  auditRangeError,
  emptyAuditFilter,
  isAuditFilterEmpty,
  localDateTimeToIso,
  toAuditParams,
} from "./audit-filter";

// datetime-local values are read in the browser's zone; pin one so the expected instants are fixed.
// (unstubAllEnvs restores an unset TZ as unset; assigning `undefined` back would set "undefined".)
beforeEach(() => {
  vi.stubEnv("TZ", "Asia/Shanghai");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("localDateTimeToIso", () => {
  it("reads a local date-time as an instant; empty or invalid means no bound", () => {
    expect(localDateTimeToIso("2026-11-25T13:45")).toBe("2026-11-25T05:45:00.000Z");
    expect(localDateTimeToIso("")).toBe("");
    expect(localDateTimeToIso("not a date")).toBe("");
    expect(localDateTimeToIso("2026-11-25 13:45")).toBe("2026-11-25T05:45:00.000Z");
    expect(localDateTimeToIso("2026-11-25 13:45", "utc")).toBe("2026-11-25T13:45:00.000Z");
    expect(localDateTimeToIso("2026-02-30 13:45")).toBe("");
    expect(localDateTimeToIso("2026-11-25 24:00")).toBe("");
    expect(localDateTimeToIso("11/25/2026 1:45 PM")).toBe("");
  });
});

describe("toAuditParams", () => {
  it("trims text and makes `to` include its whole minute", () => {
    expect(
      toAuditParams({
        ...emptyAuditFilter,
        actor: "  ann@example.com ",
        action: "apikey.",
        outcome: "denied",
        from: "2026-11-25T13:00",
        to: "2026-11-25T13:45",
      }),
    ).toEqual({
      actor: "ann@example.com",
      action: "apikey.",
      resource: "",
      outcome: "denied",
      from: "2026-11-25T05:00:00.000Z",
      to: "2026-11-25T05:45:59.999Z",
    });
  });

  it("drops an outcome the API does not know (the filter comes from the URL)", () => {
    const fromUrl = { ...emptyAuditFilter, outcome: "maybe" } as unknown as Parameters<typeof toAuditParams>[0];
    expect(toAuditParams(fromUrl).outcome).toBe("");
  });
});

describe("isAuditFilterEmpty / auditRangeError", () => {
  it("knows an empty filter and a backwards range", () => {
    expect(isAuditFilterEmpty(emptyAuditFilter)).toBe(true);
    expect(isAuditFilterEmpty({ ...emptyAuditFilter, outcome: "failure" })).toBe(false);
    expect(auditRangeError({ ...emptyAuditFilter, from: "2026-11-25T14:00", to: "2026-11-25T13:00" })).toBe(
      "“To” is before “From”.",
    );
    expect(auditRangeError({ ...emptyAuditFilter, from: "2026-11-25T13:00", to: "2026-11-25T13:00" })).toBeNull();
    expect(auditRangeError({ ...emptyAuditFilter, from: "yesterday" })).toBe(
      "Write it as 2026-11-25 13:45 (24-hour, in the zone your times are shown in).",
    );
  });
});
