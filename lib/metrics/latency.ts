// API latency as a fixed-bucket histogram: cheap to bump on every request (one binary search), and
// mergeable by adding bucket counts — across processes, minutes and hours — so percentiles of any
// range come from stored buckets. Quantiles are interpolated inside a bucket: their error is at most
// the bucket's width (≤ ~50% of the value between 1 ms and 60 s, exact at the boundaries).

/** Upper bounds (ms) of the buckets; one more bucket catches everything slower. */
export const latencyBoundsMs = [
  0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500,
  10_000, 15_000, 20_000, 30_000, 60_000,
] as const;

export const latencyBucketCount = latencyBoundsMs.length + 1;

export const emptyHistogram = (): number[] => new Array(latencyBucketCount).fill(0);

/** The bucket a duration falls in: the first whose bound is ≥ ms (Prometheus' `le`). */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi: number = latencyBoundsMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= (latencyBoundsMs[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds `from` into `into` bucket by bucket (histograms of different lengths: missing buckets are 0). */
export function addHistogram(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0 < q ≤ 1) in ms, interpolated linearly inside its bucket; null when empty. The
 * overflow bucket answers its lower bound (the largest finite one).
 */
export function quantileMs(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      const upper = latencyBoundsMs[i];
      const lower = i === 0 ? 0 : (latencyBoundsMs[i - 1] as number);
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / n;
    }
    below += n;
  }
  return latencyBoundsMs[latencyBoundsMs.length - 1] as number;
}
