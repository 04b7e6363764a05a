import type { Metadata } from "next";
import { MessagePage } from "@/components/messages/MessagePage";

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

export default async function MessageDetailPage({ params }: Params) {
  const { name, id } = await params;
  return <MessagePage key={`${name}/${id}`} queueName={decode(name)} id={decode(id)} />;
}
