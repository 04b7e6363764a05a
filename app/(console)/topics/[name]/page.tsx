import type { Metadata } from "next";
import { TopicDetail } from "@/components/topics/TopicDetail";

type Params = { params: Promise<{ name: string }> };

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `${decode((await params).name)} · Topics · OpenCMQ` };
}

export default async function TopicPage({ params }: Params) {
  const name = decode((await params).name);
  // Keyed by name: moving between topics starts every form afresh.
  return <TopicDetail key={name} name={name} />;
}
