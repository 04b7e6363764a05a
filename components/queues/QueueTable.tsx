import Link from "next/link";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { formatDateTime, formatDuration, formatNumber, formatRelative } from "@/lib/client/format";
import type { Queue } from "@/lib/schemas/queue";

const queueHref = (name: string) => `/queues/${encodeURIComponent(name)}`;

/** Presentational: one row per queue, counts right-aligned. */
export function QueueTable({ queues, isLoading = false }: { queues: Queue[]; isLoading?: boolean }) {
  return (
    <Table testId="queue-table" aria-label="Queues">
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Visible</th>
          <th className="num">In flight</th>
          <th className="num">Delayed</th>
          <th className="num">Oldest message</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={6} />}
        {queues.map((queue) => {
          const approx = queue.countsAreExact ? "" : "≈ ";
          return (
            <tr key={queue.id} data-testid="queue-row" data-queue={queue.name}>
              <td>
                <Link href={queueHref(queue.name)} className="queue-link">
                  {queue.name}
                </Link>
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
              <td className="num">
                {queue.oldestMessageAgeSeconds === null ? (
                  <span className="muted">—</span>
                ) : (
                  formatDuration(queue.oldestMessageAgeSeconds)
                )}
              </td>
              <td>
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
