import type { Metadata } from "next";
import { MessagePage } from "@/components/messages/MessagePage";
import { decodeSegment } from "@/lib/http/url-segment";

type Params = { params: Promise<{ name: string; id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name, id } = await params;
  return { title: `Message ${decodeSegment(id)} · ${decodeSegment(name)} · OpenCMQ` };
}

export default async function MessageDetailPage({ params }: Params) {
  const { name, id } = await params;
  return <MessagePage key={`${name}/${id}`} queueName={decodeSegment(name)} id={decodeSegment(id)} />;
}
