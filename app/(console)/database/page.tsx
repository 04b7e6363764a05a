import type { Metadata } from "next";
import { DatabaseHealth } from "@/components/database/DatabaseHealth";

export const metadata: Metadata = { title: "Database health · OpenCMQ" };

export default function DatabasePage() {
  return <DatabaseHealth />;
}
