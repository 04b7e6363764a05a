import type { Metadata } from "next";
import { QueueList } from "@/components/queues/QueueList";

export const metadata: Metadata = { title: "Queues · OpenCMQ" };

export default function QueuesPage() {
  return <QueueList />;
}
