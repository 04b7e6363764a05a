import type { AlarmKind, AlarmState } from "@/lib/schemas/alarm";

// The rule state machine, pure (lib/alarms/evaluate.test.ts):
//
//   ok ──breached──► pending ──breached for forSeconds──► firing ──cleared──► ok (resolved)
//    ▲                  │                                   ▲
//    └────cleared───────┘      ok ──breached, forSeconds = 0┘
//
// "Breached" is value > threshold; no value (no queue matched, no pushes or calls in the window)
// is not a breach, so a rule whose subject went away resolves.

export type RuleClock = { state: AlarmState; stateSince: Date; forSeconds: number };

export const isBreached = (value: number | null, threshold: number) => value !== null && value > threshold;

/** The state a rule moves to at `now`, or null when it stays where it is. */
export function nextState(rule: RuleClock, breached: boolean, now: Date): AlarmState | null {
  switch (rule.state) {
    case "ok":
      if (!breached) return null;
      return rule.forSeconds === 0 ? "firing" : "pending";
    case "pending":
      if (!breached) return "ok";
      return now.getTime() - rule.stateSince.getTime() >= rule.forSeconds * 1000 ? "firing" : null;
    case "firing":
      return breached ? null : "ok";
  }
}

/** Whether a transition is announced by webhook: firing, and resolving from firing. */
export const isNotified = (from: AlarmState, to: AlarmState) => to === "firing" || (from === "firing" && to === "ok");

const units: Record<AlarmKind, { what: string; unit: string }> = {
  backlogVisible: { what: "visible messages", unit: "" },
  backlogTotal: { what: "messages", unit: "" },
  oldestMessageAge: { what: "oldest message age", unit: " s" },
  deadLetters: { what: "dead letters", unit: "" },
  pushFailureRate: { what: "push failure rate", unit: " %" },
  apiErrorRate: { what: "API error rate", unit: " %" },
  dbDeadRows: { what: "dead rows in the message table", unit: "" },
  dbOldestTransaction: { what: "oldest open transaction", unit: " s" },
  dbConnectionUse: { what: "connection use", unit: " %" },
};

const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ""));

/** The event's sentence, e.g. "Firing: visible messages 120 > 100 on orders (for 300 s)". */
export function describeTransition(
  input: { kind: AlarmKind; threshold: number; forSeconds: number },
  from: AlarmState,
  to: AlarmState,
  value: number | null,
  subject: string | null,
): string {
  const { what, unit } = units[input.kind];
  const on = subject ? ` on ${subject}` : "";
  const measured = value === null ? `${what}: no data` : `${what} ${round(value)}${unit}`;
  if (to === "pending")
    return `Pending: ${measured} > ${round(input.threshold)}${unit}${on}; fires after ${input.forSeconds} s`;
  if (to === "firing") {
    const held = from === "pending" ? ` (for ${input.forSeconds} s)` : "";
    return `Firing: ${measured} > ${round(input.threshold)}${unit}${on}${held}`;
  }
  const cleared = value === null ? measured : `${measured} ≤ ${round(input.threshold)}${unit}`;
  return from === "firing" ? `Resolved: ${cleared}${on}` : `Back to OK before firing: ${cleared}${on}`;
}
