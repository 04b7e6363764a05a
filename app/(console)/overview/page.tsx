import type { Metadata } from "next";
import { Overview } from "@/components/overview/Overview";

export const metadata: Metadata = { title: "Overview · OpenCMQ" };

export default function OverviewPage() {
  return <Overview />;
}
