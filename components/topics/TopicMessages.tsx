"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { MessageBody } from "@/components/messages/MessageBody";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { LoadMoreFooter } from "@/components/ui/LoadMoreFooter";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatNumber } from "@/lib/client/format";
import { useTopicMessages } from "@/lib/client/topics";
import { deliverySummary } from "@/lib/client/topics-timeline";
import { useNow } from "@/lib/client/use-now";
import type { TopicMessage } from "@/lib/schemas/topic";
import { DeliveryTimeline } from "./DeliveryTimeline";

/**
 * The topic's recent messages, newest first, each with a summary of its fan-out; a message's delivery
 * timeline opens in a dialog (?message=<id> in the URL, so it can be linked and survives a reload).
 */
export function TopicMessages({ topicName }: { topicName: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const openId = searchParams.get("message");
  const openMessage = (id: string | null) => {
    const params = new URLSearchParams(searchParams.toString());
    if (id) params.set("message", id);
    else params.delete("message");
    const search = params.toString();
    router.push(`${pathname}${search ? `?${search}` : ""}`, { scroll: false });
  };

  const query = useTopicMessages(topicName);
  const messages = query.data?.pages.flatMap((page) => page.messages) ?? [];

  let content: ReactNode;
  if (query.isPending) {
    content = <TopicMessageTable messages={[]} isLoading onOpen={openMessage} />;
  } else if (query.isError && !query.data) {
    content = <ErrorBox error={query.error} title="Could not load messages" onRetry={() => query.refetch()} />;
  } else if (messages.length === 0) {
    content = (
      <EmptyState
        testId="topic-messages-empty"
        title="No messages yet"
        description="Messages published to this topic appear here with their deliveries, for as long as the topic keeps them."
      />
    );
  } else {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <TopicMessageTable messages={messages} onOpen={openMessage} />
        <LoadMoreFooter
          shown={`${formatNumber(messages.length)} ${messages.length === 1 ? "message" : "messages"} shown, newest first`}
          pages={query}
          label="Load older"
          testId="load-older"
        />
      </>
    );
  }

  return (
    <section className="card" data-testid="topic-messages">
      <div className="card-header card-header-padded">
        <div>
          <h2 className="card-title">Recent messages</h2>
          <p className="muted small">Each published message and where it went. Open one for its delivery timeline.</p>
        </div>
      </div>
      {content}
      <Dialog
        open={openId !== null}
        onClose={() => openMessage(null)}
        title={`Message ${openId ?? ""}`}
        size="xl"
        testId="topic-message-dialog"
      >
        {openId && <DeliveryTimeline topicName={topicName} id={openId} />}
        <div className="dialog-footer">
          <Button onClick={() => openMessage(null)} data-testid="close-topic-message">
            Close
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

function TopicMessageTable({
  messages,
  isLoading = false,
  onOpen,
}: {
  messages: TopicMessage[];
  isLoading?: boolean;
  onOpen: (id: string) => void;
}) {
  const now = useNow(1_000);
  return (
    <Table testId="topic-message-table" aria-label="Recent messages">
      <thead>
        <tr>
          <th>ID</th>
          <th className="col-body">Body</th>
          <th>Tags / routing key</th>
          <th>Published</th>
          <th>Deliveries</th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows rows={3} columns={5} />}
        {messages.map((message) => (
          <tr key={message.id} data-testid="topic-message-row" data-message-id={message.id}>
            <td>
              <button
                type="button"
                className="link-button mono message-id"
                onClick={() => onOpen(message.id)}
                aria-label={`Open message ${message.id}`}
                data-testid="topic-message-id"
              >
                {message.id}
              </button>
            </td>
            <td className="col-body">
              <MessageBody body={message.body} />
            </td>
            <td>
              {message.routingKey ? (
                <span className="tag mono">{message.routingKey}</span>
              ) : message.tags.length > 0 ? (
                <span className="tags">
                  {message.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </span>
              ) : (
                <span className="muted small">none</span>
              )}
            </td>
            <td>
              <Timestamp iso={message.publishedAt} now={now} />
            </td>
            <td className="small" data-testid="topic-message-deliveries">
              {deliverySummary(message.deliveries)}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
