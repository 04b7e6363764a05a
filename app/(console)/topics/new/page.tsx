import type { Metadata } from "next";
import { CreateTopicPage } from "@/components/topics/CreateTopicForm";

export const metadata: Metadata = { title: "Create topic · OpenCMQ" };

export default function NewTopicPage() {
  return <CreateTopicPage />;
}
