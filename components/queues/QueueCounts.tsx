import { formatDateTime, formatDuration, formatNumber } from "@/lib/client/format";
import { countOf } from "@/lib/client/operator-contract";
import type { Queue } from "@/lib/schemas/queue";

/** The queue's live numbers as a row of stat tiles. */
export function QueueCounts({ queue, isRefreshing }: { queue: Queue; isRefreshing: boolean }) {
  const approx = queue.countsAreExact ? "" : "≈ ";
  // Dead messages sitting here (this queue is a dead-letter queue), once the server counts them.
  const dead = countOf(queue, "dead");
  const tiles = [
    { key: "visible", label: "Visible", value: `${approx}${formatNumber(queue.counts.visible)}`, tone: "green" },
    { key: "inFlight", label: "In flight", value: `${approx}${formatNumber(queue.counts.inFlight)}`, tone: "blue" },
    { key: "delayed", label: "Delayed", value: `${approx}${formatNumber(queue.counts.delayed)}`, tone: "amber" },
    ...(dead === null ? [] : [{ key: "dead", label: "Dead", value: `${approx}${formatNumber(dead)}`, tone: "red" }]),
    {
      key: "rewindable",
      label: "Rewindable",
      value: queue.rewindSeconds === 0 ? "Off" : `${approx}${formatNumber(queue.counts.rewindable)}`,
      tone: "neutral",
    },
    {
      key: "oldest",
      label: "Oldest message",
      value: queue.oldestMessageAgeSeconds === null ? "—" : formatDuration(queue.oldestMessageAgeSeconds),
      tone: "neutral",
    },
  ];
  return (
    <section className="stats" aria-label="Message counts" data-testid="queue-counts">
      <div className="stats-tiles">
        {tiles.map((tile) => (
          <div key={tile.key} className={`stat stat-${tile.tone}`} data-testid={`count-${tile.key}`}>
            <span className="stat-label">{tile.label}</span>
            <span className="stat-value">{tile.value}</span>
          </div>
        ))}
      </div>
      <p className="stats-note muted small">
        {queue.countsAreExact ? "Exact counts" : "Approximate counts from the last statistics sweep"} as of{" "}
        {formatDateTime(queue.countsAt)}
        {isRefreshing && " · refreshing…"}
      </p>
    </section>
  );
}
