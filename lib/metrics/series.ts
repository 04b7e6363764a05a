// Turning stored rows into the points of GET /api/v1/metrics/series (pure; tested in series.test.ts).
// A step's counter is the sum of its rows; a gauge is its value at the step's last sampled minute.
// A step without a sampled minute (no process was sampling: the app was down) and without a row is
// null — a gap, never a zero; a sampled minute without a row is a zero.

const MINUTE_S = 60;
const HOUR_S = 3600;

/** The step for a range: 60 s up to 6 h, 300 s up to 48 h, 3600 s beyond or when minute rows are gone. */
export function stepFor(
  fromMs: number,
  toMs: number,
  oldestMinuteMs: number,
): { stepSeconds: number; hourly: boolean } {
  const span = (toMs - fromMs) / 1000;
  if (fromMs < oldestMinuteMs || span > 48 * HOUR_S) return { stepSeconds: HOUR_S, hourly: true };
  return { stepSeconds: span > 6 * HOUR_S ? 5 * MINUTE_S : MINUTE_S, hourly: false };
}

/** The starts of the steps covering [from, to), aligned to the epoch (so steps do not move with `from`). */
export function stepStarts(fromMs: number, toMs: number, stepSeconds: number): number[] {
  const step = stepSeconds * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(fromMs / step) * step; t < toMs; t += step) starts.push(t);
  return starts;
}

export type Point = { t: string; v: number | null };

/**
 * Points of one metric. `values`: the stored value per row time (ms; null = a row without this
 * gauge); `ticks`: the sampled times (ms, ascending) at the rows' granularity.
 */
export function buildPoints(options: {
  starts: number[];
  stepSeconds: number;
  kind: "counter" | "gauge";
  values: Map<number, number | null>;
  ticks: number[];
}): Point[] {
  const step = options.stepSeconds * 1000;
  const rowTimes = [...options.values.keys()].sort((a, b) => a - b);
  return options.starts.map((start) => {
    const end = start + step;
    const inStep = (t: number) => t >= start && t < end;
    const lastTick = options.ticks.filter(inStep).at(-1);
    let v: number | null;
    if (options.kind === "counter") {
      const times = rowTimes.filter(inStep);
      v =
        times.length === 0 && lastTick === undefined
          ? null
          : times.reduce((sum, t) => sum + (options.values.get(t) ?? 0), 0);
    } else {
      v = lastTick === undefined ? null : (options.values.get(lastTick) ?? 0);
    }
    return { t: new Date(start).toISOString(), v };
  });
}
