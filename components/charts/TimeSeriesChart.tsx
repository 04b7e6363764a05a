"use client";

import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTime } from "@/lib/client/format";
import { type ChartRow, formatTick, peakOf, timeTicks, type ValueScale, valueTicks } from "@/lib/client/series";
import type { TimeZoneChoice } from "@/lib/client/time-zone";

export type ChartLine = {
  key: string;
  label: string;
  /** a CSS colour, e.g. "var(--chart-in)" */
  color: string;
  /** drawn as a stacked band from `${key}Band` (lib/client/series.ts stackRows) instead of a line */
  isBand?: boolean;
};

type Props = {
  rows: ChartRow[];
  lines: ChartLine[];
  fromMs: number;
  toMs: number;
  zone: TimeZoneChoice;
  formatValue: (v: number) => string;
  /** how the value axis steps: messages by whole numbers, ages by round durations */
  scale?: ValueScale;
};

type DotProps = { cx?: number; cy?: number; index?: number; stroke?: string };

/**
 * Draws prepared rows; nothing here computes. Gaps (null) break the line (connectNulls off). A point
 * between two gaps would draw nothing as a line, so it gets a dot. Not a keyboard stop: its text
 * alternative is the summary and the data table beside it (ChartCard).
 */
export function TimeSeriesChart({ rows, lines, fromMs, toMs, zone, formatValue, scale = "decimal" }: Props) {
  // Steps are aligned to the epoch, so the first one may start a little before `from`.
  const startMs = Math.min(fromMs, rows[0]?.t ?? fromMs);
  const spanSeconds = (toMs - startMs) / 1000;
  const ticks = timeTicks(startMs, toMs, zone);
  const yTicks = valueTicks(
    peakOf(
      rows,
      lines.map((line) => (line.isBand ? `${line.key}Band` : line.key)),
    ),
    scale,
  );
  const isIsolated = (key: string, index: number) => {
    const value = (i: number) => rows[i]?.[key];
    return value(index) != null && value(index - 1) == null && value(index + 1) == null;
  };
  // A render function (not a component): recharts calls it for each point.
  const dotFor =
    (key: string) =>
    ({ cx, cy, index = 0, stroke }: DotProps) =>
      cx === undefined || cy === undefined || !isIsolated(key, index) ? (
        <g key={`${key}-${index}`} />
      ) : (
        <circle key={`${key}-${index}`} cx={cx} cy={cy} r={2.5} fill={stroke} stroke="none" />
      );
  return (
    <ComposedChart
      data={rows}
      responsive
      style={{ width: "100%", height: "100%" }}
      margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[startMs, toMs]}
        ticks={ticks}
        tickFormatter={(t: number) => formatTick(t, spanSeconds, zone)}
        stroke="var(--chart-grid)"
        tick={{ fill: "var(--chart-axis)", fontSize: 12 }}
        allowDataOverflow
      />
      <YAxis
        width={60}
        tickFormatter={(v: number) => formatValue(v)}
        stroke="var(--chart-grid)"
        tick={{ fill: "var(--chart-axis)", fontSize: 12 }}
        ticks={yTicks}
        domain={[0, yTicks.at(-1) ?? 1]}
        interval={0}
      />
      <Tooltip
        isAnimationActive={false}
        content={({ active, payload }) => {
          const row = payload?.[0]?.payload as ChartRow | undefined;
          if (!active || !row) return null;
          return (
            <div className="chart-tooltip">
              <div className="chart-tooltip-time">{formatDateTime(new Date(row.t).toISOString(), zone)}</div>
              {lines.map((line) => {
                const v = row[line.key];
                return (
                  <div key={line.key} className="chart-tooltip-row">
                    <span className="chart-swatch" style={{ background: line.color }} />
                    {line.label}: {typeof v === "number" ? formatValue(v) : "no data"}
                  </div>
                );
              })}
            </div>
          );
        }}
      />
      {lines.map((line) =>
        line.isBand ? (
          <Area
            key={line.key}
            type="linear"
            dataKey={`${line.key}Band`}
            name={line.label}
            stroke={line.color}
            fill={line.color}
            fillOpacity={0.35}
            connectNulls={false}
            isAnimationActive={false}
            dot={dotFor(`${line.key}Band`)}
          />
        ) : (
          <Line
            key={line.key}
            type="linear"
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={false}
            dot={dotFor(line.key)}
            activeDot={{ r: 3 }}
          />
        ),
      )}
    </ComposedChart>
  );
}
