import type { Metadata } from "next";
import { Suspense } from "react";
import { AlarmsPage } from "@/components/alarms/AlarmsPage";

export const metadata: Metadata = { title: "Alarms · OpenCMQ" };

export default function AlarmsRoute() {
  // The history's filters live in the query string (useSearchParams needs a Suspense boundary).
  return (
    <Suspense>
      <AlarmsPage />
    </Suspense>
  );
}
