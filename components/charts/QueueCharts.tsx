"use client";

import { useChartRefetchInterval } from "@/lib/client/metrics";
import { ratesOf } from "@/lib/client/queue-sort";
import { defaultRange, formatRate, parseRange } from "@/lib/client/series";
import { useUrlFilter } from "@/lib/client/url-filter";
import type { Queue } from "@/lib/schemas/queue";
import { MetricCharts } from "./MetricCharts";
import { RangePicker } from "./RangePicker";
import { RefreshNote } from "./RefreshNote";

/** The queue page's Charts tab: this queue's throughput, backlog by state and oldest age over a range (?range=). */
export function QueueCharts({ queue }: { queue: Queue }) {
  const filter = useUrlFilter({ range: defaultRange as string }, 0);
  const range = parseRange(filter.applied.range);
  const refetchInterval = useChartRefetchInterval(range);
  const rates = ratesOf(queue);
  return (
    <section aria-label="Charts" data-testid="queue-charts">
      <div className="chart-toolbar">
        <RangePicker value={range} onChange={(next) => filter.apply({ range: next })} />
        <RefreshNote refetchInterval={refetchInterval} />
      </div>
      {rates && (
        <p className="muted small chart-rates" data-testid="queue-rates">
          Last 5 minutes: in {formatRate(rates.sendPerSecond)}, received {formatRate(rates.receivePerSecond)}, deleted{" "}
          {formatRate(rates.deletePerSecond)}.
        </p>
      )}
      <MetricCharts scope="queue" name={queue.name} range={range} testId="queue-charts" />
    </section>
  );
}
