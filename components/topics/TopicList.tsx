"use client";

import { listPageSize, pageOf, ResourceList } from "@/components/ui/ResourceList";
import { useTopics } from "@/lib/client/topics";
import { useUrlFilter } from "@/lib/client/url-filter";
import { TopicTable } from "./TopicTable";

/** The topic list page (components/ui/ResourceList: search, paging, states, delete notice). */
export function TopicList() {
  const filter = useUrlFilter({ search: "", offset: "0", deleted: "" }, 250);
  const query = useTopics({
    search: filter.applied.search,
    offset: pageOf(filter.applied.offset),
    limit: listPageSize,
  });
  return (
    <ResourceList
      noun="topic"
      tagline="Publish once, deliver to many"
      createPermission="topic:CreateTopic"
      emptyHint={{
        mayCreate:
          "A topic delivers each published message to its subscriptions: queues of this account or HTTP endpoints, filtered by tags or routing keys. Create one to get started.",
        mayNot: "There are no topics you can see. An admin can create one, or give you access to existing ones.",
      }}
      deletedSuffix="with its recent messages."
      filter={filter}
      query={query}
      rows={query.data?.topics}
      table={(topics, isLoading) => <TopicTable topics={topics} isLoading={isLoading} />}
    />
  );
}
