import type { Metadata } from "next";
import { TopicList } from "@/components/topics/TopicList";

export const metadata: Metadata = { title: "Topics · OpenCMQ" };

export default function TopicsPage() {
  return <TopicList />;
}
