import "@/components/charts/charts.css";
import Link from "next/link";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { SortableHeader } from "@/components/ui/SortableHeader";
import { Table } from "@/components/ui/Table";
import { formatDateTime, formatDuration, formatNumber, formatRelative } from "@/lib/client/format";
import { ariaSortOf, type QueueSort, type QueueSortKey, ratesOf } from "@/lib/client/queue-sort";
import { formatRate } from "@/lib/client/series";
import type { Queue } from "@/lib/schemas/queue";

const queueHref = (name: string) => `/queues/${encodeURIComponent(name)}`;

// The name takes what is left: at least 1100 − 858 px, so on a phone (where the table scrolls in its
// card) a name still shows its first 30 characters or so instead of a dozen.
const columns = ["auto", "112px", "96px", "96px", "92px", "88px", "88px", "150px", "136px"] as const;

type Props = { queues: Queue[]; isLoading?: boolean; sort: QueueSort; onSort: (key: QueueSortKey) => void };

/**
 * Presentational: one row per queue — backlog (visible + in flight + delayed) and each state, rates,
 * oldest message — right-aligned. Fixed column widths (Table's `columns`), so the columns stay put
 * when a search or page changes the rows.
 */
export function QueueTable({ queues, isLoading = false, sort, onSort }: Props) {
  const header = (key: QueueSortKey, label: string, className?: string) => (
    <SortableHeader
      ariaSort={ariaSortOf(sort, key)}
      onSort={() => onSort(key)}
      className={className}
      testId={`sort-${key}`}
    >
      {label}
    </SortableHeader>
  );
  return (
    <Table testId="queue-table" aria-label="Queues" className="queue-table" columns={columns} minWidth={1100}>
      <thead>
        <tr>
          {header("name", "Name")}
          {header("backlog", "Backlog", "num")}
          <th scope="col" className="num">
            Visible
          </th>
          <th scope="col" className="num">
            In flight
          </th>
          <th scope="col" className="num">
            Delayed
          </th>
          {header("sendRate", "In/s", "num")}
          {header("receiveRate", "Out/s", "num")}
          {header("oldestAge", "Oldest message", "num")}
          {header("createdAt", "Created")}
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={9} />}
        {queues.map((queue) => {
          const approx = queue.countsAreExact ? "" : "≈ ";
          const rates = ratesOf(queue);
          const backlog = queue.counts.visible + queue.counts.inFlight + queue.counts.delayed;
          return (
            <tr key={queue.id} data-testid="queue-row" data-queue={queue.name}>
              <td>
                <Link href={queueHref(queue.name)} className="queue-link" title={queue.name}>
                  {queue.name}
                </Link>
              </td>
              <td className="num" data-testid="backlog">
                {approx}
                {formatNumber(backlog)}
              </td>
              <td className="num">
                {approx}
                {formatNumber(queue.counts.visible)}
              </td>
              <td className="num">
                {approx}
                {formatNumber(queue.counts.inFlight)}
              </td>
              <td className="num">
                {approx}
                {formatNumber(queue.counts.delayed)}
              </td>
              <td className="num" data-testid="rate-in">
                {rates ? formatRate(rates.sendPerSecond) : <span className="muted">—</span>}
              </td>
              <td className="num" data-testid="rate-out">
                {rates ? formatRate(rates.receivePerSecond) : <span className="muted">—</span>}
              </td>
              <td className="num">
                {queue.oldestMessageAgeSeconds === null ? (
                  <span className="muted">—</span>
                ) : (
                  formatDuration(queue.oldestMessageAgeSeconds)
                )}
              </td>
              <td className="nowrap">
                {/* The date, which stays put; the relative age would tick on every refresh. */}
                <span title={`${formatDateTime(queue.createdAt)} · ${formatRelative(queue.createdAt)}`}>
                  {formatDateTime(queue.createdAt).slice(0, 10)}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
