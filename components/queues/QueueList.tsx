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
import { nextQueueSort, type QueueSortKey, queueSortParams, readQueueSort } from "@/lib/client/queue-sort";
import { useQueues } from "@/lib/client/queues";
import { useUrlFilter } from "@/lib/client/url-filter";
import { QueueTable } from "./QueueTable";

const pageSize = 20;

const pageOf = (offset: string) => (/^\d{1,9}$/.test(offset) ? Number(offset) : 0);

/** The queue list page: search and paging in the URL, the four states of a list, and the table. */
export function QueueList() {
  const filter = useUrlFilter({ search: "", offset: "0", deleted: "", sort: "", order: "" }, 250);
  // Set by the delete button on its way here: say that the queue is gone, until dismissed.
  const deleted = filter.applied.deleted;
  const search = filter.applied.search;
  const offset = pageOf(filter.applied.offset);
  const setOffset = (next: number) => filter.apply({ ...filter.applied, offset: String(next) });

  const sort = readQueueSort(filter.applied.sort, filter.applied.order);
  // A new order starts again from the first page.
  const setSort = (key: QueueSortKey) =>
    filter.apply({ ...filter.applied, ...queueSortParams(nextQueueSort(sort, key)), offset: "0" });

  const query = useQueues({ search, offset, limit: pageSize, ...queueSortParams(sort) });
  const { data } = query;
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayCreate = can("queue:CreateQueue");
  const createButton = mayCreate ? (
    <ButtonLink href="/queues/new" variant="primary" data-testid="create-queue">
      Create queue
    </ButtonLink>
  ) : isMeLoading ? null : (
    <DeniedNote reason={reason("queue:CreateQueue")} testId="create-queue-denied">
      Creating queues is not part of your role
    </DeniedNote>
  );

  let content: ReactNode;
  if (query.isPending) {
    content = <QueueTable queues={[]} isLoading sort={sort} onSort={setSort} />;
  } else if (query.isError && !data) {
    content = <ErrorBox error={query.error} title="Could not load queues" onRetry={() => query.refetch()} />;
  } else if (data && data.total === 0 && !search) {
    content = (
      <EmptyState
        testId="queues-empty"
        title="No queues yet"
        description={
          mayCreate
            ? "A queue holds messages until a consumer receives and deletes them. Create one to get started."
            : "There are no queues you can see. An admin can create one, or give you access to existing ones."
        }
        action={mayCreate ? createButton : undefined}
      />
    );
  } else if (data && data.queues.length === 0) {
    content = (
      <EmptyState
        testId="queues-no-match"
        title={`No queues match “${search}”`}
        description="Try another part of the name."
      />
    );
  } else if (data) {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <QueueTable queues={data.queues} sort={sort} onSort={setSort} />
        <Pagination offset={offset} limit={pageSize} total={data.total} onChange={setOffset} noun="queues" />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Queues"
        description={
          data ? `${formatNumber(data.total)} ${data.total === 1 ? "queue" : "queues"}` : "Your message queues"
        }
        actions={createButton}
      />
      {deleted && (
        <p className="notice notice-success notice-dismissible" role="status" data-testid="queue-deleted">
          <span>
            Queue <strong className="mono">{deleted}</strong> was deleted, with every message in it.
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
            placeholder="Search queues by name"
            aria-label="Search queues"
            value={filter.input.search}
            maxLength={64}
            // A new search starts again from the first page.
            onChange={(e) => filter.setInput({ ...filter.input, search: e.target.value, offset: "0" })}
            data-testid="queue-search"
          />
          {query.isFetching && !query.isPending && <span className="muted small">Refreshing…</span>}
        </div>
        {content}
      </section>
    </>
  );
}
