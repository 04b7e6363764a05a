import type { Metadata } from "next";
import { TopicMessagePage } from "@/components/topics/TopicMessagePage";
import { decodeSegment } from "@/lib/http/url-segment";

type Params = { params: Promise<{ name: string; id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name, id } = await params;
  return { title: `Message ${decodeSegment(id)} · ${decodeSegment(name)} · OpenCMQ` };
}

export default async function TopicMessageDetailPage({ params }: Params) {
  const { name, id } = await params;
  return <TopicMessagePage key={`${name}/${id}`} topicName={decodeSegment(name)} id={decodeSegment(id)} />;
}
