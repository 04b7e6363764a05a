"use client";

import type { ReactNode } from "react";
import { ButtonLink } from "@/components/ui/ButtonLink";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pagination } from "@/components/ui/Pagination";
import { formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useTopics } from "@/lib/client/topics";
import { useUrlFilter } from "@/lib/client/url-filter";
import { TopicTable } from "./TopicTable";

const pageSize = 20;

const pageOf = (offset: string) => (/^\d{1,9}$/.test(offset) ? Number(offset) : 0);

/** The topic list page: search and paging in the URL, the four states of a list, and the table. */
export function TopicList() {
  const filter = useUrlFilter({ search: "", offset: "0", deleted: "" }, 250);
  // Set by the delete button on its way here: say that the topic is gone, until dismissed.
  const deleted = filter.applied.deleted;
  const search = filter.applied.search;
  const offset = pageOf(filter.applied.offset);
  const setOffset = (next: number) => filter.apply({ ...filter.applied, offset: String(next) });

  const query = useTopics({ search, offset, limit: pageSize });
  const { data } = query;
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayCreate = can("topic:CreateTopic");
  const createButton = mayCreate ? (
    <ButtonLink href="/topics/new" variant="primary" data-testid="create-topic">
      Create topic
    </ButtonLink>
  ) : isMeLoading ? null : (
    <DeniedNote reason={reason("topic:CreateTopic")} testId="create-topic-denied">
      Creating topics is not part of your role
    </DeniedNote>
  );

  let content: ReactNode;
  if (query.isPending) {
    content = <TopicTable topics={[]} isLoading />;
  } else if (query.isError && !data) {
    content = <ErrorBox error={query.error} title="Could not load topics" onRetry={() => query.refetch()} />;
  } else if (data && data.total === 0 && !search) {
    content = (
      <EmptyState
        testId="topics-empty"
        title="No topics yet"
        description={
          mayCreate
            ? "A topic delivers each published message to its subscriptions: queues of this account or HTTP endpoints, filtered by tags or routing keys. Create one to get started."
            : "There are no topics you can see. An admin can create one, or give you access to existing ones."
        }
        action={mayCreate ? createButton : undefined}
      />
    );
  } else if (data && data.topics.length === 0) {
    content = (
      <EmptyState
        testId="topics-no-match"
        title={`No topics match “${search}”`}
        description="Try another part of the name."
      />
    );
  } else if (data) {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <TopicTable topics={data.topics} />
        <Pagination offset={offset} limit={pageSize} total={data.total} onChange={setOffset} noun="topics" />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Topics"
        description={
          data
            ? `${formatNumber(data.total)} ${data.total === 1 ? "topic" : "topics"}`
            : "Publish once, deliver to many"
        }
        actions={createButton}
      />
      {deleted && (
        <p className="notice notice-success notice-dismissible" role="status" data-testid="topic-deleted">
          <span>
            Topic <strong className="mono">{deleted}</strong> was deleted, with its recent messages.
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => filter.apply({ ...filter.applied, deleted: "" })}
          >
            Dismiss
          </button>
        </p>
      )}
      <section className="card">
        <div className="card-toolbar">
          <input
            type="search"
            className="input input-search"
            placeholder="Search topics by name"
            aria-label="Search topics"
            value={filter.input.search}
            maxLength={64}
            // A new search starts again from the first page.
            onChange={(e) => filter.setInput({ ...filter.input, search: e.target.value, offset: "0" })}
            data-testid="topic-search"
          />
          {query.isFetching && !query.isPending && <span className="muted small">Refreshing…</span>}
        </div>
        {content}
      </section>
    </>
  );
}
