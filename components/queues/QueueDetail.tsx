"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { QueueCharts } from "@/components/charts/QueueCharts";
import { MessageBrowser } from "@/components/messages/MessageBrowser";
import { SendMessageForm } from "@/components/messages/SendMessageForm";
import { DeniedPanel } from "@/components/ui/DeniedPanel";
import { PageHeader } from "@/components/ui/PageHeader";
import { ResourceLoadState } from "@/components/ui/ResourceLoadState";
import { formatDateTime } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useQueue } from "@/lib/client/queues";
import { DeadLetterPanel } from "./DeadLetterPanel";
import { DeleteQueueButton } from "./DeleteQueueButton";
import { OperationsPanel } from "./OperationsPanel";
import { PurgeControl } from "./PurgeControl";
import { QueueAttributesPanel } from "./QueueAttributesPanel";
import { QueueCounts } from "./QueueCounts";
import { type QueueTab, QueueTabs, tabOf } from "./QueueTabs";
import { RewindPanel } from "./RewindPanel";

/**
 * The queue page: live counts, then tabs (in the URL's ?tab=): the message browser and a test sender,
 * charts, settings (attributes, dead letters), rewind, operations.
 */
export function QueueDetail({ name }: { name: string }) {
  const query = useQueue(name);
  const searchParams = useSearchParams();
  const { can, reason, isLoading: isMeLoading } = useCan();
  const breadcrumb = <Link href="/queues">Queues</Link>;

  if (query.data === undefined) return <ResourceLoadState query={query} noun="queue" name={name} />;

  const queue = query.data;
  const tab = tabOf(searchParams.get("tab"));
  const panel: Record<QueueTab, ReactNode> = {
    messages: (
      <>
        {can("message:peek", queue.name) ? (
          <MessageBrowser queueName={queue.name} />
        ) : (
          <DeniedPanel
            title="Messages"
            reason={reason("message:peek", queue.name)}
            isChecking={isMeLoading}
            testId="peek-denied"
          />
        )}
        {can("queue:SendMessage", queue.name) ? (
          <SendMessageForm queue={queue} />
        ) : (
          <DeniedPanel
            title="Send test message"
            reason={reason("queue:SendMessage", queue.name)}
            isChecking={isMeLoading}
            testId="send-denied"
          />
        )}
      </>
    ),
    charts: can("monitor:read", queue.name) ? (
      <QueueCharts queue={queue} />
    ) : (
      <DeniedPanel
        title="Charts"
        reason={reason("monitor:read", queue.name)}
        isChecking={isMeLoading}
        testId="charts-denied"
      />
    ),
    settings: (
      <div className="detail-grid">
        <QueueAttributesPanel queue={queue} />
        <DeadLetterPanel queue={queue} />
      </div>
    ),
    rewind: can("queue:RewindQueue", queue.name) ? (
      <RewindPanel queue={queue} />
    ) : (
      <DeniedPanel
        title="Rewind"
        reason={reason("queue:RewindQueue", queue.name)}
        isChecking={isMeLoading}
        testId="rewind-denied"
      />
    ),
    operations: <OperationsPanel queueName={queue.name} />,
  };
  return (
    <>
      <PageHeader
        breadcrumb={breadcrumb}
        title={<span data-testid="queue-title">{queue.name}</span>}
        description={`Created ${formatDateTime(queue.createdAt)} · last changed ${formatDateTime(queue.updatedAt)}`}
        actions={
          <>
            {can("message:purge", queue.name) && <PurgeControl queueName={queue.name} />}
            {can("queue:DeleteQueue", queue.name) && <DeleteQueueButton name={queue.name} />}
          </>
        }
      />
      <QueueCounts queue={queue} isRefreshing={query.isFetching} />
      <QueueTabs current={tab} />
      <div role="tabpanel" id={`queue-tab-${tab}`} aria-labelledby={`queue-tab-${tab}-label`} className="tab-panel">
        {panel[tab]}
      </div>
    </>
  );
}
