"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { DeniedPanel } from "@/components/ui/DeniedPanel";
import { PageHeader } from "@/components/ui/PageHeader";
import { ResourceLoadState } from "@/components/ui/ResourceLoadState";
import { formatDateTime } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useTopic } from "@/lib/client/topics";
import { filterTypeInfo } from "@/lib/client/topics-form";
import { DeleteTopicButton } from "./DeleteTopicButton";
import { PublishForm } from "./PublishForm";
import { RoutingTester } from "./RoutingTester";
import { SubscriptionsPanel } from "./SubscriptionsPanel";
import { TopicAttributesPanel } from "./TopicAttributesPanel";
import { TopicCounts } from "./TopicCounts";
import { TopicMessages } from "./TopicMessages";
import { type TopicTab, TopicTabs, topicTabOf } from "./TopicTabs";

/**
 * The topic page: its figures, then tabs (in the URL's ?tab=): subscriptions, publish, the routing
 * tester, recent messages with their delivery timelines, settings.
 */
export function TopicDetail({ name }: { name: string }) {
  const query = useTopic(name);
  const searchParams = useSearchParams();
  const { can, reason, isLoading: isMeLoading } = useCan();
  const breadcrumb = <Link href="/topics">Topics</Link>;

  if (query.data === undefined) return <ResourceLoadState query={query} noun="topic" name={name} />;

  const topic = query.data;
  const tab = topicTabOf(searchParams.get("tab"));
  const panel: Record<TopicTab, ReactNode> = {
    subscriptions: <SubscriptionsPanel topic={topic} />,
    publish: can("topic:PublishMessage", topic.name) ? (
      <PublishForm topic={topic} />
    ) : (
      <DeniedPanel
        title="Publish"
        reason={reason("topic:PublishMessage", topic.name)}
        isChecking={isMeLoading}
        testId="publish-denied"
      />
    ),
    routing: <RoutingTester topic={topic} />,
    messages: <TopicMessages topicName={topic.name} />,
    settings: <TopicAttributesPanel topic={topic} />,
  };
  return (
    <>
      <PageHeader
        breadcrumb={breadcrumb}
        title={<span data-testid="topic-title">{topic.name}</span>}
        description={
          <>
            {filterTypeInfo[topic.filterType].label} · <span className="mono">{topic.topicId}</span> · created{" "}
            {formatDateTime(topic.createdAt)} · last changed {formatDateTime(topic.updatedAt)}
          </>
        }
        actions={can("topic:DeleteTopic", topic.name) && <DeleteTopicButton topic={topic} />}
      />
      <TopicCounts topic={topic} loadedAt={query.dataUpdatedAt} isRefreshing={query.isFetching} />
      <TopicTabs current={tab} />
      <div role="tabpanel" id={`topic-tab-${tab}`} aria-labelledby={`topic-tab-${tab}-label`} className="tab-panel">
        {panel[tab]}
      </div>
    </>
  );
}
