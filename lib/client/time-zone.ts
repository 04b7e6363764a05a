// One time format everywhere — "2026-11-25 13:45:07 UTC+8" — in the zone the user chose on the
// account page: the browser's own (the default) or UTC. Kept per browser; a change reloads the page,
// so every time on it is redrawn in the new zone.

export type TimeZoneChoice = "local" | "utc";

const storageKey = "opencmq.timeZone";
let cached: TimeZoneChoice | undefined;

export const parseTimeZoneChoice = (raw: string | null): TimeZoneChoice => (raw === "utc" ? "utc" : "local");

/** The user's choice ("local" on the server, where there is no browser to ask). */
export function timeZoneChoice(): TimeZoneChoice {
  if (typeof window === "undefined") return "local";
  cached ??= parseTimeZoneChoice(window.localStorage.getItem(storageKey));
  return cached;
}

export function setTimeZoneChoice(choice: TimeZoneChoice) {
  window.localStorage.setItem(storageKey, choice);
  cached = choice;
  window.location.reload();
}

/** "UTC", or the local zone as its offset at `date`: "UTC+8", "UTC−3:30", "UTC+0". */
export function zoneLabel(choice: TimeZoneChoice, date: Date): string {
  if (choice === "utc") return "UTC";
  const offset = -date.getTimezoneOffset();
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `UTC${offset < 0 ? "−" : "+"}${hours}${minutes ? `:${String(minutes).padStart(2, "0")}` : ""}`;
}
