"use client";

import { MetricCharts } from "@/components/charts/MetricCharts";
import { RangePicker } from "@/components/charts/RangePicker";
import { RefreshNote } from "@/components/charts/RefreshNote";
import { NoAccess } from "@/components/ui/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";
import { Spinner } from "@/components/ui/Spinner";
import { useCan } from "@/lib/client/me";
import { useChartRefetchInterval } from "@/lib/client/metrics";
import { defaultRange, parseRange } from "@/lib/client/series";
import { useUrlFilter } from "@/lib/client/url-filter";
import { TopQueues } from "./TopQueues";

/** The account at a glance: traffic, backlog, oldest message and errors over a range (?range=), and the queues to look at. */
export function Overview() {
  const filter = useUrlFilter({ range: defaultRange as string }, 0);
  const range = parseRange(filter.applied.range);
  const refetchInterval = useChartRefetchInterval(range);
  const { can, reason, isLoading } = useCan();
  const header = (
    <PageHeader title="Overview" description="Traffic and backlog of every queue of your account, per minute." />
  );
  if (isLoading) {
    return (
      <>
        {header}
        <div className="card card-padded center">
          <Spinner label="Checking your access…" />
        </div>
      </>
    );
  }
  if (!can("monitor:read")) {
    return (
      <>
        {header}
        <NoAccess title="Charts are not part of your access" reason={reason("monitor:read")} />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="chart-toolbar">
        <RangePicker value={range} onChange={(next) => filter.apply({ range: next })} />
        <RefreshNote refetchInterval={refetchInterval} />
      </div>
      <MetricCharts scope="account" range={range} testId="overview" />
      <TopQueues range={range} />
    </>
  );
}
