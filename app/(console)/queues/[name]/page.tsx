import type { Metadata } from "next";
import { QueueDetail } from "@/components/queues/QueueDetail";
import { decodeSegment } from "@/lib/http/url-segment";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `${decodeSegment((await params).name)} · Queues · OpenCMQ` };
}

export default async function QueuePage({ params }: Params) {
  const name = decodeSegment((await params).name);
  // Keyed by name: moving between queues starts every form and filter afresh.
  return <QueueDetail key={name} name={name} />;
}
