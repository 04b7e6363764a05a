import { describe, expect, it } from "vitest";
import { addHistogram, bucketOf, emptyHistogram, latencyBoundsMs, latencyBucketCount, quantileMs } from "./latency";

describe("latency histogram", () => {
  it("puts a duration in the first bucket whose bound is at least it", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.25)).toBe(0);
    expect(bucketOf(0.26)).toBe(1);
    expect(bucketOf(1)).toBe(2);
    expect(bucketOf(60_000)).toBe(latencyBoundsMs.length - 1);
    expect(bucketOf(60_001)).toBe(latencyBucketCount - 1);
  });

  it("answers quantiles interpolated inside a bucket, null when empty", () => {
    const h = emptyHistogram();
    expect(quantileMs(h, 0.5)).toBeNull();
    // 100 calls between 10 and 15 ms (bucket 8): the median is halfway through it.
    h[bucketOf(12)] = 100;
    expect(quantileMs(h, 0.5)).toBe(12.5);
    expect(quantileMs(h, 1)).toBe(15);
    // One slow call out of 101 does not move the median but is the maximum.
    h[bucketOf(70_000)] = 1;
    expect(quantileMs(h, 0.5)).toBeCloseTo(12.525, 3);
    expect(quantileMs(h, 1)).toBe(60_000);
  });

  it("adds histograms bucket by bucket (processes and minutes merge)", () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    a[1] = 2;
    b[1] = 3;
    b[5] = 1;
    expect(addHistogram(a, b).slice(0, 6)).toEqual([0, 5, 0, 0, 0, 1]);
  });
});
