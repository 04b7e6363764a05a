"use client";

import { MetricCharts } from "@/components/charts/MetricCharts";
import { RangePicker } from "@/components/charts/RangePicker";
import { RefreshNote } from "@/components/charts/RefreshNote";
import { PageHeader } from "@/components/ui/PageHeader";
import { PermissionGate } from "@/components/ui/PermissionGate";
import { useChartRefetchInterval } from "@/lib/client/metrics";
import { defaultRange, parseRange } from "@/lib/client/series";
import { useUrlFilter } from "@/lib/client/url-filter";
import { TopQueues } from "./TopQueues";

const header = (
  <PageHeader title="Overview" description="Traffic and backlog of every queue of your account, per minute." />
);

/** The account at a glance: traffic, backlog, oldest message and errors over a range (?range=), and the queues to look at. */
export function Overview() {
  const filter = useUrlFilter({ range: defaultRange as string }, 0);
  const range = parseRange(filter.applied.range);
  const refetchInterval = useChartRefetchInterval(range);
  return (
    <PermissionGate permission="monitor:read" header={header} deniedTitle="Charts are not part of your access">
      {header}
      <div className="chart-toolbar">
        <RangePicker value={range} onChange={(next) => filter.apply({ range: next })} />
        <RefreshNote refetchInterval={refetchInterval} />
      </div>
      <MetricCharts scope="account" range={range} testId="overview" />
      <TopQueues range={range} />
    </PermissionGate>
  );
}
