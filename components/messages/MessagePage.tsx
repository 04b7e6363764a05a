"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { PageHeader } from "@/components/ui/PageHeader";
import { Spinner } from "@/components/ui/Spinner";
import { useCan } from "@/lib/client/me";
import { MessageDetail } from "./MessageDetail";

/** /queues/{name}/messages/{id}: one message on its own page, for links from elsewhere. */
export function MessagePage({ queueName, id }: { queueName: string; id: string }) {
  const router = useRouter();
  const { can, reason, isLoading } = useCan();
  const queueHref = `/queues/${encodeURIComponent(queueName)}`;
  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/queues">Queues</Link> <Link href={queueHref}>{queueName}</Link>
          </>
        }
        title={<span data-testid="message-title">Message {id}</span>}
      />
      <section className="card card-padded">
        {isLoading ? (
          <Spinner label="Checking your access…" />
        ) : can("message:peek", queueName) ? (
          <MessageDetail queueName={queueName} id={id} showLink={false} onGone={() => router.push(queueHref)} />
        ) : (
          <p className="muted" data-testid="peek-denied">
            {reason("message:peek", queueName)}
          </p>
        )}
      </section>
    </>
  );
}
