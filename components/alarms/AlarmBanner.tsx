"use client";

import Link from "next/link";
import { useAlarmRules } from "@/lib/client/alarms";
import { useCan } from "@/lib/client/me";

const namesShown = 3;

/** On every console page while alarms fire: how many, which, and a link to the Alarms page. */
export function AlarmBanner() {
  const { can } = useCan();
  const firing = useAlarmRules(can("monitor:read"), "firing", true);
  const rules = firing.data?.rules ?? [];
  if (rules.length === 0) return null;
  const names = rules.slice(0, namesShown).map((r) => r.name);
  const more = rules.length - names.length;
  return (
    <div className="connection-notice">
      <p className="notice alarm-banner" role="status" data-testid="alarm-banner">
        <strong>{rules.length === 1 ? "1 alarm is firing" : `${rules.length} alarms are firing`}:</strong>{" "}
        {names.join(", ")}
        {more > 0 ? ` and ${more} more` : ""}. <Link href="/alarms">See alarms</Link>
      </p>
    </div>
  );
}
