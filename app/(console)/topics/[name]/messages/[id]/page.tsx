import type { Metadata } from "next";
import { TopicMessagePage } from "@/components/topics/TopicMessagePage";

type Params = { params: Promise<{ name: string; id: string }> };

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name, id } = await params;
  return { title: `Message ${decode(id)} · ${decode(name)} · OpenCMQ` };
}

export default async function TopicMessageDetailPage({ params }: Params) {
  const { name, id } = await params;
  return <TopicMessagePage key={`${name}/${id}`} topicName={decode(name)} id={decode(id)} />;
}
