"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { ButtonLink } from "@/components/ui/ButtonLink";
import { DeniedPanel } from "@/components/ui/DeniedPanel";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { PageHeader } from "@/components/ui/PageHeader";
import { Spinner } from "@/components/ui/Spinner";
import { isApiError } from "@/lib/client/api-client";
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

  if (query.isPending) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title={name} />
        <div className="card card-padded center">
          <Spinner label="Loading topic…" />
        </div>
      </>
    );
  }

  // A failed refresh keeps what was loaded (the connection notice says it may be stale).
  if (query.isError && !query.data) {
    const isNotFound = isApiError(query.error) && query.error.status === 404;
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title={name} />
        {isNotFound ? (
          <div className="card">
            <EmptyState
              testId="topic-not-found"
              title="Topic not found"
              description={`There is no topic named “${name}” in your account. It may have been deleted.`}
              action={<ButtonLink href="/topics">Back to topics</ButtonLink>}
            />
          </div>
        ) : (
          <ErrorBox error={query.error} title="Could not load the topic" onRetry={() => query.refetch()} />
        )}
      </>
    );
  }

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
