"use client";

import Link from "next/link";
import { type ReactNode, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useSubscriptions } from "@/lib/client/topics";
import { describeFilter, protocolInfo } from "@/lib/client/topics-subscription-form";
import type { Subscription, Topic } from "@/lib/schemas/topic";
import { topicLimits } from "@/lib/schemas/topic";
import { DeleteSubscriptionDialog } from "./DeleteSubscriptionDialog";
import { PushSecretDialog } from "./PushSecretDialog";
import { SubscriptionDialog } from "./SubscriptionDialog";

type Open = { kind: "create" } | { kind: "edit" | "delete" | "secret"; subscription: Subscription } | null;

/** The topic's subscriptions and, for whoever may manage them, create / edit / delete / signing secret. */
export function SubscriptionsPanel({ topic }: { topic: Topic }) {
  const query = useSubscriptions(topic.name);
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayManage = can("topic:Subscribe", topic.name);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const subscriptions = query.data?.subscriptions ?? [];
  const isFull = subscriptions.length >= topicLimits.subscriptionsPerTopic;

  const addButton = mayManage ? (
    <Button
      variant="primary"
      size="sm"
      onClick={() => setOpen({ kind: "create" })}
      disabled={isFull}
      title={isFull ? `A topic has at most ${topicLimits.subscriptionsPerTopic} subscriptions.` : undefined}
      data-testid="add-subscription"
    >
      Add subscription
    </Button>
  ) : (
    !isMeLoading && (
      <DeniedNote reason={reason("topic:Subscribe", topic.name)} testId="subscribe-denied">
        Read-only
      </DeniedNote>
    )
  );

  let content: ReactNode;
  if (query.isPending) {
    content = <SubscriptionTable topic={topic} subscriptions={[]} isLoading />;
  } else if (query.isError && !query.data) {
    content = <ErrorBox error={query.error} title="Could not load subscriptions" onRetry={() => query.refetch()} />;
  } else if (subscriptions.length === 0) {
    content = (
      <EmptyState
        testId="subscriptions-empty"
        title="No subscriptions yet"
        description="Nothing receives this topic's messages yet: subscribe a queue of this account or an HTTP endpoint."
      />
    );
  } else {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <SubscriptionTable
          topic={topic}
          subscriptions={subscriptions}
          onAction={mayManage ? (kind, subscription) => setOpen({ kind, subscription }) : undefined}
        />
        {query.data && query.data.total > subscriptions.length && (
          <p className="muted small list-footer">
            Showing {formatNumber(subscriptions.length)} of {formatNumber(query.data.total)} subscriptions.
          </p>
        )}
      </>
    );
  }

  const close = (message?: string) => {
    setOpen(null);
    if (message) setNotice(message);
  };

  return (
    <section className="card" data-testid="subscriptions">
      <div className="card-header card-header-padded card-header-wrap">
        <div>
          <h2 className="card-title">Subscriptions</h2>
          <p className="muted small">Who receives this topic's messages, and which of them.</p>
        </div>
        {addButton}
      </div>
      {notice && (
        <p className="notice notice-success notice-dismissible card-notice" role="status">
          <span data-testid="subscription-notice">{notice}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}
      {content}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <SubscriptionDialog
          topic={topic}
          subscription={open.kind === "edit" ? open.subscription : undefined}
          onClose={close}
        />
      )}
      {open?.kind === "delete" && (
        <DeleteSubscriptionDialog topicName={topic.name} subscription={open.subscription} onClose={close} />
      )}
      {open?.kind === "secret" && (
        <PushSecretDialog topicName={topic.name} subscription={open.subscription} onClose={() => setOpen(null)} />
      )}
    </section>
  );
}

type Action = "edit" | "delete" | "secret";

function SubscriptionTable({
  topic,
  subscriptions,
  isLoading = false,
  onAction,
}: {
  topic: Topic;
  subscriptions: Subscription[];
  isLoading?: boolean;
  onAction?: (kind: Action, subscription: Subscription) => void;
}) {
  const columns = onAction ? 6 : 5;
  return (
    <Table testId="subscription-table" aria-label="Subscriptions">
      <thead>
        <tr>
          <th>Name</th>
          <th>Endpoint</th>
          <th>{topic.filterType === "tag" ? "Filter tags" : "Binding keys"}</th>
          <th>Delivery</th>
          <th className="num">Pending</th>
          {onAction && (
            <th className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows rows={2} columns={columns} />}
        {subscriptions.map((subscription) => {
          const filter = describeFilter(subscription, topic.filterType);
          const isQueue = subscription.protocol === "queue";
          return (
            <tr key={subscription.id} data-testid="subscription-row" data-subscription={subscription.name}>
              <td>
                <strong className="nowrap">{subscription.name}</strong>
                <div>
                  <Badge tone={isQueue ? "neutral" : "blue"} data-testid="subscription-protocol">
                    {protocolInfo[subscription.protocol].label}
                  </Badge>
                </div>
              </td>
              <td className="subscription-endpoint">
                {isQueue ? (
                  <>
                    <Link href={`/queues/${encodeURIComponent(subscription.endpoint)}`}>{subscription.endpoint}</Link>
                    {!subscription.endpointExists && (
                      <>
                        {" "}
                        <Badge tone="red" data-testid="endpoint-missing">
                          queue deleted
                        </Badge>
                      </>
                    )}
                  </>
                ) : (
                  <span className="mono">{subscription.endpoint}</span>
                )}
              </td>
              <td>
                {filter.items.length > 0 ? (
                  <span className="tags" title={filter.note} data-testid="subscription-filter">
                    {filter.items.map((item) => (
                      <span key={item} className="tag mono">
                        {item}
                      </span>
                    ))}
                  </span>
                ) : (
                  <span className="muted small" data-testid="subscription-filter">
                    {filter.note}
                  </span>
                )}
              </td>
              <td className="small" data-testid="subscription-delivery">
                {isQueue
                  ? "Simplified, in the publish's transaction"
                  : `${subscription.notifyStrategy === "BACKOFF_RETRY" ? "Backoff retry" : "Exponential decay"} · ${subscription.notifyContentFormat === "JSON" ? "JSON" : "Simplified"}`}
              </td>
              <td className="num" data-testid="subscription-pending">
                {isQueue ? "—" : formatNumber(subscription.pendingPushes)}
              </td>
              {onAction && (
                <td className="col-actions">
                  <div className="row-actions">
                    <Button size="sm" onClick={() => onAction("edit", subscription)} data-testid="edit-subscription">
                      Edit
                      <span className="visually-hidden"> {subscription.name}</span>
                    </Button>
                    {subscription.protocol === "http" && (
                      <Button size="sm" onClick={() => onAction("secret", subscription)} data-testid="show-secret">
                        Secret
                        <span className="visually-hidden"> {subscription.name}</span>
                      </Button>
                    )}
                    <Button
                      size="sm"
                      variant="danger"
                      onClick={() => onAction("delete", subscription)}
                      data-testid="delete-subscription"
                    >
                      Delete
                      <span className="visually-hidden"> {subscription.name}</span>
                    </Button>
                  </div>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
