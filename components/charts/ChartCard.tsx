"use client";

import "./charts.css";
import { type ReactNode, useState } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatDateTime } from "@/lib/client/format";
import type { ChartRow, ValueScale } from "@/lib/client/series";
import type { TimeZoneChoice } from "@/lib/client/time-zone";
import { type ChartLine, TimeSeriesChart } from "./TimeSeriesChart";

export type SummaryItem = { label: string; value: string; testId: string };

type Props = {
  title: string;
  description: string;
  testId: string;
  lines: ChartLine[];
  rows: ChartRow[] | undefined;
  /** the answer's from and to */
  bounds: { fromMs: number; toMs: number } | undefined;
  zone: TimeZoneChoice;
  formatValue: (v: number) => string;
  /** how the value axis steps (TimeSeriesChart) */
  scale?: ValueScale;
  /** the chart in words: its text alternative, also read by the tests */
  summary: SummaryItem[];
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
};

/**
 * One chart with its states: loading, failed (no data yet), stale (a refresh failed: the last data
 * stays, with a note), empty (nothing recorded in the range) and drawn. Beside the drawing, what it
 * says in words (a summary and, on demand, every point as a table), so a screen reader, a keyboard
 * user and a test read the same figures the chart draws.
 */
export function ChartCard(props: Props) {
  const { title, description, testId, lines, rows, bounds, zone, formatValue, summary, isPending, error } = props;
  const hasData = rows?.some((row) => lines.some((line) => typeof row[line.key] === "number")) ?? false;
  let body: ReactNode;
  if (isPending || !rows || !bounds) {
    body = <div className="chart-empty skeleton" aria-hidden="true" />;
  } else if (!hasData) {
    body = (
      <div className="chart-empty" data-testid={`${testId}-empty`}>
        <p className="empty-state-title">No data in this range</p>
        <p className="muted small">Metrics are recorded each minute; new traffic shows up within a minute.</p>
      </div>
    );
  } else {
    body = (
      <div className="chart-frame" role="img" aria-label={`${title}: ${summaryText(summary)}`}>
        <TimeSeriesChart
          rows={rows}
          lines={lines}
          fromMs={bounds.fromMs}
          toMs={bounds.toMs}
          zone={zone}
          formatValue={formatValue}
          scale={props.scale}
        />
      </div>
    );
  }
  return (
    <section className="card chart-card" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <div className="chart-card-head">
        <h2 className="card-title" id={`${testId}-title`}>
          {title}
        </h2>
        <Legend lines={lines} />
      </div>
      <p className="muted small chart-description">{description}</p>
      {error != null && !rows && <ErrorBox error={error} title="Could not load this chart" onRetry={props.onRetry} />}
      {error != null && rows && (
        <p className="notice notice-warning chart-stale" role="status" data-testid={`${testId}-stale`}>
          Refresh failed; this chart shows what it last loaded.
        </p>
      )}
      {!(error != null && !rows) && body}
      {rows && hasData && (
        <>
          <dl className="chart-summary" data-testid={`${testId}-summary`}>
            {summary.map((item) => (
              <div key={item.testId}>
                <dt>{item.label}</dt>
                <dd data-testid={item.testId}>{item.value}</dd>
              </div>
            ))}
          </dl>
          <DataTable title={title} rows={rows} lines={lines} zone={zone} formatValue={formatValue} testId={testId} />
        </>
      )}
    </section>
  );
}

const summaryText = (summary: SummaryItem[]) => summary.map((s) => `${s.label} ${s.value}`).join("; ");

function Legend({ lines }: { lines: ChartLine[] }) {
  if (lines.length < 2) return null;
  return (
    <ul className="chart-summary" aria-label="Legend">
      {lines.map((line) => (
        <li key={line.key} className="chart-tooltip-row">
          <span className="chart-swatch" style={{ background: line.color }} aria-hidden="true" />
          <span className="small">{line.label}</span>
        </li>
      ))}
    </ul>
  );
}

/** Every point of the chart, newest first; built only when opened (30 days are 720 rows). */
function DataTable({
  title,
  rows,
  lines,
  zone,
  formatValue,
  testId,
}: {
  title: string;
  rows: ChartRow[];
  lines: ChartLine[];
  zone: TimeZoneChoice;
  formatValue: (v: number) => string;
  testId: string;
}) {
  const [isOpen, setOpen] = useState(false);
  return (
    <details className="chart-data" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid={`${testId}-show-data`}>Show the data as a table</summary>
      {isOpen && (
        <div className="table-wrap">
          <table className="table" data-testid={`${testId}-data`}>
            <caption className="visually-hidden">{title}, one row per time step</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {lines.map((line) => (
                  <th key={line.key} scope="col" className="num">
                    {line.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((row) => (
                <tr key={row.t}>
                  <td className="nowrap">{formatDateTime(new Date(row.t).toISOString(), zone)}</td>
                  {lines.map((line) => {
                    const v = row[line.key];
                    return (
                      <td key={line.key} className="num" data-key={line.key}>
                        {typeof v === "number" ? formatValue(v) : <span className="muted">no data</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
