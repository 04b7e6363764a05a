import type { AuditListParams } from "./query-keys";
import { type TimeZoneChoice, timeZoneChoice } from "./time-zone";

// The audit log's filter bar: what the user types (local date-times, free text) turned into the
// query the API takes (ISO-8601 instants, trimmed text, empty = no filter).

export type AuditFilterValues = {
  actor: string;
  action: string;
  resource: string;
  outcome: AuditListParams["outcome"];
  /** As the user writes it, "2026-11-25 13:45" (or with a T), in the zone they chose for times. */
  from: string;
  to: string;
};

export const emptyAuditFilter: AuditFilterValues = {
  actor: "",
  action: "",
  resource: "",
  outcome: "",
  from: "",
  to: "",
};

/** Every action the log records, in the order the filter offers them. */
export const auditActions = [
  "queue.create",
  "queue.update",
  "queue.delete",
  "user.create",
  "user.update",
  "user.disable",
  "user.enable",
  "user.policy",
  "user.password",
  "apikey.create",
  "apikey.update",
  "apikey.disable",
  "apikey.enable",
  "apikey.delete",
  "session.login",
] as const;

/** Families for the action filter: the API matches the action by substring, so "queue." finds all three. */
export const auditActionFamilies = [
  { value: "queue.", label: "All queue actions" },
  { value: "user.", label: "All user actions" },
  { value: "apikey.", label: "All API key actions" },
] as const;

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-11-25 13:45" in `zone` (the user's choice: the browser's zone or UTC) → ISO instant; "" or a
 * value that is not such a date-time (including 2026-02-30 or 24:00) → "" (no bound).
 */
export function localDateTimeToIso(value: string, zone: TimeZoneChoice = timeZoneChoice()): string {
  const match = dateTimePattern.exec(value.trim());
  if (!match) return "";
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const parts = [y, (mo ?? 1) - 1, d, h, mi, s] as [number, number, number, number, number, number];
  const date = zone === "utc" ? new Date(Date.UTC(...parts)) : new Date(...parts);
  const read =
    zone === "utc"
      ? [
          date.getUTCFullYear(),
          date.getUTCMonth(),
          date.getUTCDate(),
          date.getUTCHours(),
          date.getUTCMinutes(),
          date.getUTCSeconds(),
        ]
      : [date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  // Date rolls 2026-02-30 over to March: a value that does not read back is not a date.
  return read.every((n, i) => n === parts[i]) ? date.toISOString() : "";
}

/** Why a date filter cannot be read, or null. */
export function dateTimeProblem(value: string): string | null {
  return value.trim() === "" || localDateTimeToIso(value) ? null : "Write it as 2026-11-25 13:45";
}

const outcomes = new Set<string>(["", "success", "denied", "failure"]);

/**
 * `to` is inclusive to the minute the user picked: 13:45 means up to 13:45:59.999. Values come from
 * the URL, so an outcome the API does not know counts as none.
 */
export function toAuditParams(values: AuditFilterValues): AuditListParams {
  const toIso = localDateTimeToIso(values.to);
  return {
    actor: values.actor.trim(),
    action: values.action.trim(),
    resource: values.resource.trim(),
    outcome: outcomes.has(values.outcome) ? values.outcome : "",
    from: localDateTimeToIso(values.from),
    to: toIso === "" ? "" : new Date(new Date(toIso).getTime() + 59_999).toISOString(),
  };
}

export const isAuditFilterEmpty = (values: AuditFilterValues) =>
  Object.values(values).every((value) => value.trim() === "");

/**
 * A range whose end lies before its start finds nothing; say so rather than show an empty log.
 * (Also the alarm history's range, lib/client/alarm-history-filter.ts.)
 */
export function auditRangeError(values: Pick<AuditFilterValues, "from" | "to">): string | null {
  const problem = dateTimeProblem(values.from) ?? dateTimeProblem(values.to);
  if (problem) return `${problem} (24-hour, in the zone your times are shown in).`;
  const from = localDateTimeToIso(values.from);
  const to = localDateTimeToIso(values.to);
  return from && to && from > to ? "“To” is before “From”." : null;
}
