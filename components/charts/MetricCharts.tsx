"use client";

import { useMemo } from "react";
import { formatDuration, formatNumber } from "@/lib/client/format";
import { useMetricSeries } from "@/lib/client/metrics";
import {
  type ChartRow,
  formatPercent,
  formatRate,
  prepareSeries,
  type RangePreset,
  ratioRows,
  stackRows,
  summarize,
  totalOf,
} from "@/lib/client/series";
import { timeZoneChoice } from "@/lib/client/time-zone";
import type { MetricName, SeriesResponse } from "@/lib/schemas/metrics";
import { ChartCard, type SummaryItem } from "./ChartCard";
import type { ChartLine } from "./TimeSeriesChart";

const queueMetrics: MetricName[] = [
  "SendMsgNum",
  "RecvMsgNum",
  "DelMsgNum",
  "VisibleMsgNum",
  "InvisibleMsgNum",
  "DelayedMsgNum",
  "OldestMsgAgeSeconds",
];
const accountMetrics: MetricName[] = [...queueMetrics, "ApiRequests", "ApiErrors"];

const throughputLines: ChartLine[] = [
  { key: "sent", label: "Sent", color: "var(--chart-in)" },
  { key: "received", label: "Received", color: "var(--chart-out)" },
  { key: "deleted", label: "Deleted", color: "var(--chart-deleted)" },
];
const backlogLines: ChartLine[] = [
  { key: "visible", label: "Visible", color: "var(--chart-visible)", isBand: true },
  { key: "inFlight", label: "In flight", color: "var(--chart-in-flight)", isBand: true },
  { key: "delayed", label: "Delayed", color: "var(--chart-delayed)", isBand: true },
];
const ageLines: ChartLine[] = [{ key: "age", label: "Oldest message", color: "var(--chart-age)" }];
const errorLines: ChartLine[] = [{ key: "errorRate", label: "Errors", color: "var(--chart-errors)" }];

const count = (n: number | null) => (n === null ? "no data" : formatNumber(Math.round(n)));
const rate = (n: number | null) => (n === null ? "no data" : formatRate(n));
const age = (n: number | null) => (n === null ? "no data" : formatDuration(n));
const percent = (n: number | null) => (n === null ? "no data" : formatPercent(n));

/** The rows of each chart, prepared from one answer (lib/client/series.ts). */
function chartRows(data: SeriesResponse) {
  return {
    throughput: prepareSeries(data, [
      { key: "sent", metric: "SendMsgNum", as: "rate" },
      { key: "received", metric: "RecvMsgNum", as: "rate" },
      { key: "deleted", metric: "DelMsgNum", as: "rate" },
    ]),
    backlog: stackRows(
      prepareSeries(data, [
        { key: "visible", metric: "VisibleMsgNum", as: "value" },
        { key: "inFlight", metric: "InvisibleMsgNum", as: "value" },
        { key: "delayed", metric: "DelayedMsgNum", as: "value" },
      ]),
      ["visible", "inFlight", "delayed"],
    ),
    age: prepareSeries(data, [{ key: "age", metric: "OldestMsgAgeSeconds", as: "value" }]),
    errors: ratioRows(data, "errorRate", "ApiErrors", "ApiRequests"),
  };
}

type Props = {
  scope: "account" | "queue";
  /** the queue (scope queue) */
  name?: string;
  range: RangePreset;
  /** test ids start with it: "overview" or "queue-charts" */
  testId: string;
};

/**
 * Throughput, backlog by state and the oldest message's age (and, for the account, the API's error
 * rate), all from one series request: the account's figures, or one queue's.
 */
export function MetricCharts({ scope, name, range, testId }: Props) {
  const query = useMetricSeries({ scope, name, range, metrics: scope === "account" ? accountMetrics : queueMetrics });
  const { data } = query;
  const zone = timeZoneChoice();
  const rows = useMemo(() => (data ? chartRows(data) : undefined), [data]);
  const bounds = data ? { fromMs: Date.parse(data.from), toMs: Date.parse(data.to) } : undefined;
  const common = {
    bounds,
    zone,
    isPending: query.isPending,
    error: query.isError ? query.error : null,
    onRetry: () => void query.refetch(),
  };

  const latestOf = (chart: ChartRow[] | undefined, key: string) => (chart ? summarize(chart, key) : undefined);
  const sent = latestOf(rows?.throughput, "sent");
  const backlog = latestOf(rows?.backlog, "total");
  const oldest = latestOf(rows?.age, "age");
  const errors = latestOf(rows?.errors, "errorRate");
  const item = (key: string, label: string, value: string): SummaryItem => ({
    label,
    value,
    testId: `${testId}-${key}`,
  });

  const throughputSummary = data
    ? [
        item("sent-total", "Sent in range", count(totalOf(data, "SendMsgNum"))),
        item("received-total", "Received", count(totalOf(data, "RecvMsgNum"))),
        item("deleted-total", "Deleted", count(totalOf(data, "DelMsgNum"))),
        item("sent-peak", "Peak in", rate(sent?.peak ?? null)),
      ]
    : [];
  const lastBacklog = rows?.backlog.findLast((row) => typeof row.total === "number");
  const backlogSummary = [
    item("backlog-latest", "Latest", count(backlog?.latest ?? null)),
    item("visible-latest", "Visible", count(numberOrNull(lastBacklog?.visible))),
    item("in-flight-latest", "In flight", count(numberOrNull(lastBacklog?.inFlight))),
    item("delayed-latest", "Delayed", count(numberOrNull(lastBacklog?.delayed))),
    item("backlog-peak", "Peak", count(backlog?.peak ?? null)),
  ];
  const ageSummary = [
    item("age-latest", "Latest", age(oldest?.latest ?? null)),
    item("age-peak", "Oldest in range", age(oldest?.peak ?? null)),
  ];
  const errorSummary = data
    ? [
        item("errors-total", "Errors", count(totalOf(data, "ApiErrors"))),
        item("requests-total", "of requests", count(totalOf(data, "ApiRequests"))),
        item("error-rate-latest", "Latest rate", percent(errors?.latest ?? null)),
      ]
    : [];

  // A policy about some queues or topics: the account's totals are theirs alone, and no API error rate.
  const isVisibleOnly = scope === "account" && data?.visibleOnly === true;

  return (
    <>
      {isVisibleOnly && (
        <p className="hint" data-testid={`${testId}-visible-only`}>
          These totals cover the queues and topics your access includes. The API error rate counts calls on every
          resource of the account, so it is shown only to users who can see them all.
        </p>
      )}
      <div className="chart-grid">
        <ChartCard
          {...common}
          title="Messages per second"
          description="Sent into the queues, received by consumers, and deleted (acknowledged)."
          testId={`${testId}-throughput`}
          lines={throughputLines}
          rows={rows?.throughput}
          formatValue={formatRate}
          summary={throughputSummary}
        />
        <ChartCard
          {...common}
          title="Backlog by state"
          description="Messages waiting: visible (ready to receive), in flight (received, not yet deleted) and delayed, stacked."
          testId={`${testId}-backlog`}
          lines={backlogLines}
          rows={rows?.backlog}
          formatValue={(v) => formatNumber(Math.round(v))}
          scale="whole"
          summary={backlogSummary}
        />
        <ChartCard
          {...common}
          title="Oldest message"
          description={
            scope === "account"
              ? "Age of the oldest message in any queue: a consumer falling behind shows here first."
              : "Age of the oldest message in the queue: a consumer falling behind shows here first."
          }
          testId={`${testId}-age`}
          lines={ageLines}
          rows={rows?.age}
          formatValue={formatDuration}
          scale="seconds"
          summary={ageSummary}
        />
        {scope === "account" && !isVisibleOnly && (
          <ChartCard
            {...common}
            title="API error rate"
            description="Share of API requests (both APIs) answered with an error, per step. No requests: no rate."
            testId={`${testId}-errors`}
            lines={errorLines}
            rows={rows?.errors}
            formatValue={formatPercent}
            summary={errorSummary}
          />
        )}
      </div>
    </>
  );
}

const numberOrNull = (v: unknown) => (typeof v === "number" ? v : null);
