"use client";

import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { formatBytes, formatRelative } from "@/lib/client/format";
import { useNow } from "@/lib/client/use-now";
import type { PeekedMessage } from "@/lib/schemas/peek";
import { MessageBody } from "./MessageBody";
import { MessageStateBadge } from "./MessageStateBadge";

type MessageTableProps = {
  messages: PeekedMessage[];
  isLoading?: boolean;
  /** Opens the detail panel of a message. */
  onOpen?: (id: string) => void;
};

export function MessageTable({ messages, isLoading = false, onOpen }: MessageTableProps) {
  const now = useNow(1_000);
  return (
    <Table testId="message-table" aria-label="Messages">
      <thead>
        <tr>
          <th>ID</th>
          <th className="col-body">Body</th>
          <th>State</th>
          <th>Enqueued</th>
          <th className="num">Dequeues</th>
          <th>Next visible</th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows rows={3} columns={6} />}
        {messages.map((message) => (
          <tr key={message.id} data-testid="message-row" data-message-id={message.id}>
            <td>
              {onOpen ? (
                <button
                  type="button"
                  className="link-button mono message-id"
                  onClick={() => onOpen(message.id)}
                  aria-label={`Open message ${message.id}`}
                  data-testid="message-id"
                >
                  {message.id}
                </button>
              ) : (
                <code className="mono message-id" data-testid="message-id">
                  {message.id}
                </code>
              )}
            </td>
            <td className="col-body">
              <MessageBody body={message.body} isCut={message.bodyTruncated} />
              <div className="message-meta muted small">
                <span data-testid="message-size">{formatBytes(message.sizeBytes)}</span>
                {message.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </div>
            </td>
            <td>
              <MessageStateBadge message={message} />
              {message.death && message.isDead && (
                <div className="muted small" data-testid="message-death">
                  {message.death.reason}
                  {message.death.fromQueue && <> · from {message.death.fromQueue}</>}
                </div>
              )}
            </td>
            <td>
              <Timestamp iso={message.enqueuedAt} now={now} />
            </td>
            <td className="num" data-testid="message-dequeue-count">
              {message.dequeueCount}
            </td>
            <td>
              <NextVisible message={message} now={now} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** When the message can next be received: now, after its delay, when its lease ends — or when it was deleted. */
function NextVisible({ message, now }: { message: PeekedMessage; now: number }) {
  if (message.state === "rewindable") {
    return message.deletedAt ? (
      <span className="muted small">deleted {formatRelative(message.deletedAt, now)}</span>
    ) : (
      <span className="muted">—</span>
    );
  }
  if (!message.nextVisibleAt || new Date(message.nextVisibleAt).getTime() <= now) {
    return <span className="muted">Now</span>;
  }
  return (
    <span className="timestamp" data-testid="message-next-visible">
      <span>{message.state === "inFlight" ? "lease ends" : "visible"}</span>
      <span className="muted small">{formatRelative(message.nextVisibleAt, now)}</span>
    </span>
  );
}
