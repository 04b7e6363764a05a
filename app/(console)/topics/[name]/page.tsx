import type { Metadata } from "next";
import { TopicDetail } from "@/components/topics/TopicDetail";
import { decodeSegment } from "@/lib/http/url-segment";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `${decodeSegment((await params).name)} · Topics · OpenCMQ` };
}

export default async function TopicPage({ params }: Params) {
  const name = decodeSegment((await params).name);
  // Keyed by name: moving between topics starts every form afresh.
  return <TopicDetail key={name} name={name} />;
}
