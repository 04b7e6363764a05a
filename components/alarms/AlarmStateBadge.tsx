import { Badge, type BadgeTone } from "@/components/ui/Badge";
import type { AlarmState } from "@/lib/schemas/alarm";

const tone: Record<AlarmState, BadgeTone> = { ok: "green", pending: "amber", firing: "red" };

export const alarmStateLabel: Record<AlarmState, string> = { ok: "OK", pending: "Pending", firing: "Firing" };

/** A rule's or an event's state as a coloured badge; a disabled rule shows "Off". */
export function AlarmStateBadge({
  state,
  isOff = false,
  testId,
}: {
  state: AlarmState;
  isOff?: boolean;
  testId?: string;
}) {
  return (
    <Badge tone={isOff ? "neutral" : tone[state]} data-testid={testId}>
      {isOff ? "Off" : alarmStateLabel[state]}
    </Badge>
  );
}
