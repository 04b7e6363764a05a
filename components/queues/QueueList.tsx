"use client";

import { listPageSize, pageOf, ResourceList } from "@/components/ui/ResourceList";
import { nextQueueSort, type QueueSortKey, queueSortParams, readQueueSort } from "@/lib/client/queue-sort";
import { useQueues } from "@/lib/client/queues";
import { useUrlFilter } from "@/lib/client/url-filter";
import { QueueTable } from "./QueueTable";

/** The queue list page (components/ui/ResourceList), with its sortable columns in the URL too. */
export function QueueList() {
  const filter = useUrlFilter({ search: "", offset: "0", deleted: "", sort: "", order: "" }, 250);
  const sort = readQueueSort(filter.applied.sort, filter.applied.order);
  // A new order starts again from the first page.
  const setSort = (key: QueueSortKey) =>
    filter.apply({ ...filter.applied, ...queueSortParams(nextQueueSort(sort, key)), offset: "0" });
  const query = useQueues({
    search: filter.applied.search,
    offset: pageOf(filter.applied.offset),
    limit: listPageSize,
    ...queueSortParams(sort),
  });
  return (
    <ResourceList
      noun="queue"
      tagline="Your message queues"
      createPermission="queue:CreateQueue"
      emptyHint={{
        mayCreate: "A queue holds messages until a consumer receives and deletes them. Create one to get started.",
        mayNot: "There are no queues you can see. An admin can create one, or give you access to existing ones.",
      }}
      deletedSuffix="with every message in it."
      filter={filter}
      query={query}
      rows={query.data?.queues}
      table={(queues, isLoading) => <QueueTable queues={queues} isLoading={isLoading} sort={sort} onSort={setSort} />}
    />
  );
}
