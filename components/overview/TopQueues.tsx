"use client";

import Link from "next/link";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatDuration, formatNumber } from "@/lib/client/format";
import { useTopQueues } from "@/lib/client/metrics";
import type { RangePreset } from "@/lib/client/series";

const lists = [
  {
    by: "backlog",
    title: "Largest backlog",
    description: "Messages waiting now",
    format: (v: number) => formatNumber(v),
  },
  {
    by: "age",
    title: "Oldest message",
    description: "Age of the oldest message now",
    format: (v: number) => formatDuration(v),
  },
  {
    by: "traffic",
    title: "Most traffic",
    description: "Messages sent and received in the range",
    format: (v: number) => formatNumber(v),
  },
] as const;

/** The account's queues that most need a look, three ways; each name links to its queue. */
export function TopQueues({ range }: { range: RangePreset }) {
  return (
    <div className="top-queues">
      {lists.map((list) => (
        <TopList key={list.by} {...list} range={range} />
      ))}
    </div>
  );
}

function TopList({ by, title, description, format, range }: (typeof lists)[number] & { range: RangePreset }) {
  const query = useTopQueues(by, range);
  const { data } = query;
  return (
    <section className="card chart-card" data-testid={`top-${by}`} aria-labelledby={`top-${by}-title`}>
      <h2 className="card-title" id={`top-${by}-title`}>
        {title}
      </h2>
      <p className="muted small">{description}</p>
      {query.isPending && <span className="skeleton" aria-hidden="true" />}
      {query.isError && !data && (
        <ErrorBox error={query.error} title="Could not load the list" onRetry={() => query.refetch()} />
      )}
      {query.isError && data && (
        <p className="notice notice-warning chart-stale" role="status">
          Refresh failed; showing what was last loaded.
        </p>
      )}
      {data && data.queues.length === 0 && (
        <p className="muted small" data-testid={`top-${by}-empty`}>
          No queue has any yet.
        </p>
      )}
      {data && data.queues.length > 0 && (
        <ol className="top-list">
          {data.queues.map((queue) => (
            <li key={queue.name} data-testid={`top-${by}-row`} data-queue={queue.name}>
              <Link href={`/queues/${encodeURIComponent(queue.name)}`} className="queue-link" title={queue.name}>
                {queue.name}
              </Link>
              <span className="num" data-testid="top-value">
                {format(queue.value)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
