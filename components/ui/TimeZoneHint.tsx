"use client";

import { useEffect, useState } from "react";
import { timeZoneChoice, zoneLabel } from "@/lib/client/time-zone";

/** Which zone a filter's date fields are read in (the zone every time is shown in). */
export function TimeZoneHint({ id, className }: { id: string; className?: string }) {
  // After mounting: the server knows neither the browser's zone nor its choice.
  const [label, setLabel] = useState("");
  useEffect(() => setLabel(zoneLabel(timeZoneChoice(), new Date())), []);
  return (
    <span id={id} className={["muted small", className].filter(Boolean).join(" ")} data-testid={id}>
      {label && `24-hour times in ${label}`}
    </span>
  );
}
