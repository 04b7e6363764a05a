import type { MetricName, metricRanges, SeriesResponse } from "@/lib/schemas/metrics";
import type { TimeZoneChoice } from "./time-zone";

// Chart data, shaped by pure functions (the chart components only draw). The API answers one point
// per step with v = null where nothing was recorded: that stays null here — a gap in the line
// (recharts `connectNulls={false}`), never a zero. Counters are per-step sums, turned into rates by
// dividing by the step; gauges are drawn as they come.

export type RangePreset = (typeof metricRanges)[number];

export const rangePresets: readonly { value: RangePreset; label: string; seconds: number }[] = [
  { value: "15m", label: "15 min", seconds: 900 },
  { value: "1h", label: "1 hour", seconds: 3_600 },
  { value: "6h", label: "6 hours", seconds: 21_600 },
  { value: "24h", label: "24 hours", seconds: 86_400 },
  { value: "7d", label: "7 days", seconds: 604_800 },
  { value: "30d", label: "30 days", seconds: 2_592_000 },
];
export const defaultRange: RangePreset = "1h";

/** A range from the URL; anything else is the default. */
export const parseRange = (raw: string | null | undefined): RangePreset =>
  rangePresets.find((r) => r.value === raw)?.value ?? defaultRange;

export const rangeSecondsOf = (range: RangePreset): number =>
  rangePresets.find((r) => r.value === range)?.seconds ?? 3_600;

/** The window a preset covers, ending at `now`, as the API takes it (ISO-8601). */
export function windowOf(range: RangePreset, now: number): { from: string; to: string } {
  return { from: new Date(now - rangeSecondsOf(range) * 1000).toISOString(), to: new Date(now).toISOString() };
}

/** The step the server answers a range with (lib/schemas/metrics.ts): 60 s up to 6 h, 300 s up to 48 h, 3600 s beyond. */
export function stepSecondsOf(rangeSeconds: number): number {
  if (rangeSeconds <= 6 * 3_600) return 60;
  if (rangeSeconds <= 48 * 3_600) return 300;
  return 3_600;
}

/**
 * How often a chart refetches: the console's one polling interval, but no faster than new data can
 * arrive (a 1-minute step gains a point a minute; refetching it every 2 s would only repeat it).
 * `false` while the user has paused refreshing.
 */
export function chartRefetchInterval(setting: { intervalMs: number; isPaused: boolean }, stepSeconds: number) {
  if (setting.isPaused) return false;
  const floorMs = stepSeconds <= 60 ? 10_000 : 60_000;
  return Math.max(setting.intervalMs, floorMs);
}

/** One row per time step: `t` in epoch ms, then each drawn value (null = gap). */
export type ChartRow = { t: number } & Record<string, number | null | [number, number]>;

export type SeriesSpec = {
  /** the row's field the chart draws */
  key: string;
  metric: MetricName;
  /** rate: a counter per second (v / stepSeconds); value: as answered (gauges) */
  as: "rate" | "value";
};

/**
 * A metric's points by time, the series of every label set summed (per-action API metrics come one
 * series per action). A step is null only when no series has a value there: one action without
 * requests does not make the account's total a gap.
 */
export function pointsOf(response: SeriesResponse, metric: MetricName): Map<number, number | null> {
  const byTime = new Map<number, number | null>();
  for (const series of response.series) {
    if (series.metric !== metric) continue;
    for (const point of series.points) {
      const t = Date.parse(point.t);
      if (Number.isNaN(t)) continue;
      const before = byTime.get(t) ?? null;
      byTime.set(t, point.v === null ? before : (before ?? 0) + point.v);
    }
  }
  return byTime;
}

/** Every step of the answer, in time order: the union of the series' points. */
function timesOf(response: SeriesResponse): number[] {
  const times = new Set<number>();
  for (const series of response.series) {
    for (const point of series.points) {
      const t = Date.parse(point.t);
      if (!Number.isNaN(t)) times.add(t);
    }
  }
  return [...times].sort((a, b) => a - b);
}

/** Rows for a chart: one per step, each spec's value (a rate or as answered), null where there is no data. */
export function prepareSeries(response: SeriesResponse, specs: readonly SeriesSpec[]): ChartRow[] {
  const step = response.stepSeconds > 0 ? response.stepSeconds : 60;
  const columns = specs.map((spec) => ({ spec, points: pointsOf(response, spec.metric) }));
  return timesOf(response).map((t) => {
    const row: ChartRow = { t };
    for (const { spec, points } of columns) {
      const v = points.get(t) ?? null;
      row[spec.key] = v === null ? null : spec.as === "rate" ? v / step : v;
    }
    return row;
  });
}

/**
 * Stacks `keys` (bottom first) into bands `[low, high]` under `${key}Band`, for areas drawn one on
 * another (backlog by state). A step where any of them is missing is a gap for the whole stack:
 * stacking on an unknown would draw the bands above it at the wrong height.
 */
export function stackRows(rows: readonly ChartRow[], keys: readonly string[]): ChartRow[] {
  return rows.map((row) => {
    const values = keys.map((key) => row[key]);
    const isComplete = values.every((v) => typeof v === "number");
    const stacked: ChartRow = { ...row };
    let low = 0;
    keys.forEach((key, i) => {
      const v = values[i];
      if (!isComplete || typeof v !== "number") {
        stacked[`${key}Band`] = null;
        return;
      }
      stacked[`${key}Band`] = [low, low + v];
      low += v;
    });
    if (isComplete) stacked.total = low;
    else stacked.total = null;
    return stacked;
  });
}

/**
 * `numerator / denominator` per step in percent (error rate = ApiErrors / ApiRequests). No requests
 * in a step means no rate — a gap, not 0 % — and a step without requests recorded is a gap too.
 */
export function ratioRows(
  response: SeriesResponse,
  key: string,
  numerator: MetricName,
  denominator: MetricName,
): ChartRow[] {
  const top = pointsOf(response, numerator);
  const bottom = pointsOf(response, denominator);
  return timesOf(response).map((t) => {
    const d = bottom.get(t) ?? null;
    const n = top.get(t) ?? null;
    const row: ChartRow = { t };
    row[key] = d === null || d === 0 ? null : ((n ?? 0) / d) * 100;
    return row;
  });
}

export type SeriesSummary = {
  /** the value of the newest step with data */
  latest: number | null;
  peak: number | null;
  /** steps without data */
  gaps: number;
  steps: number;
};

/** What a chart says in words (its text alternative): newest value, peak, and how much is missing. */
export function summarize(rows: readonly ChartRow[], key: string): SeriesSummary {
  let latest: number | null = null;
  let peak: number | null = null;
  let gaps = 0;
  for (const row of rows) {
    const v = row[key];
    if (typeof v !== "number") {
      gaps++;
      continue;
    }
    latest = v;
    peak = peak === null ? v : Math.max(peak, v);
  }
  return { latest, peak, gaps, steps: rows.length };
}

/** A counter's total over the answer (messages sent in the range); null when nothing was recorded. */
export function totalOf(response: SeriesResponse, metric: MetricName): number | null {
  let total: number | null = null;
  for (const v of pointsOf(response, metric).values()) {
    if (v !== null) total = (total ?? 0) + v;
  }
  return total;
}

// ---------- the time axis, in the zone the user chose (lib/client/time-zone.ts) ----------

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const tickIntervals = [
  minute,
  2 * minute,
  5 * minute,
  10 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  3 * hour,
  6 * hour,
  12 * hour,
  day,
  2 * day,
  7 * day,
];

type Wall = { y: number; mo: number; d: number; h: number; mi: number };

const wallOf = (ms: number, zone: TimeZoneChoice): Wall => {
  const date = new Date(ms);
  return zone === "utc"
    ? {
        y: date.getUTCFullYear(),
        mo: date.getUTCMonth(),
        d: date.getUTCDate(),
        h: date.getUTCHours(),
        mi: date.getUTCMinutes(),
      }
    : { y: date.getFullYear(), mo: date.getMonth(), d: date.getDate(), h: date.getHours(), mi: date.getMinutes() };
};

const msOf = (w: Wall, zone: TimeZoneChoice): number =>
  zone === "utc" ? Date.UTC(w.y, w.mo, w.d, w.h, w.mi) : new Date(w.y, w.mo, w.d, w.h, w.mi).getTime();

/**
 * Tick positions between `fromMs` and `toMs` at round times of the user's zone — on the minute,
 * the quarter hour, the hour, midnight — at most `maxTicks` of them. Ticks of a day or more fall on
 * that zone's midnights (also across a daylight-saving change).
 */
export function timeTicks(fromMs: number, toMs: number, zone: TimeZoneChoice, maxTicks = 6): number[] {
  if (!(toMs > fromMs) || maxTicks < 1) return [];
  const span = toMs - fromMs;
  const interval = tickIntervals.find((i) => span / i <= maxTicks) ?? tickIntervals[tickIntervals.length - 1] ?? day;
  const start = wallOf(fromMs, zone);
  const ticks: number[] = [];
  if (interval < day) {
    const stepMinutes = interval / minute;
    const floored = Math.floor((start.h * 60 + start.mi) / stepMinutes) * stepMinutes;
    let t = msOf({ ...start, h: Math.floor(floored / 60), mi: floored % 60 }, zone);
    while (t < fromMs) t += interval;
    for (; t <= toMs && ticks.length < maxTicks + 1; t += interval) ticks.push(t);
  } else {
    const days = interval / day;
    let wall: Wall = { ...start, h: 0, mi: 0 };
    while (msOf(wall, zone) < fromMs) wall = { ...wall, d: wall.d + 1 };
    for (let t = msOf(wall, zone); t <= toMs && ticks.length < maxTicks + 1; t = msOf(wall, zone)) {
      ticks.push(t);
      wall = { ...wall, d: wall.d + days };
    }
  }
  return ticks;
}

// ---------- the value axis ----------

/** The highest value the chart draws under `keys`: a line's values, a band's upper edge; null with no data. */
export function peakOf(rows: readonly ChartRow[], keys: readonly string[]): number | null {
  let peak: number | null = null;
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      const high = Array.isArray(v) ? v[1] : v;
      if (typeof high === "number") peak = peak === null ? high : Math.max(peak, high);
    }
  }
  return peak;
}

/** How a value axis steps: any round number, whole numbers (messages), or round durations (seconds). */
export type ValueScale = "decimal" | "whole" | "seconds";

const secondSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/**
 * Value-axis ticks from 0 to the first round value at or above `peak`, at most `maxIntervals` steps
 * of 1, 2, 2.5 or 5 × a power of ten — 0, 0.01, 0.02, 0.03, 0.04 rather than recharts' 0, 0.0085,
 * 0.017… Whole quantities step by whole numbers, so a peak of 2 messages reads 0, 1, 2 instead of a
 * rounded 0, 1, 1, 2, 2; durations by round times (15 s, 5 min, 1 h; whole days beyond). Nothing
 * above 0 (no data, or all zero): 0 to 1.
 */
export function valueTicks(peak: number | null, scale: ValueScale = "decimal", maxIntervals = 4): number[] {
  const top = peak !== null && peak > 0 ? peak : 1;
  const rough = top / maxIntervals;
  // The first of `multiples` × a power of ten at or above `target`.
  const roundUp = (target: number, multiples: number[]) => {
    const magnitude = 10 ** Math.floor(Math.log10(target));
    return (multiples.find((m) => m * magnitude >= target) ?? 10) * magnitude;
  };
  let step: number;
  if (scale === "seconds" && rough <= 86_400) step = secondSteps.find((s) => s >= rough) ?? 86_400;
  else if (scale === "seconds") step = 86_400 * roundUp(rough / 86_400, [1, 2, 5, 10]);
  else if (scale === "whole") step = Math.max(1, roundUp(rough, [1, 2, 5, 10]));
  else step = roundUp(rough, [1, 2, 2.5, 5, 10]);
  const ticks = [0];
  // toPrecision: 3 × 0.1 must be 0.3, not 0.30000000000000004.
  for (let i = 1; (ticks.at(-1) ?? 0) < top; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A tick's label, 24-hour as everywhere in the console: "13:45" within a day's span, "11-25 13:00"
 * over several days, "11-25" on ticks at midnight of a long range. The zone is named once, beside
 * the axis (not on every tick).
 */
export function formatTick(t: number, spanSeconds: number, zone: TimeZoneChoice): string {
  const w = wallOf(t, zone);
  const time = `${pad(w.h)}:${pad(w.mi)}`;
  if (spanSeconds <= 86_400) return time;
  const date = `${pad(w.mo + 1)}-${pad(w.d)}`;
  return w.h === 0 && w.mi === 0 && spanSeconds > 2 * 86_400 ? date : `${date} ${time}`;
}

// ---------- values in words ----------

const significant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 2 → "2/s", 0.11666 → "0.117/s", 1234.5 → "1,235/s": three significant digits, whole above 100. */
export function formatRate(perSecond: number): string {
  return `${Math.abs(perSecond) >= 100 ? whole.format(perSecond) : significant.format(perSecond)}/s`;
}

/** 1.5 → "1.5 %", 0 → "0 %", 33.333 → "33.3 %"; a share too small to read, 0.000141 → "< 0.01 %". */
export function formatPercent(percent: number): string {
  if (percent > 0 && percent < 0.01) return "< 0.01 %";
  return `${significant.format(percent)} %`;
}
