import { type AlarmState, alarmStates } from "@/lib/schemas/alarm";
import type { AlarmEventParams } from "./alarms";
import { auditRangeError, localDateTimeToIso } from "./audit-filter";
import { type TimeZoneChoice, timeZoneChoice } from "./time-zone";

// The Alarms page's history filter as it lives in the URL (lib/client/url-filter.ts): a rule, the
// state reached, a time range written as in the audit log ("2026-11-30 14:45", 24-hour, in the zone
// the user chose for times) and the page (`before`, an event id); and the events query it asks for.

export type AlarmHistoryFilter = { rule: string; state: string; from: string; to: string; before: string };

export const emptyAlarmHistoryFilter: AlarmHistoryFilter = { rule: "", state: "", from: "", to: "", before: "" };

const eventOrRuleId = /^\d{1,19}$/;
const withSeconds = /:\d{2}:\d{2}$/;

/**
 * The query GET /api/v1/alarms/events takes. Values come from the URL, so what cannot be read counts
 * as no filter. `to` is inclusive: up to the end of the minute written, or of the second if one is
 * (the API's `to` is exclusive, so the next minute's or second's start).
 */
export function toAlarmEventParams(
  values: AlarmHistoryFilter,
  zone: TimeZoneChoice = timeZoneChoice(),
): AlarmEventParams {
  const from = localDateTimeToIso(values.from, zone);
  const to = localDateTimeToIso(values.to, zone);
  const toEnd = to && new Date(new Date(to).getTime() + (withSeconds.test(values.to.trim()) ? 1000 : 60_000));
  return {
    rule: eventOrRuleId.test(values.rule) ? values.rule : undefined,
    state: (alarmStates as readonly string[]).includes(values.state) ? (values.state as AlarmState) : undefined,
    from: from || undefined,
    to: toEnd ? toEnd.toISOString() : undefined,
    before: eventOrRuleId.test(values.before) ? values.before : undefined,
  };
}

/** Why the range cannot be used as written (the audit log's wording), or null. */
export const alarmRangeError = (values: AlarmHistoryFilter) => auditRangeError(values);

/** Whether the history is narrowed by anything but its page. */
export const isAlarmHistoryFiltered = ({ rule, state, from, to }: AlarmHistoryFilter) =>
  [rule, state, from, to].some((value) => value.trim() !== "");
