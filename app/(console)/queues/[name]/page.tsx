import type { Metadata } from "next";
import { QueueDetail } from "@/components/queues/QueueDetail";

type Params = { params: Promise<{ name: string }> };

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `${decode((await params).name)} · Queues · OpenCMQ` };
}

export default async function QueuePage({ params }: Params) {
  const name = decode((await params).name);
  // Keyed by name: moving between queues starts every form and filter afresh.
  return <QueueDetail key={name} name={name} />;
}
