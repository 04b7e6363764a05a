import type { AuditListParams } from "./query-keys";

// The audit log's filter bar: what the user types (local date-times, free text) turned into the
// query the API takes (ISO-8601 instants, trimmed text, empty = no filter).

export type AuditFilterValues = {
  actor: string;
  action: string;
  resource: string;
  outcome: AuditListParams["outcome"];
  /** As an <input type="datetime-local"> holds it: "2026-11-25T13:45", in the browser's time zone. */
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

/** "2026-11-25T13:45" (local) → ISO instant; "" or an invalid value → "" (no bound). */
export function localDateTimeToIso(value: string): string {
  if (value.trim() === "") return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
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

/** A range whose end lies before its start finds nothing; say so rather than show an empty log. */
export function auditRangeError(values: AuditFilterValues): string | null {
  const from = localDateTimeToIso(values.from);
  const to = localDateTimeToIso(values.to);
  return from && to && from > to ? "“To” is before “From”." : null;
}
