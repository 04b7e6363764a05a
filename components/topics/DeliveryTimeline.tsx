"use client";

import Link from "next/link";
import { useState } from "react";
import { BodyViewer } from "@/components/messages/BodyViewer";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Spinner } from "@/components/ui/Spinner";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { isApiError } from "@/lib/client/api-client";
import { useCan } from "@/lib/client/me";
import { useRedeliver, useSubscriptions, useTopicMessage } from "@/lib/client/topics";
import {
  attemptRows,
  type Delivery,
  deliveryNote,
  deliveryStatusInfo,
  deliverySummary,
  queueMessageHref,
  topicMessageHref,
} from "@/lib/client/topics-timeline";
import { useNow } from "@/lib/client/use-now";
import type { TopicMessage } from "@/lib/schemas/topic";

/**
 * One topic message and its delivery timeline: every fan-out — a queue's copy (linked to that queue's
 * message browser), an HTTP push with each attempt's status, latency, error and next try — and
 * "Redeliver to this subscription".
 */
export function DeliveryTimeline({
  topicName,
  id,
  showLink = true,
}: {
  topicName: string;
  id: string;
  showLink?: boolean;
}) {
  const query = useTopicMessage(topicName, id);
  const now = useNow(1_000);
  const { can } = useCan();
  const mayRedeliver = can("topic:PublishMessage", topicName);
  // Redelivery goes to a subscription that still exists.
  const subscriptions = useSubscriptions(topicName);
  const current = new Set(subscriptions.data?.subscriptions.map((s) => s.name));
  if (query.isPending) return <Spinner label="Loading message…" />;
  if (query.isError && !query.data) {
    if (isApiError(query.error) && query.error.status === 404) {
      return (
        <EmptyState
          testId="topic-message-not-found"
          title="Message not found"
          description={`Topic “${topicName}” has no message ${id}: it may have expired (a topic keeps messages for a day).`}
        />
      );
    }
    return <ErrorBox error={query.error} title="Could not load the message" onRetry={() => query.refetch()} />;
  }
  const message = query.data;
  return (
    <div className="message-detail" data-testid="delivery-timeline">
      <MessageFacts message={message} now={now} />
      <BodyViewer id={message.id} body={message.body} />
      {showLink && (
        <Link href={topicMessageHref(topicName, message.id)} className="link-button" data-testid="topic-message-link">
          Open this message on its own page
        </Link>
      )}
      <h3 className="form-section-title">Deliveries · {deliverySummary(message.deliveries)}</h3>
      {message.deliveries.length === 0 ? (
        <p className="muted">No subscription matched this message when it was published.</p>
      ) : (
        <ol className="timeline">
          {message.deliveries.map((delivery, i) => (
            <DeliveryItem
              // A redelivery adds another fan-out to the same subscription: position tells them apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: deliveries have no id of their own
              key={`${delivery.subscription}-${i}`}
              topicName={topicName}
              messageId={message.id}
              delivery={delivery}
              canRedeliver={mayRedeliver && current.has(delivery.subscription)}
              now={now}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function MessageFacts({ message, now }: { message: TopicMessage; now: number }) {
  return (
    <dl className="attribute-list message-fields">
      <div className="attribute-row">
        <dt>ID</dt>
        <dd className="mono" data-testid="topic-message-field-id">
          {message.id}
        </dd>
      </div>
      <div className="attribute-row">
        <dt>Published</dt>
        <dd>
          <Timestamp iso={message.publishedAt} now={now} />
        </dd>
      </div>
      <div className="attribute-row">
        <dt>{message.routingKey ? "Routing key" : "Tags"}</dt>
        <dd className="mono" data-testid="topic-message-field-filter">
          {message.routingKey ? message.routingKey : message.tags.length > 0 ? message.tags.join(", ") : "none"}
        </dd>
      </div>
    </dl>
  );
}

function DeliveryItem({
  topicName,
  messageId,
  delivery,
  canRedeliver,
  now,
}: {
  topicName: string;
  messageId: string;
  delivery: Delivery;
  canRedeliver: boolean;
  now: number;
}) {
  const status = deliveryStatusInfo[delivery.status];
  const attempts = attemptRows(delivery.attempts);
  return (
    <li
      className="timeline-item"
      data-testid="delivery"
      data-subscription={delivery.subscription}
      data-status={delivery.status}
    >
      <div className="timeline-head">
        <strong>{delivery.subscription}</strong>
        <Badge tone={delivery.protocol === "queue" ? "neutral" : "blue"}>
          {delivery.protocol === "queue" ? "Queue" : "HTTP"}
        </Badge>
        <Badge tone={status.tone} data-testid="delivery-status">
          {status.label}
        </Badge>
        {canRedeliver && <RedeliverButton topicName={topicName} messageId={messageId} delivery={delivery} />}
      </div>
      <p className="small" data-testid="delivery-note">
        {deliveryNote(delivery)}
      </p>
      {delivery.protocol === "queue" ? (
        delivery.queueMessageId &&
        delivery.endpoint && (
          <Link
            href={queueMessageHref(delivery.endpoint, delivery.queueMessageId)}
            className="small"
            data-testid="delivery-queue-message"
          >
            Message {delivery.queueMessageId} in queue {delivery.endpoint}
          </Link>
        )
      ) : (
        <>
          <p className="small mono subscription-endpoint">{delivery.endpoint}</p>
          {attempts.length > 0 && (
            <Table
              testId="delivery-attempts"
              aria-label={`Attempts to deliver to ${delivery.subscription}`}
              className="table-compact"
            >
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Started</th>
                  <th>Result</th>
                  <th className="num">Latency</th>
                  <th>Next try</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr key={a.attempt} data-testid="delivery-attempt">
                    <td className="num">{a.attempt}</td>
                    <td>
                      <Timestamp iso={a.startedAt} now={now} />
                    </td>
                    <td>
                      <Badge tone={a.isSuccess ? "green" : "red"} data-testid="attempt-outcome">
                        {a.outcome}
                      </Badge>
                      {a.error && (
                        <div className="small attempt-error" data-testid="attempt-error">
                          {a.error}
                        </div>
                      )}
                    </td>
                    <td className="num">{a.latency}</td>
                    <td>
                      {a.nextAttemptAt ? (
                        <Timestamp iso={a.nextAttemptAt} now={now} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {delivery.status === "pending" && delivery.nextAttemptAt && (
            <p className="small delivery-next" data-testid="delivery-next">
              Next attempt: <Timestamp iso={delivery.nextAttemptAt} now={now} />
            </p>
          )}
        </>
      )}
    </li>
  );
}

function RedeliverButton({
  topicName,
  messageId,
  delivery,
}: {
  topicName: string;
  messageId: string;
  delivery: Delivery;
}) {
  const redeliver = useRedeliver(topicName, messageId);
  const [isOpen, setIsOpen] = useState(false);
  const close = () => {
    setIsOpen(false);
    redeliver.reset();
  };
  return (
    <>
      <Button size="sm" onClick={() => setIsOpen(true)} data-testid="redeliver">
        Redeliver to this subscription
      </Button>
      <ConfirmDialog
        open={isOpen}
        testId="redeliver-dialog"
        title="Redeliver"
        confirmVariant="primary"
        description={
          <p>
            Sends message <span className="mono">{messageId}</span> to <strong>{delivery.subscription}</strong> once
            more
            {delivery.protocol === "queue"
              ? `: queue ${delivery.endpoint} gets a new copy, even if it still holds the first one.`
              : ": a new push with its own attempts, whatever happened to the earlier one."}
          </p>
        }
        confirmLabel="Redeliver"
        isPending={redeliver.isPending}
        error={redeliver.error ?? undefined}
        onCancel={close}
        onConfirm={() => redeliver.mutate(delivery.subscription, { onSuccess: close })}
      />
    </>
  );
}
