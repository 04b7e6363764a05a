import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { formatBytesReadable, formatDateTime, formatNumber, formatRelative } from "@/lib/client/format";
import { filterTypeInfo } from "@/lib/client/topics-form";
import type { Topic } from "@/lib/schemas/topic";

export const topicHref = (name: string) => `/topics/${encodeURIComponent(name)}`;

/** Presentational: one row per topic, numbers right-aligned. */
export function TopicTable({ topics, isLoading = false }: { topics: Topic[]; isLoading?: boolean }) {
  return (
    <Table testId="topic-table" aria-label="Topics">
      <thead>
        <tr>
          <th>Name</th>
          <th>Filter</th>
          <th className="num">Subscriptions</th>
          <th className="num">Pending pushes</th>
          <th className="num">Max message size</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={6} />}
        {topics.map((topic) => (
          <tr key={topic.id} data-testid="topic-row" data-topic={topic.name}>
            <td>
              <Link href={topicHref(topic.name)} className="queue-link">
                {topic.name}
              </Link>
            </td>
            <td>
              <Badge tone={topic.filterType === "tag" ? "neutral" : "blue"}>
                {filterTypeInfo[topic.filterType].label}
              </Badge>
            </td>
            <td className="num">{formatNumber(topic.subscriptionCount)}</td>
            <td className="num">{formatNumber(topic.pendingPushes)}</td>
            <td className="num">{formatBytesReadable(topic.maxMsgSize)}</td>
            <td>
              {/* The date, which stays put; the relative age would tick on every refresh. */}
              <span title={`${formatDateTime(topic.createdAt)} · ${formatRelative(topic.createdAt)}`}>
                {formatDateTime(topic.createdAt).slice(0, 10)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
