"use client";

import Link from "next/link";
import { PageHeader } from "@/components/ui/PageHeader";
import { Spinner } from "@/components/ui/Spinner";
import { useCan } from "@/lib/client/me";
import { DeliveryTimeline } from "./DeliveryTimeline";
import { topicHref } from "./TopicTable";

/** /topics/{name}/messages/{id}: one message's delivery timeline on its own page, for links. */
export function TopicMessagePage({ topicName, id }: { topicName: string; id: string }) {
  const { can, reason, isLoading } = useCan();
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/topics">Topics</Link> <Link href={`${topicHref(topicName)}?tab=messages`}>{topicName}</Link>
          </>
        }
        title={<span data-testid="topic-message-title">Message {id}</span>}
      />
      <section className="card card-padded">
        {isLoading ? (
          <Spinner label="Checking your access…" />
        ) : can("topic:GetTopicAttributes", topicName) ? (
          <DeliveryTimeline topicName={topicName} id={id} showLink={false} />
        ) : (
          <p className="muted" data-testid="topic-message-denied">
            {reason("topic:GetTopicAttributes", topicName)}
          </p>
        )}
      </section>
    </>
  );
}
