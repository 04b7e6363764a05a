import type { Metadata } from "next";
import { ApiKeyList } from "@/components/api-keys/ApiKeyList";

export const metadata: Metadata = { title: "API keys · Access · OpenCMQ" };

export default function ApiKeysPage() {
  return <ApiKeyList />;
}
