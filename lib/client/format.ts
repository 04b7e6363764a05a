// Display formatting for the console. Pure functions; `now` and the time zone are parameters so
// tests pin them.
import { type TimeZoneChoice, timeZoneChoice, zoneLabel } from "./time-zone";

const grouping = new Intl.NumberFormat("en-US");

export const formatNumber = (n: number): string => grouping.format(n);

const durationUnits = [
  { seconds: 86_400, label: "d" },
  { seconds: 3_600, label: "h" },
  { seconds: 60, label: "min" },
  { seconds: 1, label: "s" },
] as const;

/** 345600 → "4 d", 5400 → "1 h 30 min", 0 → "0 s": the largest unit and the next one, if not zero. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const first = durationUnits.findIndex((unit) => seconds >= unit.seconds);
  const largest = durationUnits[first];
  if (!largest) return "0 s";
  const count = Math.floor(seconds / largest.seconds);
  const parts = [`${formatNumber(count)} ${largest.label}`];
  const next = durationUnits[first + 1];
  if (next) {
    const rest = Math.floor((seconds - count * largest.seconds) / next.seconds);
    if (rest > 0) parts.push(`${rest} ${next.label}`);
  }
  return parts.join(" ");
}

/** 65536 → "64 KiB", 1048576 → "1 MiB", 1500 → "1,500 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${formatNumber(bytes / 1_048_576)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${formatNumber(bytes / 1024)} KiB`;
  return `${formatNumber(bytes)} B`;
}

const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A reading for people: 99999999 → "≈ 95.4 MiB", 65536 → "64 KiB", 1500 → "≈ 1.5 KiB", 900 → "900 B". */
export function formatBytesReadable(bytes: number): string {
  for (const [size, unit] of [
    [1_073_741_824, "GiB"],
    [1_048_576, "MiB"],
    [1024, "KiB"],
  ] as const) {
    if (bytes < size) continue;
    return bytes % size === 0
      ? `${formatNumber(bytes / size)} ${unit}`
      : `≈ ${oneDecimal.format(bytes / size)} ${unit}`;
  }
  return `${formatNumber(bytes)} B`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * "2026-11-25 13:45:07 UTC+8": 24-hour, sortable, no locale guessing, the zone always named — in the
 * zone the user chose (lib/client/time-zone.ts).
 */
export function formatDateTime(iso: string, zone: TimeZoneChoice = timeZoneChoice()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  const [y, mo, day, h, mi, s] =
    zone === "utc"
      ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
      : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${y}-${pad(mo + 1)}-${pad(day)} ${pad(h)}:${pad(mi)}:${pad(s)} ${zoneLabel(zone, d)}`;
}

/** "12 s ago", "in 3 min", "now" (within a second). */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const diffSeconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(diffSeconds)) return "—";
  if (Math.abs(diffSeconds) < 1) return "now";
  const span = formatDuration(Math.abs(diffSeconds));
  return diffSeconds > 0 ? `in ${span}` : `${span} ago`;
}

/** Shortens `text` to `max` characters with an ellipsis; reports whether it did. */
export function truncate(text: string, max: number): { text: string; isTruncated: boolean } {
  if (text.length <= max) return { text, isTruncated: false };
  return { text: `${text.slice(0, max).trimEnd()}…`, isTruncated: true };
}
