import { formatBytesReadable, formatDateTime, formatDuration, formatNumber } from "@/lib/client/format";
import { filterTypeInfo } from "@/lib/client/topics-form";
import type { Topic } from "@/lib/schemas/topic";

/** The topic's numbers and fixed facts as a row of stat tiles. */
export function TopicCounts({
  topic,
  loadedAt,
  isRefreshing,
}: {
  topic: Topic;
  /** when the figures were read (the query's dataUpdatedAt) */
  loadedAt: number;
  isRefreshing: boolean;
}) {
  const tiles = [
    { key: "subscriptions", label: "Subscriptions", value: formatNumber(topic.subscriptionCount), tone: "blue" },
    { key: "pending", label: "Pending pushes", value: formatNumber(topic.pendingPushes), tone: "amber" },
    { key: "filter", label: "Filter type", value: filterTypeInfo[topic.filterType].label, tone: "neutral" },
    { key: "max-size", label: "Max message size", value: formatBytesReadable(topic.maxMsgSize), tone: "neutral" },
    { key: "retention", label: "Messages kept", value: formatDuration(topic.msgRetentionSeconds), tone: "neutral" },
  ];
  return (
    <section className="stats" aria-label="Topic figures" data-testid="topic-counts">
      <div className="stats-tiles">
        {tiles.map((tile) => (
          <div key={tile.key} className={`stat stat-${tile.tone}`} data-testid={`topic-count-${tile.key}`}>
            <span className="stat-label">{tile.label}</span>
            <span className="stat-value">{tile.value}</span>
          </div>
        ))}
      </div>
      <p className="stats-note muted small">
        As of {formatDateTime(new Date(loadedAt).toISOString())}
        {isRefreshing && " · refreshing…"}
      </p>
    </section>
  );
}
