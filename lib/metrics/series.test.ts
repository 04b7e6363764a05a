import { describe, expect, it } from "vitest";
import { buildPoints, stepFor, stepStarts } from "./series";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const min = (n: number) => T0 + n * 60_000;

describe("metric series points", () => {
  it("chooses 60 s up to 6 h, 300 s up to 48 h, hourly beyond or before the minute rows", () => {
    const oldest = T0 - 2 * 86_400_000;
    expect(stepFor(T0, T0 + 6 * 3_600_000, oldest)).toEqual({ stepSeconds: 60, hourly: false });
    expect(stepFor(T0, T0 + 6 * 3_600_000 + 1, oldest)).toEqual({ stepSeconds: 300, hourly: false });
    expect(stepFor(T0, T0 + 48 * 3_600_000, oldest)).toEqual({ stepSeconds: 300, hourly: false });
    expect(stepFor(T0, T0 + 48 * 3_600_000 + 1, oldest)).toEqual({ stepSeconds: 3600, hourly: true });
    expect(stepFor(oldest - 1, oldest + 60_000, oldest)).toEqual({ stepSeconds: 3600, hourly: true });
  });

  it("aligns steps to the epoch and covers the range", () => {
    expect(stepStarts(min(0) + 30_000, min(3), 60)).toEqual([min(0), min(1), min(2)]);
    expect(stepStarts(min(7), min(11), 300)).toEqual([min(5), min(10)]);
  });

  it("sums counters per step; a step neither sampled nor counted is a gap, a sampled one without rows is 0", () => {
    const points = buildPoints({
      starts: [min(0), min(1), min(2), min(3)],
      stepSeconds: 60,
      kind: "counter",
      values: new Map([
        [min(0), 5],
        [min(3), 2],
      ]),
      ticks: [min(0), min(1)],
    });
    expect(points.map((p) => p.v)).toEqual([5, 0, null, 2]);
    expect(points[0]?.t).toBe("2026-11-30T10:00:00.000Z");
  });

  it("takes a gauge at the step's last sampled minute (0 when that minute has no row), null without samples", () => {
    const points = buildPoints({
      starts: [min(0), min(5), min(10)],
      stepSeconds: 300,
      kind: "gauge",
      values: new Map<number, number | null>([
        [min(1), 10],
        [min(3), 30],
        [min(6), 7],
        [min(7), null],
      ]),
      ticks: [min(1), min(3), min(6), min(7)],
    });
    // step 0: last tick min 3 → 30; step 5: last tick min 7 has a row without the gauge → 0; step 10: no tick → gap.
    expect(points.map((p) => p.v)).toEqual([30, 0, null]);
  });
});
