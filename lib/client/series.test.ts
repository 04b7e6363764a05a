import { afterEach, describe, expect, it, vi } from "vitest";
import { counterMetrics, type SeriesResponse } from "@/lib/schemas/metrics";
import {
  chartRefetchInterval,
  formatPercent,
  formatRate,
  formatTick,
  parseRange,
  peakOf,
  pointsOf,
  prepareSeries,
  ratioRows,
  stackRows,
  stepSecondsOf,
  summarize,
  timeTicks,
  totalOf,
  valueTicks,
  windowOf,
} from "./series";

const t0 = Date.parse("2026-11-25T10:00:00Z");
const at = (i: number, stepSeconds = 60) => new Date(t0 + i * stepSeconds * 1000).toISOString();

function response(
  stepSeconds: number,
  series: {
    metric: SeriesResponse["series"][number]["metric"];
    values: (number | null)[];
    labels?: Record<string, string>;
  }[],
): SeriesResponse {
  return {
    from: at(0, stepSeconds),
    to: at(Math.max(...series.map((s) => s.values.length)), stepSeconds),
    stepSeconds,
    visibleOnly: false,
    series: series.map((s) => ({
      metric: s.metric,
      kind: (counterMetrics as readonly string[]).includes(s.metric) ? "counter" : "gauge",
      labels: s.labels ?? {},
      points: s.values.map((v, i) => ({ t: at(i, stepSeconds), v })),
    })),
  };
}

describe("prepareSeries", () => {
  it("turns a counter's per-step sums into per-second rates", () => {
    const rows = prepareSeries(response(60, [{ metric: "SendMsgNum", values: [120, 30, 6] }]), [
      { key: "sent", metric: "SendMsgNum", as: "rate" },
    ]);
    expect(rows).toEqual([
      { t: t0, sent: 2 },
      { t: t0 + 60_000, sent: 0.5 },
      { t: t0 + 120_000, sent: 0.1 },
    ]);
  });

  it("divides by the answer's own step (300 s for a day, 3600 s beyond)", () => {
    const rows = prepareSeries(response(300, [{ metric: "RecvMsgNum", values: [600] }]), [
      { key: "received", metric: "RecvMsgNum", as: "rate" },
    ]);
    expect(rows[0]?.received).toBe(2);
    const hourly = prepareSeries(response(3600, [{ metric: "RecvMsgNum", values: [7200] }]), [
      { key: "received", metric: "RecvMsgNum", as: "rate" },
    ]);
    expect(hourly[0]?.received).toBe(2);
  });

  it("keeps a gap a gap (null), and a real zero a zero", () => {
    const rows = prepareSeries(response(60, [{ metric: "SendMsgNum", values: [60, null, 0, null] }]), [
      { key: "sent", metric: "SendMsgNum", as: "rate" },
    ]);
    expect(rows.map((r) => r.sent)).toEqual([1, null, 0, null]);
  });

  it("draws gauges as answered", () => {
    const rows = prepareSeries(response(60, [{ metric: "OldestMsgAgeSeconds", values: [5, null, 65] }]), [
      { key: "age", metric: "OldestMsgAgeSeconds", as: "value" },
    ]);
    expect(rows.map((r) => r.age)).toEqual([5, null, 65]);
  });

  it("puts several metrics on one row per step; a metric the answer lacks is null throughout", () => {
    const rows = prepareSeries(
      response(60, [
        { metric: "SendMsgNum", values: [60, 120] },
        { metric: "DelMsgNum", values: [null, 60] },
      ]),
      [
        { key: "sent", metric: "SendMsgNum", as: "rate" },
        { key: "deleted", metric: "DelMsgNum", as: "rate" },
        { key: "received", metric: "RecvMsgNum", as: "rate" },
      ],
    );
    expect(rows).toEqual([
      { t: t0, sent: 1, deleted: null, received: null },
      { t: t0 + 60_000, sent: 2, deleted: 1, received: null },
    ]);
  });

  it("sums the label sets of one metric; a step is a gap only when every one is", () => {
    const answer = response(60, [
      { metric: "ApiRequests", values: [60, null, null], labels: { action: "SendMessage" } },
      { metric: "ApiRequests", values: [120, 60, null], labels: { action: "ReceiveMessage" } },
    ]);
    expect([...pointsOf(answer, "ApiRequests").values()]).toEqual([180, 60, null]);
  });

  it("an empty answer gives no rows", () => {
    expect(prepareSeries({ from: at(0), to: at(1), stepSeconds: 60, series: [], visibleOnly: false }, [])).toEqual([]);
  });
});

describe("stackRows (backlog by state)", () => {
  const keys = ["visible", "inFlight", "delayed"];
  it("stacks the states bottom first into bands, with the total", () => {
    const [row] = stackRows([{ t: t0, visible: 5, inFlight: 2, delayed: 3 }], keys);
    expect(row).toEqual({
      t: t0,
      visible: 5,
      inFlight: 2,
      delayed: 3,
      visibleBand: [0, 5],
      inFlightBand: [5, 7],
      delayedBand: [7, 10],
      total: 10,
    });
  });

  it("zeros stack as zero-height bands, not gaps", () => {
    const [row] = stackRows([{ t: t0, visible: 0, inFlight: 0, delayed: 4 }], keys);
    expect(row?.visibleBand).toEqual([0, 0]);
    expect(row?.delayedBand).toEqual([0, 4]);
    expect(row?.total).toBe(4);
  });

  it("a step missing any state is a gap for the whole stack", () => {
    const [row] = stackRows([{ t: t0, visible: 5, inFlight: null, delayed: 3 }], keys);
    expect(row?.visibleBand).toBeNull();
    expect(row?.inFlightBand).toBeNull();
    expect(row?.delayedBand).toBeNull();
    expect(row?.total).toBeNull();
  });
});

describe("ratioRows (error rate)", () => {
  it("is errors per request in percent; no requests is a gap, not 0 %", () => {
    const rows = ratioRows(
      response(60, [
        { metric: "ApiRequests", values: [200, 0, null, 50] },
        { metric: "ApiErrors", values: [3, 0, null, null] },
      ]),
      "errorRate",
      "ApiErrors",
      "ApiRequests",
    );
    // Requests without any errors recorded: 0 %.
    expect(rows.map((r) => r.errorRate)).toEqual([1.5, null, null, 0]);
  });
});

describe("summaries (the charts' text alternative)", () => {
  it("names the newest value, the peak and the gaps", () => {
    const rows = [
      { t: 1, a: 2 },
      { t: 2, a: 7 },
      { t: 3, a: 4 },
      { t: 4, a: null },
    ];
    expect(summarize(rows, "a")).toEqual({ latest: 4, peak: 7, gaps: 1, steps: 4 });
  });

  it("all gaps: no latest, no peak", () => {
    expect(summarize([{ t: 1, a: null }], "a")).toEqual({ latest: null, peak: null, gaps: 1, steps: 1 });
  });

  it("totals a counter over the range; nothing recorded is null, not 0", () => {
    const answer = response(60, [
      { metric: "SendMsgNum", values: [3, null, 4] },
      { metric: "DelMsgNum", values: [null, null] },
    ]);
    expect(totalOf(answer, "SendMsgNum")).toBe(7);
    expect(totalOf(answer, "DelMsgNum")).toBeNull();
    expect(totalOf(answer, "RecvMsgNum")).toBeNull();
  });
});

describe("ranges", () => {
  it("reads a preset from the URL, the default for anything else", () => {
    expect(parseRange("7d")).toBe("7d");
    expect(parseRange("2h")).toBe("1h");
    expect(parseRange(null)).toBe("1h");
    expect(parseRange("15M")).toBe("1h");
  });

  it("a preset is a window ending now", () => {
    const now = Date.parse("2026-11-25T12:00:00.000Z");
    expect(windowOf("15m", now)).toEqual({ from: "2026-11-25T11:45:00.000Z", to: "2026-11-25T12:00:00.000Z" });
    expect(windowOf("30d", now)).toEqual({ from: "2026-10-26T12:00:00.000Z", to: "2026-11-25T12:00:00.000Z" });
  });

  it("knows the server's step for a range", () => {
    expect(stepSecondsOf(900)).toBe(60);
    expect(stepSecondsOf(6 * 3600)).toBe(60);
    expect(stepSecondsOf(24 * 3600)).toBe(300);
    expect(stepSecondsOf(48 * 3600)).toBe(300);
    expect(stepSecondsOf(7 * 86_400)).toBe(3600);
  });

  it("refetches with the console's polling setting, no faster than data arrives, never while paused", () => {
    expect(chartRefetchInterval({ intervalMs: 2_000, isPaused: false }, 60)).toBe(10_000);
    expect(chartRefetchInterval({ intervalMs: 30_000, isPaused: false }, 60)).toBe(30_000);
    expect(chartRefetchInterval({ intervalMs: 5_000, isPaused: false }, 3600)).toBe(60_000);
    expect(chartRefetchInterval({ intervalMs: 5_000, isPaused: true }, 60)).toBe(false);
  });
});

describe("the time axis in the user's zone", () => {
  // vi.stubEnv, as the other zone tests do (unstubAllEnvs restores an unset TZ as unset).
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("UTC: ticks on round UTC times, labelled 24-hour", () => {
    const from = Date.parse("2026-11-25T10:07:30Z");
    const to = from + 3_600_000;
    const ticks = timeTicks(from, to, "utc");
    expect(ticks[0]).toBe(Date.parse("2026-11-25T10:10:00Z"));
    expect(ticks.map((t) => formatTick(t, 3600, "utc"))).toEqual([
      "10:10",
      "10:20",
      "10:30",
      "10:40",
      "10:50",
      "11:00",
    ]);
    expect(timeTicks(from, to, "utc", 4).map((t) => formatTick(t, 3600, "utc"))).toEqual([
      "10:15",
      "10:30",
      "10:45",
      "11:00",
    ]);
  });

  it("local: ticks on the local zone's round times (UTC+5:30), not UTC's", () => {
    vi.stubEnv("TZ", "Asia/Kolkata");
    const from = Date.parse("2026-11-25T10:00:00Z"); // 15:30 local
    const to = from + 6 * 3_600_000; // 21:30 local
    const ticks = timeTicks(from, to, "local");
    expect(ticks.map((t) => formatTick(t, 6 * 3600, "local"))).toEqual([
      "16:00",
      "17:00",
      "18:00",
      "19:00",
      "20:00",
      "21:00",
    ]);
    // the same instants in UTC are on the half hour
    expect(formatTick(ticks[0] ?? 0, 6 * 3600, "utc")).toBe("10:30");
  });

  it("long ranges: ticks at the zone's midnights, labelled by date", () => {
    const from = Date.parse("2026-11-01T13:00:00Z");
    const to = from + 30 * 86_400_000;
    const ticks = timeTicks(from, to, "utc");
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((t) => new Date(t).toISOString().endsWith("T00:00:00.000Z"))).toBe(true);
    expect(formatTick(ticks[0] ?? 0, 30 * 86_400, "utc")).toBe("11-02");
  });

  it("keeps ticks on local midnight across a daylight-saving change", () => {
    vi.stubEnv("TZ", "Europe/Berlin"); // 2026-10-25 03:00 CEST → 02:00 CET
    const from = Date.parse("2026-10-20T12:00:00Z");
    const to = from + 7 * 86_400_000;
    const ticks = timeTicks(from, to, "local", 7);
    expect(ticks.map((t) => formatTick(t, 7 * 86_400, "local"))).toEqual([
      "10-21",
      "10-22",
      "10-23",
      "10-24",
      "10-25",
      "10-26",
      "10-27",
    ]);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual([
      "22:00",
      "22:00",
      "22:00",
      "22:00",
      "22:00",
      "23:00",
      "23:00",
    ]);
  });

  it("a day's span over midnight names the date on each tick", () => {
    const from = Date.parse("2026-11-25T00:00:00Z");
    const ticks = timeTicks(from, from + 86_400_000, "utc");
    expect(ticks.map((t) => formatTick(t, 86_400, "utc"))).toEqual(["00:00", "06:00", "12:00", "18:00", "00:00"]);
    expect(formatTick(Date.parse("2026-11-25T18:00:00Z"), 2 * 86_400, "utc")).toBe("11-25 18:00");
  });

  it("no ticks for an empty window", () => {
    expect(timeTicks(10, 10, "utc")).toEqual([]);
  });
});

describe("values in words", () => {
  it("rates: three significant digits, whole numbers from 100", () => {
    expect(formatRate(2)).toBe("2/s");
    expect(formatRate(7 / 60)).toBe("0.117/s");
    expect(formatRate(0)).toBe("0/s");
    expect(formatRate(1234.5)).toBe("1,235/s");
  });

  it("percentages", () => {
    expect(formatPercent(1.5)).toBe("1.5 %");
    expect(formatPercent(100 / 3)).toBe("33.3 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(0.000141)).toBe("< 0.01 %");
    expect(formatPercent(0.0123)).toBe("0.0123 %");
  });
});

describe("the value axis", () => {
  it("the peak is the highest line value or band top; null without data", () => {
    const rows = [
      { t: 1, sent: 0.5, visibleBand: [0, 3] as [number, number] },
      { t: 2, sent: null, visibleBand: null },
      { t: 3, sent: 4, visibleBand: [1, 2] as [number, number] },
    ];
    expect(peakOf(rows, ["sent"])).toBe(4);
    expect(peakOf(rows, ["visibleBand"])).toBe(3);
    expect(peakOf([{ t: 1, sent: null }], ["sent"])).toBeNull();
  });

  it("round steps from 0 to the first round value at or above the peak", () => {
    expect(valueTicks(0.0333)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(valueTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(valueTicks(9)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(valueTicks(120)).toEqual([0, 50, 100, 150]);
    expect(valueTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("whole quantities step by whole numbers: a peak of 2 reads 0, 1, 2", () => {
    expect(valueTicks(2, "whole")).toEqual([0, 1, 2]);
    expect(valueTicks(9, "whole")).toEqual([0, 5, 10]);
    expect(valueTicks(1234, "whole")).toEqual([0, 500, 1000, 1500]);
  });

  it("durations step by round times: 15 s, 5 min, 1 h, whole days", () => {
    expect(valueTicks(50, "seconds")).toEqual([0, 15, 30, 45, 60]);
    expect(valueTicks(4000, "seconds")).toEqual([0, 1800, 3600, 5400]);
    expect(valueTicks(3 * 86_400, "seconds")).toEqual([0, 86_400, 172_800, 259_200]);
    expect(valueTicks(20 * 86_400, "seconds")).toEqual([0, 5 * 86_400, 10 * 86_400, 15 * 86_400, 20 * 86_400]);
  });

  it("no data or only zeros: 0 to 1", () => {
    expect(valueTicks(null)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(valueTicks(0, "whole")).toEqual([0, 1]);
    expect(valueTicks(null, "seconds")).toEqual([0, 1]);
  });
});
