import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { MetricName } from "@/lib/schemas/metrics";
import { seriesResponseSchema, topQueuesSchema } from "@/lib/schemas/metrics";
import { apiFetch } from "./api-client";
import { usePollingSetting } from "./polling";
import { metricKeys } from "./query-keys";
import { chartRefetchInterval, type RangePreset, rangeSecondsOf, stepSecondsOf, windowOf } from "./series";

type SeriesParams = { scope: "account" | "queue"; name?: string; metrics: readonly MetricName[]; range: RangePreset };

/** Refetching for charts: the console's polling setting and pause, no faster than the range's step. */
export function useChartRefetchInterval(range: RangePreset): number | false {
  return chartRefetchInterval(usePollingSetting(), stepSecondsOf(rangeSecondsOf(range)));
}

// GET /api/v1/metrics/series — the window ends when the request is made, so each refetch moves it on.
export function useMetricSeries({ scope, name, metrics, range }: SeriesParams) {
  const refetchInterval = useChartRefetchInterval(range);
  const joined = metrics.join(",");
  return useQuery({
    queryKey: metricKeys.series({ scope, name, metrics: joined, range }),
    queryFn: ({ signal }) =>
      apiFetch("/metrics/series", {
        query: { scope, name, metrics: joined, ...windowOf(range, Date.now()) },
        signal,
        response: seriesResponseSchema,
      }),
    // A new range keeps the old chart on screen until its data arrives.
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

// GET /api/v1/metrics/top — the account's queues ranked by backlog, age of the oldest message, or traffic in the range.
export function useTopQueues(by: "backlog" | "age" | "traffic", range: RangePreset, limit = 5) {
  const refetchInterval = useChartRefetchInterval(range);
  return useQuery({
    queryKey: metricKeys.top(by, range),
    queryFn: ({ signal }) =>
      apiFetch("/metrics/top", {
        query: { by, limit, ...windowOf(range, Date.now()) },
        signal,
        response: topQueuesSchema,
      }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
