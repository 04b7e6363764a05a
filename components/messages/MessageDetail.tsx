"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Spinner } from "@/components/ui/Spinner";
import { Timestamp } from "@/components/ui/Timestamp";
import { isApiError } from "@/lib/client/api-client";
import { formatBytes, formatNumber, formatRelative } from "@/lib/client/format";
import { useMessage } from "@/lib/client/messages";
import { useNow } from "@/lib/client/use-now";
import type { PeekedMessage } from "@/lib/schemas/peek";
import { BodyViewer } from "./BodyViewer";
import { MessageActions } from "./MessageActions";
import { MessageStateBadge } from "./MessageStateBadge";

export const messageHref = (queueName: string, id: string) =>
  `/queues/${encodeURIComponent(queueName)}/messages/${encodeURIComponent(id)}`;

/**
 * One message in full, peeked (never received): every system field, the body as a JSON tree or raw,
 * its size, copy, a direct link, and the operator's actions on it. `onGone` after it left the queue.
 */
export function MessageDetail({
  queueName,
  id,
  onGone,
  showLink = true,
}: {
  queueName: string;
  id: string;
  onGone?: () => void;
  showLink?: boolean;
}) {
  const query = useMessage(queueName, id);
  if (query.isPending) return <Spinner label="Loading message…" />;
  if (query.isError && !query.data) {
    if (isApiError(query.error) && query.error.status === 404) {
      return (
        <EmptyState
          testId="message-not-found"
          title="Message not found"
          description={`Queue “${queueName}” has no message ${id}: it was consumed, deleted, moved or expired.`}
        />
      );
    }
    return <ErrorBox error={query.error} title="Could not load the message" onRetry={() => query.refetch()} />;
  }
  const message = query.data;
  return (
    <div className="message-detail" data-testid="message-detail">
      <MessageFields message={message} queueName={queueName} />
      <BodyViewer id={message.id} body={message.body} />
      <div className="message-detail-links">
        {showLink && (
          <Link href={messageHref(queueName, message.id)} className="link-button" data-testid="message-link">
            Open this message on its own page
          </Link>
        )}
      </div>
      <MessageActions queueName={queueName} message={message} onGone={onGone} />
    </div>
  );
}

function MessageFields({ message, queueName }: { message: PeekedMessage; queueName: string }) {
  const now = useNow(1_000);
  const rows: [string, ReactNode, string][] = [
    [
      "ID",
      <code key="id" className="mono">
        {message.id}
      </code>,
      "id",
    ],
    ["Queue", queueName, "queue"],
    ["State", <MessageStateBadge key="state" message={message} />, "state"],
    ["Size", `${formatBytes(message.sizeBytes)} (${formatNumber(message.sizeBytes)} bytes)`, "size"],
    ["Enqueued", <Timestamp key="enq" iso={message.enqueuedAt} now={now} />, "enqueued"],
  ];
  if (message.firstEnqueuedAt) {
    rows.push(["First enqueued", <Timestamp key="fe" iso={message.firstEnqueuedAt} now={now} />, "first-enqueued"]);
  }
  rows.push([
    "First received",
    message.firstDequeuedAt ? <Timestamp key="fd" iso={message.firstDequeuedAt} now={now} /> : "never",
    "first-dequeued",
  ]);
  if (message.nextVisibleAt) {
    const isFuture = Date.parse(message.nextVisibleAt) > now;
    const label = message.state === "inFlight" ? "Lease ends" : isFuture ? "Visible from" : "Visible since";
    rows.push([label, <Timestamp key="nv" iso={message.nextVisibleAt} now={now} />, "next-visible"]);
  }
  rows.push(["Receives (dequeue count)", formatNumber(message.dequeueCount), "dequeue-count"]);
  rows.push(["Redrives", formatNumber(message.redriveCount), "redrive-count"]);
  rows.push(["Tags", message.tags.length > 0 ? message.tags.join(", ") : "none", "tags"]);
  if (message.death) {
    rows.push([
      message.isDead ? "Died because" : "Last died because",
      <span key="reason" data-testid="death-reason">
        {deathReasonText(message.death.reason, message.death.dequeueCount)}
      </span>,
      "death-reason",
    ]);
    rows.push([
      "Origin queue",
      message.death.fromQueue ? (
        <Link key="from" href={`/queues/${encodeURIComponent(message.death.fromQueue)}`}>
          {message.death.fromQueue}
        </Link>
      ) : (
        "deleted, or not visible to you"
      ),
      "death-origin",
    ]);
    rows.push([
      "Died",
      message.death.diedAt ? <Timestamp key="died" iso={message.death.diedAt} now={now} /> : "redriven since",
      "died-at",
    ]);
  }
  if (message.deletedAt) {
    rows.push(["Deleted", `${formatRelative(message.deletedAt, now)} (kept for rewind)`, "deleted-at"]);
  }
  return (
    <dl className="attribute-list message-fields">
      {rows.map(([label, value, key]) => (
        <div key={key} className="attribute-row">
          <dt>{label}</dt>
          <dd data-testid={`field-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "received 5 times without being deleted (maxReceiveCount)". */
export function deathReasonText(reason: string, receives: number | null): string {
  if (reason === "maxReceiveCount") {
    return `received ${receives ?? "too many"} ${receives === 1 ? "time" : "times"} without being deleted (maxReceiveCount)`;
  }
  if (reason === "maxTimeToLive") return "not consumed within its time to live (maxTimeToLive)";
  return reason;
}
