import type { InputHTMLAttributes } from "react";

/**
 * A date-time field in the console's one format, "2026-11-30 14:45:00" (24-hour, in the zone the user
 * chose for times): plain text, never the browser's locale picker. Callers parse it with
 * lib/client/audit-filter.ts's localDateTimeToIso.
 */
export function DateTimeInput(props: Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return (
    <input
      type="text"
      inputMode="numeric"
      placeholder="2026-11-30 14:45:00"
      {...props}
      className={["input", "input-datetime", props.className].filter(Boolean).join(" ")}
    />
  );
}
