"use client";

import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { useNow } from "@/lib/client/use-now";
import type { PeekedMessage } from "@/lib/schemas/message";
import { MessageBody } from "./MessageBody";
import { MessageStateBadge } from "./MessageStateBadge";

export function MessageTable({ messages, isLoading = false }: { messages: PeekedMessage[]; isLoading?: boolean }) {
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
        {messages.map((message) => {
          const isVisibleNow = new Date(message.nextVisibleAt).getTime() <= now;
          return (
            <tr key={message.id} data-testid="message-row" data-message-id={message.id}>
              <td>
                <code className="mono message-id" data-testid="message-id">
                  {message.id}
                </code>
              </td>
              <td className="col-body">
                <MessageBody body={message.body} />
                {message.tags.length > 0 && (
                  <div className="tags">
                    {message.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </div>
                )}
              </td>
              <td>
                <MessageStateBadge state={message.state} />
              </td>
              <td>
                <Timestamp iso={message.enqueuedAt} now={now} />
              </td>
              <td className="num" data-testid="message-dequeue-count">
                {message.dequeueCount}
              </td>
              <td>
                {isVisibleNow && message.state === "visible" ? (
                  <span className="muted">Now</span>
                ) : (
                  <Timestamp iso={message.nextVisibleAt} now={now} />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
