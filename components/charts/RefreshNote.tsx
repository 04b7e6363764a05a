"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/client/format";
import { timeZoneChoice, zoneLabel } from "@/lib/client/time-zone";

/**
 * Says how the charts below refresh (the header's auto-refresh setting, slowed to the data's pace)
 * and which zone their times are in.
 */
export function RefreshNote({ refetchInterval }: { refetchInterval: number | false }) {
  // The zone is the browser's: known after mounting only.
  const [zone, setZone] = useState("");
  useEffect(() => setZone(zoneLabel(timeZoneChoice(), new Date())), []);
  return (
    <p className="muted small" data-testid="chart-refresh-note">
      {refetchInterval === false
        ? "Auto-refresh is paused (resume it in the header)."
        : `Refreshes every ${formatDuration(refetchInterval / 1000)}.`}
      {zone && ` Times in ${zone}.`}
    </p>
  );
}
