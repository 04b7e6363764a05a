import type { Metadata } from "next";
import { CreateQueuePage } from "@/components/queues/CreateQueueForm";

export const metadata: Metadata = { title: "Create queue · OpenCMQ" };

export default function NewQueuePage() {
  return <CreateQueuePage />;
}
